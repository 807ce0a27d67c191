#include "vdso-private.h"

// x86-64: instruction caches are coherent, so only DATA needs work (clflush writes back and
// invalidates). Accepted option sets match the 2020 vDSO: INSN, DATA, INSN|DATA, and DATA with
// INVALIDATE (with or without INSN).
zx_status_t VDSO_zx_cache_flush(const void* addr, size_t size, uint32_t options) {
  switch (options) {
    case ZX_CACHE_FLUSH_INSN:
    case ZX_CACHE_FLUSH_DATA:
    case ZX_CACHE_FLUSH_INSN | ZX_CACHE_FLUSH_DATA:
    case ZX_CACHE_FLUSH_DATA | ZX_CACHE_FLUSH_INVALIDATE:
    case ZX_CACHE_FLUSH_INSN | ZX_CACHE_FLUSH_DATA | ZX_CACHE_FLUSH_INVALIDATE:
      break;
    default:
      return ZX_ERR_INVALID_ARGS;
  }
  const uintptr_t line = DATA_CONSTANTS.dcache_line_size;
  if (line == 0 || (line & (line - 1)) != 0) {
    return ZX_ERR_NOT_SUPPORTED;
  }
  if (options & ZX_CACHE_FLUSH_DATA) {
    const uintptr_t end = (uintptr_t)addr + size;
    for (uintptr_t p = (uintptr_t)addr & ~(line - 1); p < end; p += line) {
      __asm__ volatile("clflush (%0)" : : "r"(p) : "memory");
    }
  }
  __asm__ volatile("mfence" : : : "memory");
  return ZX_OK;
}
VDSO_EXPORT(zx_cache_flush)
