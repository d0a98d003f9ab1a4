// bfloat16 scoring for exact search: dot products of bfloat16-rounded queries and base rows
// with float32 accumulation (AVX512_BF16 `vdpbf16ps`, twice the products per instruction of a
// float32 FMA). Its selection pass, `csim_scan_bounded`, is in scan.c; the caller re-ranks the
// survivors in float32.
#include "CSimilarityKernels.h"

#include <string.h>

static int bf16_available = 0;

__attribute__((constructor)) static void csim_select_bf16_kernels(void) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  bf16_available = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                   __builtin_cpu_supports("avx512bf16");
#endif
}

int csim_bf16_available(void) { return bf16_available; }

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
#endif

void csim_bf16_scores(const uint32_t *queries, size_t m, size_t d, const uint32_t *panels,
                      size_t first_panel, size_t panel_count, float *scores, size_t ldc) {
#if defined(__x86_64__)
  if (!bf16_available) return;
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
#else
  (void)queries, (void)m, (void)d, (void)panels, (void)first_panel, (void)panel_count;
  (void)scores, (void)ldc;
#endif
}
