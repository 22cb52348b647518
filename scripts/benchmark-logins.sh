#!/usr/bin/env bash
# Login benchmark (see LoginBenchmark): builds the JAR, boots one Keycloak with it, seeds a 10 000-user realm
# and a small one, measures modes (a)-(d) in rotated rounds, prints the table and writes docs/benchmark-results.md.
# Options as system properties, e.g. BENCH_OPTS="-Dbench.rounds=6 -Dbench.logins=100".
set -euo pipefail
cd "$(dirname "$0")/.."
version=${KEYCLOAK_VERSION:-$(sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' pom.xml | head -n 1)}
mvn -B -q -DskipTests -Dkeycloak.version="$version" verify
dist="$PWD/target/keycloak-$version/"
jar=$(ls "$PWD"/target/keycloak-group-totp-*.jar | head -n 1)
mvn -B -q exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
  -Dexec.args="-Dkeycloak.dist.dir=${dist%/} -Dkeycloak.test.version=$version -Dprovider.jar=$jar -Drealm.file=$PWD/realm-export.json -Dkeycloak.log=$PWD/target/keycloak-bench.log ${BENCH_OPTS:-} -cp %classpath io.github.grouptotp.it.LoginBenchmark"
