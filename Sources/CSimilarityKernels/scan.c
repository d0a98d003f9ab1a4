// The selection pass of exact search: turn a row of GEMM scores into ranking values and keep
// only the entries at or below a threshold (the current k-th best), in one vectorised pass.
#include "CSimilarityKernels.h"

static size_t scan_portable(const float *scores, const float *norms, float scale, float offset,
                            size_t n, float threshold, uint32_t *indices, float *values) {
  size_t found = 0;
  for (size_t j = 0; j < n; j++) {
    float v = offset + scale * scores[j] + (norms ? norms[j] : 0.0f);
    if (v <= threshold) {
      indices[found] = (uint32_t)j;
      values[found] = v;
      found++;
    }
  }
  return found;
}

#if defined(__x86_64__)
#include <immintrin.h>
__attribute__((target("avx512f"))) static size_t scan_avx512(const float *scores,
                                                            const float *norms, float scale,
                                                            float offset, size_t n,
                                                            float threshold, uint32_t *indices,
                                                            float *values) {
  const __m512 vs = _mm512_set1_ps(scale), vo = _mm512_set1_ps(offset);
  const __m512 vt = _mm512_set1_ps(threshold);
  const __m512i lanes = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
  size_t found = 0;
  for (size_t j = 0; j < n; j += 16) {
    __mmask16 valid = n - j >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - j)) - 1);
    __m512 v = _mm512_fmadd_ps(vs, _mm512_maskz_loadu_ps(valid, scores + j), vo);
    if (norms) v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(valid, norms + j));
    __mmask16 hit = _mm512_mask_cmp_ps_mask(valid, v, vt, _CMP_LE_OQ);
    if (hit) {
      int count = __builtin_popcount((unsigned)hit);
      __mmask16 packed = (__mmask16)((1u << count) - 1);
      __m512i idx = _mm512_add_epi32(lanes, _mm512_set1_epi32((int)j));
      _mm512_mask_storeu_ps(values + found, packed, _mm512_maskz_compress_ps(hit, v));
      _mm512_mask_storeu_epi32(indices + found, packed, _mm512_maskz_compress_epi32(hit, idx));
      found += (size_t)count;
    }
  }
  return found;
}

static int scan_has_avx512(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f");
}
#endif

size_t csim_scan_below(const float *scores, const float *norms, float scale, float offset,
                       size_t n, float threshold, uint32_t *indices, float *values) {
#if defined(__x86_64__)
  if (scan_has_avx512())
    return scan_avx512(scores, norms, scale, offset, n, threshold, indices, values);
#endif
  return scan_portable(scores, norms, scale, offset, n, threshold, indices, values);
}
