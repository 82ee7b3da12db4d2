/**
 * Saving and loading a {@link FerModel} with Deno file APIs (no tfjs-node): a directory holding
 * the standard TensorFlow.js layers format (`model.json` + `weights.bin`) plus `fer-config.json`
 * (`{ config, labels? }`), so a model can be rebuilt, inspected or served by any tfjs loader.
 *
 * @example
 * ```ts
 * await saveModel({ ...fm, labels: ["angry", "disgust", …] }, "outputs/models/run1");
 * const again = await loadModel("outputs/models/run1");
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { loadLayersModel } from "@tensorflow/tfjs-layers";
import { isAbsolute, join, normalize } from "node:path";
import "./atrous.ts"; // registers AtrousConv2D for deserialisation
import { attentionModelOf, type FerModel } from "./build.ts";
import { type ModelConfig, validateConfig } from "./config.ts";
import { toFloat16 } from "./float16.ts";
import { configTta, type Tta } from "./tta.ts";

/** File names inside a saved model directory. */
export const MODEL_FILES = { topology: "model.json", weights: "weights.bin", config: "fer-config.json" } as const;

/** Contents of fer-config.json. */
export interface FerConfigFile {
  config: ModelConfig;
  labels?: string[];
  /** A shipped model's name (`--model fer2013`), which the web page shows. */
  name?: string;
  /** The test-time augmentation its accuracy was measured with ({@link FerModel.tta}). */
  tta?: Tta;
}

/** How weights are stored: float32 as trained, or float16 (tfjs's quantisation: half the bytes, widened on load). */
export type WeightPrecision = "float32" | "float16";

/**
 * A tfjs IOHandler reading/writing `model.json` + `weights.bin` in `dir` with Deno file APIs; it reads
 * float16-quantised weights too, and writes them with `{ weights: "float16" }`.
 *
 * @example
 * ```ts
 * await model.save(fileHandler("outputs/m"));
 * const m = await tf.loadLayersModel(fileHandler("outputs/m"));
 * ```
 */
export function fileHandler(dir: string, o: { weights?: WeightPrecision } = {}): tf.io.IOHandler {
  const topologyPath = join(dir, MODEL_FILES.topology);
  const weightsPath = join(dir, MODEL_FILES.weights);
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (!artifacts.modelTopology || artifacts.modelTopology instanceof ArrayBuffer) {
        throw new Error(`fileHandler(${dir}): expected a JSON model topology`);
      }
      await Deno.mkdir(dir, { recursive: true });
      let weights = artifacts.weightData === undefined
        ? new ArrayBuffer(0)
        : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      let specs = artifacts.weightSpecs ?? [];
      if (o.weights === "float16") ({ weights, specs } = halve(weights, specs));
      const json: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [MODEL_FILES.weights], weights: specs }],
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
      };
      if (artifacts.trainingConfig) json.trainingConfig = artifacts.trainingConfig;
      if (artifacts.userDefinedMetadata) json.userDefinedMetadata = artifacts.userDefinedMetadata;
      await Deno.writeTextFile(topologyPath, JSON.stringify(json));
      await Deno.writeFile(weightsPath, new Uint8Array(weights));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const json = parseJson(await readText(topologyPath, "a tfjs model.json"), topologyPath) as tf.io.ModelJSON;
      checkModelJson(json, topologyPath);
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: ArrayBuffer[] = [];
      for (const group of json.weightsManifest) {
        specs.push(...group.weights);
        for (const p of group.paths) {
          const bytes = await readBytes(join(dir, p), "a weights file listed in model.json");
          buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
        }
      }
      const weightData = tf.io.concatenateArrayBuffers(buffers);
      const expected = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * bytesPer(s), 0);
      if (weightData.byteLength !== expected) {
        throw new Error(
          `${weightsPath}: expected ${expected} bytes of weights for model.json, found ${weightData.byteLength}`,
        );
      }
      return {
        modelTopology: json.modelTopology,
        weightSpecs: specs,
        weightData,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        trainingConfig: json.trainingConfig,
        userDefinedMetadata: json.userDefinedMetadata,
      };
    },
  };
}

/**
 * Writes `fm` to `dir` (created if missing): model.json, weights.bin, fer-config.json; `weights: "float16"`
 * stores the float32 weights as halves (a shipped model at half the size).
 *
 * @example
 * ```ts
 * await saveModel(fm, "outputs/models/cpu-small");
 * await saveModel(fm, "models/fer2013", { weights: "float16", name: "fer2013" });
 * ```
 */
export async function saveModel(
  fm: FerModel,
  dir: string,
  o: { weights?: WeightPrecision; name?: string } = {},
): Promise<void> {
  await fm.model.save(fileHandler(dir, o));
  const file: FerConfigFile = { config: fm.config };
  if (fm.labels) file.labels = [...fm.labels];
  if (o.name) file.name = o.name;
  if (fm.tta) file.tta = fm.tta;
  await Deno.writeTextFile(join(dir, MODEL_FILES.config), JSON.stringify(file, null, 2) + "\n");
}

/**
 * Reads a directory written by {@link saveModel}; checks that the network matches fer-config.json.
 *
 * @example
 * ```ts
 * const fm = await loadModel("outputs/models/cpu-small");
 * const probs = fm.model.predict(inputs);
 * ```
 */
