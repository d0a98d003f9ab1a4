#include "CSimilarityKernels.h"
#include "variants.h"

#include <string.h>

// Inference-only dense layers: y = act(x·w + b) on a block of rows, with the bias and the ReLU
// applied while the block is still in cache. The sparse variant packs each dense input row's
// non-zeros into a small row-local buffer (L1, with `csim_compress_rows`) and accumulates the
// matching weight rows, so a mostly-zero input (MNIST pixels) costs 2·nnz·n operations and
// one read of x — no CSR arrays for the whole batch.

void csim_bias_activation_rows(float *y, size_t rows, size_t n, const float *bias, int relu) {
  for (size_t r = 0; r < rows; r++) {
    float *restrict out = y + r * n;
    if (bias)
      for (size_t c = 0; c < n; c++) out[c] += bias[c];
    if (relu)
      for (size_t c = 0; c < n; c++) out[c] = out[c] > 0.0f ? out[c] : 0.0f;
  }
}

// y = bias + Σ_p vals[p] · w[cols[p], :] (then ReLU) for one output row of width n.
static void accumulate_row_portable(const int32_t *cols, const float *vals, size_t nnz,
                                    const float *w, size_t n, const float *bias, int relu,
                                    float *restrict out) {
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

#if defined(__x86_64__)
#include <immintrin.h>

// Every 128-column block of the output stays in eight registers while the packed entries
// stream past; bias and ReLU are applied before the single store.
__attribute__((target("avx512f"))) static void accumulate_row_avx512(
    const int32_t *cols, const float *vals, size_t nnz, const float *w, size_t n,
    const float *bias, int relu, float *out) {
  const __m512 zero = _mm512_setzero_ps();
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
#endif

typedef void (*accumulate_row_kernel)(const int32_t *, const float *, size_t, const float *,
                                      size_t, const float *, int, float *);
static accumulate_row_kernel pick_accumulate_row(int level, const char **variant) {
#if defined(__x86_64__)
  if (csim_isa_reaches(level, CSIM_ISA_AVX512)) {
    if (variant) *variant = "avx512";
    return accumulate_row_avx512;
  }
#else
  (void)level;
#endif
  if (variant) *variant = "portable";
  return accumulate_row_portable;
}

const char *csim_affine_variant(int level) {
  const char *name;
  pick_accumulate_row(level, &name);
  return name;
}

void csim_affine_sparse_rows_at(int level, const float *x, size_t rows, size_t k, const float *w,
                                size_t n, const float *bias, int relu, float *y,
                                int32_t *scratch_columns, float *scratch_values) {
  const accumulate_row_kernel accumulate = pick_accumulate_row(level, NULL);
  for (size_t r = 0; r < rows; r++) {
    // Pack the row's non-zeros with the CSR compressor (one row, offsets from 0).
    int32_t start;
    size_t nnz =
        csim_compress_rows_at(level, x + r * k, 1, k, &start, scratch_columns, scratch_values);
    accumulate(scratch_columns, scratch_values, nnz, w, n, bias, relu, y + r * n);
  }
}

void csim_affine_sparse_rows(const float *x, size_t rows, size_t k, const float *w, size_t n,
                             const float *bias, int relu, float *y, int32_t *scratch_columns,
                             float *scratch_values) {
  csim_affine_sparse_rows_at(csim_isa_active(), x, rows, k, w, n, bias, relu, y,
                             scratch_columns, scratch_values);
}
