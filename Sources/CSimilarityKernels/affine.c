#include "CSimilarityKernels.h"
#include "kernel_table.h"

#include <string.h>

// Inference-only dense layers: y = act(x·w + b) on a block of rows, with the bias and the ReLU
// applied while the block is still in cache. The sparse variant packs each dense input row's
// non-zeros into a small row-local buffer (L1, with `csim_compress_rows`) and accumulates the
// matching weight rows, so a mostly-zero input (MNIST pixels) costs 2·nnz·n operations and
// one read of x — no CSR arrays for the whole batch.

// The epilogue of a GEMM block: y += bias, then ReLU as `y > 0 ? y : 0` (NaN and −0 become +0).
static void bias_activation_rows_portable(float *y, size_t rows, size_t n, const float *bias,
                                          int relu) {
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

// AVX2: every 64-column block of the output stays in eight registers while the packed entries
// stream past; the last columns (fewer than 64) are done 8 and then 1 at a time.
__attribute__((target("avx2,fma"))) static void accumulate_row_avx2(
    const int32_t *cols, const float *vals, size_t nnz, const float *w, size_t n,
    const float *bias, int relu, float *out) {
  const __m256 zero = _mm256_setzero_ps();
  size_t c = 0;
  for (; c + 64 <= n; c += 64) {
    __m256 acc[8];
    for (int q = 0; q < 8; q++) acc[q] = bias ? _mm256_loadu_ps(bias + c + 8 * q) : zero;
    for (size_t p = 0; p < nnz; p++) {
      const float *wr = w + (size_t)cols[p] * n + c;
      const __m256 a = _mm256_set1_ps(vals[p]);
      for (int q = 0; q < 8; q++) acc[q] = _mm256_fmadd_ps(a, _mm256_loadu_ps(wr + 8 * q), acc[q]);
    }
    for (int q = 0; q < 8; q++) _mm256_storeu_ps(out + c + 8 * q, relu ? _mm256_max_ps(acc[q], zero) : acc[q]);
  }
  for (; c + 8 <= n; c += 8) {
    __m256 acc = bias ? _mm256_loadu_ps(bias + c) : zero;
    for (size_t p = 0; p < nnz; p++) {
      acc = _mm256_fmadd_ps(_mm256_set1_ps(vals[p]), _mm256_loadu_ps(w + (size_t)cols[p] * n + c), acc);
    }
    _mm256_storeu_ps(out + c, relu ? _mm256_max_ps(acc, zero) : acc);
  }
  for (; c < n; c++) {
    float s = bias ? bias[c] : 0.0f;
    for (size_t p = 0; p < nnz; p++) s += vals[p] * w[(size_t)cols[p] * n + c];
    out[c] = relu && !(s > 0.0f) ? 0.0f : s;
  }
}

// AVX2 epilogue, one pass per row: 32 columns (four registers) at a time, then 8, then a
// masked tail. The sum is the portable one (one rounding) and `max(v, 0)` returns its second
// operand for NaN and for ±0, so the result equals the portable code bit for bit.
__attribute__((target("avx2,fma"))) static void bias_activation_rows_avx2(
    float *y, size_t rows, size_t n, const float *bias, int relu) {
  if (!bias && !relu) return;
  const __m256 zero = _mm256_setzero_ps();
  const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const __m256i tail = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(n % 8)), lane);
