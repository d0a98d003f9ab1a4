// Depthwise 2-D convolution of one image (CSimilarityDepthwise.h): the portable loops over a
// channel range, and the AVX-512 and AVX2 + FMA kernels (depthwise_kernels.h, one source over
// a vector type compiled per level), chosen through the dispatch table (kernel_table.h).
#include "CSimilarityDepthwise.h"
#include "CSimilarityKernels.h"
#include "kernel_table.h"

#include <string.h>

// ---- portable C: output rows oh0 ..< oh1, channels c0 ..< c1 ----

// Forward: output rows oh0 ..< oh1, channels c0 ..< c1, taps outside the image skipped.
static void forward_range(const csim_depthwise_geometry *g, const float *x, const float *f,
                          const float *bias, float *y, size_t oh0, size_t oh1, size_t c0,
                          size_t c1) {
  const size_t c = g->channels, IW = g->image_width, OW = g->output_width;
  for (size_t oh = oh0; oh < oh1; oh++) {
    for (size_t ow = 0; ow < OW; ow++) {
      float *out = y + (oh * OW + ow) * c;
      for (size_t ch = c0; ch < c1; ch++) out[ch] = bias ? bias[ch] : 0.0f;
      for (size_t i = 0; i < g->kernel_height; i++) {
        const size_t R = oh * g->stride_height + i * g->dilation_height;
        if (R < g->image_top || R - g->image_top >= g->image_height) continue;
        for (size_t j = 0; j < g->kernel_width; j++) {
          const size_t Q = ow * g->stride_width + j * g->dilation_width;
          if (Q < g->image_left || Q - g->image_left >= IW) continue;
          const float *p = x + ((R - g->image_top) * IW + Q - g->image_left) * c;
          const float *w = f + (i * g->kernel_width + j) * c;
          for (size_t ch = c0; ch < c1; ch++) out[ch] += p[ch] * w[ch];
        }
      }
    }
  }
}

// The taps that read buffer row R (or column): i with R − i·d ≥ 0, divisible by the stride,
// and below the output extent; their output rows go to `out`, the taps to `tap`.
__attribute__((unused)) static size_t taps_reading(size_t R, size_t k, size_t stride,
                                                   size_t dilation, size_t extent, size_t *tap,
                                                   size_t *out) {
  size_t n = 0;
  for (size_t i = 0; i < k; i++) {
    if (R < i * dilation) break;
    const size_t t = R - i * dilation;
    if (t % stride != 0 || t / stride >= extent) continue;
    tap[n] = i;
    out[n++] = t / stride;
  }
  return n;
}

enum { MAX_TAPS = 64 };  // the vector kernels' tap lists (longer kernels: the portable loops)

// Input gradient (gather): every element of the gradient region summed over the taps that read
// it, channels c0 ..< c1 of target rows r0 ..< r1.
static void backward_input_range(const csim_depthwise_geometry *g, const float *dy,
                                 const float *f, float *dx, size_t r0, size_t r1, size_t c0,
                                 size_t c1) {
  const size_t c = g->channels, OW = g->output_width, kw = g->kernel_width;
  for (size_t r = r0; r < r1; r++) {
    const size_t R = r + g->image_top;
    for (size_t q = 0; q < g->image_width; q++) {
      const size_t Q = q + g->image_left;
      float *out = dx + (r * g->image_width + q) * c;
      for (size_t ch = c0; ch < c1; ch++) out[ch] = 0.0f;
      if (R >= g->height || Q >= g->width) continue;
      for (size_t i = 0; i < g->kernel_height && i * g->dilation_height <= R; i++) {
        const size_t t = R - i * g->dilation_height;
        if (t % g->stride_height != 0 || t / g->stride_height >= g->output_height) continue;
        for (size_t j = 0; j < kw && j * g->dilation_width <= Q; j++) {
          const size_t u = Q - j * g->dilation_width;
          if (u % g->stride_width != 0 || u / g->stride_width >= OW) continue;
          const float *gp = dy + ((t / g->stride_height) * OW + u / g->stride_width) * c;
          const float *w = f + (i * kw + j) * c;
          for (size_t ch = c0; ch < c1; ch++) out[ch] += gp[ch] * w[ch];
        }
      }
    }
  }
}

