// The "torch" tfjs backend's native half: an extern "C" shim over libtorch/ATen, called by Deno FFI
// (lib/backend/torch/ffi.ts). Tensors live in a slot table and are named by int32 slot ids; every
// op is looked up by name once (fer_torch_op_id) and then run by id (fer_torch_run) with its input
// slots and a vector of double arguments, and writes each output as [slot, dtype, rank, dims x 8].
//
// Layout: tfjs tensors are NHWC with HWIO filters. Convolutions and pools run on NCHW views of the
// same memory (ATen's channels_last format: permute without copy); results are permuted back.
// Precision: fp32; tf32 (CUDA tensor cores for convs/matmuls); bf16 (convs/matmuls computed in
// bfloat16 from fp32 tensors, results returned as fp32, everything else fp32).
// Errors: every entry point catches C++ exceptions and returns -1; fer_torch_last_error() has the
// message, prefixed with the op's name. A host read synchronises the device first, so an
// asynchronous CUDA error surfaces there, named with the last op launched.

// Per-operator headers (not <ATen/ATen.h>, which parses every operator): the shim compiles in about half the
// time, which a fresh clone's first `deno task main` waits for. A new ATen call needs its <ATen/ops/NAME.h>.
#define TORCH_ASSERT_ONLY_METHOD_OPERATORS
#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <ATen/core/Tensor.h>
#include <ATen/ops/abs.h>
#include <ATen/ops/acos.h>
#include <ATen/ops/acosh.h>
#include <ATen/ops/add.h>
#include <ATen/ops/all.h>
#include <ATen/ops/amax.h>
#include <ATen/ops/amin.h>
#include <ATen/ops/any.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/argmax.h>
#include <ATen/ops/argmin.h>
#include <ATen/ops/asin.h>
#include <ATen/ops/asinh.h>
#include <ATen/ops/atan.h>
#include <ATen/ops/atan2.h>
#include <ATen/ops/atanh.h>
#include <ATen/ops/avg_pool2d.h>
#include <ATen/ops/avg_pool2d_backward.h>
#include <ATen/ops/batch_norm.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/ceil.h>
#include <ATen/ops/clamp.h>
#include <ATen/ops/constant_pad_nd.h>
#include <ATen/ops/convolution.h>
#include <ATen/ops/convolution_backward.h>
#include <ATen/ops/cos.h>
#include <ATen/ops/cosh.h>
#include <ATen/ops/div.h>
#include <ATen/ops/elu.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/empty_like.h>
#include <ATen/ops/empty_strided.h>
#include <ATen/ops/eq.h>
#include <ATen/ops/erf.h>
#include <ATen/ops/exp.h>
#include <ATen/ops/expm1.h>
#include <ATen/ops/flip.h>
#include <ATen/ops/floor.h>
#include <ATen/ops/from_blob.h>
#include <ATen/ops/full.h>
#include <ATen/ops/full_like.h>
#include <ATen/ops/ge.h>
#include <ATen/ops/gt.h>
#include <ATen/ops/index_select.h>
#include <ATen/ops/isfinite.h>
#include <ATen/ops/isinf.h>
#include <ATen/ops/isnan.h>
#include <ATen/ops/le.h>
#include <ATen/ops/leaky_relu.h>
#include <ATen/ops/log.h>
#include <ATen/ops/log1p.h>
#include <ATen/ops/logical_and.h>
#include <ATen/ops/logical_not.h>
#include <ATen/ops/logical_or.h>
#include <ATen/ops/lt.h>
#include <ATen/ops/matmul.h>
#include <ATen/ops/max_pool2d.h>
#include <ATen/ops/max_pool2d_with_indices.h>
#include <ATen/ops/max_pool2d_with_indices_backward.h>
#include <ATen/ops/maximum.h>
#include <ATen/ops/mean.h>
#include <ATen/ops/minimum.h>
#include <ATen/ops/mul.h>
#include <ATen/ops/native_batch_norm.h>
#include <ATen/ops/native_batch_norm_backward.h>
#include <ATen/ops/ne.h>
#include <ATen/ops/neg.h>
#include <ATen/ops/ones_like.h>
#include <ATen/ops/pow.h>
#include <ATen/ops/prod.h>
#include <ATen/ops/reciprocal.h>
#include <ATen/ops/relu.h>
#include <ATen/ops/remainder.h>
#include <ATen/ops/round.h>
#include <ATen/ops/rsqrt.h>
#include <ATen/ops/scalar_tensor.h>
#include <ATen/ops/selu.h>
#include <ATen/ops/sigmoid.h>
#include <ATen/ops/sigmoid_backward.h>
#include <ATen/ops/sign.h>
#include <ATen/ops/sin.h>
#include <ATen/ops/sinh.h>
#include <ATen/ops/softmax.h>
#include <ATen/ops/softplus.h>
#include <ATen/ops/split_with_sizes.h>
#include <ATen/ops/sqrt.h>
#include <ATen/ops/stack.h>
#include <ATen/ops/sub.h>
#include <ATen/ops/sum.h>
#include <ATen/ops/tan.h>
#include <ATen/ops/tanh.h>
#include <ATen/ops/threshold_backward.h>
#include <ATen/ops/unbind.h>
#include <ATen/ops/where.h>
#include <ATen/ops/zeros.h>
#include <ATen/ops/zeros_like.h>
#include <c10/core/Allocator.h>
#include <c10/core/CPUAllocator.h>
#include <c10/core/InferenceMode.h>
#include <torch/cuda.h>
#include <torch/version.h>

// The kernels written with AVX2 and FMA intrinsics (bnr's two-pass batch norm, the one-pass momentum update) need
// x86-64, and check the CPU at run time; elsewhere ATen's calls run.
#if defined(__x86_64__)
#define FER_AVX2 1
#include <immintrin.h>
#else
#define FER_AVX2 0
#endif

#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <mutex>
#include <sstream>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace {

// ---- state -------------------------------------------------------------------------------------
// Deno runs parallel test modules as isolates on threads of one process, all sharing this library:
// the slot table is guarded by a mutex, and what an isolate sets for itself (precision, error text)
// is per thread. The device is the process's.

thread_local std::string g_err;
thread_local std::string g_info;
thread_local std::string g_last_op = "(none)";
thread_local bool g_bf16 = false;
thread_local bool g_sync = false;
std::mutex g_mu;
std::vector<at::Tensor> g_slots;
std::vector<int32_t> g_free;
at::Device g_device(at::kCPU);

enum DType { F32 = 0, I32 = 1, BOOL = 2 };
constexpr int OUT_STRIDE = 11;
constexpr int MAX_RANK = 8;

at::ScalarType scalar_type(int code) {
  switch (code) {
    case F32: return at::kFloat;
    case I32: return at::kInt;
    case BOOL: return at::kBool;
  }
  throw std::runtime_error("unknown dtype code " + std::to_string(code));
}

// tfjs has float32, int32 and bool: everything else is brought to one of them.
at::Tensor normalise(const at::Tensor& t) {
  switch (t.scalar_type()) {
    case at::kFloat: case at::kInt: case at::kBool: return t;
    case at::kLong: case at::kShort: case at::kByte: case at::kChar: return t.to(at::kInt);
    default: return t.to(at::kFloat);
  }
}

int dtype_code(const at::Tensor& t) {
  switch (t.scalar_type()) {
    case at::kFloat: return F32;
    case at::kInt: return I32;
    case at::kBool: return BOOL;
    default: throw std::runtime_error("unnormalised dtype");
  }
}

int32_t put(at::Tensor t) {
  std::lock_guard<std::mutex> lock(g_mu);
  if (!g_free.empty()) {
    const int32_t id = g_free.back();
    g_free.pop_back();
    g_slots[id] = std::move(t);
    return id;
  }
  g_slots.push_back(std::move(t));
  return static_cast<int32_t>(g_slots.size() - 1);
}

at::Tensor slot(int32_t id) {
  std::lock_guard<std::mutex> lock(g_mu);
  if (id < 0 || id >= static_cast<int32_t>(g_slots.size()) || !g_slots[id].defined()) {
    throw std::runtime_error("invalid tensor slot " + std::to_string(id));
  }
  return g_slots[id];
}

void set_slot(int32_t id, at::Tensor t) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_slots.at(id) = std::move(t);
}

// ---- op arguments ------------------------------------------------------------------------------

struct Call {
  std::vector<at::Tensor> in;  // undefined where the caller passed -1 (an absent optional input)
  const double* a;
  int na;
  const int32_t* ids;  // the inputs' slots (-1: absent)
  int64_t i(int k) const { return static_cast<int64_t>(f(k)); }
  double f(int k) const {
    if (k >= na) throw std::runtime_error("missing argument " + std::to_string(k));
    return a[k];
  }
  bool b(int k) const { return f(k) != 0; }
  std::vector<int64_t> list(int k, int n) const {
    std::vector<int64_t> v(n);
    for (int j = 0; j < n; j++) v[j] = i(k + j);
    return v;
  }
  const at::Tensor& x(int k) const {
    if (k >= static_cast<int>(in.size()) || !in[k].defined()) throw std::runtime_error("missing input " + std::to_string(k));
    return in[k];
  }
  bool has(int k) const { return k < static_cast<int>(in.size()) && in[k].defined(); }
};

using Outs = std::vector<at::Tensor>;

// Runs `update` on the index of each group of `size` inputs (the optimisers: one group per variable; add_scaled: pairs).
void each_group(Call& c, int size, const std::function<void(int)>& update) {
  if (c.in.size() % size != 0) throw std::runtime_error("inputs are not groups of " + std::to_string(size));
  for (int k = 0; k < static_cast<int>(c.in.size()); k += size) update(k);
}
using OpFn = std::function<Outs(Call&)>;
std::unordered_map<std::string, int> g_op_ids;
std::vector<OpFn> g_ops;
std::vector<std::string> g_op_names;

void def(const std::string& name, OpFn fn) {
  g_op_ids[name] = static_cast<int>(g_ops.size());
  g_ops.push_back(std::move(fn));
  g_op_names.push_back(name);
}

// ---- layout and precision helpers --------------------------------------------------------------

at::Tensor nchw(const at::Tensor& x) { return x.permute({0, 3, 1, 2}); }
at::Tensor nhwc(const at::Tensor& y) { return y.permute({0, 2, 3, 1}).contiguous(); }
at::Tensor oihw(const at::Tensor& w) { return w.permute({3, 2, 0, 1}); }
// A filter gradient (OIHW) as HWIO, left in the memory order it came in (ATen's channels-last OIHW: O, H, W, I), as
// conv_kernel stores the kernels.
at::Tensor hwio(const at::Tensor& g) { return g.permute({2, 3, 1, 0}); }
// The compute dtype of convs and matmuls: bf16 in bf16 mode, else the tensor's own.
at::Tensor lowp(const at::Tensor& t) { return g_bf16 && t.scalar_type() == at::kFloat ? t.to(at::kBFloat16) : t; }
at::Tensor fp32(const at::Tensor& t) { return t.scalar_type() == at::kBFloat16 ? t.to(at::kFloat) : t; }

// Fused activations of FusedConv2D/_FusedMatMul: 0 linear, 1 relu, 2 relu6, 3 elu, 4 sigmoid,
// 5 leakyrelu (alpha), 6 prelu (weights).
at::Tensor activate(at::Tensor y, int64_t act, double alpha, const at::Tensor* prelu) {
  switch (act) {
    case 0: return y;
    case 1: return y.relu_();
    case 2: return y.clamp_(0, 6);
    case 3: return at::elu(y);
    case 4: return y.sigmoid_();
    case 5: return at::leaky_relu(y, alpha);
    case 6: return at::where(y.lt(0), y.mul(*prelu), y);
  }
  throw std::runtime_error("unknown activation " + std::to_string(act));
}

// Moves the last (channel) axis of an NHWC-like tensor to position 1, as ATen's norms expect.
at::Tensor channels_first(const at::Tensor& x) {
  const int64_t r = x.dim();
  if (r <= 2) return x;
  std::vector<int64_t> p = {0, r - 1};
  for (int64_t d = 1; d < r - 1; d++) p.push_back(d);
  return x.permute(p);
}
at::Tensor channels_last_back(const at::Tensor& y) {
  const int64_t r = y.dim();
  if (r <= 2) return y.contiguous();
  std::vector<int64_t> p = {0};
  for (int64_t d = 2; d < r; d++) p.push_back(d);
  p.push_back(1);
  return y.permute(p).contiguous();
}

