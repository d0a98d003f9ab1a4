// Winograd F(2×2, 3×3) convolution (Lavin & Gray 2016, "Fast Algorithms for Convolutional
// Neural Networks", https://arxiv.org/abs/1509.09308) for stride-1 valid 3×3 convolutions of
// NHWC images with HWIO filters.
//
// Each 2×2 block of outputs ("tile") comes from a 4×4 input patch d:
//
//   Y = Aᵀ [ Σ_c (G g_c Gᵀ) ⊙ (Bᵀ d_c B) ] A
//
//   Bᵀ = | 1  0 −1  0 |    G = | 1    0    0  |    Aᵀ = | 1  1  1  0 |
//        | 0  1  1  0 |        | ½    ½    ½  |         | 0  1 −1 −1 |
//        | 0 −1  1  0 |        | ½   −½    ½  |
//        | 0  1  0 −1 |        | 0    0    1  |
//
// so the channel sum is 16 matrix products (one per transform position ξ) of [tiles, c] by
// [c, k] instead of 9 over four times as many outputs: 16/36 of the direct kernel's
// multiply-adds, plus transforms that are additions. The products run on the direct kernel's
// register tiles (convolution_tiles.h), one row of tiles (two output rows) at a time so the
// transformed inputs stay in L1/L2. The input gradient is this forward pass over the padded
// output gradient with the flipped filter; the filter gradient is at the end of the file.
// The transforms (winograd_transforms.h) are compiled for AVX-512 (16 lanes) and AVX2 + FMA
// (8 lanes) and chosen through the dispatch table, like the products' register tiles; every
// entry point does nothing unless csim_conv2d_winograd_applicable (no portable variant: callers
// then use the direct kernels or im2col + GEMM).
#include "CSimilarityKernels.h"
#include "convolution_tiles.h"
#include "kernel_table.h"

#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>

#define VEC __m512
#define VLEN 16
#define VLOAD _mm512_loadu_ps
#define VSTORE _mm512_storeu_ps
#define VADD _mm512_add_ps
#define VSUB _mm512_sub_ps
#define VMUL _mm512_mul_ps
#define VMAX _mm512_max_ps
#define VSET1 _mm512_set1_ps
#define VZERO _mm512_setzero_ps
#define WINOGRAD_TARGET __attribute__((target("avx512f")))
#define WNAME(name) name##_avx512
#include "winograd_transforms.h"
#undef VEC
#undef VLEN
#undef VLOAD
#undef VSTORE
#undef VADD
#undef VSUB
#undef VMUL
#undef VMAX
#undef VSET1
#undef VZERO
#undef WINOGRAD_TARGET
#undef WNAME

#define VEC __m256
#define VLEN 8
#define VLOAD _mm256_loadu_ps
#define VSTORE _mm256_storeu_ps
#define VADD _mm256_add_ps
#define VSUB _mm256_sub_ps
#define VMUL _mm256_mul_ps
#define VMAX _mm256_max_ps
#define VSET1 _mm256_set1_ps
#define VZERO _mm256_setzero_ps
#define WINOGRAD_TARGET __attribute__((target("avx2,fma")))
#define WNAME(name) name##_avx2
#include "winograd_transforms.h"
#endif

void csim_fill_winograd(struct csim_kernel_table *t, int level) {
  t->winograd_filter = NULL, t->winograd_input = NULL, t->winograd_output = NULL;
  t->winograd_gradient = NULL, t->winograd_finish = NULL;
  t->variant[CSIM_FAMILY_WINOGRAD] = "none";
#if defined(__x86_64__)
  if (level >= CSIM_ISA_AVX512) {
    t->winograd_filter = filter_transform_avx512, t->winograd_input = input_transform_avx512;
    t->winograd_output = output_transform_avx512;
    t->winograd_gradient = gradient_transform_avx512, t->winograd_finish = gradient_finish_avx512;
    t->variant[CSIM_FAMILY_WINOGRAD] = "avx512";
  } else if (level >= CSIM_ISA_AVX2) {
    t->winograd_filter = filter_transform_avx2, t->winograd_input = input_transform_avx2;
    t->winograd_output = output_transform_avx2;
    t->winograd_gradient = gradient_transform_avx2, t->winograd_finish = gradient_finish_avx2;
    t->variant[CSIM_FAMILY_WINOGRAD] = "avx2";
  }
#else
  (void)level;
#endif
}

int csim_conv2d_winograd_available(void) { return csim_active.winograd_filter != NULL; }

int csim_conv2d_winograd_applicable(size_t h, size_t w, size_t c, size_t kh, size_t kw,
                                    size_t k) {
  return csim_conv2d_winograd_available() && kh == 3 && kw == 3 && h >= 4 && w >= 4 &&
         h % 2 == 0 && w % 2 == 0 && c > 0 && c % 16 == 0 && k > 0 && k % 16 == 0;
}

size_t csim_conv2d_winograd_scratch_floats(size_t w, size_t c, size_t k) {
  return 16 * ((w - 2) / 2) * (c + k);
}


void csim_conv2d_winograd_filter(const float *filter, size_t c, size_t k, float *u) {
#if defined(__x86_64__)
  if (csim_conv2d_winograd_applicable(4, 4, c, 3, 3, k)) csim_active.winograd_filter(filter, c, k, u);
#else
  (void)filter, (void)c, (void)k, (void)u;
#endif
}


