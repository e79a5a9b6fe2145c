/* USER-MLIPEVAL: the per-atom results of compute re/atom, by name.
   ReColumn is the documented column order of the per-atom array (c_ID[1] is RE_SITE).  The
   partner styles read a row through ReResults: on the host over LAMMPS's double **, in kernels
   over a Kokkos view, with the same named reads.  The site index comes out as a 0-based
   integer, -1 for an atom outside the compute's group. */
#ifndef MLIPEVAL_CORE_RE_RESULTS_H
#define MLIPEVAL_CORE_RE_RESULTS_H

#include "inline.h"
#include "re_analysis.h"

namespace mlipeval {

enum ReColumn : int {
  RE_SITE = 0,      // nearest site, 1-based (0: not in the group)
  RE_D1,            // distance to it
  RE_MARGIN,        // d2 - d1
  RE_FLAG,          // 1 for a rare-event atom
  RE_R_VACANCY,     // distance to the nearest vacant site
  RE_R_RE,          // distance to the nearest RE atom
  RE_NEAR,          // 1 within `near` of an RE atom
  RE_NCOLS
};

MLIPEVAL_RULES_BEGIN
// LAMMPS's row-major per-atom array as rows(i, c), like a Kokkos view
struct HostRows {
  double *const *p;
  MLIPEVAL_INLINE double &operator()(int i, int c) const { return p[i][c]; }
};

// compute re/atom's own writes and reads of a row: the first pass, then the second
template <class Rows> MLIPEVAL_INLINE void clear_row(const Rows &rows, int i)
{
  for (int c = 0; c < RE_NCOLS; ++c) rows(i, c) = 0.0;
}
template <class Rows> MLIPEVAL_INLINE void store_site(const Rows &rows, int i, const AtomSite &a)
{
  rows(i, RE_SITE) = a.site + 1;
  rows(i, RE_D1) = a.d1;
  rows(i, RE_MARGIN) = a.d2 - a.d1;
  rows(i, RE_FLAG) = a.re;
}
template <class Rows> MLIPEVAL_INLINE AtomSite stored_site(const Rows &rows, int i)
{
  return {(int) rows(i, RE_SITE) - 1, rows(i, RE_D1), rows(i, RE_D1) + rows(i, RE_MARGIN), (int) rows(i, RE_FLAG)};
}
template <class Rows> MLIPEVAL_INLINE void store_result(const Rows &rows, int i, const AtomResult &r)
{
  rows(i, RE_R_VACANCY) = r.r_vac;
  rows(i, RE_R_RE) = r.r_re;
  rows(i, RE_NEAR) = r.near_re;
}

template <class Rows> struct ReResults {
  Rows rows;
  MLIPEVAL_INLINE int site(int i) const { return (int) rows(i, RE_SITE) - 1; }
  MLIPEVAL_INLINE double d1(int i) const { return rows(i, RE_D1); }
  MLIPEVAL_INLINE double margin(int i) const { return rows(i, RE_MARGIN); }    // d2 - d1
  MLIPEVAL_INLINE int re(int i) const { return rows(i, RE_FLAG) != 0.0; }
  MLIPEVAL_INLINE double r_vacancy(int i) const { return rows(i, RE_R_VACANCY); }
  MLIPEVAL_INLINE int near_re(int i) const { return rows(i, RE_NEAR) != 0.0; }
};
MLIPEVAL_RULES_END

}    // namespace mlipeval

#endif