// Geometry shared by the conv and pool ops: strides, explicit (possibly asymmetric) pads, dilations.
struct Geo {
  int64_t sh, sw, pt, pb, pl, pr, dh, dw;
  Geo(const Call& c, int k)
      : sh(c.i(k)), sw(c.i(k + 1)), pt(c.i(k + 2)), pb(c.i(k + 3)), pl(c.i(k + 4)), pr(c.i(k + 5)),
        dh(c.i(k + 6)), dw(c.i(k + 7)) {}
  bool symmetric() const { return pt == pb && pl == pr; }
  std::vector<int64_t> pad() const { return symmetric() ? std::vector<int64_t>{pt, pl} : std::vector<int64_t>{0, 0}; }
  // NCHW input padded explicitly when the padding is asymmetric (ATen pads symmetrically).
  at::Tensor prepad(const at::Tensor& x, double value = 0) const {
    return symmetric() ? x : at::constant_pad_nd(x, {pl, pr, pt, pb}, value);
  }
};

// ---- ops ---------------------------------------------------------------------------------------

// Input k, a convolution's kernel (HWIO), stored as the convolutions read it. ATen's channels-last convolutions take
// the kernel as OIHW in memory order O, H, W, I; from tfjs's HWIO order each call (forward, input gradient) copied it,
// and the filter gradient came back in that order to be copied to HWIO. The first convolution on a kernel replaces
// its slot's tensor by the same values in that order (a permuted view as HWIO, invisible to tfjs), and the filter
// gradients (hwio), the optimisers' state (zeros_like keeps the order) and updates keep it.
at::Tensor conv_kernel(Call& c, int k) {
  at::Tensor& w = c.in.at(k);
  if (c.ids[k] < 0 || oihw(w).is_contiguous(at::MemoryFormat::ChannelsLast)) return w;
  w = oihw(w).contiguous(at::MemoryFormat::ChannelsLast).permute({2, 3, 1, 0});
  set_slot(c.ids[k], w);
  return w;
}

// Convolution of x NHWC with w HWIO (and a bias), as an NHWC float tensor (the compute dtype is lowp's).
// A convolution of x NHWC with w HWIO, NHWC, in the compute dtype (lowp).
at::Tensor conv_lowp(const Geo& g, const at::Tensor& x, const at::Tensor& w, c10::optional<at::Tensor> bias) {
  at::Tensor xi = g.prepad(nchw(lowp(x))).contiguous(at::MemoryFormat::ChannelsLast);
  at::Tensor wi = oihw(lowp(w)).contiguous(at::MemoryFormat::ChannelsLast);
  return nhwc(at::convolution(xi, wi, bias, {g.sh, g.sw}, g.pad(), {g.dh, g.dw}, false, {0, 0}, 1));
}
at::Tensor conv_forward(const Geo& g, const at::Tensor& x, const at::Tensor& w, c10::optional<at::Tensor> bias) {
  return fp32(conv_lowp(g, x, w, bias));
}

// The input gradient (NHWC, n·h·w·ch) of a convolution with w HWIO, from dy NHWC.
at::Tensor conv_input_grad(const Geo& g, const at::Tensor& dy, const at::Tensor& w, int64_t n, int64_t h, int64_t wd,
                           int64_t ch) {
  at::Tensor wi = oihw(lowp(w)).contiguous(at::MemoryFormat::ChannelsLast);
  const int64_t hp = g.symmetric() ? h : h + g.pt + g.pb, wp = g.symmetric() ? wd : wd + g.pl + g.pr;
  at::Tensor shape_only = at::empty({n, ch, hp, wp}, wi.options().memory_format(at::MemoryFormat::ChannelsLast));
  at::Tensor dyi = nchw(lowp(dy)).contiguous(at::MemoryFormat::ChannelsLast);
  auto r = at::convolution_backward(dyi, shape_only, wi, c10::nullopt, {g.sh, g.sw}, g.pad(), {g.dh, g.dw}, false,
                                    {0, 0}, 1, {true, false, false});
  at::Tensor dx = std::get<0>(r);
  if (!g.symmetric()) dx = dx.narrow(2, g.pt, h).narrow(3, g.pl, wd);
  return nhwc(fp32(dx));
}

// The filter gradient of a dilated convolution whose dilated window is larger than x (the atrous module's, on 6×6),
// on the CPU: tap by tap, one matrix product over only the outputs whose input for that tap lies inside x. oneDNN
// 2.6 (Debian's libtorch) takes its im2col + gemm path there, over the padding too (DNNL_VERBOSE: gemm:jit; 2.5 ms a
// call for ci 80, co 16, dilation 5 at batch 32 on a 2-core AMD EPYC). dy contiguous; the result in the kernels'
// memory order (O, H, W, I) as HWIO.
at::Tensor taps_filter_grad(const Geo& g, const at::Tensor& x, const at::Tensor& dy, int64_t kh, int64_t kw) {
  const at::Tensor xl = lowp(x), dl = lowp(dy);
  const int64_t h = x.size(1), w = x.size(2), ho = dy.size(1), wo = dy.size(2), co = dy.size(3), ci = x.size(3);
  // the outputs [first, end) along one axis whose input o·stride + k·dilation - pad lies in [0, size)
  const auto inside = [](int64_t size, int64_t out, int64_t stride, int64_t offset) {
    const int64_t first = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
    const int64_t end = size - offset <= 0 ? 0 : std::min(out, (size - offset - 1) / stride + 1);
    return std::make_pair(first, std::max(first, end));
  };
  std::vector<at::Tensor> taps;
  for (int64_t i = 0; i < kh; i++) {
    const auto [h0, h1] = inside(h, ho, g.sh, i * g.dh - g.pt);
    for (int64_t j = 0; j < kw; j++) {
      const auto [w0, w1] = inside(w, wo, g.sw, j * g.dw - g.pl);
      if (h0 == h1 || w0 == w1) {
        taps.push_back(at::zeros({co, 1, ci}, dl.options().dtype(at::kFloat)));
        continue;
      }
      const int64_t m = dy.size(0) * (h1 - h0) * (w1 - w0), ih = h0 * g.sh + i * g.dh - g.pt, iw = w0 * g.sw + j * g.dw - g.pl;
      const at::Tensor d = dl.slice(1, h0, h1).slice(2, w0, w1).reshape({m, co});
      const at::Tensor xs = xl.slice(1, ih, ih + (h1 - h0 - 1) * g.sh + 1, g.sh)
                                .slice(2, iw, iw + (w1 - w0 - 1) * g.sw + 1, g.sw)
                                .reshape({m, ci});
      taps.push_back(fp32(at::matmul(d.t(), xs)).unsqueeze(1));
    }
  }
  return at::cat(taps, 1).view({co, kh, kw, ci}).permute({1, 2, 3, 0});
}

// The filter gradient (HWIO, kh·kw·ci·co) of a convolution of x NHWC, from dy NHWC.
at::Tensor conv_filter_grad(const Geo& g, const at::Tensor& x, const at::Tensor& dy, int64_t kh, int64_t kw,
                            int64_t ci, int64_t co) {
  const bool wider = (kh - 1) * g.dh + 1 > x.size(1) || (kw - 1) * g.dw + 1 > x.size(2);
  if (wider && (g.dh > 1 || g.dw > 1) && x.device().is_cpu() && dy.is_contiguous()) {
    return taps_filter_grad(g, x, dy, kh, kw);
  }
  at::Tensor xi = g.prepad(nchw(lowp(x))).contiguous(at::MemoryFormat::ChannelsLast);
  at::Tensor dyi = nchw(lowp(dy)).contiguous(at::MemoryFormat::ChannelsLast);
  at::Tensor shape_only = at::empty({co, ci, kh, kw}, xi.options().memory_format(at::MemoryFormat::ChannelsLast));
  auto r = at::convolution_backward(dyi, xi, shape_only, c10::nullopt, {g.sh, g.sw}, g.pad(), {g.dh, g.dw}, false,
                                    {0, 0}, 1, {false, true, false});
  return hwio(fp32(std::get<1>(r)));
}

void def_conv() {
  // conv2d: x NHWC, w HWIO, [bias], [prelu]; args geo(8), activation, alpha.
  def("conv2d", [](Call& c) -> Outs {
    c10::optional<at::Tensor> bias;
    if (c.has(2)) bias = lowp(c.x(2)).reshape({-1});
    at::Tensor prelu = c.has(3) ? c.x(3) : at::Tensor();
    return {activate(conv_forward(Geo(c, 0), c.x(0), conv_kernel(c, 1), bias), c.i(8), c.f(9), &prelu)};
  });
  // conv2d_bwd_input: dy NHWC, w HWIO; args geo(8), N, H, W, C of x.
  def("conv2d_bwd_input", [](Call& c) -> Outs {
    return {conv_input_grad(Geo(c, 0), c.x(0), conv_kernel(c, 1), c.i(8), c.i(9), c.i(10), c.i(11))};
  });
  // conv2d_bwd_filter: x NHWC, dy NHWC; args geo(8), kh, kw, ci, co.
  def("conv2d_bwd_filter", [](Call& c) -> Outs {
    return {conv_filter_grad(Geo(c, 0), c.x(0), c.x(1), c.i(8), c.i(9), c.i(10), c.i(11))};
  });
}

void def_pool() {
  // maxpool/avgpool: x NHWC; args geo(8) with dilations = filter size (kh, kw).
  def("maxpool", [](Call& c) -> Outs {
    Geo g(c, 0);
    at::Tensor xi = g.prepad(nchw(c.x(0)), -INFINITY);
    return {nhwc(at::max_pool2d(xi, {g.dh, g.dw}, {g.sh, g.sw}, g.pad()))};
  });
  // maxpool_idx: as maxpool, and the argmax of each window (int64, kept beside the output) for maxpool_bwd's third
  // input: the gradient then scatters without pooling again.
  def("maxpool_idx", [](Call& c) -> Outs {
    Geo g(c, 0);
    at::Tensor xi = g.prepad(nchw(c.x(0)), -INFINITY).contiguous(at::MemoryFormat::ChannelsLast);
    auto [y, idx] = at::max_pool2d_with_indices(xi, {g.dh, g.dw}, {g.sh, g.sw}, g.pad());
    return {nhwc(y), nhwc(idx)};
  });
  def("maxpool_bwd", [](Call& c) -> Outs {  // dy, x, [indices from maxpool_idx]
    Geo g(c, 0);
    at::Tensor xi = g.prepad(nchw(c.x(1)), -INFINITY).contiguous(at::MemoryFormat::ChannelsLast);
    at::Tensor idx = c.has(2) ? nchw(c.x(2)).to(at::kLong)
                              : std::get<1>(at::max_pool2d_with_indices(xi, {g.dh, g.dw}, {g.sh, g.sw}, g.pad()));
    at::Tensor dyi = nchw(c.x(0)).contiguous(at::MemoryFormat::ChannelsLast);
    at::Tensor dx = at::max_pool2d_with_indices_backward(dyi, xi, {g.dh, g.dw}, {g.sh, g.sw}, g.pad(), {1, 1}, false, idx);
    if (!g.symmetric()) dx = dx.narrow(2, g.pt, c.x(1).size(1)).narrow(3, g.pl, c.x(1).size(2));
    return {nhwc(dx)};
  });
  // Average pools exclude the padding from the count, as tfjs does; asymmetric padding is refused.
  def("avgpool", [](Call& c) -> Outs {
    Geo g(c, 0);
    if (!g.symmetric()) throw std::runtime_error("asymmetric padding");
    return {nhwc(at::avg_pool2d(nchw(c.x(0)), {g.dh, g.dw}, {g.sh, g.sw}, g.pad(), false, false))};
  });
  def("avgpool_bwd", [](Call& c) -> Outs {  // dy, x
    Geo g(c, 0);
    if (!g.symmetric()) throw std::runtime_error("asymmetric padding");
    at::Tensor xi = nchw(c.x(1)).contiguous(at::MemoryFormat::ChannelsLast);
    at::Tensor dyi = nchw(c.x(0)).contiguous(at::MemoryFormat::ChannelsLast);
    // tfjs's AvgPoolGrad divides by the whole window also where it overlaps the padding (its forward
    // does not): reproduce it, so that training matches tfjs's other backends.
    return {nhwc(at::avg_pool2d_backward(dyi, xi, {g.dh, g.dw}, {g.sh, g.sw}, g.pad(), false, true, c10::nullopt))};
  });
}

