#!/usr/bin/env bash
# Rollout report benchmark (see ReportBenchmark): builds the JAR, then for the embedded database and for PostgreSQL
# (Debian's package, see scripts/postgres.sh) seeds a realm of 100 000 users, restarts Keycloak cold and times the
# summary, report pages and the whole CSV. Prints the table and writes its section of docs/benchmark-results.md.
# Options, e.g. BENCH_OPTS="-Dbench.users=20000 -Dbench.databases=dev-file".
exec "$(dirname "$0")/benchmark-run.sh" ReportBenchmark
