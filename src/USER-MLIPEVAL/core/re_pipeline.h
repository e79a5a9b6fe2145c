/* USER-MLIPEVAL: the one analysis pipeline of compute re/atom, shared by the plain style, its
   Kokkos variant and the core's own serial analysis.  Its host injects what differs:
   - ReComm, the communication between ranks (MPI in the styles, nothing in one process);
   - RePasses, the two per-atom passes (host loops, or Kokkos kernels on the device data).
   The pipeline holds this rank's per-site tallies (its own sites, and folded its block's halo:
   see site_tally.h), the vacancy and RE lists and their search sets, and decides the order:
   locate (owned atoms) -> fold the halo to its owners, or tally ghosts -> count the own sites ->
   one exchange: the counts to sum and the vacant and crowded sites and RE atoms to join
   (O(defects)) -> build the sets -> finish.
   The second pass is often not needed: the vacant sites and the RE atoms of one call are often
   those of the last (a vacancy sits for thousands of steps, RE atoms are rare when it is cold).  A host
   whose first pass can also finish each atom against the last call's sets (finishes_ahead) is
   given them, when the last call's sets were those of the call before (while RE atoms are about,
   their positions change every call: then it is not); when this call's sets turn out the same,
   the answers are already written and the second pass is left out.  Otherwise it runs as
   before, so the answers never depend on it. */
#ifndef MLIPEVAL_CORE_RE_PIPELINE_H
#define MLIPEVAL_CORE_RE_PIPELINE_H

#include "re_analysis.h"

#include <vector>

namespace mlipeval {

// The pipeline exchanges once per call: each rank's counts and lists, in one segment each; and,
// folded, the faces of each rank's block with its neighbours (FoldComm::shift).
struct ReComm : FoldComm {
  // every rank's values, concatenated in rank order
  virtual std::vector<double> gather(const std::vector<double> &mine) = 0;
};

// one process: nothing to exchange
struct SerialComm : ReComm {
  std::vector<double> gather(const std::vector<double> &mine) override { return mine; }
};

struct RePasses {
  // First pass over this rank's atoms (locate_and_tally): add to the tallies t (zeroed), append
  // the fractional positions of RE atoms to re_frac and their atom types to re_type, count RE
  // atoms and atoms farther than the vacancy radius from every site into counts[0] and counts[1].
  // guess: null, or (only when finishes_ahead()) the last call's sets: then also finish each
  // atom against them, as finish() would.
  virtual void locate(const SiteFinder &f, const Box &b, const TallyView &t, std::vector<double> &re_frac,
                      std::vector<int> &re_type, long counts[2], const FinishSets *guess) = 0;
  // whether locate() takes a guess (a host that does not is always given null)
  virtual bool finishes_ahead() const { return false; }
  // The ghost atoms' share of the tallies (tally_ghost), on a rank that does not own the whole
  // box and does not fold its tallies; g: where they lie (Subdomain::margin of it).
  virtual void ghosts(const SiteFinder &f, const Box &b, const TallyView &t, const GhostReach &g) = 0;
  // The tallies are complete: a device copy goes to t's host arrays here.
  virtual void tallied(const TallyView & /*t*/) {}
  // The sites counted; the crowded ones (two or more atoms by Wigner-Seitz, increasing), which a
  // device copy may take here.
  virtual void sites_counted(const std::vector<int> & /*crowded*/) {}
  // Second pass (finish_atom), with the vacancy and RE sets of the whole system.
  virtual void finish(const SparseView &vac, const SparseView &re, const Box &b) = 0;
  // Every row is complete (after finish(), or after locate() when its guess held): a device copy
  // may go to the host here.
  virtual void finished() {}

 protected:
  ~RePasses() = default;    // not deleted through this base (a LAMMPS compute may be one)
};

class RePipeline {
 public:
  // sub: this rank's part of the box (the default: all of it)
  void run(SiteSet &sites, const Box &b, const Subdomain &sub, RePasses &passes, ReComm &comm);
  // the tallies of this rank's sites, ahead of the first run (run() keeps them when sub is the same)
  void prepare(const SiteSet &sites, const Subdomain &sub, const Box &b) { tally.assign(sites, sub, b); }

  // the last run's results, the same on every rank
  const std::vector<int> &vacant() const { return vacant_sites; }
  // their positions, 3 each (box fractions in [0,1)): a rank keeps only some sites' positions
  const std::vector<double> &vacant_positions() const { return vacant_frac; }
  // with sublattices: the type of each vacant site (in the order of vacant()); else empty
  const std::vector<int> &vacant_types() const { return vacant_type; }
  const std::vector<int> &crowded() const { return crowded_sites; }    // increasing
  const std::vector<int> &crowded_types() const { return crowded_type; }    // sublattices only
  const SiteCounts &site_counts() const { return counts; }
  long n_re() const { return totals[0]; }
  long n_far() const { return totals[1]; }
  // owned atoms whose site lay outside their rank's folded block (moved farther than the drift
  // outside their subdomain since the last reneighboring): their counts are missing
  long lost() const { return lost_atoms; }
  // the tallies are folded (no ghost atoms are needed)
  bool folds() const { return tally.folds(); }
  // with sublattices (sites with types): the vacant sites (paper's rule) and the RE atoms of each
  // atom type, index = type (0 unused); empty without types
  const std::vector<long> &vacancies_by_type() const { return vac_by_type; }
  const std::vector<long> &re_by_type() const { return re_by_type_; }
  const std::vector<double> &re_positions() const { return re_all; }
  // compute re/atom's global vector (NGLOBAL values: RE atoms, vacancies by the paper's rule, far
  // atoms, Wigner-Seitz vacancies and interstitials, sites) and, with sublattices, its array (a row
  // per type: vacancies, RE atoms)
  enum { NGLOBAL = 6 };
  void global_counts(int nsites, double v[NGLOBAL], double **by_type) const;
  size_t bytes() const;

 private:
  void exchange(const Subdomain &sub, int ntypes, ReComm &comm);
  SiteTally tally;    // this rank's sites
  std::vector<int> vacant_sites, vacant_type, crowded_sites, crowded_type;
  std::vector<double> vacant_frac;
  SiteCounts counts;
  long totals[2] = {0, 0};
  long lost_atoms = 0;
  std::vector<double> re_local, re_all;
  std::vector<int> re_type_local;
  std::vector<long> vac_by_type, re_by_type_;
  SparseSet vac_set, re_set;
  // what vac_set and re_set were built from (compared with a call's new lists, O(defects))
  std::vector<double> set_vac, set_re;
  bool have_sets = false;
  bool sets_held = false;    // the last call's sets were those of the call before
  long second_passes = 0;

 public:
  long finish_passes() const { return second_passes; }    // second passes run so far (tests)
};

}    // namespace mlipeval

#endif
