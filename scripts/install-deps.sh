#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Quire needs (packaging/debian-deps.txt), only those missing.
# Uses sudo when not root; non-interactive under CI=true.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
mapfile -t wanted < <(grep -v '^#' "$here/packaging/debian-deps.txt" | awk 'NF {print $1}')
missing=()
for p in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "Installing ${#missing[@]} missing packages: ${missing[*]}"
if ! command -v apt-get >/dev/null; then
    echo "error: apt-get not found; install these packages with your package manager: ${missing[*]}" >&2
    exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then sudo="sudo"; else
        echo "error: not root and no sudo; as root run: apt-get install ${missing[*]}" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
