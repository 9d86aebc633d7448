#!/usr/bin/env bash
# Install the Debian packages given as arguments when they are missing (as root, with apt).
# The PDF forms need Pango, HarfBuzz and a font (WeasyPrint loads them at run time).
set -euo pipefail
missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-debian-packages: installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || {
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  }
else
  echo "ensure-debian-packages: missing ${missing[*]}; install them (apt-get install ${missing[*]})" >&2
  exit 1
fi
