"""Reference warps for lib/features/augment_test.ts: keras-preprocessing 1.1's affine path in numpy/scipy.

Transcribes keras_preprocessing.image.affine_transformations (apply_affine_transform,
transform_matrix_offset_center, flip_axis) for one channel; run with Debian's /usr/bin/python3.
Usage: keras_affine.py PACK JOBS OUT, where PACK is the image pack of bench/lbp_skimage.py and JOBS
a JSON list of {image, theta, tx, ty, shear, zx, zy, flip_horizontal, flip_vertical, fill_mode};
OUT receives the float64 results, job after job.
"""
import json
import sys

import numpy as np
from scipy import ndimage

from lbp_skimage import read_pack  # same pack format, one reader (this folder is on sys.path)


def transform_matrix_offset_center(matrix, x, y):
    o_x = float(x) / 2 + 0.5
    o_y = float(y) / 2 + 0.5
    offset_matrix = np.array([[1, 0, o_x], [0, 1, o_y], [0, 0, 1]])
    reset_matrix = np.array([[1, 0, -o_x], [0, 1, -o_y], [0, 0, 1]])
    return np.dot(np.dot(offset_matrix, matrix), reset_matrix)


def apply_affine_transform(x, theta, tx, ty, shear, zx, zy, fill_mode):
    transform_matrix = None
    if theta != 0:
        theta = np.deg2rad(theta)
        transform_matrix = np.array([[np.cos(theta), -np.sin(theta), 0], [np.sin(theta), np.cos(theta), 0], [0, 0, 1]])
    if tx != 0 or ty != 0:
        shift = np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]])
        transform_matrix = shift if transform_matrix is None else np.dot(transform_matrix, shift)
    if shear != 0:
        shear = np.deg2rad(shear)
        sm = np.array([[1, -np.sin(shear), 0], [0, np.cos(shear), 0], [0, 0, 1]])
        transform_matrix = sm if transform_matrix is None else np.dot(transform_matrix, sm)
    if zx != 1 or zy != 1:
        zm = np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]])
        transform_matrix = zm if transform_matrix is None else np.dot(transform_matrix, zm)
    if transform_matrix is not None:
        h, w = x.shape
        transform_matrix = transform_matrix_offset_center(transform_matrix, h, w)
        x = ndimage.affine_transform(x, transform_matrix[:2, :2], transform_matrix[:2, 2], order=1,
                                     mode=fill_mode, cval=0.0)
    return x


def main():
    images = read_pack(sys.argv[1])
    jobs = json.loads(open(sys.argv[2]).read())
    with open(sys.argv[3], "wb") as out:
        for j in jobs:
            x = images[j["image"]].astype(np.float64)
            x = apply_affine_transform(x, j["theta"], j["tx"], j["ty"], j["shear"], j["zx"], j["zy"], j["fill_mode"])
            if j["flip_horizontal"]:
                x = x[:, ::-1]
            if j["flip_vertical"]:
                x = x[::-1, :]
            out.write(np.ascontiguousarray(x, dtype="<f8").tobytes())


if __name__ == "__main__":
    main()