void csim_conv2d_winograd_forward(const float *x, size_t h, size_t w, size_t c, const float *u,
                                  size_t k, const float *bias, int relu, float *y,
                                  float *scratch) {
#if defined(__x86_64__)
  if (!csim_conv2d_winograd_applicable(h, w, c, 3, 3, k)) return;
  const size_t oh = h - 2, ow = w - 2, tiles = ow / 2;
  float *v = scratch, *m = scratch + 16 * tiles * c;
  for (size_t row = 0; row < oh; row += 2) {
    csim_active.winograd_input(x, w, c, row, tiles, v, tiles * c);
    for (size_t xi = 0; xi < 16; xi++) {
      // m[ξ] = v[ξ] · u[ξ]: rows = tiles (step c), inner = channels, columns = k.
      struct tile_args p = {
          .a = v + xi * tiles * c, .rs = (ptrdiff_t)c, .aos = 0, .ais = 1,
          .b = u + xi * c * k, .bos = 0, .bis = (ptrdiff_t)k, .outer = 1, .inner = c,
          .c = m + xi * tiles * k, .ldc = (ptrdiff_t)k, .accumulate = 0, .bias = NULL, .relu = 0};
      csim_active.conv_tiled(p, tiles, k);
    }
    csim_active.winograd_output(m, tiles, ow, k, row, bias, relu, y);
  }
#else
  (void)x, (void)h, (void)w, (void)c, (void)u, (void)k, (void)bias, (void)relu, (void)y;
  (void)scratch;
#endif
}

// ---- filter gradient ----
// With T(d, g, e) = Σ e ⊙ (d ⋆ g) = Σ_ξ (G g Gᵀ ⊙ Bᵀ d B ⊙ A e Aᵀ)[ξ] (the forward identity
// read as a trilinear form), the filter gradient of one 2 × 2 block e of the output gradient
// is ∂T/∂g = Gᵀ [(Bᵀ d B) ⊙ (A e Aᵀ)] G: the products are summed over all blocks and images
// in the transformed domain (16 matrix products of [c, blocks] by [blocks, k]) and mapped back
// once at the end.

// Blocks are gathered (across images) into a buffer of `capacity` blocks, and the products run
// when it is full, so their inner length stays long even for small images.
enum { GRADIENT_BLOCKS = 64 };

size_t csim_conv2d_winograd_gradient_capacity(size_t w) {
  const size_t tiles = (w - 2) / 2;
  return tiles > GRADIENT_BLOCKS ? tiles : GRADIENT_BLOCKS;
}

size_t csim_conv2d_winograd_gradient_buffer_floats(size_t w, size_t c, size_t k) {
  return 16 * csim_conv2d_winograd_gradient_capacity(w) * (c + k);
}


void csim_conv2d_winograd_gradient_flush(float *buffer, size_t capacity, size_t *filled,
                                         size_t c, size_t k, float *m) {
#if defined(__x86_64__)
  if (*filled == 0 || !csim_conv2d_winograd_available()) return;
  const float *v = buffer, *e = buffer + 16 * capacity * c;
  for (size_t xi = 0; xi < 16; xi++) {
    // m[ξ] += v[ξ]ᵀ · e[ξ]: rows = channels (step 1), inner = blocks (step c), columns = k.
    struct tile_args p = {
        .a = v + xi * capacity * c, .rs = 1, .aos = 0, .ais = (ptrdiff_t)c,
        .b = e + xi * capacity * k, .bos = 0, .bis = (ptrdiff_t)k, .outer = 1, .inner = *filled,
        .c = m + xi * c * k, .ldc = (ptrdiff_t)k, .accumulate = 1, .bias = NULL, .relu = 0};
    csim_active.conv_tiled(p, c, k);
  }
#else
  (void)buffer, (void)capacity, (void)c, (void)k, (void)m;
#endif
  *filled = 0;
}

void csim_conv2d_winograd_filter_gradient(const float *x, size_t h, size_t w, size_t c,
                                          const float *g, size_t ldg, size_t k, float *m,
                                          float *buffer, size_t *filled) {
#if defined(__x86_64__)
  if (!csim_conv2d_winograd_applicable(h, w, c, 3, 3, k)) return;
  const size_t tiles = (w - 2) / 2, tile_rows = (h - 2) / 2;
  const size_t capacity = csim_conv2d_winograd_gradient_capacity(w);
  float *v = buffer, *e = buffer + 16 * capacity * c;
  for (size_t row = 0; row < tile_rows; row++) {
    if (*filled + tiles > capacity) csim_conv2d_winograd_gradient_flush(buffer, capacity, filled, c, k, m);
    csim_active.winograd_input(x, w, c, 2 * row, tiles, v + *filled * c, capacity * c);
    csim_active.winograd_gradient(g, ldg, k, tiles, row, e + *filled * k, capacity * k);
    *filled += tiles;
  }
#else
  (void)x, (void)h, (void)w, (void)c, (void)g, (void)ldg, (void)k, (void)m, (void)buffer;
  (void)filled;
#endif
}


void csim_conv2d_winograd_filter_gradient_finish(const float *m, size_t c, size_t k,
                                                 float *dw) {
#if defined(__x86_64__)
  if (csim_conv2d_winograd_applicable(4, 4, c, 3, 3, k)) csim_active.winograd_finish(m, c * k, dw);
#else
  (void)m, (void)c, (void)k, (void)dw;
#endif
}
