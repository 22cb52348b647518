#!/usr/bin/env bash
# Prints CHANGELOG.md's section for one version, the text of its GitHub release (used by the tag workflow).
#   scripts/release-notes.sh <tag version> [<pom version>]
# Fails when the tag's version is not the pom's, or when CHANGELOG.md has no dated section "## [<version>] - YYYY-MM-DD"
# (an "Unreleased" section is not released).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$1
pom_version=${2:-$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -n 1)}
if [ "$version" != "$pom_version" ]; then
  echo "release-notes: the tag names $version, pom.xml's version is $pom_version" >&2
  exit 1
fi
if ! grep -Eq "^## \[${version//./\\.}\] - [0-9]{4}-[0-9]{2}-[0-9]{2}\$" CHANGELOG.md; then
  echo "release-notes: CHANGELOG.md has no dated section '## [$version] - YYYY-MM-DD'" >&2
  exit 1
fi
# The lines after the version's heading up to the next version's heading, without the link references.
awk -v heading="## [$version] - " '
  /^## \[/ { if (found) exit; if (index($0, heading) == 1) { found = 1; next } }
  found && !/^\[[^]]*\]: / { print }
' CHANGELOG.md | sed -e '/./,$!d'
