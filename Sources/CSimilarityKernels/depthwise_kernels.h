// Internal to depthwise.c, included once per instruction set: the depthwise kernels written over
// a vector type. The includer defines VEC, VLEN, VLOAD, VSTORE, VFMA(a, b, acc) = a·b + acc,
// VADD, VZERO, DW_TARGET (the target attribute) and DNAME(name) (the variant's function name).
// Whole vectors of channels run in vector registers; the last c mod VLEN channels in scalar
// loops beside them (or the portable range loops of depthwise.c), as do kernels with more than
// MAX_TAPS taps along an axis.

// Forward: blocks of 8 output columns × one vector of channels in 8 accumulators, summed over
// the taps inside the image (one filter vector load per tap, shared by the 8 columns); columns
// whose windows cross the image's left or right edge one at a time with their own taps.
DW_TARGET static void DNAME(forward)(const csim_depthwise_geometry *g, const float *x,
                                     const float *f, const float *bias, float *y) {
  const size_t c = g->channels, IW = g->image_width, OW = g->output_width, OH = g->output_height;
  const size_t kh = g->kernel_height, kw = g->kernel_width;
  const size_t sx = g->stride_width * c, dx = g->dilation_width * c;
  const size_t span = (kw - 1) * g->dilation_width, left = g->image_left;
  const size_t cv = c - c % VLEN;
  size_t ti[MAX_TAPS], ri[MAX_TAPS], tj[MAX_TAPS];
  if (kh > MAX_TAPS || kw > MAX_TAPS) {
    forward_range(g, x, f, bias, y, 0, OH, 0, c);
    return;
  }
  for (size_t oh = 0; oh < OH; oh++) {
    size_t ni = 0;  // the filter rows that meet image rows, and those rows
    for (size_t i = 0; i < kh; i++) {
      const size_t R = oh * g->stride_height + i * g->dilation_height;
      if (R < g->image_top || R - g->image_top >= g->image_height) continue;
      ti[ni] = i;
      ri[ni++] = R - g->image_top;
    }
    float *yrow = y + oh * OW * c;
    for (size_t ow = 0; ow < OW; ow++) {
      const size_t Q = ow * g->stride_width;
      if (Q >= left && ow + 8 <= OW && Q + 7 * g->stride_width + span - left < IW) {
        for (size_t c0 = 0; c0 < cv; c0 += VLEN) {
          const VEC b = bias ? VLOAD(bias + c0) : VZERO();
          VEC a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b;
          for (size_t a = 0; a < ni; a++) {
            const float *xr = x + (ri[a] * IW + Q - left) * c + c0;
            const float *fr = f + ti[a] * kw * c + c0;
            for (size_t j = 0; j < kw; j++) {
              const VEC w = VLOAD(fr + j * c);
              const float *p = xr + j * dx;
              a0 = VFMA(VLOAD(p), w, a0);
              a1 = VFMA(VLOAD(p + sx), w, a1);
              a2 = VFMA(VLOAD(p + 2 * sx), w, a2);
              a3 = VFMA(VLOAD(p + 3 * sx), w, a3);
              a4 = VFMA(VLOAD(p + 4 * sx), w, a4);
              a5 = VFMA(VLOAD(p + 5 * sx), w, a5);
              a6 = VFMA(VLOAD(p + 6 * sx), w, a6);
              a7 = VFMA(VLOAD(p + 7 * sx), w, a7);
            }
          }
          float *out = yrow + ow * c + c0;
          VSTORE(out, a0);
          VSTORE(out + c, a1);
          VSTORE(out + 2 * c, a2);
          VSTORE(out + 3 * c, a3);
          VSTORE(out + 4 * c, a4);
          VSTORE(out + 5 * c, a5);
          VSTORE(out + 6 * c, a6);
          VSTORE(out + 7 * c, a7);
        }
        if (cv < c) {
          for (size_t k = 0; k < 8; k++) {
            float *o = yrow + (ow + k) * c;
            for (size_t ch = cv; ch < c; ch++) o[ch] = bias ? bias[ch] : 0.0f;
            for (size_t a = 0; a < ni; a++) {
              for (size_t j = 0; j < kw; j++) {
                const float *p = x + (ri[a] * IW + Q + k * g->stride_width + j * g->dilation_width - left) * c;
                const float *w = f + (ti[a] * kw + j) * c;
                for (size_t ch = cv; ch < c; ch++) o[ch] += p[ch] * w[ch];
              }
            }
          }
        }
        ow += 7;
        continue;
      }
      size_t nj = 0;  // the filter columns that meet image columns
      for (size_t j = 0; j < kw; j++) {
        const size_t column = Q + j * g->dilation_width;
        if (column >= left && column - left < IW) tj[nj++] = j;
      }
      float *out = yrow + ow * c;
      size_t c0 = 0;
      // Four channel vectors at a time: four independent chains of multiply-adds rather than
      // one (each output still adds its taps in the same order).
      for (; c0 + 4 * VLEN <= cv; c0 += 4 * VLEN) {
        VEC acc0 = bias ? VLOAD(bias + c0) : VZERO();
        VEC acc1 = bias ? VLOAD(bias + c0 + VLEN) : VZERO();
        VEC acc2 = bias ? VLOAD(bias + c0 + 2 * VLEN) : VZERO();
        VEC acc3 = bias ? VLOAD(bias + c0 + 3 * VLEN) : VZERO();
        for (size_t a = 0; a < ni; a++) {
          const float *xr = x + ri[a] * IW * c + c0;
          const float *fr = f + ti[a] * kw * c + c0;
          for (size_t b = 0; b < nj; b++) {
            const size_t j = tj[b];
            const float *p = xr + (Q + j * g->dilation_width - left) * c;
            const float *w = fr + j * c;
            acc0 = VFMA(VLOAD(p), VLOAD(w), acc0);
            acc1 = VFMA(VLOAD(p + VLEN), VLOAD(w + VLEN), acc1);
            acc2 = VFMA(VLOAD(p + 2 * VLEN), VLOAD(w + 2 * VLEN), acc2);
            acc3 = VFMA(VLOAD(p + 3 * VLEN), VLOAD(w + 3 * VLEN), acc3);
          }
        }
        VSTORE(out + c0, acc0);
        VSTORE(out + c0 + VLEN, acc1);
        VSTORE(out + c0 + 2 * VLEN, acc2);
        VSTORE(out + c0 + 3 * VLEN, acc3);
      }
      for (; c0 < cv; c0 += VLEN) {
        VEC acc = bias ? VLOAD(bias + c0) : VZERO();
        for (size_t a = 0; a < ni; a++) {
          const float *xr = x + ri[a] * IW * c + c0;
          const float *fr = f + ti[a] * kw * c + c0;
          for (size_t b = 0; b < nj; b++) {
            const size_t j = tj[b];
            acc = VFMA(VLOAD(xr + (Q + j * g->dilation_width - left) * c), VLOAD(fr + j * c), acc);
          }
        }
        VSTORE(out + c0, acc);
      }
      for (size_t ch = cv; ch < c; ch++) {
        float sum = bias ? bias[ch] : 0.0f;
        for (size_t a = 0; a < ni; a++) {
          for (size_t b = 0; b < nj; b++) {
            const size_t j = tj[b];
            sum += x[(ri[a] * IW + Q + j * g->dilation_width - left) * c + ch] * f[(ti[a] * kw + j) * c + ch];
          }
        }
        out[ch] = sum;
      }
    }
  }
}

