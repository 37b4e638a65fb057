#!/usr/bin/env bash
# make bundle-check: build the offline bundle, then install it into a fresh virtualenv with no
# network at all (a network namespace of its own when `unshare -n` is allowed; pip --no-index
# in any case), migrate a throwaway SQLite database and run `guanai check`. Prints the times.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3.11}
BUILD_PYTHON=${BUILD_PYTHON:-.venv/bin/python}
work=var/bundle-check
rm -rf "$work" && mkdir -p "$work"
start=$(date +%s)
"$BUILD_PYTHON" scripts/bundle.py --out "$work/dist" | tee "$work/build.txt"
built=$(date +%s)
bundle=$(ls "$work"/dist/guanai-bundle-*.tar.gz)
isolate=()
if unshare -n true 2>/dev/null; then
    isolate=(unshare -n)
    echo "network: cut off (unshare -n)"
else
    echo "network: not cut off (unshare -n not allowed); pip --no-index only"
fi
export GUANAI_VAR_DIR=$PWD/$work/var DATABASE_URL=sqlite:///$PWD/$work/var/guanai.sqlite3
"${isolate[@]}" "$PYTHON" scripts/offline_install.py --bundle "$bundle" --prefix "$PWD/$work/venv"
"${isolate[@]}" "$work/venv/bin/guanai" check
installed=$(date +%s)
echo "bundle-check: ok — build $((built - start)) s, offline install and migrate $((installed - built)) s"
