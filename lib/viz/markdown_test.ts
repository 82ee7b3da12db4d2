import assert from "node:assert/strict";
import { markdownHtml } from "./markdown.ts";

Deno.test("markdownHtml: pipe tables become <table> with escaped pipes, headings, emphasis and code kept", () => {
  const html = markdownHtml("### Table 1\n\n| method | a \\| b |\n|---|---|\n| **ours** | `57.01` |\n\nNote: <x>.");
  assert.match(html, /<h3[^>]*>Table 1<\/h3>/);
  assert.match(html, /<table>\s*<thead>\s*<tr>\s*<th>method<\/th>\s*<th>a \| b<\/th>/);
  assert.match(html, /<td><strong>ours<\/strong><\/td>\s*<td><code>57\.01<\/code><\/td>/);
  assert.doesNotMatch(html, /\|---\|/);
  assert.equal(markdownHtml("plain"), "<p>plain</p>\n");
});