// Input gradient (gather): per element of the gradient region, the taps that read it are
// listed once (backward_input_range's rule), then summed a vector of channels at a time: two
// loads per multiply-add and one store per element, no scatter.
DW_TARGET static void DNAME(backward_input)(const csim_depthwise_geometry *g, const float *dy,
                                            const float *f, float *dx) {
  const size_t c = g->channels, OW = g->output_width, kw = g->kernel_width;
  const size_t cv = c - c % VLEN;
  if (g->kernel_height > MAX_TAPS || kw > MAX_TAPS) {  // beyond the tap lists: portable passes
    backward_input_range(g, dy, f, dx, 0, g->image_height, 0, c);
    return;
  }
  size_t ti[MAX_TAPS], oi[MAX_TAPS], tj[MAX_TAPS], oj[MAX_TAPS];
  const float *gp[MAX_TAPS * MAX_TAPS > 256 ? 256 : MAX_TAPS * MAX_TAPS];
  const float *wp[MAX_TAPS * MAX_TAPS > 256 ? 256 : MAX_TAPS * MAX_TAPS];
  const size_t capacity = sizeof(gp) / sizeof(gp[0]);
  for (size_t r = 0; r < g->image_height; r++) {
    const size_t R = r + g->image_top;
    const size_t ni = R < g->height ? taps_reading(R, g->kernel_height, g->stride_height,
                                                   g->dilation_height, g->output_height, ti, oi) : 0;
    const int unit = g->stride_height == 1 && g->stride_width == 1;
    const size_t span = (kw - 1) * g->dilation_width, dxs = g->dilation_width * c;
    for (size_t q = 0; q < g->image_width; q++) {
      const size_t Q = q + g->image_left;
      if (unit && Q >= span && Q + 8 <= OW && q + 8 <= g->image_width && Q + 8 <= g->width) {
        // Stride 1, 8 columns whose every tap reads inside dy: the forward kernel's register
        // block over the flipped filter (one filter load per tap for the 8 columns).
        float *out = dx + (r * g->image_width + q) * c;
        for (size_t c0 = 0; c0 < cv; c0 += VLEN) {
          VEC a0 = VZERO(), a1 = VZERO(), a2 = VZERO(), a3 = VZERO();
          VEC a4 = VZERO(), a5 = VZERO(), a6 = VZERO(), a7 = VZERO();
          for (size_t a = 0; a < ni; a++) {
            const float *row = dy + (oi[a] * OW + Q) * c + c0;
            const float *fr = f + ti[a] * kw * c + c0;
            for (size_t j = 0; j < kw; j++) {
              const VEC w = VLOAD(fr + j * c);
              const float *p = row - j * dxs;
              a0 = VFMA(VLOAD(p), w, a0);
              a1 = VFMA(VLOAD(p + c), w, a1);
              a2 = VFMA(VLOAD(p + 2 * c), w, a2);
              a3 = VFMA(VLOAD(p + 3 * c), w, a3);
              a4 = VFMA(VLOAD(p + 4 * c), w, a4);
              a5 = VFMA(VLOAD(p + 5 * c), w, a5);
              a6 = VFMA(VLOAD(p + 6 * c), w, a6);
              a7 = VFMA(VLOAD(p + 7 * c), w, a7);
            }
          }
          VSTORE(out + c0, a0);
          VSTORE(out + c + c0, a1);
          VSTORE(out + 2 * c + c0, a2);
          VSTORE(out + 3 * c + c0, a3);
          VSTORE(out + 4 * c + c0, a4);
          VSTORE(out + 5 * c + c0, a5);
          VSTORE(out + 6 * c + c0, a6);
          VSTORE(out + 7 * c + c0, a7);
        }
        if (cv < c) {
          for (size_t k = 0; k < 8; k++) {
            float *o = out + k * c;
            for (size_t ch = cv; ch < c; ch++) o[ch] = 0.0f;
            for (size_t a = 0; a < ni; a++) {
              for (size_t j = 0; j < kw; j++) {
                const float *gpk = dy + (oi[a] * OW + Q + k - j * g->dilation_width) * c;
                const float *w = f + (ti[a] * kw + j) * c;
                for (size_t ch = cv; ch < c; ch++) o[ch] += gpk[ch] * w[ch];
              }
            }
          }
        }
        q += 7;
        continue;
      }
      const size_t nj = Q < g->width ? taps_reading(Q, kw, g->stride_width, g->dilation_width, OW, tj, oj) : 0;
      float *out = dx + (r * g->image_width + q) * c;
      if (ni * nj > capacity) {
        backward_input_range(g, dy, f, dx, r, r + 1, 0, c);  // recomputes the whole row
        break;
      }
      size_t n = 0;
      for (size_t a = 0; a < ni; a++) {
        for (size_t b = 0; b < nj; b++, n++) {
          gp[n] = dy + (oi[a] * OW + oj[b]) * c;
          wp[n] = f + (ti[a] * kw + tj[b]) * c;
        }
      }
      size_t c0 = 0;
      // Two channel vectors at a time (four chains of multiply-adds; the same order of sums
      // per output as one vector at a time).
      for (; c0 + 2 * VLEN <= cv; c0 += 2 * VLEN) {
        VEC a0 = VZERO(), a1 = VZERO(), b0 = VZERO(), b1 = VZERO();
        size_t t = 0;
        for (; t + 2 <= n; t += 2) {
          a0 = VFMA(VLOAD(gp[t] + c0), VLOAD(wp[t] + c0), a0);
          a1 = VFMA(VLOAD(gp[t + 1] + c0), VLOAD(wp[t + 1] + c0), a1);
          b0 = VFMA(VLOAD(gp[t] + c0 + VLEN), VLOAD(wp[t] + c0 + VLEN), b0);
          b1 = VFMA(VLOAD(gp[t + 1] + c0 + VLEN), VLOAD(wp[t + 1] + c0 + VLEN), b1);
        }
        if (t < n) {
          a0 = VFMA(VLOAD(gp[t] + c0), VLOAD(wp[t] + c0), a0);
          b0 = VFMA(VLOAD(gp[t] + c0 + VLEN), VLOAD(wp[t] + c0 + VLEN), b0);
        }
        VSTORE(out + c0, VADD(a0, a1));
        VSTORE(out + c0 + VLEN, VADD(b0, b1));
      }
      for (; c0 < cv; c0 += VLEN) {
        VEC a0 = VZERO(), a1 = VZERO();
        size_t t = 0;
        for (; t + 2 <= n; t += 2) {
          a0 = VFMA(VLOAD(gp[t] + c0), VLOAD(wp[t] + c0), a0);
          a1 = VFMA(VLOAD(gp[t + 1] + c0), VLOAD(wp[t + 1] + c0), a1);
        }
        if (t < n) a0 = VFMA(VLOAD(gp[t] + c0), VLOAD(wp[t] + c0), a0);
        VSTORE(out + c0, VADD(a0, a1));
      }
      for (size_t ch = cv; ch < c; ch++) {
        float sum = 0.0f;
        for (size_t t = 0; t < n; t++) sum += gp[t][ch] * wp[t][ch];
        out[ch] = sum;
      }
    }
  }
}

