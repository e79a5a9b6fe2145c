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

// What a grid covers along each axis: the whole periodic box (open = 0), or only the window
// [lo, lo + span) of unwrapped box fractions, span < 1, with no periodic images (open = 1): the
// sites one rank keeps around its part of the box.  A window's points are binned at their image
// inside it and a query at its image nearest to it; distances are taken from the wrapped
// coordinates and whole image shifts, as on a periodic axis, so that they are the same numbers.
struct GridWindow {
  int open[3] = {0, 0, 0};
  double lo[3] = {0.0, 0.0, 0.0}, span[3] = {1.0, 1.0, 1.0};
};

struct PointGridView {
  int nb[3];             // bins along each axis (of the box, or of the window)
  int npoints;
  const int *start;      // CSR offsets, size nb[0]*nb[1]*nb[2]+1, x fastest
  const int *index;      // point index of each sorted entry (its id, when ids were given)
  const double *s;       // sorted fractional coordinates, 3 per entry, in [0,1)
  GridWindow w;
  int windowed;          // some axis is open
  const signed char *im;    // windowed: the image of each entry inside the window (s + im, im in -1 .. 1), 3 per entry
  const int *type;       // the atom type of each entry's sublattice, or null when the points have none
};

// Whether window w holds a point at box fractions s (in [0,1)).
bool window_holds(const GridWindow &w, const double s[3]);
// Whether window `held` holds all of window `want`.
bool window_covers(const GridWindow &held, const GridWindow &want);

class PointGrid {
 public:
  // frac: 3 values per point, each in [0,1).  Bins are about bin_width wide in this box.
  // ids (optional): the index a search reports for each point; w: the part of the box covered
  // (every point must lie in it); types (optional): each point's type, which a search may ask for.
  void build(const std::vector<double> &frac, const Box &box, double bin_width, const int *ids = nullptr,
             const GridWindow &w = GridWindow(), const int *types = nullptr);
  PointGridView view() const;
  int size() const { return (int) index.size(); }
  size_t bytes() const
  {
    return (start.capacity() + index.capacity() + type.capacity()) * sizeof(int) + im.capacity() +
        s.capacity() * sizeof(double);
  }

 private:
  int nb[3] = {1, 1, 1};
  GridWindow win;
  std::vector<int> start, index, type;
  std::vector<signed char> im;
  std::vector<double> s;
};

// The nearest and second-nearest distinct points (by nearest image).  i = -1 when absent.
struct Nearest2 {
  int i1, i2;
  double r1sq, r2sq;
};

MLIPEVAL_RULES_BEGIN
MLIPEVAL_INLINE int floor_div(int a, int n) { return a >= 0 ? a / n : -((-a + n - 1) / n); }

// The coordinate along axis d of the image of s (in [0,1)) that a window holds, or the image
// nearest to the window when none does; s itself on a periodic axis.
MLIPEVAL_INLINE double window_image(const GridWindow &w, int d, double s)
{
  if (!w.open[d]) return s;
  double u = s - MLIPEVAL_MATH::floor(s - w.lo[d]);    // in [lo, lo + 1)
  if (u >= w.lo[d] + w.span[d] && w.lo[d] - (u - 1.0) < u - (w.lo[d] + w.span[d])) u -= 1.0;
  return u;
}

// The bin along axis d of a coordinate in window (or box) fractions, clamped to the grid.
MLIPEVAL_INLINE int grid_bin(const PointGridView &g, int d, double u)
{
  if (!g.w.open[d]) {    // a periodic axis (every axis of most grids): u is in [0,1)
    const int c = (int) (u * g.nb[d]);
    return c >= g.nb[d] ? g.nb[d] - 1 : c;
  }
  const double t = (u - g.w.lo[d]) / g.w.span[d] * g.nb[d];
  if (!(t >= 0.0)) return 0;
  return t >= g.nb[d] ? g.nb[d] - 1 : (int) t;
}

