#!/usr/bin/env bash
# Installs everything snnsim needs to build, test and run, from Debian's packages (Debian 12).
# Usage: sudo tools/scripts/install_deps.sh   (as root: no sudo needed)
set -euo pipefail
packages=(
  # toolchain
  g++ cmake make ccache
  # libraries
  libboost-graph-dev libhdf5-dev zlib1g-dev libfmt-dev nlohmann-json3-dev libcli11-dev
  libtomlplusplus-dev libeigen3-dev doctest-dev librandom123-dev libbenchmark-dev libssl-dev
  # data and reference tools used by the tests (python3-torch: the PyTorch peer of
  # `snnsim bench lmuformer`, whose agreement with the golden logits a test checks)
  dataset-fashion-mnist python3-h5py python3-numpy python3-torch
  # the Lava bridge (SNNSIM_WITH_LAVA) embeds CPython
  python3-dev
  # distributed runs (SNNSIM_WITH_MPI): OpenMPI's library and its mpirun
  libopenmpi-dev openmpi-bin
)
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
echo "snnsim dependencies installed"
