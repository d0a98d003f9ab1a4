// The AVX2 + FMA direct convolution: convolution.c's register tile in 8-lane vectors and 16
// registers, and the padded output gradient of the backward pass. Chosen through the dispatch
// table (kernel_table.h) at the avx2 level.
#include "CSimilarityKernels.h"
#include "convolution_tiles.h"

#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>

typedef void (*tile_kernel)(const struct tile_args *);

#define CSIM_AVX2 __attribute__((target("avx2,fma")))

/// The lanes of an 8-lane vector below `count` (1...8), as a maskload / maskstore mask.
CSIM_AVX2 static inline __m256i lanes_below(int count) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(count), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

enum { MAX_TILE_ROWS_AVX2 = 12 };  // the most rows of any AVX2 tile (one vector wide)

// FULL: every vector of the tile is whole (no masked loads or stores in the loop).
static inline __attribute__((always_inline)) CSIM_AVX2 void tile_body_avx2(
    const int R, const int NV, const int FULL, const struct tile_args *p) {
  __m256 acc[MAX_TILE_ROWS_AVX2][2];
  const __m256i last = lanes_below(__builtin_popcount(p->last_mask));
#define LOAD_V(ptr, v) (!FULL && (v) == NV - 1 ? _mm256_maskload_ps((ptr), last) : _mm256_loadu_ps(ptr))
#pragma clang loop unroll(full)
  for (int r = 0; r < R; r++) {
#pragma clang loop unroll(full)
    for (int v = 0; v < NV; v++) {
      acc[r][v] = p->accumulate ? LOAD_V(p->c + r * p->ldc + 8 * v, v) : _mm256_setzero_ps();
    }
  }
  const ptrdiff_t rs = p->rs, ais = p->ais, bis = p->bis;
  const int GROUPS = (R + 2) / 3;  // group pointers, as in the AVX-512 tile
  for (size_t o = 0; o < p->outer; o++) {
    const float *g[4];
#pragma clang loop unroll(full)
    for (int k = 0; k < GROUPS; k++) g[k] = p->a + (ptrdiff_t)o * p->aos + 3 * k * rs;
    const float *b = p->b + (ptrdiff_t)o * p->bos;
    for (size_t i = 0; i < p->inner; i++) {
      __m256 bv[2];
#pragma clang loop unroll(full)
      for (int v = 0; v < NV; v++) bv[v] = LOAD_V(b + 8 * v, v);
#pragma clang loop unroll(full)
      for (int r = 0; r < R; r++) {
        const __m256 av = _mm256_broadcast_ss(&g[r / 3][(r % 3) * rs]);
#pragma clang loop unroll(full)
        for (int v = 0; v < NV; v++) acc[r][v] = _mm256_fmadd_ps(av, bv[v], acc[r][v]);
      }
#pragma clang loop unroll(full)
      for (int k = 0; k < GROUPS; k++) {
        g[k] += ais;
        __asm__("" : "+r"(g[k]));
      }
      b += bis;
    }
  }
  if (p->bias) {
#pragma clang loop unroll(full)
    for (int v = 0; v < NV; v++) {
      const __m256 bias = LOAD_V(p->bias + 8 * v, v);
#pragma clang loop unroll(full)
      for (int r = 0; r < R; r++) acc[r][v] = _mm256_add_ps(acc[r][v], bias);
    }
  }
  if (p->relu) {
#pragma clang loop unroll(full)
    for (int r = 0; r < R; r++) {
#pragma clang loop unroll(full)
      for (int v = 0; v < NV; v++) acc[r][v] = _mm256_max_ps(acc[r][v], _mm256_setzero_ps());
    }
  }
#pragma clang loop unroll(full)
  for (int r = 0; r < R; r++) {
#pragma clang loop unroll(full)
    for (int v = 0; v < NV; v++) {
      float *out = p->c + r * p->ldc + 8 * v;
      if (!FULL && v == NV - 1) _mm256_maskstore_ps(out, last, acc[r][v]);
      else _mm256_storeu_ps(out, acc[r][v]);
    }
  }
#undef LOAD_V
}

// R·NV accumulators + NV operands + one broadcast ≤ 16 registers: 6 × 16 columns (the classic
// AVX2 FMA tile) or 12 × 8.
enum { MAX_ROWS_AVX2_1 = MAX_TILE_ROWS_AVX2, MAX_ROWS_AVX2_2 = 6 };

#define TILE_AVX2(R, NV, FULL)                                                             \
  static CSIM_AVX2 void tile_avx2_##R##_##NV##_##FULL(const struct tile_args *p) {         \
    tile_body_avx2(R, NV, FULL, p);                                                        \
  }
#define TILES_AVX2_6(NV, FULL)                                                             \
  TILE_AVX2(1, NV, FULL) TILE_AVX2(2, NV, FULL) TILE_AVX2(3, NV, FULL)                    \
  TILE_AVX2(4, NV, FULL) TILE_AVX2(5, NV, FULL) TILE_AVX2(6, NV, FULL)
#define TILES_AVX2_12(NV, FULL)                                                            \
  TILES_AVX2_6(NV, FULL) TILE_AVX2(7, NV, FULL) TILE_AVX2(8, NV, FULL)                    \
  TILE_AVX2(9, NV, FULL) TILE_AVX2(10, NV, FULL) TILE_AVX2(11, NV, FULL)                  \
  TILE_AVX2(12, NV, FULL)
