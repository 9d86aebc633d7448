#!/usr/bin/env bash
# Install the Debian packages given as arguments when they are missing (as root, with apt).
# Used by `make test` (and the tests that need a server), never by `make demo`.
# Every apt call waits for the dpkg and apt locks (another apt, unattended-upgrades) for up
# to APT_LOCK_TIMEOUT seconds (default 600) instead of failing at once.
set -euo pipefail
APT_LOCK_TIMEOUT=${APT_LOCK_TIMEOUT:-600}
apt_get() {
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="$APT_LOCK_TIMEOUT" -qq "$@"
}
missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-debian-packages: installing ${missing[*]}" >&2
  apt_get install -y "${missing[@]}" >/dev/null 2>&1 || {
    apt_get update >/dev/null && apt_get install -y "${missing[@]}" >/dev/null
  }
else
  echo "ensure-debian-packages: missing ${missing[*]}; install them (apt-get install ${missing[*]})" >&2
  exit 1
fi
