#pragma once
#include <stddef.h>
#include <stdint.h>

// Window pooling over one channels-last volume [depth, height, width, channels] (pooling3d.c).
// 1-D pooling runs through it with depth = height = 1. Dispatched with the pooling family.
#ifdef __cplusplus
extern "C" {
#endif

/// The geometry of a 3-D pooling window over one volume. `pad_*` is the padding before the
/// volume (front, top, left); the rest of a `same` padding goes after it, as in TensorFlow.
/// Every output window holds at least one element of the volume.
typedef struct {
  size_t depth, height, width, channels;
  size_t pool_d, pool_h, pool_w;
  size_t stride_d, stride_h, stride_w;
  size_t pad_d, pad_h, pad_w;
  size_t out_d, out_h, out_w;
} csim_pool3d_geometry;

/// Max pooling of output rows `row_begin ..< row_end` (row = od·out_h + oh, all columns and
/// channels; `out` and `positions` point at the volume's whole output): out[o, c] = the maximum over the window's valid elements (the first in window
/// order on ties; NaN never wins after the first), positions[o, c] its offset in the volume.
void csim_max_pool3d(const csim_pool3d_geometry *g, const float *volume, size_t row_begin,
                     size_t row_end, float *out, int32_t *positions);
/// Average pooling of output rows `row_begin ..< row_end`: the mean of each window's valid
/// (unpadded) elements.
void csim_average_pool3d(const csim_pool3d_geometry *g, const float *volume, size_t row_begin,
                         size_t row_end, float *out);
/// The average pooling's input gradient of one volume: each output gradient spread evenly
/// over its window's valid elements, added to `volume_gradient` — or, with `assign` (only
/// when the windows tile the volume exactly: every element in exactly one window), stored
/// there, so `volume_gradient` need not be initialised.
void csim_average_pool3d_backward(const csim_pool3d_geometry *g, const float *gradient,
                                  int assign, float *volume_gradient);

/// The max pooling's input gradient when the windows tile the volume exactly (strides equal
/// to the window, extents divisible by it), for output rows `row_begin ..< row_end`: every
/// element of their windows is stored — the output gradient where `positions` names it, else
/// zero — so `volume_gradient` need not be initialised.
void csim_max_pool3d_backward_tiled(const csim_pool3d_geometry *g, const float *gradient,
                                    const int32_t *positions, size_t row_begin, size_t row_end,
                                    float *volume_gradient);
void csim_max_pool3d_backward_tiled_at(int level, const csim_pool3d_geometry *g,
                                       const float *gradient, const int32_t *positions,
                                       size_t row_begin, size_t row_end, float *volume_gradient);

void csim_max_pool3d_at(int level, const csim_pool3d_geometry *g, const float *volume,
                        size_t row_begin, size_t row_end, float *out, int32_t *positions);
void csim_average_pool3d_at(int level, const csim_pool3d_geometry *g, const float *volume,
                            size_t row_begin, size_t row_end, float *out);
void csim_average_pool3d_backward_at(int level, const csim_pool3d_geometry *g,
                                     const float *gradient, int assign, float *volume_gradient);

#ifdef __cplusplus
}
#endif
