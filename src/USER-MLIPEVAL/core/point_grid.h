/* USER-MLIPEVAL: periodic bin grid over points in fractional coordinates.
   Points are binned once in fractional space, so the grid follows box changes (NPT); the
   search extent is derived from the current box on every query, which keeps the nearest-image
   answers exact for any tilt.  build() runs on the host; the queries take a PointGridView,
   a plain struct of pointers, so they can run inside a Kokkos kernel unchanged. */
#ifndef MLIPEVAL_CORE_POINT_GRID_H
#define MLIPEVAL_CORE_POINT_GRID_H

#include "box.h"

#include <vector>

namespace mlipeval {

struct PointGridView {
  int nb[3];             // bins along each fractional axis
  int npoints;
  const int *start;      // CSR offsets, size nb[0]*nb[1]*nb[2]+1, x fastest
  const int *index;      // original point index of each sorted entry
  const double *s;       // sorted fractional coordinates, 3 per entry
};

class PointGrid {
 public:
  // frac: 3 values per point, each in [0,1).  Bins are about bin_width wide in this box.
  void build(const std::vector<double> &frac, const Box &box, double bin_width);
  PointGridView view() const;
  int size() const { return (int) index.size(); }
  size_t bytes() const { return (start.capacity() + index.capacity()) * sizeof(int) + s.capacity() * sizeof(double); }

