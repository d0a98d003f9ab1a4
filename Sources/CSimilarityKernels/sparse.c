#include "CSimilarityKernels.h"
#include "kernel_table.h"

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

static size_t compress_rows_portable(const float *x, size_t m, size_t k, int32_t *row_start,
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
  return (size_t)next;
}

#if defined(__x86_64__)
#include <immintrin.h>

// AVX2: a compare per 8 values finds the non-zero lanes, so runs of zeros (the background of
// an image) cost one test per 8 pixels; the non-zeros of a block are written one by one.
__attribute__((target("avx2"))) static size_t compress_rows_avx2(
    const float *x, size_t m, size_t k, int32_t *row_start, int32_t *columns, float *values) {
  int32_t next = 0;
  const __m256 zero = _mm256_setzero_ps();
  for (size_t r = 0; r < m; r++) {
    row_start[r] = next;
    const float *row = x + r * k;
    size_t j = 0;
    for (; j + 8 <= k; j += 8) {
      unsigned nz = (unsigned)_mm256_movemask_ps(_mm256_cmp_ps(_mm256_loadu_ps(row + j), zero, _CMP_NEQ_UQ));
      while (nz) {
        const int lane = __builtin_ctz(nz);
        nz &= nz - 1;
        columns[next] = (int32_t)(j + (size_t)lane);
        values[next] = row[j + (size_t)lane];
        next++;
      }
    }
    for (; j < k; j++) {
      if (row[j] != 0.0f) {
        columns[next] = (int32_t)j;
        values[next] = row[j];
        next++;
      }
    }
  }
  return (size_t)next;
}

// Branch-free compression: a vector compare gives the non-zero lanes, and compresses write
// their values and column numbers contiguously (the scalar loop mispredicts on every
// ink/background edge of an image).
__attribute__((target("avx512f"))) static size_t compress_rows_avx512(
    const float *x, size_t m, size_t k, int32_t *row_start, int32_t *columns, float *values) {
  int32_t next = 0;
  const __m512i lanes = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
  const __m512 zero = _mm512_setzero_ps();
  for (size_t r = 0; r < m; r++) {
    row_start[r] = next;
    const float *row = x + r * k;
    for (size_t j = 0; j < k; j += 16) {
      __mmask16 valid = k - j >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (k - j)) - 1);
      __m512 v = _mm512_maskz_loadu_ps(valid, row + j);
      __mmask16 nz = _mm512_mask_cmp_ps_mask(valid, v, zero, _CMP_NEQ_UQ);
      __m512i idx = _mm512_add_epi32(lanes, _mm512_set1_epi32((int)j));
      // Register-form compress plus a masked store of just the packed lanes (memory-form
      // compress stores are microcoded and slow on AMD Zen 4/5). Nothing is written past the
      // last entry, so row blocks can be compressed concurrently into adjacent ranges.
      int count = __builtin_popcount((unsigned)nz);
      __mmask16 packed = (__mmask16)((1u << count) - 1);
      _mm512_mask_storeu_ps(values + next, packed, _mm512_maskz_compress_ps(nz, v));
      _mm512_mask_storeu_epi32(columns + next, packed, _mm512_maskz_compress_epi32(nz, idx));
      next += count;
    }
  }
  return (size_t)next;
}
#endif


size_t csim_compress_rows_at(int level, const float *x, size_t m, size_t k, int32_t *row_start,
                             int32_t *columns, float *values) {
  return csim_table(level)->compress_rows(x, m, k, row_start, columns, values);
}

