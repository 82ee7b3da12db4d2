import assert from "node:assert/strict";
import { main } from "./main.ts";

Deno.test("unknown command exits 2", async () => {
  assert.equal(await main(["no-such-command"]), 2);
});
