"""scikit-image's local_binary_pattern on a pack of grayscale images: golden values or timing.

Run with Debian's /usr/bin/python3 (python3-skimage 0.19). The pack is written by
lib/features/skimage.ts: per image a little-endian uint32 height, uint32 width, then height*width
uint8 pixels, row-major. Configs are a JSON list of [method, P, R] with scikit-image method names.

  golden PACK CONFIGS OUT   write float64 codes, config-major then image order, to OUT
  bench  PACK CONFIGS REPS  print JSON {"skimage": "0.19.x", "results": [{method, P, R, images_per_s}]}
                            (images per second of process CPU time, best of REPS passes, so that a
                            busy shared machine disturbs the figure less than wall-clock time would)
"""
import json
import struct
import sys
import time

import numpy as np
import skimage
from skimage.feature import local_binary_pattern


def read_pack(path):
    buf = open(path, "rb").read()
    images, pos = [], 0
    while pos < len(buf):
        h, w = struct.unpack_from("<II", buf, pos)
        pos += 8
        images.append(np.frombuffer(buf, dtype=np.uint8, count=h * w, offset=pos).reshape(h, w))
        pos += h * w
    return images


def main():
    mode, pack, configs = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    images = read_pack(pack)
    if mode == "golden":
        with open(sys.argv[4], "wb") as out:
            for method, p, r in configs:
                for img in images:
                    out.write(np.ascontiguousarray(local_binary_pattern(img, p, r, method), dtype="<f8").tobytes())
    elif mode == "bench":
        reps = int(sys.argv[4])
        results = []
        for method, p, r in configs:
            local_binary_pattern(images[0], p, r, method)  # warm-up
            best = float("inf")
            for _ in range(reps):
                t0 = time.process_time()
                for img in images:
                    local_binary_pattern(img, p, r, method)
                best = min(best, time.process_time() - t0)
            results.append({"method": method, "P": p, "R": r, "images_per_s": len(images) / best})
        print(json.dumps({"skimage": skimage.__version__, "images": len(images), "results": results}))
    else:
        sys.exit(f"unknown mode {mode!r}, expected golden or bench")


if __name__ == "__main__":
    main()
