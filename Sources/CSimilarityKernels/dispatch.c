// The instruction-set level every kernel family dispatches on: the best the CPU runs, or the
// level SIMILARITY_ISA asks for (read once; a value the CPU cannot run, or an unknown name,
// leaves the best level in force and is reported by csim_isa_request_status for the caller to
// turn into an error), and the one dispatch table (kernel_table.h): a table per level the CPU
// runs, filled once at load by each family's csim_fill_*; the dispatched entry points call
// through `csim_active`, the csim_*_at entry points through `csim_table(level)`.
#include "CSimilarityKernels.h"
#include "kernel_table.h"

#include <stdlib.h>
#include <string.h>

static const char *const isa_names[3] = {"portable", "avx2", "avx512"};

const char *csim_isa_name(int level) {
  return level >= 0 && level <= CSIM_ISA_AVX512 ? isa_names[level] : "unknown";
}

int csim_isa_parse(const char *name) {
  if (name == NULL) return -1;
  for (int level = 0; level <= CSIM_ISA_AVX512; level++) {
    if (strcmp(name, isa_names[level]) == 0) return level;
  }
  return -1;
}

static int probe_supported(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return CSIM_ISA_AVX512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
      __builtin_cpu_supports("f16c"))
    return CSIM_ISA_AVX2;
#endif
  return CSIM_ISA_PORTABLE;
}

int csim_cpu_has_avx512_bf16(void) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  return csim_isa_supported() == CSIM_ISA_AVX512 && __builtin_cpu_supports("avx512bf16");
#else
  return 0;
#endif
}

// The supported level, the level in force and the request's status, computed on first use.
// Every computation gives the same answer (the environment and the CPU do not change), so a
// race only repeats work; the first use is in the load-time constructor anyway, before any
// thread exists.
static int supported_level = -1;
static int active_level = -1;
static int request_status = CSIM_ISA_REQUEST_NONE;

static void resolve(void) {
  if (__atomic_load_n(&active_level, __ATOMIC_ACQUIRE) >= 0) return;
  const int supported = probe_supported();
  int level = supported, status = CSIM_ISA_REQUEST_NONE;
  const char *requested = getenv("SIMILARITY_ISA");
  if (requested != NULL && requested[0] != '\0') {
    const int parsed = csim_isa_parse(requested);
    if (parsed < 0) status = CSIM_ISA_REQUEST_UNKNOWN;
    else if (parsed > supported) status = CSIM_ISA_REQUEST_UNSUPPORTED;
    else { level = parsed; status = CSIM_ISA_REQUEST_APPLIED; }
  }
  __atomic_store_n(&supported_level, supported, __ATOMIC_RELAXED);
  __atomic_store_n(&request_status, status, __ATOMIC_RELAXED);
  __atomic_store_n(&active_level, level, __ATOMIC_RELEASE);
}

int csim_isa_supported(void) {
  resolve();
  return supported_level;
}

int csim_isa_active(void) {
  resolve();
  return active_level;
}

int csim_isa_request_status(void) {
  resolve();
  return request_status;
}

int csim_isa_clamp(int level) {
  const int supported = csim_isa_supported();
  if (level < CSIM_ISA_PORTABLE) return CSIM_ISA_PORTABLE;
  return level > supported ? supported : level;
}

static const char *const family_names[CSIM_FAMILY_COUNT] = {
    "distance", "half",      "scan",      "bfloat16",    "sparse",
    "affine",   "pooling",   "optimizer", "convolution", "winograd",
    "depthwise"};

const char *csim_kernel_family_name(int family) {
  return family >= 0 && family < CSIM_FAMILY_COUNT ? family_names[family] : NULL;
}

// ---- the dispatch table ----
// One table per level the CPU runs, filled once at load; `csim_active` is the active level's.
static struct csim_kernel_table tables[CSIM_ISA_AVX512 + 1];
struct csim_kernel_table csim_active;

static void fill(struct csim_kernel_table *t, int level) {
  t->level = level;
  csim_fill_distance(t, level);
  csim_fill_half(t, level);
  csim_fill_scan(t, level);
  csim_fill_bfloat16(t, level);
  csim_fill_sparse(t, level);
  csim_fill_affine(t, level);
  csim_fill_pooling(t, level);
  csim_fill_optimizer(t, level);
  csim_fill_convolution(t, level);
  csim_fill_winograd(t, level);
  csim_fill_depthwise(t, level);
}

__attribute__((constructor)) static void csim_fill_kernel_tables(void) {
  const int supported = csim_isa_supported();
  for (int level = CSIM_ISA_PORTABLE; level <= supported; level++) fill(&tables[level], level);
  csim_active = tables[csim_isa_active()];
}

const struct csim_kernel_table *csim_table(int level) { return &tables[csim_isa_clamp(level)]; }

const char *csim_kernel_variant(int family, int level) {
  if (family < 0 || family >= CSIM_FAMILY_COUNT) return "none";
  return csim_table(level)->variant[family];
}