void def_matmul() {
  // matmul: a, b (rank >= 2, batch dims broadcast), [bias], [prelu]; args transposeA, transposeB, act, alpha.
  def("matmul", [](Call& c) -> Outs {
    at::Tensor a = lowp(c.x(0)), b = lowp(c.x(1));
    if (c.b(0)) a = a.transpose(-1, -2);
    if (c.b(1)) b = b.transpose(-1, -2);
    at::Tensor y = fp32(at::matmul(a, b));
    if (c.has(2)) y.add_(c.x(2));
    at::Tensor prelu = c.has(3) ? c.x(3) : at::Tensor();
    return {activate(y, c.i(2), c.f(3), &prelu)};
  });
}

void def_elementwise() {
  using B = std::function<at::Tensor(const at::Tensor&, const at::Tensor&)>;
  const std::vector<std::pair<std::string, B>> binary = {
      {"add", [](auto& a, auto& b) { return at::add(a, b); }},
      {"sub", [](auto& a, auto& b) { return at::sub(a, b); }},
      {"mul", [](auto& a, auto& b) { return at::mul(a, b); }},
      {"div", [](auto& a, auto& b) { return at::div(a, b); }},
      {"floordiv", [](auto& a, auto& b) { return at::div(a, b, "floor"); }},
      {"mod", [](auto& a, auto& b) { return at::remainder(a, b); }},
      {"pow", [](auto& a, auto& b) { return at::pow(a, b); }},
      {"maximum", [](auto& a, auto& b) { return at::maximum(a, b); }},
      {"minimum", [](auto& a, auto& b) { return at::minimum(a, b); }},
      {"sqdiff", [](auto& a, auto& b) { auto d = at::sub(a, b); return d.mul_(d); }},
      {"atan2", [](auto& a, auto& b) { return at::atan2(a, b); }},
      {"eq", [](auto& a, auto& b) { return at::eq(a, b); }},
      {"ne", [](auto& a, auto& b) { return at::ne(a, b); }},
      {"gt", [](auto& a, auto& b) { return at::gt(a, b); }},
      {"ge", [](auto& a, auto& b) { return at::ge(a, b); }},
      {"lt", [](auto& a, auto& b) { return at::lt(a, b); }},
      {"le", [](auto& a, auto& b) { return at::le(a, b); }},
      {"and", [](auto& a, auto& b) { return at::logical_and(a, b); }},
      {"or", [](auto& a, auto& b) { return at::logical_or(a, b); }},
      {"prelu", [](auto& x, auto& al) { return at::where(x.lt(0), x.mul(al), x); }},
      {"relu_bwd", [](auto& dy, auto& x) { return at::threshold_backward(dy, x, 0); }},
      {"sigmoid_bwd", [](auto& dy, auto& y) { return at::sigmoid_backward(dy, y); }},
      {"elu_bwd", [](auto& dy, auto& y) { return at::where(y.lt(0), dy.mul(y.add(1)), dy); }},
  };
  for (auto& [name, fn] : binary) {
    def(name, [fn = fn](Call& c) -> Outs { return {fn(c.x(0), c.x(1))}; });
  }
  using U = std::function<at::Tensor(const at::Tensor&)>;
  const std::vector<std::pair<std::string, U>> unary = {
      {"abs", [](auto& x) { return at::abs(x); }},
      {"neg", [](auto& x) { return at::neg(x); }},
      {"exp", [](auto& x) { return at::exp(x); }},
      {"expm1", [](auto& x) { return at::expm1(x); }},
      {"log", [](auto& x) { return at::log(x); }},
      {"log1p", [](auto& x) { return at::log1p(x); }},
      {"sqrt", [](auto& x) { return at::sqrt(x); }},
      {"rsqrt", [](auto& x) { return at::rsqrt(x); }},
      {"square", [](auto& x) { return at::mul(x, x); }},
      {"reciprocal", [](auto& x) { return at::reciprocal(x); }},
      {"relu", [](auto& x) { return at::relu(x); }},
      {"relu6", [](auto& x) { return at::clamp(x, 0, 6); }},
      {"elu", [](auto& x) { return at::elu(x); }},
      {"selu", [](auto& x) { return at::selu(x); }},
      {"sigmoid", [](auto& x) { return at::sigmoid(x); }},
      {"tanh", [](auto& x) { return at::tanh(x); }},
      {"softplus", [](auto& x) { return at::softplus(x); }},
      {"sin", [](auto& x) { return at::sin(x); }},
      {"cos", [](auto& x) { return at::cos(x); }},
      {"tan", [](auto& x) { return at::tan(x); }},
      {"asin", [](auto& x) { return at::asin(x); }},
      {"acos", [](auto& x) { return at::acos(x); }},
      {"atan", [](auto& x) { return at::atan(x); }},
      {"sinh", [](auto& x) { return at::sinh(x); }},
      {"cosh", [](auto& x) { return at::cosh(x); }},
      {"asinh", [](auto& x) { return at::asinh(x); }},
      {"acosh", [](auto& x) { return at::acosh(x); }},
      {"atanh", [](auto& x) { return at::atanh(x); }},
      {"erf", [](auto& x) { return at::erf(x); }},
      {"floor", [](auto& x) { return at::floor(x); }},
      {"ceil", [](auto& x) { return at::ceil(x); }},
      {"round", [](auto& x) { return at::round(x); }},
      {"sign", [](auto& x) { return at::sign(x); }},
      {"isnan", [](auto& x) { return at::isnan(x); }},
      {"isinf", [](auto& x) { return at::isinf(x); }},
      {"isfinite", [](auto& x) { return at::isfinite(x); }},
      {"not", [](auto& x) { return at::logical_not(x); }},
      {"clone", [](auto& x) { return x.clone(); }},
      {"zeros_like", [](auto& x) { return at::zeros_like(x); }},
      {"ones_like", [](auto& x) { return at::ones_like(x); }},
  };
  for (auto& [name, fn] : unary) {
    def(name, [fn = fn](Call& c) -> Outs { return {fn(c.x(0))}; });
  }
  def("leaky_relu", [](Call& c) -> Outs { return {at::where(c.x(0).lt(0), c.x(0).mul(c.f(0)), c.x(0))}; });
  // step: 1 where x > 0, else alpha; NaN stays NaN.
  def("step", [](Call& c) -> Outs {
    const at::Tensor& x = c.x(0);
    at::Tensor s = at::where(x.gt(0), at::ones_like(x), at::full_like(x, c.f(0)));
    return {at::where(at::isnan(x), x, s)};
  });
  def("clip", [](Call& c) -> Outs { return {at::clamp(c.x(0), c.f(0), c.f(1))}; });
  def("cast", [](Call& c) -> Outs { return {c.x(0).to(scalar_type(static_cast<int>(c.i(0))))}; });
  def("select", [](Call& c) -> Outs { return {at::where(c.x(0), c.x(1), c.x(2))}; });
  def("add_n", [](Call& c) -> Outs {
    at::Tensor s = c.x(0).clone();
    for (size_t k = 1; k < c.in.size(); k++) s.add_(c.x(static_cast<int>(k)));
    return {s};
  });
  def("softmax", [](Call& c) -> Outs { return {at::softmax(c.x(0), c.i(0))}; });
  // add_scaled: a0, b0, a1, b1, …; args alpha → a_k + alpha·b_k each (float32: alpha rounds to float, as a tfjs
  // scalar), all pairs in one call.
  def("add_scaled", [](Call& c) -> Outs {
    Outs o;
    each_group(c, 2, [&](int k) { o.push_back(c.x(k).add(c.x(k + 1).mul(c.f(0)))); });
    return o;
  });
}

void def_reduce() {
  // args: keepDims, n, axes...
  using R = std::function<at::Tensor(const at::Tensor&, const std::vector<int64_t>&, bool)>;
  const std::vector<std::pair<std::string, R>> reductions = {
      {"sum", [](auto& x, auto& ax, bool k) { return at::sum(x, ax, k); }},
      {"mean", [](auto& x, auto& ax, bool k) { return at::mean(x, ax, k); }},
      {"max", [](auto& x, auto& ax, bool k) { return at::amax(x, ax, k); }},
      {"min", [](auto& x, auto& ax, bool k) { return at::amin(x, ax, k); }},
      {"prod", [](auto& x, auto& ax, bool k) {
         at::Tensor y = x;
         std::vector<int64_t> s = ax;
         std::sort(s.rbegin(), s.rend());
         for (int64_t a : s) y = at::prod(y, a, k);
         return y;
       }},
      {"all", [](auto& x, auto& ax, bool k) {
         at::Tensor y = x;
         std::vector<int64_t> s = ax;
         std::sort(s.rbegin(), s.rend());
         for (int64_t a : s) y = at::all(y, a, k);
         return y;
       }},
      {"any", [](auto& x, auto& ax, bool k) {
         at::Tensor y = x;
         std::vector<int64_t> s = ax;
         std::sort(s.rbegin(), s.rend());
         for (int64_t a : s) y = at::any(y, a, k);
         return y;
       }},
  };
  for (auto& [name, fn] : reductions) {
    def(name, [fn = fn](Call& c) -> Outs {
      const at::Tensor& x = c.x(0);
      std::vector<int64_t> axes = c.list(2, static_cast<int>(c.i(1)));
      if (axes.empty()) return {x.clone()};
      return {fn(x, axes, c.b(0))};
    });
  }
  def("argmax", [](Call& c) -> Outs { return {at::argmax(c.x(0), c.i(0))}; });
  def("argmin", [](Call& c) -> Outs { return {at::argmin(c.x(0), c.i(0))}; });
}

void def_layout() {
  def("reshape", [](Call& c) -> Outs { return {c.x(0).reshape(c.list(1, static_cast<int>(c.i(0))))}; });
  def("transpose", [](Call& c) -> Outs {
    return {c.x(0).permute(c.list(1, static_cast<int>(c.i(0)))).contiguous()};
  });
  def("concat", [](Call& c) -> Outs { return {at::cat(c.in, c.i(0))}; });
  def("stack", [](Call& c) -> Outs { return {at::stack(c.in, c.i(0))}; });
  def("unstack", [](Call& c) -> Outs {
    Outs o;
    for (auto& t : at::unbind(c.x(0), c.i(0))) o.push_back(t.contiguous());
    return o;
  });
  // slice: args rank, begin..., size...
  def("slice", [](Call& c) -> Outs {
    const int r = static_cast<int>(c.i(0));
    at::Tensor y = c.x(0);
    for (int d = 0; d < r; d++) y = y.narrow(d, c.i(1 + d), c.i(1 + r + d));
    return {y.contiguous()};
  });
  // split: args axis, n, sizes...
  def("split", [](Call& c) -> Outs {
    Outs o;
    for (auto& t : at::split_with_sizes(c.x(0), c.list(2, static_cast<int>(c.i(1))), c.i(0))) o.push_back(t.contiguous());
    return o;
  });
  // pad: args rank, (before, after) x rank, value
  def("pad", [](Call& c) -> Outs {
    const int r = static_cast<int>(c.i(0));
    std::vector<int64_t> p;
    for (int d = r - 1; d >= 0; d--) p.push_back(c.i(1 + 2 * d)), p.push_back(c.i(2 + 2 * d));
    return {at::constant_pad_nd(c.x(0), p, c.f(1 + 2 * r))};
  });
  def("tile", [](Call& c) -> Outs { return {c.x(0).repeat(c.list(1, static_cast<int>(c.i(0))))}; });
  def("reverse", [](Call& c) -> Outs { return {at::flip(c.x(0), c.list(1, static_cast<int>(c.i(0))))}; });
  // one_hot: indices; args depth, on, off, dtype. Out-of-range indices give an all-off row, as in tfjs.
  def("one_hot", [](Call& c) -> Outs {
    const at::Tensor& idx = c.x(0);
    at::Tensor hot = at::arange(c.i(0), idx.options().dtype(at::kLong)).eq(idx.to(at::kLong).unsqueeze(-1));
    at::ScalarType dt = scalar_type(static_cast<int>(c.i(3)));
    return {at::where(hot, at::scalar_tensor(c.f(1), idx.options().dtype(dt)),
                      at::scalar_tensor(c.f(2), idx.options().dtype(dt)))};
  });
  // gather: x, indices; args axis.
  def("gather", [](Call& c) -> Outs {
    const at::Tensor& x = c.x(0);
    const at::Tensor& idx = c.x(1);
    const int64_t axis = c.i(0);
    at::Tensor y = at::index_select(x, axis, idx.reshape({-1}).to(at::kLong));
    std::vector<int64_t> shape(x.sizes().begin(), x.sizes().begin() + axis);
    for (auto s : idx.sizes()) shape.push_back(s);
    for (int64_t d = axis + 1; d < x.dim(); d++) shape.push_back(x.size(d));
    return {y.reshape(shape)};
  });
  // segment_sum: x, segment ids (one per row); args number of segments. Rows with an id out of range are dropped.
  def("segment_sum", [](Call& c) -> Outs {
    const at::Tensor& x = c.x(0);
    const int64_t n = c.i(0);
    at::Tensor ids = c.x(1).to(at::kLong);
    at::Tensor keep = ids.ge(0).logical_and_(ids.lt(n));
    std::vector<int64_t> shape = {n};
    for (int64_t d = 1; d < x.dim(); d++) shape.push_back(x.size(d));
    at::Tensor rows = keep.nonzero().reshape({-1});
    return {at::zeros(shape, x.options()).index_add_(0, ids.index_select(0, rows), x.index_select(0, rows))};
  });
  // range: args start, stop, step, dtype (the caller handles the empty cases as tfjs does).
  def("range", [](Call& c) -> Outs {
    at::Tensor r = at::arange(c.f(0), c.f(1), c.f(2), at::TensorOptions().dtype(at::kDouble).device(g_device));
    return {r.to(scalar_type(static_cast<int>(c.i(3))))};
  });
  // fill: args dtype, value, rank, dims...
  def("fill", [](Call& c) -> Outs {
    at::ScalarType dt = scalar_type(static_cast<int>(c.i(0)));
    return {at::full(c.list(3, static_cast<int>(c.i(2))), c.f(1), at::TensorOptions().dtype(dt).device(g_device))};
  });
}

