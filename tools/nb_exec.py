#!/usr/bin/python3
"""Execute one notebook with a Jupyter kernel and write it back with every cell's outputs.

Driven by tools/notebooks.ts (run it with /usr/bin/python3, which has jupyter_client).

Why not nbclient: the Deno kernel sometimes publishes `status: idle` *before* the cell's
`execute_result`, and clients that stop reading at idle drop that result. Here every iopub
message is routed to its cell by `parent_header.msg_id`, whenever it arrives; a cell is finished
only after its shell `execute_reply` AND its idle have arrived AND iopub has been quiet for a grace
period; at the end the channel is drained again before the kernel is shut down.

The saved notebook is nbformat 4.5: every cell gets a stable `id` if it has none (a missing id makes
Jupyter rewrite the file on open and log MissingIDFieldWarning), and `metadata.language_info` is the
kernel's own (Jupyter copies it from the kernel on open and counts any difference as an unsaved change).

Prints one JSON line: {"ok", "cells", "executed", "error": {"cell", "code_cell", "ename", "evalue",
"source"}}. Exit code 0 on success, 1 when a cell failed, 2 on usage or kernel problems.
"""
import argparse
import hashlib
import json
import os
import queue
import re
import sys
import time

import jupyter_client


def source_text(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def add_output(cell, msg, display_index):
    """Applies one iopub message to a cell's outputs (nbformat v4)."""
    t = msg["msg_type"]
    c = msg["content"]
    outs = cell["outputs"]
    if t == "stream":
        if outs and outs[-1].get("output_type") == "stream" and outs[-1]["name"] == c["name"]:
            outs[-1]["text"] += c["text"]
        else:
            outs.append({"output_type": "stream", "name": c["name"], "text": c["text"]})
    elif t in ("display_data", "execute_result"):
        out = {"output_type": t, "data": c.get("data", {}), "metadata": c.get("metadata", {})}
        if t == "execute_result":
            out["execution_count"] = c.get("execution_count")
        outs.append(out)
        did = (c.get("transient") or {}).get("display_id")
        if did:
            display_index.setdefault(did, []).append(out)
    elif t == "update_display_data":
        did = (c.get("transient") or {}).get("display_id")
        for out in display_index.get(did, []):
            out["data"] = c.get("data", {})
            out["metadata"] = c.get("metadata", {})
    elif t == "error":
        outs.append({"output_type": "error", "ename": c.get("ename", ""), "evalue": c.get("evalue", ""),
                     "traceback": c.get("traceback", [])})
    elif t == "clear_output":
        if c.get("wait"):
            cell["_clear_pending"] = True
        else:
            outs.clear()
        return
    if cell.pop("_clear_pending", False) and t != "update_display_data":
        last = outs[-1]
        outs.clear()
        outs.append(last)


class Runner:
    def __init__(self, kc, grace):
        self.kc = kc
        self.grace = grace
        self.cell_of = {}  # msg_id -> cell dict
        self.idle = set()  # msg_ids whose idle status arrived
        self.replies = {}  # msg_id -> execute_reply content
        self.display_index = {}
        self.last_iopub = time.monotonic()

    def pump(self, timeout):
        """Reads at most one iopub and one shell message; returns True if anything arrived."""
        got = False
        try:
            msg = self.kc.get_iopub_msg(timeout=timeout)
            got = True
            self.last_iopub = time.monotonic()
            parent = msg.get("parent_header", {}).get("msg_id")
            if msg["msg_type"] == "status":
                if msg["content"].get("execution_state") == "idle":
                    self.idle.add(parent)
            elif msg["msg_type"] == "execute_input":
                cell = self.cell_of.get(parent)
                if cell is not None:
                    cell["execution_count"] = msg["content"].get("execution_count")
            elif parent in self.cell_of:
                add_output(self.cell_of[parent], msg, self.display_index)
        except queue.Empty:
            pass
        try:
            reply = self.kc.get_shell_msg(timeout=0)
            got = True
            parent = reply.get("parent_header", {}).get("msg_id")
            if reply["msg_type"] == "execute_reply":
                self.replies[parent] = reply["content"]
        except queue.Empty:
            pass
        return got

    def run_cell(self, cell, timeout):
        msg_id = self.kc.execute(source_text(cell), store_history=True, allow_stdin=False, stop_on_error=True)
        cell["outputs"] = []
        self.cell_of[msg_id] = cell
        deadline = time.monotonic() + timeout
        while not (msg_id in self.replies and msg_id in self.idle):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no reply within {timeout}s")
            self.pump(0.05)
        self.settle()
        reply = self.replies[msg_id]
        if reply.get("execution_count") is not None:
            cell["execution_count"] = reply["execution_count"]
        return reply

    def settle(self):
        """Keeps reading until iopub has been quiet for the grace period (late results land here)."""
        while time.monotonic() - self.last_iopub < self.grace:
            self.pump(0.02)


DATASET_IMAGES_NOTE = ("[dataset images are not saved in the notebook: the datasets' terms forbid redistribution; "
                       "run the chapter to see them]\n")


def shows_picture(out):
    """True for an output that carries an image: an image/* payload, or HTML/Markdown embedding one."""
    data = out.get("data", {})
    if any(k.startswith("image/") for k in data):
        return True
    text = "".join("".join(v) if isinstance(v, list) else str(v) for k, v in data.items() if k != "text/plain")
    return "<img" in text or "data:image" in text or "<svg" in text


def strip_dataset_images(cell):
    """Cells tagged `dataset-images` show real faces: keep their text and tables, never save their pictures."""
    if "dataset-images" not in cell.get("metadata", {}).get("tags", []):
        return
    kept = [out for out in cell.get("outputs", []) if not shows_picture(out)]
    kept.append({"output_type": "stream", "name": "stdout", "text": [DATASET_IMAGES_NOTE]})
    cell["outputs"] = kept


CELL_ID = re.compile(r"^[a-zA-Z0-9-_]{1,64}$")


def ensure_cell_ids(nb):
    """nbformat 4.5: each cell has a unique id; missing or invalid ones are derived from the cell's place and source."""
    seen = set()
    for i, cell in enumerate(nb.get("cells", [])):
        cid = cell.get("id")
        if not (isinstance(cid, str) and CELL_ID.match(cid)) or cid in seen:
            digest = hashlib.sha1(f"{i}:{source_text(cell)}".encode("utf-8")).hexdigest()
            cid = digest[:8]
            while cid in seen:
                cid = hashlib.sha1(cid.encode("utf-8")).hexdigest()[:8]
            cell["id"] = cid
        seen.add(cid)
    if nb.get("nbformat") == 4 and nb.get("nbformat_minor", 0) < 5:
        nb["nbformat_minor"] = 5


def language_info(kc, timeout=30.0):
    """The kernel's `language_info`, from a kernel_info request (None if it does not answer)."""
    msg_id = kc.kernel_info()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            reply = kc.get_shell_msg(timeout=max(0.01, deadline - time.monotonic()))
        except queue.Empty:
            break
        if reply.get("parent_header", {}).get("msg_id") == msg_id:
            return reply["content"].get("language_info")
    return None


def start_kernel(name, cwd, attempts=3):
    """Starts a kernel and waits until it answers; retries when it dies during start-up."""
    for attempt in range(1, attempts + 1):
        km = jupyter_client.KernelManager(kernel_name=name)
        km.start_kernel(cwd=cwd, env=dict(os.environ))
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=120)
            return km, kc
        except RuntimeError as e:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
            if attempt == attempts:
                raise RuntimeError(f"kernel {name!r} did not start after {attempts} attempts: {e}") from e
            print(f"nb_exec: kernel start failed ({e}); retrying", file=sys.stderr)
            time.sleep(1.0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--cwd", required=True)
    ap.add_argument("--kernel", default="deno")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds per cell")
    ap.add_argument("--grace", type=float, default=0.3, help="quiet seconds on iopub after reply+idle")
    args = ap.parse_args()

    with open(args.input, encoding="utf-8") as f:
        nb = json.load(f)
    cells = nb.get("cells", [])
    code_cells = [(i, c) for i, c in enumerate(cells) if c.get("cell_type") == "code"]
    for _, c in code_cells:
        c["outputs"] = []
        c["execution_count"] = None

    km, kc = start_kernel(args.kernel, args.cwd)
    result = {"ok": True, "cells": len(cells), "executed": 0, "error": None}
    try:
        info = language_info(kc)
        if info:
            nb.setdefault("metadata", {})["language_info"] = info
        runner = Runner(kc, args.grace)
        for k, (i, cell) in enumerate(code_cells):
            try:
                reply = runner.run_cell(cell, args.timeout)
            except TimeoutError as e:
                reply = {"status": "error", "ename": "Timeout", "evalue": str(e)}
            result["executed"] += 1
            if reply.get("status") != "ok":
                first = source_text(cell).strip().splitlines()[:1]
                result["ok"] = False
                result["error"] = {"cell": i, "code_cell": k, "ename": reply.get("ename", ""),
                                   "evalue": reply.get("evalue", ""), "source": first[0] if first else ""}
                break
        runner.settle()
    finally:
        for _, c in code_cells:
            c.pop("_clear_pending", None)
            strip_dataset_images(c)
        ensure_cell_ids(nb)
        with open(args.output, "w", encoding="utf-8") as f:
            json.dump(nb, f, indent=1, ensure_ascii=False)
            f.write("\n")
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    print(json.dumps(result))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:  # noqa: BLE001 - reported to the Deno side as a runner failure (exit 2)
        import traceback
        traceback.print_exc()
        print(json.dumps({"fatal": f"{type(e).__name__}: {e}"}))
        sys.exit(2)
