/**
 * The one expression vocabulary of the toolkit, and the aliases each dataset uses for it.
 *
 * Every loader orders its `classes` as a subset of {@link EXPRESSIONS} in this order, so a 7-class
 * dataset (FER2013, JAFFE, synthetic) has label i = EXPRESSIONS[i] = FER2013 csv emotion i.
 *
 * @example
 * ```ts
 * canonicalLabel("Sadness"); // "sad"
 * canonicalLabel("HA");      // "happy"
 * orderedClasses(["surprise", "anger"]); // ["angry", "surprise"]
 * ```
 * @module
 */

/** Canonical expressions, in the toolkit's label order (0..6 = FER2013 csv emotion codes). */
export const EXPRESSIONS = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral", "contempt"] as const;

/** One canonical expression name. */
export type Expression = typeof EXPRESSIONS[number];

/** FER2013 csv `emotion` code → expression (0..6). */
export const FER2013_EMOTIONS: readonly Expression[] = EXPRESSIONS.slice(0, 7);

/** CK+ `Emotion/*_emotion.txt` code → expression (0 = neutral is never used for a labelled sequence). */
export const CKPLUS_EMOTIONS: Readonly<Record<number, Expression>> = {
  0: "neutral",
  1: "angry",
  2: "contempt",
  3: "disgust",
  4: "fear",
  5: "happy",
  6: "sad",
  7: "surprise",
};

const ALIASES: Record<string, Expression> = {
  angry: "angry",
  anger: "angry",
  an: "angry",
  ang: "angry",
  mad: "angry",
  disgust: "disgust",
  disgusted: "disgust",
  di: "disgust",
  dis: "disgust",
  fear: "fear",
  fearful: "fear",
  afraid: "fear",
  scared: "fear",
  fe: "fear",
  happy: "happy",
  happiness: "happy",
  joy: "happy",
  ha: "happy",
  hap: "happy",
  sad: "sad",
  sadness: "sad",
  sa: "sad",
  surprise: "surprise",
  surprised: "surprise",
  su: "surprise",
  sur: "surprise",
  neutral: "neutral",
  ne: "neutral",
  neu: "neutral",
  contempt: "contempt",
  co: "contempt",
  con: "contempt",
};

/** Maps a dataset's class name or code (any case) to the canonical expression, or null if unknown. */
export function canonicalLabel(name: string): Expression | null {
  return ALIASES[name.trim().toLowerCase()] ?? null;
}

/** Like {@link canonicalLabel} but throws an error naming `where` and the accepted names. */
export function requireLabel(name: string, where: string): Expression {
  const e = canonicalLabel(name);
  if (e === null) {
    throw new Error(
      `${where}: unknown expression "${name}"; expected one of ${EXPRESSIONS.join(", ")} or an alias (${
        Object.keys(ALIASES).filter((a) => !(EXPRESSIONS as readonly string[]).includes(a)).join(", ")
      })`,
    );
  }
  return e;
}

/** The given expressions, deduplicated and sorted in toolkit order. */
export function orderedClasses(names: Iterable<Expression>): Expression[] {
  const set = new Set(names);
  return EXPRESSIONS.filter((e) => set.has(e));
}
