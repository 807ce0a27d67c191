#!/bin/sh
# Layout checks of the guest images (run by `make check`).
# usage: check-images.sh USERBOOT PROGRAM...
set -eu
: "${READELF:=readelf}" "${NM:=nm}"
fail() { echo "check-images: $*" >&2; exit 1; }

ub=$1
shift
# userboot: ET_DYN, exactly two PT_LOADs (R, then R+X), nothing writable, no relocations,
# nothing undefined (formats.md §E.1 RODSO layout, like the real userboot).
$READELF -h "$ub" | grep -q 'Type: *DYN' || fail "$ub: not ET_DYN"
loads=$($READELF -lW "$ub" | awk '$1 == "LOAD" {f = ""; for (i = 7; i < NF; i++) f = f $i; print f}')
[ "$(echo "$loads" | tr '\n' ' ')" = "R RE " ] || fail "$ub: PT_LOAD flags are '$loads', want R then RE"
$READELF -rW "$ub" | grep -q 'There are no relocations' || fail "$ub: has relocations"
[ -z "$($NM -u "$ub")" ] || fail "$ub: undefined symbols: $($NM -u "$ub" | tr '\n' ' ')"
$READELF -lW "$ub" | grep -q INTERP && fail "$ub: has PT_INTERP"

for p in "$@"; do
  $READELF -h "$p" | grep -q 'Type: *DYN' || fail "$p: not a PIE"
  $READELF -lW "$p" | grep -q INTERP && fail "$p: has PT_INTERP"
  bad=$($READELF -rW "$p" | awk '/^[0-9a-f]+ / && $3 != "R_X86_64_RELATIVE" {print $3}' | sort -u)
  [ -z "$bad" ] || fail "$p: relocations the runtime cannot apply: $bad"
  [ -z "$($NM -u "$p")" ] || fail "$p: undefined symbols: $($NM -u "$p" | tr '\n' ' ')"
done
echo "check-images: userboot and $# program(s) OK"
