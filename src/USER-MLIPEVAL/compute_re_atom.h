/* -*- c++ -*- ----------------------------------------------------------
   USER-MLIPEVAL: compute re/atom
   Rare-event (migrating) atoms, static sites and vacancies after Liu, He & Mo,
   npj Comput. Mater. 9, 174 (2023).
------------------------------------------------------------------------- */

#ifndef LMP_MLIPEVAL_COMPUTE_RE_ATOM_H
#define LMP_MLIPEVAL_COMPUTE_RE_ATOM_H

#include "compute.h"
#include "mlipeval_once.h"
#include "mlipeval_sites.h"

#include "core/re_analysis.h"
#include "core/re_pipeline.h"
#include "core/re_results.h"
#include "core/sites.h"

#include <string>
#include <vector>

namespace LAMMPS_NS {

class ComputeREAtom : public Compute, protected mlipeval::RePasses {
 public:
  ComputeREAtom(class LAMMPS *, int, char **);
  ~ComputeREAtom() override;
  void init() override;
  void setup() override;
  void compute_peratom() override;
  void compute_vector() override;
  void compute_array() override;
  double memory_usage() override;

  enum { NCOLS = mlipeval::RE_NCOLS, NGLOBAL = mlipeval::RePipeline::NGLOBAL };

  // for styles that build on the same sites and rules (fix vacancy/track, ...)
  const mlipeval::SiteSet &site_set() const { return sites; }
  const mlipeval::ReParams &parameters() const { return params; }
  const std::vector<int> &vacant_sites() const { return pipeline.vacant(); }    // of the last analysis
  const std::vector<double> &vacant_positions() const { return pipeline.vacant_positions(); }    // 3 each
  const std::vector<int> &vacant_types() const { return pipeline.vacant_types(); }    // sublattices only
  double site_spacing() const { return min_separation; }
  // sites holding two or more atoms by Wigner-Seitz in the last analysis (all ranks; increasing)
  const std::vector<int> &crowded_sites() const { return pipeline.crowded(); }
  const std::vector<int> &crowded_types() const { return pipeline.crowded_types(); }    // sublattices only
  mlipeval::Box current_box() const;
  long analyses() const { return once.runs(); }
  // the per-atom results of the last analysis, by name (owned atoms)
  mlipeval::ReResults<mlipeval::HostRows> results() const { return {{result}}; }

 protected:
  MlipevalSites site_def;    // the sites keyword
  mlipeval::ReParams params;

  mlipeval::SiteSet sites;
  double min_separation;
  bool vacancy_is_local;    // vacancy radius below half the site spacing: no site search
  double margin = 0.0;      // atoms count for sites this close to their rank's subdomain
  double kept = 0.0;        // several ranks: the sites searched lie this close to the subdomain

  int nmax;
  double **result;
  double counts[NGLOBAL];
  double **by_type;    // sublattices: vacancies and RE atoms of each atom type (global array)

  bool ready = false;    // init() has checked the sites against the group
  mlipeval::RePipeline pipeline;    // tallies, vacancy and RE lists of the last analysis

  OncePerStep once;
  void analyse_once(bigint &invoked);    // the analysis of this step, once, whoever asks
  // the per-atom storage and the two passes of the pipeline: host loops here, kernels in the
  // Kokkos style
  virtual void grow_result();
  mlipeval::Subdomain subdomain() const;
  void follow_subdomain();
  void locate(const mlipeval::SiteFinder &, const mlipeval::Box &, const mlipeval::TallyView &,
              std::vector<double> &re_frac, std::vector<int> &re_type, long counts[2],
              const mlipeval::FinishSets *guess) override;
  bool finishes_ahead() const override { return true; }
  void ghosts(const mlipeval::SiteFinder &, const mlipeval::Box &, const mlipeval::TallyView &,
              const mlipeval::GhostReach &g) override;
  void finish(const mlipeval::SparseView &vac, const mlipeval::SparseView &re, const mlipeval::Box &) override;
};

}    // namespace LAMMPS_NS

#endif
