// fer_kernels: native CPU kernels for the "fer-native" tfjs backend (see lib/backend/native.ts).
// Convolutions go through oneDNN (JIT AVX2/AVX-512) on tfjs's own NHWC / HWIO buffers, so no layout
// copies are made; primitives are cached by shape. Pooling, batch-norm and the elementwise ops that
// dominate a training step are plain OpenMP loops. Every entry point returns 0 on success, or a
// negative code; fer_last_error() then holds the message.
#include <dnnl.hpp>
#include <omp.h>
#include <sys/mman.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

namespace {
engine *g_eng = nullptr;
stream *g_stream = nullptr;
std::string g_err;

// Fresh outputs are new mmap'ed pages: ask for transparent huge pages so that writing a 20 MB
// result costs ~10 page faults instead of ~5000 (the faults, not the arithmetic, dominated).
void huge_pages(void *p, int64_t bytes) {
  const uintptr_t H = 2u << 20;
  if (bytes < (int64_t)(4 * H)) return;
  uintptr_t a = ((uintptr_t)p + H - 1) & ~(H - 1), e = ((uintptr_t)p + bytes) & ~(H - 1);
  if (e > a) madvise((void *)a, e - a, MADV_HUGEPAGE);
}


struct ConvPrims {
  convolution_forward::primitive_desc fwd_pd;
  convolution_forward fwd;
  bool has_bwd_data = false, has_bwd_weights = false;
  convolution_backward_data::primitive_desc bwd_data_pd;
  convolution_backward_data bwd_data;
  convolution_backward_weights::primitive_desc bwd_weights_pd;
  convolution_backward_weights bwd_weights;
  // Weights in the layout each primitive prefers (oneDNN picks it: "any"), reordered from/to HWIO.
  memory fwd_w, bwd_data_w, bwd_w;
};
std::unordered_map<std::string, std::unique_ptr<ConvPrims>> g_convs;

// Conv geometry as passed from JS: an Int32Array of 18 values.
struct Geo {
  int n, h, w, c, oh, ow, oc, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr, bias;
};

std::string key_of(const Geo &g, int relu) {
  char buf[256];
  snprintf(buf, sizeof buf, "%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d", g.n, g.h, g.w, g.c, g.oh, g.ow,
           g.oc, g.kh, g.kw, g.sh, g.sw, g.dh, g.dw, g.pt, g.pl, g.pb, g.pr, g.bias, relu);
  return buf;
}

memory::desc src_md(const Geo &g) { return memory::desc({g.n, g.c, g.h, g.w}, dt::f32, tag::nhwc); }
memory::desc dst_md(const Geo &g) { return memory::desc({g.n, g.oc, g.oh, g.ow}, dt::f32, tag::nhwc); }
memory::desc wei_md(const Geo &g) { return memory::desc({g.oc, g.c, g.kh, g.kw}, dt::f32, tag::hwio); }
memory::desc wei_any(const Geo &g) { return memory::desc({g.oc, g.c, g.kh, g.kw}, dt::f32, tag::any); }

// Runs the enclosing scope's oneDNN calls on one thread. Weight reorders are tiny, and waking the
// OpenMP team costs a scheduler time slice on a loaded machine (measured: 10-25 ms per reorder).
struct OneThread {
  int saved = omp_get_max_threads();
  OneThread() { omp_set_num_threads(1); }
  ~OneThread() { omp_set_num_threads(saved); }
};

// The user's HWIO weights as `want`: the user buffer itself when layouts agree, else a reorder into `cache`.
memory weights_as(const memory::desc &want, memory &cache, const Geo &g, const float *w) {
  memory user(wei_md(g), *g_eng, (void *)w);
  if (want == user.get_desc()) return user;
  if (!cache) cache = memory(want, *g_eng);
  OneThread one;
  reorder(user, cache).execute(*g_stream, user, cache);
  return cache;
}
memory::desc bias_md(const Geo &g) { return memory::desc({g.oc}, dt::f32, tag::x); }

ConvPrims &conv_prims(const Geo &g, int relu) {
  std::string k = key_of(g, relu);
  auto it = g_convs.find(k);
  if (it != g_convs.end()) return *it->second;
  memory::dims strides = {g.sh, g.sw}, dil = {g.dh - 1, g.dw - 1}, pl = {g.pt, g.pl}, pr = {g.pb, g.pr};
  auto d = g.bias ? convolution_forward::desc(prop_kind::forward_training, algorithm::convolution_direct, src_md(g),
                                              wei_any(g), bias_md(g), dst_md(g), strides, dil, pl, pr)
                  : convolution_forward::desc(prop_kind::forward_training, algorithm::convolution_direct, src_md(g),
                                              wei_any(g), dst_md(g), strides, dil, pl, pr);
  primitive_attr attr;
  if (relu) {
    post_ops po;
    po.append_eltwise(1.f, algorithm::eltwise_relu, 0.f, 0.f);
    attr.set_post_ops(po);
  }
  auto p = std::make_unique<ConvPrims>();
  p->fwd_pd = convolution_forward::primitive_desc(d, attr, *g_eng);
  p->fwd = convolution_forward(p->fwd_pd);
  auto &ref = *p;
  g_convs.emplace(k, std::move(p));
  return ref;
}

void ensure_bwd(ConvPrims &p, const Geo &g, bool data) {
  memory::dims strides = {g.sh, g.sw}, dil = {g.dh - 1, g.dw - 1}, pl = {g.pt, g.pl}, pr = {g.pb, g.pr};
  if (data && !p.has_bwd_data) {
    auto d = convolution_backward_data::desc(algorithm::convolution_direct, src_md(g), wei_any(g), dst_md(g), strides,
                                             dil, pl, pr);
    p.bwd_data_pd = convolution_backward_data::primitive_desc(d, *g_eng, p.fwd_pd);
    p.bwd_data = convolution_backward_data(p.bwd_data_pd);
    p.has_bwd_data = true;
  }
  if (!data && !p.has_bwd_weights) {
    auto d = convolution_backward_weights::desc(algorithm::convolution_direct, src_md(g), wei_any(g), dst_md(g),
                                                strides, dil, pl, pr);
    p.bwd_weights_pd = convolution_backward_weights::primitive_desc(d, *g_eng, p.fwd_pd);
    p.bwd_weights = convolution_backward_weights(p.bwd_weights_pd);
    p.has_bwd_weights = true;
  }
}

template <typename F> int guarded(F f) {
  try {
    f();
    return 0;
  } catch (dnnl::error &e) {
    g_err = std::string("oneDNN: ") + e.what();
    return -2;
  } catch (std::exception &e) {
    g_err = e.what();
    return -3;
  }
}

Geo geo_of(const int32_t *p) {
  Geo g;
  std::memcpy(&g, p, sizeof g);
  return g;
}
}  // namespace

