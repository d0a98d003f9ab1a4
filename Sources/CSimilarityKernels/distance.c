// Distance kernels: portable C, AVX2+FMA and AVX-512 variants chosen at run time.
// The target attributes let one translation unit hold all variants without compiler flags.
#include "CSimilarityKernels.h"
#include "kernel_table.h"
#include "early_abandon.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CSIM_X86 1
#endif

// ---- portable ----
static float l2sq_portable(const float *a, const float *b, size_t n) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    float d0 = a[i] - b[i], d1 = a[i + 1] - b[i + 1], d2 = a[i + 2] - b[i + 2],
          d3 = a[i + 3] - b[i + 3];
    s0 += d0 * d0; s1 += d1 * d1; s2 += d2 * d2; s3 += d3 * d3;
  }
  for (; i < n; i++) { float d = a[i] - b[i]; s0 += d * d; }
  return (s0 + s1) + (s2 + s3);
}
static float dot_portable(const float *a, const float *b, size_t n) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i] * b[i]; s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2]; s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; i++) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}
static float l1_portable(const float *a, const float *b, size_t n) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += __builtin_fabsf(a[i] - b[i]); s1 += __builtin_fabsf(a[i + 1] - b[i + 1]);
    s2 += __builtin_fabsf(a[i + 2] - b[i + 2]); s3 += __builtin_fabsf(a[i + 3] - b[i + 3]);
  }
  for (; i < n; i++) s0 += __builtin_fabsf(a[i] - b[i]);
  return (s0 + s1) + (s2 + s3);
}

#ifdef CSIM_X86
// ---- AVX2 + FMA ----
__attribute__((target("avx2,fma"))) static inline float hsum256(__m256 v) {
  __m128 lo = _mm256_castps256_ps128(v), hi = _mm256_extractf128_ps(v, 1);
  lo = _mm_add_ps(lo, hi);
  lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
  lo = _mm_add_ss(lo, _mm_movehdup_ps(lo));
  return _mm_cvtss_f32(lo);
}
__attribute__((target("avx2,fma"))) static float l2sq_avx2(const float *a, const float *b,
                                                          size_t n) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
    __m256 d1 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8));
    s0 = _mm256_fmadd_ps(d0, d0, s0);
    s1 = _mm256_fmadd_ps(d1, d1, s1);
  }
  for (; i + 8 <= n; i += 8) {
    __m256 d = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
    s0 = _mm256_fmadd_ps(d, d, s0);
  }
  float s = hsum256(_mm256_add_ps(s0, s1));
  for (; i < n; i++) { float d = a[i] - b[i]; s += d * d; }
  return s;
}
__attribute__((target("avx2,fma"))) static float dot_avx2(const float *a, const float *b,
                                                         size_t n) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
  }
  for (; i + 8 <= n; i += 8)
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
  float s = hsum256(_mm256_add_ps(s0, s1));
  for (; i < n; i++) s += a[i] * b[i];
  return s;
}
__attribute__((target("avx2,fma"))) static float l1_avx2(const float *a, const float *b,
                                                        size_t n) {
  const __m256 mask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
    __m256 d1 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8));
    s0 = _mm256_add_ps(s0, _mm256_and_ps(d0, mask));
    s1 = _mm256_add_ps(s1, _mm256_and_ps(d1, mask));
  }
  for (; i + 8 <= n; i += 8) {
    __m256 d = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
    s0 = _mm256_add_ps(s0, _mm256_and_ps(d, mask));
  }
  float s = hsum256(_mm256_add_ps(s0, s1));
  for (; i < n; i++) s += __builtin_fabsf(a[i] - b[i]);
  return s;
}

