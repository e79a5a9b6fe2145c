/* -*- c++ -*- ----------------------------------------------------------
   USER-MLIPEVAL: compute force/error
   Per-atom force errors of the current step against fix force/reference, and the step's
   figures (NAC, P, fractions, RMSE, MAE) for RE, near-RE, other and all atoms.
------------------------------------------------------------------------- */

#ifndef LMP_MLIPEVAL_COMPUTE_FORCE_ERROR_H
#define LMP_MLIPEVAL_COMPUTE_FORCE_ERROR_H

#include "compute.h"

#include <string>

namespace LAMMPS_NS {

class ComputeForceError : public Compute {
 public:
  ComputeForceError(class LAMMPS *, int, char **);
  ~ComputeForceError() override;
  void init() override;
  void compute_peratom() override;
  void compute_vector() override;
  double memory_usage() override;

 protected:
  std::string fix_id;
  class FixForceReference *fix;
  int nmax;
  double **errors;
  double *figures;
  void check_step();
};

}    // namespace LAMMPS_NS

#endif