// The filter gradient of filter row i, taps j0 ..< j0 + NJ, channels c0 ..< c0 + VLEN, over
// output rows oh0 ..< oh1: 2·NJ accumulators (even and odd output columns).
DW_TARGET static inline __attribute__((always_inline)) void DNAME(filter_taps)(
    const int NJ, const csim_depthwise_geometry *g, const float *x, const float *dy, float *df,
    size_t oh0, size_t oh1, size_t i, size_t j0, size_t c0) {
  const size_t c = g->channels, W = g->width, OW = g->output_width, kw = g->kernel_width;
  const size_t sx = g->stride_width * c, dx = g->dilation_width * c;
  VEC even[4], odd[4];
#pragma clang loop unroll(full)
  for (int t = 0; t < NJ; t++) {
    even[t] = VLOAD(df + (i * kw + j0 + t) * c + c0);
    odd[t] = VZERO();
  }
  for (size_t oh = oh0; oh < oh1; oh++) {
    const float *xr = x + (oh * g->stride_height + i * g->dilation_height) * W * c + j0 * dx + c0;
    const float *gp = dy + oh * OW * c + c0;
    size_t ow = 0;
    for (; ow + 2 <= OW; ow += 2) {
      const VEC g0 = VLOAD(gp + ow * c), g1 = VLOAD(gp + (ow + 1) * c);
      const float *p = xr + ow * sx;
#pragma clang loop unroll(full)
      for (int t = 0; t < NJ; t++) {
        even[t] = VFMA(VLOAD(p + t * dx), g0, even[t]);
        odd[t] = VFMA(VLOAD(p + sx + t * dx), g1, odd[t]);
      }
    }
    if (ow < OW) {
      const VEC g0 = VLOAD(gp + ow * c);
      const float *p = xr + ow * sx;
#pragma clang loop unroll(full)
      for (int t = 0; t < NJ; t++) even[t] = VFMA(VLOAD(p + t * dx), g0, even[t]);
    }
  }
#pragma clang loop unroll(full)
  for (int t = 0; t < NJ; t++) VSTORE(df + (i * kw + j0 + t) * c + c0, VADD(even[t], odd[t]));
}

