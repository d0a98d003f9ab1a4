// Internal to winograd.c, included once per instruction set: the Winograd transforms written
// over a vector type. The includer defines VEC (the vector type), VLEN (its floats), VLOAD,
// VSTORE, VADD, VSUB, VMUL, VMAX, VSET1, VZERO, WINOGRAD_TARGET (the target attribute) and
// WNAME(name) (the variant's function name). Channel counts are multiples of 16, so of VLEN.

// u = G g Gᵀ over VLEN output channels at a time: each (filter position, input channel) row
// of the HWIO filter is k contiguous floats.
WINOGRAD_TARGET static void WNAME(filter_transform)(const float *filter, size_t c, size_t k, float *u) {
  const VEC half = VSET1(0.5f);
  for (size_t ci = 0; ci < c; ci++) {
    for (size_t ko = 0; ko < k; ko += VLEN) {
      VEC h[4][3];
      for (int b = 0; b < 3; b++) {
        const VEC g0 = VLOAD(filter + ((size_t)b * c + ci) * k + ko),
                     g1 = VLOAD(filter + ((size_t)(3 + b) * c + ci) * k + ko),
                     g2 = VLOAD(filter + ((size_t)(6 + b) * c + ci) * k + ko);
        const VEC outer = VADD(g0, g2);
        h[0][b] = g0;
        h[1][b] = VMUL(half, VADD(outer, g1));
        h[2][b] = VMUL(half, VSUB(outer, g1));
        h[3][b] = g2;
      }
      for (int r = 0; r < 4; r++) {
        const VEC outer = VADD(h[r][0], h[r][2]);
        const VEC t[4] = {h[r][0], VMUL(half, VADD(outer, h[r][1])),
                             VMUL(half, VSUB(outer, h[r][1])), h[r][2]};
        for (int v = 0; v < 4; v++) {
          VSTORE(u + ((size_t)(4 * r + v) * c + ci) * k + ko, t[v]);
        }
      }
    }
  }
}

// e[u] = (Bᵀ d)[u] for the 4 × VLEN channels of patch column `column` starting at input row `row`.
WINOGRAD_TARGET static inline __attribute__((always_inline)) void WNAME(row_transform)(
    const float *x, size_t w, size_t c, size_t row, size_t column, size_t c0, VEC e[4]) {
  const float *p = x + (row * w + column) * c + c0;
  const size_t line = w * c;
  const VEC d0 = VLOAD(p), d1 = VLOAD(p + line),
               d2 = VLOAD(p + 2 * line), d3 = VLOAD(p + 3 * line);
  e[0] = VSUB(d0, d2);
  e[1] = VADD(d1, d2);
  e[2] = VSUB(d2, d1);
  e[3] = VSUB(d1, d3);
}

// v[ξ·plane + t·c + ci] = (Bᵀ d B)[ξ] for the tiles t < tiles of the tile row whose patches
// start at input row `row`. Neighbouring tiles share two patch columns, so each column's row
// transform (Bᵀ d) is computed once and slides along.
WINOGRAD_TARGET static void WNAME(input_transform)(const float *x, size_t w, size_t c, size_t row,
                                        size_t tiles, float *v, size_t plane) {
  for (size_t c0 = 0; c0 < c; c0 += VLEN) {
    VEC e[4][4];  // e[column of the patch][transform row]
    WNAME(row_transform)(x, w, c, row, 0, c0, e[0]);
    WNAME(row_transform)(x, w, c, row, 1, c0, e[1]);
    for (size_t t = 0; t < tiles; t++) {
      WNAME(row_transform)(x, w, c, row, 2 * t + 2, c0, e[2]);
      WNAME(row_transform)(x, w, c, row, 2 * t + 3, c0, e[3]);
      for (int r = 0; r < 4; r++) {  // (Bᵀ d) B: over patch columns
        float *out = v + (size_t)(4 * r) * plane + t * c + c0;
        VSTORE(out, VSUB(e[0][r], e[2][r]));
        VSTORE(out + plane, VADD(e[1][r], e[2][r]));
        VSTORE(out + 2 * plane, VSUB(e[2][r], e[1][r]));
        VSTORE(out + 3 * plane, VSUB(e[1][r], e[3][r]));
      }
      for (int r = 0; r < 4; r++) {
        e[0][r] = e[2][r];
        e[1][r] = e[3][r];
      }
    }
  }
}

