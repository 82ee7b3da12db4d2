/**
 * The README's shape (issue 28): a newcomer reads it in ten minutes — under 200 lines, no table cell over 300
 * characters — and its quick start keeps the two commands of the project's contract word for word.
 *
 * @module
 */
import assert from "node:assert/strict";

const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));

Deno.test("README: under 200 lines, no table cell over 300 characters, the quick start's two commands as they are", () => {
  const lines = readme.trimEnd().split("\n");
  assert.ok(lines.length < 200, `${lines.length} lines`);
  const long = lines.filter((l) => l.startsWith("|")).flatMap((l) => l.split("|").map((c) => c.trim()))
    .filter((c) => c.length > 300);
  assert.deepEqual(long, [], "table cells over 300 characters");
  const quick = readme.slice(readme.indexOf("## Quick start"), readme.indexOf("```", readme.indexOf("```sh") + 5));
  assert.match(quick, /^npx -y deno@2\.9\.6 task main {4}# /m);
  assert.match(quick, /^npx -y deno@2\.9\.6 task test {4}# /m);
  assert.equal(quick.split("\n").filter((l) => l.startsWith("npx ")).length, 2, "exactly two commands");
});
