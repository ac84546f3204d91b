#!/usr/bin/env bash
# Installs Debian's chromium and chromium-driver, which the playground's browser test drives
# (it skips itself when they are missing). Idempotent and quiet: does nothing when both are
# there, and never fails the caller's build; without them the browser test is just skipped.
set -uo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "install-browser.sh: no apt-get here; the playground browser test will be skipped" >&2
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo="sudo -n"; else
    echo "install-browser.sh: not root and no sudo; the playground browser test will be skipped" >&2
    exit 0
  fi
fi
echo "install-browser.sh: installing chromium and chromium-driver from apt" >&2
if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
         --no-install-recommends chromium chromium-driver; } >/dev/null 2>&1; then
  echo "install-browser.sh: WARNING: apt-get could not install chromium/chromium-driver;" \
    "the playground browser test will be skipped" >&2
fi
exit 0
