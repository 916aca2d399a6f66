#!/bin/sh
# SPDX-License-Identifier: ISC
# t/model/mutate.sh: the mutation check (not run by make check). Breaks supervise on
# purpose, one place at a time (t/model/mutations: a line "name", then the exact text to
# replace, then its replacement, each on its own line, \N standing for a newline, blocks
# separated by a line "--"),
# and counts the mutants the tests catch.
#   sh t/model/mutate.sh [SUITES]
# SUITES: the integration suites run against each mutant (default "supervise stop"),
# after the model test (directed sequences, then T_MODEL_SEQS random ones; a mutant the
# first catching run catches is not run further). Works in a copy of the tree.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
suites=${1:-supervise stop}
list=$top/t/model/mutations
work=$(mktemp -d "${TMPDIR:-/tmp}/svtree-mutate.XXXXXX") || exit 111
trap 'rm -rf "$work"' EXIT
(cd "$top" && tar -cf - --exclude=./build --exclude=./bin --exclude=./.git .) | (cd "$work" && tar -xf -) || exit 111
cd "$work" || exit 111
make -s bin/supervise bin/svctl bin/svscan build/t/integ-tests build/t/model-tests >/dev/null 2>&1 || { echo "mutate: the unmutated tree does not build" >&2; exit 111; }
cp supervise/supervise.c supervise.c.orig
cp bin/supervise supervise.orig
: "${T_MODEL_SEQS:=16}"
export T_MODEL_FAILFAST=1 T_MODEL_SEQS T_BIN="$work/bin/" T_TOP="$work" CK_DEFAULT_TIMEOUT=60

n=0 caught=0 missed="" skipped="" unconfirmed=""
# the mutations file, split into name/old/new (a block: name line, old line, new line, --)
awk 'BEGIN { RS = "\n--\n" } { print > ("mut." NR) }' "$list"
for f in mut.*; do
  name=$(sed -n 1p "$f"); old=$(sed -n 2p "$f"); new=$(sed -n 3p "$f")
  cp supervise.c.orig supervise/supervise.c
  if ! perl -0777 -pi -e 'BEGIN { ($o, $n) = (shift, shift); s/\\N/\n/g for $o, $n } s/\Q$o\E/$n/ or die "absent\n"' "$old" "$new" supervise/supervise.c 2>/dev/null; then
    skipped="$skipped
  $name (text not found)"
    continue
  fi
  if ! make -s bin/supervise >/dev/null 2>&1; then
    skipped="$skipped
  $name (does not build)"
    continue
  fi
  n=$((n + 1))
  how=""
  if ! T_MODEL_SEQS=0 build/t/model-tests >"out.$f" 2>&1; then how="model, directed"
  elif ! build/t/model-tests >>"out.$f" 2>&1; then how="model, random"
  else
    for s in $suites; do
      if ! CK_RUN_SUITE=$s build/t/integ-tests >>"out.$f" 2>&1; then how="integ $s"; break; fi
    done
  fi
  if [ "$how" = "model, directed" ]; then
     # a catch must not be the machine's load: the directed sequence that caught the mutant
     # must fail on it again and pass on the unmutated supervise
    d=$(sed -n 's/^model: MISMATCH: directed sequence \([0-9]*\):.*/\1/p' "out.$f" | head -n 1)
    if [ -n "$d" ]; then
      if T_DIRECTED=$d build/t/model-tests >/dev/null 2>&1; then how=""
      else
        cp bin/supervise supervise.mut; cp supervise.orig bin/supervise
        T_DIRECTED=$d build/t/model-tests >/dev/null 2>&1 || how=""
        cp supervise.mut bin/supervise
      fi
      if [ -z "$how" ]; then unconfirmed="$unconfirmed
  $name (directed sequence $d)"; echo "mutate: NOT CONFIRMED (directed $d): $name"; continue; fi
      how="model, directed $d"
    fi
  fi
  if [ -n "$how" ]; then caught=$((caught + 1)); echo "mutate: caught ($how): $name"
  else missed="$missed
  $name"; echo "mutate: MISSED: $name"; fi
done
cp supervise.c.orig supervise/supervise.c
echo "mutate: $caught of $n mutants caught"
[ -n "$missed" ] && echo "mutate: missed:$missed"
[ -n "$unconfirmed" ] && echo "mutate: caught once but not again, or the unmutated supervise failed too (counted as not caught; the machine was too loaded?):$unconfirmed"
[ -n "$skipped" ] && echo "mutate: not applied:$skipped"
exit 0
