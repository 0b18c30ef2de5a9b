#!/usr/bin/env bash
# libtorch for amorph's `torch` feature (the SevenNet calculator, crate amorph-mlip), taken from
# the PyPI wheel torch==2.13.0 (the version tch 0.26 binds) into the project's .venv.
#
# Source it (it exports variables) or run it with `--print` to see the lines to export:
#   source scripts/peers/libtorch.sh          # CPU build (default)
#   source scripts/peers/libtorch.sh --cuda   # CUDA build (installs the ~5 GB of CUDA wheels)
#   cargo build --release --features torch    # (--features torch,cuda for the CUDA build)
#
# CPU: the torch 2.13 wheel is a CUDA 13 build, but its CPU library needs only two small CUDA
# wheels (libcudart.so.13 and libcupti.so.13; no GPU or driver). So torch is installed with
# --no-deps plus nvidia-cuda-runtime and nvidia-cuda-cupti (the versions torch's cuda-toolkit
# 13.0.3 pins), ~1.2 GB in all, and a lib directory .venv/libtorch-cpu/lib is made of symlinks
# to libtorch_cpu.so, libc10.so, libgomp.so.1 and the two CUDA libraries, with
# libtorch.so -> libtorch_cpu.so: torch-sys then links the CPU library alone (with the wheel's
# full lib directory it would also link libtorch_cuda.so, whose cuBLAS/cuDNN are not installed).
#
# CUDA: torch with all its dependencies, LIBTORCH the wheel's own torch directory; the `cuda`
# feature of amorph-mlip then forces libtorch_cuda.so to be loaded (-Wl,--no-as-needed).
#
# Exports LIBTORCH, LIBTORCH_CXX11_ABI=1 and LD_LIBRARY_PATH (for the built binaries and tests).
# Needs: python3 with venv (scripts/test.sh makes .venv), network access to PyPI once, and a C++
# compiler (g++: torch-sys compiles its C++ glue against the headers in the wheel).
_lt_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
_lt_venv=${AMORPH_VENV:-$_lt_root/.venv}
_lt_cuda=0
_lt_print=0
for _lt_arg in "$@"; do
  case $_lt_arg in
    --cuda) _lt_cuda=1 ;;
    --print) _lt_print=1 ;;
    *) echo "libtorch.sh: unknown argument $_lt_arg (expected --cuda or --print)" >&2; return 2 2>/dev/null || exit 2 ;;
  esac
done
_lt_torch_version=2.13.0
_lt_cudart=nvidia-cuda-runtime==13.0.96
_lt_cupti=nvidia-cuda-cupti==13.0.85

_lt_main() {
  if ! "$_lt_venv/bin/python" -c 'import sys' 2>/dev/null; then
    echo "== peers: creating $_lt_venv (${PYTHON:-python3} -m venv)" >&2
    "${PYTHON:-python3}" -m venv "$_lt_venv" || return 1
  fi
  local py=$_lt_venv/bin/python
  local site
  site=$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])') || return 1
  local have
  have=$("$py" -c 'import importlib.metadata as m; print(m.version("torch"))' 2>/dev/null || true)
  if [ "$_lt_cuda" = 1 ]; then
    if [ "$have" != "$_lt_torch_version" ] || [ ! -d "$site/nvidia/cu13/lib" ] || ! "$py" -c 'import nvidia.cudnn' 2>/dev/null; then
      echo "== peers: installing torch==$_lt_torch_version with its CUDA wheels into $_lt_venv" >&2
      "$py" -m pip install --quiet --disable-pip-version-check "torch==$_lt_torch_version" >&2 || return 1
    fi
  else
    if [ "$have" != "$_lt_torch_version" ]; then
      echo "== peers: installing torch==$_lt_torch_version (--no-deps) into $_lt_venv" >&2
      "$py" -m pip install --quiet --disable-pip-version-check --no-deps "torch==$_lt_torch_version" >&2 || return 1
    fi
    if [ ! -e "$site/nvidia/cu13/lib/libcudart.so.13" ] || [ ! -e "$site/nvidia/cu13/lib/libcupti.so.13" ]; then
      echo "== peers: installing $_lt_cudart $_lt_cupti into $_lt_venv" >&2
      "$py" -m pip install --quiet --disable-pip-version-check --no-deps "$_lt_cudart" "$_lt_cupti" >&2 || return 1
    fi
  fi
  local torch=$site/torch
  local cu=$site/nvidia/cu13/lib
  if [ "$_lt_cuda" = 1 ]; then
    LIBTORCH=$torch
    local nv
    nv=$(find "$site/nvidia" -type d -name lib | sort | tr '\n' ':')
    LD_LIBRARY_PATH=$torch/lib:$nv${LD_LIBRARY_PATH:-}
  else
    local cpu=$_lt_venv/libtorch-cpu
    mkdir -p "$cpu/lib" || return 1
    ln -sfn "$torch/include" "$cpu/include"
    ln -sf "$torch/lib/libtorch_cpu.so" "$cpu/lib/libtorch_cpu.so"
    ln -sf "$torch/lib/libtorch_cpu.so" "$cpu/lib/libtorch.so"
    ln -sf "$torch/lib/libc10.so" "$cpu/lib/libc10.so"
    ln -sf "$torch/lib/libgomp.so.1" "$cpu/lib/libgomp.so.1"
    ln -sf "$cu/libcudart.so.13" "$cpu/lib/libcudart.so.13"
    ln -sf "$cu/libcupti.so.13" "$cpu/lib/libcupti.so.13"
    LIBTORCH=$cpu
    LD_LIBRARY_PATH=$cpu/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  fi
  LIBTORCH_CXX11_ABI=1
}

if _lt_main; then
  export LIBTORCH LIBTORCH_CXX11_ABI LD_LIBRARY_PATH
  echo "== peers: libtorch $_lt_torch_version at $LIBTORCH" >&2
  if [ "$_lt_print" = 1 ]; then
    printf 'export LIBTORCH=%q\nexport LIBTORCH_CXX11_ABI=1\nexport LD_LIBRARY_PATH=%q\n' \
      "$LIBTORCH" "$LD_LIBRARY_PATH"
  fi
else
  echo "libtorch.sh: could not set up libtorch $_lt_torch_version in $_lt_venv" >&2
  return 1 2>/dev/null || exit 1
fi