extern "C" {

const char *fer_last_error() { return g_err.c_str(); }

int fer_init(int threads) {
  return guarded([&] {
    if (threads > 0) omp_set_num_threads(threads);
    if (!g_eng) {
      g_eng = new engine(engine::kind::cpu, 0);
      g_stream = new stream(*g_eng);
    }
  });
}

int fer_threads() { return omp_get_max_threads(); }

// y = conv(x, w) (+ bias) (relu if relu != 0). x: NHWC, w: HWIO, y: N,OH,OW,OC.
int fer_conv_fwd(const int32_t *geo, const float *x, const float *w, const float *b, float *y, int relu) {
  return guarded([&] {
    Geo g = geo_of(geo);
    huge_pages(y, (int64_t)g.n * g.oh * g.ow * g.oc * 4);
    auto &p = conv_prims(g, relu);
    std::unordered_map<int, memory> args = {
        {DNNL_ARG_SRC, memory(src_md(g), *g_eng, (void *)x)},
        {DNNL_ARG_WEIGHTS, weights_as(p.fwd_pd.weights_desc(), p.fwd_w, g, w)},
        {DNNL_ARG_DST, memory(dst_md(g), *g_eng, y)},
    };
    if (g.bias) args.insert({DNNL_ARG_BIAS, memory(bias_md(g), *g_eng, (void *)b)});
    p.fwd.execute(*g_stream, args);
    g_stream->wait();
  });
}

// dx = conv^T(dy, w).
int fer_conv_bwd_data(const int32_t *geo, const float *dy, const float *w, float *dx) {
  return guarded([&] {
    Geo g = geo_of(geo);
    g.bias = 0;
    huge_pages(dx, (int64_t)g.n * g.h * g.w * g.c * 4);
    auto &p = conv_prims(g, 0);
    ensure_bwd(p, g, true);
    p.bwd_data.execute(*g_stream, {{DNNL_ARG_DIFF_DST, memory(dst_md(g), *g_eng, (void *)dy)},
                                   {DNNL_ARG_WEIGHTS, weights_as(p.bwd_data_pd.weights_desc(), p.bwd_data_w, g, w)},
                                   {DNNL_ARG_DIFF_SRC, memory(src_md(g), *g_eng, dx)}});
    g_stream->wait();
  });
}

// dw = d(conv)/dw given x and dy, written as HWIO.
int fer_conv_bwd_weights(const int32_t *geo, const float *x, const float *dy, float *dw) {
  return guarded([&] {
    Geo g = geo_of(geo);
    g.bias = 0;
    auto &p = conv_prims(g, 0);
    ensure_bwd(p, g, false);
    memory user(wei_md(g), *g_eng, dw);
    bool direct = p.bwd_weights_pd.diff_weights_desc() == user.get_desc();
    if (!direct && !p.bwd_w) p.bwd_w = memory(p.bwd_weights_pd.diff_weights_desc(), *g_eng);
    p.bwd_weights.execute(*g_stream, {{DNNL_ARG_SRC, memory(src_md(g), *g_eng, (void *)x)},
                                      {DNNL_ARG_DIFF_DST, memory(dst_md(g), *g_eng, (void *)dy)},
                                      {DNNL_ARG_DIFF_WEIGHTS, direct ? user : p.bwd_w}});
    g_stream->wait();
    if (!direct) {
      OneThread one;
      reorder(p.bwd_w, user).execute(*g_stream, p.bwd_w, user);
      g_stream->wait();
    }
  });
}

// Row-major C[MxN] = op(A) op(B), with batch strides (0 = broadcast).
int fer_matmul(const float *a, const float *b, float *c, int batch, int m, int n, int k, int ta, int tb, int64_t sa,
               int64_t sb) {
  for (int i = 0; i < batch; i++) {
    dnnl_status_t st = dnnl_sgemm(ta ? 'T' : 'N', tb ? 'T' : 'N', m, n, k, 1.f, a + i * sa, ta ? m : k, b + i * sb,
                                  tb ? k : n, 0.f, c + (int64_t)i * m * n, n);
    if (st != dnnl_success) {
      g_err = "dnnl_sgemm failed";
      return -2;
    }
  }
  return 0;
}

// Max pooling, NHWC; geo = n,h,w,c,oh,ow,kh,kw,sh,sw,pt,pl. First maximum wins (as tfjs's cpu backend).
int fer_maxpool_fwd(const int32_t *p, const float *x, float *y) {
  const int n = p[0], h = p[1], w = p[2], c = p[3], oh = p[4], ow = p[5], kh = p[6], kw = p[7], sh = p[8], sw = p[9],
            pt = p[10], pl = p[11];
  huge_pages(y, (int64_t)n * oh * ow * c * 4);
#pragma omp parallel for collapse(2)
  for (int b = 0; b < n; b++)
    for (int i = 0; i < oh; i++) {
      for (int j = 0; j < ow; j++) {
        float *out = y + (((int64_t)b * oh + i) * ow + j) * c;
        for (int d = 0; d < c; d++) out[d] = -INFINITY;
        for (int r = 0; r < kh; r++) {
          int xr = i * sh - pt + r;
          if (xr < 0 || xr >= h) continue;
          for (int s = 0; s < kw; s++) {
            int xc = j * sw - pl + s;
            if (xc < 0 || xc >= w) continue;
            const float *in = x + (((int64_t)b * h + xr) * w + xc) * c;
            for (int d = 0; d < c; d++) out[d] = in[d] > out[d] ? in[d] : out[d];
          }
        }
      }
    }
  return 0;
}

// dx of max pooling: each dy goes to the first maximum of its window in x.
int fer_maxpool_bwd(const int32_t *p, const float *x, const float *dy, float *dx) {
  const int n = p[0], h = p[1], w = p[2], c = p[3], oh = p[4], ow = p[5], kh = p[6], kw = p[7], sh = p[8], sw = p[9],
            pt = p[10], pl = p[11];
  huge_pages(dx, (int64_t)n * h * w * c * 4);
  std::memset(dx, 0, sizeof(float) * (size_t)n * h * w * c);
#pragma omp parallel for
  for (int bd = 0; bd < n; bd++) {
    const int b = bd;
    for (int i = 0; i < oh; i++)
      for (int j = 0; j < ow; j++)
        for (int d = 0; d < c; d++) {
          float best = -INFINITY;
          int64_t at = -1;
          for (int r = 0; r < kh; r++) {
            int xr = i * sh - pt + r;
            if (xr < 0 || xr >= h) continue;
            for (int s = 0; s < kw; s++) {
              int xc = j * sw - pl + s;
              if (xc < 0 || xc >= w) continue;
              int64_t o = (((int64_t)b * h + xr) * w + xc) * c + d;
              if (x[o] > best) {
                best = x[o];
                at = o;
              }
            }
          }
          if (at >= 0) dx[at] += dy[(((int64_t)b * oh + i) * ow + j) * c + d];
        }
  }
  return 0;
}
}

