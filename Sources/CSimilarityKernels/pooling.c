// Max pooling's inner step: merge one window element (all channels of one input pixel) into
// the running maximum and its argmax, branch-free (ReLU outputs tie often and mispredict).
#include "CSimilarityKernels.h"
#include "kernel_table.h"

static void merge_portable(const float *input, int32_t base, size_t c, int first, float *out,
                           int32_t *best) {
  if (first) {
    for (size_t i = 0; i < c; i++) {
      out[i] = input[i];
      best[i] = base + (int32_t)i;
    }
    return;
  }
  for (size_t i = 0; i < c; i++) {
    int take = input[i] > out[i];
    out[i] = take ? input[i] : out[i];
    best[i] = take ? base + (int32_t)i : best[i];
  }
}

#if defined(__x86_64__)
#include <immintrin.h>
// AVX2: a compare gives the lanes to take, two blends merge values and positions; the tail by
// the portable merge.
__attribute__((target("avx2"))) static void merge_avx2(const float *input, int32_t base,
                                                      size_t c, int first, float *out,
                                                      int32_t *best) {
  const __m256i lanes = _mm256_set_epi32(7, 6, 5, 4, 3, 2, 1, 0);
  size_t i = 0;
  for (; i + 8 <= c; i += 8) {
    const __m256 v = _mm256_loadu_ps(input + i);
    const __m256i position = _mm256_add_epi32(lanes, _mm256_set1_epi32(base + (int32_t)i));
    if (first) {
      _mm256_storeu_ps(out + i, v);
      _mm256_storeu_si256((__m256i *)(best + i), position);
      continue;
    }
    const __m256 current = _mm256_loadu_ps(out + i);
    const __m256 take = _mm256_cmp_ps(v, current, _CMP_GT_OQ);
    _mm256_storeu_ps(out + i, _mm256_blendv_ps(current, v, take));
    const __m256i kept = _mm256_loadu_si256((const __m256i *)(best + i));
    _mm256_storeu_si256((__m256i *)(best + i),
                        _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(kept),
                                                             _mm256_castsi256_ps(position), take)));
  }
  if (i < c) merge_portable(input + i, base + (int32_t)i, c - i, first, out + i, best + i);
}

__attribute__((target("avx512f"))) static void merge_avx512(const float *input, int32_t base,
                                                           size_t c, int first, float *out,
                                                           int32_t *best) {
  const __m512i lanes = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
  for (size_t i = 0; i < c; i += 16) {
    __mmask16 valid = c - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (c - i)) - 1);
    __m512 v = _mm512_maskz_loadu_ps(valid, input + i);
    __m512i position = _mm512_add_epi32(lanes, _mm512_set1_epi32(base + (int32_t)i));
    __mmask16 take = valid;
    if (!first) {
      __m512 current = _mm512_maskz_loadu_ps(valid, out + i);
      take = _mm512_mask_cmp_ps_mask(valid, v, current, _CMP_GT_OQ);
    }
    _mm512_mask_storeu_ps(out + i, take, v);
    _mm512_mask_storeu_epi32(best + i, take, position);
  }
}
#endif

void csim_fill_pooling(struct csim_kernel_table *t, int level) {
  csim_fill_pooling3d(t, level);
  t->max_pool_merge = merge_portable;
  t->variant[CSIM_FAMILY_POOLING] = "portable";
#if defined(__x86_64__)
  if (level >= CSIM_ISA_AVX512) {
    t->max_pool_merge = merge_avx512;
    t->variant[CSIM_FAMILY_POOLING] = "avx512";
  } else if (level >= CSIM_ISA_AVX2) {
    t->max_pool_merge = merge_avx2;
    t->variant[CSIM_FAMILY_POOLING] = "avx2";
  }
#else
  (void)level;
#endif
}

void csim_max_pool_merge_at(int level, const float *input, int32_t base, size_t c, int first,
                            float *out, int32_t *best) {
  csim_table(level)->max_pool_merge(input, base, c, first, out, best);
}

void csim_max_pool_merge(const float *input, int32_t base, size_t c, int first, float *out,
                         int32_t *best) {
  csim_active.max_pool_merge(input, base, c, first, out, best);
}
