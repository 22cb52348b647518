#!/usr/bin/env bash
# Code-guessing benchmark (see ThrottleBenchmark): builds the JAR, boots one Keycloak with it, and lets one script
# guess codes of a user whose password it knows, with brute-force detection off, for 31 minutes (BENCH_OPTS=
# "-Dbench.minutes=16" for less). Prints how many guesses the server checked and writes docs/benchmark-throttle.md.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${KEYCLOAK_VERSION:-$(sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' pom.xml | head -n 1)}
mvn -B -q -DskipTests -Dkeycloak.version="$version" verify
dist="$PWD/target/keycloak-$version/"
jar=$(ls "$PWD"/target/keycloak-group-totp-*.jar | head -n 1)
mvn -B -q exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
  -Dexec.args="-Dkeycloak.dist.dir=${dist%/} -Dkeycloak.test.version=$version -Dprovider.jar=$jar -Drealm.file=$PWD/realm-export.json -Dkeycloak.log=$PWD/target/keycloak-bench.log ${BENCH_OPTS:-} -cp %classpath io.github.grouptotp.it.ThrottleBenchmark"