// ---- Elementwise, reductions, tile, batch-norm (OpenMP loops) ----

namespace {
const int64_t PAR_MIN = 1 << 15;  // below this many elements, stay on one thread

template <int OP> inline float bin(float a, float b) {
  if (OP == 0) return a + b;
  if (OP == 1) return a - b;
  if (OP == 2) return a * b;
  if (OP == 3) return a / b;
  if (OP == 4) return (a - b) * (a - b);
  if (OP == 5) return (a > b || std::isnan(a)) ? a : b;
  if (OP == 6) return (a < b || std::isnan(a)) ? a : b;
  if (OP == 7) return std::isnan(b) ? b : (b > 0 ? a : 0.f);  // ReLU gradient: dy where x > 0
  return 2.f * a * b;                                          // Square gradient: 2 x dy
}

template <int OP> void binary_rows(const float *a, const float *b, float *y, int rank, const int64_t *dims,
                                   const int64_t *sa, const int64_t *sb) {
  // dims/strides already collapsed; the last dim is the inner loop.
  const int64_t inner = dims[rank - 1], ia = sa[rank - 1], ib = sb[rank - 1];
  int64_t rows = 1;
  for (int d = 0; d < rank - 1; d++) rows *= dims[d];
  huge_pages(y, rows * inner * 4);
#pragma omp parallel for schedule(static) if (rows * inner >= PAR_MIN)
  for (int64_t r = 0; r < rows; r++) {
    int64_t oa = 0, ob = 0, rem = r;
    for (int d = rank - 2; d >= 0; d--) {
      int64_t i = rem % dims[d];
      rem /= dims[d];
      oa += i * sa[d];
      ob += i * sb[d];
    }
    const float *pa = a + oa, *pb = b + ob;
    float *py = y + r * inner;
    if (ia == 1 && ib == 1) {
      for (int64_t i = 0; i < inner; i++) py[i] = bin<OP>(pa[i], pb[i]);
    } else if (ia == 1 && ib == 0) {
      const float vb = pb[0];
      for (int64_t i = 0; i < inner; i++) py[i] = bin<OP>(pa[i], vb);
    } else if (ia == 0 && ib == 1) {
      const float va = pa[0];
      for (int64_t i = 0; i < inner; i++) py[i] = bin<OP>(va, pb[i]);
    } else {
      for (int64_t i = 0; i < inner; i++) py[i] = bin<OP>(pa[i * ia], pb[i * ib]);
    }
  }
}

template <int OP> inline float un(float x, float alpha) {
  if (OP == 0) return x < 0 ? 0.f : x;  // relu (NaN stays NaN, as Math.max)
  if (OP == 1) return std::isnan(x) ? x : (x > 0 ? 1.f : alpha);  // step
  if (OP == 2) return x * x;
  if (OP == 3) return std::sqrt(x);
  if (OP == 4) return 1.f / std::sqrt(x);
  if (OP == 5) return -x;
  if (OP == 6) return std::exp(x);
  if (OP == 7) return std::log(x);
  return std::fabs(x);
}

template <int OP> void unary_loop(const float *x, float *y, int64_t n, float alpha) {
  huge_pages(y, n * 4);
#pragma omp parallel for schedule(static) if (n >= PAR_MIN)
  for (int64_t i = 0; i < n; i++) y[i] = un<OP>(x[i], alpha);
}
}  // namespace