// y rows `row`, `row + 1` = act(Aᵀ m A + bias) for the tiles of one tile row.
WINOGRAD_TARGET static void WNAME(output_transform)(const float *m, size_t tiles, size_t ow, size_t k,
                                         size_t row, const float *bias, int relu, float *y) {
  const size_t plane = tiles * k;
  const VEC zero = VZERO();
  for (size_t t = 0; t < tiles; t++) {
    for (size_t k0 = 0; k0 < k; k0 += VLEN) {
      VEC r0[4], r1[4];
      for (int v = 0; v < 4; v++) {  // Aᵀ m: over transform rows
        const float *p = m + (size_t)v * plane + t * k + k0;
        const VEC m0 = VLOAD(p), m1 = VLOAD(p + 4 * plane),
                     m2 = VLOAD(p + 8 * plane), m3 = VLOAD(p + 12 * plane);
        r0[v] = VADD(VADD(m0, m1), m2);
        r1[v] = VSUB(VSUB(m1, m2), m3);
      }
      VEC out[2][2] = {  // (Aᵀ m) A: over transform columns
          {VADD(VADD(r0[0], r0[1]), r0[2]),
           VSUB(VSUB(r0[1], r0[2]), r0[3])},
          {VADD(VADD(r1[0], r1[1]), r1[2]),
           VSUB(VSUB(r1[1], r1[2]), r1[3])}};
      const VEC b = bias ? VLOAD(bias + k0) : zero;
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 2; j++) {
          VEC value = VADD(out[i][j], b);
          if (relu) value = VMAX(value, zero);
          VSTORE(y + ((row + (size_t)i) * ow + 2 * t + (size_t)j) * k + k0, value);
        }
      }
    }
  }
}

// e[ξ·plane + t·k + k] = (A e Aᵀ)[ξ] for the 2 × 2 gradient blocks t < tiles of gradient rows
// 2·row and 2·row + 1.
WINOGRAD_TARGET static void WNAME(gradient_transform)(const float *g, size_t ldg, size_t k, size_t tiles,
                                           size_t row, float *e, size_t plane) {
  const VEC zero = VZERO();
  for (size_t t = 0; t < tiles; t++) {
    const float *p = g + 2 * row * ldg + 2 * t * k;
    for (size_t k0 = 0; k0 < k; k0 += VLEN) {
      const VEC e00 = VLOAD(p + k0), e01 = VLOAD(p + k + k0),
                   e10 = VLOAD(p + ldg + k0), e11 = VLOAD(p + ldg + k + k0);
      // A e: over block rows (A = [1 0; 1 1; 1 −1; 0 −1]), then the same over columns.
      const VEC f[4][2] = {{e00, e01},
                              {VADD(e00, e10), VADD(e01, e11)},
                              {VSUB(e00, e10), VSUB(e01, e11)},
                              {VSUB(zero, e10), VSUB(zero, e11)}};
      for (int u = 0; u < 4; u++) {
        float *o = e + (size_t)(4 * u) * plane + t * k + k0;
        VSTORE(o, f[u][0]);
        VSTORE(o + plane, VADD(f[u][0], f[u][1]));
        VSTORE(o + 2 * plane, VSUB(f[u][0], f[u][1]));
        VSTORE(o + 3 * plane, VSUB(zero, f[u][1]));
      }
    }
  }
}

// dw += Gᵀ m G, VLEN lanes of the c·k plane at a time: t = Gᵀ m over the transform rows, then
// t G over the columns.
WINOGRAD_TARGET static void WNAME(gradient_finish)(const float *m, size_t plane, float *dw) {
  const VEC half = VSET1(0.5f);
  for (size_t i = 0; i < plane; i += VLEN) {
    VEC t[3][4];
    for (int v = 0; v < 4; v++) {
      const VEC m0 = VLOAD(m + (size_t)v * plane + i),
                   m1 = VLOAD(m + (size_t)(4 + v) * plane + i),
                   m2 = VLOAD(m + (size_t)(8 + v) * plane + i),
                   m3 = VLOAD(m + (size_t)(12 + v) * plane + i);
      const VEC inner = VMUL(half, VADD(m1, m2));
      t[0][v] = VADD(m0, inner);
      t[1][v] = VMUL(half, VSUB(m1, m2));
      t[2][v] = VADD(inner, m3);
    }
    for (int a = 0; a < 3; a++) {
      const VEC inner = VMUL(half, VADD(t[a][1], t[a][2]));
      const VEC out[3] = {VADD(t[a][0], inner),
                             VMUL(half, VSUB(t[a][1], t[a][2])),
                             VADD(inner, t[a][3])};
      for (int b = 0; b < 3; b++) {
        float *p = dw + (size_t)(3 * a + b) * plane + i;
        VSTORE(p, VADD(VLOAD(p), out[b]));
      }
    }
  }
}
