#!/usr/bin/env bash
# Install the Debian packages guanai needs, only those that are missing.
#
#   scripts/sysdeps.sh [test|demo]     (default: test)
#
#   demo: WeasyPrint's runtime libraries (WeasyPrint's documented list for
#         Debian >= 11 when installing from wheels) and Chinese fonts for PDFs
#   test: the same plus chromium (/usr/bin/chromium, for Playwright e2e tests)
#
# Prints one line "system packages: ok" when everything is present. Runs
# `apt-get update` (once) only when something is missing. Needs root (or
# password-less sudo) to install; otherwise it prints what to install and
# exits 1.
set -euo pipefail

mode=${1:-test}
case $mode in
    test | demo) ;;
    -h | --help)
        sed -n '2,13s/^# \{0,1\}//p' "$0"
        exit 0
        ;;
    *)
        echo "usage: $0 [test|demo]" >&2
        exit 2
        ;;
esac

packages=(
    fonts-noto-cjk      # CJK (Chinese) glyphs in generated PDFs
    libpango-1.0-0      # WeasyPrint: text layout
    libpangoft2-1.0-0   # WeasyPrint: fontconfig/freetype backend
    libharfbuzz-subset0 # WeasyPrint: font subsetting
)
if [ "$mode" = test ]; then
    packages+=(chromium) # Playwright end-to-end tests (/usr/bin/chromium)
fi

is_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=()
for pkg in "${packages[@]}"; do
    is_installed "$pkg" || missing+=("$pkg")
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "system packages: ok"
    exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo=(sudo -n)
    else
        echo "system packages missing: ${missing[*]}" >&2
        echo "install them as root with:" >&2
        echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi
fi

echo "system packages: installing ${missing[*]}"
log=$(mktemp "${TMPDIR:-/tmp}/sysdeps.XXXXXX")
trap 'rm -f "$log"' EXIT

apt_get() {
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get -q -o DPkg::Lock::Timeout=300 "$@" >>"$log" 2>&1
}

if ! apt_get update; then
    tail -n 30 "$log" >&2
    echo "system packages: apt-get update failed" >&2
    exit 1
fi
if ! apt_get install -y --no-install-recommends "${missing[@]}"; then
    tail -n 30 "$log" >&2
    echo "system packages: apt-get install failed" >&2
    exit 1
fi

still_missing=()
for pkg in "${missing[@]}"; do
    is_installed "$pkg" || still_missing+=("$pkg")
done
if [ "${#still_missing[@]}" -ne 0 ]; then
    echo "system packages: still missing after install: ${still_missing[*]}" >&2
    exit 1
fi
echo "system packages: installed ${missing[*]}"