// A training-mode batch norm of x (channel axis last): y (through ReLU in place when relu), the batch mean, the
// biased batch variance and 1/sqrt(var + eps); where bnr ran, ab [2, C]: the a and b of y = max(0, x·a + b), from
// which its gradient tells where y > 0 without reading y.
struct BatchStats {
  at::Tensor y, mean, var, invstd, ab;
};

// Batch norm with ReLU on the CPU, in two passes each way. ATen's training batch norm (channels last) reads x twice
// for its statistics and once to normalise, then ReLU is a pass of its own; the gradient is threshold_backward's pass,
// then two of batch norm's. Here each direction takes two passes over rows of C channels: the statistics (sums of
// x - x0 and of its square, x0 the first row), then y = max(0, x·a + b); the gradient's two sums (dy where y > 0,
// and its product with x - mean), then dx. Sums run in float over blocks of kRows rows and are added in double;
// threads sum rows of their own, added in thread order. x may be fp32 or bf16 (a bf16 convolution's output, read as
// it is; y is fp32), and dx comes out in x's dtype. AVX2 with FMA, checked at run time; without them (or on other
// devices and dtypes) ATen's calls run.
#if FER_AVX2
namespace bnr {

using bf16 = c10::BFloat16;
constexpr int64_t kRows = 32;

bool usable(const at::Tensor& x) {
  static const bool cpu = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  const at::ScalarType t = x.scalar_type();
  return cpu && x.device().is_cpu() && (t == at::kFloat || t == at::kBFloat16) && x.dim() >= 2 && x.numel() > 0;
}

// Eight values as floats, and back (bf16 rounded to nearest even, NaN as 0x7FC0: c10::BFloat16's rounding).
__attribute__((target("avx2,fma"))) inline __m256 load8(const float* p) { return _mm256_loadu_ps(p); }
__attribute__((target("avx2,fma"))) inline __m256 load8(const bf16* p) {
  const __m256i u = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  return _mm256_castsi256_ps(_mm256_slli_epi32(u, 16));
}
__attribute__((target("avx2,fma"))) inline void store8(float* p, __m256 v) { _mm256_storeu_ps(p, v); }
__attribute__((target("avx2,fma"))) inline void store8(bf16* p, __m256 v) {
  const __m256i u = _mm256_castps_si256(v);
  const __m256i lsb = _mm256_and_si256(_mm256_srli_epi32(u, 16), _mm256_set1_epi32(1));
  __m256i r = _mm256_srli_epi32(_mm256_add_epi32(_mm256_add_epi32(u, _mm256_set1_epi32(0x7FFF)), lsb), 16);
  r = _mm256_blendv_epi8(r, _mm256_set1_epi32(0x7FC0), _mm256_castps_si256(_mm256_cmp_ps(v, v, _CMP_UNORD_Q)));
  const __m256i packed = _mm256_permute4x64_epi64(_mm256_packus_epi32(r, r), 0xD8);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(p), _mm256_castsi256_si128(packed));
}
inline float load1(const float* p) { return *p; }
inline float load1(const bf16* p) { return static_cast<float>(*p); }
inline void store1(float* p, float v) { *p = v; }
inline void store1(bf16* p, float v) { *p = bf16(v); }
// z·a + b in one rounding, as the vector loops' FMA.
__attribute__((target("avx2,fma"))) inline float affine1(float z, float a, float b) {
  return _mm_cvtss_f32(_mm_fmadd_ss(_mm_set_ss(z), _mm_set_ss(a), _mm_set_ss(b)));
}

// Calls f(first row, end row, thread) over the rows of M in parallel; partial sums go to the thread's slot.
template <typename F>
void rows(int64_t M, int64_t C, const F& f) {
  const int64_t grain = std::max<int64_t>(kRows, 16384 / C);
  at::parallel_for(0, M, grain, [&](int64_t b, int64_t e) { f(b, e, at::get_thread_num()); });
}

// A block's float sums added to the double ones, per channel.
inline void flush(const std::vector<float>& bs, const std::vector<float>& bq, double* s, double* q, int64_t C) {
  for (int64_t c = 0; c < C; c++) s[c] += bs[c], q[c] += bq[c];
}

// Sums of d = x - k and of d² over rows [r0, r1).
template <typename T>
__attribute__((target("avx2,fma"))) void moments(const T* x, int64_t r0, int64_t r1, int64_t C, const float* k,
                                                  double* s, double* q) {
  std::vector<float> bs(C), bq(C);
  for (int64_t r = r0; r < r1; r += kRows) {
    std::fill(bs.begin(), bs.end(), 0.f), std::fill(bq.begin(), bq.end(), 0.f);
    for (int64_t i = r; i < std::min(r1, r + kRows); i++) {
      const T* row = x + i * C;
      int64_t c = 0;
      for (; c + 8 <= C; c += 8) {
        const __m256 d = _mm256_sub_ps(load8(row + c), _mm256_loadu_ps(k + c));
        _mm256_storeu_ps(&bs[c], _mm256_add_ps(_mm256_loadu_ps(&bs[c]), d));
        _mm256_storeu_ps(&bq[c], _mm256_fmadd_ps(d, d, _mm256_loadu_ps(&bq[c])));
      }
      for (; c < C; c++) {
        const float d = load1(row + c) - k[c];
        bs[c] += d, bq[c] += d * d;
      }
    }
    flush(bs, bq, s, q, C);
  }
}

// y = max(0, x·a + b) over rows [r0, r1).
template <typename T>
__attribute__((target("avx2,fma"))) void affine_relu(const T* x, float* y, int64_t r0, int64_t r1, int64_t C,
                                                      const float* a, const float* b) {
  const __m256 zero = _mm256_setzero_ps();
  for (int64_t i = r0; i < r1; i++) {
    const T* row = x + i * C;
    float* out = y + i * C;
    int64_t c = 0;
    for (; c + 8 <= C; c += 8) {
      const __m256 v = _mm256_fmadd_ps(load8(row + c), _mm256_loadu_ps(a + c), _mm256_loadu_ps(b + c));
      _mm256_storeu_ps(out + c, _mm256_max_ps(v, zero));
    }
    for (; c < C; c++) out[c] = std::max(0.f, affine1(load1(row + c), a[c], b[c]));
  }
}

// Where y > 0, read from y itself.
struct MaskFromY {
  const float* y;
  __attribute__((target("avx2,fma"))) __m256 eight(int64_t o, int64_t c, __m256) const {
    return _mm256_cmp_ps(_mm256_loadu_ps(y + o + c), _mm256_setzero_ps(), _CMP_GT_OQ);
  }
  bool one(int64_t o, int64_t, float) const { return y[o] > 0; }
};
// Where y > 0, from z and the forward's a and b, computed as affine_relu computed y (so the same mask, NaN
// included: max(0, NaN) is 0 there and NaN > 0 is false here), without reading y.
struct MaskFromZ {
  const float *a, *b;
  __attribute__((target("avx2,fma"))) __m256 eight(int64_t, int64_t c, __m256 z) const {
    const __m256 v = _mm256_fmadd_ps(z, _mm256_loadu_ps(a + c), _mm256_loadu_ps(b + c));
    return _mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_GT_OQ);
  }
  __attribute__((target("avx2,fma"))) bool one(int64_t, int64_t c, float z) const {
    return affine1(z, a[c], b[c]) > 0;
  }
};

// Sums of g = (dy where y > 0) and of g·(z - mean) over rows [r0, r1).
template <typename T, typename Mask>
__attribute__((target("avx2,fma"))) void grad_sums(const float* dy, const Mask& m, const T* z, int64_t r0, int64_t r1,
                                                    int64_t C, const float* mean, double* s, double* q) {
  std::vector<float> bs(C), bq(C);
  for (int64_t r = r0; r < r1; r += kRows) {
    std::fill(bs.begin(), bs.end(), 0.f), std::fill(bq.begin(), bq.end(), 0.f);
    for (int64_t i = r; i < std::min(r1, r + kRows); i++) {
      const int64_t o = i * C;
      int64_t c = 0;
      for (; c + 8 <= C; c += 8) {
        const __m256 zv = load8(z + o + c);
        const __m256 g = _mm256_and_ps(m.eight(o, c, zv), _mm256_loadu_ps(dy + o + c));
        const __m256 d = _mm256_sub_ps(zv, _mm256_loadu_ps(mean + c));
        _mm256_storeu_ps(&bs[c], _mm256_add_ps(_mm256_loadu_ps(&bs[c]), g));
        _mm256_storeu_ps(&bq[c], _mm256_fmadd_ps(g, d, _mm256_loadu_ps(&bq[c])));
      }
      for (; c < C; c++) {
        const float zc = load1(z + o + c), g = m.one(o + c, c, zc) ? dy[o + c] : 0.f;
        bs[c] += g, bq[c] += g * (zc - mean[c]);
      }
    }
    flush(bs, bq, s, q, C);
  }
}

// dx = g·A - z·B + D over rows [r0, r1), g as in grad_sums.
template <typename T, typename Mask>
__attribute__((target("avx2,fma"))) void grad_dx(const float* dy, const Mask& m, const T* z, T* dx, int64_t r0,
                                                  int64_t r1, int64_t C, const float* A, const float* B,
                                                  const float* D) {
  for (int64_t i = r0; i < r1; i++) {
    const int64_t o = i * C;
    int64_t c = 0;
    for (; c + 8 <= C; c += 8) {
      const __m256 zv = load8(z + o + c);
      const __m256 g = _mm256_and_ps(m.eight(o, c, zv), _mm256_loadu_ps(dy + o + c));
      const __m256 t = _mm256_fnmadd_ps(zv, _mm256_loadu_ps(B + c), _mm256_loadu_ps(D + c));
      store8(dx + o + c, _mm256_fmadd_ps(g, _mm256_loadu_ps(A + c), t));
    }
    for (; c < C; c++) {
      const float zc = load1(z + o + c), g = m.one(o + c, c, zc) ? dy[o + c] : 0.f;
      store1(dx + o + c, g * A[c] - zc * B[c] + D[c]);
    }
  }
}

