#include "CSimilarityTraining.h"

#include <string.h>

// Products with a sparse left operand (CSR rows), for the first layer of networks fed with
// images that are mostly zero (MNIST: ~81% zero pixels). Each inner loop is an axpy over a
// contiguous row block, which the compiler vectorises; the AVX-512 variants are the same C
// compiled for that target and chosen at run time.

size_t csim_count_nonzero(const float *x, size_t n) {
  size_t count = 0;
  for (size_t i = 0; i < n; i++) count += x[i] != 0.0f;
  return count;
}

void csim_compress_rows(const float *x, size_t m, size_t k, int32_t *row_start,
                        int32_t *columns, float *values) {
  int32_t next = 0;
  for (size_t r = 0; r < m; r++) {
    row_start[r] = next;
    const float *row = x + r * k;
    for (size_t j = 0; j < k; j++) {
      if (row[j] != 0.0f) {
        columns[next] = (int32_t)j;
        values[next] = row[j];
        next++;
      }
    }
  }
  row_start[m] = next;
}

#define CSR_MATMUL_BODY                                                  \
  size_t width = c1 - c0;                                                \
  for (size_t r = r0; r < r1; r++) {                                     \
    float *restrict out = y + r * n + c0;                                \
    memset(out, 0, width * sizeof(float));                               \
    for (int32_t p = row_start[r]; p < row_start[r + 1]; p++) {          \
      const float a = values[p];                                         \
      const float *restrict wr = w + (size_t)columns[p] * n + c0;        \
      for (size_t c = 0; c < width; c++) out[c] += a * wr[c];            \
    }                                                                    \
  }

#define CSR_TRANSPOSE_BODY                                               \
  size_t width = c1 - c0;                                                \
  for (size_t r = 0; r < m; r++) {                                       \
    const float *restrict d = dy + r * n + c0;                           \
    for (int32_t p = row_start[r]; p < row_start[r + 1]; p++) {          \
      const float a = values[p];                                         \
      float *restrict gr = g + (size_t)columns[p] * n + c0;              \
      for (size_t c = 0; c < width; c++) gr[c] += a * d[c];              \
    }                                                                    \
  }

static void csr_matmul_portable(const int32_t *row_start, const int32_t *columns,
                                const float *values, size_t r0, size_t r1, const float *w,
                                size_t n, size_t c0, size_t c1, float *y) {
  CSR_MATMUL_BODY
}

static void csr_transpose_portable(const int32_t *row_start, const int32_t *columns,
                                   const float *values, size_t m, const float *dy, size_t n,
                                   size_t c0, size_t c1, float *g) {
  CSR_TRANSPOSE_BODY
}

#if defined(__x86_64__)
__attribute__((target("avx512f"))) static void csr_matmul_avx512(
    const int32_t *row_start, const int32_t *columns, const float *values, size_t r0, size_t r1,
    const float *w, size_t n, size_t c0, size_t c1, float *y) {
  CSR_MATMUL_BODY
}

__attribute__((target("avx512f"))) static void csr_transpose_avx512(
    const int32_t *row_start, const int32_t *columns, const float *values, size_t m,
    const float *dy, size_t n, size_t c0, size_t c1, float *g) {
  CSR_TRANSPOSE_BODY
}

static int sparse_has_avx512(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f");
}
#endif

void csim_csr_matmul(const int32_t *row_start, const int32_t *columns, const float *values,
                     size_t r0, size_t r1, const float *w, size_t n, size_t c0, size_t c1,
                     float *y) {
#if defined(__x86_64__)
  if (sparse_has_avx512()) {
    csr_matmul_avx512(row_start, columns, values, r0, r1, w, n, c0, c1, y);
    return;
  }
#endif
  csr_matmul_portable(row_start, columns, values, r0, r1, w, n, c0, c1, y);
}

void csim_csr_transpose_matmul(const int32_t *row_start, const int32_t *columns,
                               const float *values, size_t m, const float *dy, size_t n,
                               size_t c0, size_t c1, float *g) {
#if defined(__x86_64__)
  if (sparse_has_avx512()) {
    csr_transpose_avx512(row_start, columns, values, m, dy, n, c0, c1, g);
    return;
  }
#endif
  csr_transpose_portable(row_start, columns, values, m, dy, n, c0, c1, g);
}
