#!/usr/bin/env bash
# Login benchmark (see LoginBenchmark): builds the JAR, boots one Keycloak with it, seeds a 10 000-user realm
# and a small one, measures modes (a)-(d) in rotated rounds, prints the table and writes docs/benchmark-results.md.
# Options as system properties, e.g. BENCH_OPTS="-Dbench.rounds=6 -Dbench.logins=100".
exec "$(dirname "$0")/benchmark-run.sh" LoginBenchmark
