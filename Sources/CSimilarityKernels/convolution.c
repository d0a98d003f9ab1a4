// Direct convolution of NHWC images with HWIO filters (stride 1, no dilation, no padding),
// without column matrices: every product is a register tile of `rows × cols` outputs
// accumulated over a two-level loop of broadcast-times-vector FMAs,
//
//   c[r, 0..<cols] (+)= Σ_{o < outer} Σ_{i < inner} a[r·rs + o·aos + i·ais] · b[o·bos + i·bis + 0..<cols]
//
// The forward pass, the input gradient (a forward pass of the padded output gradient with the
// flipped filter) and the filter gradient are all this one tile with different strides.
// AVX-512 here, AVX2 in convolution_avx2.c (both chosen through the dispatch table); the Swift
// side falls back to im2col + GEMM where neither runs.
#include "CSimilarityKernels.h"
#include "kernel_table.h"
#include "convolution_tiles.h"

#include <string.h>

typedef void (*tile_kernel)(const struct tile_args *);

#if defined(__x86_64__)
#include <immintrin.h>

#define CSIM_AVX512 __attribute__((target("avx512f")))

static inline __attribute__((always_inline)) CSIM_AVX512 void tile_body(const int R, const int NV,
                                                                       const struct tile_args *p) {
  __m512 acc[16][4];
  const __mmask16 last = (__mmask16)p->last_mask;
#pragma clang loop unroll(full)
  for (int r = 0; r < R; r++) {
#pragma clang loop unroll(full)
    for (int v = 0; v < NV; v++) {
      if (p->accumulate) {
        acc[r][v] = v == NV - 1 ? _mm512_maskz_loadu_ps(last, p->c + r * p->ldc + 16 * v)
                                : _mm512_loadu_ps(p->c + r * p->ldc + 16 * v);
      } else {
        acc[r][v] = _mm512_setzero_ps();
      }
    }
  }
  const ptrdiff_t rs = p->rs, ais = p->ais, bis = p->bis;
  // Row r is read through group pointer g[r / 3] at offset (r % 3)·rs, which x86 addresses as
  // (g, rs, 4) or (g, rs, 8): a few independent pointer increments per step instead of one
  // serial chain of R address additions.
  const int GROUPS = (R + 2) / 3;
  for (size_t o = 0; o < p->outer; o++) {
    const float *g[6];
#pragma clang loop unroll(full)
    for (int k = 0; k < GROUPS; k++) g[k] = p->a + (ptrdiff_t)o * p->aos + 3 * k * rs;
    const float *b = p->b + (ptrdiff_t)o * p->bos;
    for (size_t i = 0; i < p->inner; i++) {
      __m512 bv[4];
#pragma clang loop unroll(full)
      for (int v = 0; v < NV; v++) {
        bv[v] = v == NV - 1 ? _mm512_maskz_loadu_ps(last, b + 16 * v) : _mm512_loadu_ps(b + 16 * v);
      }
#pragma clang loop unroll(full)
      for (int r = 0; r < R; r++) {
        const __m512 av = _mm512_set1_ps(g[r / 3][(r % 3) * rs]);
#pragma clang loop unroll(full)
        for (int v = 0; v < NV; v++) acc[r][v] = _mm512_fmadd_ps(av, bv[v], acc[r][v]);
      }
#pragma clang loop unroll(full)
      for (int k = 0; k < GROUPS; k++) {
        g[k] += ais;
        __asm__("" : "+r"(g[k]));  // keep each group pointer in its own register
      }
      b += bis;
    }
  }
  if (p->bias) {
#pragma clang loop unroll(full)
    for (int v = 0; v < NV; v++) {
      const __m512 bias = v == NV - 1 ? _mm512_maskz_loadu_ps(last, p->bias + 16 * v)
                                      : _mm512_loadu_ps(p->bias + 16 * v);
#pragma clang loop unroll(full)
      for (int r = 0; r < R; r++) acc[r][v] = _mm512_add_ps(acc[r][v], bias);
    }
  }
  if (p->relu) {
#pragma clang loop unroll(full)
    for (int r = 0; r < R; r++) {
#pragma clang loop unroll(full)
      for (int v = 0; v < NV; v++) acc[r][v] = _mm512_max_ps(acc[r][v], _mm512_setzero_ps());
    }
  }
#pragma clang loop unroll(full)
  for (int r = 0; r < R; r++) {
#pragma clang loop unroll(full)
    for (int v = 0; v < NV; v++) {
      if (v == NV - 1) {
        _mm512_mask_storeu_ps(p->c + r * p->ldc + 16 * v, last, acc[r][v]);
      } else {
        _mm512_storeu_ps(p->c + r * p->ldc + 16 * v, acc[r][v]);
      }
    }
  }
}

