// Float16 (IEEE binary16) storage for graph traversal: conversion and the batched distance
// kernel with float16 rows and a float32 query. AVX-512 (VCVTPH2PS on 16 lanes), AVX2 + F16C
// (8 lanes) and portable C variants, chosen at run time like distance.c.
#include "CSimilarityKernels.h"
#include "kernel_table.h"
#include "early_abandon.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CSIM_HALF_X86 1
#endif

// ---- portable conversions (round to nearest even; out of range saturates to ±65504) ----
static uint16_t half_from_float(float value) {
  uint32_t bits;
  memcpy(&bits, &value, 4);
  uint32_t sign = (bits >> 16) & 0x8000u;
  uint32_t magnitude = bits & 0x7FFFFFFFu;
  if (magnitude >= 0x477FF000u) {
    // At or past 65520 (rounds beyond the largest half), infinity or NaN.
    if (magnitude > 0x7F800000u) return (uint16_t)(sign | 0x7E00u);
    return (uint16_t)(sign | 0x7BFFu);
  }
  if (magnitude < 0x38800000u) {
    // Subnormal half (or zero): shift the significand with rounding.
    if (magnitude < 0x33000000u) return (uint16_t)sign;
    uint32_t exponent = magnitude >> 23;
    uint32_t significand = (magnitude & 0x7FFFFFu) | 0x800000u;
    uint32_t shift = 126 - exponent;  // 14 + (113 - exponent) - 1
    uint32_t half = significand >> (shift);
    uint32_t rest = significand & ((1u << shift) - 1);
    uint32_t midpoint = 1u << (shift - 1);
    if (rest > midpoint || (rest == midpoint && (half & 1))) half++;
    return (uint16_t)(sign | half);
  }
  uint32_t rebased = magnitude - 0x38000000u;  // exponent bias 127 → 15
  uint32_t half = rebased >> 13;
  uint32_t rest = rebased & 0x1FFFu;
  if (rest > 0x1000u || (rest == 0x1000u && (half & 1))) half++;
  return (uint16_t)(sign | half);
}

static float float_from_half(uint16_t h) {
  uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
  uint32_t exponent = (h >> 10) & 0x1Fu;
  uint32_t significand = h & 0x3FFu;
  uint32_t bits;
  if (exponent == 0) {
    if (significand == 0) {
      bits = sign;
    } else {
      // Subnormal: normalise.
      exponent = 113;
      while ((significand & 0x400u) == 0) {
        significand <<= 1;
        exponent--;
      }
      bits = sign | (exponent << 23) | ((significand & 0x3FFu) << 13);
    }
  } else if (exponent == 31) {
    bits = sign | 0x7F800000u | (significand << 13);
  } else {
    bits = sign | ((exponent + 112) << 23) | (significand << 13);
  }
  float value;
  memcpy(&value, &bits, 4);
  return value;
}

void csim_float_to_half(const float *x, uint16_t *out, size_t n) {
  for (size_t i = 0; i < n; i++) out[i] = half_from_float(x[i]);
}

void csim_half_to_float(const uint16_t *x, float *out, size_t n) {
  for (size_t i = 0; i < n; i++) out[i] = float_from_half(x[i]);
}

static float half_row_portable(int metric, const float *q, const uint16_t *x, size_t n,
                               float bound) {
  float s = 0;
  for (size_t i0 = 0, end; i0 < n; i0 = end) {
    end = csim_abandon_block_end(i0, n);
    float part = 0;
    for (size_t i = i0; i < end; i++) {
      float v = float_from_half(x[i]);
      if (metric == CSIM_METRIC_L2SQ) {
        float d = q[i] - v;
        part += d * d;
      } else if (metric == CSIM_METRIC_L1) {
        part += __builtin_fabsf(q[i] - v);
      } else {
        part += q[i] * v;
      }
    }
    s += part;
    if ((metric == CSIM_METRIC_L2SQ || metric == CSIM_METRIC_L1) && s > bound) return s;
  }
  return s;
}

#ifdef CSIM_HALF_X86
// Two accumulators of 16 lanes; at the block ends of early_abandon.h the L2²/L1 partial sum is
// compared with the bound (early abandoning, as in distance.c).
__attribute__((target("avx512f"))) static float half_row_avx512(int metric, const float *q,
                                                               const uint16_t *x, size_t n,
                                                               float bound) {
  __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
  int abandon = metric == CSIM_METRIC_L2SQ || metric == CSIM_METRIC_L1;
  size_t i = 0;
  while (i + 32 <= n) {
    __m512 x0 = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(x + i)));
    __m512 x1 = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(x + i + 16)));
    __m512 q0 = _mm512_loadu_ps(q + i), q1 = _mm512_loadu_ps(q + i + 16);
    if (metric == CSIM_METRIC_L2SQ) {
      __m512 d0 = _mm512_sub_ps(q0, x0), d1 = _mm512_sub_ps(q1, x1);
      s0 = _mm512_fmadd_ps(d0, d0, s0);
      s1 = _mm512_fmadd_ps(d1, d1, s1);
    } else if (metric == CSIM_METRIC_L1) {
      s0 = _mm512_add_ps(s0, _mm512_abs_ps(_mm512_sub_ps(q0, x0)));
      s1 = _mm512_add_ps(s1, _mm512_abs_ps(_mm512_sub_ps(q1, x1)));
    } else {
      s0 = _mm512_fmadd_ps(q0, x0, s0);
      s1 = _mm512_fmadd_ps(q1, x1, s1);
    }
    i += 32;
    if (abandon && ((i & 127) == 0 || i < 128) && i < n) {
      float partial = _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
      if (partial > bound) return partial;
    }
  }
  for (; i < n; i += 16) {
    __mmask16 m = n - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - i)) - 1);
    uint16_t tail[16] = {0};
    memcpy(tail, x + i, (n - i < 16 ? n - i : 16) * sizeof(uint16_t));
    __m512 xv = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)tail));
    __m512 qv = _mm512_maskz_loadu_ps(m, q + i);
    if (metric == CSIM_METRIC_L2SQ) {
      __m512 d = _mm512_sub_ps(qv, xv);
      s0 = _mm512_fmadd_ps(d, d, s0);
    } else if (metric == CSIM_METRIC_L1) {
      s0 = _mm512_add_ps(s0, _mm512_abs_ps(_mm512_sub_ps(qv, xv)));
    } else {
      s0 = _mm512_fmadd_ps(qv, xv, s0);
    }
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
}

