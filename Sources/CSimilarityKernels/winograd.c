// Winograd F(2×2, 3×3) convolution (Lavin & Gray 2016, "Fast Algorithms for Convolutional
// Neural Networks", https://arxiv.org/abs/1509.09308) for stride-1 valid 3×3 convolutions of
// NHWC images with HWIO filters.
//
// Each 2×2 block of outputs ("tile") comes from a 4×4 input patch d:
//
//   Y = Aᵀ [ Σ_c (G g_c Gᵀ) ⊙ (Bᵀ d_c B) ] A
//
//   Bᵀ = | 1  0 −1  0 |    G = | 1    0    0  |    Aᵀ = | 1  1  1  0 |
//        | 0  1  1  0 |        | ½    ½    ½  |         | 0  1 −1 −1 |
//        | 0 −1  1  0 |        | ½   −½    ½  |
//        | 0  1  0 −1 |        | 0    0    1  |
//
// so the channel sum is 16 matrix products (one per transform position ξ) of [tiles, c] by
// [c, k] instead of 9 over four times as many outputs: 16/36 of the direct kernel's
// multiply-adds, plus transforms that are additions. The products run on the direct kernel's
// register tiles (convolution_tiles.h), one row of tiles (two output rows) at a time so the
// transformed inputs stay in L1/L2. The input gradient is this forward pass over the padded
// output gradient with the flipped filter; the filter gradient is at the end of the file.
// Only AVX-512 machines run these: every entry point does nothing unless
// csim_conv2d_winograd_applicable.
#include "CSimilarityKernels.h"
#include "convolution_tiles.h"
#include "kernel_table.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define CSIM_AVX512 __attribute__((target("avx512f")))
#endif

int csim_conv2d_winograd_applicable(size_t h, size_t w, size_t c, size_t kh, size_t kw,
                                    size_t k) {
  return csim_conv2d_winograd_available() && kh == 3 && kw == 3 && h >= 4 && w >= 4 &&
         h % 2 == 0 && w % 2 == 0 && c > 0 && c % 16 == 0 && k > 0 && k % 16 == 0;
}

size_t csim_conv2d_winograd_scratch_floats(size_t w, size_t c, size_t k) {
  return 16 * ((w - 2) / 2) * (c + k);
}

#if defined(__x86_64__)
// u = G g Gᵀ over 16 output channels at a time: each (filter position, input channel) row
// of the HWIO filter is k contiguous floats.
CSIM_AVX512 static void filter_transform(const float *filter, size_t c, size_t k, float *u) {
  const __m512 half = _mm512_set1_ps(0.5f);
  for (size_t ci = 0; ci < c; ci++) {
    for (size_t ko = 0; ko < k; ko += 16) {
      __m512 h[4][3];
      for (int b = 0; b < 3; b++) {
        const __m512 g0 = _mm512_loadu_ps(filter + ((size_t)b * c + ci) * k + ko),
                     g1 = _mm512_loadu_ps(filter + ((size_t)(3 + b) * c + ci) * k + ko),
                     g2 = _mm512_loadu_ps(filter + ((size_t)(6 + b) * c + ci) * k + ko);
        const __m512 outer = _mm512_add_ps(g0, g2);
        h[0][b] = g0;
        h[1][b] = _mm512_mul_ps(half, _mm512_add_ps(outer, g1));
        h[2][b] = _mm512_mul_ps(half, _mm512_sub_ps(outer, g1));
        h[3][b] = g2;
      }
      for (int r = 0; r < 4; r++) {
        const __m512 outer = _mm512_add_ps(h[r][0], h[r][2]);
        const __m512 t[4] = {h[r][0], _mm512_mul_ps(half, _mm512_add_ps(outer, h[r][1])),
                             _mm512_mul_ps(half, _mm512_sub_ps(outer, h[r][1])), h[r][2]};
        for (int v = 0; v < 4; v++) {
          _mm512_storeu_ps(u + ((size_t)(4 * r + v) * c + ci) * k + ko, t[v]);
        }
      }
    }
  }
}
#endif

void csim_conv2d_winograd_filter(const float *filter, size_t c, size_t k, float *u) {
#if defined(__x86_64__)
  if (csim_conv2d_winograd_applicable(4, 4, c, 3, 3, k)) filter_transform(filter, c, k, u);
#else
  (void)filter, (void)c, (void)k, (void)u;
#endif
}

