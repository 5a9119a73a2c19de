#!/usr/bin/env bash
# Installs every Debian package huqian needs to build, test and run.
# Skips itself in well under a second when everything is already installed.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libgdal-dev gdal-bin libgeos-dev
  libimgui-dev libstb-dev libglfw3-dev
  libgl-dev libegl-dev libopengl-dev libgl1-mesa-dri libegl-mesa0 libglu1-mesa-dev
  catch2 libcli11-dev nlohmann-json3-dev libbenchmark-dev
  libcairo2-dev libfreetype-dev libpng-dev fonts-wqy-microhei
  xvfb xauth mesa-utils ghostscript librsvg2-bin poppler-utils
  clang-14 libclang-rt-14-dev llvm-14
  postgresql-15 postgresql-15-postgis-3 postgresql-client-15
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run as root (or with sudo) to install them" >&2
  exit 1
fi

echo "install-deps: installing ${#missing[@]} Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done" >&2
