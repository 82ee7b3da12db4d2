/**
 * Every benchmark answers `--help` with its options (exit 0, before any work) and a bad option with the message
 * and the usage (exit 2), not a stack trace.
 *
 * @module
 */
import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url).pathname;

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const dec = new TextDecoder();
  return { code: r.code, out: dec.decode(r.stdout), err: dec.decode(r.stderr) };
}

/** Each bench command and options its help must name. */
const BENCHES: [string[], string[]][] = [
  [["bench/main.ts"], ["train", "lbp"]],
  [["bench/main.ts", "train"], ["--net", "--sizes", "--precisions", "--python", "--paper"]],
  [["bench/main.ts", "lbp"], ["--reps", "--limit"]],
  [["bench/decode.ts"], ["--size", "--concurrency"]],
  [["bench/notebook_output_loss.ts"], ["--runs", "--cells", "--variants"]],
  [["bench/peers_publictest.ts"], ["--help"]],
];

for (const [cmd, names] of BENCHES) {
  Deno.test(`${cmd.join(" ")} --help lists its options; an unknown option exits 2 with the usage`, async () => {
    const help = await run([...cmd, "--help"]);
    assert.equal(help.code, 0, help.err);
    assert.match(help.out, /^Usage: /);
    for (const n of names) assert.ok(help.out.includes(n), `${cmd.join(" ")} --help does not name ${n}:\n${help.out}`);
    if (cmd.length === 1 && cmd[0] === "bench/main.ts") return; // the dispatcher passes other words to the lbp bench
    const bad = await run([...cmd, "--no-such-option"]);
    assert.equal(bad.code, 2, bad.err);
    assert.match(bad.err, /Unknown option '--no-such-option'[\s\S]*Usage: /);
    assert.ok(!bad.err.includes("    at "), `a stack trace:\n${bad.err}`);
  });
}
