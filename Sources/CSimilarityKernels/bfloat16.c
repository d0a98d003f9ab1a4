// bfloat16 scoring for exact search: dot products of bfloat16-rounded queries and base rows
// with float32 accumulation: AVX512_BF16 `vdpbf16ps` (twice the products per instruction of a
// float32 FMA) where the CPU has it, else AVX2 FMAs on the widened pairs or portable C. Every
// product of two bfloat16 values is exact in float32, so the variants differ only in the
// rounding of the sums, well inside the error bound the caller re-ranks with. Its selection
// pass, `csim_scan_bounded`, is in scan.c; the caller re-ranks the survivors in float32.
#include "CSimilarityKernels.h"
#include "kernel_table.h"

#include <string.h>

/// Round to nearest even; finite values that would round past the largest bfloat16 saturate to
/// it (inputs are finite: the indexes reject NaN and infinities).
static inline uint16_t to_bf16(float x) {
  uint32_t u;
  memcpy(&u, &x, sizeof u);
  uint32_t rounded = u + 0x7FFFu + ((u >> 16) & 1u);
  if (((rounded >> 23) & 0xFFu) == 0xFFu) rounded = (u & 0x80000000u) | 0x7F7F0000u;
  return (uint16_t)(rounded >> 16);
}

static inline uint32_t pair_at(const float *row, size_t d, size_t t) {
  const uint32_t low = to_bf16(row[2 * t]);
  const uint32_t high = 2 * t + 1 < d ? to_bf16(row[2 * t + 1]) : 0u;
  return low | (high << 16);
}

void csim_bf16_pack_rows(const float *x, size_t n, size_t d, size_t first_slot, uint32_t *panels) {
  const size_t pairs = (d + 1) / 2;
  for (size_t r = 0; r < n; r++) {
    const size_t slot = first_slot + r;
    uint32_t *panel = panels + (slot / 16) * pairs * 16 + slot % 16;
    for (size_t t = 0; t < pairs; t++) panel[t * 16] = pair_at(x + r * d, d, t);
  }
}

enum { BF16_ROWS = 12 };

void csim_bf16_pack_queries(const float *q, size_t m, size_t d, uint32_t *out) {
  // Tiles of BF16_ROWS queries, pair-major inside a tile, so a kernel step reads its
  // queries' pairs at fixed offsets from one pointer.
  const size_t pairs = (d + 1) / 2;
  memset(out, 0, csim_bf16_query_words(m, d) * sizeof(uint32_t));
  for (size_t i = 0; i < m; i++) {
    uint32_t *tile = out + (i / BF16_ROWS) * pairs * BF16_ROWS + i % BF16_ROWS;
    for (size_t t = 0; t < pairs; t++) tile[t * BF16_ROWS] = pair_at(q + i * d, d, t);
  }
}

size_t csim_bf16_query_words(size_t m, size_t d) {
  return (m + BF16_ROWS - 1) / BF16_ROWS * BF16_ROWS * ((d + 1) / 2);
}


/// The float32 value of the bfloat16 in the low / high half of a packed pair.
static inline float bf16_low(uint32_t word) {
  const uint32_t bits = word << 16;
  float value;
  memcpy(&value, &bits, sizeof value);
  return value;
}
static inline float bf16_high(uint32_t word) {
  const uint32_t bits = word & 0xFFFF0000u;
  float value;
  memcpy(&value, &bits, sizeof value);
  return value;
}

// ---- portable: one query against one panel's 16 slots at a time ----
static void bf16_scores_portable(const uint32_t *queries, size_t m, size_t d,
                                 const uint32_t *panels, size_t first_panel, size_t panel_count,
                                 float *scores, size_t ldc) {
  const size_t pairs = (d + 1) / 2;
  for (size_t p = 0; p < panel_count; p++) {
    const uint32_t *panel = panels + (first_panel + p) * pairs * 16;
    for (size_t i = 0; i < m; i++) {
      const uint32_t *q = queries + (i / BF16_ROWS) * pairs * BF16_ROWS + i % BF16_ROWS;
      float acc[16] = {0};
      for (size_t t = 0; t < pairs; t++) {
        const float q0 = bf16_low(q[t * BF16_ROWS]), q1 = bf16_high(q[t * BF16_ROWS]);
        const uint32_t *x = panel + t * 16;
        for (int lane = 0; lane < 16; lane++) {
          acc[lane] += q0 * bf16_low(x[lane]) + q1 * bf16_high(x[lane]);
        }
      }
      memcpy(scores + i * ldc + p * 16, acc, sizeof acc);
    }
  }
}

#if defined(__x86_64__)
#include <immintrin.h>

#define CSIM_BF16 __attribute__((target("avx512f,avx512bw,avx512bf16")))

