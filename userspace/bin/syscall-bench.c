// bin/syscall-bench: the null syscall round trip measured from inside a guest (a benchmark,
// not a test: scripts/bench-boot.sh boots it and collects its lines).
//
// Per repetition it times N calls of zx_handle_close(ZX_HANDLE_INVALID) - a real kernel entry
// the kernel answers at once (ZX_OK, no side effect) - and, as the in-guest baseline, N calls
// of zx_ticks_get(), which the vDSO answers without entering the kernel (same stub and vDSO
// call path, no syscall). Time comes from zx_ticks_get()/zx_ticks_per_second() (the TSC).
// Prints one line per repetition:
//   [bench] rep=<i> null_syscall_ns=<x.y> vdso_call_ns=<x.y> n=<N> reps=<R>
// then exits 0 (1 if a call failed). Options on the kernel command line: bench.n=<calls>,
// bench.reps=<repetitions>.
#include <stdio.h>
#include <stdlib.h>
#include <zircon/syscalls.h>
#include <zjvm/runtime.h>

#define DEFAULT_N 20000u
#define DEFAULT_REPS 7u
#define MAX_N 10000000u
#define MAX_REPS 1000u

static uint64_t option(const char* key, uint64_t fallback, uint64_t max) {
  const char* v = zjvm_getenv(key);
  if (v == NULL || *v == '\0') return fallback;
  uint64_t n = 0;
  for (; *v; v++) {
    if (*v < '0' || *v > '9' || n > max) return fallback;
    n = n * 10 + (uint64_t)(*v - '0');
  }
  return n == 0 || n > max ? fallback : n;
}

// Tenths of a nanosecond per call, without floating point (the runtime's printf has none).
static uint64_t tenth_ns_per_call(zx_ticks_t ticks, uint64_t calls, zx_ticks_t per_second) {
  if (ticks < 0) ticks = 0;
  // ticks * 1e10 overflows 64 bits past ~1.8e9 ticks (0.6 s of a 3 GHz TSC): longer runs
  // divide first.
  const uint64_t t = (uint64_t)ticks;
  if (t < UINT64_MAX / 10000000000ull) return t * 10000000000ull / (uint64_t)per_second / calls;
  return t / calls * 10000000000ull / (uint64_t)per_second;
}

int main(int argc, char** argv, char** envp) {
  const uint64_t n = option("bench.n", DEFAULT_N, MAX_N);
  const uint64_t reps = option("bench.reps", DEFAULT_REPS, MAX_REPS);
  const zx_ticks_t per_second = zx_ticks_per_second();
  if (per_second <= 0) {
    printf("[bench] error: zx_ticks_per_second() = %ld\n", (long)per_second);
    return 1;
  }
  // Warm-up: first-touch costs (stub pages, kernel dispatch paths, JIT) stay out of rep 0.
  for (uint64_t i = 0; i < n; i++) {
    if (zx_handle_close(ZX_HANDLE_INVALID) != ZX_OK) {
      printf("[bench] error: zx_handle_close(ZX_HANDLE_INVALID) did not return ZX_OK\n");
      return 1;
    }
  }
  for (uint64_t rep = 0; rep < reps; rep++) {
    zx_status_t bad = ZX_OK;
    zx_ticks_t t0 = zx_ticks_get();
    for (uint64_t i = 0; i < n; i++) bad |= zx_handle_close(ZX_HANDLE_INVALID);
    zx_ticks_t t1 = zx_ticks_get();
    // The baseline loop keeps every result live (summed) so the calls cannot be dropped.
    volatile zx_ticks_t sink = 0;
    zx_ticks_t acc = 0;
    zx_ticks_t t2 = zx_ticks_get();
    for (uint64_t i = 0; i < n; i++) acc += zx_ticks_get();
    zx_ticks_t t3 = zx_ticks_get();
    sink = acc;
    (void)sink;
    if (bad != ZX_OK) {
      printf("[bench] error: zx_handle_close(ZX_HANDLE_INVALID) failed during rep %lu\n",
             (unsigned long)rep);
      return 1;
    }
    const uint64_t sys = tenth_ns_per_call(t1 - t0, n, per_second);
    const uint64_t vdso = tenth_ns_per_call(t3 - t2, n, per_second);
    printf("[bench] rep=%lu null_syscall_ns=%lu.%lu vdso_call_ns=%lu.%lu n=%lu reps=%lu\n",
           (unsigned long)rep, (unsigned long)(sys / 10), (unsigned long)(sys % 10),
           (unsigned long)(vdso / 10), (unsigned long)(vdso % 10), (unsigned long)n,
           (unsigned long)reps);
  }
  (void)argc;
  (void)argv;
  (void)envp;
  return 0;
}
