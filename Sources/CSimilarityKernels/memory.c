// Large buffers for the search indexes: vectors and link lists are read at random, one row per
// distance, so with 4 KiB pages nearly every row costs a TLB miss and a page walk. Buffers of
// 2 MiB and more are 2 MiB aligned and advised for transparent huge pages (Linux
// MADV_HUGEPAGE; where THP is "madvise", as on Debian, nothing else asks for them).
#include "CSimilarityKernels.h"

#include <stdlib.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#define CSIM_HUGE_PAGE ((size_t)2 << 20)

static int huge_pages_wanted = 1;

__attribute__((constructor)) static void csim_read_huge_page_setting(void) {
  const char *value = getenv("CSIM_NO_HUGE_PAGES");
  if (value && value[0] && value[0] != '0') huge_pages_wanted = 0;
}

void *csim_allocate_large(size_t bytes) {
  if (bytes < 64) bytes = 64;
  const int huge = huge_pages_wanted && bytes >= CSIM_HUGE_PAGE;
  void *p = NULL;
  if (posix_memalign(&p, huge ? CSIM_HUGE_PAGE : 64, bytes) != 0) return NULL;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (huge) madvise(p, bytes & ~(CSIM_HUGE_PAGE - 1), MADV_HUGEPAGE);
#endif
  return p;
}

void csim_free_large(void *p) { free(p); }
