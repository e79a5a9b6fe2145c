#include "sites.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <stdexcept>

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

bool whole_cells(double c, long *n)
{
  const double r = std::round(c);
  if (!(std::fabs(c - r) <= kWholeCellTol * std::max(1.0, std::fabs(c)))) return false;
  *n = (long) r;
  return true;
}

double lattice_site_count(int nbasis, const long m[3][3])
{
  const double det = (double) m[0][0] * ((double) m[1][1] * m[2][2] - (double) m[1][2] * m[2][1]) -
      (double) m[0][1] * ((double) m[1][0] * m[2][2] - (double) m[1][2] * m[2][0]) +
      (double) m[0][2] * ((double) m[1][0] * m[2][1] - (double) m[1][1] * m[2][0]);
  return nbasis * std::fabs(det);
}

void lattice_edges(const LatticeFrame &lat, const Box &b, long whole[3][3])
{
  // every box edge must be a whole lattice translation, else the sites do not repeat with the box
  double o[3] = {0.0, 0.0, 0.0};
  lat.to_lattice(o);
  const double edges[3][3] = {{b.xx, 0.0, 0.0}, {b.xy, b.yy, 0.0}, {b.xz, b.yz, b.zz}};
  const char *names[3] = {"x", "y", "z"};
  for (int v = 0; v < 3; ++v) {
    double e[3] = {edges[v][0], edges[v][1], edges[v][2]};
    lat.to_lattice(e);
    bool ok = true;
    std::string cells;
    for (int d = 0; d < 3; ++d) {
      const double c = e[d] - o[d];
      const bool w = whole_cells(c, &whole[v][d]);
      char text[32];
      std::snprintf(text, sizeof text, "%.12g", c);
      cells += (d ? " " : "") + (w ? std::to_string(whole[v][d]) : std::string(text));
      ok = ok && w;
    }
    if (!ok) {
      char tol[16];
      std::snprintf(tol, sizeof tol, "%g", kWholeCellTol);
      throw std::runtime_error(std::string("sites lattice: the box ") + names[v] + " edge is " + cells +
                               " unit cells, not a whole lattice translation (to a relative " + tol +
                               "); the lattice does not fit the box");
    }
  }
}

bool lattice_as_cells(const LatticeFrame &lat, const Box &b, const long whole[3][3], int n[3])
{
  // the box edges run along the lattice axes, forward: edge v is whole[v][v] cells of axis v
  for (int v = 0; v < 3; ++v)
    for (int d = 0; d < 3; ++d)
      if (v == d ? (whole[v][d] <= 0 || whole[v][d] > INT_MAX / 2) : whole[v][d] != 0) return false;
  // a lattice point at the box origin: the unit cells then start at the box faces
  double lo[3] = {b.lo[0], b.lo[1], b.lo[2]};
  lat.to_lattice(lo);
  long corner;
  for (int d = 0; d < 3; ++d)
    if (!whole_cells(lo[d], &corner)) return false;
  // every basis site inside [0,1) of its cell and clear of the site window's upper face in every
  // cell: the window then keeps cells 0 .. n-1 of each basis site, in the generated order
  for (int d = 0; d < 3; ++d) n[d] = (int) whole[d][d];
  for (size_t m = 0; m < lat.basis.size(); ++m) {
    const double f = lat.basis[m], nd = n[m % 3];
    if (!(f >= 0.0 && in_site_window((nd - 1.0 + f) / nd))) return false;
  }
  return true;
}