// The most rows a tile of NV vectors holds: R·NV accumulators + NV operands ≤ 32 registers.
enum { MAX_ROWS_1 = 16, MAX_ROWS_2 = 14, MAX_ROWS_3 = 9, MAX_ROWS_4 = 6 };

#define TILE(R, NV) \
  static CSIM_AVX512 void tile_##R##_##NV(const struct tile_args *p) { tile_body(R, NV, p); }
#define TILES_6(NV) TILE(1, NV) TILE(2, NV) TILE(3, NV) TILE(4, NV) TILE(5, NV) TILE(6, NV)
#define TILES_9(NV) TILES_6(NV) TILE(7, NV) TILE(8, NV) TILE(9, NV)
#define TILES_14(NV) TILES_9(NV) TILE(10, NV) TILE(11, NV) TILE(12, NV) TILE(13, NV) TILE(14, NV)
#define TILES_16(NV) TILES_14(NV) TILE(15, NV) TILE(16, NV)
TILES_16(1)
TILES_14(2)
TILES_9(3)
TILES_6(4)

#define ROW_6(NV) tile_1_##NV, tile_2_##NV, tile_3_##NV, tile_4_##NV, tile_5_##NV, tile_6_##NV
#define ROW_9(NV) ROW_6(NV), tile_7_##NV, tile_8_##NV, tile_9_##NV
#define ROW_14(NV) ROW_9(NV), tile_10_##NV, tile_11_##NV, tile_12_##NV, tile_13_##NV, tile_14_##NV
#define ROW_16(NV) ROW_14(NV), tile_15_##NV, tile_16_##NV

static const tile_kernel tiles_1[MAX_ROWS_1] = {ROW_16(1)};
static const tile_kernel tiles_2[MAX_ROWS_2] = {ROW_14(2)};
static const tile_kernel tiles_3[MAX_ROWS_3] = {ROW_9(3)};
static const tile_kernel tiles_4[MAX_ROWS_4] = {ROW_6(4)};
static const tile_kernel *const tiles[4] = {tiles_1, tiles_2, tiles_3, tiles_4};
static const int max_rows[4] = {MAX_ROWS_1, MAX_ROWS_2, MAX_ROWS_3, MAX_ROWS_4};

#endif

#if defined(__x86_64__)
static void pad_gradient_avx512(const float *, const float *, size_t, size_t, size_t, size_t,
                                size_t, float *, float *);
#endif

void csim_fill_convolution(struct csim_kernel_table *t, int level) {
  t->conv_tiled = NULL, t->pad_gradient = NULL;
  t->variant[CSIM_FAMILY_CONVOLUTION] = "none";
#if defined(__x86_64__)
  if (level >= CSIM_ISA_AVX512) {
    t->conv_tiled = csim_conv_tiled, t->pad_gradient = pad_gradient_avx512;
    t->variant[CSIM_FAMILY_CONVOLUTION] = "avx512";
  } else if (level >= CSIM_ISA_AVX2) {
    t->conv_tiled = csim_conv_tiled_avx2, t->pad_gradient = csim_pad_gradient_avx2;
    t->variant[CSIM_FAMILY_CONVOLUTION] = "avx2";
  }
#else
  (void)level;
#endif
}


int csim_conv2d_direct_available(void) { return csim_active.conv_tiled != NULL; }