// scores[r, 16v + lane] for R queries × NV panels, over every pair.
static inline __attribute__((always_inline)) CSIM_BF16 void bf16_tile(
    const int R, const int NV, const uint32_t *q, size_t pairs, const uint32_t *panel,
    float *scores, size_t ldc) {
  __m512 acc[12][2];
#pragma clang loop unroll(full)
  for (int r = 0; r < R; r++) {
#pragma clang loop unroll(full)
    for (int v = 0; v < NV; v++) acc[r][v] = _mm512_setzero_ps();
  }
  const size_t panel_size = pairs * 16;
  for (size_t t = 0; t < pairs; t++) {
    __m512i b[2];
#pragma clang loop unroll(full)
    for (int v = 0; v < NV; v++) b[v] = _mm512_loadu_si512(panel + v * panel_size + t * 16);
#pragma clang loop unroll(full)
    for (int r = 0; r < R; r++) {
      const __m512i a = _mm512_set1_epi32((int)q[t * BF16_ROWS + r]);
#pragma clang loop unroll(full)
      for (int v = 0; v < NV; v++) {
        acc[r][v] = _mm512_dpbf16_ps(acc[r][v], (__m512bh)a, (__m512bh)b[v]);
      }
    }
  }
#pragma clang loop unroll(full)
  for (int r = 0; r < R; r++) {
#pragma clang loop unroll(full)
    for (int v = 0; v < NV; v++) _mm512_storeu_ps(scores + r * ldc + 16 * v, acc[r][v]);
  }
}

#define BF16_TILE(R, NV)                                                                     \
  static CSIM_BF16 void bf16_tile_##R##_##NV(const uint32_t *q, size_t pairs,               \
                                             const uint32_t *panel, float *s, size_t ldc) { \
    bf16_tile(R, NV, q, pairs, panel, s, ldc);                                               \
  }
#define BF16_TILES(NV)                                                                       \
  BF16_TILE(1, NV) BF16_TILE(2, NV) BF16_TILE(3, NV) BF16_TILE(4, NV) BF16_TILE(5, NV)       \
  BF16_TILE(6, NV) BF16_TILE(7, NV) BF16_TILE(8, NV) BF16_TILE(9, NV) BF16_TILE(10, NV)      \
  BF16_TILE(11, NV) BF16_TILE(12, NV)
BF16_TILES(1)
BF16_TILES(2)

typedef void (*bf16_kernel)(const uint32_t *, size_t, const uint32_t *, float *, size_t);
#define BF16_ROW(NV)                                                                         \
  {bf16_tile_1_##NV, bf16_tile_2_##NV, bf16_tile_3_##NV, bf16_tile_4_##NV, bf16_tile_5_##NV, \
   bf16_tile_6_##NV, bf16_tile_7_##NV, bf16_tile_8_##NV, bf16_tile_9_##NV, bf16_tile_10_##NV, \
   bf16_tile_11_##NV, bf16_tile_12_##NV}
static const bf16_kernel bf16_tiles[2][BF16_ROWS] = {BF16_ROW(1), BF16_ROW(2)};


// ---- AVX2 + FMA: R queries × one panel (two 8-lane halves), pairs widened by shift / mask ----
#define CSIM_AVX2 __attribute__((target("avx2,fma")))

static inline __attribute__((always_inline)) CSIM_AVX2 void bf16_tile_avx2(
    const int R, const uint32_t *q, size_t pairs, const uint32_t *panel, float *scores,
    size_t ldc) {
  const __m256i high_mask = _mm256_set1_epi32((int)0xFFFF0000u);
  __m256 acc[4][2];
#pragma clang loop unroll(full)
  for (int r = 0; r < R; r++) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
  for (size_t t = 0; t < pairs; t++) {
    const __m256i w0 = _mm256_loadu_si256((const __m256i *)(panel + t * 16));
    const __m256i w1 = _mm256_loadu_si256((const __m256i *)(panel + t * 16 + 8));
    const __m256 lo0 = _mm256_castsi256_ps(_mm256_slli_epi32(w0, 16));
    const __m256 hi0 = _mm256_castsi256_ps(_mm256_and_si256(w0, high_mask));
    const __m256 lo1 = _mm256_castsi256_ps(_mm256_slli_epi32(w1, 16));
    const __m256 hi1 = _mm256_castsi256_ps(_mm256_and_si256(w1, high_mask));
#pragma clang loop unroll(full)
    for (int r = 0; r < R; r++) {
      const __m256i word = _mm256_set1_epi32((int)q[t * BF16_ROWS + r]);
      const __m256 qlo = _mm256_castsi256_ps(_mm256_slli_epi32(word, 16));
      const __m256 qhi = _mm256_castsi256_ps(_mm256_and_si256(word, high_mask));
      acc[r][0] = _mm256_fmadd_ps(qhi, hi0, _mm256_fmadd_ps(qlo, lo0, acc[r][0]));
      acc[r][1] = _mm256_fmadd_ps(qhi, hi1, _mm256_fmadd_ps(qlo, lo1, acc[r][1]));
    }
  }
#pragma clang loop unroll(full)
  for (int r = 0; r < R; r++) {
    _mm256_storeu_ps(scores + r * ldc, acc[r][0]);
    _mm256_storeu_ps(scores + r * ldc + 8, acc[r][1]);
  }
}

#define BF16_AVX2_TILE(R)                                                                    \
  static CSIM_AVX2 void bf16_tile_avx2_##R(const uint32_t *q, size_t pairs,                 \
                                           const uint32_t *panel, float *s, size_t ldc) {    \
    bf16_tile_avx2(R, q, pairs, panel, s, ldc);                                              \
  }
