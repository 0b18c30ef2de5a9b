//! File formats: extxyz, POSCAR/CONTCAR, XDATCAR, LAMMPS data (lands with the foundation issue; not yet usable).