// Scan every entry in the bins within k[d] bins of the query's bin, with periodic images along
// the periodic axes.  fn(point_index, rsq) is called once per scanned image.  want: only entries
// of this type (0: all; a grid without types has all entries of every type).
template <class Fn>
MLIPEVAL_INLINE void scan_bins(const PointGridView &g, const Box &b, const double sp[3],
                               const int k[3], Fn &fn, int want = 0)
{
  const int *type = want ? g.type : nullptr;
  int c[3], lo[3], hi[3], mq[3];
  for (int d = 0; d < 3; ++d) {
    const double q = window_image(g.w, d, sp[d]);
    mq[d] = g.w.open[d] ? (int) MLIPEVAL_MATH::floor(q + 0.5 - sp[d]) : 0;    // the query's image: q = sp + mq
    c[d] = grid_bin(g, d, q);
    lo[d] = c[d] - k[d];
    hi[d] = c[d] + k[d];
    if (g.w.open[d]) {    // no images: the bins of the window only
      if (lo[d] < 0) lo[d] = 0;
      if (hi[d] > g.nb[d] - 1) hi[d] = g.nb[d] - 1;
    }
  }
  for (int oz = lo[2]; oz <= hi[2]; ++oz) {
    const int mz = floor_div(oz, g.nb[2]);
    const int iz = oz - mz * g.nb[2];
    for (int oy = lo[1]; oy <= hi[1]; ++oy) {
      const int my = floor_div(oy, g.nb[1]);
      const int iy = oy - my * g.nb[1];
      const int row = (iz * g.nb[1] + iy) * g.nb[0];
      // the x range splits into runs of consecutive bins that share one image shift,
      // and each run is one contiguous slice of the sorted entries
      for (int mx = floor_div(lo[0], g.nb[0]); mx <= floor_div(hi[0], g.nb[0]); ++mx) {
        const int a = (lo[0] > mx * g.nb[0] ? lo[0] : mx * g.nb[0]) - mx * g.nb[0];
        const int e = (hi[0] < mx * g.nb[0] + g.nb[0] - 1 ? hi[0] : mx * g.nb[0] + g.nb[0] - 1) - mx * g.nb[0];
        const double shift[3] = {(double) mx - sp[0], (double) my - sp[1], (double) mz - sp[2]};
        for (int p = g.start[row + a]; p < g.start[row + e + 1]; ++p) {
          if (type && type[p] != want) continue;
          double ds[3];
          if (!g.windowed) {
            for (int d = 0; d < 3; ++d) ds[d] = g.s[3 * p + d] + shift[d];
          } else {    // an open axis: the entry's image in the window relative to the query's
            for (int d = 0; d < 3; ++d)
              ds[d] = g.s[3 * p + d] + (g.w.open[d] ? (double) (g.im[3 * p + d] - mq[d]) - sp[d] : shift[d]);
          }
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
    k[d] = (int) MLIPEVAL_MATH::ceil(r / (b.width[d] * g.w.span[d]) * g.nb[d]);
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

// The squared distance from sp to point p of a small set at the per-axis rounded image (both in
// [0,1), so the shift is -1, 0 or 1).  Ortho: the box has no tilt, so three products, and only
// the image's length along each axis counts, min(|ds|, 1 - |ds|): the same number as |ds - 1|
// or |ds + 1| when that image is the other one (both differences are exact there); else the
// products of frac_to_cart.  The same values either way.
template <bool Ortho>
MLIPEVAL_INLINE double few_rsq(const PointGridView &g, const Box &b, const double sp[3], int p)
{
  double ds[3];
  for (int d = 0; d < 3; ++d) {
    ds[d] = g.s[3 * p + d] - sp[d];
    if (Ortho) {
      const double a = MLIPEVAL_MATH::fabs(ds[d]), other = 1.0 - a;
      ds[d] = other < a ? other : a;
    } else {
      ds[d] -= (double) ((ds[d] >= 0.5) - (ds[d] < -0.5));
    }
  }
  const double x = Ortho ? b.xx * ds[0] : b.xx * ds[0] + b.xy * ds[1] + b.xz * ds[2];
  const double y = Ortho ? b.yy * ds[1] : b.yy * ds[1] + b.yz * ds[2];
  const double z = b.zz * ds[2];
  return x * x + y * y + z * z;
}

// A set this small is searched point by point with the per-axis rounded image.  That image is
// the nearest one in an orthogonal box, and in any box when it is within half the narrowest
// width (then every fractional component is below 1/2).  Returns false when that is not proven.
MLIPEVAL_INLINE bool nearest_few(const PointGridView &g, const Box &b, const double sp[3], int want,
                                 Nearest2 &out, int type = 0)
{
  Top2 t;
  t.n.i1 = t.n.i2 = -1;
  t.n.r1sq = t.n.r2sq = 0.0;
  for (int p = 0; p < g.npoints; ++p) {
    if (type && g.type && g.type[p] != type) continue;
    t(g.index[p], few_rsq<false>(g, b, sp, p));
  }
  const bool found = want == 1 ? t.n.i1 >= 0 : t.n.i2 >= 0;
  const double rw = want == 1 ? t.n.r1sq : t.n.r2sq;
  out = t.n;
  return found && (b.orthogonal || rw <= 0.25 * b.wmin * b.wmin);
}

// The squared distance to the nearest point of a set this small, alone (nearest_distance, for
// every atom of every call): nearest_few with want = 1 and no type, without the index
// bookkeeping.  Returns false when the point is not proven the nearest.
template <bool Ortho>
MLIPEVAL_INLINE bool nearest_few_rsq(const PointGridView &g, const Box &b, const double sp[3], double &rsq)
{
  double best = 0.0;
  for (int p = 0; p < g.npoints; ++p) {
    const double r = few_rsq<Ortho>(g, b, sp, p);
    best = p == 0 || r < best ? r : best;
  }
  rsq = best;
  return g.npoints > 0 && (Ortho || best <= 0.25 * b.wmin * b.wmin);
}
MLIPEVAL_RULES_END

enum { FEW_POINTS = 32 };

// Nearest (want = 1) or nearest two (want = 2) points to the fractional position sp, of the
// given type only when type > 0 (and the grid has types).
// r0 is the first search radius; it doubles until the answer is provably complete.
// (Out of line on the host: the per-atom paths that may fall back on it stay lean; see inline.h.)
MLIPEVAL_RULES_BEGIN
MLIPEVAL_OUTLINE Nearest2 nearest(const PointGridView &g, const Box &b, const double sp[3],
                                 int want, double r0, int type = 0)
{
  if (g.npoints <= FEW_POINTS && !g.windowed) {
    Nearest2 few;
    if (nearest_few(g, b, sp, want, few, type)) return few;
  }
  Top2 t;
  double r = r0;
  for (;;) {
    t.n.i1 = t.n.i2 = -1;
    t.n.r1sq = t.n.r2sq = 0.0;
    int k[3];
    const bool all = bins_for_radius(g, b, r, k);
    scan_bins(g, b, sp, k, t, type);
    const bool found = want == 1 ? t.n.i1 >= 0 : t.n.i2 >= 0;
    const double rw = want == 1 ? t.n.r1sq : t.n.r2sq;
    if ((found && rw <= r * r) || all) return t.n;
    r *= 2.0;
  }
}

// Call fn(point_index, rsq) for every point image within radius r of sp (of the given type only
// when type > 0).
template <class Fn>
MLIPEVAL_OUTLINE void for_each_within(const PointGridView &g, const Box &b, const double sp[3],
                                     double r, Fn &fn, int type = 0)
{
  int k[3];
  bins_for_radius(g, b, r, k);
  const double rsq = r * r;
  auto keep = [&](int i, double dsq) {
    if (dsq < rsq) fn(i, dsq);
  };
  scan_bins(g, b, sp, k, keep, type);
}
MLIPEVAL_RULES_END

}    // namespace mlipeval

#endif