#if defined(__x86_64__)
// e[u] = (Bᵀ d)[u] for the 4 × 16 channels of patch column `column` starting at input row `row`.
CSIM_AVX512 static inline __attribute__((always_inline)) void row_transform(
    const float *x, size_t w, size_t c, size_t row, size_t column, size_t c0, __m512 e[4]) {
  const float *p = x + (row * w + column) * c + c0;
  const size_t line = w * c;
  const __m512 d0 = _mm512_loadu_ps(p), d1 = _mm512_loadu_ps(p + line),
               d2 = _mm512_loadu_ps(p + 2 * line), d3 = _mm512_loadu_ps(p + 3 * line);
  e[0] = _mm512_sub_ps(d0, d2);
  e[1] = _mm512_add_ps(d1, d2);
  e[2] = _mm512_sub_ps(d2, d1);
  e[3] = _mm512_sub_ps(d1, d3);
}

// v[ξ·plane + t·c + ci] = (Bᵀ d B)[ξ] for the tiles t < tiles of the tile row whose patches
// start at input row `row`. Neighbouring tiles share two patch columns, so each column's row
// transform (Bᵀ d) is computed once and slides along.
CSIM_AVX512 static void input_transform(const float *x, size_t w, size_t c, size_t row,
                                        size_t tiles, float *v, size_t plane) {
  for (size_t c0 = 0; c0 < c; c0 += 16) {
    __m512 e[4][4];  // e[column of the patch][transform row]
    row_transform(x, w, c, row, 0, c0, e[0]);
    row_transform(x, w, c, row, 1, c0, e[1]);
    for (size_t t = 0; t < tiles; t++) {
      row_transform(x, w, c, row, 2 * t + 2, c0, e[2]);
      row_transform(x, w, c, row, 2 * t + 3, c0, e[3]);
      for (int r = 0; r < 4; r++) {  // (Bᵀ d) B: over patch columns
        float *out = v + (size_t)(4 * r) * plane + t * c + c0;
        _mm512_storeu_ps(out, _mm512_sub_ps(e[0][r], e[2][r]));
        _mm512_storeu_ps(out + plane, _mm512_add_ps(e[1][r], e[2][r]));
        _mm512_storeu_ps(out + 2 * plane, _mm512_sub_ps(e[2][r], e[1][r]));
        _mm512_storeu_ps(out + 3 * plane, _mm512_sub_ps(e[1][r], e[3][r]));
      }
      for (int r = 0; r < 4; r++) {
        e[0][r] = e[2][r];
        e[1][r] = e[3][r];
      }
    }
  }
}

// y rows `row`, `row + 1` = act(Aᵀ m A + bias) for the tiles of one tile row.
CSIM_AVX512 static void output_transform(const float *m, size_t tiles, size_t ow, size_t k,
                                         size_t row, const float *bias, int relu, float *y) {
  const size_t plane = tiles * k;
  const __m512 zero = _mm512_setzero_ps();
  for (size_t t = 0; t < tiles; t++) {
    for (size_t k0 = 0; k0 < k; k0 += 16) {
      __m512 r0[4], r1[4];
      for (int v = 0; v < 4; v++) {  // Aᵀ m: over transform rows
        const float *p = m + (size_t)v * plane + t * k + k0;
        const __m512 m0 = _mm512_loadu_ps(p), m1 = _mm512_loadu_ps(p + 4 * plane),
                     m2 = _mm512_loadu_ps(p + 8 * plane), m3 = _mm512_loadu_ps(p + 12 * plane);
        r0[v] = _mm512_add_ps(_mm512_add_ps(m0, m1), m2);
        r1[v] = _mm512_sub_ps(_mm512_sub_ps(m1, m2), m3);
      }
      __m512 out[2][2] = {  // (Aᵀ m) A: over transform columns
          {_mm512_add_ps(_mm512_add_ps(r0[0], r0[1]), r0[2]),
           _mm512_sub_ps(_mm512_sub_ps(r0[1], r0[2]), r0[3])},
          {_mm512_add_ps(_mm512_add_ps(r1[0], r1[1]), r1[2]),
           _mm512_sub_ps(_mm512_sub_ps(r1[1], r1[2]), r1[3])}};
      const __m512 b = bias ? _mm512_loadu_ps(bias + k0) : zero;
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 2; j++) {
          __m512 value = _mm512_add_ps(out[i][j], b);
          if (relu) value = _mm512_max_ps(value, zero);
          _mm512_storeu_ps(y + ((row + (size_t)i) * ow + 2 * t + (size_t)j) * k + k0, value);
        }
      }
    }
  }
}
#endif

