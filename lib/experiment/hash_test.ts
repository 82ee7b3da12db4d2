import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { canonicalJson, specHash } from "./hash.ts";

Deno.test("canonical JSON sorts keys at every depth and keeps array order", () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 0 }], c: 3 } }),
    '{"a":{"c":3,"d":[2,{"y":0,"z":1}]},"b":1}',
  );
  assert.equal(canonicalJson({ a: undefined, b: null }), '{"b":null}');
});

Deno.test("a spec hash is the SHA-256 of its canonical JSON: key order does not matter, content does", () => {
  const a = { model: { preset: "paper", inputSize: 48 }, protocol: { kind: "kfold", k: 5, fold: 2 } };
  const b = { protocol: { fold: 2, k: 5, kind: "kfold" }, model: { inputSize: 48, preset: "paper" } };
  assert.equal(specHash(a), specHash(b));
  assert.match(specHash(a), /^[0-9a-f]{16}$/);
  assert.equal(specHash(a), createHash("sha256").update(canonicalJson(b)).digest("hex").slice(0, 16));
  assert.notEqual(specHash(a), specHash({ ...a, protocol: { ...a.protocol, fold: 3 } }));
});
