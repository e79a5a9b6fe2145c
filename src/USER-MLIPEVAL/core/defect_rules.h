/* USER-MLIPEVAL: the per-atom rule of compute interstitial/type (and its Kokkos variant):
   which defect centres an atom is near, and its offset from each. */
#ifndef MLIPEVAL_CORE_DEFECT_RULES_H
#define MLIPEVAL_CORE_DEFECT_RULES_H

#include "re_analysis.h"

namespace mlipeval {

// Cartesian offset dx of fractional position f from a defect centre mid, by the rounded image,
// which is the nearest one because the cutoff is below half the narrowest box width.  True
// when the offset is shorter than the cutoff (cutsq = cutoff^2).
MLIPEVAL_RULES_BEGIN
MLIPEVAL_INLINE bool offset_within(const Box &b, const double f[3], const double mid[3], double cutsq, double dx[3])
{
  double ds[3];
  for (int d = 0; d < 3; ++d) {
    ds[d] = f[d] - mid[d];
    ds[d] -= MLIPEVAL_MATH::floor(ds[d] + 0.5);
  }
  frac_to_cart(b, ds, dx);
  return dx[0] * dx[0] + dx[1] * dx[1] + dx[2] * dx[2] < cutsq;
}

// Call fn(k, dx) for every defect centre k (fractional, 3 per centre) within the cutoff of the
// atom at f: centre by centre when they are few, else through their grid `centres`.
template <class Fn>
MLIPEVAL_INLINE void for_each_centre(const SparseView &centres, const double *mids, int ncentres, const Box &b,
                                     const double f[3], double cutoff, Fn &fn)
{
  const double cutsq = cutoff * cutoff;
  auto near = [&](int k, double) {
    double dx[3];
    if (offset_within(b, f, mids + 3 * k, cutsq, dx)) fn(k, dx);
  };
  if (ncentres <= FEW_POINTS) {
    for (int k = 0; k < ncentres; ++k) near(k, 0.0);
  } else {
    for_each_within(centres.grid, b, f, cutoff, near);
  }
}
MLIPEVAL_RULES_END

}    // namespace mlipeval

#endif
