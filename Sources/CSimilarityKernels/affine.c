#include "CSimilarityTraining.h"

#include <string.h>

// Inference-only dense layers: y = act(x·w + b) on a block of rows, with the bias and the ReLU
// applied while the block is still in cache. The sparse variant reads each dense input row,
// packs its non-zeros into a small row-local buffer (L1) and accumulates the matching weight
// rows, so a mostly-zero input (MNIST pixels) costs 2·nnz·n operations and one read of x —
// no CSR arrays are built.

void csim_bias_activation_rows(float *y, size_t rows, size_t n, const float *bias, int relu) {
  for (size_t r = 0; r < rows; r++) {
    float *restrict out = y + r * n;
    if (bias)
      for (size_t c = 0; c < n; c++) out[c] += bias[c];
    if (relu)
      for (size_t c = 0; c < n; c++) out[c] = out[c] > 0.0f ? out[c] : 0.0f;
  }
}

static void affine_sparse_portable(const float *x, size_t rows, size_t k, const float *w,
                                   size_t n, const float *bias, int relu, float *y,
                                   int32_t *cols, float *vals) {
  for (size_t r = 0; r < rows; r++) {
    const float *row = x + r * k;
    size_t nnz = 0;
    for (size_t j = 0; j < k; j++) {
      if (row[j] != 0.0f) {
        cols[nnz] = (int32_t)j;
        vals[nnz] = row[j];
        nnz++;
      }
    }
    float *restrict out = y + r * n;
    if (bias)
      memcpy(out, bias, n * sizeof(float));
    else
      memset(out, 0, n * sizeof(float));
    for (size_t p = 0; p < nnz; p++) {
      const float a = vals[p];
      const float *restrict wr = w + (size_t)cols[p] * n;
      for (size_t c = 0; c < n; c++) out[c] += a * wr[c];
    }
    if (relu)
      for (size_t c = 0; c < n; c++) out[c] = out[c] > 0.0f ? out[c] : 0.0f;
  }
}

#if defined(__x86_64__)
#include <immintrin.h>

// One row at a time: the row's non-zeros are packed branch-free (vector compare + register
// compress), then every 128-column block of the output stays in eight registers while the
// packed entries stream past; bias and ReLU are applied before the single store.
__attribute__((target("avx512f"))) static void affine_sparse_avx512(
    const float *x, size_t rows, size_t k, const float *w, size_t n, const float *bias,
    int relu, float *y, int32_t *cols, float *vals) {
  const __m512i lanes = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
  const __m512 zero = _mm512_setzero_ps();
  for (size_t r = 0; r < rows; r++) {
    const float *row = x + r * k;
    size_t nnz = 0;
    for (size_t j = 0; j < k; j += 16) {
      __mmask16 valid = k - j >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (k - j)) - 1);
      __m512 v = _mm512_maskz_loadu_ps(valid, row + j);
      __mmask16 nz = _mm512_mask_cmp_ps_mask(valid, v, zero, _CMP_NEQ_UQ);
      __m512i idx = _mm512_add_epi32(lanes, _mm512_set1_epi32((int)j));
      int count = __builtin_popcount((unsigned)nz);
      __mmask16 packed = (__mmask16)((1u << count) - 1);
      _mm512_mask_storeu_ps(vals + nnz, packed, _mm512_maskz_compress_ps(nz, v));
      _mm512_mask_storeu_epi32(cols + nnz, packed, _mm512_maskz_compress_epi32(nz, idx));
      nnz += (size_t)count;
    }
    float *out = y + r * n;
    for (size_t c = 0; c < n; c += 128) {
      __mmask16 mask[8];
      __m512 acc[8];
      for (int q = 0; q < 8; q++) {
        size_t start = c + 16 * (size_t)q;
        size_t left = start < n ? n - start : 0;
        mask[q] = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
        acc[q] = bias ? _mm512_maskz_loadu_ps(mask[q], bias + start) : zero;
      }
      if (n - c >= 128) {
        for (size_t p = 0; p < nnz; p++) {
          const float *wr = w + (size_t)cols[p] * n + c;
          __m512 a = _mm512_set1_ps(vals[p]);
          for (int q = 0; q < 8; q++) acc[q] = _mm512_fmadd_ps(a, _mm512_loadu_ps(wr + 16 * q), acc[q]);
        }
      } else {
        for (size_t p = 0; p < nnz; p++) {
          const float *wr = w + (size_t)cols[p] * n + c;
          __m512 a = _mm512_set1_ps(vals[p]);
          for (int q = 0; q < 8; q++)
            acc[q] = _mm512_fmadd_ps(a, _mm512_maskz_loadu_ps(mask[q], wr + 16 * q), acc[q]);
        }
      }
      for (int q = 0; q < 8; q++) {
        __m512 v = relu ? _mm512_max_ps(acc[q], zero) : acc[q];
        _mm512_mask_storeu_ps(out + c + 16 * q, mask[q], v);
      }
    }
  }
}

static int affine_has_avx512(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f");
}
#endif

void csim_affine_sparse_rows(const float *x, size_t rows, size_t k, const float *w, size_t n,
                             const float *bias, int relu, float *y, int32_t *scratch_columns,
                             float *scratch_values) {
#if defined(__x86_64__)
  if (affine_has_avx512()) {
    affine_sparse_avx512(x, rows, k, w, n, bias, relu, y, scratch_columns, scratch_values);
    return;
  }
#endif
  affine_sparse_portable(x, rows, k, w, n, bias, relu, y, scratch_columns, scratch_values);
}
