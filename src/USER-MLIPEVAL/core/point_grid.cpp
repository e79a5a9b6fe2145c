#include "point_grid.h"

#include <algorithm>
#include <cmath>

namespace mlipeval {

void PointGrid::build(const std::vector<double> &frac, const Box &box, double bin_width, const int *ids,
                      const GridWindow &w, const int *types)
{
  win = w;
  const int n = (int) frac.size() / 3;
  // at most about one bin per point keeps the build linear for sparse sets (a few vacancies)
  const double maxbins = std::max(1.0, 2.0 * n);
  for (int d = 0; d < 3; ++d) nb[d] = std::max(1, (int) (w.span[d] * box.width[d] / bin_width));
  while ((double) nb[0] * nb[1] * nb[2] > maxbins && (nb[0] > 1 || nb[1] > 1 || nb[2] > 1)) {
    int dmax = 0;
    for (int d = 1; d < 3; ++d)
      if (nb[d] > nb[dmax]) dmax = d;
    nb[dmax] = std::max(1, nb[dmax] / 2);
  }
  const int nbins = nb[0] * nb[1] * nb[2];
  std::vector<int> bin(n);
  start.assign(nbins + 1, 0);
  for (int i = 0; i < n; ++i) {
    int c[3];
    for (int d = 0; d < 3; ++d) {
      const double u = (window_image(w, d, frac[3 * i + d]) - w.lo[d]) / w.span[d];
      c[d] = std::min(nb[d] - 1, std::max(0, (int) (u * nb[d])));
    }
    bin[i] = (c[2] * nb[1] + c[1]) * nb[0] + c[0];
    start[bin[i] + 1]++;
  }
  for (int b = 0; b < nbins; ++b) start[b + 1] += start[b];
  std::vector<int> fill(start.begin(), start.end() - 1);
  index.assign(n, 0);
  s.assign(3 * (size_t) n, 0.0);
  const bool windowed = w.open[0] || w.open[1] || w.open[2];
  im.assign(windowed ? 3 * (size_t) n : 0, 0);
  type.assign(types ? n : 0, 0);
  for (int i = 0; i < n; ++i) {    // stable: equal bins keep the input order
    const int p = fill[bin[i]]++;
    index[p] = ids ? ids[i] : i;
    if (types) type[p] = types[i];
    for (int d = 0; d < 3; ++d) {
      s[3 * p + d] = frac[3 * i + d];
      if (windowed) im[3 * p + d] = (signed char) std::floor(window_image(w, d, frac[3 * i + d]) + 0.5 - frac[3 * i + d]);
    }
  }
}

bool window_holds(const GridWindow &w, const double s[3])
{
  for (int d = 0; d < 3; ++d) {
    const double u = window_image(w, d, s[d]);
    if (w.open[d] && !(u >= w.lo[d] && u < w.lo[d] + w.span[d])) return false;
  }
  return true;
}

bool window_covers(const GridWindow &held, const GridWindow &want)
{
  for (int d = 0; d < 3; ++d) {
    if (!held.open[d]) continue;
    if (!want.open[d]) return false;
    if (want.lo[d] < held.lo[d] || want.lo[d] + want.span[d] > held.lo[d] + held.span[d]) return false;
  }
  return true;
}

PointGridView PointGrid::view() const
{
  PointGridView v;
  for (int d = 0; d < 3; ++d) v.nb[d] = nb[d];
  v.npoints = (int) index.size();
  v.start = start.data();
  v.index = index.data();
  v.s = s.data();
  v.w = win;
  v.windowed = win.open[0] || win.open[1] || win.open[2];
  v.im = im.data();
  v.type = type.empty() ? nullptr : type.data();
  return v;
}

}    // namespace mlipeval