// A block's 2×2 max pool with stride 2 over an NHWC tensor of H×W (both even), run inside the batch norm's passes:
// pooled row p = (n, oh, ow) reads rows i, i + 1, i + W, i + W + 1, i = (n·H + 2·oh)·W + 2·ow, in ATen's scan order.
struct Window {
  int64_t H, W;
  // Pooled row p's window, stepped from one to the next without dividing.
  struct At {
    const Window& w;
    int64_t p, first;
    int64_t ow;
    std::array<int64_t, 4> rows() const { return {first, first + 1, first + w.W, first + w.W + 1}; }
    void next() {
      p++, first += 2;
      if (++ow == w.W / 2) ow = 0, first += w.W;  // the next pair of rows (the next image after the last pair)
    }
  };
  At at(int64_t p) const {
    const int64_t wo = W / 2, per = H / 2 * wo, r = p % per;
    return {*this, p, (p / per * H + 2 * (r / wo)) * W + 2 * (r % wo), r % wo};
  }
};

// Pooled y = max over the window of max(0, x·a + b), over pooled rows [p0, p1).
template <typename T>
__attribute__((target("avx2,fma"))) void affine_relu_pool(const T* x, float* y, int64_t p0, int64_t p1, int64_t C,
                                                           const float* a, const float* b, const Window& w) {
  const __m256 zero = _mm256_setzero_ps();
  for (Window::At win = w.at(p0); win.p < p1; win.next()) {
    const std::array<int64_t, 4> r = win.rows();
    float* out = y + win.p * C;
    int64_t c = 0;
    for (; c + 8 <= C; c += 8) {
      const __m256 av = _mm256_loadu_ps(a + c), bv = _mm256_loadu_ps(b + c);
      __m256 m = zero;
      // ReLU first, as affine_relu (max(NaN, 0) is 0 there), then the window's maximum
      for (int64_t i : r) m = _mm256_max_ps(m, _mm256_max_ps(_mm256_fmadd_ps(load8(x + i * C + c), av, bv), zero));
      _mm256_storeu_ps(out + c, m);
    }
    for (; c < C; c++) {
      float m = 0.f;
      for (int64_t i : r) m = std::max(m, std::max(0.f, affine1(load1(x + i * C + c), a[c], b[c])));
      out[c] = m;
    }
  }
}

// The four rows' z of pooled row p's window (eight channels from c) and the gradient reaching each: dy (the pooled
// row's) at the window's first maximum of y = max(0, z·a + b), where that y > 0 (ATen's max pool takes the first
// maximum in scan order, ReLU's gradient passes where y > 0), else 0.
template <typename T>
__attribute__((target("avx2,fma"))) inline void window_g8(const T* zp, const float* dy, const float* a, const float* b,
                                                          const std::array<int64_t, 4>& rows, int64_t p, int64_t C,
                                                          int64_t c, __m256 (&z)[4], __m256 (&g)[4]) {
  for (int k = 0; k < 4; k++) z[k] = load8(zp + rows[k] * C + c);
  const __m256 zero = _mm256_setzero_ps(), av = _mm256_loadu_ps(a + c), bv = _mm256_loadu_ps(b + c);
  const __m256 dyv = _mm256_loadu_ps(dy + p * C + c);
  __m256 y[4], m = zero;
  for (int k = 0; k < 4; k++) y[k] = _mm256_max_ps(_mm256_fmadd_ps(z[k], av, bv), zero), m = _mm256_max_ps(m, y[k]);
  const __m256 pass = _mm256_and_ps(_mm256_cmp_ps(m, zero, _CMP_GT_OQ), dyv);
  __m256 taken = zero;
  for (int k = 0; k < 4; k++) {
    const __m256 at = _mm256_andnot_ps(taken, _mm256_cmp_ps(y[k], m, _CMP_EQ_OQ));
    g[k] = _mm256_and_ps(at, pass), taken = _mm256_or_ps(taken, at);
  }
}
// The same for channel c alone.
template <typename T>
__attribute__((target("avx2,fma"))) inline void window_g1(const T* zp, const float* dy, const float* a, const float* b,
                                                          const std::array<int64_t, 4>& rows, int64_t p, int64_t C,
                                                          int64_t c, float (&z)[4], float (&g)[4]) {
  for (int k = 0; k < 4; k++) z[k] = load1(zp + rows[k] * C + c);
  float y[4], m = 0.f;
  for (int k = 0; k < 4; k++) y[k] = std::max(0.f, affine1(z[k], a[c], b[c])), m = std::max(m, y[k]);
  bool taken = false;
  for (int k = 0; k < 4; k++) {
    const bool at = !taken && y[k] == m;
    g[k] = at && m > 0 ? dy[p * C + c] : 0.f, taken = taken || at;
  }
}

// Over the windows of pooled rows [p0, p1): vec(rows, c, z, g) for each group of eight channels from c, one(rows, c,
// z, g) for each channel left, with the four rows' z and the gradient g reaching each (window_g8, window_g1).
template <typename T, typename Vec, typename One>
__attribute__((target("avx2,fma"))) inline void each_window(const T* z, const float* dy, const float* a, const float* b,
                                                            const Window& w, int64_t p0, int64_t p1, int64_t C,
                                                            const Vec& vec, const One& one) {
  for (Window::At win = w.at(p0); win.p < p1; win.next()) {
    const std::array<int64_t, 4> rows = win.rows();
    int64_t c = 0;
    for (; c + 8 <= C; c += 8) {
      __m256 zv[4], g[4];
      window_g8(z, dy, a, b, rows, win.p, C, c, zv, g);
      vec(rows, c, zv, g);
    }
    for (; c < C; c++) {
      float zc[4], g[4];
      window_g1(z, dy, a, b, rows, win.p, C, c, zc, g);
      one(rows, c, zc, g);
    }
  }
}

// grad_sums for a pooled block: dy pooled, over the windows of pooled rows [p0, p1) (kRows / 4 a float block).
template <typename T>
__attribute__((target("avx2,fma"))) void grad_sums_pool(const float* dy, const T* z, int64_t p0, int64_t p1, int64_t C,
                                                         const float* mean, const float* a, const float* b,
                                                         const Window& w, double* s, double* q) {
  std::vector<float> bs(C), bq(C);
  using Rows = std::array<int64_t, 4>;
  for (int64_t r = p0; r < p1; r += kRows / 4) {
    std::fill(bs.begin(), bs.end(), 0.f), std::fill(bq.begin(), bq.end(), 0.f);
    each_window(
        z, dy, a, b, w, r, std::min(p1, r + kRows / 4), C,
        [&](const Rows&, int64_t c, const __m256(&zv)[4], const __m256(&g)[4]) __attribute__((target("avx2,fma"))) {
          __m256 sv = _mm256_loadu_ps(&bs[c]), qv = _mm256_loadu_ps(&bq[c]);
          const __m256 mv = _mm256_loadu_ps(mean + c);
          for (int k = 0; k < 4; k++) {
            sv = _mm256_add_ps(sv, g[k]), qv = _mm256_fmadd_ps(g[k], _mm256_sub_ps(zv[k], mv), qv);
          }
          _mm256_storeu_ps(&bs[c], sv), _mm256_storeu_ps(&bq[c], qv);
        },
        [&](const Rows&, int64_t c, const float(&zc)[4], const float(&g)[4]) {
          for (int k = 0; k < 4; k++) bs[c] += g[k], bq[c] += g[k] * (zc[k] - mean[c]);
        });
    flush(bs, bq, s, q, C);
  }
}

// grad_dx for a pooled block: dx = g·A - z·B + D over the windows of pooled rows [p0, p1).
template <typename T>
__attribute__((target("avx2,fma"))) void grad_dx_pool(const float* dy, const T* z, T* dx, int64_t p0, int64_t p1,
                                                       int64_t C, const float* a, const float* b, const float* A,
                                                       const float* B, const float* D, const Window& w) {
  using Rows = std::array<int64_t, 4>;
  each_window(
      z, dy, a, b, w, p0, p1, C,
      [&](const Rows& rows, int64_t c, const __m256(&zv)[4], const __m256(&g)[4]) __attribute__((target("avx2,fma"))) {
        const __m256 Av = _mm256_loadu_ps(A + c), Bv = _mm256_loadu_ps(B + c), Dv = _mm256_loadu_ps(D + c);
        for (int k = 0; k < 4; k++) {
          store8(dx + rows[k] * C + c, _mm256_fmadd_ps(g[k], Av, _mm256_fnmadd_ps(zv[k], Bv, Dv)));
        }
      },
      [&](const Rows& rows, int64_t c, const float(&zc)[4], const float(&g)[4]) {
        for (int k = 0; k < 4; k++) store1(dx + rows[k] * C + c, g[k] * A[c] - zc[k] * B[c] + D[c]);
      });
}

// y = max(0, x·a + b) over all of x (T: x's dtype), as a new fp32 tensor; ab [2, C]: a, then b. With pool, then the
// 2×2 max pool with stride 2 (x NHWC, H and W even) in the same pass: y pooled.
template <typename T>
at::Tensor affine_relu_of(const at::Tensor& x, const at::Tensor& ab, bool pool = false) {
  const int64_t C = x.size(-1);
  const Window w = pool ? Window{x.size(1), x.size(2)} : Window{0, 0};
  at::Tensor y = at::empty(pool ? at::IntArrayRef({x.size(0), w.H / 2, w.W / 2, C}) : x.sizes(),
                           x.options().dtype(at::kFloat));
  const T* xp = x.data_ptr<T>();
  float* yp = y.data_ptr<float>();
  const float *a = ab.data_ptr<float>(), *b = a + C;
  rows(y.numel() / C, C, [&](int64_t r0, int64_t r1, int) {
    pool ? affine_relu_pool(xp, yp, r0, r1, C, a, b, w) : affine_relu(xp, yp, r0, r1, C, a, b);
  });
  return y;
}

// Per-thread double sums over the rows of M, added in thread order: two arrays of C.
template <typename F>
std::pair<std::vector<double>, std::vector<double>> sums(int64_t M, int64_t C, const F& f) {
  const int n = at::get_num_threads();
  std::vector<double> s(static_cast<size_t>(n) * C), q(static_cast<size_t>(n) * C);
  rows(M, C, [&](int64_t b, int64_t e, int t) { f(b, e, s.data() + t * C, q.data() + t * C); });
  for (int t = 1; t < n; t++)
    for (int64_t c = 0; c < C; c++) s[c] += s[t * C + c], q[c] += q[t * C + c];
  s.resize(C), q.resize(C);
  return {s, q};
}

const float* floats(const at::Tensor& t) { return t.data_ptr<float>(); }

template <typename T>
BatchStats train_as(const at::Tensor& x, const at::Tensor& scale, const at::Tensor& offset, double eps, bool pool) {
  const int64_t C = x.size(-1), M = x.numel() / C;
  const T* xp = x.data_ptr<T>();
  std::vector<float> k(C);
  for (int64_t c = 0; c < C; c++) k[c] = load1(xp + c);
  auto [s, q] = sums(M, C, [&](int64_t b, int64_t e, double* s, double* q) { moments(xp, b, e, C, k.data(), s, q); });
  const at::TensorOptions f32 = x.options().dtype(at::kFloat);
  at::Tensor mean = at::empty({C}, f32), var = at::empty_like(mean), invstd = at::empty_like(mean);
  float *mo = mean.data_ptr<float>(), *vo = var.data_ptr<float>(), *io = invstd.data_ptr<float>();
  at::Tensor ab = at::empty({2, C}, f32);
  float *a = ab.data_ptr<float>(), *b = a + C;
  for (int64_t c = 0; c < C; c++) {
    const double m = s[c] / M, v = std::max(0.0, q[c] / M - m * m), is = 1 / std::sqrt(v + eps);
    mo[c] = static_cast<float>(k[c] + m), vo[c] = static_cast<float>(v), io[c] = static_cast<float>(is);
    a[c] = static_cast<float>(floats(scale)[c] * is);
    b[c] = static_cast<float>(floats(offset)[c] - (k[c] + m) * floats(scale)[c] * is);
  }
  return {affine_relu_of<T>(x, ab, pool), mean, var, invstd, ab};
}

