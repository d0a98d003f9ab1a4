#include "CSimilarityKernels.h"
#include "kernel_table.h"

#include <math.h>
#if defined(__x86_64__)
#include <xmmintrin.h>
#endif
#if defined(__GLIBC__)
#include <malloc.h>
#endif

void csim_keep_freed_memory(void) {
#if defined(__GLIBC__)
  // glibc refuses an mmap threshold above half its per-thread heap size (32 MiB on 64-bit
  // targets) and leaves the old one in force, while M_TRIM_THRESHOLD also switches off the
  // threshold's growth: asking for 64 MiB left every block of 128 KiB and more mmapped and
  // page-faulted afresh on each allocation. A thread's arena (the CLI's work runs on a
  // dispatch thread, not the main one) also unmaps a heap that empties unless the top pad
  // keeps it, so the pad is raised as well.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  mallopt(M_TOP_PAD, 64 << 20);
#endif
}

#define RMSPROP_BODY                                   \
  for (size_t i = 0; i < n; i++) {                     \
    float vi = rho * v[i] + (1.0f - rho) * g[i] * g[i]; \
    v[i] = vi;                                         \
    w[i] -= rate * g[i] / sqrtf(vi + epsilon);         \
  }

#define ADAM_BODY                                          \
  for (size_t i = 0; i < n; i++) {                         \
    float mi = m[i] + (g[i] - m[i]) * (1.0f - beta1);      \
    float vi = v[i] + (g[i] * g[i] - v[i]) * (1.0f - beta2); \
    m[i] = mi;                                             \
    v[i] = vi;                                             \
    w[i] -= alpha * mi / (sqrtf(vi) + epsilon);            \
  }

#if defined(__x86_64__)
#include <immintrin.h>

// Explicit vector square roots: a plain sqrtf loop does not vectorise without -fno-math-errno
// (the compiler keeps a scalar path that can set errno), and unsafe flags are not an option.
// AVX2 + FMA: 8 lanes, the tail by the portable formulas.
__attribute__((target("avx2,fma"))) static void rmsprop_avx2(
    float *restrict w, const float *restrict g, float *restrict v, size_t n, float rate,
    float rho, float epsilon) {
  const __m256 vr = _mm256_set1_ps(rho), vr1 = _mm256_set1_ps(1.0f - rho);
  const __m256 veps = _mm256_set1_ps(epsilon), vrate = _mm256_set1_ps(rate);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 gi = _mm256_loadu_ps(g + i);
    __m256 vi = _mm256_fmadd_ps(vr1, _mm256_mul_ps(gi, gi), _mm256_mul_ps(vr, _mm256_loadu_ps(v + i)));
    _mm256_storeu_ps(v + i, vi);
    __m256 step = _mm256_div_ps(_mm256_mul_ps(vrate, gi), _mm256_sqrt_ps(_mm256_add_ps(vi, veps)));
    _mm256_storeu_ps(w + i, _mm256_sub_ps(_mm256_loadu_ps(w + i), step));
  }
  w += i, g += i, v += i, n -= i;
  RMSPROP_BODY
}

__attribute__((target("avx2,fma"))) static void adam_avx2(
    float *restrict w, const float *restrict g, float *restrict m, float *restrict v, size_t n,
    float alpha, float beta1, float beta2, float epsilon) {
  const __m256 b1 = _mm256_set1_ps(1.0f - beta1), b2 = _mm256_set1_ps(1.0f - beta2);
  const __m256 va = _mm256_set1_ps(alpha), veps = _mm256_set1_ps(epsilon);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 gi = _mm256_loadu_ps(g + i), mi = _mm256_loadu_ps(m + i), vi = _mm256_loadu_ps(v + i);
    mi = _mm256_fmadd_ps(_mm256_sub_ps(gi, mi), b1, mi);
    vi = _mm256_fmadd_ps(_mm256_sub_ps(_mm256_mul_ps(gi, gi), vi), b2, vi);
    _mm256_storeu_ps(m + i, mi);
    _mm256_storeu_ps(v + i, vi);
    __m256 step = _mm256_div_ps(_mm256_mul_ps(va, mi), _mm256_add_ps(_mm256_sqrt_ps(vi), veps));
    _mm256_storeu_ps(w + i, _mm256_sub_ps(_mm256_loadu_ps(w + i), step));
  }
  w += i, g += i, m += i, v += i, n -= i;
  ADAM_BODY
}

__attribute__((target("avx512f"))) static void rmsprop_avx512(
    float *restrict w, const float *restrict g, float *restrict v, size_t n, float rate,
    float rho, float epsilon) {
  const __m512 vr = _mm512_set1_ps(rho), vr1 = _mm512_set1_ps(1.0f - rho);
  const __m512 veps = _mm512_set1_ps(epsilon), vrate = _mm512_set1_ps(rate);
  for (size_t i = 0; i < n; i += 16) {
    __mmask16 k = n - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - i)) - 1);
    __m512 gi = _mm512_maskz_loadu_ps(k, g + i);
    __m512 vi = _mm512_fmadd_ps(vr1, _mm512_mul_ps(gi, gi),
                                _mm512_mul_ps(vr, _mm512_maskz_loadu_ps(k, v + i)));
    _mm512_mask_storeu_ps(v + i, k, vi);
    __m512 step = _mm512_div_ps(_mm512_mul_ps(vrate, gi), _mm512_sqrt_ps(_mm512_add_ps(vi, veps)));
    _mm512_mask_storeu_ps(w + i, k, _mm512_sub_ps(_mm512_maskz_loadu_ps(k, w + i), step));
  }
}

