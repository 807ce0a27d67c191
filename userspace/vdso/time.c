// Time functions computed in the vDSO from the TSC and the kernel-written constants; the kernel
// must read the same TSC with the same ratio so both sides agree (design.md section 7).
#include "vdso-private.h"

zx_ticks_t VDSO_zx_ticks_get(void) {
  uint32_t lo, hi;
  __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return (zx_ticks_t)(((uint64_t)hi << 32) | lo);
}
VDSO_EXPORT(zx_ticks_get)

zx_ticks_t VDSO_zx_ticks_per_second(void) { return DATA_CONSTANTS.ticks_per_second; }
VDSO_EXPORT(zx_ticks_per_second)

zx_time_t VDSO_zx_clock_get_monotonic(void) {
  const uint64_t num = DATA_CONSTANTS.ticks_to_mono_numerator;
  const uint64_t den = DATA_CONSTANTS.ticks_to_mono_denominator;
  if (den == 0) {
    VDSO_TRAP();  // constants never written
  }
  // floor(ticks * num / den) without 128-bit division: ticks = q * den + r, and r * num < 2^64.
  const uint64_t ticks = (uint64_t)VDSO_zx_ticks_get();
  const uint64_t q = ticks / den;
  const uint64_t r = ticks % den;
  return (zx_time_t)(q * num + (r * num) / den);
}
VDSO_EXPORT(zx_clock_get_monotonic)

zx_time_t VDSO_zx_deadline_after(zx_duration_t nanoseconds) {
  return zx_time_add_duration(VDSO_zx_clock_get_monotonic(), nanoseconds);  // saturating
}
VDSO_EXPORT(zx_deadline_after)
