#include "site_tally.h"

#include <algorithm>
#include <cmath>

namespace mlipeval {

namespace {
bool same(const Subdomain &a, const Subdomain &b)
{
  if (a.whole != b.whole || a.brick != b.brick || a.margin != b.margin || a.drift != b.drift) return false;
  for (int d = 0; d < 3; ++d)
    if (a.lo[d] != b.lo[d] || a.hi[d] != b.hi[d] || a.wmin[d] != b.wmin[d]) return false;
  return true;
}

bool owns(const Subdomain &sub, const double s[3])
{
  for (int d = 0; d < 3; ++d)
    if (!(s[d] >= sub.lo[d] && s[d] < sub.hi[d])) return false;
  return true;
}
}    // namespace

// Folded: how far beyond the subdomain (box fractions per axis) the block must reach for an owned
// atom (within the drift of the subdomain) to find its site's image (within the margin of the
// atom) there.  Some to spare, so that the block is kept while an NPT box changes a little; and
// it depends on the box alone, so every rank takes a new block in the same call.  True when it
// changed.
bool SiteTally::follow_box(const Subdomain &s, const Box &box)
{
  if (!folding) return false;
  bool changed = false;
  for (int d = 0; d < 3; ++d) {
    const double need = (s.margin + s.drift) / box.width[d];
    if (reach[d] < need || reach[d] > 1.5 * need) {
      reach[d] = 1.2 * need;
      changed = true;
    }
  }
  return changed;
}

void SiteTally::assign(const SiteSet &sites, const Subdomain &s, const Box &box)
{
  const bool fold_now = !s.whole && s.brick && sites.generated();
  if (fold_now != folding) reach[0] = reach[1] = reach[2] = -1.0;
  folding = fold_now;
  const bool box_moved = follow_box(s, box);
  if (same(s, sub) && sites.version() == version && sites.size() == nsites && !box_moved) return;
  sub = s;
  ++generation;
  wrap[0] = wrap[1] = wrap[2] = 0;
  version = sites.version();
  nsites = sites.size();
  slot_of.clear();
  site_of.clear();
  axis_map.clear();
  if (sub.whole) {
    nslots = nsites;
  } else if (sites.generated()) {
    // the unit cells that can hold a site of the subdomain (a site of cell c lies in [c, c+1)/n),
    // and folded those that its atoms can reach, in unwrapped cells: the block may reach past
    // the box
    const SiteFinder f = sites.finder();
    const int nb = f.cells.nbasis;
    nslots = nb;
    nbasis_of_block = nb;
    for (int d = 0; d < 3; ++d) {
      const int n = f.cells.ncell[d];
      ncell_of_block[d] = n;
      int chi;
      wrap[d] = folding && sub.lo[d] == 0.0 && sub.hi[d] == 1.0;
      if (wrap[d]) {    // the whole axis: the box's cells, each image's cell wrapped into them
        clo[d] = 0;
        chi = n;
        hops[d] = 0;
      } else if (folding) {
        // the cells of the site images at u in [lo - reach, hi + reach): u = (c + basis) / n
        // with the basis in [0, 1)
        clo[d] = (int) std::floor((sub.lo[d] - reach[d]) * n);
        chi = (int) std::floor((sub.hi[d] + reach[d]) * n) + 1;
        // a halo's tally passes at most one subdomain (no narrower than wmin) per shift
        hops[d] = 1 + (int) std::floor((reach[d] + 1.0 / n) / sub.wmin[d]);
      } else {
        clo[d] = std::max(0, (int) std::floor(sub.lo[d] * n) - 1);
        chi = std::min(n, (int) std::ceil(sub.hi[d] * n) + 1);
      }
      nc[d] = chi - clo[d];
      nslots *= nc[d];
      // a site is in the subdomain when each of its coordinates is: per axis, basis site b of
      // the block's cell i is when (clo + i + basis) / n (cell_site_at's formula) is in [lo, hi)
      inside[d].assign((size_t) nc[d] * nb, 0);
      span[d][0] = nc[d];
      span[d][1] = 0;
      for (int i = 0; i < nc[d]; ++i)
        for (int b = 0; b < nb; ++b) {
          const double u = (clo[d] + i + f.cells.basis[3 * b + d]) / n;
          inside[d][(size_t) i * nb + b] = u < sub.lo[d] ? -1 : (u < sub.hi[d] ? 0 : 1);
          if (inside[d][(size_t) i * nb + b] == 0) {    // the block cells with an owned site: a range
            span[d][0] = std::min(span[d][0], i);
            span[d][1] = std::max(span[d][1], i + 1);
          }
        }
    }
    // the block's layout: the basis fastest, then the axes without a halo, then those with one
    // (folded, each face then lies in one run of slots, or in a few)
    for (int d = 0; d < 3; ++d) order[d] = d;
    std::stable_sort(order, order + 3, [this](int a, int b) { return wrap[a] > wrap[b]; });
    int stride = nb;
    for (int o = 0; o < 3; ++o) {
      cstride[order[o]] = stride;
      stride *= nc[order[o]];
    }
    // the where-path's tables: each unwrapped cell a search can give (an atom's cell in the box
    // plus a candidate's offset) to its slot offset, wrapped along a whole axis
    const int r = f.cells.reach;
    for (int d = 0; d < 3; ++d) {
      const int n = f.cells.ncell[d];
      axis_zero[d] = (int) axis_map.size() + r;
      for (int x = -r; x < n + r; ++x) {
        const int k = wrap[d] ? ((x % n) + n) % n : x - clo[d];
        axis_map.push_back(k >= 0 && k < nc[d] ? k * cstride[d] : -1);
      }
    }
  } else {
    // the kept sites (by increasing index) that lie in the subdomain
    const SiteFinder f = sites.finder();
    slot_of.assign(f.nstored, -1);
    for (int k = 0; k < f.nstored; ++k)
      if (owns(sub, &f.frac[3 * k])) {
        slot_of[k] = (int) site_of.size();
        site_of.push_back(f.gid ? f.gid[k] : k);
      }
    nslots = (int) site_of.size();
  }
  tally.assign(2 * (size_t) nslots + 1, 0);
  tally.shrink_to_fit();
}

TallyView SiteTally::clear()
{
  std::fill(tally.begin(), tally.end(), 0);
  TallyView t;
  t.ws = tally.data();
  t.held = tally.data() + nslots;
  t.lost = tally.data() + 2 * (size_t) nslots;
  t.nslots = nslots;
  t.fold = folding ? 1 : 0;
  for (int d = 0; d < 3; ++d) t.wrap[d] = wrap[d];
  t.generation = generation;
  t.sub = sub;
  for (int d = 0; d < 3; ++d) {
    t.clo[d] = clo[d];
    t.nc[d] = nc[d];
    t.cstride[d] = cstride[d];
  }
  t.slot_of = slot_of.data();
  t.axis_map = axis_map.empty() ? nullptr : axis_map.data();
  t.axis_len = (int) axis_map.size();
  for (int d = 0; d < 3; ++d) t.axis_slot[d] = t.axis_map ? t.axis_map + axis_zero[d] : nullptr;
  return t;
}

namespace {
// Whether one of eight slots is not usual (one atom by both rules: ws == 1 and held != 0).  Out
// of line: so GCC turns it into vector compares, which it did not do inlined into the loop below.
__attribute__((noinline)) bool any_unusual8(const int *ws, const int *held)
{
  unsigned odd = 0;
  for (int k = 0; k < 8; ++k) odd |= (unsigned) (ws[k] ^ 1) | (unsigned) -(held[k] == 0);
  return odd != 0;
}

// f(slot) for the slots in [from, to) that are not usual, in increasing order.  Nearly every
// slot is usual: eight at a time are tested together, and only a group with an unusual slot is
// looked at one by one.
template <class F> void each_unusual(const int *ws, const int *held, int from, int to, const F &f)
{
  auto scan = [&](int a, int z) {
    for (int i = a; i < z; ++i)
      if (ws[i] != 1 || held[i] == 0) f(i);
  };
  int i = from;
  for (; i + 8 <= to; i += 8)
    if (any_unusual8(ws + i, held + i)) scan(i, i + 8);
  scan(i, to);
}
}    // namespace

SiteCounts SiteTally::count(const SiteSet &sites, std::vector<int> &vacant, std::vector<int> &crowded) const
{
  SiteCounts c;
  vacant.clear();
  crowded.clear();
  const int *ws = tally.data(), *held = tally.data() + nslots;
  auto add = [&](int slot, int site) {
    if (held[slot] == 0) {
      c.vacancies++;
      vacant.push_back(site);
    }
    if (ws[slot] == 0) c.ws_vacancies++;
    if (ws[slot] > 1) {
      c.ws_interstitials += ws[slot] - 1;
      crowded.push_back(site);
    }
  };
  if (sub.whole) {
    each_unusual(ws, held, 0, nsites, [&](int i) { add(i, i); });
  } else if (sites.generated()) {
    // sites of the block outside the subdomain are another rank's (their tallies are not the
    // whole count): only the block cells that hold an owned site are visited, a row along the
    // fastest axis at a time, and a site that is not usual is then tested (the lists are put in
    // order by the exchange)
    const CellTableView cv = sites.finder().cells;
    const int nb = cv.nbasis, a = order[0], e1 = order[1], e2 = order[2];
    int cell[3];
    for (cell[e2] = span[e2][0]; cell[e2] < span[e2][1]; ++cell[e2])
      for (cell[e1] = span[e1][0]; cell[e1] < span[e1][1]; ++cell[e1]) {
        const int row = cell[e1] * cstride[e1] + cell[e2] * cstride[e2];
        each_unusual(ws, held, row + nb * span[a][0], row + nb * span[a][1], [&](int slot) {
          cell[a] = (slot - row) / nb;
          const int b = (slot - row) % nb;
          if (inside[0][(size_t) cell[0] * nb + b] == 0 && inside[1][(size_t) cell[1] * nb + b] == 0 &&
              inside[2][(size_t) cell[2] * nb + b] == 0)
            add(slot, cell_site_index(cv, b, clo[0] + cell[0], clo[1] + cell[1], clo[2] + cell[2]));
        });
      }
  } else {
    each_unusual(ws, held, 0, nslots, [&](int slot) { add(slot, site_of[slot]); });
  }
  return c;
}

// f(first, n) for the runs of consecutive slots [first, first + n) that make up the block's
// slots at the offsets `face` (a face's (cell, basis) pairs along `axis`) over the whole block
// along the other two axes, in the same order on every rank (the other axes' block extents are
// the same on the neighbours of a brick).  The axes with a halo vary slowest in the block: a
// face of whole cells along the slowest is one run.
template <class F> void SiteTally::each_face_run(int axis, const F &f) const
{
  // the other two axes, the slower outside
  int e1 = -1, e2 = -1;
  for (int o = 0; o < 3; ++o)
    if (order[o] != axis) (e1 < 0 ? e1 : e2) = order[o];
  // the runs of the offsets themselves (of one block cell along the other axes), then each
  // such run in each cell, joined to the last when it follows on
  const int m = (int) face.size();
  std::vector<int> runs;    // offset, length
  for (int p = 0; p < m; ++p)
    if (p && face[p] == face[p - 1] + 1) ++runs.back();
    else runs.insert(runs.end(), {face[p], 1});
  int first = 0, n = 0;
  for (int k = 0; k < nc[e2]; ++k)
    for (int j = 0; j < nc[e1]; ++j) {
      const int base = k * cstride[e2] + j * cstride[e1];
      for (size_t r = 0; r < runs.size(); r += 2) {
        const int at = base + runs[r];
        if (n && at == first + n) {
          n += runs[r + 1];
          continue;
        }
        if (n) f(first, n);
        first = at;
        n = runs[r + 1];
      }
    }
  if (n) f(first, n);
}

long SiteTally::fold(FoldComm &comm)
{
  long lost = tally[2 * (size_t) nslots];
  if (!folding) return lost;
  // each axis in turn, each side in turn: the slots of the sites beyond the subdomain on that
  // side go to the neighbour there, which adds them to its own (and passes on, in the next
  // shift, those beyond its own subdomain); once sent, they are zeroed here.  (An axis the
  // subdomain spans whole has no halo.)
  int *ws = tally.data(), *held = tally.data() + nslots;
  for (int axis = 0; axis < 3; ++axis) {
    if (wrap[axis]) continue;
    const int n = ncell_of_block[axis], nb = nbasis_of_block;
    const int stride = cstride[axis];
    for (int dir = -1; dir <= 1; dir += 2) {
      // this side's (cell, basis) pairs as unwrapped cells of the neighbour (one across the box
      // face sees them a box further)
      const int shift = dir < 0 ? (sub.lo[axis] == 0.0 ? n : 0) : (sub.hi[axis] == 1.0 ? -n : 0);
      std::vector<int> theirs, mine;
      for (int i = 0; i < nc[axis]; ++i)
        for (int b = 0; b < nb; ++b)
          if (inside[axis][(size_t) i * nb + b] == dir) {
            theirs.insert(theirs.end(), {clo[axis] + i + shift, b});
            mine.push_back(i * stride + b);
          }
      for (int hop = 0; hop < hops[axis]; ++hop) {
        // message: the number of pairs, the pairs (neighbour's unwrapped cell, basis), then ws
        // of each face slot, then held of each
        face = mine;
        const size_t head = 1 + theirs.size(), nface = face.size() * (nslots / (nb * nc[axis]));
        buffer.resize(head + 2 * nface);
        buffer[0] = (int) (theirs.size() / 2);
        std::copy(theirs.begin(), theirs.end(), buffer.begin() + 1);
        int *out = buffer.data() + head;
        each_face_run(axis, [&out, nface, ws, held](int first, int n) {
          std::copy(ws + first, ws + first + n, out);
          std::copy(held + first, held + first + n, out + nface);
          std::fill(ws + first, ws + first + n, 0);
          std::fill(held + first, held + first + n, 0);
          out += n;
        });
        const std::vector<int> in = comm.shift(axis, dir, buffer);
        const size_t npairs = in.empty() ? 0 : (size_t) in[0];
        face.resize(npairs);
        bool fits = in.size() >= 1 + 2 * npairs;
        for (size_t p = 0; p < npairs && fits; ++p) {
          const int i = in[1 + 2 * p] - clo[axis];
          fits = i >= 0 && i < nc[axis];
          face[p] = i * stride + in[2 + 2 * p];
        }
        const size_t at = 1 + 2 * npairs, nin = npairs * (nslots / (nb * nc[axis]));
        if (!fits || in.size() != at + 2 * nin) {
          // (never, for blocks made alike) the neighbour's counts, lost: its ws values, the first
          // half of what follows the pairs
          const size_t half = in.size() > at ? (in.size() - at) / 2 : 0;
          for (size_t k = 0; k < half; ++k) lost += in[at + k];
          continue;
        }
        const int *from = in.data() + at;
        each_face_run(axis, [&from, nin, ws, held](int first, int n) {
          for (int q = 0; q < n; ++q) {
            ws[first + q] += from[q];
            held[first + q] += from[nin + q];
          }
          from += n;
        });
      }
    }
  }
  return lost;
}

GhostReach ghost_reach(const Subdomain &sub, const Box &box)
{
  GhostReach g;
  double lo[3], hi[3];
  for (int d = 0; d < 3; ++d) {
    g.reach[d] = sub.margin / box.width[d];
    lo[d] = sub.lo[d] - g.reach[d];
    hi[d] = sub.hi[d] + g.reach[d];
    g.xlo[d] = 1e300;
    g.xhi[d] = -1e300;
  }
  // the region is a parallelepiped: its Cartesian bounds are those of its 8 corners
  for (int c = 0; c < 8; ++c) {
    const double s[3] = {c & 1 ? hi[0] : lo[0], c & 2 ? hi[1] : lo[1], c & 4 ? hi[2] : lo[2]};
    double dx[3];
    frac_to_cart(box, s, dx);
    for (int d = 0; d < 3; ++d) {
      g.xlo[d] = std::min(g.xlo[d], box.lo[d] + dx[d]);
      g.xhi[d] = std::max(g.xhi[d], box.lo[d] + dx[d]);
    }
  }
  // enlarged far beyond the rounding of either test, so that every ghost near_subdomain takes
  // passes this one
  const double pad = 1e-9 * (std::fabs(box.lo[0]) + std::fabs(box.lo[1]) + std::fabs(box.lo[2]) + box.xx + box.yy +
                             box.zz + std::fabs(box.xy) + std::fabs(box.xz) + std::fabs(box.yz));
  for (int d = 0; d < 3; ++d) {
    g.xlo[d] -= pad;
    g.xhi[d] += pad;
  }
  return g;
}

GridWindow keep_window(const Subdomain &sub, const Box &box, double keep)
{
  GridWindow w;
  if (sub.whole) return w;
  for (int d = 0; d < 3; ++d) {
    const double reach = keep / box.width[d];
    const double span = sub.hi[d] - sub.lo[d] + 2.0 * reach;
    if (span < 1.0) {
      w.open[d] = 1;
      w.lo[d] = sub.lo[d] - reach;
      w.span[d] = span;
    }
  }
  return w;
}

double keep_distance(double margin, double skin, double cover, double vacancy, double neighbour)
{
  // ghosts (within the margin): their nearest site and the sites within the vacancy radius;
  // owned atoms (up to half the skin outside): their nearest two and those within the radius
  return 1.1 * std::max(margin + std::max(cover, vacancy), 0.5 * skin + std::max(cover + neighbour, vacancy));
}

double neighbour_bound(const SiteSet &sites, const Box &box, const Subdomain &sub)
{
  if (sites.generated()) return 2.0 * sites.finder().cells.cover;    // no site is farther from its neighbour
  const double spacing = std::cbrt(box.xx * box.yy * box.zz / std::max(1, sites.size()));
  double worst = 0.0;
  const std::vector<double> &frac = sites.fractional();
  for (int k = 0; k < sites.stored(); ++k) {
    bool mine = true;
    for (int d = 0; d < 3; ++d) mine = mine && frac[3 * k + d] >= sub.lo[d] && frac[3 * k + d] < sub.hi[d];
    if (mine) worst = std::max(worst, sites.nearest_other(k, box, spacing, true));
  }
  return std::sqrt(worst);
}

double covering_bound(const SiteSet &sites, const Box &box, const Subdomain &sub)
{
  if (sites.generated()) return sites.finder().cells.cover;
  // nearest-site distances on a grid of sample points about half the site spacing apart
  // (box fractions (i + 1/2) / m, the same points on every rank), plus the farthest a point can
  // be from its sample point
  const SiteFinder f = sites.finder();
  const double spacing = std::cbrt(box.xx * box.yy * box.zz / std::max(1, sites.size()));
  int m[3];
  double half[3];
  for (int d = 0; d < 3; ++d) {
    m[d] = std::max(1, (int) std::ceil(box.width[d] / (0.5 * spacing)));
    half[d] = 0.5 / m[d];
  }
  double reach = 0.0;
  for (int c = 0; c < 4; ++c) {
    const double ds[3] = {half[0], c & 1 ? -half[1] : half[1], c & 2 ? -half[2] : half[2]};
    double dx[3];
    frac_to_cart(box, ds, dx);
    reach = std::max(reach, std::sqrt(dx[0] * dx[0] + dx[1] * dx[1] + dx[2] * dx[2]));
  }
  int lo[3], hi[3];
  for (int d = 0; d < 3; ++d) {
    // the sample cells [i, i+1) / m that cover the subdomain
    lo[d] = std::max(0, (int) std::floor(sub.lo[d] * m[d]));
    hi[d] = std::min(m[d], (int) std::ceil(sub.hi[d] * m[d]));
  }
  double worst = 0.0;
  for (int k = lo[2]; k < hi[2]; ++k)
    for (int j = lo[1]; j < hi[1]; ++j)
      for (int i = lo[0]; i < hi[0]; ++i) {
        const double s[3] = {(i + 0.5) / m[0], (j + 0.5) / m[1], (k + 0.5) / m[2]};
        // with sublattices, an atom's nearest site is one of its type: the farthest of those
        for (int t = sites.ntypes() ? 1 : 0; t <= sites.ntypes(); ++t) {
          const Nearest2 n = nearest(f.grid, box, s, 1, f.r0, t);
          if (n.i1 >= 0) worst = std::max(worst, n.r1sq);
        }
      }
  return std::sqrt(worst) + reach;
}

}    // namespace mlipeval
