#!/usr/bin/env bash
# Code-guessing benchmark (see ThrottleBenchmark): builds the JAR, boots one Keycloak with it, and lets one script
# guess codes of a user whose password it knows, with brute-force detection off, for 31 minutes (BENCH_OPTS=
# "-Dbench.minutes=16" for less). Prints how many guesses the server checked and writes docs/benchmark-throttle.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests verify
dist=$(ls -d "$PWD"/target/keycloak-[0-9]*/ | head -n 1)
jar=$(ls "$PWD"/target/keycloak-group-totp-*.jar | head -n 1)
mvn -B -q exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
  -Dexec.args="-Dkeycloak.dist.dir=${dist%/} -Dprovider.jar=$jar -Drealm.file=$PWD/realm-export.json -Dkeycloak.log=$PWD/target/keycloak-bench.log ${BENCH_OPTS:-} -cp %classpath io.github.grouptotp.it.ThrottleBenchmark"
