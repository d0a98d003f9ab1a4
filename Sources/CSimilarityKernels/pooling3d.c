// Max and average pooling over one channels-last volume [depth, height, width, channels]
// (MaxPooling1D/3D and AveragePooling1D/3D; 1-D runs with depth = height = 1).
//
// One plain-C body per operation, inlined into one function per level: the portable function
// is compiled for the baseline target (no intrinsics, what arm64 runs), the AVX2 and AVX-512
// ones with target attributes, so the compiler vectorises the channel loops (compare + blend
// for the maximum and its position, adds for the mean) 8 or 16 lanes wide. Every variant
// computes exactly what the portable one does: the same comparisons and the same sums in the
// same order.
#include "CSimilarityKernels.h"
#include "kernel_table.h"

#include <string.h>

// No fused multiply-adds where the target has them: every level rounds like the portable code.
#pragma STDC FP_CONTRACT OFF

#define POOL_INLINE static inline __attribute__((always_inline))

/// The valid range [lo, hi) of a window starting at o·stride − pad over `extent` positions.
POOL_INLINE void window(size_t o, size_t stride, size_t pad, size_t size, size_t extent,
                        size_t *lo, size_t *hi) {
  const ptrdiff_t start = (ptrdiff_t)(o * stride) - (ptrdiff_t)pad;
  const ptrdiff_t end = start + (ptrdiff_t)size;
  *lo = start < 0 ? 0 : (size_t)start;
  *hi = end > (ptrdiff_t)extent ? extent : (size_t)end;
}

POOL_INLINE void max_body(const csim_pool3d_geometry *g, const float *x, size_t r0, size_t r1,
                          float *out, int32_t *positions) {
  const size_t c = g->channels, H = g->height, W = g->width;
  for (size_t row = r0; row < r1; row++) {
    const size_t od = row / g->out_h, oh = row % g->out_h;
    size_t d0, d1, h0, h1;
    window(od, g->stride_d, g->pad_d, g->pool_d, g->depth, &d0, &d1);
    window(oh, g->stride_h, g->pad_h, g->pool_h, H, &h0, &h1);
    for (size_t ow = 0; ow < g->out_w; ow++) {
      size_t w0, w1;
      window(ow, g->stride_w, g->pad_w, g->pool_w, W, &w0, &w1);
      float *restrict o = out + (row * g->out_w + ow) * c;
      int32_t *restrict p = positions + (row * g->out_w + ow) * c;
      int first = 1;
      for (size_t d = d0; d < d1; d++) {
        for (size_t h = h0; h < h1; h++) {
          for (size_t w = w0; w < w1; w++) {
            const size_t base = ((d * H + h) * W + w) * c;
            const float *restrict in = x + base;
            const int32_t b = (int32_t)base;
            if (first) {
              for (size_t i = 0; i < c; i++) {
                o[i] = in[i];
                p[i] = b + (int32_t)i;
              }
              first = 0;
            } else {
              // A mask select, so baseline (SSE2 / NEON) code vectorises it too.
              for (size_t i = 0; i < c; i++) {
                const float v = in[i], current = o[i];
                const int32_t take = -(int32_t)(v > current);
                o[i] = v > current ? v : current;
                p[i] = (p[i] & ~take) | ((b + (int32_t)i) & take);
              }
            }
          }
        }
      }
    }
  }
}

POOL_INLINE void average_body(const csim_pool3d_geometry *g, const float *x, size_t r0,
                              size_t r1, float *out) {
  const size_t c = g->channels, H = g->height, W = g->width;
  for (size_t row = r0; row < r1; row++) {
    const size_t od = row / g->out_h, oh = row % g->out_h;
    size_t d0, d1, h0, h1;
    window(od, g->stride_d, g->pad_d, g->pool_d, g->depth, &d0, &d1);
    window(oh, g->stride_h, g->pad_h, g->pool_h, H, &h0, &h1);
    for (size_t ow = 0; ow < g->out_w; ow++) {
      size_t w0, w1;
      window(ow, g->stride_w, g->pad_w, g->pool_w, W, &w0, &w1);
      float *restrict o = out + (row * g->out_w + ow) * c;
      for (size_t i = 0; i < c; i++) o[i] = 0;
      for (size_t d = d0; d < d1; d++) {
        for (size_t h = h0; h < h1; h++) {
          for (size_t w = w0; w < w1; w++) {
            const float *restrict in = x + ((d * H + h) * W + w) * c;
            for (size_t i = 0; i < c; i++) o[i] += in[i];
          }
        }
      }
      const size_t n = (d1 - d0) * (h1 - h0) * (w1 - w0);
      const float scale = 1.0f / (float)(n > 0 ? n : 1);
      for (size_t i = 0; i < c; i++) o[i] *= scale;
    }
  }
}

