/* -*- c++ -*- ----------------------------------------------------------
   USER-MLIPEVAL: a fix's global state in a restart file, as LAMMPS reads it back into
   Fix::restart(): the byte count, then the bytes (here doubles, packed by the core).
------------------------------------------------------------------------- */

#ifndef LMP_MLIPEVAL_RESTART_H
#define LMP_MLIPEVAL_RESTART_H

#include <cstdio>
#include <vector>

namespace LAMMPS_NS {

inline void mlipeval_write_restart(FILE *fp, const std::vector<double> &buf)
{
  const int size = (int) (buf.size() * sizeof(double));
  fwrite(&size, sizeof(int), 1, fp);
  fwrite(buf.data(), sizeof(double), buf.size(), fp);
}

}    // namespace LAMMPS_NS

#endif
