#!/usr/bin/env python3
"""Boot benchmark harness (not a test); run it through scripts/bench-boot.sh.

Interleaved, every repetition runs each row once:
  jvm -version        JAVA -version: JVM start to its first output line (the baseline)
  boot <variant>      bin/zircon prebuilt/ userboot.shutdown: exec to the first guest console
                      line on stdout, and to process exit. Variants: "bin/zircon" (as a user runs
                      it: with the AOT cache the build records, zircon-loader/target/zircon-loader.aot,
                      when it is current), "no-aot" (ZIRCON_AOT=0: a plain java -jar start), and each
                      --variant NAME=FLAGS (ZIRCON_AOT=0, ZIRCON_JAVA_OPTS=FLAGS)
  syscall-bench       bin/zircon prebuilt/ userboot=bin/syscall-bench userboot.shutdown: the
                      guest's own [bench] lines (null syscall and vDSO-call ns per call)
Times are from just before the child is spawned to the moment its line arrives on the pipe.
Prints min and median of each row.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

BENCH_LINE = re.compile(r"\[bench\] rep=\d+ null_syscall_ns=([0-9.]+) vdso_call_ns=([0-9.]+)")


def first_line_ms(cmd, stream, env=None):
    """Spawns cmd; returns (ms to the first line on `stream`, ms to exit, that line, all stdout)."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    pipe = p.stdout if stream == "stdout" else p.stderr
    line = pipe.readline()
    t1 = time.monotonic()
    out, err = p.communicate()
    t2 = time.monotonic()
    if stream == "stdout":
        out = line + out
    return (t1 - t0) * 1000, (t2 - t0) * 1000, line.decode(errors="replace").rstrip(), p.returncode, out


def summary(name, values, unit):
    if not values:
        print(f"{name:<44} (no samples)")
        return
    print(f"{name:<44} min {min(values):9.1f}  median {statistics.median(values):9.1f} {unit}"
          f"  (n={len(values)})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--java", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--variant", action="append", default=[],
                    help="NAME=JVM_FLAGS: an extra boot row with ZIRCON_JAVA_OPTS=JVM_FLAGS")
    ap.add_argument("--bench-words", default="bench.n=100000 bench.reps=5")
    args = ap.parse_args()

    zircon = os.path.join(args.root, "bin", "zircon")
    prebuilt = os.path.join(args.root, "prebuilt") + "/"
    base_env = dict(os.environ)
    base_env.pop("ZIRCON_JAVA_OPTS", None)
    base_env["ZIRCON_AOT"] = "0"
    variants = []
    aot = os.path.join(args.root, "zircon-loader", "target", "zircon-loader.aot")
    jar = os.path.join(args.root, "zircon-loader", "target", "zircon-loader.jar")
    if os.path.exists(aot) and os.path.getmtime(aot) > os.path.getmtime(jar):
        variants.append(("bin/zircon", "AOT"))
    else:
        print("note: no current AOT cache (zircon-loader/target/zircon-loader.aot): run mvn package", file=sys.stderr)
    variants.append(("no-aot", None))
    for v in args.variant:
        name, _, flags = v.partition("=")
        variants.append((name, flags))

    version, first, total = [], {n: [] for n, _ in variants}, {n: [] for n, _ in variants}
    null_ns, vdso_ns = [], []
    for rep in range(args.reps):
        ms, _, _, rc, _ = first_line_ms([args.java, "-version"], "stderr")
        if rc != 0:
            sys.exit(f"{args.java} -version failed")
        version.append(ms)
        for name, flags in variants:
            env = dict(base_env)
            if flags == "AOT":
                env["ZIRCON_AOT"] = "1"
            elif flags is not None:
                env["ZIRCON_JAVA_OPTS"] = flags
            ms, end, line, rc, _ = first_line_ms([zircon, prebuilt, "userboot.shutdown"], "stdout", env)
            if rc != 0 or not line.startswith("userboot:"):
                sys.exit(f"boot ({name}) failed: exit {rc}, first line {line!r}")
            first[name].append(ms)
            total[name].append(end)
        words = ["userboot=bin/syscall-bench", "userboot.shutdown"] + args.bench_words.split()
        _, _, _, rc, out = first_line_ms([zircon, prebuilt] + words, "stdout", base_env)
        found = BENCH_LINE.findall(out.decode(errors="replace"))
        if rc != 0 or not found:
            sys.exit(f"syscall-bench boot failed: exit {rc}")
        for sys_ns, vdso in found:
            null_ns.append(float(sys_ns))
            vdso_ns.append(float(vdso))
        print(f"rep {rep}: -version {version[-1]:.0f} ms, first guest line "
              + ", ".join(f"{n} {first[n][-1]:.0f} ms" for n, _ in variants)
              + f", null syscall {statistics.median(float(s) for s, _ in found):.1f} ns", flush=True)

    print()
    print(f"JVM start to first line ({args.reps} interleaved repetitions):")
    summary("  baseline: java -version, first line", version, "ms")
    for name, flags in variants:
        label = name if flags in (None, "AOT") else f"{name} ({flags})"
        summary(f"  boot {label}: first guest line", first[name], "ms")
        summary(f"  boot {label}: process exit", total[name], "ms")
    print(f"In-guest, bin/syscall-bench ({args.bench_words}), all repetitions pooled:")
    summary("  null syscall zx_handle_close(INVALID)", null_ns, "ns")
    summary("  vDSO-only call zx_ticks_get", vdso_ns, "ns")


if __name__ == "__main__":
    main()