long lattice_sites(const LatticeFrame &lat, const Box &b, const std::function<void(double)> &check, int block,
                   const SiteEmit &emit, const std::vector<int> &basis_types)
{
  long whole[3][3];
  lattice_edges(lat, b, whole);
  const int nbasis = (int) lat.basis.size() / 3;
  const double nexpect = lattice_site_count(nbasis, whole);
  check(nexpect);

  // lattice-index bounds of the box corners, as create_atoms finds them
  double lo[3] = {1e300, 1e300, 1e300}, hi[3] = {-1e300, -1e300, -1e300};
  for (int c = 0; c < 8; ++c) {
    const double f[3] = {double(c & 1), double((c >> 1) & 1), double((c >> 2) & 1)};
    double x[3] = {b.lo[0] + b.xx * f[0] + b.xy * f[1] + b.xz * f[2], b.lo[1] + b.yy * f[1] + b.yz * f[2],
                   b.lo[2] + b.zz * f[2]};
    lat.to_lattice(x);
    for (int d = 0; d < 3; ++d) {
      lo[d] = std::min(lo[d], x[d]);
      hi[d] = std::max(hi[d], x[d]);
    }
  }
  int ilo[3], ihi[3];
  for (int d = 0; d < 3; ++d) {
    ilo[d] = (int) std::floor(lo[d]) - 1;
    ihi[d] = (int) std::ceil(hi[d]) + 1;
  }
  std::vector<double> frac;
  std::vector<int> type;
  frac.reserve(3 * (size_t) block);
  long count = 0;
  auto flush = [&]() {
    if (frac.empty()) return;
    const int n = (int) frac.size() / 3;
    emit(frac.data(), type.empty() ? nullptr : type.data(), count, n, (long) nexpect);
    count += n;
    frac.clear();
    type.clear();
  };
  for (int k = ilo[2]; k <= ihi[2]; ++k)
    for (int j = ilo[1]; j <= ihi[1]; ++j)
      for (int i = ilo[0]; i <= ihi[0]; ++i)
        for (int m = 0; m < nbasis; ++m) {
          double x[3] = {i + lat.basis[3 * m], j + lat.basis[3 * m + 1], k + lat.basis[3 * m + 2]};
          lat.to_box(x);
          double s[3];
          to_frac_unwrapped(b, x, s);
          if (!(in_site_window(s[0]) && in_site_window(s[1]) && in_site_window(s[2]))) continue;
          frac.insert(frac.end(), s, s + 3);
          if (!basis_types.empty()) type.push_back(basis_types[m]);
          if ((int) frac.size() / 3 == block) flush();
        }
  flush();
  // a basis site within the window's margin of a face would be counted twice or missed
  if ((double) count != nexpect)
    throw std::runtime_error("sites lattice gives " + std::to_string(count) + " sites where the box holds " +
                             std::to_string((long) nexpect) + ": a basis site lies on a box face; shift the lattice origin");
  return count;
}

std::vector<double> lattice_sites(const LatticeFrame &lat, const Box &b, const std::function<void(double)> &check,
                                  std::vector<int> *basis_of)
{
  std::vector<double> frac;
  std::vector<int> index;    // the basis site of each, through the types of a numbered basis
  for (int m = 0; basis_of && m < (int) lat.basis.size() / 3; ++m) index.push_back(m);
  lattice_sites(lat, b, check, 8192, [&](const double *f, const int *t, long, int n, long) {
    frac.insert(frac.end(), f, f + 3 * n);
    if (basis_of) basis_of->insert(basis_of->end(), t, t + n);
  }, index);
  return frac;
}

double cell_aspect(const Box &b, const int n[3])
{
  const double len[3] = {b.xx / n[0], std::sqrt(b.xy * b.xy + b.yy * b.yy) / n[1],
                         std::sqrt(b.xz * b.xz + b.yz * b.yz + b.zz * b.zz) / n[2]};
  return *std::max_element(len, len + 3) / *std::min_element(len, len + 3);
}

void wrap_all(std::vector<double> &frac)
{
  for (double &s : frac) s = wrap01(s);
}

double SiteSet::build(std::vector<double> f, const Box &box, std::vector<int> types, int ntypes)
{
  const int total = (int) f.size() / 3;
  return build_kept(std::move(f), std::vector<int>(), total, GridWindow(), box, std::move(types), ntypes);
}