// An inference batch norm with ReLU from the moving statistics: y = max(0, x·a + b), fp32, in one pass.
at::Tensor infer(const at::Tensor& x_, const at::Tensor& scale, const at::Tensor& offset, const at::Tensor& mean,
                 const at::Tensor& var, double eps) {
  const at::Tensor x = x_.contiguous(), sc = scale.contiguous(), off = offset.contiguous();
  const at::Tensor m = mean.contiguous(), v = var.contiguous();
  const int64_t C = x.size(-1);
  at::Tensor ab = at::empty({2, C}, m.options().dtype(at::kFloat));
  float *a = ab.data_ptr<float>(), *b = a + C;
  for (int64_t c = 0; c < C; c++) {
    const double is = 1 / std::sqrt(static_cast<double>(floats(v)[c]) + eps), ac = floats(sc)[c] * is;
    a[c] = static_cast<float>(ac), b[c] = static_cast<float>(floats(off)[c] - floats(m)[c] * ac);
  }
  return x.scalar_type() == at::kBFloat16 ? affine_relu_of<bf16>(x, ab) : affine_relu_of<float>(x, ab);
}

// The training batch norm with ReLU, as bn_train(x, scale, offset, eps, true); y is fp32, max pooled 2×2 with stride
// 2 when pool (x NHWC, H and W even: pools() says).
BatchStats train(const at::Tensor& x_, const at::Tensor& scale, const at::Tensor& offset, double eps, bool pool) {
  const at::Tensor x = x_.contiguous(), sc = scale.contiguous(), off = offset.contiguous();
  if (x.scalar_type() == at::kBFloat16) return train_as<bf16>(x, sc, off, eps, pool);
  return train_as<float>(x, sc, off, eps, pool);
}

// The gradient's two passes over `units` (z's rows, or a pooled block's windows): sums_pass(first, end, s, q), then
// dx_pass(first, end, A, B, D, dx) with dx = g·A - z·B + D → dz (in z's dtype), dscale, doffset.
template <typename T, typename SumsPass, typename DxPass>
Outs grad_passes(const at::Tensor& z, const at::Tensor& scale, const at::Tensor& mean, const at::Tensor& invstd,
                 int64_t units, const SumsPass& sums_pass, const DxPass& dx_pass) {
  const int64_t C = z.size(-1), M = z.numel() / C;
  const float* mp = floats(mean);
  auto [s, q] = sums(units, C, sums_pass);
  at::Tensor dscale = at::empty({C}, mean.options()), doffset = at::empty_like(dscale);
  float *gs = dscale.data_ptr<float>(), *go = doffset.data_ptr<float>();
  std::vector<float> A(C), B(C), D(C);
  for (int64_t c = 0; c < C; c++) {
    const double is = floats(invstd)[c], a = floats(scale)[c] * is, b = a * is * (q[c] * is) / M;
    gs[c] = static_cast<float>(q[c] * is), go[c] = static_cast<float>(s[c]);
    A[c] = static_cast<float>(a), B[c] = static_cast<float>(b);
    D[c] = static_cast<float>(mp[c] * b - a * s[c] / M);
  }
  at::Tensor dx = at::empty_like(z);
  T* dxp = dx.data_ptr<T>();
  rows(units, C, [&](int64_t r0, int64_t r1, int) { dx_pass(r0, r1, A.data(), B.data(), D.data(), dxp); });
  return {dx, dscale, doffset};
}

template <typename T, typename Mask>
Outs grad_as(const at::Tensor& dy, const at::Tensor& z, const at::Tensor& scale, const at::Tensor& mean,
             const at::Tensor& invstd, const Mask& mask) {
  const int64_t C = z.size(-1);
  const float *dyp = floats(dy), *mp = floats(mean);
  const T* zp = z.data_ptr<T>();
  return grad_passes<T>(
      z, scale, mean, invstd, z.numel() / C,
      [&](int64_t b, int64_t e, double* s, double* q) { grad_sums(dyp, mask, zp, b, e, C, mp, s, q); },
      [&](int64_t b, int64_t e, const float* A, const float* B, const float* D, T* dx) {
        grad_dx(dyp, mask, zp, dx, b, e, C, A, B, D);
      });
}

// A pooled block's: dy pooled 2×2 with stride 2, y > 0 and the windows' maxima from z and the forward's ab.
template <typename T>
Outs grad_pool_as(const at::Tensor& dy, const at::Tensor& z, const at::Tensor& scale, const at::Tensor& mean,
                  const at::Tensor& invstd, const float* a) {
  const int64_t C = z.size(3);
  const Window w{z.size(1), z.size(2)};
  const float *dyp = floats(dy), *mp = floats(mean), *b = a + C;
  const T* zp = z.data_ptr<T>();
  return grad_passes<T>(
      z, scale, mean, invstd, dy.numel() / C,
      [&](int64_t p0, int64_t p1, double* s, double* q) { grad_sums_pool(dyp, zp, p0, p1, C, mp, a, b, w, s, q); },
      [&](int64_t p0, int64_t p1, const float* A, const float* B, const float* D, T* dx) {
        grad_dx_pool(dyp, zp, dx, p0, p1, C, a, b, A, B, D, w);
      });
}

// Its gradient, as bn_train_grad(dy, z, scale, mean, invstd, &y, ab, eps): dz (in z's dtype), dscale, doffset.
// Where y > 0 comes from z and the forward's ab when given (one stream fewer each pass), else from y. A dy of half
// z's height is a pooled block's (train's pool; ab given).
Outs grad(const at::Tensor& dy, const at::Tensor& z_, const at::Tensor& scale, const at::Tensor& mean,
          const at::Tensor& invstd, const at::Tensor& y, const at::Tensor* ab) {
  const at::Tensor d = dy.contiguous(), z = z_.contiguous(), sc = scale.contiguous();
  const at::Tensor m = mean.contiguous(), is = invstd.contiguous();
  const auto with = [&](const auto& mask) {
    if (z.scalar_type() == at::kBFloat16) return grad_as<bf16>(d, z, sc, m, is, mask);
    return grad_as<float>(d, z, sc, m, is, mask);
  };
  if (d.numel() != z.numel()) {
    if (!ab || z.dim() != 4 || d.sizes() != at::IntArrayRef({z.size(0), z.size(1) / 2, z.size(2) / 2, z.size(3)})) {
      throw std::runtime_error("bnr::grad: dy is neither z's shape nor its 2×2 pooled one with the forward's ab");
    }
    const at::Tensor abc = ab->contiguous();
    if (z.scalar_type() == at::kBFloat16) return grad_pool_as<bf16>(d, z, sc, m, is, floats(abc));
    return grad_pool_as<float>(d, z, sc, m, is, floats(abc));
  }
  if (ab) {
    const at::Tensor abc = ab->contiguous();
    return with(MaskFromZ{floats(abc), floats(abc) + z.size(-1)});
  }
  const at::Tensor yc = y.contiguous();
  return with(MaskFromY{floats(yc)});
}

}  // namespace bnr
#endif

// Whether bnr's kernels run on x (fp32 or bf16 on a CPU with AVX2 and FMA).
bool two_pass([[maybe_unused]] const at::Tensor& x) {
#if FER_AVX2
  return bnr::usable(x);
#else
  return false;
#endif
}

// Whether a block's 2×2 max pool with stride 2 can run inside its batch norm's passes: bnr's kernels on z, NHWC with
// H and W even.
bool pools(const at::Tensor& z) { return two_pass(z) && z.dim() == 4 && z.size(1) % 2 == 0 && z.size(2) % 2 == 0; }

// The training batch norm (then ReLU when relu, then when pool the 2×2 max pool: pools() must hold): bnr's where it
// applies, else ATen's.
BatchStats bn_train(const at::Tensor& x, const at::Tensor& scale, const at::Tensor& offset, double eps, bool relu,
                    bool pool = false) {
#if FER_AVX2
  if (relu && two_pass(x)) return bnr::train(x, scale, offset, eps, pool);
#endif
  if (pool) throw std::runtime_error("bn_train: a pooled batch norm needs bnr's kernels (pools())");
  auto [y, mean, invstd] = at::native_batch_norm(channels_first(x), scale, offset, c10::nullopt, c10::nullopt, true,
                                                 0.0, eps);
  if (relu) y.relu_();
  at::Tensor var = invstd.to(at::kDouble).pow(-2).sub(eps).to(at::kFloat);
  return {channels_last_back(y), mean, var, invstd};
}

// Whether t may be updated in place: dense (contiguous, or a permutation of it, as conv_kernel stores kernels), and
// no other tensor (a view, another slot) shares its storage.
bool exclusive(const at::Tensor& t) { return t.storage().use_count() == 1 && t.is_non_overlapping_and_dense(); }

// A moving statistic m after a batch's b: m - (m - b)·decay, tfjs-layers' update op for op.
at::Tensor moving(const at::Tensor& m, const at::Tensor& b, double decay) { return m.sub(m.sub(b).mul(decay)); }
// The same update of an exclusive m where it is (the same ops, so the same rounding).
void move_in_place(at::Tensor& m, const at::Tensor& b, double decay) { m.sub_(m.sub(b).mul_(decay)); }

// The training-mode batch norm's gradient: dx (channel axis last), dscale, doffset; given the ReLU's output y, dy
// first goes through ReLU's gradient. ab: bnr's forward coefficients (BatchStats), or null.
Outs bn_train_grad(const at::Tensor& dy, const at::Tensor& x, const at::Tensor& scale, const at::Tensor& mean,
                   const at::Tensor& invstd, const at::Tensor* y, const at::Tensor* ab, double eps) {
#if FER_AVX2
  if (y && two_pass(x) && dy.scalar_type() == at::kFloat) return bnr::grad(dy, x, scale, mean, invstd, *y, ab);
#endif
  const at::Tensor d = y ? at::threshold_backward(dy, *y, 0) : dy;
  auto [dx, dscale, doffset] = at::native_batch_norm_backward(channels_first(d), channels_first(x), scale, c10::nullopt,
                                                              c10::nullopt, mean, invstd, true, eps, {true, true, true});
  return {channels_last_back(dx), dscale, doffset};
}

// The inference batch norm of x (channel axis last) from moving statistics; offset and scale may be undefined.
at::Tensor bn_infer(const at::Tensor& x, const at::Tensor& mean, const at::Tensor& var, const at::Tensor& offset,
                    const at::Tensor& scale, double eps) {
  c10::optional<at::Tensor> off, sc;
  if (offset.defined()) off = offset.reshape({-1});
  if (scale.defined()) sc = scale.reshape({-1});
  return channels_last_back(at::batch_norm(channels_first(x), sc, off, mean.reshape({-1}), var.reshape({-1}), false,
                                           0.0, eps, true));
}

void def_norm() {
  // bn_infer: x, mean, variance, [offset], [scale] (per channel, last axis); args eps.
  def("bn_infer", [](Call& c) -> Outs {
    return {bn_infer(c.x(0), c.x(1), c.x(2), c.has(3) ? c.x(3) : at::Tensor(), c.has(4) ? c.x(4) : at::Tensor(),
                     c.f(0))};
  });
  // bn_train: x, scale, offset, [moving mean, moving variance]; args eps, relu, [decay] → y, batch mean, batch
  // (biased) variance, 1/sqrt(var + eps), [the new moving mean and variance]. With relu 1, y goes through ReLU in
  // place (a BatchNormalization whose one reader is a ReLU layer). Given the moving statistics, each becomes
  // m - (m - b)·decay: tfjs-layers' update, op for op.
  def("bn_train", [](Call& c) -> Outs {
    const BatchStats s = bn_train(c.x(0), c.x(1), c.x(2), c.f(0), c.b(1));
    if (!c.has(3)) return {s.y, s.mean, s.var, s.invstd};
    const double decay = c.f(2);
    return {s.y, s.mean, s.var, s.invstd, moving(c.x(3), s.mean, decay), moving(c.x(4), s.var, decay)};
  });
  // bn_train_bwd: dy, x, scale, mean, invstd, [y after ReLU]; args eps → dx, dscale, doffset. Given y, dy first
  // goes through ReLU's gradient (dy where y > 0), as the separate ReLU layer's would.
  def("bn_train_bwd", [](Call& c) -> Outs {
    return bn_train_grad(c.x(0), c.x(1), c.x(2), c.x(3), c.x(4), c.has(5) ? &c.x(5) : nullptr, nullptr, c.f(0));
  });
}

