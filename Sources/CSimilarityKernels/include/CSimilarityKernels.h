#pragma once
#include <stddef.h>
#include <stdint.h>

#include "CSimilarityTraining.h"
#include "CSimilarityPooling.h"
#include "CSimilarityDepthwise.h"

// Distance kernels with run-time CPU dispatch (AVX-512 / AVX2+FMA / portable C).
// Each function returns a reduction over two float vectors of length n; the dispatch is chosen
// once (first call) with __builtin_cpu_supports, so no target-specific compiler flags are needed.
#ifdef __cplusplus
extern "C" {
#endif

// ---- instruction-set levels (dispatch.c) ----
/// Instruction-set levels, ordered: a CPU that runs a level runs every lower one.
enum {
  CSIM_ISA_PORTABLE = 0,  ///< plain C, no intrinsics (every CPU, arm64 included)
  CSIM_ISA_AVX2 = 1,      ///< AVX2 + FMA + F16C
  CSIM_ISA_AVX512 = 2     ///< AVX-512 F + BW
};
/// What became of SIMILARITY_ISA (csim_isa_request_status).
enum {
  CSIM_ISA_REQUEST_NONE = 0,        ///< unset or empty: the best level the CPU runs
  CSIM_ISA_REQUEST_APPLIED = 1,     ///< a known level the CPU runs: in force
  CSIM_ISA_REQUEST_UNKNOWN = 2,     ///< not portable, avx2 or avx512: ignored
  CSIM_ISA_REQUEST_UNSUPPORTED = 3  ///< a level this CPU cannot run: ignored
};
/// "portable", "avx2" or "avx512" for a level ("unknown" otherwise).
const char *csim_isa_name(int level);
/// The level named `name` ("portable", "avx2", "avx512"), or -1.
int csim_isa_parse(const char *name);
/// The best level this CPU runs.
int csim_isa_supported(void);
/// Whether the CPU has AVX512_BF16 (the bfloat16 dot-product instruction) besides AVX-512.
int csim_cpu_has_avx512_bf16(void);
/// The level the dispatched kernels use: SIMILARITY_ISA when it names a level the CPU runs,
/// else the best supported level. Read once.
int csim_isa_active(void);
/// CSIM_ISA_REQUEST_* for SIMILARITY_ISA.
int csim_isa_request_status(void);
/// `level` limited to what the CPU runs (and to at least portable).
int csim_isa_clamp(int level);

/// Kernel families, each dispatched on its own (csim_kernel_variant).
enum {
  CSIM_FAMILY_DISTANCE = 0,    ///< float32 reductions (L2², dot, L1, bounded), distance.c
  CSIM_FAMILY_HALF = 1,        ///< float16-row distances, half.c
  CSIM_FAMILY_SCAN = 2,        ///< exact-search selection passes, scan.c
  CSIM_FAMILY_BFLOAT16 = 3,    ///< bfloat16 scores, bfloat16.c
  CSIM_FAMILY_SPARSE = 4,      ///< CSR compression and products, sparse.c
  CSIM_FAMILY_AFFINE = 5,      ///< sparse-row affine layer, affine.c
  CSIM_FAMILY_POOLING = 6,     ///< max-pooling merge, pooling.c
  CSIM_FAMILY_OPTIMIZER = 7,   ///< RMSprop / Adam updates, training.c
  CSIM_FAMILY_CONVOLUTION = 8, ///< direct convolution, convolution.c
  CSIM_FAMILY_WINOGRAD = 9,    ///< Winograd F(2×2, 3×3), winograd.c
  CSIM_FAMILY_DEPTHWISE = 10,  ///< depthwise convolution, depthwise.c
  CSIM_FAMILY_COUNT = 11
};
/// The variant `family` runs at `level` (clamped to what the CPU runs): "portable", "avx2",
/// "avx512", "avx512bf16", or "none" where the family has no code at that level (direct and
/// Winograd convolution below AVX-512: callers then use im2col + GEMM).
const char *csim_kernel_variant(int family, int level);
/// Short name of a family ("distance", "half", …), NULL past CSIM_FAMILY_COUNT.
const char *csim_kernel_family_name(int family);

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

/// Whether the dispatched bfloat16 scoring kernel uses AVX512_BF16 (otherwise an AVX2 or a
/// portable kernel computes the same products: every CPU scores in bfloat16).
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

// ---- entry points at an explicit level (for tests and benchmarks) ----
// Each runs the variant its family has at csim_isa_clamp(level), whatever is dispatched.

/// The float32 reductions of distance.c.
enum {
  CSIM_REDUCE_L2SQ = 0,
  CSIM_REDUCE_DOT = 1,
  CSIM_REDUCE_L1 = 2,
  CSIM_REDUCE_L2SQ_BOUNDED = 3,
  CSIM_REDUCE_L1_BOUNDED = 4
};
/// `reduction` (CSIM_REDUCE_*) of a and b; `bound` is used by the bounded reductions only.
float csim_reduce_at(int level, int reduction, const float *a, const float *b, size_t n,
                     float bound);
/// csim_distances_rows_half's per-row reduction for one row (metric L2SQ, NEG_DOT or L1; the
/// dot is returned unnegated).
float csim_half_row_at(int level, int metric, const float *query, const uint16_t *row, size_t n,
                       float bound);
/// csim_scan_bounded at `level` (csim_scan_below is roots = NULL, slack = 0, upper = NULL).
size_t csim_scan_at(int level, const float *scores, const float *norms, const float *roots,
                    float scale, float offset, float slack, size_t n, float threshold,
                    uint32_t *indices, float *lower, float *upper);
/// csim_bf16_scores at `level`; at CSIM_ISA_AVX512 it uses AVX512_BF16 only where the CPU has
/// it (csim_cpu_has_avx512_bf16), else the AVX2 kernel.
void csim_bf16_scores_at(int level, const uint32_t *queries, size_t m, size_t d,
                         const uint32_t *panels, size_t first_panel, size_t panel_count,
                         float *scores, size_t ldc);

#ifdef __cplusplus
}
#endif
