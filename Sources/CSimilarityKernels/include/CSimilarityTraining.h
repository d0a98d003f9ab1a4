#pragma once
#include <stddef.h>
#include <stdint.h>

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

#ifdef __cplusplus
extern "C" {
#endif

/// Number of non-zero entries of x[0..<n].
size_t csim_count_nonzero(const float *x, size_t n);

/// Compresses the rows of a dense row-major x [m, k] into CSR form: row r's non-zeros are
/// values[row_start[r] ..< row_start[r + 1]] at columns columns[...], offsets counted from 0.
/// Writes row_start[0 ..< m] (the caller sets the end offset) and exactly the returned number
/// of values and columns, nothing beyond, so row blocks can be compressed concurrently into
/// adjacent ranges. `values` and `columns` must hold csim_count_nonzero(x, m·k) entries.
size_t csim_compress_rows(const float *x, size_t m, size_t k, int32_t *row_start,
                          int32_t *columns, float *values);

/// y[r, c0..<c1] = Σ_j x[r, j] · w[j, c0..<c1] for rows r0..<r1 of a CSR x; w is [k, n]
/// row-major, y is [m, n] row-major and is overwritten in the given block.
void csim_csr_matmul(const int32_t *row_start, const int32_t *columns, const float *values,
                     size_t r0, size_t r1, const float *w, size_t n, size_t c0, size_t c1,
                     float *y);

/// g[j, :] += Σ_r x[r, j] · dy[r, :] for the input columns j0 <= j < j1 of a CSR x whose rows
/// list their columns in increasing order (the weight gradient xᵀ·dy restricted to a block of
/// g's rows); g is [k, n] row-major.
void csim_csr_transpose_matmul(const int32_t *row_start, const int32_t *columns,
                               const float *values, size_t m, const float *dy, size_t n,
                               int32_t j0, int32_t j1, float *g);

/// Inference-only dense layer on `rows` rows: y[r, :] = act(x[r, :]·w + bias) with x
/// `[rows, k]` (dense storage, mostly zeros), w `[k, n]`, bias `[n]` or NULL, act = ReLU when
/// `relu` is non-zero, else identity. Each row's non-zeros are packed into the scratch buffers
/// (`k` entries each) and only their weight rows are read.
void csim_affine_sparse_rows(const float *x, size_t rows, size_t k, const float *w, size_t n,
                             const float *bias, int relu, float *y, int32_t *scratch_columns,
                             float *scratch_values);

/// In place on `[rows, n]`: y += bias (when not NULL), then y = (y > 0 ? y : 0) when `relu`
/// (NaN and −0 become +0). Dispatched with the affine family (AVX2 at the AVX2 and AVX-512
/// levels); every variant gives the portable result bit for bit.
void csim_bias_activation_rows(float *y, size_t rows, size_t n, const float *bias, int relu);

/// One window element of max pooling over `c` channels: with `first`, out = input and
/// best = base + channel; otherwise where input > out (NaN never wins), out = input and
/// best = base + channel.
void csim_max_pool_merge(const float *input, int32_t base, size_t c, int first, float *out,
                         int32_t *best);

/// Whether the direct convolution kernels below run here (they need AVX-512; elsewhere they do
/// nothing and callers use im2col + GEMM).
int csim_conv2d_direct_available(void);

/// One image, stride 1, no dilation, no padding: y[oh, ow, k] = act(x[h, w, c] ⋆ filter[kh, kw,
/// c, k] + bias[k]) with oh = h − kh + 1, ow = w − kw + 1, act = ReLU when `relu` is non-zero,
/// else identity; `bias` may be NULL. y is overwritten.
void csim_conv2d_direct_forward(const float *x, size_t h, size_t w, size_t c, const float *filter,
                                size_t kh, size_t kw, size_t k, const float *bias, int relu,
                                float *y);

/// flipped[a, b, ko, ci] = filter[kh−1−a, kw−1−b, ci, ko]: the filter of the input gradient.
void csim_conv2d_flip_filter(const float *filter, size_t kh, size_t kw, size_t c, size_t k,
                             float *flipped);

/// One image's backward pass of csim_conv2d_direct_forward, given dy[oh, ow, k] (the gradient of
/// y) and, when the forward pass applied ReLU, its output y (else NULL: the gradient passes
/// unmasked): dx[h, w, c] is overwritten (with the flipped filter), dw[kh, kw, c, k] and
/// bias_gradient[k] are accumulated into; each of the three may be NULL. `scratch` holds
/// (oh + 2kh − 2)(ow + 2kw − 2)·k floats; on return it holds the zero-padded (and
/// ReLU-masked) gradient, whose valid convolution with the flipped filter is dx.
void csim_conv2d_direct_backward(const float *x, size_t h, size_t w, size_t c,
                                 const float *flipped, size_t kh, size_t kw, size_t k,
                                 const float *y, const float *dy, float *dx, float *dw,
                                 float *bias_gradient, float *scratch);

/// Whether csim_conv2d_winograd_forward handles a stride-1 valid convolution of an h × w × c
/// image with a kh × kw × c × k filter: 3 × 3 filters, even h and w (even output sizes), c and
/// k multiples of 16, on CPUs with AVX-512.
int csim_conv2d_winograd_applicable(size_t h, size_t w, size_t c, size_t kh, size_t kw,
                                    size_t k);

/// u[16, c, k] = G g Gᵀ for each (c, k) of a 3 × 3 HWIO filter g[3, 3, c, k]: the filter in
/// the Winograd F(2×2, 3×3) domain (Lavin & Gray 2016). Only for channel counts Winograd
/// applies to (csim_conv2d_winograd_applicable); does nothing otherwise.
void csim_conv2d_winograd_filter(const float *filter, size_t c, size_t k, float *u);

/// Floats of `scratch` csim_conv2d_winograd_forward needs for images of width w.
size_t csim_conv2d_winograd_scratch_floats(size_t w, size_t c, size_t k);

/// csim_conv2d_direct_forward for a 3 × 3 filter by Winograd F(2×2, 3×3): `u` is the filter
/// transformed by csim_conv2d_winograd_filter. Does nothing unless
/// csim_conv2d_winograd_applicable(h, w, c, 3, 3, k).
void csim_conv2d_winograd_forward(const float *x, size_t h, size_t w, size_t c, const float *u,
                                  size_t k, const float *bias, int relu, float *y,
                                  float *scratch);

/// Blocks the buffer of csim_conv2d_winograd_filter_gradient holds for images of width w, and
/// its size in floats.
size_t csim_conv2d_winograd_gradient_capacity(size_t w);
size_t csim_conv2d_winograd_gradient_buffer_floats(size_t w, size_t c, size_t k);

/// One image's filter gradient in the Winograd domain: m[16, c, k] += Σ over the 2 × 2 blocks e
/// of the output gradient of (Bᵀ d B) ⊗ (A e Aᵀ), d the 4 × 4 input patch under e. x is the
/// [h, w, c] image, g the (oh × ow × k) output gradient with `ldg` floats between its rows.
/// The transformed blocks are gathered in `buffer` (`*filled` of them so far, start at 0) and
/// multiplied into m when it is full; csim_conv2d_winograd_gradient_flush multiplies the rest,
/// then csim_conv2d_winograd_filter_gradient_finish maps m back. Does nothing unless
/// csim_conv2d_winograd_applicable(h, w, c, 3, 3, k).
void csim_conv2d_winograd_filter_gradient(const float *x, size_t h, size_t w, size_t c,
                                          const float *g, size_t ldg, size_t k, float *m,
                                          float *buffer, size_t *filled);

/// m += the products of the `*filled` blocks gathered in `buffer` (of `capacity` blocks); sets
/// `*filled` to 0.
void csim_conv2d_winograd_gradient_flush(float *buffer, size_t capacity, size_t *filled,
                                         size_t c, size_t k, float *m);

/// dw[3, 3, c, k] += Gᵀ m G: the filter gradient accumulated by
/// csim_conv2d_winograd_filter_gradient, back in the spatial domain (only for channel counts
/// Winograd applies to).
void csim_conv2d_winograd_filter_gradient_finish(const float *m, size_t c, size_t k, float *dw);

// ---- entry points at an explicit level (for tests; see CSimilarityKernels.h) ----
void csim_rmsprop_at(int level, float *restrict w, const float *restrict g, float *restrict v,
                     size_t n, float rate, float rho, float epsilon);
void csim_adam_at(int level, float *restrict w, const float *restrict g, float *restrict m,
                  float *restrict v, size_t n, float alpha, float beta1, float beta2,
                  float epsilon);
size_t csim_compress_rows_at(int level, const float *x, size_t m, size_t k, int32_t *row_start,
                             int32_t *columns, float *values);
void csim_csr_matmul_at(int level, const int32_t *row_start, const int32_t *columns,
                        const float *values, size_t r0, size_t r1, const float *w, size_t n,
                        size_t c0, size_t c1, float *y);
void csim_csr_transpose_matmul_at(int level, const int32_t *row_start, const int32_t *columns,
                                  const float *values, size_t m, const float *dy, size_t n,
                                  int32_t j0, int32_t j1, float *g);
void csim_affine_sparse_rows_at(int level, const float *x, size_t rows, size_t k, const float *w,
                                size_t n, const float *bias, int relu, float *y,
                                int32_t *scratch_columns, float *scratch_values);
void csim_bias_activation_rows_at(int level, float *y, size_t rows, size_t n, const float *bias,
                                  int relu);
void csim_max_pool_merge_at(int level, const float *input, int32_t base, size_t c, int first,
                            float *out, int32_t *best);

#ifdef __cplusplus
}
#endif
