#!/usr/bin/env bash
# Boot benchmark (not a test): scripts/bench-boot.sh [--reps N] [--variant NAME=JVM_FLAGS]...
#   JVM start to the first guest console line of `bin/zircon prebuilt/ userboot.shutdown`,
#   against `java -version` of the same JDK, interleaved in one run; plus the in-guest null
#   syscall round trip from booting bin/syscall-bench. Each --variant adds a boot row run with
#   ZIRCON_JAVA_OPTS=JVM_FLAGS (e.g. --variant c1=-XX:TieredStopAtLevel=1).
# Builds nothing: run `mvn -B -q -ntp package -DskipTests` first (prebuilt/ and the loader jar).
# Finds JDK 25 itself: $JDK25_HOME, the POM's default path, or a `java` 25 on PATH (as bin/zircon).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"

. "$root/scripts/jdk25.sh"

for f in zircon-loader/target/zircon-loader.jar prebuilt/bringup.zbi prebuilt/userboot-libos.so; do
  [ -f "$root/$f" ] || { echo "missing $f: run mvn -B -q -ntp package -DskipTests first" >&2; exit 1; }
done
command -v python3 >/dev/null || { echo "python3 is needed" >&2; exit 1; }

# bin/zircon picks the same JDK through JDK25_HOME.
JDK25_HOME="$jdk" exec python3 "$root/scripts/bench-boot.py" --java "$jdk/bin/java" --root "$root" "$@"