#if defined(__x86_64__)
// c[rows, cols] (+)= the tile sum, split into register tiles: column blocks of up to 64, row
// blocks of equal size (at most the tile's maximum) so no tiny remainder tile is left.
void csim_conv_tiled(struct tile_args p, size_t rows, size_t cols) {
  for (size_t c0 = 0; c0 < cols; c0 += 64) {
    const size_t width = cols - c0 < 64 ? cols - c0 : 64;
    const int nv = (int)((width + 15) / 16);
    const size_t tail = width - 16 * (size_t)(nv - 1);
    struct tile_args q = p;
    q.b = p.b + c0;
    q.c = p.c + c0;
    q.bias = p.bias ? p.bias + c0 : NULL;
    q.last_mask = (uint16_t)(tail == 16 ? 0xFFFFu : (1u << tail) - 1);
    const size_t limit = (size_t)max_rows[nv - 1];
    const size_t blocks = (rows + limit - 1) / limit;
    const size_t per_block = (rows + blocks - 1) / blocks;
    for (size_t r0 = 0; r0 < rows; r0 += per_block) {
      const size_t n = rows - r0 < per_block ? rows - r0 : per_block;
      struct tile_args t = q;
      t.a = q.a + (ptrdiff_t)r0 * q.rs;
      t.c = q.c + (ptrdiff_t)r0 * q.ldc;
      tiles[nv - 1][n - 1](&t);
    }
  }
}
#endif

#if defined(__x86_64__)
// The forward pass over input rows of which the first `zero_top` and the last `zero_bottom`
// are known to be zero: filter rows that would only meet those rows are skipped.
static void forward_band(const float *x, size_t h, size_t w, size_t c, const float *filter,
                         size_t kh, size_t kw, size_t k, const float *bias, int relu, float *y,
                         size_t zero_top, size_t zero_bottom) {
  const size_t oh = h - kh + 1, ow = w - kw + 1;
  for (size_t row = 0; row < oh; row++) {
    // Output row `row`: rows = its pixels (input step c), outer = filter rows a with input row
    // row + a in [zero_top, h − zero_bottom) (input step one image row, filter step kw·c·k),
    // inner = the kw·c contiguous window scalars.
    const size_t first = zero_top > row ? zero_top - row : 0;
    const size_t end = h - zero_bottom - row < kh ? h - zero_bottom - row : kh;
    struct tile_args p = {
        .a = x + (row + first) * w * c, .rs = (ptrdiff_t)c, .aos = (ptrdiff_t)(w * c), .ais = 1,
        .b = filter + first * kw * c * k, .bos = (ptrdiff_t)(kw * c * k), .bis = (ptrdiff_t)k,
        .outer = end > first ? end - first : 0, .inner = kw * c,
        .c = y + row * ow * k, .ldc = (ptrdiff_t)k, .accumulate = 0, .bias = bias, .relu = relu};
    csim_active.conv_tiled(p, ow, k);
  }
}
#endif

void csim_conv2d_direct_forward(const float *x, size_t h, size_t w, size_t c, const float *filter,
                                size_t kh, size_t kw, size_t k, const float *bias, int relu,
                                float *y) {
#if defined(__x86_64__)
  if (!csim_conv2d_direct_available() || h < kh || w < kw) return;
  forward_band(x, h, w, c, filter, kh, kw, k, bias, relu, y, 0, 0);
#else
  (void)x, (void)h, (void)w, (void)c, (void)filter, (void)kh, (void)kw, (void)k, (void)bias;
  (void)relu, (void)y;
#endif
}

void csim_conv2d_flip_filter(const float *filter, size_t kh, size_t kw, size_t c, size_t k,
                             float *flipped) {
  for (size_t a = 0; a < kh; a++) {
    for (size_t b = 0; b < kw; b++) {
      const float *source = filter + ((kh - 1 - a) * kw + (kw - 1 - b)) * c * k;
      float *target = flipped + (a * kw + b) * k * c;
      for (size_t ci = 0; ci < c; ci++) {
        for (size_t ko = 0; ko < k; ko++) target[ko * c + ci] = source[ci * k + ko];
      }
    }
  }
}

