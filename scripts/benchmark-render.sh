#!/usr/bin/env bash
# Regenerates benchmark sections of docs/benchmark-results.md from raw files a run wrote, e.g.
#   scripts/benchmark-render.sh docs/benchmark-raw/logins-2026-12-01T2130Z.json
# (the results file is the one beside the raw file's benchmark-raw/ folder).
set -euo pipefail
cd "$(dirname "$0")/.."
args=""
for f in "$@"; do args="$args $(realpath "$f")"; done
mvn -B -q -Pbench -DskipTests test-compile
mvn -B -q -Pbench exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
  -Dexec.args="-cp %classpath io.github.grouptotp.it.BenchmarkResults$args"
