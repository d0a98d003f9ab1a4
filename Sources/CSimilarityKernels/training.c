#include "CSimilarityTraining.h"

#include <math.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

void csim_keep_freed_memory(void) {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
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
__attribute__((target("avx512f"))) static void rmsprop_avx512(
    float *restrict w, const float *restrict g, float *restrict v, size_t n, float rate,
    float rho, float epsilon) {
  RMSPROP_BODY
}
__attribute__((target("avx512f"))) static void adam_avx512(
    float *restrict w, const float *restrict g, float *restrict m, float *restrict v, size_t n,
    float alpha, float beta1, float beta2, float epsilon) {
  ADAM_BODY
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

static int has_avx512(void) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f");
#else
  return 0;
#endif
}

void csim_rmsprop(float *restrict w, const float *restrict g, float *restrict v, size_t n,
                  float rate, float rho, float epsilon) {
#if defined(__x86_64__)
  if (has_avx512()) {
    rmsprop_avx512(w, g, v, n, rate, rho, epsilon);
    return;
  }
#endif
  rmsprop_portable(w, g, v, n, rate, rho, epsilon);
}

void csim_adam(float *restrict w, const float *restrict g, float *restrict m, float *restrict v,
               size_t n, float alpha, float beta1, float beta2, float epsilon) {
#if defined(__x86_64__)
  if (has_avx512()) {
    adam_avx512(w, g, m, v, n, alpha, beta1, beta2, epsilon);
    return;
  }
#endif
  adam_portable(w, g, m, v, n, alpha, beta1, beta2, epsilon);
}
