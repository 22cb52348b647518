#!/usr/bin/env bash
# JMH benchmark of the pure policy decision (users in 1 and in 200 groups): runs JMH, keeps its JSON result in
# docs/benchmark-raw/ and writes its section of docs/benchmark-results.md from that file (see PolicyDecisionBenchmark).
# Options as system properties in BENCH_OPTS, e.g. BENCH_OPTS="-Dbench.output=target/bench -Dbench.jmh.iterations=1".
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -Pbench -DskipTests test-compile
mvn -B -q -Pbench exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
  -Dexec.args="${BENCH_OPTS:-} -cp %classpath io.github.grouptotp.bench.PolicyDecisionBenchmark"
