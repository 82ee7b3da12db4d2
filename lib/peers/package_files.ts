/**
 * Finds the files of an npm package installed in the project's node_modules (the peers' weights ship
 * inside their packages) and reads a TF.js weights manifest into an in-memory model artifact.
 *
 * @example
 * ```ts
 * const dir = packageDir("@vladmandic/human", "3.3.6");
 * const art = await readModelArtifacts(`${dir}/models/emotion.json`);
 * ```
 * @module
 */
import type { io } from "@tensorflow/tfjs-core";
import { dirname, join } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";

/** The folder of an installed npm package; throws with the fix when it is not installed. */
export function packageDir(name: string, version: string): string {
  const nm = fromFileUrl(new URL("../../node_modules/", import.meta.url));
  const candidates = [
    join(nm, name),
    join(nm, ".deno", `${name.replace("/", "+")}@${version}`, "node_modules", name),
  ];
  for (const c of candidates) {
    try {
      const pkg = JSON.parse(Deno.readTextFileSync(join(c, "package.json")));
      if (pkg.version === version) return c;
    } catch { /* try the next candidate */ }
  }
  throw new Error(
    `npm package ${name}@${version} not found under ${nm} (looked in ${candidates.join(", ")}); run \`deno install\``,
  );
}

interface WeightsGroup {
  paths: string[];
  weights: io.WeightsManifestEntry[];
}

/** Reads a TF.js weights manifest (array of groups) and concatenates its shard files. */
export async function readWeights(
  manifestPath: string,
  groups: WeightsGroup[],
): Promise<{ specs: io.WeightsManifestEntry[]; data: ArrayBuffer }> {
  const dir = dirname(manifestPath);
  const specs: io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const g of groups) {
    specs.push(...g.weights);
    for (const p of g.paths) {
      try {
        parts.push(await Deno.readFile(join(dir, p)));
      } catch (err) {
        throw new Error(`weights shard ${join(dir, p)} named in ${manifestPath} cannot be read: ${err}`);
      }
    }
  }
  const total = parts.reduce((s, p) => s + p.length, 0);
  const data = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    data.set(p, o);
    o += p.length;
  }
  return { specs, data: data.buffer };
}

/** Reads a TF.js model.json (graph or layers model) with its weights into memory. */
export async function readModelArtifacts(modelJsonPath: string): Promise<io.ModelArtifacts> {
  let json;
  try {
    json = JSON.parse(await Deno.readTextFile(modelJsonPath));
  } catch (err) {
    throw new Error(`model file ${modelJsonPath} cannot be read as JSON: ${err}`);
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new Error(`${modelJsonPath}: expected a TF.js model.json with modelTopology and weightsManifest`);
  }
  const { specs, data } = await readWeights(modelJsonPath, json.weightsManifest);
  return {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    weightSpecs: specs,
    weightData: data,
  };
}
