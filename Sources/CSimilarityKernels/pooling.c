// Max pooling's inner step: merge one window element (all channels of one input pixel) into
// the running maximum and its argmax, branch-free (ReLU outputs tie often and mispredict).
#include "CSimilarityKernels.h"
#include "variants.h"

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

typedef void (*merge_kernel)(const float *, int32_t, size_t, int, float *, int32_t *);
static merge_kernel pick_merge(int level, const char **variant) {
#if defined(__x86_64__)
  if (csim_isa_reaches(level, CSIM_ISA_AVX512)) {
    if (variant) *variant = "avx512";
    return merge_avx512;
  }
  if (csim_isa_reaches(level, CSIM_ISA_AVX2)) {
    if (variant) *variant = "avx2";
    return merge_avx2;
  }
#else
  (void)level;
#endif
  if (variant) *variant = "portable";
  return merge_portable;
}

static merge_kernel k_merge = merge_portable;

__attribute__((constructor)) static void csim_select_pooling_kernels(void) {
  k_merge = pick_merge(csim_isa_active(), NULL);
}

const char *csim_pooling_variant(int level) {
  const char *name;
  pick_merge(level, &name);
  return name;
}

void csim_max_pool_merge_at(int level, const float *input, int32_t base, size_t c, int first,
                            float *out, int32_t *best) {
  pick_merge(level, NULL)(input, base, c, first, out, best);
}

void csim_max_pool_merge(const float *input, int32_t base, size_t c, int first, float *out,
                         int32_t *best) {
  k_merge(input, base, c, first, out, best);
}
