#pragma once
#include <stddef.h>

// Training-side kernels: optimizer updates over raw buffers (restrict-qualified so they
// vectorise) and process set-up. Included by CSimilarityKernels.h.
#ifdef __cplusplus
extern "C" {
#endif

/// Keeps large freed blocks in the heap (glibc: raises the mmap and trim thresholds), so
/// buffers freed and re-allocated every training step do not page-fault each time.
/// Does nothing on other C libraries. Meant for executables, not libraries.
void csim_keep_freed_memory(void);

/// RMSprop without momentum or centering (Keras): v = ρv + (1−ρ)g²; w −= η·g / √(v + ε).
void csim_rmsprop(float *restrict w, const float *restrict g, float *restrict v, size_t n,
                  float rate, float rho, float epsilon);

/// Adam (Keras form): m += (g − m)(1 − β1); v += (g² − v)(1 − β2); w −= α·m / (√v + ε).
void csim_adam(float *restrict w, const float *restrict g, float *restrict m, float *restrict v,
               size_t n, float alpha, float beta1, float beta2, float epsilon);

#ifdef __cplusplus
}
#endif
