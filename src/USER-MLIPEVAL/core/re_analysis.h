/* USER-MLIPEVAL: the phases of the rare-event / vacancy analysis.
   compute re/atom runs them with MPI reductions in between; analyse_serial() chains them for
   one process (unit tests, tools). */
#ifndef MLIPEVAL_CORE_RE_ANALYSIS_H
#define MLIPEVAL_CORE_RE_ANALYSIS_H

#include "re_rules.h"
#include "sites.h"

#include <vector>

namespace mlipeval {

// Tallies are bumped through an "add" functor: a plain increment on the host, a ScatterView
// contribution in a Kokkos kernel, so that both run this same code.
struct PlainAdd {
  MLIPEVAL_INLINE void operator()(int *p) const { ++*p; }
};

// First pass of one atom: its fractional position s, its nearest two sites and RE flag, and its
// contribution to the per-site tallies.  When the vacancy radius is below half the smallest site
// separation an atom can only hold its own nearest site, so no search is needed.
MLIPEVAL_RULES_BEGIN
template <class Add>
MLIPEVAL_INLINE AtomSite locate_and_tally(const SiteFinder &f, const Box &b, const double x[3],
                                          const ReParams &p, int vacancy_is_local, int *ws,
                                          int *held, const Add &add, double s[3])
{
  to_frac(b, x, s);
  const AtomSite a = locate_atom(f, b, s, p.migrate);
  add(ws + a.site);
  if (vacancy_is_local) {
    if (a.d1 < p.vacancy) add(held + a.site);
  } else {
    auto hold = [held, &add](int site, double) { add(held + site); };
    for_each_within(f.grid, b, s, p.vacancy, hold);
  }
  return a;
}
MLIPEVAL_RULES_END

// A search structure over a small point set, as the per-atom functions take it.
struct SparseView {
  PointGridView grid;
  double r0;
};

// A small point set (vacant sites, RE atoms) searched for the nearest member.
class SparseSet {
 public:
  void build(const std::vector<double> &frac, const Box &b);
  SparseView sparse_view() const { return {grid.view(), r0}; }
  size_t bytes() const { return grid.bytes(); }

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

// Second pass of one atom (after the vacancy and RE lists are complete): distances to the
// nearest vacancy and RE atom, and the near-RE flag, for a located atom at fractional position s.
MLIPEVAL_RULES_BEGIN
MLIPEVAL_INLINE AtomResult finish_atom(const AtomSite &a, const double s[3], const SparseView &vac,
                                       const SparseView &re, const Box &b, double near)
{
  AtomResult r;
  r.site = a;
  r.r_vac = nearest_distance(vac.grid, b, s, vac.r0);
  r.r_re = a.re ? 0.0 : nearest_distance(re.grid, b, s, re.r0);
  r.near_re = !a.re && r.r_re >= 0.0 && r.r_re < near;
  return r;
}
MLIPEVAL_RULES_END

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