extern "C" {

// y = a OP b with broadcasting described by collapsed dims and element strides (0 = broadcast).
// op: 0 add, 1 sub, 2 mul, 3 div, 4 squared difference, 5 maximum, 6 minimum, 7 a*(b>0), 8 2ab.
int fer_binary(int op, const float *a, const float *b, float *y, int rank, const int64_t *dims, const int64_t *sa,
               const int64_t *sb) {
  switch (op) {
    case 0: binary_rows<0>(a, b, y, rank, dims, sa, sb); return 0;
    case 1: binary_rows<1>(a, b, y, rank, dims, sa, sb); return 0;
    case 2: binary_rows<2>(a, b, y, rank, dims, sa, sb); return 0;
    case 3: binary_rows<3>(a, b, y, rank, dims, sa, sb); return 0;
    case 4: binary_rows<4>(a, b, y, rank, dims, sa, sb); return 0;
    case 5: binary_rows<5>(a, b, y, rank, dims, sa, sb); return 0;
    case 6: binary_rows<6>(a, b, y, rank, dims, sa, sb); return 0;
    case 7: binary_rows<7>(a, b, y, rank, dims, sa, sb); return 0;
    case 8: binary_rows<8>(a, b, y, rank, dims, sa, sb); return 0;
  }
  g_err = "unknown binary op";
  return -1;
}

// op: 0 relu, 1 step(alpha), 2 square, 3 sqrt, 4 rsqrt, 5 neg, 6 exp, 7 log, 8 abs.
int fer_unary(int op, const float *x, float *y, int64_t n, float alpha) {
  switch (op) {
    case 0: unary_loop<0>(x, y, n, alpha); return 0;
    case 1: unary_loop<1>(x, y, n, alpha); return 0;
    case 2: unary_loop<2>(x, y, n, alpha); return 0;
    case 3: unary_loop<3>(x, y, n, alpha); return 0;
    case 4: unary_loop<4>(x, y, n, alpha); return 0;
    case 5: unary_loop<5>(x, y, n, alpha); return 0;
    case 6: unary_loop<6>(x, y, n, alpha); return 0;
    case 7: unary_loop<7>(x, y, n, alpha); return 0;
    case 8: unary_loop<8>(x, y, n, alpha); return 0;
  }
  g_err = "unknown unary op";
  return -1;
}

// x viewed as [outer, red, inner]; y[o, i] = sum (op 0) or mean (op 1) over r, accumulated in double
// (tfjs's cpu backend sums in JS doubles too).
int fer_reduce(int op, const float *x, float *y, int64_t outer, int64_t red, int64_t inner) {
  if (op < 0 || op > 1) {
    g_err = "unknown reduce op";
    return -1;
  }
  const double scale = op == 1 ? 1.0 / (double)red : 1.0;
  if (inner == 1) {
#pragma omp parallel for schedule(static) if (outer * red >= PAR_MIN)
    for (int64_t o = 0; o < outer; o++) {
      const float *p = x + o * red;
      double s = 0;
      for (int64_t r = 0; r < red; r++) s += p[r];
      y[o] = (float)(s * scale);
    }
    return 0;
  }
  // Column sums: split the reduced rows across threads, each with its own partial row.
  const int nt = (outer * red * inner >= PAR_MIN) ? omp_get_max_threads() : 1;
  std::unique_ptr<double[]> part(new double[(size_t)nt * inner]);
  for (int64_t o = 0; o < outer; o++) {
    const float *base = x + o * red * inner;
    std::fill(part.get(), part.get() + (size_t)nt * inner, 0.0);
#pragma omp parallel num_threads(nt)
    {
      const int t = omp_get_thread_num(), T = omp_get_num_threads();
      double *acc = part.get() + (size_t)t * inner;
      for (int64_t r = red * t / T; r < red * (t + 1) / T; r++) {
        const float *p = base + r * inner;
        for (int64_t i = 0; i < inner; i++) acc[i] += p[i];
      }
    }
    for (int64_t i = 0; i < inner; i++) {
      double v = part[i];
      for (int t = 1; t < nt; t++) v += part[(size_t)t * inner + i];
      y[o * inner + i] = (float)(v * scale);
    }
  }
  return 0;
}

// Tile: y (shape out[rank]) repeats x (shape in[rank]); rows of the last dim are copied whole.
int fer_tile(const float *x, float *y, int rank, const int64_t *in, const int64_t *out) {
  const int64_t inRow = in[rank - 1], outRow = out[rank - 1];
  int64_t rows = 1;
  for (int d = 0; d < rank - 1; d++) rows *= out[d];
  huge_pages(y, rows * outRow * 4);
#pragma omp parallel for schedule(static) if (rows * outRow >= PAR_MIN)
  for (int64_t r = 0; r < rows; r++) {
    int64_t rem = r, src = 0, mul = 1;
    for (int d = rank - 2; d >= 0; d--) {
      int64_t i = rem % out[d];
      rem /= out[d];
      src += (i % in[d]) * mul;
      mul *= in[d];
    }
    const float *p = x + src * inRow;
    float *q = y + r * outRow;
    for (int64_t c = 0; c < outRow; c += inRow) std::memcpy(q + c, p, sizeof(float) * inRow);
  }
  return 0;
}

// y = off[c] + (x - mean[c]) * inv[c] over x viewed as [n, c] (inv = scale / sqrt(var + eps)).
int fer_batchnorm(const float *x, const float *mean, const float *inv, const float *off, float *y, int64_t n, int64_t c) {
  huge_pages(y, n * c * 4);
#pragma omp parallel for schedule(static) if (n * c >= PAR_MIN)
  for (int64_t r = 0; r < n; r++) {
    const float *p = x + r * c;
    float *q = y + r * c;
    for (int64_t i = 0; i < c; i++) q[i] = off[i] + (p[i] - mean[i]) * inv[i];
  }
  return 0;
}
}

