# Sourced by the bench scripts: sets $jdk to a JDK 25 home, or exits with one line.
# Order: $JDK25_HOME, the POM's default path, Debian's OpenJDK 25, a `java` 25 on PATH.
jdk=""
for cand in "${JDK25_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64; do
  if [ -n "$cand" ] && [ -x "$cand/bin/java" ]; then jdk="$cand"; break; fi
done
if [ -z "$jdk" ] && command -v java >/dev/null && java -version 2>&1 | grep -q 'version "25'; then
  jdk="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
fi
[ -n "$jdk" ] || { echo "JDK 25 not found: set JDK25_HOME" >&2; exit 1; }
