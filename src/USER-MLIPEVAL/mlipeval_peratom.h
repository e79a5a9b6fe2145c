/* -*- c++ -*- ----------------------------------------------------------
   USER-MLIPEVAL: the per-atom state of a fix (rows of `width` doubles, as memory->grow makes
   them) in LAMMPS's host copy, exchange and restart: the one implementation the plain fixes
   forward to.  The /kk fixes move the same state on the device (kokkos/mlipeval_kokkos.h).
------------------------------------------------------------------------- */

#ifndef LMP_MLIPEVAL_PERATOM_H
#define LMP_MLIPEVAL_PERATOM_H

#include <algorithm>

namespace LAMMPS_NS {
namespace mlipeval_peratom {

inline void copy(double **rows, int width, int i, int j)
{
  std::copy_n(rows[i], width, rows[j]);
}

inline int pack(double *const *rows, int width, int i, double *buf)
{
  std::copy_n(rows[i], width, buf);
  return width;
}

inline int unpack(double **rows, int width, int i, const double *buf)
{
  std::copy_n(buf, width, rows[i]);
  return width;
}

// restart: the count of values (width + 1) first, as LAMMPS lays out per-atom restart data
inline int pack_restart(double *const *rows, int width, int i, double *buf)
{
  buf[0] = width + 1;
  std::copy_n(rows[i], width, buf + 1);
  return width + 1;
}

// the nth fix's values of atom nlocal in atom->extra (extra)
inline void unpack_restart(double **rows, int width, double **extra, int nlocal, int nth)
{
  int m = 0;
  for (int k = 0; k < nth; ++k) m += (int) extra[nlocal][m];
  std::copy_n(&extra[nlocal][m + 1], width, rows[nlocal]);
}

}    // namespace mlipeval_peratom
}    // namespace LAMMPS_NS

#endif
