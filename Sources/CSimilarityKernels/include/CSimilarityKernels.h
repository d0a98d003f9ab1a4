#pragma once
#include <stddef.h>

// Distance kernels with run-time CPU dispatch (AVX-512 / AVX2+FMA / portable C).
// Each function returns the distance between two float vectors of length n.
#ifdef __cplusplus
extern "C" {
#endif

/// Name of the instruction set the dispatched kernels use: "avx512", "avx2" or "portable".
const char *csim_kernel_isa(void);

#ifdef __cplusplus
}
#endif