__attribute__((target("avx512f"))) static void adam_avx512(
    float *restrict w, const float *restrict g, float *restrict m, float *restrict v, size_t n,
    float alpha, float beta1, float beta2, float epsilon) {
  const __m512 b1 = _mm512_set1_ps(1.0f - beta1), b2 = _mm512_set1_ps(1.0f - beta2);
  const __m512 va = _mm512_set1_ps(alpha), veps = _mm512_set1_ps(epsilon);
  for (size_t i = 0; i < n; i += 16) {
    __mmask16 k = n - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - i)) - 1);
    __m512 gi = _mm512_maskz_loadu_ps(k, g + i);
    __m512 mi = _mm512_maskz_loadu_ps(k, m + i);
    __m512 vi = _mm512_maskz_loadu_ps(k, v + i);
    mi = _mm512_fmadd_ps(_mm512_sub_ps(gi, mi), b1, mi);
    vi = _mm512_fmadd_ps(_mm512_sub_ps(_mm512_mul_ps(gi, gi), vi), b2, vi);
    _mm512_mask_storeu_ps(m + i, k, mi);
    _mm512_mask_storeu_ps(v + i, k, vi);
    __m512 step = _mm512_div_ps(_mm512_mul_ps(va, mi), _mm512_add_ps(_mm512_sqrt_ps(vi), veps));
    _mm512_mask_storeu_ps(w + i, k, _mm512_sub_ps(_mm512_maskz_loadu_ps(k, w + i), step));
  }
}
#endif

static void rmsprop_portable(float *restrict w, const float *restrict g, float *restrict v,
                             size_t n, float rate, float rho, float epsilon) {
  RMSPROP_BODY
}
static void adam_portable(float *restrict w, const float *restrict g, float *restrict m,
                          float *restrict v, size_t n, float alpha, float beta1, float beta2,
                          float epsilon) {
  ADAM_BODY
}

// Second-moment estimates of weights whose gradient is always 0 (e.g. first-layer weights of
// MNIST's blank border pixels) decay geometrically into denormal range, where every multiply
// costs ~100 cycles. The update runs with flush-to-zero / denormals-are-zero, as TensorFlow's
// kernels do, and restores the caller's floating-point mode afterwards.
#if defined(__x86_64__)
#define WITH_FLUSHED_DENORMALS(body)                  \
  do {                                                \
    unsigned int saved_csr = _mm_getcsr();            \
    _mm_setcsr(saved_csr | 0x8040); /* FTZ | DAZ */   \
    body;                                             \
    _mm_setcsr(saved_csr);                            \
  } while (0)
#else
#define WITH_FLUSHED_DENORMALS(body) \
  do {                               \
    body;                            \
  } while (0)
#endif


void csim_fill_optimizer(struct csim_kernel_table *t, int level) {
  t->rmsprop = rmsprop_portable, t->adam = adam_portable;
  t->variant[CSIM_FAMILY_OPTIMIZER] = "portable";
#if defined(__x86_64__)
  if (level >= CSIM_ISA_AVX512) {
    t->rmsprop = rmsprop_avx512, t->adam = adam_avx512;
    t->variant[CSIM_FAMILY_OPTIMIZER] = "avx512";
  } else if (level >= CSIM_ISA_AVX2) {
    t->rmsprop = rmsprop_avx2, t->adam = adam_avx2;
    t->variant[CSIM_FAMILY_OPTIMIZER] = "avx2";
  }
#else
  (void)level;
#endif
}

void csim_rmsprop_at(int level, float *restrict w, const float *restrict g, float *restrict v,
                     size_t n, float rate, float rho, float epsilon) {
  WITH_FLUSHED_DENORMALS(csim_table(level)->rmsprop(w, g, v, n, rate, rho, epsilon));
}

void csim_adam_at(int level, float *restrict w, const float *restrict g, float *restrict m,
                  float *restrict v, size_t n, float alpha, float beta1, float beta2,
                  float epsilon) {
  WITH_FLUSHED_DENORMALS(csim_table(level)->adam(w, g, m, v, n, alpha, beta1, beta2, epsilon));
}

void csim_rmsprop(float *restrict w, const float *restrict g, float *restrict v, size_t n,
                  float rate, float rho, float epsilon) {
  WITH_FLUSHED_DENORMALS(csim_active.rmsprop(w, g, v, n, rate, rho, epsilon));
}

void csim_adam(float *restrict w, const float *restrict g, float *restrict m, float *restrict v,
               size_t n, float alpha, float beta1, float beta2, float epsilon) {
  WITH_FLUSHED_DENORMALS(csim_active.adam(w, g, m, v, n, alpha, beta1, beta2, epsilon));
}
