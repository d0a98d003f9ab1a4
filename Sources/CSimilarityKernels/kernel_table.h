// Internal to CSimilarityKernels: the one dispatch table. dispatch.c fills a table per
// instruction-set level once, at load (each family's csim_fill_* sets its own entries for a
// level), and copies the active level's into `csim_active`, which every dispatched entry point
// calls through. The csim_*_at entry points call through `csim_table(level)`. Not part of the
// module's public headers.
#pragma once

#include "CSimilarityKernels.h"
#include "CSimilarityDepthwise.h"

struct tile_args;  // convolution_tiles.h

struct csim_kernel_table {
  /// The level this table is for (clamped to what the CPU runs).
  int level;
  /// Each family's variant at this level: "portable", "avx2", "avx512", "avx512bf16", "none".
  const char *variant[CSIM_FAMILY_COUNT];
  // distance.c
  float (*l2sq)(const float *, const float *, size_t);
  float (*dot)(const float *, const float *, size_t);
  float (*l1)(const float *, const float *, size_t);
  float (*l2sq_bounded)(const float *, const float *, size_t, float);
  float (*l1_bounded)(const float *, const float *, size_t, float);
  // half.c
  float (*half_row)(int, const float *, const uint16_t *, size_t, float);
  // scan.c
  size_t (*scan)(const float *, const float *, const float *, float, float, float, size_t, float,
                 uint32_t *, float *, float *);
  // bfloat16.c
  void (*bf16_scores)(const uint32_t *, size_t, size_t, const uint32_t *, size_t, size_t, float *,
                      size_t);
  // sparse.c
  size_t (*compress_rows)(const float *, size_t, size_t, int32_t *, int32_t *, float *);
  void (*csr_matmul)(const int32_t *, const int32_t *, const float *, size_t, size_t,
                     const float *, size_t, size_t, size_t, float *);
  void (*csr_transpose)(const int32_t *, const int32_t *, const float *, size_t, const float *,
                        size_t, int32_t, int32_t, float *);
  // affine.c
  void (*accumulate_row)(const int32_t *, const float *, size_t, const float *, size_t,
                         const float *, int, float *);
  void (*bias_activation)(float *, size_t, size_t, const float *, int);
  // pooling.c
  void (*max_pool_merge)(const float *, int32_t, size_t, int, float *, int32_t *);
  // training.c
  void (*rmsprop)(float *, const float *, float *, size_t, float, float, float);
  void (*adam)(float *, const float *, float *, float *, size_t, float, float, float, float);
  // convolution.c: NULL where the family is "none" (callers use im2col + GEMM)
  void (*conv_tiled)(struct tile_args, size_t, size_t);
  void (*pad_gradient)(const float *, const float *, size_t, size_t, size_t, size_t, size_t,
                       float *, float *);
  // winograd.c: the transforms; NULL where the family is "none"
  void (*winograd_filter)(const float *, size_t, size_t, float *);
  void (*winograd_input)(const float *, size_t, size_t, size_t, size_t, float *, size_t);
  void (*winograd_output)(const float *, size_t, size_t, size_t, size_t, const float *, int,
                          float *);
  void (*winograd_gradient)(const float *, size_t, size_t, size_t, size_t, float *, size_t);
  void (*winograd_finish)(const float *, size_t, float *);
  // pooling3d.c (filled by csim_fill_pooling)
  void (*max_pool3d)(const csim_pool3d_geometry *, const float *, size_t, size_t, float *,
                     int32_t *);
  void (*average_pool3d)(const csim_pool3d_geometry *, const float *, size_t, size_t, float *);
  void (*average_pool3d_backward)(const csim_pool3d_geometry *, const float *, int, float *);
  void (*max_pool3d_backward_tiled)(const csim_pool3d_geometry *, const float *, const int32_t *,
                                    size_t, size_t, float *);
  // depthwise.c
  void (*depthwise_forward)(const csim_depthwise_geometry *, const float *, const float *,
                            const float *, float *);
  void (*depthwise_backward_input)(const csim_depthwise_geometry *, const float *, const float *,
                                   float *);
  void (*depthwise_backward_filter)(const csim_depthwise_geometry *, const float *,
                                    const float *, float *);
};

/// The active level's table, filled once at load.
extern struct csim_kernel_table csim_active;
/// The table of `level` (clamped to what the CPU runs).
const struct csim_kernel_table *csim_table(int level);

// Each family fills its entries (and its variant name) for a level the CPU runs.
void csim_fill_distance(struct csim_kernel_table *t, int level);
void csim_fill_half(struct csim_kernel_table *t, int level);
void csim_fill_scan(struct csim_kernel_table *t, int level);
void csim_fill_bfloat16(struct csim_kernel_table *t, int level);
void csim_fill_sparse(struct csim_kernel_table *t, int level);
void csim_fill_affine(struct csim_kernel_table *t, int level);
void csim_fill_pooling(struct csim_kernel_table *t, int level);
void csim_fill_pooling3d(struct csim_kernel_table *t, int level);
void csim_fill_optimizer(struct csim_kernel_table *t, int level);
void csim_fill_convolution(struct csim_kernel_table *t, int level);
void csim_fill_winograd(struct csim_kernel_table *t, int level);
void csim_fill_depthwise(struct csim_kernel_table *t, int level);

/// Whether the Winograd kernels run at the active level.
int csim_conv2d_winograd_available(void);
