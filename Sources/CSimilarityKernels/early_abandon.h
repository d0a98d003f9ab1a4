// Internal: where the early-abandoning distance kernels compare their partial sum with the
// bound. After 32, 64 and 96 components, then every 128: a row stored in an order that
// front-loads its variance (a principal-component basis) can stop after a cache line or two,
// and the extra early comparisons cost little when it cannot.
#pragma once
#include <stddef.h>

/// The end of the block that starts at component `start`, clipped to `n`.
static inline size_t csim_abandon_block_end(size_t start, size_t n) {
  size_t end = start < 128 ? start + 32 : start + 128;
  return end < n ? end : n;
}
