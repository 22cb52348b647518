#!/usr/bin/env bash
# Installs Debian's Chromium and ChromeDriver for the browser tests when they are missing
# (no browser can be downloaded on our machines; Debian's packages can). Called by Maven before the
# integration tests, so `mvn -B verify` needs nothing installed by hand.
set -euo pipefail
# CHROMIUM_BINARY / CHROMEDRIVER point the tests at another Chromium-based browser (e.g. on GitHub's runners).
if [ -x "${CHROMIUM_BINARY:-/usr/bin/chromium}" ] && [ -x "${CHROMEDRIVER:-/usr/bin/chromedriver}" ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null; then
  echo "The browser tests need Debian's packages chromium and chromium-driver; install them as root:" >&2
  echo "  apt-get update && apt-get install -y chromium chromium-driver" >&2
  exit 1
fi
echo "Installing chromium and chromium-driver for the browser tests..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium chromium-driver >/dev/null
