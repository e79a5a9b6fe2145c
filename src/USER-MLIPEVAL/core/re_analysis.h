/* USER-MLIPEVAL: the phases of the rare-event / vacancy analysis.
   compute re/atom runs them with MPI reductions in between; analyse_serial() chains them for
   one process (unit tests, tools). */
#ifndef MLIPEVAL_CORE_RE_ANALYSIS_H
#define MLIPEVAL_CORE_RE_ANALYSIS_H

#include "re_rules.h"
#include "sites.h"

#include <vector>

namespace mlipeval {

// Add one located atom to the per-site tallies.  When the vacancy radius is below half the
// smallest site separation an atom can only hold its own nearest site, so no search is needed.
inline void tally_atom(const AtomSite &a, const double s[3], const SiteSet &sites, const Box &b,
                       double vacancy, bool vacancy_is_local, int *ws, int *held)
{
  ws[a.site]++;
  if (vacancy_is_local) {
    if (a.d1 < vacancy) held[a.site]++;
    return;
  }
  auto hold = [held](int site, double) { held[site]++; };
  for_each_within(sites.view(), b, s, vacancy, hold);
}

// A small point set (vacant sites, RE atoms) searched for the nearest member.
class SparseSet {
 public:
  void build(const std::vector<double> &frac, const Box &b);
  PointGridView view() const { return grid.view(); }
  double search_radius() const { return r0; }

 private:
  PointGrid grid;
  double r0 = 1.0;
};

struct AtomResult {
  AtomSite site;
  double r_vac;    // distance to the nearest vacant site, -1 when there is none
  double r_re;     // distance to the nearest RE atom, 0 for RE atoms, -1 when there is none
  int near_re;     // within `near` of an RE atom, RE atoms excluded
};

// Distances to the nearest vacancy and RE atom, and the near-RE flag, for a located atom at
// fractional position s.
inline void finish_atom(AtomResult &r, const double s[3], const SparseSet &vac,
                        const SparseSet &re, const Box &b, double near)
{
  r.r_vac = nearest_distance(vac.view(), b, s, vac.search_radius());
  r.r_re = r.site.re ? 0.0 : nearest_distance(re.view(), b, s, re.search_radius());
  r.near_re = !r.site.re && r.r_re >= 0.0 && r.r_re < near;
}

struct Analysis {
  std::vector<AtomResult> atoms;
  SiteCounts counts;
  long n_re = 0;
  long n_far = 0;    // atoms farther than the vacancy radius from every site
  std::vector<int> vacant_sites;
};

// x: 3 Cartesian values per atom.  (The steps the compute spreads over MPI ranks.)
Analysis analyse_serial(SiteSet &sites, double min_separation, const Box &b,
                        const std::vector<double> &x, const ReParams &p);

}    // namespace mlipeval

#endif