extern "C" {
// One Adam step for one variable, as tfjs's AdamOptimizer computes it (c1 = 1 - beta1^t, c2 = 1 - beta2^t),
// in one pass instead of ~12 tensor ops: writes the new value and moments to fresh buffers.
int fer_adam(const float *val, const float *g, const float *m, const float *v, float *val2, float *m2, float *v2,
             int64_t n, float b1, float b2, float c1, float c2, float lr, float eps) {
  huge_pages(val2, n * 4);
  huge_pages(m2, n * 4);
  huge_pages(v2, n * 4);
  const float ob1 = 1.f - b1, ob2 = 1.f - b2;
#pragma omp parallel for schedule(static) if (n >= PAR_MIN)
  for (int64_t i = 0; i < n; i++) {
    const float gi = g[i];
    const float mi = m[i] * b1 + gi * ob1;
    const float vi = v[i] * b2 + (gi * gi) * ob2;
    m2[i] = mi;
    v2[i] = vi;
    val2[i] = ((mi / c1) / (std::sqrt(vi / c2) + eps)) * (-lr) + val[i];
  }
  return 0;
}
}

extern "C" {
// Per-channel sums for the batch-norm gradient over x, dy viewed as [n, c]:
// s1[c] = sum dy, s2[c] = sum dy * (x - mean[c]); accumulated in double.
int fer_bn_sums(const float *x, const float *dy, const float *mean, double *s1, double *s2, int64_t n, int64_t c) {
  const int nt = (n * c >= PAR_MIN) ? omp_get_max_threads() : 1;
  std::unique_ptr<double[]> part(new double[(size_t)nt * c * 2]());
#pragma omp parallel num_threads(nt)
  {
    const int t = omp_get_thread_num(), T = omp_get_num_threads();
    double *a1 = part.get() + (size_t)t * c * 2, *a2 = a1 + c;
    for (int64_t r = n * t / T; r < n * (t + 1) / T; r++) {
      const float *px = x + r * c, *pd = dy + r * c;
      for (int64_t i = 0; i < c; i++) {
        a1[i] += pd[i];
        a2[i] += (double)pd[i] * (px[i] - mean[i]);
      }
    }
  }
  for (int64_t i = 0; i < c; i++) {
    double v1 = 0, v2 = 0;
    for (int t = 0; t < nt; t++) {
      v1 += part[(size_t)t * c * 2 + i];
      v2 += part[(size_t)t * c * 2 + c + i];
    }
    s1[i] = v1;
    s2[i] = v2;
  }
  return 0;
}
}

