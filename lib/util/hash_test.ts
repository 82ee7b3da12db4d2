import assert from "node:assert/strict";
import { sha256Hex16 } from "./hash.ts";

Deno.test("sha256Hex16 is the start of the standard SHA-256 digest, UTF-8 encoded", () => {
  assert.equal(sha256Hex16("abc"), "ba7816bf8f01cfea"); // FIPS 180-2 test vector
  assert.equal(sha256Hex16(""), "e3b0c44298fc1c14");
  assert.notEqual(sha256Hex16("é"), sha256Hex16("e"));
});