#if defined(__x86_64__)
// padded[(row + kh − 1), (kw − 1) ..] = dy · (y > 0 when y is given), zeros around it, and
// bias_gradient += the column sums of what was written.
CSIM_AVX512 static void pad_gradient_avx512(const float *dy, const float *y, size_t oh, size_t ow,
                                     size_t k, size_t kh, size_t kw, float *padded,
                                     float *bias_gradient) {
  const size_t pw = ow + 2 * (kw - 1);
  memset(padded, 0, (kh - 1) * pw * k * sizeof(float));
  memset(padded + (oh + kh - 1) * pw * k, 0, (kh - 1) * pw * k * sizeof(float));
  for (size_t row = 0; row < oh; row++) {
    float *line = padded + (row + kh - 1) * pw * k;
    memset(line, 0, (kw - 1) * k * sizeof(float));
    memset(line + (ow + kw - 1) * k, 0, (kw - 1) * k * sizeof(float));
    float *target = line + (kw - 1) * k;
    const float *g = dy + row * ow * k;
    const float *out = y ? y + row * ow * k : NULL;
    for (size_t c0 = 0; c0 < k; c0 += 16) {
      const __mmask16 m = k - c0 >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (k - c0)) - 1);
      __m512 sum = _mm512_setzero_ps();
      for (size_t x = 0; x < ow; x++) {
        __mmask16 keep = m;
        if (out) keep = _mm512_mask_cmp_ps_mask(m, _mm512_maskz_loadu_ps(m, out + x * k + c0), _mm512_setzero_ps(), _CMP_GT_OQ);
        const __m512 v = _mm512_maskz_loadu_ps(keep, g + x * k + c0);
        _mm512_mask_storeu_ps(target + x * k + c0, m, v);
        sum = _mm512_add_ps(sum, v);
      }
      if (bias_gradient) {
        _mm512_mask_storeu_ps(bias_gradient + c0, m,
                              _mm512_add_ps(_mm512_maskz_loadu_ps(m, bias_gradient + c0), sum));
      }
    }
  }
}

#endif

void csim_conv2d_direct_backward(const float *x, size_t h, size_t w, size_t c,
                                 const float *flipped, size_t kh, size_t kw, size_t k,
                                 const float *y, const float *dy, float *dx, float *dw,
                                 float *bias_gradient, float *scratch) {
#if defined(__x86_64__)
  if (!csim_conv2d_direct_available() || h < kh || w < kw) return;
  const size_t oh = h - kh + 1, ow = w - kw + 1, pw = ow + 2 * (kw - 1);
  csim_active.pad_gradient(dy, y, oh, ow, k, kh, kw, scratch, bias_gradient);
  const float *g = scratch + ((kh - 1) * pw + (kw - 1)) * k;
  if (dw) {
    // Blocks of about PIXELS output pixels (bands of whole rows, or pieces of one long row,
    // as in a 1-D convolution), so the input and gradient a block's tiles stream stay in
    // cache from one tile to the next instead of being read from memory by every tile. Each
    // accumulator still adds the pixels in row-major order: the same sums as one pass.
    enum { PIXELS = 128 };
    const size_t band = ow >= PIXELS ? 1 : PIXELS / ow;
    const size_t piece = ow >= PIXELS ? PIXELS : ow;
    for (size_t r0 = 0; r0 < oh; r0 += band) {
      const size_t rows = oh - r0 < band ? oh - r0 : band;
      for (size_t q0 = 0; q0 < ow; q0 += piece) {
        const size_t columns = ow - q0 < piece ? ow - q0 : piece;
        for (size_t a = 0; a < kh; a++) {
          // Filter row a: rows = its kw·c scalars (contiguous in the input), outer = output
          // rows, inner = output columns (input step c, gradient step k).
          struct tile_args p = {
              .a = x + ((r0 + a) * w + q0) * c, .rs = 1, .aos = (ptrdiff_t)(w * c),
              .ais = (ptrdiff_t)c, .b = g + (r0 * pw + q0) * k, .bos = (ptrdiff_t)(pw * k),
              .bis = (ptrdiff_t)k, .outer = rows, .inner = columns,
              .c = dw + a * kw * c * k, .ldc = (ptrdiff_t)k, .accumulate = 1};
          csim_active.conv_tiled(p, kw * c, k);
        }
      }
    }
  }
  // The input gradient is the full correlation of the gradient with the flipped filter: a
  // valid one over the zero-padded gradient.
  if (dx) forward_band(scratch, oh + 2 * (kh - 1), pw, k, flipped, kh, kw, c, NULL, 0, dx, kh - 1, kh - 1);
#else
  (void)x, (void)h, (void)w, (void)c, (void)flipped, (void)kh, (void)kw, (void)k, (void)y;
  (void)dy, (void)dx, (void)dw, (void)bias_gradient, (void)scratch;
#endif
}