POOL_INLINE void average_backward_body(const csim_pool3d_geometry *g, const float *gradient,
                                       int assign, float *dx) {
  const size_t c = g->channels, H = g->height, W = g->width;
  for (size_t row = 0; row < g->out_d * g->out_h; row++) {
    const size_t od = row / g->out_h, oh = row % g->out_h;
    size_t d0, d1, h0, h1;
    window(od, g->stride_d, g->pad_d, g->pool_d, g->depth, &d0, &d1);
    window(oh, g->stride_h, g->pad_h, g->pool_h, H, &h0, &h1);
    for (size_t ow = 0; ow < g->out_w; ow++) {
      size_t w0, w1;
      window(ow, g->stride_w, g->pad_w, g->pool_w, W, &w0, &w1);
      const size_t n = (d1 - d0) * (h1 - h0) * (w1 - w0);
      const float scale = 1.0f / (float)(n > 0 ? n : 1);
      const float *restrict gr = gradient + (row * g->out_w + ow) * c;
      for (size_t d = d0; d < d1; d++) {
        for (size_t h = h0; h < h1; h++) {
          for (size_t w = w0; w < w1; w++) {
            float *restrict in = dx + ((d * H + h) * W + w) * c;
            if (assign) {
              for (size_t i = 0; i < c; i++) in[i] = gr[i] * scale;
            } else {
              for (size_t i = 0; i < c; i++) in[i] += gr[i] * scale;
            }
          }
        }
      }
    }
  }
}

/// Exactly tiled windows (stride = window, extents divisible): every input element lies in one
/// window, so the max pooling's input gradient is written in one pass, the winner's output
/// gradient or zero, for output rows r0 ..< r1 (their windows cover disjoint input rows).
POOL_INLINE void max_backward_tiled_body(const csim_pool3d_geometry *g, const float *gradient,
                                         const int32_t *positions, size_t r0, size_t r1,
                                         float *dx) {
  const size_t c = g->channels, H = g->height, W = g->width;
  for (size_t row = r0; row < r1; row++) {
    const size_t od = row / g->out_h, oh = row % g->out_h;
    const size_t d0 = od * g->pool_d, h0 = oh * g->pool_h;
    for (size_t ow = 0; ow < g->out_w; ow++) {
      const size_t w0 = ow * g->pool_w;
      const float *restrict gr = gradient + (row * g->out_w + ow) * c;
      const int32_t *restrict p = positions + (row * g->out_w + ow) * c;
      for (size_t d = d0; d < d0 + g->pool_d; d++) {
        for (size_t h = h0; h < h0 + g->pool_h; h++) {
          for (size_t w = w0; w < w0 + g->pool_w; w++) {
            const size_t base = ((d * H + h) * W + w) * c;
            float *restrict out = dx + base;
            const int32_t b = (int32_t)base;
            // Branch-free (a mask on the bits), so baseline code vectorises it too.
            for (size_t i = 0; i < c; i++) {
              const uint32_t keep = 0u - (uint32_t)(p[i] == b + (int32_t)i);
              uint32_t bits;
              memcpy(&bits, gr + i, sizeof bits);
              bits &= keep;
              memcpy(out + i, &bits, sizeof bits);
            }
          }
        }
      }
    }
  }
}

