/* -*- c++ -*- ----------------------------------------------------------
   USER-MLIPEVAL: compute interstitial/type
   Classifies each interstitial defect of a diamond lattice as split-<110>, tetrahedral,
   hexagonal or other, in situ, by matching its local cluster to templates (Kabsch RMSD).
------------------------------------------------------------------------- */

#ifndef LMP_MLIPEVAL_COMPUTE_INTERSTITIAL_TYPE_H
#define LMP_MLIPEVAL_COMPUTE_INTERSTITIAL_TYPE_H

#include "compute.h"
#include "mlipeval_once.h"

#include "core/box.h"
#include "core/interstitial.h"

#include <string>
#include <vector>

namespace LAMMPS_NS {

class ComputeInterstitialType : public Compute {
 public:
  ComputeInterstitialType(class LAMMPS *, int, char **);
  ~ComputeInterstitialType() override;
  void init() override;
  void setup() override { once.reset(); }
  void compute_peratom() override;
  void compute_vector() override;
  void compute_array() override;
  double memory_usage() override;

 protected:
  std::string re_id;
  class ComputeREAtom *cre;
  double tol, cutoff, separation;    // < 0: defaults set in init() from the lattice
  std::vector<std::pair<int, std::string>> files;    // user templates: type, file
  std::vector<mlipeval::DefectTemplate> templates;
  int nmax;
  double *codes;
  double counts[mlipeval::NDEFECT_TYPES];
  double **by_species = nullptr;    // sublattices: the counts of each species
  OncePerStep once;
  void analyse();
  // the per-atom parts, which the Kokkos style runs in kernels
  virtual void grow_codes();
  virtual std::vector<double> crowded_atoms(const mlipeval::Box &);
  virtual std::vector<double> atoms_near(const mlipeval::Box &, const std::vector<double> &mids);
  virtual void set_codes(const std::vector<std::pair<tagint, int>> &tag_types);
};

}    // namespace LAMMPS_NS

#endif
