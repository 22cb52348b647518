#!/usr/bin/env bash
# JMH benchmark of the pure policy decision (users in 1 and in 200 groups); prints ns/op.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -Pbench -DskipTests test-compile
mvn -B -q -Pbench exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
  -Dexec.args="-cp %classpath org.openjdk.jmh.Main PolicyDecisionBenchmark -rf text -rff target/jmh-policy.txt"
