#!/usr/bin/env bash
# Runs one benchmark class of src/bench/java/io/github/grouptotp/it (e.g. LoginBenchmark) against the Keycloak
# distribution of the pom (or KEYCLOAK_VERSION) with the freshly built JAR. Used by the benchmark-*.sh scripts;
# options as system properties in BENCH_OPTS. The benchmarks are compiled only with -Pbench (not by `mvn verify`).
set -euo pipefail
cd "$(dirname "$0")/.."
benchmark=$1
version=${KEYCLOAK_VERSION:-$(sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' pom.xml | head -n 1)}
mvn -B -q -Pbench -DskipTests -Dkeycloak.version="$version" verify
dist="$PWD/target/keycloak-$version/"
jar=$(ls "$PWD"/target/keycloak-group-totp-*.jar | head -n 1)
mvn -B -q -Pbench exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
  -Dexec.args="-Dkeycloak.dist.dir=${dist%/} -Dkeycloak.test.version=$version -Dprovider.jar=$jar -Drealm.file=$PWD/realm-export.json -Dkeycloak.log=$PWD/target/keycloak-bench.log ${BENCH_OPTS:-} -cp %classpath io.github.grouptotp.it.$benchmark"