__attribute__((target("avx2"))) static inline float half_hsum256(__m256 v) {
  __m128 h = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  h = _mm_hadd_ps(h, h);
  h = _mm_hadd_ps(h, h);
  return _mm_cvtss_f32(h);
}

__attribute__((target("avx2,fma,f16c"))) static float half_row_avx2(int metric, const float *q,
                                                                   const uint16_t *x, size_t n,
                                                                   float bound) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  const __m256 sign = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF));
  int abandon = metric == CSIM_METRIC_L2SQ || metric == CSIM_METRIC_L1;
  size_t i = 0;
  while (i + 16 <= n) {
    __m256 x0 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(x + i)));
    __m256 x1 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(x + i + 8)));
    __m256 q0 = _mm256_loadu_ps(q + i), q1 = _mm256_loadu_ps(q + i + 8);
    if (metric == CSIM_METRIC_L2SQ) {
      __m256 d0 = _mm256_sub_ps(q0, x0), d1 = _mm256_sub_ps(q1, x1);
      s0 = _mm256_fmadd_ps(d0, d0, s0);
      s1 = _mm256_fmadd_ps(d1, d1, s1);
    } else if (metric == CSIM_METRIC_L1) {
      s0 = _mm256_add_ps(s0, _mm256_and_ps(_mm256_sub_ps(q0, x0), sign));
      s1 = _mm256_add_ps(s1, _mm256_and_ps(_mm256_sub_ps(q1, x1), sign));
    } else {
      s0 = _mm256_fmadd_ps(q0, x0, s0);
      s1 = _mm256_fmadd_ps(q1, x1, s1);
    }
    i += 16;
    if (abandon && ((i & 127) == 0 || (i < 128 && (i & 31) == 0)) && i < n) {
      float partial = half_hsum256(_mm256_add_ps(s0, s1));
      if (partial > bound) return partial;
    }
  }
  float s = half_hsum256(_mm256_add_ps(s0, s1));
  if (i < n) s += half_row_portable(metric, q + i, x + i, n - i, __builtin_inff());
  return s;
}
#endif

void csim_fill_half(struct csim_kernel_table *t, int level) {
  t->half_row = half_row_portable;
  t->variant[CSIM_FAMILY_HALF] = "portable";
#ifdef CSIM_HALF_X86
  if (level >= CSIM_ISA_AVX512) {
    t->half_row = half_row_avx512;
    t->variant[CSIM_FAMILY_HALF] = "avx512";
  } else if (level >= CSIM_ISA_AVX2) {
    t->half_row = half_row_avx2;
    t->variant[CSIM_FAMILY_HALF] = "avx2";
  }
#else
  (void)level;
#endif
}

float csim_half_row_at(int level, int metric, const float *query, const uint16_t *row, size_t n,
                       float bound) {
  return csim_table(level)->half_row(metric, query, row, n, bound);
}

void csim_distances_rows_half(int metric, const float *query, const uint16_t *base, size_t dim,
                              const uint32_t *rows, size_t count, float bound, float *out) {
  int reduction = metric == CSIM_METRIC_NEG_DOT || metric == CSIM_METRIC_ONE_MINUS_DOT
                      ? CSIM_METRIC_NEG_DOT
                      : metric;
  float limit = reduction == CSIM_METRIC_NEG_DOT ? __builtin_inff() : bound;
  size_t bytes = dim * sizeof(uint16_t);
  if (bytes > 4096) bytes = 4096;  // whole rows: half-size rows gained from it, unlike float32
  for (size_t j = 0; j < count; j++) {
    if (j + 1 < count) {
      const char *next = (const char *)(base + (size_t)rows[j + 1] * dim);
      for (size_t off = 0; off < bytes; off += 64) __builtin_prefetch(next + off, 0, 3);
    }
    float v = csim_active.half_row(reduction, query, base + (size_t)rows[j] * dim, dim, limit);
    if (metric == CSIM_METRIC_NEG_DOT) v = -v;
    else if (metric == CSIM_METRIC_ONE_MINUS_DOT) v = 1.0f - v;
    out[j] = v;
  }
}
