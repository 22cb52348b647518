#!/usr/bin/env bash
# Rollout report benchmark (see ReportBenchmark): builds the JAR, then for the embedded database and for PostgreSQL
# (Debian's package, see scripts/postgres.sh) seeds a realm of 100 000 users, restarts Keycloak cold and times the
# summary, report pages and the whole CSV. Prints the table and writes its section of docs/benchmark-results.md.
# Options, e.g. BENCH_OPTS="-Dbench.users=20000 -Dbench.databases=dev-file".
set -euo pipefail
cd "$(dirname "$0")/.."
version=${KEYCLOAK_VERSION:-$(sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' pom.xml | head -n 1)}
mvn -B -q -DskipTests -Dkeycloak.version="$version" verify
dist="$PWD/target/keycloak-$version/"
jar=$(ls "$PWD"/target/keycloak-group-totp-*.jar | head -n 1)
mvn -B -q exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
  -Dexec.args="-Dkeycloak.dist.dir=${dist%/} -Dkeycloak.test.version=$version -Dprovider.jar=$jar -Drealm.file=$PWD/realm-export.json ${BENCH_OPTS:-} -cp %classpath io.github.grouptotp.it.ReportBenchmark"