// Filter gradient: bands of output rows (whose input rows stay in cache) × channel vectors ×
// filter rows × groups of up to 4 taps, each group's sums held in registers over the band.
DW_TARGET static void DNAME(backward_filter)(const csim_depthwise_geometry *g, const float *x,
                                             const float *dy, float *df) {
  const size_t c = g->channels, OH = g->output_height;
  const size_t kh = g->kernel_height, kw = g->kernel_width;
  const size_t cv = c - c % VLEN;
  enum { BAND = 8 };
  for (size_t oh0 = 0; oh0 < OH; oh0 += BAND) {
    const size_t oh1 = oh0 + BAND < OH ? oh0 + BAND : OH;
    for (size_t c0 = 0; c0 < cv; c0 += VLEN) {
      for (size_t i = 0; i < kh; i++) {
        for (size_t j0 = 0; j0 < kw; j0 += 4) {
          switch (kw - j0 >= 4 ? 4 : kw - j0) {
          case 4: DNAME(filter_taps)(4, g, x, dy, df, oh0, oh1, i, j0, c0); break;
          case 3: DNAME(filter_taps)(3, g, x, dy, df, oh0, oh1, i, j0, c0); break;
          case 2: DNAME(filter_taps)(2, g, x, dy, df, oh0, oh1, i, j0, c0); break;
          default: DNAME(filter_taps)(1, g, x, dy, df, oh0, oh1, i, j0, c0); break;
          }
        }
      }
    }
    if (cv < c) backward_filter_range(g, x, dy, df, oh0, oh1, cv, c);
  }
}