#define CSIM_EPILOGUE(v, b)                                   \
  do {                                                        \
    if (bias) v = _mm256_add_ps(v, b);                        \
    if (relu) v = _mm256_max_ps(v, zero);                     \
  } while (0)
  for (size_t r = 0; r < rows; r++) {
    float *out = y + r * n;
    size_t c = 0;
    for (; c + 32 <= n; c += 32) {
      __m256 v0 = _mm256_loadu_ps(out + c), v1 = _mm256_loadu_ps(out + c + 8);
      __m256 v2 = _mm256_loadu_ps(out + c + 16), v3 = _mm256_loadu_ps(out + c + 24);
      __m256 b0 = zero, b1 = zero, b2 = zero, b3 = zero;
      if (bias) {
        b0 = _mm256_loadu_ps(bias + c), b1 = _mm256_loadu_ps(bias + c + 8);
        b2 = _mm256_loadu_ps(bias + c + 16), b3 = _mm256_loadu_ps(bias + c + 24);
      }
      CSIM_EPILOGUE(v0, b0);
      CSIM_EPILOGUE(v1, b1);
      CSIM_EPILOGUE(v2, b2);
      CSIM_EPILOGUE(v3, b3);
      _mm256_storeu_ps(out + c, v0);
      _mm256_storeu_ps(out + c + 8, v1);
      _mm256_storeu_ps(out + c + 16, v2);
      _mm256_storeu_ps(out + c + 24, v3);
    }
    for (; c + 8 <= n; c += 8) {
      __m256 v = _mm256_loadu_ps(out + c);
      __m256 b = bias ? _mm256_loadu_ps(bias + c) : zero;
      CSIM_EPILOGUE(v, b);
      _mm256_storeu_ps(out + c, v);
    }
    if (c < n) {
      __m256 v = _mm256_maskload_ps(out + c, tail);
      __m256 b = bias ? _mm256_maskload_ps(bias + c, tail) : zero;
      CSIM_EPILOGUE(v, b);
      _mm256_maskstore_ps(out + c, tail, v);
    }
  }
#undef CSIM_EPILOGUE
}

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

void csim_fill_affine(struct csim_kernel_table *t, int level) {
  t->accumulate_row = accumulate_row_portable;
  t->bias_activation = bias_activation_rows_portable;
  t->variant[CSIM_FAMILY_AFFINE] = "portable";
#if defined(__x86_64__)
  // The epilogue is memory-bound: the AVX2 one serves the AVX-512 level too.
  if (level >= CSIM_ISA_AVX2) t->bias_activation = bias_activation_rows_avx2;
  if (level >= CSIM_ISA_AVX512) {
    t->accumulate_row = accumulate_row_avx512;
    t->variant[CSIM_FAMILY_AFFINE] = "avx512";
  } else if (level >= CSIM_ISA_AVX2) {
    t->accumulate_row = accumulate_row_avx2;
    t->variant[CSIM_FAMILY_AFFINE] = "avx2";
  }
#else
  (void)level;
#endif
}

/// csim_affine_sparse_rows with the kernels of table `k`.
static void affine_sparse_rows(const struct csim_kernel_table *k, const float *x, size_t rows,
                               size_t width, const float *w, size_t n, const float *bias,
                               int relu, float *y, int32_t *scratch_columns,
                               float *scratch_values) {
  for (size_t r = 0; r < rows; r++) {
    // Pack the row's non-zeros with the CSR compressor (one row, offsets from 0).
    int32_t start;
    size_t nnz =
        k->compress_rows(x + r * width, 1, width, &start, scratch_columns, scratch_values);
    k->accumulate_row(scratch_columns, scratch_values, nnz, w, n, bias, relu, y + r * n);
  }
}

void csim_affine_sparse_rows_at(int level, const float *x, size_t rows, size_t k, const float *w,
                                size_t n, const float *bias, int relu, float *y,
                                int32_t *scratch_columns, float *scratch_values) {
  affine_sparse_rows(csim_table(level), x, rows, k, w, n, bias, relu, y, scratch_columns,
                     scratch_values);
}

void csim_affine_sparse_rows(const float *x, size_t rows, size_t k, const float *w, size_t n,
                             const float *bias, int relu, float *y, int32_t *scratch_columns,
                             float *scratch_values) {
  affine_sparse_rows(&csim_active, x, rows, k, w, n, bias, relu, y, scratch_columns,
                     scratch_values);
}

void csim_bias_activation_rows(float *y, size_t rows, size_t n, const float *bias, int relu) {
  csim_active.bias_activation(y, rows, n, bias, relu);
}

void csim_bias_activation_rows_at(int level, float *y, size_t rows, size_t n, const float *bias,
                                  int relu) {
  csim_table(level)->bias_activation(y, rows, n, bias, relu);
}