size_t csim_compress_rows(const float *x, size_t m, size_t k, int32_t *row_start,
                          int32_t *columns, float *values) {
  return csim_active.compress_rows(x, m, k, row_start, columns, values);
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
  for (size_t r = 0; r < m; r++) {                                       \
    const float *restrict d = dy + r * n;                                \
    int32_t p = row_start[r], end = row_start[r + 1];                    \
    while (p < end && columns[p] < j0) p++;                              \
    for (; p < end && columns[p] < j1; p++) {                            \
      const float a = values[p];                                         \
      float *restrict gr = g + (size_t)columns[p] * n;                   \
      for (size_t c = 0; c < n; c++) gr[c] += a * d[c];                  \
    }                                                                    \
  }

static void csr_matmul_portable(const int32_t *row_start, const int32_t *columns,
                                const float *values, size_t r0, size_t r1, const float *w,
                                size_t n, size_t c0, size_t c1, float *y) {
  CSR_MATMUL_BODY
}

static void csr_transpose_portable(const int32_t *row_start, const int32_t *columns,
                                   const float *values, size_t m, const float *dy, size_t n,
                                   int32_t j0, int32_t j1, float *g) {
  CSR_TRANSPOSE_BODY
}

#if defined(__x86_64__)
// Column blocks of 64 (4 vector registers) stay in registers across all non-zeros of a row:
// each non-zero costs one broadcast and four fused multiply-adds from one weight row.
__attribute__((target("avx512f"))) static void csr_matmul_avx512(
    const int32_t *row_start, const int32_t *columns, const float *values, size_t r0, size_t r1,
    const float *w, size_t n, size_t c0, size_t c1, float *y) {
  size_t c = c0;
  // 128 columns at a time: eight independent accumulator chains keep both FMA pipes busy.
  for (; c + 128 <= c1; c += 128) {
    for (size_t r = r0; r < r1; r++) {
      __m512 acc[8];
      for (int q = 0; q < 8; q++) acc[q] = _mm512_setzero_ps();
      for (int32_t p = row_start[r]; p < row_start[r + 1]; p++) {
        const float *wr = w + (size_t)columns[p] * n + c;
        __m512 v = _mm512_set1_ps(values[p]);
        for (int q = 0; q < 8; q++) acc[q] = _mm512_fmadd_ps(v, _mm512_loadu_ps(wr + 16 * q), acc[q]);
      }
      float *out = y + r * n + c;
      for (int q = 0; q < 8; q++) _mm512_storeu_ps(out + 16 * q, acc[q]);
    }
  }
  for (; c + 64 <= c1; c += 64) {
    for (size_t r = r0; r < r1; r++) {
      __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
      for (int32_t p = row_start[r]; p < row_start[r + 1]; p++) {
        const float *wr = w + (size_t)columns[p] * n + c;
        __m512 v = _mm512_set1_ps(values[p]);
        a0 = _mm512_fmadd_ps(v, _mm512_loadu_ps(wr), a0);
        a1 = _mm512_fmadd_ps(v, _mm512_loadu_ps(wr + 16), a1);
        a2 = _mm512_fmadd_ps(v, _mm512_loadu_ps(wr + 32), a2);
        a3 = _mm512_fmadd_ps(v, _mm512_loadu_ps(wr + 48), a3);
      }
      float *out = y + r * n + c;
      _mm512_storeu_ps(out, a0);
      _mm512_storeu_ps(out + 16, a1);
      _mm512_storeu_ps(out + 32, a2);
      _mm512_storeu_ps(out + 48, a3);
    }
  }
  if (c < c1) csr_matmul_portable(row_start, columns, values, r0, r1, w, n, c, c1, y);
}

// AVX2: 64 columns (eight accumulators) per pass over a row's non-zeros, then 8 at a time.
__attribute__((target("avx2,fma"))) static void csr_matmul_avx2(
    const int32_t *row_start, const int32_t *columns, const float *values, size_t r0, size_t r1,
    const float *w, size_t n, size_t c0, size_t c1, float *y) {
  size_t c = c0;
  for (; c + 64 <= c1; c += 64) {
    for (size_t r = r0; r < r1; r++) {
      __m256 acc[8];
      for (int q = 0; q < 8; q++) acc[q] = _mm256_setzero_ps();
      for (int32_t p = row_start[r]; p < row_start[r + 1]; p++) {
        const float *wr = w + (size_t)columns[p] * n + c;
        const __m256 v = _mm256_set1_ps(values[p]);
        for (int q = 0; q < 8; q++) acc[q] = _mm256_fmadd_ps(v, _mm256_loadu_ps(wr + 8 * q), acc[q]);
      }
      for (int q = 0; q < 8; q++) _mm256_storeu_ps(y + r * n + c + 8 * q, acc[q]);
    }
  }
  for (; c + 8 <= c1; c += 8) {
    for (size_t r = r0; r < r1; r++) {
      __m256 acc = _mm256_setzero_ps();
      for (int32_t p = row_start[r]; p < row_start[r + 1]; p++) {
        acc = _mm256_fmadd_ps(_mm256_set1_ps(values[p]), _mm256_loadu_ps(w + (size_t)columns[p] * n + c), acc);
      }
      _mm256_storeu_ps(y + r * n + c, acc);
    }
  }
  if (c < c1) csr_matmul_portable(row_start, columns, values, r0, r1, w, n, c, c1, y);
}

// AVX2 weight gradient: the portable loop compiled for AVX2 + FMA (the compiler vectorises the
// axpy over a g row).
__attribute__((target("avx2,fma"))) static void csr_transpose_avx2(
    const int32_t *row_start, const int32_t *columns, const float *values, size_t m,
    const float *dy, size_t n, int32_t j0, int32_t j1, float *g) {
  CSR_TRANSPOSE_BODY
}

// The weight gradient: each non-zero x[r, j] with j0 <= j < j1 adds x[r, j]·dy[r, :] to row
// j of g. Threads own disjoint ranges of g's rows (CSR rows are sorted by column, so each
// thread's entries are a contiguous run of every row); splitting g's columns instead made the
// threads share a cache line of every g row they touched.
__attribute__((target("avx512f"))) static void csr_transpose_avx512(
    const int32_t *row_start, const int32_t *columns, const float *values, size_t m,
    const float *dy, size_t n, int32_t j0, int32_t j1, float *g) {
  if (n % 16 != 0 || n > 128) {
    csr_transpose_portable(row_start, columns, values, m, dy, n, j0, j1, g);
    return;
  }
  const size_t blocks = n / 16;
  for (size_t r = 0; r < m; r++) {
    const float *d = dy + r * n;
    __m512 dv[8];
    for (size_t q = 0; q < blocks; q++) dv[q] = _mm512_loadu_ps(d + 16 * q);
    int32_t p = row_start[r], end = row_start[r + 1];
    while (p < end && columns[p] < j0) p++;
    for (; p < end && columns[p] < j1; p++) {
      float *gr = g + (size_t)columns[p] * n;
      __m512 v = _mm512_set1_ps(values[p]);
      for (size_t q = 0; q < blocks; q++)
        _mm512_storeu_ps(gr + 16 * q, _mm512_fmadd_ps(v, dv[q], _mm512_loadu_ps(gr + 16 * q)));
    }
  }
}
#endif

void csim_fill_sparse(struct csim_kernel_table *t, int level) {
  t->compress_rows = compress_rows_portable;
  t->csr_matmul = csr_matmul_portable;
  t->csr_transpose = csr_transpose_portable;
  t->variant[CSIM_FAMILY_SPARSE] = "portable";
#if defined(__x86_64__)
  if (level >= CSIM_ISA_AVX512) {
    t->compress_rows = compress_rows_avx512;
    t->csr_matmul = csr_matmul_avx512;
    t->csr_transpose = csr_transpose_avx512;
    t->variant[CSIM_FAMILY_SPARSE] = "avx512";
  } else if (level >= CSIM_ISA_AVX2) {
    t->compress_rows = compress_rows_avx2;
    t->csr_matmul = csr_matmul_avx2;
    t->csr_transpose = csr_transpose_avx2;
    t->variant[CSIM_FAMILY_SPARSE] = "avx2";
  }
#else
  (void)level;
#endif
}

void csim_csr_matmul_at(int level, const int32_t *row_start, const int32_t *columns,
                        const float *values, size_t r0, size_t r1, const float *w, size_t n,
                        size_t c0, size_t c1, float *y) {
  csim_table(level)->csr_matmul(row_start, columns, values, r0, r1, w, n, c0, c1, y);
}

void csim_csr_transpose_matmul_at(int level, const int32_t *row_start, const int32_t *columns,
                                  const float *values, size_t m, const float *dy, size_t n,
                                  int32_t j0, int32_t j1, float *g) {
  csim_table(level)->csr_transpose(row_start, columns, values, m, dy, n, j0, j1, g);
}

void csim_csr_matmul(const int32_t *row_start, const int32_t *columns, const float *values,
                     size_t r0, size_t r1, const float *w, size_t n, size_t c0, size_t c1,
                     float *y) {
  csim_active.csr_matmul(row_start, columns, values, r0, r1, w, n, c0, c1, y);
}

void csim_csr_transpose_matmul(const int32_t *row_start, const int32_t *columns,
                               const float *values, size_t m, const float *dy, size_t n,
                               int32_t j0, int32_t j1, float *g) {
  csim_active.csr_transpose(row_start, columns, values, m, dy, n, j0, j1, g);
}
