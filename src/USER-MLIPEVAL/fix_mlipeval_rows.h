/* -*- c++ -*- ----------------------------------------------------------
   USER-MLIPEVAL: the base of a fix with per-atom state, rows of `width` doubles per atom (as
   memory->grow makes them), and the one host implementation of its grow, copy, exchange and
   restart.  fix vacancy/track (start positions) and fix force/reference (reference forces)
   derive from it; their /kk variants move the same rows on the device (kokkos/mlipeval_kokkos.h).
------------------------------------------------------------------------- */

#ifndef LMP_FIX_MLIPEVAL_ROWS_H
#define LMP_FIX_MLIPEVAL_ROWS_H

#include "fix.h"

namespace LAMMPS_NS {

class FixMlipevalRows : public Fix {
 public:
  FixMlipevalRows(class LAMMPS *lmp, int narg, char **arg) : Fix(lmp, narg, arg) {}
  void grow_arrays(int) override;
  void copy_arrays(int, int, int) override;
  int pack_exchange(int, double *) override;
  int unpack_exchange(int, double *) override;
  int pack_restart(int, double *) override;
  void unpack_restart(int, int) override;
  int size_restart(int) override { return width + 1; }
  int maxsize_restart() override { return width + 1; }

 protected:
  // Keep the member *rows (width values per atom) with the atoms from now on: made and zeroed
  // for atom->nmax atoms; in restart files too when restart is set; the fix's per-atom output
  // when output is set.  Called in the constructor.
  void keep_rows(double ***rows, int width, const char *label, bool restart, bool output);
  // in the destructor: the callbacks go, and the rows (nullptr when a /kk fix took them over)
  void drop_rows();
  double rows_bytes() const;

 private:
  double ***slot = nullptr;
  int width = 0;
  const char *label = "";
  bool in_restart = false, output = false;
};

}    // namespace LAMMPS_NS

#endif
