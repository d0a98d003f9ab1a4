// Each family's variant at a level (clamped to what the CPU runs), for csim_kernel_variant in
// dispatch.c. Internal: not part of the module's public headers.
#pragma once

const char *csim_distance_variant(int level);
const char *csim_half_variant(int level);
const char *csim_scan_variant(int level);
const char *csim_bfloat16_variant(int level);
const char *csim_sparse_variant(int level);
const char *csim_affine_variant(int level);
const char *csim_pooling_variant(int level);
const char *csim_optimizer_variant(int level);
const char *csim_convolution_variant(int level);
const char *csim_winograd_variant(int level);
/// Whether the Winograd kernels (AVX-512 only) run at the active level.
int csim_conv2d_winograd_available(void);
