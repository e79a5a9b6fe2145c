#include "sites.h"

#include <algorithm>
#include <cmath>

namespace mlipeval {

bool lattice_basis(const std::string &name, std::vector<double> &basis)
{
  static const double fcc[] = {0, 0, 0, 0, .5, .5, .5, 0, .5, .5, .5, 0};
  if (name == "sc") {
    basis = {0, 0, 0};
  } else if (name == "bcc") {
    basis = {0, 0, 0, .5, .5, .5};
  } else if (name == "fcc") {
    basis.assign(fcc, fcc + 12);
  } else if (name == "diamond") {
    basis.assign(fcc, fcc + 12);
    for (int i = 0; i < 12; ++i) basis.push_back(fcc[i] + 0.25);
  } else {
    return false;
  }
  return true;
}

std::vector<double> replicate_cell(const std::vector<double> &basis, const int n[3])
{
  const int nb = (int) basis.size() / 3;
  std::vector<double> out;
  out.reserve(3 * (size_t) nb * n[0] * n[1] * n[2]);
  for (int k = 0; k < n[2]; ++k)
    for (int j = 0; j < n[1]; ++j)
      for (int i = 0; i < n[0]; ++i)
        for (int b = 0; b < nb; ++b) {
          out.push_back((i + basis[3 * b]) / n[0]);
          out.push_back((j + basis[3 * b + 1]) / n[1]);
          out.push_back((k + basis[3 * b + 2]) / n[2]);
        }
  return out;
}

void wrap_all(std::vector<double> &frac)
{
  for (double &s : frac) s = wrap01(s);
}

double SiteSet::build(std::vector<double> f, const Box &box)
{
  frac = std::move(f);
  wrap_all(frac);
  ++generation;
  const int n = size();
  const double volume = box.xx * box.yy * box.zz;
  const double spacing = std::cbrt(volume / std::max(1, n));
  grid.build(frac, box, 0.5 * spacing);
  // smallest separation: each site's nearest other site (linear with the grid)
  double dmin = 1e300;
  const PointGridView g = grid.view();
  for (int i = 0; i < n; ++i) {
    struct Other {
      int self;
      double best;
      void operator()(int j, double rsq)
      {
        if (j != self && rsq < best) best = rsq;
      }
    } other{i, 1e300};
    // the nearest other site lies within twice the mean spacing in any sane site set;
    // a wider search only happens for very sparse or clustered sets
    double r = spacing;
    for (;;) {
      int k[3];
      const bool all = bins_for_radius(g, box, r, k);
      scan_bins(g, box, &frac[3 * i], k, other);
      if (other.best <= r * r || all) break;
      r *= 2.0;
    }
    dmin = std::min(dmin, other.best);
  }
  dmin = std::sqrt(dmin);
  // start the nearest-two search at the radius that holds the second site of a crystal atom
  r0 = 1.25 * dmin > 0.0 ? 1.25 * dmin : spacing;
  return dmin;
}

}    // namespace mlipeval

namespace mlipeval {

void SiteSet::use_unit_cell(const std::vector<double> &basis, const int n[3], const Box &box)
{
  cells = true;
  cell_basis = basis;
  for (int d = 0; d < 3; ++d) ncell[d] = n[d];
  table.build(cell_basis, ncell, box);
  ++generation;
}

void SiteSet::refresh(const Box &box)
{
  if (cells && table.needs_rebuild(box)) {
    table.build(cell_basis, ncell, box);
    ++generation;
  }
}

SiteFinder SiteSet::finder() const
{
  SiteFinder f;
  f.use_cells = cells ? 1 : 0;
  f.cells = table.view();
  f.grid = grid.view();
  f.r0 = r0;
  return f;
}

}    // namespace mlipeval