BF16_AVX2_TILE(1)
BF16_AVX2_TILE(2)
BF16_AVX2_TILE(3)
BF16_AVX2_TILE(4)
static const bf16_kernel bf16_tiles_avx2[4] = {bf16_tile_avx2_1, bf16_tile_avx2_2,
                                               bf16_tile_avx2_3, bf16_tile_avx2_4};

static void bf16_scores_avx2(const uint32_t *queries, size_t m, size_t d, const uint32_t *panels,
                             size_t first_panel, size_t panel_count, float *scores, size_t ldc) {
  const size_t pairs = (d + 1) / 2;
  for (size_t p = 0; p < panel_count; p++) {
    const uint32_t *panel = panels + (first_panel + p) * pairs * 16;
    for (size_t i = 0; i < m; i += 4) {
      // Four queries of one tile at a time (tiles hold BF16_ROWS = 12, a multiple of 4).
      const size_t rows = m - i < 4 ? m - i : 4;
      const uint32_t *q = queries + (i / BF16_ROWS) * pairs * BF16_ROWS + i % BF16_ROWS;
      bf16_tiles_avx2[rows - 1](q, pairs, panel, scores + i * ldc + p * 16, ldc);
    }
  }
}

static void bf16_scores_avx512(const uint32_t *queries, size_t m, size_t d,
                               const uint32_t *panels, size_t first_panel, size_t panel_count,
                               float *scores, size_t ldc) {
  const size_t pairs = (d + 1) / 2;
  // Two panels (32 base rows) at a time against every query tile: the panels' 2·pairs·64
  // bytes stay in L2 while the query tiles (R·pairs·4 bytes) stream through L1.
  for (size_t p = 0; p < panel_count; p += 2) {
    const int nv = panel_count - p >= 2 ? 2 : 1;
    const uint32_t *panel = panels + (first_panel + p) * pairs * 16;
    for (size_t i = 0; i < m; i += BF16_ROWS) {
      const size_t rows = m - i < BF16_ROWS ? m - i : BF16_ROWS;
      bf16_tiles[nv - 1][rows - 1](queries + i * pairs, pairs, panel, scores + i * ldc + p * 16, ldc);
    }
  }
}
#endif

void csim_fill_bfloat16(struct csim_kernel_table *t, int level) {
  t->bf16_scores = bf16_scores_portable;
  t->variant[CSIM_FAMILY_BFLOAT16] = "portable";
#if defined(__x86_64__)
  if (level >= CSIM_ISA_AVX512 && csim_cpu_has_avx512_bf16()) {
    t->bf16_scores = bf16_scores_avx512;
    t->variant[CSIM_FAMILY_BFLOAT16] = "avx512bf16";
  } else if (level >= CSIM_ISA_AVX2) {
    t->bf16_scores = bf16_scores_avx2;
    t->variant[CSIM_FAMILY_BFLOAT16] = "avx2";
  }
#else
  (void)level;
#endif
}

int csim_bf16_available(void) { return strcmp(csim_active.variant[CSIM_FAMILY_BFLOAT16], "avx512bf16") == 0; }

void csim_bf16_scores_at(int level, const uint32_t *queries, size_t m, size_t d,
                         const uint32_t *panels, size_t first_panel, size_t panel_count,
                         float *scores, size_t ldc) {
  csim_table(level)->bf16_scores(queries, m, d, panels, first_panel, panel_count, scores, ldc);
}

void csim_bf16_scores(const uint32_t *queries, size_t m, size_t d, const uint32_t *panels,
                      size_t first_panel, size_t panel_count, float *scores, size_t ldc) {
  csim_active.bf16_scores(queries, m, d, panels, first_panel, panel_count, scores, ldc);
}