static void backward_filter_range(const csim_depthwise_geometry *g, const float *x,
                                  const float *dy, float *df, size_t oh0, size_t oh1, size_t c0,
                                  size_t c1) {
  const size_t c = g->channels, W = g->width, OW = g->output_width;
  for (size_t oh = oh0; oh < oh1; oh++) {
    for (size_t ow = 0; ow < OW; ow++) {
      const float *gp = dy + (oh * OW + ow) * c;
      for (size_t i = 0; i < g->kernel_height; i++) {
        const size_t ih = oh * g->stride_height + i * g->dilation_height;
        for (size_t j = 0; j < g->kernel_width; j++) {
          const size_t iw = ow * g->stride_width + j * g->dilation_width;
          const float *p = x + (ih * W + iw) * c;
          float *d = df + (i * g->kernel_width + j) * c;
          for (size_t ch = c0; ch < c1; ch++) d[ch] += p[ch] * gp[ch];
        }
      }
    }
  }
}

static void forward_portable(const csim_depthwise_geometry *g, const float *x, const float *f,
                             const float *bias, float *y) {
  forward_range(g, x, f, bias, y, 0, g->output_height, 0, g->channels);
}

static void backward_input_portable(const csim_depthwise_geometry *g, const float *dy,
                                    const float *f, float *dx) {
  backward_input_range(g, dy, f, dx, 0, g->image_height, 0, g->channels);
}

static void backward_filter_portable(const csim_depthwise_geometry *g, const float *x,
                                     const float *dy, float *df) {
  backward_filter_range(g, x, dy, df, 0, g->output_height, 0, g->channels);
}

#if defined(__x86_64__)
#include <immintrin.h>

#define VEC __m512
#define VLEN 16
#define VLOAD _mm512_loadu_ps
#define VSTORE _mm512_storeu_ps
#define VFMA _mm512_fmadd_ps
#define VADD _mm512_add_ps
#define VZERO _mm512_setzero_ps
#define DW_TARGET __attribute__((target("avx512f")))
#define DNAME(name) name##_avx512
#include "depthwise_kernels.h"
#undef VEC
#undef VLEN
#undef VLOAD
#undef VSTORE
#undef VFMA
#undef VADD
#undef VZERO
#undef DW_TARGET
#undef DNAME

#define VEC __m256
#define VLEN 8
#define VLOAD _mm256_loadu_ps
#define VSTORE _mm256_storeu_ps
#define VFMA _mm256_fmadd_ps
#define VADD _mm256_add_ps
#define VZERO _mm256_setzero_ps
#define DW_TARGET __attribute__((target("avx2,fma")))
#define DNAME(name) name##_avx2
#include "depthwise_kernels.h"
#endif

void csim_fill_depthwise(struct csim_kernel_table *t, int level) {
  t->depthwise_forward = forward_portable;
  t->depthwise_backward_input = backward_input_portable;
  t->depthwise_backward_filter = backward_filter_portable;
  t->variant[CSIM_FAMILY_DEPTHWISE] = "portable";
#if defined(__x86_64__)
  if (level >= CSIM_ISA_AVX512) {
    t->depthwise_forward = forward_avx512;
    t->depthwise_backward_input = backward_input_avx512;
    t->depthwise_backward_filter = backward_filter_avx512;
    t->variant[CSIM_FAMILY_DEPTHWISE] = "avx512";
  } else if (level >= CSIM_ISA_AVX2) {
    t->depthwise_forward = forward_avx2;
    t->depthwise_backward_input = backward_input_avx2;
    t->depthwise_backward_filter = backward_filter_avx2;
    t->variant[CSIM_FAMILY_DEPTHWISE] = "avx2";
  }
#else
  (void)level;
#endif
}

static void run(const struct csim_kernel_table *t, int which, const csim_depthwise_geometry *g,
                const float *a, const float *b, const float *c, float *out) {
  if (g->output_height == 0 || g->output_width == 0 || g->channels == 0) {
    if (which == 1) memset(out, 0, g->image_height * g->image_width * g->channels * sizeof(float));
    return;
  }
  switch (which) {
  case 0: t->depthwise_forward(g, a, b, c, out); break;
  case 1: t->depthwise_backward_input(g, a, b, out); break;
  default: t->depthwise_backward_filter(g, a, b, out); break;
  }
}

void csim_depthwise_forward(const csim_depthwise_geometry *g, const float *x, const float *filter,
                            const float *bias, float *y) {
  run(&csim_active, 0, g, x, filter, bias, y);
}

void csim_depthwise_backward_input(const csim_depthwise_geometry *g, const float *dy,
                                   const float *filter, float *dx) {
  run(&csim_active, 1, g, dy, filter, NULL, dx);
}

void csim_depthwise_backward_filter(const csim_depthwise_geometry *g, const float *x,
                                    const float *dy, float *df) {
  run(&csim_active, 2, g, x, dy, NULL, df);
}

void csim_depthwise_at(int level, int which, const csim_depthwise_geometry *g, const float *a,
                       const float *b, const float *c, float *out) {
  run(csim_table(level), which, g, a, b, c, out);
}