// ---- AVX-512 (masked tail, no scalar remainder) ----
__attribute__((target("avx512f"))) static float l2sq_avx512(const float *a, const float *b,
                                                           size_t n) {
  __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    __m512 d0 = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i));
    __m512 d1 = _mm512_sub_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16));
    s0 = _mm512_fmadd_ps(d0, d0, s0);
    s1 = _mm512_fmadd_ps(d1, d1, s1);
  }
  for (; i < n; i += 16) {
    __mmask16 m = n - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - i)) - 1);
    __m512 d = _mm512_sub_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i));
    s0 = _mm512_fmadd_ps(d, d, s0);
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
}
__attribute__((target("avx512f"))) static float dot_avx512(const float *a, const float *b,
                                                          size_t n) {
  __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
    s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), s1);
  }
  for (; i < n; i += 16) {
    __mmask16 m = n - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - i)) - 1);
    s0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i), s0);
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
}
__attribute__((target("avx512f"))) static float l1_avx512(const float *a, const float *b,
                                                         size_t n) {
  __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    __m512 d0 = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i));
    __m512 d1 = _mm512_sub_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16));
    s0 = _mm512_add_ps(s0, _mm512_abs_ps(d0));
    s1 = _mm512_add_ps(s1, _mm512_abs_ps(d1));
  }
  for (; i < n; i += 16) {
    __mmask16 m = n - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - i)) - 1);
    __m512 d = _mm512_sub_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i));
    s0 = _mm512_add_ps(s0, _mm512_abs_ps(d));
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
}
#endif

// ---- early-abandoning variants: stop once the partial sum exceeds `bound` ----
// The result is then some partial sum > bound (enough to reject the candidate); otherwise the
// full value. Only for sums of non-negative terms (L2², L1). The sum is compared with the bound
// at the block ends of early_abandon.h.
static float l2sq_bounded_portable(const float *a, const float *b, size_t n, float bound) {
  float s = 0;
  for (size_t i0 = 0, end; i0 < n; i0 = end) {
    end = csim_abandon_block_end(i0, n);
    s += l2sq_portable(a + i0, b + i0, end - i0);
    if (s > bound) return s;
  }
  return s;
}
static float l1_bounded_portable(const float *a, const float *b, size_t n, float bound) {
  float s = 0;
  for (size_t i0 = 0, end; i0 < n; i0 = end) {
    end = csim_abandon_block_end(i0, n);
    s += l1_portable(a + i0, b + i0, end - i0);
    if (s > bound) return s;
  }
  return s;
}
#ifdef CSIM_X86
__attribute__((target("avx512f"))) static float l2sq_bounded_avx512(const float *a,
                                                                   const float *b, size_t n,
                                                                   float bound) {
  __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
  size_t i = 0;
  while (i + 32 <= n) {
    __m512 d0 = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i));
    __m512 d1 = _mm512_sub_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16));
    s0 = _mm512_fmadd_ps(d0, d0, s0);
    s1 = _mm512_fmadd_ps(d1, d1, s1);
    i += 32;
    if (((i & 127) == 0 || i < 128) && i < n) {  // the blocks of early_abandon.h
      float partial = _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
      if (partial > bound) return partial;
    }
  }
  for (; i < n; i += 16) {
    __mmask16 m = n - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - i)) - 1);
    __m512 d = _mm512_sub_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i));
    s0 = _mm512_fmadd_ps(d, d, s0);
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
}
// The other early-abandoning variants: the whole-vector kernel over each block of
// early_abandon.h, then the bound check.
#define CSIM_BOUNDED_BY_BLOCKS(name, kernel, target_features)                             \
  __attribute__((target(target_features))) static float name(const float *a, const float *b, \
                                                             size_t n, float bound) {        \
    float s = 0;                                                                             \
    for (size_t i0 = 0, end; i0 < n; i0 = end) {                                             \
      end = csim_abandon_block_end(i0, n);                                                   \
      s += kernel(a + i0, b + i0, end - i0);                                                 \
      if (s > bound) return s;                                                               \
    }                                                                                        \
    return s;                                                                                \
  }
CSIM_BOUNDED_BY_BLOCKS(l2sq_bounded_avx2, l2sq_avx2, "avx2,fma")
CSIM_BOUNDED_BY_BLOCKS(l1_bounded_avx2, l1_avx2, "avx2,fma")
CSIM_BOUNDED_BY_BLOCKS(l1_bounded_avx512, l1_avx512, "avx512f")
#endif

