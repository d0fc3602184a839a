#!/usr/bin/env bash
# Installs the Debian packages GANKit needs, only if some are missing: OpenBLAS (matrix products),
# libpng, libjpeg and zlib (image codecs), and Fashion-MNIST (the default real dataset).
set -euo pipefail
packages=(libopenblas-dev libpng-dev libjpeg-dev zlib1g-dev dataset-fashion-mnist)
missing=()
for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