// ---- conv → batch norm → ReLU blocks (lib/backend/torch/kernels/block.ts) ----------------------------------
// A convolution without bias whose one reader is a training batch norm whose one reader is a ReLU, in one call each
// way: the calls of conv2d, bn_train (relu) and their gradients.
void def_block() {
  // block_train: x NHWC, w HWIO, scale, offset, moving mean, moving variance; args geo(8), eps, decay, [pool] → y,
  // then (kept beside y) the convolution's output z, the batch mean and invstd, bnr's ab (no values where ATen's
  // batch norm ran), and in bf16 mode x in bf16. The moving statistics (exclusive, as the caller makes them) are
  // updated where they are. z stays in the convolution's dtype where bnr reads it (bf16 mode: no conversion passes).
  // With pool 1, y is max pooled 2×2 with stride 2 in the same pass where pools(z) (half z's height), else not: the
  // caller tells by y's shape.
  def("block_train", [](Call& c) -> Outs {
    at::Tensor &moving_mean = c.in.at(4), &moving_var = c.in.at(5);
    if (!exclusive(moving_mean) || !exclusive(moving_var)) {
      throw std::runtime_error("the moving statistics share their data with another tensor (updated in place)");
    }
    const at::Tensor xl = lowp(c.x(0));
    at::Tensor z = conv_lowp(Geo(c, 0), xl, conv_kernel(c, 1), c10::nullopt);
    if (!two_pass(z)) z = fp32(z);
    const double eps = c.f(8), decay = c.f(9);
    const BatchStats s = bn_train(z, c.x(2), c.x(3), eps, true, c.na > 10 && c.b(10) && pools(z));
    move_in_place(moving_mean, s.mean, decay);
    move_in_place(moving_var, s.var, decay);
    Outs o = {s.y, z, s.mean, s.invstd, s.ab.defined() ? s.ab : at::empty({0}, s.mean.options())};
    if (xl.scalar_type() != c.x(0).scalar_type()) o.push_back(xl);
    return o;
  });
  // block_infer: x NHWC, w HWIO, scale, offset, moving mean, moving variance; args geo(8), eps → y: the convolution,
  // the inference batch norm and ReLU (bnr's one pass where it applies, reading the convolution's output as it is).
  def("block_infer", [](Call& c) -> Outs {
    const at::Tensor z = conv_lowp(Geo(c, 0), c.x(0), conv_kernel(c, 1), c10::nullopt);
    const at::Tensor &scale = c.x(2), &offset = c.x(3), &mean = c.x(4), &var = c.x(5);
#if FER_AVX2
    if (two_pass(z)) return {bnr::infer(z, scale, offset, mean, var, c.f(8))};
#endif
    return {bn_infer(fp32(z), mean, var, offset, scale, c.f(8)).relu_()};
  });
  // block_train_bwd: dy, x, w, scale, y, then z, mean, invstd, ab[, x in bf16] (kept beside y); args geo(8), eps,
  // input gradient (0/1) → dx (or, without it, the convolution's output gradient dz, fp32), dw, dscale, doffset.
  // dy and y are pooled where block_train pooled.
  def("block_train_bwd", [](Call& c) -> Outs {
    const Geo g(c, 0);
    const at::Tensor &x = c.x(1), &w = conv_kernel(c, 2), &ab = c.x(8);
    Outs bn = bn_train_grad(c.x(0), c.x(5), c.x(3), c.x(6), c.x(7), &c.x(4), ab.numel() ? &ab : nullptr, c.f(8));
    const at::Tensor& dz = bn[0];
    at::Tensor dw = conv_filter_grad(g, c.has(9) ? c.x(9) : x, dz, w.size(0), w.size(1), w.size(2), w.size(3));
    at::Tensor first = c.b(9) ? conv_input_grad(g, dz, w, x.size(0), x.size(1), x.size(2), x.size(3)) : fp32(dz);
    return {first, dw, bn[1], bn[2]};
  });
}

// ---- the training loss (lib/backend/torch/kernels/loss.ts) --------------------------------------------------
// lib/engine/loss.ts' class-weighted cross-entropy of softmax outputs in one call each way (tfjs: ~10 ops forward,
// ~15 back, each a dispatch through its engine).

// Its parts: the targets (labels, smoothed by s), the clipped predictions and each row's class weight.
struct CeParts {
  at::Tensor targets, clipped, w;
};
CeParts ce_parts(const at::Tensor& pred, const at::Tensor& labels, const at::Tensor& weights, double s) {
  const double k = static_cast<double>(labels.size(1));
  return {s > 0 ? labels.mul(1 - s).add(s / k) : labels, pred.clamp(1e-7, 1 - 1e-7), labels.mul(weights).sum(1)};
}

void def_loss() {
  // wce: pred [n, k], one-hot labels [n, k], class weights [k]; args smoothing → Σ_i w_i·(−Σ_j t_ij·log clip(p_ij))/n.
  def("wce", [](Call& c) -> Outs {
    const at::Tensor& p = c.x(0);
    const CeParts e = ce_parts(p, c.x(1), c.x(2), c.f(0));
    return {e.targets.mul(e.clipped.log()).sum(1).neg().mul(e.w).sum().div(static_cast<double>(p.size(0)))};
  });
  // wce_bwd: dy (scalar), pred, labels, class weights; args smoothing → dpred = −dy·w_i·t_ij/(n·clip(p_ij)) where
  // p_ij lies in [1e-7, 1 − 1e-7] (where clipping passes the gradient), else 0.
  def("wce_bwd", [](Call& c) -> Outs {
    const at::Tensor& p = c.x(1);
    const CeParts e = ce_parts(p, c.x(2), c.x(3), c.f(0));
    const at::Tensor inside = p.ge(1e-7).logical_and(p.le(1 - 1e-7));
    const at::Tensor scale = c.x(0).neg().div(static_cast<double>(p.size(0)));
    return {e.targets.div(e.clipped).mul(e.w.unsqueeze(1)).mul(scale).mul(inside)};
  });
}

// ---- optimiser updates ------------------------------------------------------------------------------------------
// In place on the slots' own storage (the caller guarantees that no other tfjs tensor shares the slot); a tensor
// whose storage a view shares gets a fresh one instead (exclusive).

// Weight decay folded into an update: the optimisers' optional trailing args hold one factor per variable (group),
// and a variable's gradient gains factor·value first (as add_scaled would have made it: the product, then the sum).
double decay(const Call& c, int first, int group) { return c.na > first ? c.f(first + group) : 0.0; }
at::Tensor decayed(const at::Tensor& g, const at::Tensor& value, double wd) {
  return wd != 0 ? g.add(value.mul(wd)) : g;
}

#if FER_AVX2
struct MomentumArgs {
  double lr, mom, wd;
  bool nesterov;
};

// The momentum update of floats [b, e) in one pass, each value rounded as the ATen ops of "momentum" round it:
// g = grad + wd·w; a = a·m + g; w = w − lr·(nesterov ? g + a·m : a).
__attribute__((target("avx2,fma"))) void momentum_rows(float* w, const float* grad, float* a, int64_t b, int64_t e,
                                                       const MomentumArgs& o) {
  const float m = static_cast<float>(o.mom), wd = static_cast<float>(o.wd), nlr = static_cast<float>(-o.lr);
  const __m256 vm = _mm256_set1_ps(m), vwd = _mm256_set1_ps(wd), vnlr = _mm256_set1_ps(nlr);
  int64_t i = b;
  for (; i + 8 <= e; i += 8) {
    const __m256 wi = _mm256_loadu_ps(w + i);
    const __m256 g = _mm256_add_ps(_mm256_loadu_ps(grad + i), _mm256_mul_ps(wi, vwd));
    const __m256 ai = _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(a + i), vm), g);
    const __m256 step = o.nesterov ? _mm256_add_ps(g, _mm256_mul_ps(ai, vm)) : ai;
    _mm256_storeu_ps(a + i, ai);
    _mm256_storeu_ps(w + i, _mm256_fmadd_ps(step, vnlr, wi));
  }
  for (; i < e; i++) {
    const float g = grad[i] + w[i] * wd, ai = a[i] * m + g, step = o.nesterov ? g + ai * m : ai;
    a[i] = ai, w[i] = std::fma(step, nlr, w[i]);
  }
}

// The update in place in one pass over the memory of value, grad and accumulation, where all three are CPU floats
// laid out alike (dense, the same strides: a kernel's accumulation is brought to its order here, once), value and
// accumulation exclusive, on a CPU with AVX2 and FMA; false (nothing written) otherwise.
bool momentum_pass(at::Tensor& value, const at::Tensor& grad, at::Tensor& acc, const MomentumArgs& o) {
  static const bool cpu = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  const auto fits = [&](const at::Tensor& t) {
    return t.device().is_cpu() && t.scalar_type() == at::kFloat && t.sizes() == value.sizes();
  };
  if (!cpu || !fits(value) || !fits(grad) || !fits(acc) || !exclusive(value) || !exclusive(acc)) return false;
  if (grad.strides() != value.strides()) return false;
  if (acc.strides() != value.strides()) {
    acc = at::empty_strided(value.sizes(), value.strides(), acc.options()).copy_(acc);
  }
  float *w = value.data_ptr<float>(), *a = acc.data_ptr<float>();
  const float* g = grad.data_ptr<float>();
  at::parallel_for(0, value.numel(), 16384, [&](int64_t b, int64_t e) { momentum_rows(w, g, a, b, e, o); });
  return true;
}
#endif

void def_optim() {
  // adam: (value, grad, m, v) per variable; args beta1, beta2, 1-beta1^t, 1-beta2^t, lr, eps, [decay per variable]
  // (tfjs's formula).
  def("adam", [](Call& c) -> Outs {
    const double b1 = c.f(0), b2 = c.f(1), c1 = c.f(2), c2 = c.f(3), lr = c.f(4), eps = c.f(5);
    each_group(c, 4, [&](int k) {
      at::Tensor &value = c.in.at(k), &m = c.in.at(k + 2), &v = c.in.at(k + 3);
      const at::Tensor g = decayed(c.x(k + 1), value, decay(c, 6, k / 4));
      if (exclusive(m)) m.mul_(b1).add_(g, 1 - b1);
      else m = m.mul(b1).add(g.mul(1 - b1));
      if (exclusive(v)) v.mul_(b2).addcmul_(g, g, 1 - b2);
      else v = v.mul(b2).add(g.mul(g).mul(1 - b2));
      at::Tensor denom = v.div(c2).sqrt_().add_(eps);
      if (exclusive(value)) value.addcdiv_(m, denom, -lr / c1);
      else value = value.sub(m.div(c1).div_(denom).mul_(lr));
    });
    return {};
  });
  // sgd: (value, grad) per variable; args lr, [decay per variable].
  def("sgd", [](Call& c) -> Outs {
    each_group(c, 2, [&](int k) {
      at::Tensor& value = c.in.at(k);
      const at::Tensor g = decayed(c.x(k + 1), value, decay(c, 1, k / 2));
      if (exclusive(value)) value.add_(g, -c.f(0));
      else value = value.sub(g.mul(c.f(0)));
    });
    return {};
  });
  // momentum: (value, grad, accumulation) per variable; args lr, momentum, nesterov, [decay per variable] (tfjs's
  // MomentumOptimizer). In one pass per variable where it can (momentum_pass), else in ATen's ops.
  def("momentum", [](Call& c) -> Outs {
    const double lr = c.f(0), mom = c.f(1);
    const bool nesterov = c.b(2);
    each_group(c, 3, [&](int k) {
      at::Tensor &value = c.in.at(k), &acc = c.in.at(k + 2);
      const double wd = decay(c, 3, k / 3);
#if FER_AVX2
      if (momentum_pass(value, c.x(k + 1), acc, {lr, mom, wd, nesterov})) return;
#endif
      const at::Tensor g = decayed(c.x(k + 1), value, wd);
      if (exclusive(acc)) acc.mul_(mom).add_(g);
      else acc = acc.mul(mom).add(g);
      at::Tensor step = nesterov ? g.add(acc.mul(mom)) : acc;
      if (exclusive(value)) value.add_(step, -lr);
      else value = value.sub(step.mul(lr));
    });
    return {};
  });
}

std::once_flag g_ops_once;

void init_ops_once() {
  def_conv();
  def_pool();
  def_matmul();
  def_elementwise();
  def_reduce();
  def_layout();
  def_norm();
  def_block();
  def_loss();
  def_optim();
}

void init_ops() { std::call_once(g_ops_once, init_ops_once); }

// A message as the body of a JSON string: quotes, backslashes and control characters escaped.
std::string json_escaped(const std::string& m) {
  std::string o;
  for (const char ch : m) {
    if (ch == '"' || ch == '\\') o += '\\', o += ch;
    else if (static_cast<unsigned char>(ch) < 0x20) o += ' ';
    else o += ch;
  }
  return o;
}

