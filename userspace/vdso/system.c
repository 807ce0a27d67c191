// System information read from the kernel-written constants block; none of these enters the kernel.
#include "vdso-private.h"

uint32_t VDSO_zx_system_get_num_cpus(void) { return DATA_CONSTANTS.max_num_cpus; }
VDSO_EXPORT(zx_system_get_num_cpus)

uint64_t VDSO_zx_system_get_physmem(void) { return DATA_CONSTANTS.physmem; }
VDSO_EXPORT(zx_system_get_physmem)

uint32_t VDSO_zx_system_get_dcache_line_size(void) { return DATA_CONSTANTS.dcache_line_size; }
VDSO_EXPORT(zx_system_get_dcache_line_size)

// Extra export (not in the mid-2020 vDSO): later guest code expects it.
uint32_t VDSO_zx_system_get_page_size(void) { return ZX_PAGE_SIZE; }
VDSO_EXPORT(zx_system_get_page_size)

static size_t version_length(void) {
  uint64_t len = DATA_CONSTANTS.version_string_len;
  // Never point past the block, whatever the kernel wrote.
  return len < sizeof(DATA_CONSTANTS.version_string) ? (size_t)len : sizeof(DATA_CONSTANTS.version_string) - 1;
}

zx_string_view_t VDSO_zx_system_get_version_string(void) {
  zx_string_view_t view = {DATA_CONSTANTS.version_string, version_length()};
  return view;
}
VDSO_EXPORT(zx_system_get_version_string)

zx_status_t VDSO_zx_system_get_version(char* version, size_t len) {
  if (len < sizeof(DATA_CONSTANTS.version_string)) {
    return ZX_ERR_BUFFER_TOO_SMALL;
  }
  const char* src = DATA_CONSTANTS.version_string;
  for (size_t i = 0; i < sizeof(DATA_CONSTANTS.version_string); i++) {
    version[i] = src[i];
  }
  return ZX_OK;
}
VDSO_EXPORT(zx_system_get_version)

zx_status_t VDSO_zx_system_get_features(uint32_t kind, uint32_t* features) {
  switch (kind) {
    case ZX_FEATURE_KIND_CPU:
      if (!(DATA_CONSTANTS.cpu_features & ZX_HAS_CPU_FEATURES)) {
        return ZX_ERR_NOT_SUPPORTED;
      }
      *features = DATA_CONSTANTS.cpu_features;
      return ZX_OK;
    case ZX_FEATURE_KIND_HW_BREAKPOINT_COUNT:
      *features = DATA_CONSTANTS.hw_breakpoint_count;
      return ZX_OK;
    case ZX_FEATURE_KIND_HW_WATCHPOINT_COUNT:
      *features = DATA_CONSTANTS.hw_watchpoint_count;
      return ZX_OK;
    default:
      return ZX_ERR_NOT_SUPPORTED;
  }
}
VDSO_EXPORT(zx_system_get_features)
