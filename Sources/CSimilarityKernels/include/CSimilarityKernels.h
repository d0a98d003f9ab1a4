#pragma once
#include <stddef.h>
#include <stdint.h>

#include "CSimilarityTraining.h"

// Distance kernels with run-time CPU dispatch (AVX-512 / AVX2+FMA / portable C).
// Each function returns a reduction over two float vectors of length n; the dispatch is chosen
// once (first call) with __builtin_cpu_supports, so no target-specific compiler flags are needed.
#ifdef __cplusplus
extern "C" {
#endif

/// Name of the instruction set the dispatched kernels use: "avx512", "avx2" or "portable".
const char *csim_kernel_isa(void);

/// Sum of squared differences, Σ (a[i] − b[i])².
float csim_l2sq(const float *a, const float *b, size_t n);
/// Dot product, Σ a[i]·b[i].
float csim_dot(const float *a, const float *b, size_t n);
/// Sum of absolute differences, Σ |a[i] − b[i]|.
float csim_l1(const float *a, const float *b, size_t n);
/// Signal-to-noise ratio distance var(a − b) / var(a) (population variances); a is the anchor.
float csim_snr(const float *a, const float *b, size_t n);

/// The reductions the batched kernel can compute.
typedef enum {
  CSIM_METRIC_L2SQ = 0,   ///< Σ (q − x)²
  CSIM_METRIC_NEG_DOT = 1,///< −Σ q·x
  CSIM_METRIC_L1 = 2,     ///< Σ |q − x|
  CSIM_METRIC_ONE_MINUS_DOT = 3 ///< 1 − Σ q·x
} csim_metric;

/// Σ (a[i] − b[i])², or, once a partial sum exceeds `bound`, that partial sum (early abandon).
float csim_l2sq_bounded(const float *a, const float *b, size_t n, float bound);
/// Σ |a[i] − b[i]| with the same early-abandoning contract as `csim_l2sq_bounded`.
float csim_l1_bounded(const float *a, const float *b, size_t n, float bound);

/// For j in 0..<count: out[j] = metric(query, base + rows[j]·dim). Prefetches the next row.
/// For L2² and L1 a finite `bound` allows early abandoning: a value > bound then only means
/// "farther than bound". Pass INFINITY for exact values.
void csim_distances_rows(int metric, const float *query, const float *base, size_t dim,
                         const uint32_t *rows, size_t count, float bound, float *out);

/// IEEE binary16 storage: `out[i] = half(x[i])`, rounded to nearest even; magnitudes beyond
/// the largest half (65504) saturate to ±65504, NaN stays NaN.
void csim_float_to_half(const float *x, uint16_t *out, size_t n);
/// `out[i] = float(x[i])` (exact).
void csim_half_to_float(const uint16_t *x, float *out, size_t n);
/// `csim_distances_rows` with float16 rows (`base` holds `dim` halves per row) and a float32
/// query: the same metrics, bound and prefetching.
void csim_distances_rows_half(int metric, const float *query, const uint16_t *base, size_t dim,
                              const uint32_t *rows, size_t count, float bound, float *out);

/// For j in 0..<n: v = offset + scale·scores[j] + (norms ? norms[j] : 0); the entries with
/// v <= threshold are written in order to indices/values (each must hold n entries) and their
/// number is returned. The selection pass of exact search over a row of GEMM scores.
size_t csim_scan_below(const float *scores, const float *norms, float scale, float offset,
                       size_t n, float threshold, uint32_t *indices, float *values);
/// The bounded selection pass (bfloat16 scores): for j in 0..<n, v as above and
/// e = slack·roots[j]; the entries with v − e <= threshold are written in order to
/// indices / lower (v − e) / upper (v + e), each room for n entries; returns their number.
size_t csim_scan_bounded(const float *scores, const float *norms, const float *roots, float scale,
                         float offset, float slack, size_t n, float threshold, uint32_t *indices,
                         float *lower, float *upper);

/// Whether the bfloat16 scoring kernels below run here (AVX512_BF16). Elsewhere
/// csim_bf16_scores does nothing; the packing works everywhere.
int csim_bf16_available(void);
/// Packs float32 rows x[n, d] into bfloat16 panels (rounded to nearest even) as slots
/// first_slot ..< first_slot + n: panel p holds slots 16p ..< 16p + 16 as ⌈d/2⌉ groups of 16
/// 32-bit words, word (t, lane) = (x[2t + 1] << 16) | x[2t] of slot 16p + lane (zero past d).
void csim_bf16_pack_rows(const float *x, size_t n, size_t d, size_t first_slot, uint32_t *panels);
/// Words csim_bf16_pack_queries writes for m queries of length d.
size_t csim_bf16_query_words(size_t m, size_t d);
/// Packs float32 queries q[m, d] as bfloat16 pairs in tiles of 12 queries (pair-major in a tile).
void csim_bf16_pack_queries(const float *q, size_t m, size_t d, uint32_t *out);
/// scores[i, 16(p − first_panel) + lane] = the dot product, accumulated in float32, of packed
/// query i (i < m) and slot 16p + lane, for panels first_panel ..< first_panel + panel_count.
void csim_bf16_scores(const uint32_t *queries, size_t m, size_t d, const uint32_t *panels,
                      size_t first_panel, size_t panel_count, float *scores, size_t ldc);

/// A buffer of `bytes` (64-byte aligned) for index storage; from 2 MiB on it is 2 MiB aligned and
/// advised for transparent huge pages (Linux), unless CSIM_NO_HUGE_PAGES is set to non-zero.
/// NULL when out of memory. Release with csim_free_large.
void *csim_allocate_large(size_t bytes);
void csim_free_large(void *p);

/// Prefetches the first cache lines of a vector (a hint; never faults).
static inline void csim_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

// Tiny spin locks over int32 words (0 = free, 1 = held) for per-node link lists.
static inline void csim_spin_lock(int32_t *word) {
  for (;;) {
    int32_t expected = 0;
    if (__atomic_compare_exchange_n(word, &expected, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
      return;
    while (__atomic_load_n(word, __ATOMIC_RELAXED) != 0) {
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
    }
  }
}
static inline void csim_spin_unlock(int32_t *word) { __atomic_store_n(word, 0, __ATOMIC_RELEASE); }

/// Atomically adds `delta` to `*word` and returns the previous value.
static inline int64_t csim_fetch_add(int64_t *word, int64_t delta) {
  return __atomic_fetch_add(word, delta, __ATOMIC_RELAXED);
}

#ifdef __cplusplus
}
#endif
