#!/usr/bin/env bash
# Code-guessing benchmark (see ThrottleBenchmark): builds the JAR, boots one Keycloak with it, and lets one script
# guess codes of a user whose password it knows, with brute-force detection off, for 31 minutes (BENCH_OPTS=
# "-Dbench.minutes=16" for less). Prints how many guesses the server checked and writes its section of docs/benchmark-results.md.
exec "$(dirname "$0")/benchmark-run.sh" ThrottleBenchmark