export async function loadModel(dir: string): Promise<FerModel> {
  const configPath = join(dir, MODEL_FILES.config);
  const parsed = parseJson(await readText(configPath, "fer-config.json with { config, labels? }"), configPath);
  const file = parsed as Partial<FerConfigFile>;
  let config: ModelConfig;
  try {
    config = validateConfig(file.config);
  } catch (err) {
    throw new Error(`${configPath}: ${(err as Error).message}`);
  }
  const labels = file.labels;
  if (labels !== undefined && (!Array.isArray(labels) || labels.some((l) => typeof l !== "string"))) {
    throw new Error(`${configPath}: labels must be a list of strings`);
  }
  if (labels && labels.length !== config.numClasses) {
    throw new Error(`${configPath}: ${labels.length} labels for numClasses ${config.numClasses}`);
  }
  const tta = configTta(file.tta, configPath);
  const model = await loadLayersModel(fileHandler(dir));
  const wantInputs = config.lbp === "none" ? 1 : 2;
  const outUnits = model.outputs[0].shape[model.outputs[0].shape.length - 1];
  const inSize = model.inputs[0].shape[1];
  if (model.inputs.length !== wantInputs || outUnits !== config.numClasses || inSize !== config.inputSize) {
    throw new Error(
      `${dir}: model.json (${model.inputs.length} inputs of size ${inSize}, ${outUnits} classes) does not match ` +
        `fer-config.json (${wantInputs} inputs of size ${config.inputSize}, ${config.numClasses} classes)`,
    );
  }
  const fm: FerModel = { config, model, attention: attentionModelOf(model) };
  if (labels) fm.labels = labels;
  if (tta) fm.tta = tta;
  return fm;
}

/**
 * Refuses a model.json before anything else is read: not a tfjs layers model, a layer class that is not
 * registered, or a weights path that leaves the model's folder (absolute, or climbing out with `..`).
 */
export function checkModelJson(json: tf.io.ModelJSON, path: string): void {
  const topo = json?.modelTopology as
    | { class_name?: string; config?: { layers?: { class_name?: string }[] } }
    | undefined;
  if (!topo || !Array.isArray(json.weightsManifest)) {
    throw new Error(`${path}: expected a tfjs model.json with modelTopology and weightsManifest`);
  }
  if ((json.format !== undefined && json.format !== "layers-model") || !Array.isArray(topo.config?.layers)) {
    throw new Error(
      `${path}: not a tfjs layers model (format "${json.format ?? "none"}"${
        topo.class_name ? `, topology ${topo.class_name}` : ""
      }); expected one saved by this toolkit (format "layers-model")`,
    );
  }
  const known = tf.serialization.SerializationMap.getMap().classNameMap;
  for (const l of topo.config!.layers!) {
    if (typeof l.class_name !== "string" || !(l.class_name in known)) {
      throw new Error(`${path}: layer class "${l.class_name}" is not a layer this toolkit registers; refused`);
    }
  }
  for (const group of json.weightsManifest) {
    for (const p of group.paths ?? []) {
      if (typeof p !== "string" || isAbsolute(p) || normalize(p).split(/[\\/]/)[0] === "..") {
        throw new Error(`${path}: weights path "${p}" leaves the model folder (absolute or ../); refused`);
      }
    }
  }
}

/** Bytes per value of a manifest entry: its quantised type's when quantised. */
function bytesPer(s: tf.io.WeightsManifestEntry): number {
  const q = s.quantization?.dtype;
  if (q !== undefined) {
    if (q === "float16" || q === "uint16") return 2;
    if (q === "uint8") return 1;
    throw new Error(`unsupported weight quantization ${q}`);
  }
  if (s.dtype === "float32" || s.dtype === "int32") return 4;
  if (s.dtype === "bool") return 1;
  throw new Error(`unsupported weight dtype ${s.dtype}`);
}

/** The weights with every float32 entry stored as float16 (other entries as they are). */
function halve(
  data: ArrayBuffer,
  specs: tf.io.WeightsManifestEntry[],
): { weights: ArrayBuffer; specs: tf.io.WeightsManifestEntry[] } {
  const parts: Uint8Array[] = [], out: tf.io.WeightsManifestEntry[] = [];
  let offset = 0;
  for (const s of specs) {
    const n = s.shape.reduce((a, b) => a * b, 1), bytes = n * bytesPer(s);
    if (s.dtype === "float32" && !s.quantization) {
      parts.push(new Uint8Array(toFloat16(new Float32Array(data.slice(offset, offset + bytes))).buffer));
      out.push({ ...s, quantization: { dtype: "float16" } });
    } else {
      parts.push(new Uint8Array(data, offset, bytes));
      out.push(s);
    }
    offset += bytes;
  }
  const joined = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  parts.reduce((at, p) => (joined.set(p, at), at + p.length), 0);
  return { weights: joined.buffer, specs: out };
}

/** JSON.parse whose error names the file. */
function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${err instanceof Error ? err.message : err})`);
  }
}

async function readText(path: string, what: string): Promise<string> {
  return new TextDecoder().decode(await readBytes(path, what));
}

async function readBytes(path: string, what: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) throw new Error(`${path}: not found (expected ${what})`);
    throw err;
  }
}
