#pragma once
#include <stddef.h>

// Depthwise 2-D convolution of one NHWC image (depthwise.c): each channel convolved with its own
// kh × kw filter, channel multiplier 1 (a depth multiplier m is channel expansion by the caller:
// channel c·m + j of the expanded image holds input channel c, and an HWIO [kh, kw, c, m]
// filter is [kh, kw, c·m] in memory). Windows are valid over a buffer that holds the image and
// zeros around it (the padding: virtual for the forward pass and the input gradient, which
// read and write the image in place; real for the filter gradient), with any stride and
// dilation. Dispatched on the CSIM_FAMILY_DEPTHWISE family: portable C, AVX2 + FMA, AVX-512.
#ifdef __cplusplus
extern "C" {
#endif

/// The geometry of one depthwise convolution over an image buffer.
typedef struct {
  /// Rows, columns and channels of the image buffer (already padded).
  size_t height, width, channels;
  size_t kernel_height, kernel_width;
  size_t stride_height, stride_width;
  size_t dilation_height, dilation_width;
  /// Output rows and columns; every window lies inside the buffer:
  /// (output_height − 1)·stride_height + (kernel_height − 1)·dilation_height < height, and
  /// likewise for the columns.
  size_t output_height, output_width;
  /// Where the image sits in the buffer: `image_height` rows from row `image_top`,
  /// `image_width` columns from column `image_left`; the buffer is zero elsewhere (the
  /// padding). csim_depthwise_forward reads and csim_depthwise_backward_input writes the image
  /// alone ([image_height, image_width, c]), so `same` padding needs no padded copy; the whole
  /// buffer is (height, width, 0, 0). csim_depthwise_backward_filter reads the whole buffer.
  /// Image rows and columns past the buffer read as and get zeros.
  size_t image_height, image_width, image_top, image_left;
} csim_depthwise_geometry;

/// y[oh, ow, c] = bias[c] + Σ_{i, j} b[oh·sh + i·dh, ow·sw + j·dw, c] · filter[i, j, c]
/// (bias NULL: 0), where b is the buffer: the image x [image_height, image_width, c] at
/// (image_top, image_left), zeros around it. filter is [kh, kw, c], y [oh, ow, c] (overwritten).
void csim_depthwise_forward(const csim_depthwise_geometry *g, const float *x, const float *filter,
                            const float *bias, float *y);

/// The input gradient of csim_depthwise_forward over the region of the buffer the geometry's
/// gradient_* fields name: dx [image_height, image_width, c] is overwritten, element
/// (r, q) with Σ dy[oh, ow, c] · filter[i, j, c] over the windows (oh, ow) whose tap (i, j)
/// reads buffer element (image_top + r, image_left + q) (zero where no window reaches).
void csim_depthwise_backward_input(const csim_depthwise_geometry *g, const float *dy,
                                   const float *filter, float *dx);

/// The filter gradient of csim_depthwise_forward, accumulated:
/// df[i, j, c] += Σ_{oh, ow} x[oh·sh + i·dh, ow·sw + j·dw, c] · dy[oh, ow, c].
void csim_depthwise_backward_filter(const csim_depthwise_geometry *g, const float *x,
                                    const float *dy, float *df);

/// The three kernels at an explicit level (tests): `which` 0 = forward (a = x, b = filter,
/// c = bias, out = y), 1 = input gradient (a = dy, b = filter, out = dx), 2 = filter gradient
/// (a = x, b = dy, out = df, accumulated).
void csim_depthwise_at(int level, int which, const csim_depthwise_geometry *g, const float *a,
                       const float *b, const float *c, float *out);

#ifdef __cplusplus
}
#endif
