/**
 * The peers' committed FER2013 PublicTest record (written by bench/peers_publictest.ts), read and checked:
 * chapter 07's Table 4 and the README cite it instead of numbers kept in a notebook's output.
 *
 * @example
 * ```ts
 * const rec = await readPeersRecord();
 * rec.peers.human.accuracy; // 0.6528…
 * ```
 * @module
 */
import { join } from "node:path";
import { projectRoot, readJsonFile, type RecordedMachine } from "../util/mod.ts";
import type { PeerEvalReport } from "./peers.ts";
import type { PeerName } from "./labels.ts";

/** `results/peers/fer2013-publictest.json`, the record of both peers on all of PublicTest. */
export const PEERS_PUBLICTEST_RECORD: string = join(projectRoot(), "results", "peers", "fer2013-publictest.json");

/** A peers record: the bench envelope (command, commit, times, machine and load) and one report per peer. */
export interface PeersRecord {
  command: string;
  commit: string | null;
  started: string;
  finished: string;
  machine: RecordedMachine;
  dataset: string;
  split: string;
  versions: Record<string, string>;
  peers: Record<PeerName, PeerEvalReport & { seconds: number }>;
}

/** Reads a peers record; throws naming the file and the missing field when it is not one. */
export async function readPeersRecord(path: string = PEERS_PUBLICTEST_RECORD): Promise<PeersRecord> {
  // deno-lint-ignore no-explicit-any
  const rec: any = await readJsonFile(path, "a peers record (written by bench/peers_publictest.ts)");
  for (const field of ["machine", "split", "versions", "peers"]) {
    if (typeof rec?.[field] !== "object" && typeof rec?.[field] !== "string") {
      throw new Error(`${path}: not a peers record, "${field}" is missing`);
    }
  }
  for (const peer of ["human", "face-api"]) {
    const r = rec.peers[peer];
    if (typeof r?.accuracy !== "number" || typeof r?.macroF1 !== "number" || !Array.isArray(r?.confusion)) {
      throw new Error(`${path}: peers.${peer} needs accuracy, macroF1 and confusion`);
    }
  }
  return rec as PeersRecord;
}