void csim_conv2d_winograd_forward(const float *x, size_t h, size_t w, size_t c, const float *u,
                                  size_t k, const float *bias, int relu, float *y,
                                  float *scratch) {
#if defined(__x86_64__)
  if (!csim_conv2d_winograd_applicable(h, w, c, 3, 3, k)) return;
  const size_t oh = h - 2, ow = w - 2, tiles = ow / 2;
  float *v = scratch, *m = scratch + 16 * tiles * c;
  for (size_t row = 0; row < oh; row += 2) {
    input_transform(x, w, c, row, tiles, v, tiles * c);
    for (size_t xi = 0; xi < 16; xi++) {
      // m[ξ] = v[ξ] · u[ξ]: rows = tiles (step c), inner = channels, columns = k.
      struct tile_args p = {
          .a = v + xi * tiles * c, .rs = (ptrdiff_t)c, .aos = 0, .ais = 1,
          .b = u + xi * c * k, .bos = 0, .bis = (ptrdiff_t)k, .outer = 1, .inner = c,
          .c = m + xi * tiles * k, .ldc = (ptrdiff_t)k, .accumulate = 0, .bias = NULL, .relu = 0};
      csim_conv_tiled(p, tiles, k);
    }
    output_transform(m, tiles, ow, k, row, bias, relu, y);
  }
#else
  (void)x, (void)h, (void)w, (void)c, (void)u, (void)k, (void)bias, (void)relu, (void)y;
  (void)scratch;
#endif
}

// ---- filter gradient ----
// With T(d, g, e) = Σ e ⊙ (d ⋆ g) = Σ_ξ (G g Gᵀ ⊙ Bᵀ d B ⊙ A e Aᵀ)[ξ] (the forward identity
// read as a trilinear form), the filter gradient of one 2 × 2 block e of the output gradient
// is ∂T/∂g = Gᵀ [(Bᵀ d B) ⊙ (A e Aᵀ)] G: the products are summed over all blocks and images
// in the transformed domain (16 matrix products of [c, blocks] by [blocks, k]) and mapped back
// once at the end.

// Blocks are gathered (across images) into a buffer of `capacity` blocks, and the products run
// when it is full, so their inner length stays long even for small images.
enum { GRADIENT_BLOCKS = 64 };

size_t csim_conv2d_winograd_gradient_capacity(size_t w) {
  const size_t tiles = (w - 2) / 2;
  return tiles > GRADIENT_BLOCKS ? tiles : GRADIENT_BLOCKS;
}

size_t csim_conv2d_winograd_gradient_buffer_floats(size_t w, size_t c, size_t k) {
  return 16 * csim_conv2d_winograd_gradient_capacity(w) * (c + k);
}

#if defined(__x86_64__)
// e[ξ·plane + t·k + k] = (A e Aᵀ)[ξ] for the 2 × 2 gradient blocks t < tiles of gradient rows
// 2·row and 2·row + 1.
CSIM_AVX512 static void gradient_transform(const float *g, size_t ldg, size_t k, size_t tiles,
                                           size_t row, float *e, size_t plane) {
  const __m512 zero = _mm512_setzero_ps();
  for (size_t t = 0; t < tiles; t++) {
    const float *p = g + 2 * row * ldg + 2 * t * k;
    for (size_t k0 = 0; k0 < k; k0 += 16) {
      const __m512 e00 = _mm512_loadu_ps(p + k0), e01 = _mm512_loadu_ps(p + k + k0),
                   e10 = _mm512_loadu_ps(p + ldg + k0), e11 = _mm512_loadu_ps(p + ldg + k + k0);
      // A e: over block rows (A = [1 0; 1 1; 1 −1; 0 −1]), then the same over columns.
      const __m512 f[4][2] = {{e00, e01},
                              {_mm512_add_ps(e00, e10), _mm512_add_ps(e01, e11)},
                              {_mm512_sub_ps(e00, e10), _mm512_sub_ps(e01, e11)},
                              {_mm512_sub_ps(zero, e10), _mm512_sub_ps(zero, e11)}};
      for (int u = 0; u < 4; u++) {
        float *o = e + (size_t)(4 * u) * plane + t * k + k0;
        _mm512_storeu_ps(o, f[u][0]);
        _mm512_storeu_ps(o + plane, _mm512_add_ps(f[u][0], f[u][1]));
        _mm512_storeu_ps(o + 2 * plane, _mm512_sub_ps(f[u][0], f[u][1]));
        _mm512_storeu_ps(o + 3 * plane, _mm512_sub_ps(zero, f[u][1]));
      }
    }
  }
}
#endif