TILES_AVX2_12(1, 0)
TILES_AVX2_12(1, 1)
TILES_AVX2_6(2, 0)
TILES_AVX2_6(2, 1)
#define ROW_AVX2_6(NV, FULL)                                                               \
  tile_avx2_1_##NV##_##FULL, tile_avx2_2_##NV##_##FULL, tile_avx2_3_##NV##_##FULL,         \
      tile_avx2_4_##NV##_##FULL, tile_avx2_5_##NV##_##FULL, tile_avx2_6_##NV##_##FULL
#define ROW_AVX2_12(NV, FULL)                                                              \
  ROW_AVX2_6(NV, FULL), tile_avx2_7_##NV##_##FULL, tile_avx2_8_##NV##_##FULL,              \
      tile_avx2_9_##NV##_##FULL, tile_avx2_10_##NV##_##FULL, tile_avx2_11_##NV##_##FULL,   \
      tile_avx2_12_##NV##_##FULL
// [full][nv − 1][rows − 1]
static const tile_kernel tiles_avx2[2][2][MAX_ROWS_AVX2_1] = {
    {{ROW_AVX2_12(1, 0)}, {ROW_AVX2_6(2, 0)}}, {{ROW_AVX2_12(1, 1)}, {ROW_AVX2_6(2, 1)}}};
static const int max_rows_avx2[2] = {MAX_ROWS_AVX2_1, MAX_ROWS_AVX2_2};

// csim_conv_tiled in AVX2 tiles: column blocks of up to 16.
void csim_conv_tiled_avx2(struct tile_args p, size_t rows, size_t cols) {
  for (size_t c0 = 0; c0 < cols; c0 += 16) {
    const size_t width = cols - c0 < 16 ? cols - c0 : 16;
    const int nv = (int)((width + 7) / 8);
    const size_t tail = width - 8 * (size_t)(nv - 1);
    struct tile_args q = p;
    q.b = p.b + c0;
    q.c = p.c + c0;
    q.bias = p.bias ? p.bias + c0 : NULL;
    q.last_mask = (uint16_t)((1u << tail) - 1);
    const size_t limit = (size_t)max_rows_avx2[nv - 1];
    const size_t blocks = (rows + limit - 1) / limit;
    const size_t per_block = (rows + blocks - 1) / blocks;
    for (size_t r0 = 0; r0 < rows; r0 += per_block) {
      const size_t n = rows - r0 < per_block ? rows - r0 : per_block;
      struct tile_args t = q;
      t.a = q.a + (ptrdiff_t)r0 * q.rs;
      t.c = q.c + (ptrdiff_t)r0 * q.ldc;
      tiles_avx2[tail == 8][nv - 1][n - 1](&t);
    }
  }
}

// padded[(row + kh − 1), (kw − 1) ..] = dy · (y > 0 when y is given), zeros around it, and
// bias_gradient += the column sums of what was written.
CSIM_AVX2 void csim_pad_gradient_avx2(const float *dy, const float *y, size_t oh, size_t ow,
                                        size_t k, size_t kh, size_t kw, float *padded,
                                        float *bias_gradient) {
  const size_t pw = ow + 2 * (kw - 1);
  memset(padded, 0, (kh - 1) * pw * k * sizeof(float));
  memset(padded + (oh + kh - 1) * pw * k, 0, (kh - 1) * pw * k * sizeof(float));
  for (size_t row = 0; row < oh; row++) {
    float *line = padded + (row + kh - 1) * pw * k;
    memset(line, 0, (kw - 1) * k * sizeof(float));
    memset(line + (ow + kw - 1) * k, 0, (kw - 1) * k * sizeof(float));
    float *target = line + (kw - 1) * k;
    const float *g = dy + row * ow * k;
    const float *out = y ? y + row * ow * k : NULL;
    size_t c0 = 0;
    // Whole vectors of channels with plain loads and stores (masked ones are slow on AMD).
    for (; c0 + 8 <= k; c0 += 8) {
      __m256 sum = _mm256_setzero_ps();
      for (size_t x = 0; x < ow; x++) {
        __m256 v = _mm256_loadu_ps(g + x * k + c0);
        if (out) {
          const __m256 positive = _mm256_cmp_ps(_mm256_loadu_ps(out + x * k + c0), _mm256_setzero_ps(), _CMP_GT_OQ);
          v = _mm256_and_ps(v, positive);
        }
        _mm256_storeu_ps(target + x * k + c0, v);
        sum = _mm256_add_ps(sum, v);
      }
      if (bias_gradient) {
        _mm256_storeu_ps(bias_gradient + c0, _mm256_add_ps(_mm256_loadu_ps(bias_gradient + c0), sum));
      }
    }
    for (; c0 < k; c0 += 8) {
      const __m256i m = lanes_below((int)(k - c0));
      __m256 sum = _mm256_setzero_ps();
      for (size_t x = 0; x < ow; x++) {
        __m256 v = _mm256_maskload_ps(g + x * k + c0, m);
        if (out) {
          const __m256 positive = _mm256_cmp_ps(_mm256_maskload_ps(out + x * k + c0, m), _mm256_setzero_ps(), _CMP_GT_OQ);
          v = _mm256_and_ps(v, positive);
        }
        _mm256_maskstore_ps(target + x * k + c0, m, v);
        sum = _mm256_add_ps(sum, v);
      }
      if (bias_gradient) {
        _mm256_maskstore_ps(bias_gradient + c0, m, _mm256_add_ps(_mm256_maskload_ps(bias_gradient + c0, m), sum));
      }
    }
  }
}
#endif
