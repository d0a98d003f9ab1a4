// Internal to CSimilarityKernels: the register-tile GEMM of convolution.c, shared with
// winograd.c. Not part of the module's public headers.
#ifndef CSIM_CONVOLUTION_TILES_H
#define CSIM_CONVOLUTION_TILES_H

#include <stddef.h>
#include <stdint.h>

/// One tile sum, c[r, 0..<cols] (+)= Σ_{o < outer} Σ_{i < inner} a[r·rs + o·aos + i·ais] ·
/// b[o·bos + i·bis + 0..<cols].
struct tile_args {
  const float *a;
  ptrdiff_t rs, aos, ais;
  const float *b;
  ptrdiff_t bos, bis;
  size_t outer, inner;
  float *c;
  ptrdiff_t ldc;
  int accumulate;
  const float *bias;   // added to each row before the store (not with accumulate), or NULL
  int relu;            // max(·, 0) before the store (not with accumulate)
  uint16_t last_mask;  // lanes of the last 16-column vector that exist (set by csim_conv_tiled)
};

#if defined(__x86_64__)
/// c[rows, cols] (+)= the tile sum of `p` over `rows` rows and `cols` columns, in AVX-512
/// register tiles. Only when csim_conv2d_direct_available().
void csim_conv_tiled(struct tile_args p, size_t rows, size_t cols);
/// csim_conv_tiled in AVX2 tiles (convolution_avx2.c).
void csim_conv_tiled_avx2(struct tile_args p, size_t rows, size_t cols);
/// The backward pass's padded, ReLU-masked output gradient and bias gradient, AVX2.
void csim_pad_gradient_avx2(const float *dy, const float *y, size_t oh, size_t ow, size_t k,
                            size_t kh, size_t kw, float *padded, float *bias_gradient);
#endif

#endif
