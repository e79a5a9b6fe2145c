/* ----------------------------------------------------------------------
   USER-MLIPEVAL: per-atom rows of a fix (host grow, copy, exchange, restart)
------------------------------------------------------------------------- */

#include "fix_mlipeval_rows.h"

#include "atom.h"
#include "memory.h"

#include <algorithm>

using namespace LAMMPS_NS;

void FixMlipevalRows::keep_rows(double ***rows, int w, const char *name, bool restart, bool out)
{
  slot = rows;
  width = w;
  label = name;
  in_restart = restart;
  output = out;
  restart_peratom = restart ? 1 : 0;
  FixMlipevalRows::grow_arrays(atom->nmax);
  for (int i = 0; i < atom->nmax; ++i) std::fill_n((*slot)[i], width, 0.0);
  atom->add_callback(Atom::GROW);
  if (restart) atom->add_callback(Atom::RESTART);
}

void FixMlipevalRows::drop_rows()
{
  atom->delete_callback(id, Atom::GROW);
  if (in_restart) atom->delete_callback(id, Atom::RESTART);
  memory->destroy(*slot);
}

double FixMlipevalRows::rows_bytes() const
{
  return (double) atom->nmax * width * sizeof(double);
}

void FixMlipevalRows::grow_arrays(int nmax)
{
  memory->grow(*slot, nmax, width, label);
  if (output) array_atom = *slot;
}

void FixMlipevalRows::copy_arrays(int i, int j, int /*delflag*/)
{
  std::copy_n((*slot)[i], width, (*slot)[j]);
}

int FixMlipevalRows::pack_exchange(int i, double *buf)
{
  std::copy_n((*slot)[i], width, buf);
  return width;
}

int FixMlipevalRows::unpack_exchange(int nlocal, double *buf)
{
  std::copy_n(buf, width, (*slot)[nlocal]);
  return width;
}

// restart: the count of values (width + 1) first, as LAMMPS lays out per-atom restart data
int FixMlipevalRows::pack_restart(int i, double *buf)
{
  buf[0] = width + 1;
  std::copy_n((*slot)[i], width, buf + 1);
  return width + 1;
}

// this fix's values of atom nlocal: the nth block of atom->extra
void FixMlipevalRows::unpack_restart(int nlocal, int nth)
{
  double **extra = atom->extra;
  int m = 0;
  for (int k = 0; k < nth; ++k) m += (int) extra[nlocal][m];
  std::copy_n(&extra[nlocal][m + 1], width, (*slot)[nlocal]);
}
