/* USER-MLIPEVAL: the phases of the rare-event / vacancy analysis.
   compute re/atom runs them with MPI reductions in between; analyse_serial() chains them for
   one process (unit tests, tools). */
#ifndef MLIPEVAL_CORE_RE_ANALYSIS_H
#define MLIPEVAL_CORE_RE_ANALYSIS_H

#include "re_rules.h"
#include "site_tally.h"
#include "sites.h"

#include <vector>

namespace mlipeval {

// Tallies are bumped through an "add" functor: a plain increment on the host, an atomic one in
// a Kokkos kernel on more than one thread, so that both run this same code.
struct PlainAdd {
  MLIPEVAL_INLINE void operator()(int *p) const { ++*p; }
};

// A search structure over a small point set, as the per-atom functions take it.
struct SparseView {
  PointGridView grid;
  double r0;
};

struct AtomResult {
  AtomSite site;
  double r_vac;    // distance to the nearest vacant site, -1 when there is none
  double r_re;     // distance to the nearest RE atom, 0 for RE atoms, -1 when there is none
  int near_re;     // within `near` of an RE atom, RE atoms excluded
};

// The sets the second pass finishes the atoms against (finish_atom).
struct FinishSets {
  SparseView vac, re;
};

// Second pass of one atom (after the vacancy and RE lists are complete): distances to the
// nearest vacancy and RE atom, and the near-RE flag, for a located atom at fractional position s.
MLIPEVAL_RULES_BEGIN
// (r_vac, r_re: the distances to the sets, r_re not used for an RE atom)
MLIPEVAL_INLINE AtomResult finish_result(const AtomSite &a, double r_vac, double r_re, double near)
{
  AtomResult r;
  r.site = a;
  r.r_vac = r_vac;
  r.r_re = a.re ? 0.0 : r_re;
  r.near_re = !a.re && r.r_re >= 0.0 && r.r_re < near;
  return r;
}

MLIPEVAL_INLINE AtomResult finish_atom(const AtomSite &a, const double s[3], const SparseView &vac,
                                       const SparseView &re, const Box &b, double near)
{
  return finish_result(a, nearest_distance(vac.grid, b, s, vac.r0), a.re ? 0.0 : nearest_distance(re.grid, b, s, re.r0),
                       near);
}

// First pass of one owned atom of type `type`: its fractional position s (wrapped), its nearest
// two sites and RE flag, and its share of this rank's per-site tallies.
// guess (optional): the last call's sets; then r is the atom's result against them, as
// finish_atom gives it.  Their distances come first: they need only s, and so the CPU works on
// them while the site search waits on its loads (a driver of this pass took 10 % less time than
// with them after the search).
template <class Add>
MLIPEVAL_INLINE AtomSite locate_and_tally(const SiteFinder &f, const Box &b, const double x[3], int type,
                                          const ReParams &p, int vacancy_is_local, const TallyView &t,
                                          const Add &add, double s[3], const FinishSets *guess = nullptr,
                                          AtomResult *r = nullptr)
{
  double su[3];
  to_frac_unwrapped(b, x, su);
  const bool in_box = wrap01_in_box(su, s);
  double r_vac = 0.0, r_re = 0.0;
  if (guess) {
    r_vac = nearest_distance(guess->vac.grid, b, s, guess->vac.r0);
    r_re = nearest_distance(guess->re.grid, b, s, guess->re.r0);
  }
  BlockSlot where, *w = nullptr;    // the nearest site's slot, when tally_slot needs it
  if (f.use_cells && !t.sub.whole) {    // (only then: one rank pays nothing for it)
    where = block_of(t);
    w = &where;
  }
  const AtomSite a = locate_atom(f, b, s, p.migrate, type, w);
  tally_atom(f, b, s, su, a, p, vacancy_is_local, t, add, type, in_box ? w : nullptr);
  if (guess) *r = finish_result(a, r_vac, r_re, p.near);
  return a;
}

// A ghost atom's share of this rank's tallies (ranks that do not own the whole box): nothing
// unless it lies within reach (GhostReach, of Subdomain::margin) of the subdomain.
template <class Add>
MLIPEVAL_INLINE void tally_ghost(const SiteFinder &f, const Box &b, const double x[3], int type, const ReParams &p,
                                 int vacancy_is_local, const TallyView &t, const GhostReach &g, const Add &add)
{
  if (!in_ghost_box(g, x)) return;    // most ghosts: no fractional position needed
  double su[3], s[3];
  to_frac_unwrapped(b, x, su);
  if (!near_subdomain(t.sub, g.reach, su)) return;
  const bool in_box = wrap01_in_box(su, s);
  BlockSlot where = block_of(t);
  BlockSlot *w = f.use_cells ? &where : nullptr;
  tally_atom(f, b, s, su, locate_nearest(f, b, s, type, w), p, vacancy_is_local, t, add, type, in_box ? w : nullptr);
}
MLIPEVAL_RULES_END

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

struct Analysis {
  std::vector<AtomResult> atoms;
  SiteCounts counts;
  long n_re = 0;
  long n_far = 0;    // atoms farther than the vacancy radius from every site
  std::vector<int> vacant_sites;
  std::vector<long> vacancies_by_type, re_by_type;    // sublattices: index = type
};

// x: 3 Cartesian values per atom; type: the atom type of each (empty: all 0, for sites without
// types).  (The steps the compute spreads over MPI ranks.)
Analysis analyse_serial(SiteSet &sites, double min_separation, const Box &b,
                        const std::vector<double> &x, const ReParams &p,
                        const std::vector<int> &type = std::vector<int>());

}    // namespace mlipeval

#endif
