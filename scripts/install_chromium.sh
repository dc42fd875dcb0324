#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (tests/site/test_browser.py), unless a Chromium is already there.
# Needs root or passwordless sudo. If the install is impossible the tests skip loudly; under CI=true this script
# fails instead, because CI must run the browser tests.
set -u
found() { [ -n "${CHROMIUM:-}" ] && [ -x "$CHROMIUM" ] || [ -x /usr/bin/chromium ] || command -v chromium >/dev/null; }
found && exit 0

if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else SUDO="none"; fi
if [ "$SUDO" != "none" ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium for the browser tests (apt-get, about a minute) ..."
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get install -y -q chromium >/dev/null 2>&1 \
        || { $SUDO apt-get update -q >/dev/null 2>&1 && $SUDO apt-get install -y -q chromium >/dev/null; }
fi
found && { echo "chromium installed: $(command -v chromium || echo /usr/bin/chromium)"; exit 0; }

bar=$(printf '!%.0s' $(seq 1 100))
echo "$bar"
echo "CHROMIUM COULD NOT BE INSTALLED (needs apt-get with root or passwordless sudo): THE BROWSER TESTS WILL BE SKIPPED."
echo "Install Debian's chromium package yourself, or set CHROMIUM=/path/to/chromium."
echo "$bar"
case "${CI:-}" in 1|true|TRUE|True|yes) echo "CI=true: CI must run the browser tests, so this is a failure."; exit 1;; esac
exit 0
