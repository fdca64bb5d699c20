#!/usr/bin/env bash
# Installs what the test suite needs from Debian: a PostgreSQL server, Chromium, CJK fonts,
# NSS's certutil (libnss3-tools, for the CA interop test) and SoftHSM2 (the PKCS#11 token of
# the CA key tests: /usr/lib/softhsm/libsofthsm2.so and softhsm2-util).
# Idempotent: does nothing when all are there.
set -euo pipefail

need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi 'noto sans cjk' || need+=(fonts-noto-cjk)
command -v certutil >/dev/null 2>&1 || need+=(libnss3-tools)
{ [ -e /usr/lib/softhsm/libsofthsm2.so ] && command -v softhsm2-util >/dev/null 2>&1; } || need+=(softhsm2)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "certdesk: installing Debian packages: ${need[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
