/**
 * The command line: `deno task fer <command>`, the shape of a command and the one way it reads its flags
 * (command.ts). Command files parse and print only, on top of everything; no library module imports this folder.
 *
 * Direct imports from other folders (the rest goes through this mod.ts): none.
 *
 * @example
 * ```ts
 * import { main } from "../lib/cli/mod.ts";
 * Deno.exit(await main(["demo", "--fast"]));
 * ```
 * @module
 */
export { main } from "./main.ts";
export { type Command, flags, numberFlag, required } from "./command.ts";
