/**
 * The torch backend's test modules in one entry, for `deno task gpu-pack` to bundle into
 * build/gpu/torch-tests.js: on the GPU box (tools/gpu_device.sh) `deno test` runs them offline with
 * nothing but the deno binary, against that machine's own PyTorch, on CUDA (the backend's auto
 * device). The paper-model loss test stays out: its reference is tfjs's slow cpu backend.
 *
 * @example
 * ```sh
 * FER_ROOT=$PWD deno test -A --no-config build/gpu/torch-tests.js
 * ```
 * @module
 */
import "../lib/backend/torch/cuda_test.ts";
import "../lib/backend/torch/backend_test.ts";
import "../lib/backend/torch/optimizers_test.ts";
import "../lib/engine/torch_memory_test.ts";
import "../lib/backend/torch/kernels/conv_test.ts";
import "../lib/backend/torch/kernels/pool_matmul_test.ts";
import "../lib/backend/torch/kernels/math_test.ts";
import "../lib/backend/torch/kernels/reduce_layout_test.ts";
import "../lib/backend/torch/kernels/norm_test.ts";
