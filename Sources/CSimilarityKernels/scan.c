// The selection pass of exact search: turn a row of scores into ranking values and keep only
// the entries that can still enter the top k, in one vectorised pass. Plain (float32 GEMM
// scores: keep v <= threshold) or bounded (bfloat16 scores with an error e per entry: keep
// v − e <= threshold, reporting both bounds).
#include "CSimilarityKernels.h"
#include "kernel_table.h"

// v = offset + scale·scores[j] (+ norms[j]); e = slack·roots[j] when roots, else 0. Entries
// with v − e <= threshold go to indices / lower (v − e) / upper (v + e, when upper is given).
typedef size_t (*scan_kernel)(const float *, const float *, const float *, float, float, float,
                              size_t, float, uint32_t *, float *, float *);

static size_t scan_portable(const float *scores, const float *norms, const float *roots,
                            float scale, float offset, float slack, size_t n, float threshold,
                            uint32_t *indices, float *lower, float *upper) {
  size_t found = 0;
  for (size_t j = 0; j < n; j++) {
    const float v = offset + scale * scores[j] + (norms ? norms[j] : 0.0f);
    const float e = roots ? slack * roots[j] : 0.0f;
    if (v - e <= threshold) {
      indices[found] = (uint32_t)j;
      lower[found] = v - e;
      if (upper) upper[found] = v + e;
      found++;
    }
  }
  return found;
}

#if defined(__x86_64__)
#include <immintrin.h>
// AVX2: eight values per compare; the (rare) hits are written one by one from the mask; the
// tail by the portable pass.
__attribute__((target("avx2,fma"))) static size_t scan_avx2(
    const float *scores, const float *norms, const float *roots, float scale, float offset,
    float slack, size_t n, float threshold, uint32_t *indices, float *lower, float *upper) {
  const __m256 vs = _mm256_set1_ps(scale), vo = _mm256_set1_ps(offset);
  const __m256 ve = _mm256_set1_ps(slack), vt = _mm256_set1_ps(threshold);
  size_t found = 0, j = 0;
  for (; j + 8 <= n; j += 8) {
    __m256 v = _mm256_fmadd_ps(vs, _mm256_loadu_ps(scores + j), vo);
    if (norms) v = _mm256_add_ps(v, _mm256_loadu_ps(norms + j));
    const __m256 e = roots ? _mm256_mul_ps(ve, _mm256_loadu_ps(roots + j)) : _mm256_setzero_ps();
    const __m256 lo = _mm256_sub_ps(v, e);
    unsigned hit = (unsigned)_mm256_movemask_ps(_mm256_cmp_ps(lo, vt, _CMP_LE_OQ));
    if (!hit) continue;
    float los[8], his[8];
    _mm256_storeu_ps(los, lo);
    if (upper) _mm256_storeu_ps(his, _mm256_add_ps(v, e));
    while (hit) {
      const int lane = __builtin_ctz(hit);
      hit &= hit - 1;
      indices[found] = (uint32_t)(j + (size_t)lane);
      lower[found] = los[lane];
      if (upper) upper[found] = his[lane];
      found++;
    }
  }
  if (j < n) {
    const size_t more = scan_portable(scores + j, norms ? norms + j : NULL, roots ? roots + j : NULL,
                                      scale, offset, slack, n - j, threshold, indices + found,
                                      lower + found, upper ? upper + found : NULL);
    for (size_t t = found; t < found + more; t++) indices[t] += (uint32_t)j;
    found += more;
  }
  return found;
}

__attribute__((target("avx512f"))) static size_t scan_avx512(
    const float *scores, const float *norms, const float *roots, float scale, float offset,
    float slack, size_t n, float threshold, uint32_t *indices, float *lower, float *upper) {
  const __m512 vs = _mm512_set1_ps(scale), vo = _mm512_set1_ps(offset);
  const __m512 ve = _mm512_set1_ps(slack), vt = _mm512_set1_ps(threshold);
  const __m512i lanes = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
  size_t found = 0;
  for (size_t j = 0; j < n; j += 16) {
    const __mmask16 valid = n - j >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - j)) - 1);
    __m512 v = _mm512_fmadd_ps(vs, _mm512_maskz_loadu_ps(valid, scores + j), vo);
    if (norms) v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(valid, norms + j));
    const __m512 e = roots ? _mm512_mul_ps(ve, _mm512_maskz_loadu_ps(valid, roots + j))
                           : _mm512_setzero_ps();
    const __m512 lo = _mm512_sub_ps(v, e);
    const __mmask16 hit = _mm512_mask_cmp_ps_mask(valid, lo, vt, _CMP_LE_OQ);
    if (hit) {
      const int count = __builtin_popcount((unsigned)hit);
      const __mmask16 packed = (__mmask16)((1u << count) - 1);
      const __m512i idx = _mm512_add_epi32(lanes, _mm512_set1_epi32((int)j));
      _mm512_mask_storeu_ps(lower + found, packed, _mm512_maskz_compress_ps(hit, lo));
      if (upper) {
        _mm512_mask_storeu_ps(upper + found, packed,
                              _mm512_maskz_compress_ps(hit, _mm512_add_ps(v, e)));
      }
      _mm512_mask_storeu_epi32(indices + found, packed, _mm512_maskz_compress_epi32(hit, idx));
      found += (size_t)count;
    }
  }
  return found;
}
#endif

void csim_fill_scan(struct csim_kernel_table *t, int level) {
  t->scan = scan_portable;
  t->variant[CSIM_FAMILY_SCAN] = "portable";
#if defined(__x86_64__)
  if (level >= CSIM_ISA_AVX512) {
    t->scan = scan_avx512;
    t->variant[CSIM_FAMILY_SCAN] = "avx512";
  } else if (level >= CSIM_ISA_AVX2) {
    t->scan = scan_avx2;
    t->variant[CSIM_FAMILY_SCAN] = "avx2";
  }
#else
  (void)level;
#endif
}

size_t csim_scan_at(int level, const float *scores, const float *norms, const float *roots,
                    float scale, float offset, float slack, size_t n, float threshold,
                    uint32_t *indices, float *lower, float *upper) {
  return csim_table(level)->scan(scores, norms, roots, scale, offset, slack, n, threshold,
                                 indices, lower, upper);
}

size_t csim_scan_below(const float *scores, const float *norms, float scale, float offset,
                       size_t n, float threshold, uint32_t *indices, float *values) {
  return csim_active.scan(scores, norms, NULL, scale, offset, 0.0f, n, threshold, indices, values, NULL);
}

size_t csim_scan_bounded(const float *scores, const float *norms, const float *roots, float scale,
                         float offset, float slack, size_t n, float threshold, uint32_t *indices,
                         float *lower, float *upper) {
  return csim_active.scan(scores, norms, roots, scale, offset, slack, n, threshold, indices, lower, upper);
}
