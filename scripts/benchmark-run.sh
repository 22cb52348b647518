#!/usr/bin/env bash
# Runs one benchmark class of src/bench/java/io/github/grouptotp/it (e.g. LoginBenchmark) against the Keycloak
# distribution of the pom (or KEYCLOAK_VERSION) with the freshly built JAR. Used by the benchmark-*.sh scripts;
# options as system properties in BENCH_OPTS. The benchmarks are compiled only with -Pbench (not by `mvn verify`).
set -euo pipefail
cd "$(dirname "$0")/.."
benchmark=$1
version=${KEYCLOAK_VERSION:-$(sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' pom.xml | head -n 1)}
# The provider JAR of this pom's version, exactly: target/ also holds its -sources and -javadoc JARs (whose
# META-INF/services would register every provider twice), and maybe an older version's JAR.
project_version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -n 1)
mvn -B -q -Pbench -DskipTests -Dkeycloak.version="$version" verify
dist="$PWD/target/keycloak-$version/"
jar="$PWD/target/keycloak-group-totp-${project_version}.jar"
mvn -B -q -Pbench exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
  -Dexec.args="-Dkeycloak.dist.dir=${dist%/} -Dkeycloak.test.version=$version -Dprovider.jar=$jar -Drealm.file=$PWD/realm-export.json -Dkeycloak.log=$PWD/target/keycloak-bench.log ${BENCH_OPTS:-} -cp %classpath io.github.grouptotp.it.$benchmark"