// Each level's instantiation of the four bodies.
#define POOL3D_VARIANTS(SUFFIX, ATTRIBUTE)                                                      \
  ATTRIBUTE static void max_##SUFFIX(const csim_pool3d_geometry *g, const float *x, size_t r0, \
                                     size_t r1, float *out, int32_t *positions) {              \
    max_body(g, x, r0, r1, out, positions);                                                    \
  }                                                                                            \
  ATTRIBUTE static void average_##SUFFIX(const csim_pool3d_geometry *g, const float *x,        \
                                         size_t r0, size_t r1, float *out) {                   \
    average_body(g, x, r0, r1, out);                                                           \
  }                                                                                            \
  ATTRIBUTE static void average_backward_##SUFFIX(const csim_pool3d_geometry *g,               \
                                                  const float *gradient, int assign,           \
                                                  float *dx) {                                 \
    average_backward_body(g, gradient, assign, dx);                                            \
  }                                                                                            \
  ATTRIBUTE static void max_backward_tiled_##SUFFIX(                                           \
      const csim_pool3d_geometry *g, const float *gradient, const int32_t *positions,          \
      size_t r0, size_t r1, float *dx) {                                                       \
    max_backward_tiled_body(g, gradient, positions, r0, r1, dx);                               \
  }

POOL3D_VARIANTS(portable, )
#if defined(__x86_64__)
POOL3D_VARIANTS(avx2, __attribute__((target("avx2,fma"))))
POOL3D_VARIANTS(avx512, __attribute__((target("avx512f,avx512bw"))))
#endif

void csim_fill_pooling3d(struct csim_kernel_table *t, int level) {
  t->max_pool3d = max_portable;
  t->average_pool3d = average_portable;
  t->average_pool3d_backward = average_backward_portable;
  t->max_pool3d_backward_tiled = max_backward_tiled_portable;
#if defined(__x86_64__)
  if (level >= CSIM_ISA_AVX512) {
    t->max_pool3d = max_avx512;
    t->average_pool3d = average_avx512;
    t->average_pool3d_backward = average_backward_avx512;
    t->max_pool3d_backward_tiled = max_backward_tiled_avx512;
  } else if (level >= CSIM_ISA_AVX2) {
    t->max_pool3d = max_avx2;
    t->average_pool3d = average_avx2;
    t->average_pool3d_backward = average_backward_avx2;
    t->max_pool3d_backward_tiled = max_backward_tiled_avx2;
  }
#else
  (void)level;
#endif
}

void csim_max_pool3d(const csim_pool3d_geometry *g, const float *volume, size_t row_begin,
                     size_t row_end, float *out, int32_t *positions) {
  csim_active.max_pool3d(g, volume, row_begin, row_end, out, positions);
}
void csim_average_pool3d(const csim_pool3d_geometry *g, const float *volume, size_t row_begin,
                         size_t row_end, float *out) {
  csim_active.average_pool3d(g, volume, row_begin, row_end, out);
}
void csim_average_pool3d_backward(const csim_pool3d_geometry *g, const float *gradient,
                                  int assign, float *volume_gradient) {
  csim_active.average_pool3d_backward(g, gradient, assign, volume_gradient);
}
void csim_max_pool3d_backward_tiled(const csim_pool3d_geometry *g, const float *gradient,
                                    const int32_t *positions, size_t row_begin, size_t row_end,
                                    float *volume_gradient) {
  csim_active.max_pool3d_backward_tiled(g, gradient, positions, row_begin, row_end,
                                        volume_gradient);
}
void csim_max_pool3d_backward_tiled_at(int level, const csim_pool3d_geometry *g,
                                       const float *gradient, const int32_t *positions,
                                       size_t row_begin, size_t row_end, float *volume_gradient) {
  csim_table(level)->max_pool3d_backward_tiled(g, gradient, positions, row_begin, row_end,
                                               volume_gradient);
}
void csim_max_pool3d_at(int level, const csim_pool3d_geometry *g, const float *volume,
                        size_t row_begin, size_t row_end, float *out, int32_t *positions) {
  csim_table(level)->max_pool3d(g, volume, row_begin, row_end, out, positions);
}
void csim_average_pool3d_at(int level, const csim_pool3d_geometry *g, const float *volume,
                            size_t row_begin, size_t row_end, float *out) {
  csim_table(level)->average_pool3d(g, volume, row_begin, row_end, out);
}
void csim_average_pool3d_backward_at(int level, const csim_pool3d_geometry *g,
                                     const float *gradient, int assign, float *volume_gradient) {
  csim_table(level)->average_pool3d_backward(g, gradient, assign, volume_gradient);
}