// ---- dispatch ----
void csim_fill_distance(struct csim_kernel_table *t, int level) {
  t->l2sq = l2sq_portable, t->dot = dot_portable, t->l1 = l1_portable;
  t->l2sq_bounded = l2sq_bounded_portable, t->l1_bounded = l1_bounded_portable;
  t->variant[CSIM_FAMILY_DISTANCE] = "portable";
#ifdef CSIM_X86
  if (level >= CSIM_ISA_AVX512) {
    t->l2sq = l2sq_avx512, t->dot = dot_avx512, t->l1 = l1_avx512;
    t->l2sq_bounded = l2sq_bounded_avx512, t->l1_bounded = l1_bounded_avx512;
    t->variant[CSIM_FAMILY_DISTANCE] = "avx512";
  } else if (level >= CSIM_ISA_AVX2) {
    t->l2sq = l2sq_avx2, t->dot = dot_avx2, t->l1 = l1_avx2;
    t->l2sq_bounded = l2sq_bounded_avx2, t->l1_bounded = l1_bounded_avx2;
    t->variant[CSIM_FAMILY_DISTANCE] = "avx2";
  }
#else
  (void)level;
#endif
}

float csim_reduce_at(int level, int reduction, const float *a, const float *b, size_t n,
                     float bound) {
  const struct csim_kernel_table *k = csim_table(level);
  switch (reduction) {
  case CSIM_REDUCE_L2SQ: return k->l2sq(a, b, n);
  case CSIM_REDUCE_DOT: return k->dot(a, b, n);
  case CSIM_REDUCE_L1: return k->l1(a, b, n);
  case CSIM_REDUCE_L2SQ_BOUNDED: return k->l2sq_bounded(a, b, n, bound);
  default: return k->l1_bounded(a, b, n, bound);
  }
}

float csim_l2sq(const float *a, const float *b, size_t n) { return csim_active.l2sq(a, b, n); }
float csim_dot(const float *a, const float *b, size_t n) { return csim_active.dot(a, b, n); }
float csim_l1(const float *a, const float *b, size_t n) { return csim_active.l1(a, b, n); }

float csim_snr(const float *a, const float *b, size_t n) {
  // var(a - b) = E[(a-b)^2] - E[a-b]^2, var(a) = E[a^2] - E[a]^2, in double for stability.
  double sd = 0, sd2 = 0, sa = 0, sa2 = 0;
  for (size_t i = 0; i < n; i++) {
    double x = a[i], d = (double)a[i] - (double)b[i];
    sd += d; sd2 += d * d; sa += x; sa2 += x * x;
  }
  double inv = 1.0 / (double)n;
  double vd = sd2 * inv - (sd * inv) * (sd * inv);
  double va = sa2 * inv - (sa * inv) * (sa * inv);
  return (float)(vd / va);
}

float csim_l2sq_bounded(const float *a, const float *b, size_t n, float bound) {
  return csim_active.l2sq_bounded(a, b, n, bound);
}
float csim_l1_bounded(const float *a, const float *b, size_t n, float bound) {
  return csim_active.l1_bounded(a, b, n, bound);
}

void csim_distances_rows(int metric, const float *query, const float *base, size_t dim,
                         const uint32_t *rows, size_t count, float bound, float *out) {
  float (*k)(const float *, const float *, size_t) =
      metric == CSIM_METRIC_L2SQ ? csim_active.l2sq
      : metric == CSIM_METRIC_L1 ? csim_active.l1
                                 : csim_active.dot;
  float (*kb)(const float *, const float *, size_t, float) =
      metric == CSIM_METRIC_L2SQ ? csim_active.l2sq_bounded
      : metric == CSIM_METRIC_L1 ? csim_active.l1_bounded
                                 : 0;
  int bounded = kb != 0 && bound < __builtin_inff();
  for (size_t j = 0; j < count; j++) {
    if (j + 1 < count) {
      // Prefetch the start of the next row: rows are random accesses the hardware prefetcher
      // cannot predict, but once a row's first lines are requested its stream prefetcher
      // follows. Prefetching whole rows (49 lines at d = 784) filled the miss queue and made
      // builds ~13% slower on AMD Zen 4 (docs/BENCHMARKS.md).
      const char *next = (const char *)(base + (size_t)rows[j + 1] * dim);
      size_t bytes = dim * sizeof(float);
      if (bytes > 128) bytes = 128;
      for (size_t off = 0; off < bytes; off += 64) __builtin_prefetch(next + off, 0, 3);
    }
    const float *row = base + (size_t)rows[j] * dim;
    float v = bounded ? kb(query, row, dim, bound) : k(query, row, dim);
    if (metric == CSIM_METRIC_NEG_DOT) v = -v;
    else if (metric == CSIM_METRIC_ONE_MINUS_DOT) v = 1.0f - v;
    out[j] = v;
  }
}