double SiteSet::build_kept(std::vector<double> f, std::vector<int> id, int total, const GridWindow &w, const Box &box,
                           std::vector<int> types, int ntypes)
{
  frac = std::move(f);
  wrap_all(frac);
  ids = std::move(id);
  stype = std::move(types);
  ntype = stype.empty() ? 0 : ntypes;
  nsites = total;
  win = w;
  return build_stored(box);
}

double SiteSet::nearest_other(int k, const Box &box, double r, bool same_type) const
{
  struct Other {
    int self;
    double best;
    void operator()(int j, double rsq)
    {
      if (j != self && rsq < best) best = rsq;
    }
  } other{ids.empty() ? k : ids[k], 1e300};
  const PointGridView g = grid.view();
  const int t = same_type && !stype.empty() ? stype[k] : 0;
  if (!same_type) {    // coinciding sites: the bins next to this one
    const int near[3] = {1, 1, 1};
    scan_bins(g, box, &frac[3 * k], near, other);
    return other.best;
  }
  // the nearest other site lies within twice the mean spacing in any sane site set; a wider
  // search only happens for very sparse or clustered sets
  for (;;) {
    int b[3];
    const bool all = bins_for_radius(g, box, r, b);
    scan_bins(g, box, &frac[3 * k], b, other, t);
    if (other.best <= r * r || all) return other.best;
    r *= 2.0;
  }
}

void SiteSet::set_separation(double dmin)
{
  r0 = 1.25 * dmin;
}

double SiteSet::build_stored(const Box &box)
{
  cells = false;
  ++generation;
  const int n = stored();
  const double volume = box.xx * box.yy * box.zz;
  const double spacing = std::cbrt(volume / std::max(1, nsites));
  const int *type = stype.empty() ? nullptr : stype.data();
  grid.build(frac, box, 0.5 * spacing, ids.empty() ? nullptr : ids.data(), win, type);
  // smallest separation: each site's nearest other site of its type (linear with the grid); 0
  // when two sites of any types coincide
  double dmin = 1e300, dall = 1e300;
  for (int i = 0; i < n; ++i) {
    dmin = std::min(dmin, nearest_other(i, box, spacing, true));
    if (type) dall = std::min(dall, nearest_other(i, box, spacing, false));
  }
  if (dall <= 1e-12) return 0.0;
  if (dmin >= 1e300) return dmin;
  dmin = std::sqrt(dmin);
  // start the nearest-two search at the radius that holds the second site of a crystal atom
  r0 = 1.25 * dmin > 0.0 ? 1.25 * dmin : spacing;
  return dmin;
}

}    // namespace mlipeval

