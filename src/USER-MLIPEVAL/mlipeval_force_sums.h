/* -*- c++ -*- ----------------------------------------------------------
   USER-MLIPEVAL: the running sums of fix force/reference and what LAMMPS reads of them.  Each
   rank adds its owned atoms to its own sums; all ranks' sums are made when output asks for them
   (once per evaluation): the global vector and array, the summary file, the restart.
------------------------------------------------------------------------- */

#ifndef LMP_MLIPEVAL_FORCE_SUMS_H
#define LMP_MLIPEVAL_FORCE_SUMS_H

#include "pointers.h"

#include "core/force_stats.h"

#include <cstdio>
#include <string>
#include <vector>

namespace LAMMPS_NS {

class MlipevalForceSums : protected Pointers {
 public:
  MlipevalForceSums(LAMMPS *lmp, const mlipeval::StatsConfig &cfg) : Pointers(lmp), mine(cfg), all(cfg), cfg(cfg) {}
  // s becomes the sum of every rank's s
  static void sum_over_ranks(mlipeval::SubsetStats &s, MPI_Comm comm);
  mlipeval::SubsetStats &local() { return mine; }
  // every rank's sums after `evals` evaluations
  const mlipeval::SubsetStats &summed(long evals);
  // the global vector (figures of each subset) and array (bin edges, then the CDFs)
  double vector(int n, long evals);
  double array(int row, int col, long evals);
  void write_summary(const std::string &file, long evals);
  // a warning (once, rank 0) for the subsets whose atoms have no force above fzero
  void warn_undefined(long evals);
  // restart: `head`, then every rank's sums, written by rank 0; read back, rank 0 holds them
  void write_restart(FILE *fp, std::vector<double> head, long evals);
  void restart(const double *sums);

 private:
  mlipeval::SubsetStats mine, all;
  mlipeval::StatsConfig cfg;
  long summed_at = -1;
};

}    // namespace LAMMPS_NS

#endif
