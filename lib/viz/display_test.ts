import assert from "node:assert/strict";
import { confusionMarkdown, showMarkdown } from "./display.ts";

Deno.test("confusionMarkdown shows counts and per-class recall; showMarkdown offers a MIME bundle", () => {
  const md = confusionMarkdown(["a", "b"], [[3, 1], [0, 4]]);
  assert.match(md, /\| \*\*a\*\* \| 3 \| 1 \| 75\.0% \|/);
  assert.match(md, /\| \*\*b\*\* \| 0 \| 4 \| 100\.0% \|/);
  assert.throws(() => confusionMarkdown(["a"], [[1, 2]]), /must be 1×1/);
  const bundle = showMarkdown(`# hi\n\n${md}`)[Symbol.for("Jupyter.display")]();
  assert.equal(bundle["text/markdown"], `# hi\n\n${md}`);
  assert.match(bundle["text/html"], /<h1[^>]*>hi<\/h1>/);
  assert.match(bundle["text/html"], /<td><strong>a<\/strong><\/td>\s*<td>3<\/td>\s*<td>1<\/td>\s*<td>75\.0%<\/td>/);
});