namespace mlipeval {

double SiteSet::build_cells(const std::vector<double> &basis, const int n[3], const Box &box,
                            const std::vector<int> &types)
{
  cells = true;
  cell_basis = basis;
  cell_types = types;
  ntype = types.empty() ? 0 : *std::max_element(types.begin(), types.end());
  stype.clear();
  for (int d = 0; d < 3; ++d) ncell[d] = n[d];
  nsites = (int) (basis.size() / 3) * n[0] * n[1] * n[2];
  frac.clear();
  frac.shrink_to_fit();
  ids.clear();
  win = GridWindow();
  radius = false;
  grid = PointGrid();
  return rebuild(box);
}

double SiteSet::rebuild(const Box &box)
{
  if (!cells) return build_stored(box);
  table.build(cell_basis, ncell, box, cell_types);
  if (radius) need_radius_search(box, win);
  ++generation;
  // smallest separation: between the basis sites of a cell and those of the 26 cells around it,
  // each at its nearest image in the box (of one sublattice: dmin; of any: dall)
  const int nb = (int) cell_basis.size() / 3;
  double dmin = 1e300, dall = 1e300;
  for (int a = 0; a < nb; ++a)
    for (int c = 0; c < nb; ++c)
      for (int o0 = -1; o0 <= 1; ++o0)
        for (int o1 = -1; o1 <= 1; ++o1)
          for (int o2 = -1; o2 <= 1; ++o2) {
            const int o[3] = {o0, o1, o2};
            bool self = a == c;
            for (int d = 0; d < 3; ++d) self = self && o[d] % ncell[d] == 0;
            if (self) continue;    // the same site (or its image through a box of one cell)
            double ds[3];
            for (int d = 0; d < 3; ++d) {
              ds[d] = (o[d] + cell_basis[3 * c + d] - cell_basis[3 * a + d]) / ncell[d];
              ds[d] -= std::floor(ds[d] + 0.5);
            }
            for (int i = -1; i <= 1; ++i)
              for (int j = -1; j <= 1; ++j)
                for (int k = -1; k <= 1; ++k) {
                  const double t[3] = {ds[0] + i, ds[1] + j, ds[2] + k};
                  double dx[3];
                  frac_to_cart(box, t, dx);
                  const double rsq = dx[0] * dx[0] + dx[1] * dx[1] + dx[2] * dx[2];
                  dall = std::min(dall, rsq);
                  if (cell_types.empty() || cell_types[a] == cell_types[c]) dmin = std::min(dmin, rsq);
                }
          }
  dmin = dall <= 1e-12 ? 0.0 : std::sqrt(dmin);    // coinciding sites of any types: duplicates
  r0 = 1.25 * dmin;
  return dmin;
}

void SiteSet::need_radius_search(const Box &box, const GridWindow &w)
{
  if (!cells) return;    // explicit sites always have their grid
  radius = true;
  win = w;
  // the cells that can hold a site of the window along each axis (a site of cell c lies in
  // [c, c + 1) / n), then the sites the window holds, with their indices
  const int nb = (int) cell_basis.size() / 3;
  int lo[3], count[3];
  for (int d = 0; d < 3; ++d) {
    lo[d] = 0;
    count[d] = ncell[d];
    if (w.open[d]) {
      lo[d] = (int) std::floor(w.lo[d] * ncell[d]) - 1;
      count[d] = std::min(ncell[d], (int) std::ceil((w.lo[d] + w.span[d]) * ncell[d]) + 1 - lo[d]);
    }
  }
  const CellTableView t = table.view();
  std::vector<double> kept;
  std::vector<int> id, type;
  for (int k = 0; k < count[2]; ++k)
    for (int j = 0; j < count[1]; ++j)
      for (int i = 0; i < count[0]; ++i) {
        const int o[3] = {lo[0] + i, lo[1] + j, lo[2] + k};
        int cell[3];
        for (int d = 0; d < 3; ++d) cell[d] = ((o[d] % ncell[d]) + ncell[d]) % ncell[d];
        for (int b = 0; b < nb; ++b) {
          double s[3];
          cell_site_at(t, b, cell, s);
          if (!window_holds(w, s)) continue;
          kept.insert(kept.end(), s, s + 3);
          id.push_back(cell_site_index(t, b, cell[0], cell[1], cell[2]));
          if (!cell_types.empty()) type.push_back(cell_types[b]);
        }
      }
  const double spacing = std::cbrt(box.xx * box.yy * box.zz / std::max(1, nsites));
  grid.build(kept, box, 0.5 * spacing, id.data(), w, type.empty() ? nullptr : type.data());
}

void SiteSet::position(int i, double s[3]) const
{
  mlipeval::site_position(finder(), i, s);
}

std::vector<double> SiteSet::positions(const std::vector<int> &which) const
{
  std::vector<double> out(3 * which.size());
  const SiteFinder f = finder();
  for (size_t k = 0; k < which.size(); ++k) mlipeval::site_position(f, which[k], &out[3 * k]);
  return out;
}

void SiteSet::refresh(const Box &box)
{
  if (cells && table.needs_rebuild(box)) {
    table.build(cell_basis, ncell, box, cell_types);
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
  f.frac = frac.data();
  f.gid = ids.empty() ? nullptr : ids.data();
  f.nstored = stored();
  f.stype = stype.empty() ? nullptr : stype.data();
  return f;
}

}    // namespace mlipeval
