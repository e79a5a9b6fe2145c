/* -*- c++ -*- ----------------------------------------------------------
   USER-MLIPEVAL: compute re/atom
   Rare-event (migrating) atoms, static sites and vacancies after Liu, He & Mo,
   npj Comput. Mater. 9, 174 (2023).
------------------------------------------------------------------------- */

#ifndef LMP_MLIPEVAL_COMPUTE_RE_ATOM_H
#define LMP_MLIPEVAL_COMPUTE_RE_ATOM_H

#include "compute.h"
#include "mlipeval_once.h"

#include "core/re_analysis.h"
#include "core/re_results.h"
#include "core/sites.h"

#include <string>
#include <vector>

namespace LAMMPS_NS {

class ComputeREAtom : public Compute {
 public:
  ComputeREAtom(class LAMMPS *, int, char **);
  ~ComputeREAtom() override;
  void init() override;
  void setup() override;
  void compute_peratom() override;
  void compute_vector() override;
  double memory_usage() override;

  enum { NCOLS = mlipeval::RE_NCOLS, NGLOBAL = 6 };

  // for styles that build on the same sites and rules (fix vacancy/track, ...)
  const mlipeval::SiteSet &site_set() const { return sites; }
  const mlipeval::ReParams &parameters() const { return params; }
  const std::vector<int> &vacant_sites() const { return vacant; }    // of the last analysis
  double site_spacing() const { return min_separation; }
  // Wigner-Seitz occupancy of each site in the last analysis, summed over all ranks
  const int *ws_occupancy() const { return tally.data(); }
  mlipeval::Box current_box() const;
  long analyses() const { return once.runs(); }
  // the per-atom results of the last analysis, by name (owned atoms)
  mlipeval::ReResults<mlipeval::HostRows> results() const { return {{result}}; }

 protected:
  enum SiteMode { CELL, LATTICE, FILE };
  int site_mode;
  std::string cell_style, site_file;
  int ncell[3];
  mlipeval::ReParams params;

  mlipeval::SiteSet sites;
  double min_separation;
  bool vacancy_is_local;    // vacancy radius below half the site spacing: no site search

  int nmax;
  double **result;
  double counts[NGLOBAL];

  std::vector<int> tally;    // per site: Wigner-Seitz occupancy, then atoms within `vacancy`
  std::vector<double> frac_local;    // fractional position of each owned atom, this call
  std::vector<double> re_local, re_all;
  std::vector<int> vacant;
  mlipeval::SparseSet vac_set, re_set;    // the vacant sites and RE atoms of this call

  void parse_sites(int, char **, int &);
  std::vector<double> site_positions();
  std::vector<double> lattice_sites();
  std::vector<double> file_sites();
  OncePerStep once;
  virtual void analyse();    // the Kokkos style runs its per-atom passes as kernels
  void set_counts(const bigint global[2], const mlipeval::SiteCounts &);
};

}    // namespace LAMMPS_NS

#endif
