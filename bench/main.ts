/**
 * `deno task bench <name> [options]`: runs one benchmark and prints its JSON on stdout.
 *
 * @example
 * ```sh
 * deno task bench train --sizes 48
 * ```
 * @module
 */
const benches: Record<string, (args: string[]) => Promise<Record<string, unknown>>> = {
  train: (a) => import("./train.ts").then((m) => m.benchTrain(a)),
};

if (import.meta.main) {
  const [name, ...rest] = Deno.args;
  const run = benches[name ?? ""];
  if (!run) {
    console.error(`usage: deno task bench <${Object.keys(benches).join("|")}> [options]`);
    Deno.exit(2);
  }
  console.log(JSON.stringify(await run(rest), null, 2));
}
