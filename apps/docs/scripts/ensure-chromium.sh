#!/usr/bin/env bash
# Installs what the docs tests need from Debian's packages when it is missing:
#   - chromium (/usr/bin/chromium), driven headless by playwright-core for the browser tests
#     and for pre-rendering the diagrams at build time;
#   - curl and jq, which the curl code samples use (every sample is executed by the tests);
#   - openssl, which the encryption samples use to encrypt a passphrase with an agent's key.
# Uses sudo only when not running as root. Does nothing when everything is there.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v jq >/dev/null 2>&1 || missing+=(jq)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)

if [ "${#missing[@]}" -eq 0 ]; then
  echo "ensure-chromium: chromium, curl, jq and openssl are installed."
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "ensure-chromium: need root or sudo to install: ${missing[*]}" >&2
  exit 1
fi

echo "ensure-chromium: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
[ -x /usr/bin/chromium ] || { echo "ensure-chromium: /usr/bin/chromium is still missing" >&2; exit 1; }
echo "ensure-chromium: done ($(/usr/bin/chromium --version 2>/dev/null | head -1))"
