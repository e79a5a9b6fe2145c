/* USER-MLIPEVAL: the per-atom rules of Liu, He & Mo (npj Comput. Mater. 9, 174, 2023).
   One implementation, used by compute re/atom and by its Kokkos variant. */
#ifndef MLIPEVAL_CORE_RE_RULES_H
#define MLIPEVAL_CORE_RE_RULES_H

#include "sites.h"

#include <vector>

namespace mlipeval {

struct ReParams {
  double migrate = 0.75;    // RE when d2 - d1 < migrate (Angstrom)
  double vacancy = 1.1;     // a site with no atom within this is vacant
  double near = 3.0;        // near-RE radius
};

struct AtomSite {
  int site;         // nearest site (0-based)
  double d1, d2;    // distances to the nearest and second-nearest sites
  int re;           // 1 when the atom is mid-hop between two sites
};

// Paper's rule: an atom is migrating when it is about as close to two sites.
MLIPEVAL_RULES_BEGIN
MLIPEVAL_INLINE int is_rare_event(double d1, double d2, double migrate)
{
  return d2 - d1 < migrate ? 1 : 0;
}

// Nearest two sites of an atom of type `type` at fractional position s (see to_frac), and its RE
// flag.  With sublattices the sites of its own type only; an atom of a type that has no sites has
// none (site -1, both distances 1e300: far from every site, never RE).
// where (optional): for unit-cell sites, the nearest site's slot in a rank's block (see tally_slot)
MLIPEVAL_INLINE AtomSite locate_atom(const SiteFinder &sites, const Box &b, const double s[3],
                                     double migrate, int type = 0, BlockSlot *where = nullptr)
{
  // the RE rule needs the second site's distance, not which site it is
  const Nearest2 n = nearest_two_sites(sites, b, s, type, where, SECOND_DISTANCE);
  AtomSite a;
  a.site = n.i1;
  // (the roots first, then the choice: no branch; r1sq = r2sq = 0 when there is no site)
  const double d1 = MLIPEVAL_MATH::sqrt(n.r1sq), d2 = MLIPEVAL_MATH::sqrt(n.r2sq);
  a.d1 = n.i1 >= 0 ? d1 : 1e300;
  a.d2 = n.i2 >= 0 ? d2 : 1e300;    // a single site: never RE
  a.re = is_rare_event(a.d1, a.d2, migrate);
  return a;
}

// The nearest site only, for a rank's ghost atoms, which count for sites and are never RE here:
// site and d1 as locate_atom() finds them (d2 = 1e300, not RE).
MLIPEVAL_INLINE AtomSite locate_nearest(const SiteFinder &sites, const Box &b, const double s[3], int type = 0,
                                        BlockSlot *where = nullptr)
{
  const Nearest2 n = nearest_site(sites, b, s, type, where);
  AtomSite a;
  a.site = n.i1;
  a.d1 = n.i1 >= 0 ? MLIPEVAL_MATH::sqrt(n.r1sq) : 1e300;
  a.d2 = 1e300;
  a.re = 0;
  return a;
}

// Distance from fractional position s to the nearest point of a (sparse) set; -1 when empty.
MLIPEVAL_INLINE double nearest_distance(const PointGridView &set, const Box &b, const double s[3],
                                        double r0)
{
  if (set.npoints == 0) return -1.0;
  double rsq;
  if (set.npoints <= FEW_POINTS && !set.windowed &&
      (b.orthogonal ? nearest_few_rsq<true>(set, b, s, rsq) : nearest_few_rsq<false>(set, b, s, rsq)))
    return MLIPEVAL_MATH::sqrt(rsq);
  return MLIPEVAL_MATH::sqrt(nearest(set, b, s, 1, r0).r1sq);
}
MLIPEVAL_RULES_END

// Per-site tallies.  ws: atoms whose nearest site it is (Wigner-Seitz occupancy);
// held: atoms within the vacancy radius.
struct SiteCounts {
  long vacancies = 0;       // sites with held == 0 (paper's rule)
  long ws_vacancies = 0;    // sites with ws == 0
  long ws_interstitials = 0;    // sum of max(ws - 1, 0)
};
}    // namespace mlipeval

#endif