 private:
  int nb[3] = {1, 1, 1};
  std::vector<int> start, index;
  std::vector<double> s;
};

// The nearest and second-nearest distinct points (by nearest image).  i = -1 when absent.
struct Nearest2 {
  int i1, i2;
  double r1sq, r2sq;
};

MLIPEVAL_RULES_BEGIN
MLIPEVAL_INLINE int floor_div(int a, int n) { return a >= 0 ? a / n : -((-a + n - 1) / n); }

// Scan every entry in the bins within k[d] bins of the query's bin, with periodic images.
// fn(point_index, rsq) is called once per scanned image.
template <class Fn>
MLIPEVAL_INLINE void scan_bins(const PointGridView &g, const Box &b, const double sp[3],
                               const int k[3], Fn &fn)
{
  int c[3];
  for (int d = 0; d < 3; ++d) {
    c[d] = (int) (sp[d] * g.nb[d]);
    if (c[d] >= g.nb[d]) c[d] = g.nb[d] - 1;
  }
  for (int oz = c[2] - k[2]; oz <= c[2] + k[2]; ++oz) {
    const int mz = floor_div(oz, g.nb[2]);
    const int iz = oz - mz * g.nb[2];
    for (int oy = c[1] - k[1]; oy <= c[1] + k[1]; ++oy) {
      const int my = floor_div(oy, g.nb[1]);
      const int iy = oy - my * g.nb[1];
      const int row = (iz * g.nb[1] + iy) * g.nb[0];
      // the x range splits into runs of consecutive bins that share one image shift,
      // and each run is one contiguous slice of the sorted entries
      const int lo = c[0] - k[0], hi = c[0] + k[0];
      for (int mx = floor_div(lo, g.nb[0]); mx <= floor_div(hi, g.nb[0]); ++mx) {
        const int a = (lo > mx * g.nb[0] ? lo : mx * g.nb[0]) - mx * g.nb[0];
        const int e = (hi < mx * g.nb[0] + g.nb[0] - 1 ? hi : mx * g.nb[0] + g.nb[0] - 1) - mx * g.nb[0];
        const double shift[3] = {(double) mx - sp[0], (double) my - sp[1], (double) mz - sp[2]};
        for (int p = g.start[row + a]; p < g.start[row + e + 1]; ++p) {
          const double ds[3] = {g.s[3 * p] + shift[0], g.s[3 * p + 1] + shift[1],
                                g.s[3 * p + 2] + shift[2]};
          double dx[3];
          frac_to_cart(b, ds, dx);
          fn(g.index[p], dx[0] * dx[0] + dx[1] * dx[1] + dx[2] * dx[2]);
        }
      }
    }
  }
}

// Bins needed along each axis so that a ball of radius r around any point is covered.
// Returns true when the search already spans the whole periodic cell on every axis.
MLIPEVAL_INLINE bool bins_for_radius(const PointGridView &g, const Box &b, double r, int k[3])
{
  bool all = true;
  for (int d = 0; d < 3; ++d) {
    k[d] = (int) MLIPEVAL_MATH::ceil(r / b.width[d] * g.nb[d]);
    if (k[d] < 1) k[d] = 1;
    if (k[d] >= g.nb[d]) k[d] = g.nb[d];
    else all = false;
  }
  return all;
}

// the nearest two of the points a scan offers (a helper of the rules, built with them)
struct Top2 {
  Nearest2 n;
  MLIPEVAL_INLINE void operator()(int i, double rsq)
  {
    if (i == n.i1) {    // another image of the current nearest point
      if (rsq < n.r1sq) n.r1sq = rsq;
      return;
    }
    if (i == n.i2) {
      if (rsq >= n.r2sq) return;
      n.i2 = -1;    // re-inserted below
    }
    // ties go to the lower index so that the answer does not depend on scan order
    if (n.i1 < 0 || rsq < n.r1sq || (rsq == n.r1sq && i < n.i1)) {
      n.i2 = n.i1;
      n.r2sq = n.r1sq;
      n.i1 = i;
      n.r1sq = rsq;
    } else if (n.i2 < 0 || rsq < n.r2sq || (rsq == n.r2sq && i < n.i2)) {
      n.i2 = i;
      n.r2sq = rsq;
    }
  }
};

// A set this small is searched point by point with the per-axis rounded image.  That image is
// the nearest one in an orthogonal box, and in any box when it is within half the narrowest
// width (then every fractional component is below 1/2).  Returns false when that is not proven.
MLIPEVAL_INLINE bool nearest_few(const PointGridView &g, const Box &b, const double sp[3], int want,
                                 Nearest2 &out)
{
  Top2 t;
  t.n.i1 = t.n.i2 = -1;
  t.n.r1sq = t.n.r2sq = 0.0;
  for (int p = 0; p < g.npoints; ++p) {
    double ds[3], dx[3];
    for (int d = 0; d < 3; ++d) {
      // both coordinates are in [0,1), so the rounded image shift is -1, 0 or 1
      ds[d] = g.s[3 * p + d] - sp[d];
      ds[d] -= (double) ((ds[d] >= 0.5) - (ds[d] < -0.5));
    }
    frac_to_cart(b, ds, dx);
    t(g.index[p], dx[0] * dx[0] + dx[1] * dx[1] + dx[2] * dx[2]);
  }
  const bool found = want == 1 ? t.n.i1 >= 0 : t.n.i2 >= 0;
  const double rw = want == 1 ? t.n.r1sq : t.n.r2sq;
  out = t.n;
  return found && (b.orthogonal || rw <= 0.25 * b.wmin * b.wmin);
}
MLIPEVAL_RULES_END

enum { FEW_POINTS = 32 };

// Nearest (want = 1) or nearest two (want = 2) points to the fractional position sp.
// r0 is the first search radius; it doubles until the answer is provably complete.
MLIPEVAL_RULES_BEGIN
MLIPEVAL_INLINE Nearest2 nearest(const PointGridView &g, const Box &b, const double sp[3],
                                 int want, double r0)
{
  if (g.npoints <= FEW_POINTS) {
    Nearest2 few;
    if (nearest_few(g, b, sp, want, few)) return few;
  }
  Top2 t;
  double r = r0;
  for (;;) {
    t.n.i1 = t.n.i2 = -1;
    t.n.r1sq = t.n.r2sq = 0.0;
    int k[3];
    const bool all = bins_for_radius(g, b, r, k);
    scan_bins(g, b, sp, k, t);
    const bool found = want == 1 ? t.n.i1 >= 0 : t.n.i2 >= 0;
    const double rw = want == 1 ? t.n.r1sq : t.n.r2sq;
    if ((found && rw <= r * r) || all) return t.n;
    r *= 2.0;
  }
}

// Call fn(point_index, rsq) for every point image within radius r of sp.
template <class Fn>
MLIPEVAL_INLINE void for_each_within(const PointGridView &g, const Box &b, const double sp[3],
                                     double r, Fn &fn)
{
  int k[3];
  bins_for_radius(g, b, r, k);
  const double rsq = r * r;
  auto keep = [&](int i, double dsq) {
    if (dsq < rsq) fn(i, dsq);
  };
  scan_bins(g, b, sp, k, keep);
}
MLIPEVAL_RULES_END

}    // namespace mlipeval

#endif