extern "C" {
// SpaceToBatchND for NHWC: y[(i*bw + j)*n + b, oh', ow', :] = x_padded[b, oh'*bh + i, ow'*bw + j, :].
int fer_space_to_batch(const float *x, float *y, const int32_t *p) {
  const int64_t n = p[0], h = p[1], w = p[2], c = p[3], bh = p[4], bw = p[5], pt = p[6], pl = p[7], oh = p[8],
                ow = p[9];
  huge_pages(y, bh * bw * n * oh * ow * c * 4);
#pragma omp parallel for collapse(2) schedule(static) if (bh * bw * n * oh * ow * c >= PAR_MIN)
  for (int64_t ob = 0; ob < bh * bw * n; ob++)
    for (int64_t r = 0; r < oh; r++) {
      const int64_t blk = ob / n, b = ob % n, i = blk / bw, j = blk % bw, xr = r * bh + i - pt;
      float *dst = y + (ob * oh + r) * ow * c;
      for (int64_t q = 0; q < ow; q++) {
        const int64_t xc = q * bw + j - pl;
        if (xr < 0 || xr >= h || xc < 0 || xc >= w) std::memset(dst + q * c, 0, sizeof(float) * c);
        else std::memcpy(dst + q * c, x + ((b * h + xr) * w + xc) * c, sizeof(float) * c);
      }
    }
  return 0;
}

// BatchToSpaceND for NHWC (inverse, with crops): x is [bh*bw*n, ih, iw, c], y is [n, oh, ow, c].
int fer_batch_to_space(const float *x, float *y, const int32_t *p) {
  const int64_t n = p[0], ih = p[1], iw = p[2], c = p[3], bh = p[4], bw = p[5], ct = p[6], cl = p[7], oh = p[8],
                ow = p[9];
  huge_pages(y, n * oh * ow * c * 4);
#pragma omp parallel for collapse(2) schedule(static) if (n * oh * ow * c >= PAR_MIN)
  for (int64_t b = 0; b < n; b++)
    for (int64_t r = 0; r < oh; r++) {
      const int64_t hr = r + ct, i = hr % bh, xr = hr / bh;
      float *dst = y + (b * oh + r) * ow * c;
      for (int64_t q = 0; q < ow; q++) {
        const int64_t wc = q + cl, j = wc % bw, xc = wc / bw;
        const int64_t xb = (i * bw + j) * n + b;
        std::memcpy(dst + q * c, x + ((xb * ih + xr) * iw + xc) * c, sizeof(float) * c);
      }
    }
  (void)ih;
  return 0;
}

// Copies `rows` rows of `len` floats: dst[r*dstStride + k] = src[r*srcStride + k] (split / concat along an axis).
int fer_copy_rows(const float *src, float *dst, int64_t rows, int64_t len, int64_t srcStride, int64_t dstStride) {
#pragma omp parallel for schedule(static) if (rows * len >= PAR_MIN)
  for (int64_t r = 0; r < rows; r++) std::memcpy(dst + r * dstStride, src + r * srcStride, sizeof(float) * len);
  return 0;
}
}