void sync_device() {
  if (g_device.is_cuda()) torch::cuda::synchronize(g_device.index());
}

// ---- CPU memory (lib/backend/torch/memory.ts) --------------------------------------------------
// Freed CPU tensor blocks are kept for reuse. A training step allocates the same sizes every step, and glibc gives
// such blocks back to the kernel (large ones are mapped and unmapped; 64-byte aligned ones leave pieces it cannot
// reuse), so each step faults its activations' pages in again, each fault zeroing a page. Blocks of at least
// kMinCached bytes are rounded up to 4 KiB and, when freed, kept by size until `limit` bytes are kept; smaller
// ones are freed at once. Every block carries its size in a 64-byte header before its data, and its data pointer
// is its context, as raw_allocate (oneDNN's scratch buffers) requires.
class CachingCpuAllocator final : public at::Allocator {
 public:
  static constexpr size_t kMinCached = 64 << 10;
  static constexpr size_t kHeader = 64;

  explicit CachingCpuAllocator(size_t limit) : limit_(limit) {}

  at::DeleterFnPtr raw_deleter() const override { return &release; }

// torch 2.3 made allocate non-const and added copy_data.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 3)
  at::DataPtr allocate(size_t n) override { return take(n); }
  void copy_data(void* dest, const void* src, std::size_t count) const override {
    default_copy_data(dest, src, count);
  }
#else
  at::DataPtr allocate(size_t n) const override { return const_cast<CachingCpuAllocator*>(this)->take(n); }
#endif

  // Bytes held in freed blocks now.
  size_t kept() {
    std::lock_guard<std::mutex> lock(mu_);
    return kept_;
  }

 private:
  at::DataPtr take(size_t n) {
    const size_t size = n < kMinCached ? n : (n + 4095) & ~static_cast<size_t>(4095);
    void* block = nullptr;
    if (size >= kMinCached) {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = free_.find(size);
      if (it != free_.end() && !it->second.empty()) {
        block = it->second.back();
        it->second.pop_back();
        kept_ -= size;
      }
    }
    if (!block && posix_memalign(&block, kHeader, size + kHeader) != 0) throw std::bad_alloc();
    *static_cast<size_t*>(block) = size;
    void* data = static_cast<char*>(block) + kHeader;
    return {data, data, &release, at::Device(at::kCPU)};
  }

  static void release(void* data);

  const size_t limit_;
  std::mutex mu_;
  std::unordered_map<size_t, std::vector<void*>> free_;
  size_t kept_ = 0;

  void give_back(void* data) {
    void* block = static_cast<char*>(data) - kHeader;
    const size_t size = *static_cast<size_t*>(block);
    if (size >= kMinCached) {
      std::lock_guard<std::mutex> lock(mu_);
      if (kept_ + size <= limit_) {
        free_[size].push_back(block);
        kept_ += size;
        return;
      }
    }
    free(block);
  }
};

CachingCpuAllocator* g_cpu_cache = nullptr;

void CachingCpuAllocator::release(void* data) { g_cpu_cache->give_back(data); }

}  // namespace

extern "C" {

const char* fer_torch_last_error() { return g_err.c_str(); }

// A one-line JSON description of this libtorch: version, CUDA devices, device and precision in use. Every number is
// cast to the type it means before it is streamed: torch 2.x's device_count() is a c10::DeviceIndex (int8_t), which
// an ostream writes as a character (0 as a NUL byte, which ends the string).
const char* fer_torch_info() {
  try {
    std::ostringstream s;
    s << "{\"torch\":\"" << TORCH_VERSION << "\",\"cuda_devices\":" << static_cast<int>(torch::cuda::device_count())
      << ",\"cudnn\":" << (torch::cuda::cudnn_is_available() ? "true" : "false") << ",\"device\":\"" << g_device.str()
      << "\",\"threads\":" << static_cast<int>(at::get_num_threads()) << ",\"bf16\":" << (g_bf16 ? "true" : "false")
      << ",\"tf32\":" << (at::globalContext().allowTF32CuDNN() ? "true" : "false") << ",\"sync\":"
      << (g_sync ? "true" : "false") << "}";
    g_info = s.str();
  } catch (const std::exception& e) {
    g_info = std::string("{\"error\":\"") + json_escaped(e.what()) + "\"}";
  }
  return g_info.c_str();
}

// Keeps freed CPU tensor blocks for reuse, up to `limit` bytes (the first call installs the allocator; later ones
// keep it). Returns 0, or -1 with the error set.
int fer_torch_cache_cpu(double limit) {
  try {
    std::lock_guard<std::mutex> lock(g_mu);
    if (!g_cpu_cache) {
      g_cpu_cache = new CachingCpuAllocator(static_cast<size_t>(limit));
      c10::SetCPUAllocator(g_cpu_cache, 1);
    }
    return 0;
  } catch (const std::exception& e) {
    g_err = std::string("cache_cpu: ") + e.what();
    return -1;
  }
}

// Bytes the CPU cache holds in freed blocks (0 without it).
double fer_torch_cpu_cached() { return g_cpu_cache ? static_cast<double>(g_cpu_cache->kept()) : 0; }

// A pthreads OpenBLAS (Debian's libtorch's BLAS) keeps a pool of its own beside the OpenMP team: on the same cores
// its workers and the team's spinning threads take turns while the caller waits in sched_yield (cpu-small's training
// step at batch 1 on a 2-core AMD EPYC: 30-35 ms against 20-23 with one BLAS thread). One BLAS thread runs each matmul
// on the calling thread. Other BLAS builds (MKL in pip's torch) are left as they are.
static void blas_on_caller() {
  void* blas = dlopen("libopenblas.so.0", RTLD_LAZY | RTLD_NOLOAD);
  if (!blas) return;
  if (auto set = reinterpret_cast<void (*)(int)>(dlsym(blas, "openblas_set_num_threads"))) set(1);
  dlclose(blas);
}

// device: -1 = CPU, N = cuda:N. precision: 0 fp32, 1 tf32, 2 bf16. sync: synchronise after each op.
int fer_torch_init(int threads, int device, int precision, int sync) {
  try {
    init_ops();
    if (threads > 0) at::set_num_threads(threads);
    blas_on_caller();
    if (device >= 0) {
      const int n = static_cast<int>(torch::cuda::device_count());
      if (device >= n) {
        throw std::runtime_error("cuda:" + std::to_string(device) + " requested, torch sees " + std::to_string(n) +
                                 " CUDA device(s)");
      }
      g_device = at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(device));
    } else {
      g_device = at::Device(at::kCPU);
    }
    g_bf16 = precision == 2;
    at::globalContext().setAllowTF32CuDNN(precision == 1);
    at::globalContext().setAllowTF32CuBLAS(precision == 1);
    if (g_device.is_cuda()) at::globalContext().setBenchmarkCuDNN(true);
    g_sync = sync != 0;
    return 0;
  } catch (const std::exception& e) {
    g_err = std::string("init: ") + e.what();
    return -1;
  }
}

int fer_torch_op_id(const char* name) {
  init_ops();
  auto it = g_op_ids.find(name);
  if (it == g_op_ids.end()) {
    g_err = std::string("no op named ") + name;
    return -1;
  }
  return it->second;
}

// Runs op `op` on the input slots (-1 = absent) with `nargs` double arguments; writes each output
// as OUT_STRIDE int32s [slot, dtype, rank, dims...] into out (room for `cap` outputs). Outputs are brought to a tfjs
// dtype, except those from `shown` on (unless it is -1): kept for a later op of the shim as they are (bf16, int64),
// their dtype written as -1. Returns the number of outputs, or -1 with fer_torch_last_error() set.
int fer_torch_run(int op, const int32_t* in, int nin, const double* args, int nargs, int32_t* out, int cap,
                  int shown) {
  const char* name = op >= 0 && op < static_cast<int>(g_op_names.size()) ? g_op_names[op].c_str() : "?";
  try {
    c10::InferenceMode guard;
    if (op < 0 || op >= static_cast<int>(g_ops.size())) throw std::runtime_error("unknown op id");
    g_last_op = name;
    Call c{{}, args, nargs, in};
    c.in.reserve(nin);
    for (int k = 0; k < nin; k++) c.in.push_back(in[k] < 0 ? at::Tensor() : slot(in[k]));
    Outs outs = g_ops[op](c);
    // The optimisers update their inputs in place: write the (possibly replaced) tensors back.
    if (outs.empty()) {
      for (int k = 0; k < nin; k++) {
        if (in[k] >= 0) set_slot(in[k], c.in[k]);
      }
    }
    if (g_sync) sync_device();
    if (static_cast<int>(outs.size()) > cap) throw std::runtime_error("too many outputs");
    for (size_t k = 0; k < outs.size(); k++) {
      const bool kept = shown >= 0 && static_cast<int>(k) >= shown;
      at::Tensor t = kept ? outs[k] : normalise(outs[k]);
      if (t.dim() > MAX_RANK) throw std::runtime_error("rank > 8");
      int32_t* o = out + k * OUT_STRIDE;
      o[1] = kept ? -1 : dtype_code(t);
      o[2] = static_cast<int32_t>(t.dim());
      for (int64_t d = 0; d < t.dim(); d++) o[3 + d] = static_cast<int32_t>(t.size(d));
      o[0] = put(std::move(t));
    }
    return static_cast<int>(outs.size());
  } catch (const std::exception& e) {
    g_err = std::string(name) + ": " + e.what();
    return -1;
  }
}

// Copies host data (float32 / int32 / uint8-as-bool) into a new tensor on the device.
int fer_torch_from_host(const void* data, const int32_t* shape, int rank, int dtype) {
  try {
    c10::InferenceMode guard;
    std::vector<int64_t> s(shape, shape + rank);
    at::ScalarType st = scalar_type(dtype);
    at::Tensor host = at::from_blob(const_cast<void*>(data), s, at::TensorOptions().dtype(st));
    return put(g_device.is_cpu() ? host.clone() : host.to(g_device, st, false, true));
  } catch (const std::exception& e) {
    g_err = std::string("upload: ") + e.what();
    return -1;
  }
}

// Copies a tensor to host memory (nbytes must match); synchronises the device first.
int fer_torch_to_host(int32_t id, void* dst, double nbytes) {
  try {
    c10::InferenceMode guard;
    at::Tensor t = slot(id);
    if (g_device.is_cuda()) {
      try {
        sync_device();
      } catch (const std::exception& e) {
        throw std::runtime_error(std::string("device error (last op launched: ") + g_last_op +
                                 "; FER_TORCH_SYNC=1 names the failing op exactly): " + e.what());
      }
      t = t.to(at::kCPU);
    }
    t = t.contiguous();
    const double have = static_cast<double>(t.numel() * t.element_size());
    if (have != nbytes) throw std::runtime_error("size mismatch: tensor has " + std::to_string(have) + " bytes");
    if (t.numel() > 0) std::memcpy(dst, t.data_ptr(), static_cast<size_t>(nbytes));
    return 0;
  } catch (const std::exception& e) {
    g_err = std::string("read: ") + e.what();
    return -1;
  }
}

void fer_torch_free(int32_t id) {
  at::Tensor dead;  // released after the lock
  std::lock_guard<std::mutex> lock(g_mu);
  if (id < 0 || id >= static_cast<int32_t>(g_slots.size()) || !g_slots[id].defined()) return;
  dead = std::move(g_slots[id]);
  g_slots[id] = at::Tensor();
  g_free.push_back(id);
}

int fer_torch_sync() {
  try {
    sync_device();
    return 0;
  } catch (const std::exception& e) {
    g_err = std::string("sync (last op launched: ") + g_last_op + "): " + e.what();
    return -1;
  }
}

// Bytes held by the given tensors, each storage counted once (views share their base's storage).
double fer_torch_bytes(const int32_t* ids, int n) {
  std::unordered_set<const void*> seen;
  double total = 0;
  std::lock_guard<std::mutex> lock(g_mu);
  for (int k = 0; k < n; k++) {
    if (ids[k] < 0 || ids[k] >= static_cast<int32_t>(g_slots.size())) continue;
    const at::Tensor& t = g_slots[ids[k]];
    if (!t.defined()) continue;
    const void* key = t.storage().unsafeGetStorageImpl();
    if (seen.insert(key).second) total += static_cast<double>(t.storage().nbytes());
  }
  return total;
}

}  // extern "C"
