#!/usr/bin/env bash
# HAL benchmarks (not tests): scripts/bench-hal.sh [syscall|memory|all] [args passed to the bench class]
#   syscall  dev.zjvm.hal.bench.SyscallBench: null guest syscall (FSGSBASE, arch_prctl) vs getppid
#   memory   dev.zjvm.hal.bench.MemoryBench, when that class exists
# Finds JDK 25 itself: $JDK25_HOME, the POM's default path, or a `java` 25 on PATH.
# Compiles kernel-hal-jvm (and what it needs) with Maven, never installs.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"; shift || true
if [ "$what" = all ] && [ $# -gt 0 ]; then echo "bench args need a single bench: syscall or memory" >&2; exit 2; fi

. scripts/jdk25.sh

mvn -B -q -ntp -pl kernel-hal-jvm -am compile -Djdk25.home="$jdk" >&2
slf4j_version="$(sed -n 's:.*<slf4j.version>\(.*\)</slf4j.version>.*:\1:p' pom.xml)"
slf4j_jar="${HOME}/.m2/repository/org/slf4j/slf4j-api/${slf4j_version}/slf4j-api-${slf4j_version}.jar"
[ -f "$slf4j_jar" ] || { echo "missing $slf4j_jar (run the Maven build once)" >&2; exit 1; }
classes=kernel-hal-jvm/target/classes
run() { "$jdk/bin/java" --enable-native-access=ALL-UNNAMED -Dslf4j.internal.verbosity=ERROR -cp "$classes:$slf4j_jar" "$@"; }

case "$what" in
  syscall|all) run dev.zjvm.hal.bench.SyscallBench "$@" ;;
esac
case "$what" in
  memory|all)
    if [ -f "$classes/dev/zjvm/hal/bench/MemoryBench.class" ]; then run dev.zjvm.hal.bench.MemoryBench "$@"
    elif [ "$what" = memory ]; then echo "dev.zjvm.hal.bench.MemoryBench is not in this build" >&2; exit 1
    fi ;;
  syscall) ;;
  *) echo "usage: $0 [syscall|memory|all] [bench args]" >&2; exit 2 ;;
esac
