import assert from "node:assert/strict";
import {
  canonicalLabel,
  CKPLUS_EMOTIONS,
  EXPRESSIONS,
  FER2013_EMOTIONS,
  orderedClasses,
  requireLabel,
} from "./labels.ts";

Deno.test("aliases of every dataset map to the one vocabulary", () => {
  const cases: [string, string][] = [
    ["anger", "angry"],
    ["Sadness", "sad"],
    ["happiness", "happy"],
    ["fearful", "fear"],
    ["disgusted", "disgust"],
    ["surprised", "surprise"],
    ["AN", "angry"],
    ["DI", "disgust"],
    ["FE", "fear"],
    ["HA", "happy"],
    ["SA", "sad"],
    ["SU", "surprise"],
    ["NE", "neutral"],
    ["contempt", "contempt"],
    ["Happiness", "happy"],
  ];
  for (const [alias, want] of cases) assert.equal(canonicalLabel(alias), want, alias);
  assert.equal(canonicalLabel("bored"), null);
  assert.throws(() => requireLabel("bored", "x/bored"), /x\/bored: unknown expression "bored"; expected one of angry/);
});

Deno.test("FER2013 csv codes and CK+ codes follow their official orders", () => {
  assert.deepEqual(FER2013_EMOTIONS, ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]);
  assert.equal(EXPRESSIONS.length, 8);
  assert.equal(CKPLUS_EMOTIONS[2], "contempt");
  assert.equal(CKPLUS_EMOTIONS[7], "surprise");
  assert.deepEqual(orderedClasses(["surprise", "contempt", "angry", "angry"]), ["angry", "surprise", "contempt"]);
});