void csim_conv2d_winograd_gradient_flush(float *buffer, size_t capacity, size_t *filled,
                                         size_t c, size_t k, float *m) {
#if defined(__x86_64__)
  if (*filled == 0 || !csim_conv2d_winograd_available()) return;
  const float *v = buffer, *e = buffer + 16 * capacity * c;
  for (size_t xi = 0; xi < 16; xi++) {
    // m[ξ] += v[ξ]ᵀ · e[ξ]: rows = channels (step 1), inner = blocks (step c), columns = k.
    struct tile_args p = {
        .a = v + xi * capacity * c, .rs = 1, .aos = 0, .ais = (ptrdiff_t)c,
        .b = e + xi * capacity * k, .bos = 0, .bis = (ptrdiff_t)k, .outer = 1, .inner = *filled,
        .c = m + xi * c * k, .ldc = (ptrdiff_t)k, .accumulate = 1, .bias = NULL, .relu = 0};
    csim_conv_tiled(p, c, k);
  }
#else
  (void)buffer, (void)capacity, (void)c, (void)k, (void)m;
#endif
  *filled = 0;
}

void csim_conv2d_winograd_filter_gradient(const float *x, size_t h, size_t w, size_t c,
                                          const float *g, size_t ldg, size_t k, float *m,
                                          float *buffer, size_t *filled) {
#if defined(__x86_64__)
  if (!csim_conv2d_winograd_applicable(h, w, c, 3, 3, k)) return;
  const size_t tiles = (w - 2) / 2, tile_rows = (h - 2) / 2;
  const size_t capacity = csim_conv2d_winograd_gradient_capacity(w);
  float *v = buffer, *e = buffer + 16 * capacity * c;
  for (size_t row = 0; row < tile_rows; row++) {
    if (*filled + tiles > capacity) csim_conv2d_winograd_gradient_flush(buffer, capacity, filled, c, k, m);
    input_transform(x, w, c, 2 * row, tiles, v + *filled * c, capacity * c);
    gradient_transform(g, ldg, k, tiles, row, e + *filled * k, capacity * k);
    *filled += tiles;
  }
#else
  (void)x, (void)h, (void)w, (void)c, (void)g, (void)ldg, (void)k, (void)m, (void)buffer;
  (void)filled;
#endif
}

#if defined(__x86_64__)
// dw += Gᵀ m G, 16 lanes of the c·k plane at a time: t = Gᵀ m over the transform rows, then
// t G over the columns.
CSIM_AVX512 static void gradient_finish(const float *m, size_t plane, float *dw) {
  const __m512 half = _mm512_set1_ps(0.5f);
  for (size_t i = 0; i < plane; i += 16) {
    __m512 t[3][4];
    for (int v = 0; v < 4; v++) {
      const __m512 m0 = _mm512_loadu_ps(m + (size_t)v * plane + i),
                   m1 = _mm512_loadu_ps(m + (size_t)(4 + v) * plane + i),
                   m2 = _mm512_loadu_ps(m + (size_t)(8 + v) * plane + i),
                   m3 = _mm512_loadu_ps(m + (size_t)(12 + v) * plane + i);
      const __m512 inner = _mm512_mul_ps(half, _mm512_add_ps(m1, m2));
      t[0][v] = _mm512_add_ps(m0, inner);
      t[1][v] = _mm512_mul_ps(half, _mm512_sub_ps(m1, m2));
      t[2][v] = _mm512_add_ps(inner, m3);
    }
    for (int a = 0; a < 3; a++) {
      const __m512 inner = _mm512_mul_ps(half, _mm512_add_ps(t[a][1], t[a][2]));
      const __m512 out[3] = {_mm512_add_ps(t[a][0], inner),
                             _mm512_mul_ps(half, _mm512_sub_ps(t[a][1], t[a][2])),
                             _mm512_add_ps(inner, t[a][3])};
      for (int b = 0; b < 3; b++) {
        float *p = dw + (size_t)(3 * a + b) * plane + i;
        _mm512_storeu_ps(p, _mm512_add_ps(_mm512_loadu_ps(p), out[b]));
      }
    }
  }
}
#endif

void csim_conv2d_winograd_filter_gradient_finish(const float *m, size_t c, size_t k,
                                                 float *dw) {
#if defined(__x86_64__)
  if (csim_conv2d_winograd_applicable(4, 4, c, 3, 3, k)) gradient_finish(m, c * k, dw);
#else
  (void)m, (void)c, (void)k, (void)dw;
#endif
}
