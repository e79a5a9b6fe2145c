#include "cell_table.h"

#include <algorithm>
#include <cmath>

namespace mlipeval {

void CellTable::build(const std::vector<double> &bas, const int n[3], const Box &box, const std::vector<int> &types)
{
  basis = bas;
  // one table per sublattice (the basis sites of one type), in increasing type; one for all
  // sites when the basis has no types
  std::vector<std::vector<int>> members;
  tab_of.clear();
  btype = types;
  if (types.empty()) {
    members.emplace_back();
    for (int b = 0; b < (int) basis.size() / 3; ++b) members.back().push_back(b);
  } else {
    const int maxtype = *std::max_element(types.begin(), types.end());
    tab_of.assign(maxtype + 1, -1);
    for (int t = 1; t <= maxtype; ++t)
      for (int b = 0; b < (int) types.size(); ++b)
        if (types[b] == t) {
          if (tab_of[t] < 0) {
            tab_of[t] = (int) members.size();
            members.emplace_back();
          }
          members.back().push_back(b);
        }
  }
  for (int d = 0; d < 3; ++d) ncell[d] = n[d];
  h[0] = box.xx; h[1] = box.yy; h[2] = box.zz; h[3] = box.xy; h[4] = box.xz; h[5] = box.yz;
  const int nb = (int) basis.size() / 3;

  // the unit cell as a box of its own: its columns are the box columns divided by ncell
  const double zero[3] = {0, 0, 0};
  const Box cell = make_box(zero, box.xx / n[0], box.yy / n[1], box.zz / n[2], box.xy / n[1],
                            box.xz / n[2], box.yz / n[2]);
  // voxels of about 0.4 A across the narrowest cell width, at most 16 per axis; m is a power of
  // two, so that the search's u * m is exact and its voxel is always in [0, m) (no clamp)
  const double wmin = std::min(cell.width[0], std::min(cell.width[1], cell.width[2]));
  m = 4;
  while (m < 16 && m < wmin / 0.4) m *= 2;

  auto length = [&cell](const double ds[3]) {
    double dx[3];
    frac_to_cart(cell, ds, dx);
    return std::sqrt(dx[0] * dx[0] + dx[1] * dx[1] + dx[2] * dx[2]);
  };
  // circumradius of a voxel: the longest half-diagonal
  double rho = 0.0;
  for (int c = 0; c < 4; ++c) {
    const double ds[3] = {0.5 / m, (c & 1 ? -0.5 : 0.5) / m, (c & 2 ? -0.5 : 0.5) / m};
    rho = std::max(rho, length(ds));
  }

  auto distance_to = [&](const CellCandidate &q, const double fc[3]) {
    const double ds[3] = {q.u[0] - fc[0], q.u[1] - fc[1], q.u[2] - fc[2]};
    return length(ds);
  };
  auto same_site_offset = [](const int *a, const int *b, const int *nc) {
    for (int d = 0; d < 3; ++d)
      if ((a[d] - b[d]) % nc[d] != 0) return false;
    return true;
  };
  int K = 2;
  for (;;) {
    distinct = 1;
    start.assign(1, 0);
    cand.clear();
    sure.clear();
    cover = 0.0;
    double reach = 0.0;
    for (const std::vector<int> &sub : members) {    // each sublattice's table, one after another
      for (int vz = 0; vz < m; ++vz)
        for (int vy = 0; vy < m; ++vy)
          for (int vx = 0; vx < m; ++vx) {
            const double fc[3] = {(vx + 0.5) / m, (vy + 0.5) / m, (vz + 0.5) / m};
            struct Item {
              int b, o[3];
              double d;
            };
            std::vector<Item> items;
            // distinct site -> its closest image; offsets that differ by ncell are the same site
            int dim[3];
            for (int d = 0; d < 3; ++d) dim[d] = std::min(n[d], 2 * K + 1);
            std::vector<double> nearest_image((size_t) nb * dim[0] * dim[1] * dim[2], 1e300);
            for (int oz = -K; oz <= K; ++oz)
              for (int oy = -K; oy <= K; ++oy)
                for (int ox = -K; ox <= K; ++ox)
                  for (int b : sub) {
                    const double ds[3] = {ox + basis[3 * b] - fc[0], oy + basis[3 * b + 1] - fc[1],
                                          oz + basis[3 * b + 2] - fc[2]};
                    const double d = length(ds);
                    items.push_back({b, {ox, oy, oz}, d});
                    const int o[3] = {ox, oy, oz};
                    int w[3];
                    for (int k = 0; k < 3; ++k)
                      w[k] = n[k] <= 2 * K ? o[k] - floor_div(o[k], n[k]) * n[k] : o[k] + K;
                    double &best = nearest_image[b + (size_t) nb * (w[0] + dim[0] * (w[1] + (size_t) dim[1] * w[2]))];
                    best = std::min(best, d);
                  }
            // D2 bounds the second-nearest distance of every point in the voxel
            double first = 1e300, second = 1e300;
            for (double d : nearest_image) {
              if (d < first) {
                second = first;
                first = d;
              } else if (d < second) {
                second = d;
              }
            }
            const double d2 = (second < 1e300 ? second : first) + rho;
            // every point of the voxel is within first + rho of a site, under the strains below too
            cover = std::max(cover, (first + rho) * (1.0 + 3.0 * tolerance));
            // a strain up to `tolerance` moves every bound by less than 3 * tolerance * D2
            const double limit = d2 * (1.0 + 3.0 * tolerance) + rho;
            for (const Item &it : items)
              if (it.d <= limit) {
                CellCandidate q;
                for (int d = 0; d < 3; ++d) {
                  q.u[d] = it.o[d] + basis[3 * it.b + d];
                  q.o[d] = it.o[d];
                }
                q.b = it.b;
                cand.push_back(q);
                reach = std::max(reach, it.d);
              }
            // nearest first, so that the search keeps its first two candidates most of the time
            std::sort(cand.begin() + start.back(), cand.end(), [&](const CellCandidate &x, const CellCandidate &y) {
              return distance_to(x, fc) < distance_to(y, fc);
            });
            for (size_t p = start.back(); p < cand.size(); ++p)
              for (size_t q = start.back(); q < p; ++q)
                if (cand[p].b == cand[q].b && same_site_offset(cand[p].o, cand[q].o, n)) distinct = 0;
            // sure: every point of the voxel is nearer the first candidate than any other, with
            // the strain margin of the bounds above on both sides
            bool first_nearest = cand.size() - start.back() >= 2;
            const double r_first = first_nearest ? (distance_to(cand[start.back()], fc) + rho) * (1.0 + 3.0 * tolerance) : 0.0;
            for (size_t p = start.back() + 1; first_nearest && p < cand.size(); ++p)
              if ((distance_to(cand[p], fc) - rho) * (1.0 - 3.0 * tolerance) <= r_first) first_nearest = false;
            sure.push_back(first_nearest ? 1 : 0);
            start.push_back((int) cand.size());
          }
    }
    // every candidate must lie well inside the scanned offsets, else scan farther
    const double wcell = std::min(cell.width[0], std::min(cell.width[1], cell.width[2]));
    if (reach + rho < (K - 1) * wcell || K >= 6) break;
    ++K;
  }
  // a voxel is sure only in a distinct table (the search takes its first two candidates as
  // two sites)
  if (!distinct) std::fill(sure.begin(), sure.end(), 0);
  cell_reach = 0;
  for (const CellCandidate &q : cand)
    for (int d = 0; d < 3; ++d) cell_reach = std::max(cell_reach, std::abs(q.o[d]));
}

bool CellTable::needs_rebuild(const Box &box) const
{
  // strain E = h_new h_old^-1 - I for the upper-triangular h; its norm is bounded by
  // sqrt(|E|_1 |E|_inf)
  const Box old = [this] {
    const double zero[3] = {0, 0, 0};
    return make_box(zero, h[0], h[1], h[2], h[3], h[4], h[5]);
  }();
  const double hn[3][3] = {{box.xx, box.xy, box.xz}, {0, box.yy, box.yz}, {0, 0, box.zz}};
  const double hi[3][3] = {{old.ixx, old.ixy, old.ixz}, {0, old.iyy, old.iyz}, {0, 0, old.izz}};
  double e[3][3];
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) {
      double s = 0.0;
      for (int k = 0; k < 3; ++k) s += hn[r][k] * hi[k][c];
      e[r][c] = s - (r == c ? 1.0 : 0.0);
    }
  double n1 = 0.0, ninf = 0.0;
  for (int i = 0; i < 3; ++i) {
    n1 = std::max(n1, std::fabs(e[0][i]) + std::fabs(e[1][i]) + std::fabs(e[2][i]));
    ninf = std::max(ninf, std::fabs(e[i][0]) + std::fabs(e[i][1]) + std::fabs(e[i][2]));
  }
  return std::sqrt(n1 * ninf) > tolerance;
}

CellTableView CellTable::view() const
{
  CellTableView v;
  for (int d = 0; d < 3; ++d) {
    v.ncell[d] = ncell[d];
    v.inv[d] = 1.0 / ncell[d];
    v.dncell[d] = ncell[d];
  }
  v.nbasis = (int) basis.size() / 3;
  v.m = m;
  v.dm = m;
  v.basis = basis.data();
  v.start = start.data();
  v.cand = cand.data();
  v.sure = sure.data();
  v.cover = cover;
  v.reach = cell_reach;
  v.distinct = distinct;
  v.ntypes = (int) tab_of.size() - 1;
  v.tab_of = tab_of.empty() ? nullptr : tab_of.data();
  v.btype = btype.empty() ? nullptr : btype.data();
  return v;
}

}    // namespace mlipeval
