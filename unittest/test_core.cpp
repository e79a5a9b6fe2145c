// Unit tests of the analysis core alone (no LAMMPS).
#include "core/box.h"
#include "core/line_source.h"
#include "core/point_grid.h"
#include "core/reference_reader.h"
#include "core/re_analysis.h"
#include "core/re_pipeline.h"
#include "core/re_results.h"
#include "core/re_select.h"
#include "core/sites.h"
#include "core/size_check.h"
#include "core/xyz_reader.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unistd.h>

using namespace mlipeval;

namespace {
const double A = 5.431;                       // Si lattice constant
const double NN = A * std::sqrt(3.0) / 4.0;   // nearest-neighbour distance

Box cubic_box(double len)
{
  const double lo[3] = {0, 0, 0};
  return make_box(lo, len, len, len, 0, 0, 0);
}

// Cartesian positions of the sites of a box (x = lo + h s).
std::vector<double> to_cart(const std::vector<double> &frac, const Box &b)
{
  std::vector<double> x(frac.size());
  for (size_t i = 0; i < frac.size(); i += 3) {
    double dx[3];
    frac_to_cart(b, &frac[i], dx);
    for (int d = 0; d < 3; ++d) x[i + d] = b.lo[d] + dx[d];
  }
  return x;
}

// n^3 diamond cells; cells = true searches with the unit-cell table, false with the grid
struct Diamond {
  Box box;
  SiteSet sites;
  double dmin;
  std::vector<double> x;
  Diamond(int n, Box b, bool cells = true) : box(b)
  {
    std::vector<double> basis;
    lattice_basis("diamond", basis);
    const int nc[3] = {n, n, n};
    auto frac = replicate_cell(basis, nc);
    dmin = cells ? sites.build_cells(basis, nc, box) : sites.build(frac, box);
    x = to_cart(frac, box);
  }
};

// brute-force nearest-image distances to every site over 7^3 images
std::vector<double> brute_distances(const Box &b, const std::vector<double> &sites, const double x[3])
{
  double s[3];
  to_frac(b, x, s);
  std::vector<double> out;
  for (size_t i = 0; i < sites.size(); i += 3) {
    double best = 1e300;
    for (int ix = -3; ix <= 3; ++ix)
      for (int iy = -3; iy <= 3; ++iy)
        for (int iz = -3; iz <= 3; ++iz) {
          double ds[3] = {sites[i] + ix - s[0], sites[i + 1] + iy - s[1], sites[i + 2] + iz - s[2]}, dx[3];
          frac_to_cart(b, ds, dx);
          best = std::min(best, std::sqrt(dx[0] * dx[0] + dx[1] * dx[1] + dx[2] * dx[2]));
        }
    out.push_back(best);
  }
  return out;
}
// The nearest two sites found by the search equal the brute-force ones, for the point at
// fractional coordinates sp (any values: to_frac wraps them).
bool matches_brute_force(const SiteSet &set, const Box &b, const double sp[3])
{
  double dx[3], x[3], s[3];
  frac_to_cart(b, sp, dx);
  for (int d = 0; d < 3; ++d) x[d] = b.lo[d] + dx[d];
  std::vector<int> all(set.size());
  for (int i = 0; i < set.size(); ++i) all[i] = i;
  const auto ref = brute_distances(b, set.positions(all), x);
  std::vector<double> sorted = ref;
  std::sort(sorted.begin(), sorted.end());
  to_frac(b, x, s);
  const AtomSite a = locate_atom(set.finder(), b, s, 0.75);
  EXPECT_NEAR(a.d1, sorted[0], 1e-9);
  EXPECT_NEAR(a.d2, sorted[1], 1e-9);
  EXPECT_NEAR(ref[a.site], sorted[0], 1e-9);
  return std::fabs(a.d1 - sorted[0]) <= 1e-9 && std::fabs(a.d2 - sorted[1]) <= 1e-9 &&
      std::fabs(ref[a.site] - sorted[0]) <= 1e-9;
}
}    // namespace

TEST(Lattice, BasesAndReplication)
{
  std::vector<double> b;
  EXPECT_TRUE(lattice_basis("sc", b));
  EXPECT_EQ(b.size(), 3u);
  EXPECT_TRUE(lattice_basis("bcc", b));
  EXPECT_EQ(b.size(), 6u);
  EXPECT_TRUE(lattice_basis("fcc", b));
  EXPECT_EQ(b.size(), 12u);
  EXPECT_TRUE(lattice_basis("diamond", b));
  EXPECT_EQ(b.size(), 24u);
  EXPECT_FALSE(lattice_basis("hcpx", b));
  const int n[3] = {2, 3, 4};
  auto f = replicate_cell(b, n);
  EXPECT_EQ(f.size(), 3u * 8 * 24);
  Diamond d(2, cubic_box(2 * A));
  EXPECT_NEAR(d.dmin, NN, 1e-12);
}

TEST(PointGrid, NearestTwoMatchesBruteForceInTiltedBox)
{
  const double lo[3] = {-3.0, 1.0, 2.0};
  // strongly tilted cell: tilts up to half the box length
  const Box b = make_box(lo, 11.0, 9.0, 10.0, 5.4, -4.9, 4.4);
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<double> frac(3 * 80);
  for (double &s : frac) s = u(rng);
  SiteSet set;
  set.build(frac, b);
  for (int t = 0; t < 300; ++t) {
    // query points also outside the box: to_frac wraps them
    const double sp[3] = {u(rng) * 3 - 1, u(rng) * 3 - 1, u(rng) * 3 - 1};
    matches_brute_force(set, b, sp);
  }
}

// The distance to the nearest of a few points (the vacant sites, the RE atoms: every atom asks it
// every call) is the brute-force one, in a strongly tilted box (where a point beyond half the
// narrowest width is left to the grid search) and in an orthogonal one, for 1 to FEW_POINTS points
// and for more (the grid search alone).
TEST(SparseSet, NearestDistanceMatchesBruteForce)
{
  const double lo[3] = {-3.0, 1.0, 2.0};
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (const Box &b : {make_box(lo, 11.0, 9.0, 10.0, 5.4, -4.9, 4.4), make_box(lo, 11.0, 9.0, 10.0, 0.0, 0.0, 0.0)})
    for (int n : {1, 2, 7, (int) FEW_POINTS, (int) FEW_POINTS + 9}) {
      std::vector<double> frac(3 * n);
      for (double &s : frac) s = u(rng);
      SparseSet set;
      set.build(frac, b);
      const SparseView v = set.sparse_view();
      for (int t = 0; t < 200; ++t) {
        const double sp[3] = {u(rng), u(rng), u(rng)};
        double dx[3], x[3];
        frac_to_cart(b, sp, dx);
        for (int d = 0; d < 3; ++d) x[d] = b.lo[d] + dx[d];
        const auto ref = brute_distances(b, frac, x);
        ASSERT_NEAR(nearest_distance(v.grid, b, sp, v.r0), *std::min_element(ref.begin(), ref.end()), 1e-9)
            << n << " points, " << (b.orthogonal ? "orthogonal" : "tilted") << " box, query " << t;
      }
    }
  // in an orthogonal box the three-product form gives the very numbers of the general one, also
  // where a point lies exactly half the box away along an axis (k / 8 against k / 8)
  const Box ortho = make_box(lo, 11.0, 9.0, 10.0, 0.0, 0.0, 0.0);
  std::vector<double> frac;
  for (int k = 0; k < 8; ++k)
    for (double s : {k / 8.0, (k + 4) % 8 / 8.0, u(rng)}) frac.push_back(s);
  SparseSet set;
  set.build(frac, ortho);
  const PointGridView g = set.sparse_view().grid;
  ASSERT_EQ(g.npoints, 8);
  for (int t = 0; t < 400; ++t) {
    const double sp[3] = {t < 64 ? t % 8 / 8.0 : u(rng), t < 64 ? t / 8 / 8.0 : u(rng), u(rng)};
    for (int p = 0; p < g.npoints; ++p) ASSERT_EQ(few_rsq<true>(g, ortho, sp, p), few_rsq<false>(g, ortho, sp, p)) << t;
  }
  SparseSet none;
  none.build({}, make_box(lo, 11.0, 9.0, 10.0, 0.0, 0.0, 0.0));
  const double sp[3] = {0.5, 0.5, 0.5};
  EXPECT_EQ(nearest_distance(none.sparse_view().grid, make_box(lo, 11.0, 9.0, 10.0, 0.0, 0.0, 0.0), sp, 1.0), -1.0);
}

// The unit-cell table must give exactly the brute-force nearest two sites, also after a strain
// below its tolerance (no rebuild) and after a large one (rebuild).
TEST(CellTable, NearestTwoMatchesBruteForceUnderStrain)
{
  std::vector<double> basis;
  lattice_basis("diamond", basis);
  for (int n : {1, 2, 3}) {
    const int nc[3] = {n, n + 1, 2};
    const double lo[3] = {0.5, -1.0, 2.0};
    Box b = make_box(lo, nc[0] * A, nc[1] * A, nc[2] * A, 0.2 * A, -0.3 * A, 0.1 * A);
    SiteSet set;
    set.build_cells(basis, nc, b);
    std::mt19937 rng(3 + n);
    std::uniform_real_distribution<double> u(-0.2, 1.2);
    for (double strain : {0.0, 0.0015, 0.05}) {
      const Box s = make_box(lo, b.xx * (1 + strain), b.yy * (1 - strain), b.zz, b.xy + strain * A, b.xz, b.yz);
      set.refresh(s);
      SCOPED_TRACE("n " + std::to_string(n) + " strain " + std::to_string(strain));
      for (int t = 0; t < 400; ++t) {
        const double sp[3] = {u(rng), u(rng), u(rng)};
        ASSERT_TRUE(matches_brute_force(set, s, sp));
      }
    }
  }
}

// What the search hands out with the nearest site for the several-rank owner test (tally_slot):
// its slot in a block, from the cell of the image it found, unwrapped: wrapped, that cell is the
// site's, and it is the atom's own cell or a neighbour.  The block here holds every unwrapped
// cell the tables cover, so that the slot tells the basis index and that cell.  BLOCK_UNKNOWN
// (the owner test then works from the site index) only on the general path; `must`: the
// branch-free paths answered.
::testing::AssertionResult where_is_the_site(const CellTableView &t, const Box &b, const double sp[3], bool must)
{
  const int r = t.reach, nb = t.nbasis;
  int w[3], stride[3];
  std::vector<int> axis[3];
  for (int d = 0; d < 3; ++d) {
    w[d] = t.ncell[d] + 2 * r;
    stride[d] = d == 0 ? 1 : stride[d - 1] * w[d - 1];
    for (int x = -r; x < t.ncell[d] + r; ++x) axis[d].push_back(nb * (x + r) * stride[d]);
  }
  for (bool second : {true, false}) {
    const int *tables[3] = {axis[0].data() + r, axis[1].data() + r, axis[2].data() + r};
    BlockSlot where{tables, -3};
    int cell[3], seen[3];
    const int i1 = nearest_in_cells(t, b, sp, 0, second, &where).i1;
    if (where.slot == BLOCK_UNKNOWN && !must) continue;
    const int basis_site = cell_site_decode(t, i1, cell);
    bool ok = where.slot >= 0 && where.slot % nb == basis_site;
    for (int d = 0; d < 3 && ok; ++d) {
      seen[d] = (where.slot / nb / stride[d]) % w[d] - r;
      const int own = std::min(t.ncell[d] - 1, (int) (sp[d] * t.ncell[d]));
      ok = (seen[d] + t.ncell[d]) % t.ncell[d] == cell[d] && std::abs(seen[d] - own) <= 1;
    }
    if (!ok)
      return ::testing::AssertionFailure() << "site " << i1 << ": slot " << where.slot << (second ? "" : " (nearest only)");
  }
  return ::testing::AssertionSuccess();
}

// Asked for the second site's distance alone (the RE rule), the search gives the nearest site and
// both distances of the full answer `full`, and i2 = i1 for "there is a second site".
::testing::AssertionResult second_distance_alone(const CellTableView &t, const Box &b, const double sp[3],
                                                 const Nearest2 &full)
{
  const Nearest2 n = nearest_in_cells(t, b, sp, 0, SECOND_DISTANCE);
  if (n.i1 == full.i1 && n.r1sq == full.r1sq && n.r2sq == full.r2sq && n.i2 == (full.i2 >= 0 ? full.i1 : -1))
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "sites " << n.i1 << " " << n.i2 << ", distances^2 " << n.r1sq << " "
                                       << n.r2sq << "; full answer " << full.i1 << " " << full.i2 << ", " << full.r1sq
                                       << " " << full.r2sq;
}

// With enough cells on every axis no voxel lists one site twice, and the search keeps its best
// two candidates without branches; it must answer exactly as the general search (Top2, ties to
// the lower site index) does, also on the symmetric points where two sites tie.
TEST(CellTable, DistinctPathAnswersAsTheGeneralSearch)
{
  std::vector<double> basis;
  lattice_basis("diamond", basis);
  const int nc[3] = {6, 7, 6};
  const double lo[3] = {0.0, 0.0, 0.0};
  for (const Box &b : {make_box(lo, 6 * A, 7 * A, 6 * A, 0.0, 0.0, 0.0),
                       make_box(lo, 6 * A, 7 * A, 6 * A, 0.3 * A, -0.2 * A, 0.1 * A)}) {
    SiteSet set;
    set.build_cells(basis, nc, b);
    const CellTableView fast = set.finder().cells;
    ASSERT_EQ(fast.distinct, 1);
    CellTableView general = fast;
    general.distinct = 0;
    const std::vector<unsigned char> none((size_t) fast.m * fast.m * fast.m, 0);
    general.sure = none.data();    // (a table that is not distinct has no sure voxels)
    std::mt19937 rng(5);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<std::array<double, 3>> points;
    for (int t = 0; t < 2000; ++t) points.push_back({u(rng), u(rng), u(rng)});
    // bond midpoints, tetrahedral and hexagonal holes, cell corners: exact ties
    for (int i = 0; i < 6; ++i)
      for (double q : {0.0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875})
        points.push_back({(i + q) / 6, (2 + q) / 7, (3 + q) / 6});
    int ties = 0;
    for (const auto &p : points) {
      const Nearest2 x = nearest_in_cells(fast, b, p.data()), y = nearest_in_cells(general, b, p.data());
      ASSERT_EQ(x.i1, y.i1);
      ASSERT_EQ(x.i2, y.i2);
      ASSERT_EQ(x.r1sq, y.r1sq);
      ASSERT_EQ(x.r2sq, y.r2sq);
      ties += y.r1sq == y.r2sq;
      for (const CellTableView &t : {fast, general})
        ASSERT_TRUE(second_distance_alone(t, b, p.data(), x));
      ASSERT_TRUE(where_is_the_site(fast, b, p.data(), false));    // (any tie of the best three: general path)
      ASSERT_TRUE(where_is_the_site(general, b, p.data(), false));
    }
    EXPECT_GT(ties, 0);    // the symmetric points did test the tie rule
  }
}

// Near its site an atom is in a voxel whose first candidate is every point's nearest site
// ("sure"): only the second nearest is searched for.  It must answer exactly as the search
// without that shortcut and as brute force, in boxes strained as far as the lists stay valid.
TEST(CellTable, SureVoxelsAnswerAsTheFullSearch)
{
  std::vector<double> basis;
  lattice_basis("diamond", basis);
  const int nc[3] = {5, 6, 5};
  const double lo[3] = {-1.0, 0.5, 2.0};
  for (const Box &b : {make_box(lo, 5 * A, 6 * A, 5 * A, 0.0, 0.0, 0.0),
                       make_box(lo, 5 * A, 6 * A, 5 * A, 0.3 * A, -0.2 * A, 0.1 * A)}) {
    SiteSet set;
    set.build_cells(basis, nc, b);
    const std::vector<double> sites = replicate_cell(basis, nc);
    for (double strain : {0.0, 0.0015}) {    // the lists are kept up to a strain of 0.002
      const Box s = make_box(lo, b.xx * (1 + strain), b.yy * (1 - strain), b.zz, b.xy + strain * A, b.xz, b.yz);
      set.refresh(s);
      const CellTableView fast = set.finder().cells;
      const int nvox = fast.m * fast.m * fast.m;
      std::vector<unsigned char> none(nvox, 0);
      CellTableView full = fast;
      full.sure = none.data();
      std::mt19937 rng(11);
      std::normal_distribution<double> jitter(0.0, 0.2);    // Angstrom, about thermal at 1500 K
      int sure = 0;
      for (size_t k = 0; k < sites.size() / 3; ++k) {
        double x[3], sp[3];
        frac_to_cart(s, &sites[3 * k], x);
        for (int d = 0; d < 3; ++d) x[d] += s.lo[d] + jitter(rng);
        to_frac(s, x, sp);
        const Nearest2 p = nearest_in_cells(fast, s, sp), q = nearest_in_cells(full, s, sp);
        ASSERT_EQ(p.i1, q.i1);
        ASSERT_EQ(p.i2, q.i2);
        ASSERT_EQ(p.r1sq, q.r1sq);
        ASSERT_EQ(p.r2sq, q.r2sq);
        ASSERT_TRUE(second_distance_alone(fast, s, sp, q));
        ASSERT_TRUE(second_distance_alone(full, s, sp, q));
        const Nearest2 one = nearest_in_cells(fast, s, sp, 0, false);    // the nearest only (ghost atoms)
        ASSERT_EQ(one.i1, q.i1);
        ASSERT_EQ(one.r1sq, q.r1sq);
        ASSERT_TRUE(where_is_the_site(fast, s, sp, true));
        ASSERT_TRUE(where_is_the_site(full, s, sp, true));
        if (k % 8 == 0) {    // (slow: every site, 343 images)
          ASSERT_TRUE(matches_brute_force(set, s, sp));
        }
        int v[3];
        for (int d = 0; d < 3; ++d) {
          const double u = sp[d] * fast.ncell[d];
          v[d] = std::min(fast.m - 1, (int) ((u - std::min(fast.ncell[d] - 1, (int) u)) * fast.m));
        }
        sure += fast.sure[(v[2] * fast.m + v[1]) * fast.m + v[0]];
      }
      // most atoms near their sites take the shortcut
      EXPECT_GT(sure, (int) (0.9 * sites.size() / 3));
    }
  }
}

// With too few cells along an axis, a voxel's list holds two images of one site (the table is
// not distinct): no voxel is then sure, since the sure path takes its other candidates for other
// sites.  One simple-cubic cell has a single site: no second site, whatever is asked.
TEST(CellTable, ATableWithImagesOfOneSiteMarksNoVoxelSure)
{
  std::vector<double> basis;
  lattice_basis("sc", basis);
  const double lo[3] = {0.0, 0.0, 0.0};
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int nx : {1, 2}) {
    const int nc[3] = {nx, 1, 1};
    const Box b = make_box(lo, nx * A, A, A, 0.0, 0.0, 0.0);
    SiteSet set;
    set.build_cells(basis, nc, b);
    const CellTableView t = set.finder().cells;
    EXPECT_EQ(t.distinct, 0);
    const int nvox = t.m * t.m * t.m;
    EXPECT_EQ(std::count(t.sure, t.sure + nvox, 1), 0);
    for (int k = 0; k < 500; ++k) {
      const double sp[3] = {u(rng), u(rng), u(rng)};
      const Nearest2 full = nearest_in_cells(t, b, sp, 0, SECOND_SITE), alone = nearest_in_cells(t, b, sp, 0, SECOND_DISTANCE);
      ASSERT_EQ(alone.i1, full.i1);
      ASSERT_EQ(alone.r1sq, full.r1sq);
      if (nx == 1) ASSERT_EQ(alone.i2, -1);
      else ASSERT_EQ(alone.r2sq, full.r2sq);
    }
  }
}

// A few cells per axis, down to one, in orthogonal and tilted boxes: the candidates' cells then
// lie up to 2 or 3 cells from the atom's, and near every box face they must be wrapped; the
// answers are brute force's.
TEST(CellTable, FewCellsAnswerAsBruteForce)
{
  const double lo[3] = {0.5, -1.0, 2.0};
  std::mt19937 rng(9);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  int wide = 0;
  for (const char *lattice : {"sc", "bcc", "diamond"})
    for (int tilt = 0; tilt < 3; ++tilt)
      for (int n = 1; n <= 4; ++n) {
        std::vector<double> basis;
        lattice_basis(lattice, basis);
        const int nc[3] = {n, n, n};
        const double t = tilt * 0.45 * A * n;
        const Box b = make_box(lo, n * A, n * A, n * A, t, -0.7 * t, 0.5 * t);
        SiteSet set;
        set.build_cells(basis, nc, b);
        if (set.size() < 2) continue;    // (one site: no second for brute force to compare)
        const CellTableView &c = set.finder().cells;
        int reach = 0;    // the farthest offset of a candidate's cell
        for (int p = 0; p < c.start[c.m * c.m * c.m]; ++p)
          for (int d = 0; d < 3; ++d) reach = std::max(reach, std::abs(c.cand[p].o[d]));
        wide += reach < n && n < 2 * reach;
        for (int k = 0; k < 150; ++k) {
          const double sp[3] = {u(rng), u(rng), u(rng)};
          ASSERT_TRUE(matches_brute_force(set, b, sp)) << lattice << " tilt " << tilt << " n " << n;
        }
        // the search takes the voxel from u * m without a clamp: m must be a power of two
        ASSERT_EQ(c.m & (c.m - 1), 0) << "m " << c.m;
        // just below each cell's upper face, along each axis (the last voxel of the cell)
        for (int d = 0; d < 3; ++d)
          for (int cell = 0; cell < n; ++cell) {
            double sp[3] = {u(rng), u(rng), u(rng)};
            sp[d] = std::nextafter((cell + 1.0) / n, 0.0);
            ASSERT_TRUE(matches_brute_force(set, b, sp)) << lattice << " tilt " << tilt << " n " << n << " face " << d;
          }
        // the box's corners: the first cell and the last one (the largest value below 1)
        const double top = std::nextafter(1.0, 0.0);
        for (int k = 0; k < 8; ++k) {
          const double sp[3] = {k & 1 ? top : 0.0, k & 2 ? top : 0.0, k & 4 ? top : 0.0};
          ASSERT_TRUE(matches_brute_force(set, b, sp)) << lattice << " tilt " << tilt << " n " << n << " corner " << k;
        }
      }
  EXPECT_GT(wide, 0);    // some sets had a candidate farther than half their cells
}

TEST(CellTable, RebuildsOnlyBeyondItsTolerance)
{
  std::vector<double> basis;
  lattice_basis("fcc", basis);
  const int nc[3] = {3, 3, 3};
  const double lo[3] = {0, 0, 0};
  const Box b = make_box(lo, 12.0, 12.0, 12.0, 0.0, 0.0, 0.0);
  CellTable t;
  t.build(basis, nc, b);
  EXPECT_FALSE(t.needs_rebuild(b));
  EXPECT_FALSE(t.needs_rebuild(make_box(lo, 12.01, 12.0, 12.0, 0.0, 0.0, 0.0)));    // 0.08 %
  EXPECT_TRUE(t.needs_rebuild(make_box(lo, 12.05, 12.0, 12.0, 0.0, 0.0, 0.0)));     // 0.4 %
  EXPECT_TRUE(t.needs_rebuild(make_box(lo, 12.0, 12.0, 12.0, 0.1, 0.0, 0.0)));      // shear
  EXPECT_GT(t.mean_candidates(), 1.0);
  EXPECT_LT(t.mean_candidates(), 20.0);
}

TEST(PointGrid, WithinRadiusFindsExactlyTheBruteForceSet)
{
  const double lo[3] = {0, 0, 0};
  const Box b = make_box(lo, 12.0, 10.0, 9.0, 3.0, 2.0, -2.5);
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<double> frac(3 * 150);
  for (double &s : frac) s = u(rng);
  SiteSet set;
  set.build(frac, b);
  for (int t = 0; t < 50; ++t) {
    double x[3] = {u(rng) * 12, u(rng) * 10, u(rng) * 9}, s[3];
    to_frac(b, x, s);
    auto ref = brute_distances(b, set.fractional(), x);
    std::vector<int> count(ref.size(), 0);
    auto hit = [&](int i, double) { count[i]++; };
    for_each_within(set.view(), b, s, 3.0, hit);
    for (size_t i = 0; i < ref.size(); ++i) EXPECT_EQ(count[i] > 0, ref[i] < 3.0) << "site " << i;
  }
}

TEST(ReAnalysis, PerfectDiamondHasNoReAtomsAndNoVacancies)
{
  Diamond d(2, cubic_box(2 * A));
  const Analysis an = analyse_serial(d.sites, d.dmin, d.box, d.x, ReParams());
  EXPECT_EQ(an.n_re, 0);
  EXPECT_EQ(an.counts.vacancies, 0);
  EXPECT_EQ(an.counts.ws_vacancies, 0);
  EXPECT_EQ(an.counts.ws_interstitials, 0);
  EXPECT_EQ(an.n_far, 0);
  for (int i = 0; i < 64; ++i) {
    EXPECT_EQ(an.atoms[i].site.site, i);
    EXPECT_NEAR(an.atoms[i].site.d1, 0.0, 1e-12);
    EXPECT_NEAR(an.atoms[i].site.d2, NN, 1e-9);
    EXPECT_EQ(an.atoms[i].r_vac, -1.0);    // no vacancy anywhere
    EXPECT_EQ(an.atoms[i].r_re, -1.0);     // no RE atom anywhere
  }
}

TEST(ReAnalysis, RemovedAtomGivesOneVacancyAtItsSite)
{
  Diamond d(2, cubic_box(2 * A));
  const int gone = 13;
  std::vector<double> x = d.x;
  x.erase(x.begin() + 3 * gone, x.begin() + 3 * gone + 3);
  const Analysis an = analyse_serial(d.sites, d.dmin, d.box, x, ReParams());
  EXPECT_EQ(an.counts.vacancies, 1);
  ASSERT_EQ(an.vacant_sites.size(), 1u);
  EXPECT_EQ(an.vacant_sites[0], gone);
  EXPECT_EQ(an.counts.ws_vacancies, 1);
  EXPECT_EQ(an.counts.ws_interstitials, 0);
  EXPECT_EQ(an.n_re, 0);
  int nn = 0;
  for (const auto &r : an.atoms)
    if (std::fabs(r.r_vac - NN) < 1e-9) nn++;
  EXPECT_EQ(nn, 4);    // the four neighbours of the vacant site
}

TEST(ReAnalysis, AtomAtBondMidpointIsRareEvent)
{
  Diamond d(2, cubic_box(2 * A));
  // site 0 at the origin, site 4 at (a/4, a/4, a/4): a bond; atom 0 hops half way to the empty site 4
  const int from = 0, to = 4;
  ASSERT_NEAR(std::sqrt(std::pow(d.x[3 * to] - d.x[0], 2) * 3), NN, 1e-9);
  std::vector<double> x;
  for (int i = 0; i < 64; ++i) {
    if (i == to) continue;
    for (int k = 0; k < 3; ++k) x.push_back(i == from ? 0.5 * (d.x[3 * from + k] + d.x[3 * to + k]) : d.x[3 * i + k]);
  }
  const Analysis an = analyse_serial(d.sites, d.dmin, d.box, x, ReParams());
  EXPECT_EQ(an.n_re, 1);
  const AtomResult &hop = an.atoms[0];
  EXPECT_EQ(hop.site.re, 1);
  EXPECT_NEAR(hop.site.d1, NN / 2, 1e-9);
  EXPECT_NEAR(hop.site.d2 - hop.site.d1, 0.0, 1e-9);
  EXPECT_EQ(hop.r_re, 0.0);
  EXPECT_EQ(hop.near_re, 0);
  // both end sites are more than 1.1 A from the atom: two vacancies by the paper's rule,
  // one by Wigner-Seitz (the atom belongs to one of them), and one atom far from every site
  EXPECT_EQ(an.counts.vacancies, 2);
  EXPECT_EQ(an.counts.ws_vacancies, 1);
  EXPECT_EQ(an.n_far, 1);
  // near-RE neighbours are exactly the atoms within 3 A of the midpoint
  int near = 0;
  for (size_t i = 1; i < an.atoms.size(); ++i) {
    const double *xi = &x[3 * i];
    double dsq = 0;
    for (int k = 0; k < 3; ++k) {
      double dk = xi[k] - x[k];
      dk -= 2 * A * std::round(dk / (2 * A));    // minimum image in the cubic box
      dsq += dk * dk;
    }
    EXPECT_NEAR(an.atoms[i].r_re, std::sqrt(dsq), 1e-9);
    EXPECT_EQ(an.atoms[i].near_re, std::sqrt(dsq) < 3.0);
    near += an.atoms[i].near_re;
  }
  EXPECT_GT(near, 0);
}

TEST(ReAnalysis, TetrahedralAndHexagonalInterstitials)
{
  Diamond d(2, cubic_box(2 * A));
  // T site at (a/2, a/2, a/2): 4 sites at sqrt(3)a/4; H site at (5a/8, 5a/8, 5a/8): 6 at sqrt(11)a/8
  const double t[3] = {A / 2, A / 2, A / 2}, h[3] = {5 * A / 8, 5 * A / 8, 5 * A / 8};
  for (const double *p : {t, h}) {
    std::vector<double> x = d.x;
    x.insert(x.end(), p, p + 3);
    const Analysis an = analyse_serial(d.sites, d.dmin, d.box, x, ReParams());
    const AtomResult &r = an.atoms.back();
    const double expect = p == t ? NN : std::sqrt(11.0) * A / 8;
    EXPECT_NEAR(r.site.d1, expect, 1e-9);
    EXPECT_NEAR(r.site.d2, expect, 1e-9);    // equidistant sites: the rule flags it
    EXPECT_EQ(r.site.re, 1);
    EXPECT_EQ(an.n_re, 1);
    EXPECT_EQ(an.n_far, 1);
    EXPECT_EQ(an.counts.vacancies, 0);
    EXPECT_EQ(an.counts.ws_vacancies, 0);
    EXPECT_EQ(an.counts.ws_interstitials, 1);
  }
}

TEST(ReAnalysis, GridAndCellSearchesAgree)
{
  Diamond cells(3, cubic_box(3 * A), true), grid(3, cubic_box(3 * A), false);
  std::mt19937 rng(5);
  std::normal_distribution<double> g(0.0, 0.35);
  std::vector<double> x = cells.x;
  for (double &v : x) v += g(rng);
  x.erase(x.begin() + 30, x.begin() + 36);    // two vacancies
  const Analysis a = analyse_serial(cells.sites, cells.dmin, cells.box, x, ReParams());
  const Analysis b = analyse_serial(grid.sites, grid.dmin, grid.box, x, ReParams());
  EXPECT_GT(a.n_re, 0);
  EXPECT_EQ(a.n_re, b.n_re);
  EXPECT_EQ(a.vacant_sites, b.vacant_sites);
  for (size_t i = 0; i < a.atoms.size(); ++i) {
    EXPECT_EQ(a.atoms[i].site.site, b.atoms[i].site.site);
    EXPECT_NEAR(a.atoms[i].site.d2, b.atoms[i].site.d2, 1e-12);
    EXPECT_NEAR(a.atoms[i].r_vac, b.atoms[i].r_vac, 1e-12);
    EXPECT_NEAR(a.atoms[i].r_re, b.atoms[i].r_re, 1e-12);
  }
}

TEST(ReAnalysis, TriclinicBoxFollowsTheShear)
{
  const double lo[3] = {1.0, -2.0, 0.5};
  const Box b = make_box(lo, 2 * A, 2 * A, 2 * A, 0.3 * A, -0.2 * A, 0.25 * A);
  Diamond d(2, b);
  std::vector<double> x = d.x;
  const Analysis perfect = analyse_serial(d.sites, d.dmin, b, x, ReParams());
  EXPECT_EQ(perfect.n_re, 0);
  EXPECT_EQ(perfect.counts.vacancies, 0);
  x.erase(x.begin() + 3 * 40, x.begin() + 3 * 41);
  const Analysis vac = analyse_serial(d.sites, d.dmin, b, x, ReParams());
  EXPECT_EQ(vac.counts.vacancies, 1);
  EXPECT_EQ(vac.vacant_sites.at(0), 40);
}

TEST(ReAnalysis, WrapAroundThePeriodicBoundary)
{
  Diamond d(2, cubic_box(2 * A));
  std::vector<double> x = d.x;
  // atom 0 sits on the corner site; move it just outside the box on every axis
  for (int k = 0; k < 3; ++k) x[k] = -0.2;
  // and one atom displaced so that its nearest site image is across the boundary
  const double L = 2 * A;
  x[3 * 1 + 0] = L - 0.05;
  const Analysis an = analyse_serial(d.sites, d.dmin, d.box, x, ReParams());
  EXPECT_EQ(an.atoms[0].site.site, 0);
  EXPECT_NEAR(an.atoms[0].site.d1, 0.2 * std::sqrt(3.0), 1e-9);
  EXPECT_NEAR(d.x[3], 0.0, 1e-12);    // site 1, (0, a/2, a/2), lies on the x = 0 face
  EXPECT_EQ(an.atoms[1].site.site, 1);
  EXPECT_NEAR(an.atoms[1].site.d1, 0.05, 1e-9);
  EXPECT_EQ(an.counts.vacancies, 0);
  EXPECT_EQ(an.n_re, 0);
}

TEST(ReAnalysis, LargeVacancyRadiusUsesTheSiteSearch)
{
  Diamond d(2, cubic_box(2 * A));
  std::vector<double> x = d.x;
  x.erase(x.begin(), x.begin() + 3);    // site 0 empty
  ReParams p;
  p.vacancy = 1.5 * NN;    // beyond half the spacing: neighbours now hold the empty site
  const Analysis an = analyse_serial(d.sites, d.dmin, d.box, x, p);
  EXPECT_EQ(an.counts.vacancies, 0);
  EXPECT_EQ(an.counts.ws_vacancies, 1);
}

TEST(Box, RestrictCellRotatesAGeneralCell)
{
  const double cell[3][3] = {{4.0, 1.0, 0.5}, {-0.5, 5.0, 0.8}, {0.3, -0.7, 6.0}};
  RestrictedCell rc;
  ASSERT_TRUE(restrict_cell(cell, rc));
  double rows[3][3];
  for (int r = 0; r < 3; ++r)
    for (int i = 0; i < 3; ++i) rows[r][i] = rc.rot[i][0] * cell[r][0] + rc.rot[i][1] * cell[r][1] + rc.rot[i][2] * cell[r][2];
  EXPECT_NEAR(rows[0][0], rc.xx, 1e-12);
  EXPECT_NEAR(rows[0][1], 0.0, 1e-12);
  EXPECT_NEAR(rows[0][2], 0.0, 1e-12);
  EXPECT_NEAR(rows[1][0], rc.xy, 1e-12);
  EXPECT_NEAR(rows[1][1], rc.yy, 1e-12);
  EXPECT_NEAR(rows[1][2], 0.0, 1e-12);
  EXPECT_NEAR(rows[2][0], rc.xz, 1e-12);
  EXPECT_NEAR(rows[2][1], rc.yz, 1e-12);
  EXPECT_NEAR(rows[2][2], rc.zz, 1e-12);
  const double left[3][3] = {{1, 0, 0}, {0, 0, 1}, {0, 1, 0}};
  EXPECT_FALSE(restrict_cell(left, rc));
}

namespace {
std::string write_temp(const std::string &text)
{
  char name[] = "/tmp/mlipeval_xyzXXXXXX";
  const int fd = mkstemp(name);
  EXPECT_GE(fd, 0);
  std::ofstream(name) << text;
  ::close(fd);
  return name;
}
}    // namespace

TEST(XyzReader, ReadsExtendedXyzFrames)
{
  const std::string path = write_temp(
      "2\nLattice=\"5 0 0 0 5 0 0 0 5\" Properties=species:S:1:pos:R:3:forces:R:3:flag:I:1 energy=-1.5 pbc=\"T T T\"\n"
      "Si 0 0 0 1 2 3 1\nSi 1.25 1.25 1.25 -1 -2 -3 0\n\n"
      "1\nplain xyz comment\nX 1 2 3\n");
  XyzReader r(path);
  XyzFrame f;
  ASSERT_TRUE(r.next(f));
  EXPECT_EQ(f.natoms, 2);
  EXPECT_TRUE(f.has_lattice);
  EXPECT_EQ(f.lattice[1][1], 5.0);
  EXPECT_EQ(f.info.at("energy"), "-1.5");
  EXPECT_EQ(f.info.at("pbc"), "T T T");
  auto forces = f.column("forces", 3);
  EXPECT_EQ(forces[4], -2.0);
  EXPECT_EQ(f.column("flag", 1)[0], 1.0);
  EXPECT_THROW(f.column("nothere", 3), XyzError);
  EXPECT_THROW(f.column("forces", 1), XyzError);
  ASSERT_TRUE(r.next(f));
  EXPECT_FALSE(f.has_lattice);
  EXPECT_EQ(f.column("pos", 3)[2], 3.0);
  EXPECT_FALSE(r.next(f));
  std::remove(path.c_str());
}

TEST(XyzReader, ReportsBrokenFilesWithTheLine)
{
  const char *bad[] = {"abc\ncomment\n", "3\ncomment\nSi 0 0 0\n", "1\ncomment\nSi 0 zero 0\n",
                       "1\ncomment\nSi 0 nan 0\n", "1\nProperties=species:S:1:pos:Q:3\nSi 0 0 0\n",
                       "1\ncomment\nSi 0 0 0 7\n"};
  for (const char *text : bad) {
    const std::string path = write_temp(text);
    XyzReader r(path);
    XyzFrame f;
    try {
      r.next(f);
      ADD_FAILURE() << "no error for: " << text;
    } catch (XyzError &e) {
      EXPECT_NE(std::string(e.what()).find(path + ":"), std::string::npos) << e.what();
    }
    std::remove(path.c_str());
  }
  EXPECT_THROW(XyzReader("/nonexistent/file.xyz"), XyzError);
}

TEST(LineSource, LinesAndBlocksAcrossBufferEdgesAndLineEnds)
{
  // lines long and short, CRLF and LF, no newline at the end: the buffer (1 MiB) must be
  // refilled in the middle of a line and grow for one longer than itself
  std::string text, longline(3 << 20, 'x');
  std::vector<std::string> want;
  for (int k = 0; k < 200000; ++k) want.push_back(std::to_string(k) + " " + std::to_string(0.5 * k));
  want.push_back(longline);
  want.push_back("");
  want.push_back("last");
  for (size_t k = 0; k < want.size(); ++k) text += want[k] + (k + 1 == want.size() ? "" : (k % 3 ? "\n" : "\r\n"));
  const std::string path = write_temp(text);
  FILE *fp = std::fopen(path.c_str(), "r");
  ASSERT_TRUE(fp);
  LineSource src(fp);
  std::string line, block;
  std::vector<size_t> starts;
  ASSERT_TRUE(src.getline(line));
  EXPECT_EQ(line, want[0]);
  ASSERT_EQ(src.getlines(150000, block, starts), 150000u);
  for (size_t k = 0; k < starts.size(); ++k) ASSERT_STREQ(block.data() + starts[k], want[k + 1].c_str()) << k;
  ASSERT_EQ(src.getlines(1000000, block, starts), want.size() - 150001);    // the rest: fewer than asked
  for (size_t k = 0; k < starts.size(); ++k) ASSERT_STREQ(block.data() + starts[k], want[k + 150001].c_str()) << k;
  EXPECT_FALSE(src.getline(line));
  std::fclose(fp);
  std::remove(path.c_str());
}

TEST(LineSource, ParseNumbersTakesWhatStrtodTakes)
{
  double v[4];
  ASSERT_TRUE(parse_numbers("  1 -2.5e-3\t+7 inf", v, 4));
  EXPECT_EQ(v[0], 1.0);
  EXPECT_EQ(v[1], -2.5e-3);
  EXPECT_EQ(v[2], 7.0);
  EXPECT_TRUE(std::isinf(v[3]));
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> u(-1e3, 1e3);
  for (int k = 0; k < 10000; ++k) {    // the shortest round trip and LAMMPS's %20.15g
    const double x = u(rng) * std::pow(10.0, (int) (k % 40) - 20);
    char s[64];
    std::snprintf(s, sizeof s, k % 2 ? "%.17g" : "%20.15g", x);
    ASSERT_TRUE(parse_numbers(s, v, 1)) << s;
    ASSERT_EQ(v[0], std::strtod(s, nullptr)) << s;
  }
  EXPECT_FALSE(parse_numbers("1 2", v, 3));     // too few
  EXPECT_FALSE(parse_numbers("1 2x 3", v, 3));  // not a number
  EXPECT_FALSE(parse_numbers("1 - 3", v, 3));
  EXPECT_TRUE(parse_numbers("1 2 3 extra", v, 3));    // later columns are not read
}

namespace {
// a ParallelFor that runs the chunks on threads in reverse order, as a thread pool might
ParallelFor reversed_threads(size_t grain)
{
  return [grain](size_t n, const std::function<void(size_t, size_t)> &body) {
    std::vector<std::thread> pool;
    for (size_t c = (n + grain - 1) / grain; c-- > 0;) pool.emplace_back(body, c * grain, std::min(n, (c + 1) * grain));
    for (auto &t : pool) t.join();
  };
}
}    // namespace

TEST(ReferenceReader, DumpFramesParsedInParallelEqualSerial)
{
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> u(-5, 5);
  std::string text;
  const int natoms = 1000;
  for (int step = 0; step < 3; ++step) {
    text += "ITEM: TIMESTEP\n" + std::to_string(10 * step) + "\nITEM: NUMBER OF ATOMS\n" + std::to_string(natoms) +
        "\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n0 1\nITEM: ATOMS id type fx fy fz\n";
    for (int i = 0; i < natoms; ++i) {
      char line[128];
      std::snprintf(line, sizeof line, "%d 1 %.17g %.17g %.17g\n", natoms - i, u(rng), u(rng), u(rng));
      text += line;
    }
  }
  const std::string path = write_temp(text);
  ReferenceReader serial(path, ReferenceReader::DUMP, "forces", ""), parallel(path, ReferenceReader::DUMP, "forces", "");
  parallel.set_parallel_for(reversed_threads(64));
  RefFrame a, b;
  for (int step = 0; step < 3; ++step) {
    ASSERT_TRUE(serial.next(a));
    ASSERT_TRUE(parallel.next(b));
    EXPECT_EQ(b.step, 10 * step);
    EXPECT_EQ(a.ids, b.ids);
    EXPECT_EQ(a.ref, b.ref);
    EXPECT_EQ(b.ids[0], natoms);
  }
  EXPECT_FALSE(parallel.next(b));
  std::remove(path.c_str());
}

TEST(ReferenceReader, ParallelParseReportsTheFirstBadLine)
{
  // bad atom lines 700 and 300 of a frame: whichever chunk finishes first, line 300 is named
  std::string text = "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1000\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n0 1\n"
                     "ITEM: ATOMS id fx fy fz\n";
  for (int i = 1; i <= 1000; ++i) text += std::to_string(i) + (i == 300 || i == 700 ? " 1 x 2\n" : " 1 2 3\n");
  const std::string path = write_temp(text);
  ReferenceReader r(path, ReferenceReader::DUMP, "forces", "");
  r.set_parallel_for(reversed_threads(50));
  RefFrame f;
  try {
    r.next(f);
    ADD_FAILURE() << "no error";
  } catch (XyzError &e) {
    EXPECT_NE(std::string(e.what()).find(path + ":309: atom line"), std::string::npos) << e.what();
  }
  std::remove(path.c_str());
}

TEST(ReResults, NamedReadsFollowTheDocumentedColumns)
{
  // rows as LAMMPS holds them; columns 1..7 of the docs are site (1-based), d1, d2 - d1, RE flag,
  // distance to the nearest vacancy, to the nearest RE atom, near-RE flag
  std::vector<double> data(3 * RE_NCOLS, -7.0);
  double *rowp[3] = {&data[0], &data[RE_NCOLS], &data[2 * RE_NCOLS]};
  const HostRows rows{rowp};
  const ReResults<HostRows> res{rows};
  clear_row(rows, 0);
  EXPECT_EQ(res.site(0), -1);    // outside the group
  store_site(rows, 1, AtomSite{41, 1.25, 1.5, 1});
  store_result(rows, 1, AtomResult{AtomSite{}, 3.5, 0.0, 0});
  EXPECT_EQ(data[RE_NCOLS + 0], 42.0);
  EXPECT_EQ(data[RE_NCOLS + 2], 0.25);
  EXPECT_EQ(data[RE_NCOLS + 4], 3.5);
  EXPECT_EQ(res.site(1), 41);
  EXPECT_EQ(res.d1(1), 1.25);
  EXPECT_EQ(res.re(1), 1);
  EXPECT_EQ(res.r_vacancy(1), 3.5);
  EXPECT_EQ(res.near_re(1), 0);
  const AtomSite back = stored_site(rows, 1);
  EXPECT_EQ(back.site, 41);
  EXPECT_DOUBLE_EQ(back.d2, 1.5);
  store_result(rows, 2, AtomResult{AtomSite{}, -1.0, 0.5, 1});
  EXPECT_EQ(res.near_re(2), 1);
  EXPECT_EQ(data[2 * RE_NCOLS + 5], 0.5);
}

namespace {
// P threads as P ranks: each round, every rank deposits its values and reads everyone's
class ThreadRanks {
 public:
  explicit ThreadRanks(int p) : slots(p) {}
  std::vector<std::vector<double>> exchange(int rank, const std::vector<double> &mine)
  {
    std::unique_lock<std::mutex> lock(m);
    cv.wait(lock, [&] { return !reading; });    // the last round is read by all
    slots[rank] = mine;
    if (++arrived == (int) slots.size()) {
      reading = true;
      cv.notify_all();
    } else {
      cv.wait(lock, [&] { return reading; });
    }
    std::vector<std::vector<double>> all = slots;
    if (--arrived == 0) {
      reading = false;
      cv.notify_all();
    }
    return all;
  }

 private:
  std::mutex m;
  std::condition_variable cv;
  std::vector<std::vector<double>> slots;
  int arrived = 0;
  bool reading = false;
};

// rank k of a px x py x pz brick (x fastest), as SubdomainPasses numbers them
struct ThreadComm : ReComm {
  ThreadRanks &ranks;
  int rank, grid[3];
  ThreadComm(ThreadRanks &r, int k, const int g[3]) : ranks(r), rank(k), grid{g[0], g[1], g[2]} {}
  std::vector<double> gather(const std::vector<double> &mine) override
  {
    std::vector<double> out;
    for (const auto &part : ranks.exchange(rank, mine)) out.insert(out.end(), part.begin(), part.end());
    return out;
  }
  // every rank deposits its message; each reads that of its neighbour on the side opposite dir
  std::vector<int> shift(int axis, int dir, const std::vector<int> &out) override
  {
    int loc[3] = {rank % grid[0], (rank / grid[0]) % grid[1], rank / (grid[0] * grid[1])};
    loc[axis] = (loc[axis] - dir + grid[axis]) % grid[axis];
    const int from = loc[0] + grid[0] * (loc[1] + grid[1] * loc[2]);
    const std::vector<double> in = ranks.exchange(rank, std::vector<double>(out.begin(), out.end()))[from];
    return std::vector<int>(in.begin(), in.end());
  }
};

// One rank of a px x py x pz grid: it owns the atoms whose box fractions lie in its subdomain
// moved by `drift` along every axis (with drift != 0 the caller gives every atom as the image in
// [drift, 1 + drift): in LAMMPS an owned atom may have moved out of its subdomain, and out of the
// box, since the last reneighboring; see drifted()), and sees as ghosts every other image (shifts
// of -1, 0, 1 box) of every atom, as LAMMPS's ghost shell would; the pipeline picks those within
// the margin.
struct SubdomainPasses : RePasses {
  static constexpr double some_drift = 0.004;
  const std::vector<double> &x;
  const std::vector<int> &type;    // atom types (empty: sites without types)
  std::vector<int> mine, ghost_type;
  std::vector<double> ghost_x;
  Subdomain sub;
  ReParams p;
  int local;
  std::vector<AtomResult> out;
  std::vector<double> s;
  SubdomainPasses(const std::vector<double> &x, const std::vector<int> &type, const Box &b, const int grid[3],
                  int rank, int local, double drift = 0.0) :
      x(x), type(type), local(local)
  {
    const int loc[3] = {rank % grid[0], (rank / grid[0]) % grid[1], rank / (grid[0] * grid[1])};
    sub.whole = grid[0] * grid[1] * grid[2] == 1;
    sub.brick = 1;
    for (int d = 0; d < 3; ++d) {
      sub.lo[d] = (double) loc[d] / grid[d];
      sub.hi[d] = (double) (loc[d] + 1) / grid[d];
      sub.wmin[d] = 1.0 / grid[d];
      // owned atoms lie up to `drift` (box fractions) outside the subdomain along each axis
      sub.drift = std::max(sub.drift, std::fabs(drift) * b.width[d]);
    }
    for (int k = 0; k < (int) x.size() / 3; ++k) {
      double f[3];
      to_frac_unwrapped(b, &x[3 * k], f);
      bool in = true;
      for (int d = 0; d < 3; ++d) {
        const double g = drift != 0.0 ? f[d] : wrap01(f[d]);
        in = in && g >= sub.lo[d] + drift && g < sub.hi[d] + drift;
      }
      if (in) mine.push_back(k);
      for (int m = 0; m < 27; ++m) {
        const double shift[3] = {double(m % 3 - 1), double((m / 3) % 3 - 1), double(m / 9 - 1)};
        if (in && m == 13) continue;    // the owned copy
        double g[3];
        frac_to_cart(b, shift, g);
        for (int d = 0; d < 3; ++d) ghost_x.push_back(x[3 * k + d] + g[d]);
        ghost_type.push_back(type_of(k));
      }
    }
  }
  int type_of(int k) const { return type.empty() ? 0 : type[k]; }
  bool ahead = true;    // finish against the last call's sets in the first pass
  bool finishes_ahead() const override { return ahead; }
  void locate(const SiteFinder &f, const Box &b, const TallyView &t, std::vector<double> &re_frac,
              std::vector<int> &re_type, long counts[2], const FinishSets *guess) override
  {
    out.assign(mine.size(), AtomResult());
    s.resize(3 * mine.size());
    for (size_t j = 0; j < mine.size(); ++j) {
      AtomResult r;
      out[j].site = locate_and_tally(f, b, &x[3 * mine[j]], type_of(mine[j]), p, local, t, PlainAdd(), &s[3 * j], guess, &r);
      if (guess) out[j] = r;
      if (out[j].site.d1 > p.vacancy) counts[1]++;
      if (out[j].site.re) {
        counts[0]++;
        re_frac.insert(re_frac.end(), &s[3 * j], &s[3 * j] + 3);
        re_type.push_back(type_of(mine[j]));
      }
    }
  }
  void ghosts(const SiteFinder &f, const Box &b, const TallyView &t, const GhostReach &reach) override
  {
    for (size_t g = 0; g < ghost_x.size(); g += 3)
      tally_ghost(f, b, &ghost_x[g], ghost_type[g / 3], p, local, t, reach, PlainAdd());
  }
  void finish(const SparseView &vac, const SparseView &re, const Box &b) override
  {
    for (size_t j = 0; j < mine.size(); ++j) out[j] = finish_atom(out[j].site, &s[3 * j], vac, re, b, p.near);
  }
};

// every rank of the grid as a thread; each must give the serial answer, per atom and per site.
// skin >= 0: each rank keeps only the stored sites within keep_distance() of its subdomain.
// every atom of x as its image whose box fractions lie in [drift, 1 + drift): some just outside
// the box, as in LAMMPS between reneighborings (an atom already there keeps its coordinates)
std::vector<double> drifted(std::vector<double> x, const Box &box, double drift)
{
  for (size_t k = 0; k < x.size(); k += 3) {
    double f[3], ds[3], g[3];
    to_frac_unwrapped(box, &x[k], f);
    for (int d = 0; d < 3; ++d) ds[d] = -std::floor(f[d] - drift);
    frac_to_cart(box, ds, g);
    for (int d = 0; d < 3; ++d) x[k + d] += g[d];
  }
  return x;
}

// brick: the ranks form a brick (unit-cell sites then fold their tallies), else they tally ghosts
void expect_serial_answer_as(int brick, double drift, const Box &box, SiteSet &sites0, double dmin, const std::vector<double> &x_in,
                             const int grid[3], const ReParams &p, double skin, const std::vector<int> &type)
{
  // every rank count, and the serial answer, sees these coordinates
  const std::vector<double> x = drifted(x_in, box, drift);
  const bool local = p.vacancy < 0.5 * dmin;
  if (!local) sites0.need_radius_search(box);
  const Analysis serial = analyse_serial(sites0, dmin, box, x, p, type);
  const int P = grid[0] * grid[1] * grid[2];
  ThreadRanks ranks(P);
  std::vector<SubdomainPasses> passes;
  for (int r = 0; r < P; ++r) passes.emplace_back(x, type, box, grid, r, local ? 1 : 0, drift);
  const double cover = covering_bound(sites0, box, Subdomain());
  double margin = std::max(p.vacancy, cover);
  for (auto &ps : passes) {
    ps.p = p;
    ps.sub.margin = margin;
    ps.sub.brick = brick;
  }
  std::vector<RePipeline> pipes(P);
  std::vector<SiteSet> sites(P, sites0);
  if (skin >= 0.0)
    for (int r = 0; r < P; ++r) {
      const GridWindow w =
          keep_window(passes[r].sub, box, keep_distance(margin, skin, cover, p.vacancy, neighbour_bound(sites0, box, Subdomain())));
      EXPECT_TRUE(w.open[0] || w.open[1] || w.open[2]);
      if (sites0.generated()) {    // a unit-cell set: the grid of its radius search over the window
        if (local) continue;
        sites[r].need_radius_search(box, w);
        EXPECT_LT(sites[r].view().npoints, sites0.size()) << "rank " << r << " searches every site";
        continue;
      }
      std::vector<double> kept;
      std::vector<int> ids, types;
      for (int i = 0; i < sites0.size(); ++i) {
        double s[3];
        sites0.position(i, s);
        if (!window_holds(w, s)) continue;
        kept.insert(kept.end(), s, s + 3);
        ids.push_back(i);
        if (sites0.ntypes()) types.push_back(sites0.type_of(i));
      }
      const double mine = sites[r].build_kept(kept, ids, sites0.size(), w, box, types, sites0.ntypes());
      EXPECT_GE(mine, dmin - 1e-12);
      sites[r].set_separation(dmin);
      EXPECT_LT(sites[r].stored(), sites0.size()) << "rank " << r << " keeps every site";
    }
  // three times: the third call finds the sets of the second, which were those of the first, so
  // its first pass gives every answer
  std::vector<std::thread> pool;
  for (int r = 0; r < P; ++r)
    pool.emplace_back([&, r] {
      ThreadComm comm(ranks, r, grid);
      for (int call = 0; call < 3; ++call) pipes[r].run(sites[r], box, passes[r].sub, passes[r], comm);
    });
  for (auto &t : pool) t.join();
  size_t owned = 0;
  for (int r = 0; r < P; ++r) {
    SCOPED_TRACE("rank " + std::to_string(r));
    EXPECT_EQ(pipes[r].finish_passes(), 2);
    EXPECT_EQ(pipes[r].folds(), brick && P > 1 && sites0.generated());
    EXPECT_EQ(pipes[r].lost(), 0);
    owned += passes[r].mine.size();
    EXPECT_EQ(pipes[r].n_re(), serial.n_re);
    EXPECT_EQ(pipes[r].n_far(), serial.n_far);
    EXPECT_EQ(pipes[r].vacant(), serial.vacant_sites);
    EXPECT_EQ(pipes[r].site_counts().vacancies, serial.counts.vacancies);
    EXPECT_EQ(pipes[r].site_counts().ws_vacancies, serial.counts.ws_vacancies);
    EXPECT_EQ(pipes[r].site_counts().ws_interstitials, serial.counts.ws_interstitials);
    EXPECT_EQ(pipes[r].vacancies_by_type(), serial.vacancies_by_type);
    if (sites0.ntypes()) {    // the type of each vacant or crowded site comes with it, whoever keeps the site
      std::vector<int> vt, ct;
      for (int i : serial.vacant_sites) vt.push_back(sites0.type_of(i));
      for (int i : pipes[r].crowded()) ct.push_back(sites0.type_of(i));
      EXPECT_EQ(pipes[r].vacant_types(), vt);
      EXPECT_EQ(pipes[r].crowded_types(), ct);
      EXPECT_FALSE(ct.empty());
    }
    EXPECT_EQ(pipes[r].re_by_type(), serial.re_by_type);
    for (size_t j = 0; j < passes[r].mine.size(); ++j) {
      const AtomResult &a = passes[r].out[j], &b = serial.atoms[passes[r].mine[j]];
      ASSERT_EQ(a.site.site, b.site.site);
      ASSERT_EQ(a.site.re, b.site.re);
      ASSERT_EQ(a.r_vac, b.r_vac);
      ASSERT_EQ(a.r_re, b.r_re);
      ASSERT_EQ(a.near_re, b.near_re);
    }
  }
  EXPECT_EQ(owned, x.size() / 3);
}

// every grid of ranks as a brick, and unit-cell sites also with ghost atoms (a tiled layout);
// folded, with atoms drifted out of their subdomains both ways (their counts cross the box faces
// both ways)
void expect_serial_answer(const Box &box, SiteSet &sites0, double dmin, const std::vector<double> &x_in,
                          const int grid[3], const ReParams &p, double skin = -1.0,
                          const std::vector<int> &type = std::vector<int>())
{
  const double drift = SubdomainPasses::some_drift;
  expect_serial_answer_as(1, drift, box, sites0, dmin, x_in, grid, p, skin, type);
  if (!sites0.generated()) return;
  {
    SCOPED_TRACE("brick, drifted down");
    expect_serial_answer_as(1, -drift, box, sites0, dmin, x_in, grid, p, skin, type);
  }
  SCOPED_TRACE("ghosts");
  expect_serial_answer_as(0, drift, box, sites0, dmin, x_in, grid, p, skin, type);
}
}    // namespace

namespace {
// n diamond cells along each edge: a cubic box, or one sheared by xy xz yz (in cells)
Box test_box(int n, bool tilt, double xy, double xz, double yz)
{
  const double zero[3] = {0, 0, 0};
  return tilt ? make_box(zero, n * A, n * A, n * A, xy * A, xz * A, yz * A) : cubic_box(n * A);
}

// atom a of x moves half-way to where atom b of the crystal sits (mid-hop: an RE atom)
void move_halfway(std::vector<double> &x, const std::vector<double> &crystal, int a, int b)
{
  for (int k = 0; k < 3; ++k) x[3 * a + k] = 0.5 * (crystal[3 * a + k] + crystal[3 * b + k]);
}
}    // namespace

TEST(RePipeline, SubdomainRanksGiveTheSerialAnswer)
{
  // a vacancy, an atom mid-hop (RE), an interstitial and a far atom, dealt to ranks by position:
  // sites, defects and atoms on the subdomain faces and box faces included
  for (int cells = 0; cells < 2; ++cells)
    for (int tilt = 0; tilt < 2; ++tilt) {
      SCOPED_TRACE(std::string(cells ? "sites cell" : "stored sites") + (tilt ? ", triclinic" : ""));
      const Box box = test_box(3, tilt, 0.4, -0.3, 0.2);
      Diamond d(3, box, cells);
      std::vector<double> x = d.x;
      move_halfway(x, d.x, 7, 11);
      x.erase(x.begin() + 3 * 11, x.begin() + 3 * 11 + 3);
      // an atom pushed 1.15 A from its site on the subdomain face x = 1/2 into the rank below:
      // still nearest its own site, but beyond the vacancy radius (a vacancy by the paper's rule
      // and not by Wigner-Seitz), counted by the rank below for a site of the rank above
      for (size_t i = 0; i < x.size() / 3; ++i) {
        double s[3];
        to_frac(box, &x[3 * i], s);
        if (std::abs(s[0] - 0.5) < 1e-9) {
          x[3 * i] -= 1.15;
          break;
        }
      }
      // an atom near the box corner, one on the subdomain face x = 1/2 (a site plane of the
      // diamond), one pushed far into the void of a cell face
      const double corner[3] = {0.999, 0.9995, 0.0003}, face[3] = {0.5, 0.25, 1.0 / 12}, far[3] = {0.52 / 3, 0.0004, 0.9997};
      // and an atom that has drifted out through the y and z faces since LAMMPS last wrapped it:
      // its owner holds it outside the box, every rank its images as ghosts
      const double drifted[3] = {0.3, 1.0004, -0.0002};
      for (const double *f : {corner, face, far, drifted}) {
        double c[3];
        frac_to_cart(box, f, c);
        x.insert(x.end(), c, c + 3);
      }
      // 12 ranks along x: subdomains 1.4 A wide, less than the vacancy radius of `wide`, so that
      // folded counts pass two ranks on their way
      for (const int *grid :
           {(const int[3]){2, 1, 1}, (const int[3]){2, 2, 1}, (const int[3]){1, 3, 2}, (const int[3]){12, 1, 1}}) {
        SCOPED_TRACE("grid " + std::to_string(grid[0]) + "x" + std::to_string(grid[1]) + "x" + std::to_string(grid[2]));
        expect_serial_answer(box, d.sites, d.dmin, x, grid, ReParams());
        ReParams wide;
        wide.vacancy = 1.6;    // beyond half the site spacing: the held tally searches the sites
        expect_serial_answer(box, d.sites, d.dmin, x, grid, wide);
      }
    }
}

// The first pass finishes the atoms against the last call's vacancy and RE sets when the last
// call's sets were those of the call before; the second pass runs when it did not, or when this
// call's sets differ.  Over a sequence of frames each answer must be the serial one, with the
// second pass run exactly then.
TEST(RePipeline, SecondPassOnlyWhenTheSetsChange)
{
  for (int cells = 0; cells < 2; ++cells) {
    SCOPED_TRACE(cells ? "sites cell" : "stored sites");
    const Box box = test_box(3, true, 0.4, -0.3, 0.2);
    Diamond d(3, box, cells);
    auto without = [](std::vector<double> x, int gone) {
      x.erase(x.begin() + 3 * gone, x.begin() + 3 * gone + 3);
      return x;
    };
    std::vector<double> jiggled = d.x;
    std::mt19937 rng(2);
    std::normal_distribution<double> jitter(0.0, 0.1);
    for (double &v : jiggled) v += jitter(rng);
    std::vector<double> hop = d.x;
    move_halfway(hop, d.x, 7, 11);
    const std::vector<double> still = without(d.x, 11), moved = without(jiggled, 11), re = without(hop, 11),
                              other = without(hop, 30);
    // frame, and whether the second pass runs: the first call; the sets of the first again, but
    // the first pass did not guess after a change; the same sets, guessed; a new RE atom; the same
    // set, not guessed; guessed again; another; changed back
    const std::vector<std::pair<const std::vector<double> *, bool>> frames = {
        {&still, true}, {&still, true}, {&moved, false}, {&re, true}, {&re, true},
        {&re, false},   {&other, true}, {&moved, true}};
    RePipeline pipe;
    SerialComm comm;
    const int whole[3] = {1, 1, 1};
    long expected = 0;
    for (size_t k = 0; k < frames.size(); ++k) {
      SCOPED_TRACE("frame " + std::to_string(k));
      const std::vector<double> &x = *frames[k].first;
      SubdomainPasses passes(x, std::vector<int>(), box, whole, 0, 1);
      pipe.run(d.sites, box, passes.sub, passes, comm);
      expected += frames[k].second;
      EXPECT_EQ(pipe.finish_passes(), expected);
      const Analysis serial = analyse_serial(d.sites, d.dmin, box, x, ReParams());
      if (&x == &re) {
        EXPECT_GT(serial.n_re, 0);    // the RE set is not empty there
      }
      EXPECT_EQ(pipe.vacant(), serial.vacant_sites);
      EXPECT_EQ(pipe.n_re(), serial.n_re);
      ASSERT_EQ(passes.mine.size(), serial.atoms.size());
      for (size_t j = 0; j < passes.mine.size(); ++j) {
        const AtomResult &a = passes.out[j], &b = serial.atoms[passes.mine[j]];
        ASSERT_EQ(a.site.site, b.site.site);
        ASSERT_EQ(a.site.d1, b.site.d1);
        ASSERT_EQ(a.site.re, b.site.re);
        ASSERT_EQ(a.r_vac, b.r_vac);
        ASSERT_EQ(a.r_re, b.r_re);
        ASSERT_EQ(a.near_re, b.near_re);
      }
    }
  }
}

TEST(RePipeline, RanksThatKeepPartOfTheStoredSitesGiveTheSerialAnswer)
{
  // each rank keeps the stored sites near its subdomain only (and a unit-cell set's radius search
  // covers only those): a vacancy, an RE atom and an interstitial on subdomain faces, in an
  // orthogonal and a triclinic box
  for (int tilt = 0; tilt < 2; ++tilt)
    for (int cells = 0; cells < 2; ++cells) {
    SCOPED_TRACE(std::string(tilt ? "triclinic" : "orthogonal") + (cells ? ", sites cell" : ", stored sites"));
    const Box box = test_box(12, tilt, 0.9, -0.6, 0.4);
    Diamond d(12, box, cells);
    std::vector<double> x = d.x;
    // an atom of cell (6, 3, 5) on the face x = 1/2 moves half-way to a neighbour (RE), an atom of
    // cell (2, 6, 7) on y = 1/2 leaves (a vacancy), an interstitial sits near x = 1/2
    const int on_face = 8 * (6 + 12 * (3 + 12 * 5)), across = 8 * (2 + 12 * (6 + 12 * 7)) + 3;
    move_halfway(x, d.x, on_face, on_face + 4);
    const double inter[3] = {0.5 + 0.5 / 12, 0.25 + 0.5 / 12, 0.5 / 12};
    double c[3];
    frac_to_cart(box, inter, c);
    x.erase(x.begin() + 3 * across, x.begin() + 3 * across + 3);
    x.insert(x.end(), c, c + 3);
    for (const int *grid : {(const int[3]){3, 1, 1}, (const int[3]){3, 3, 1}, (const int[3]){1, 3, 4}}) {
      SCOPED_TRACE("grid " + std::to_string(grid[0]) + "x" + std::to_string(grid[1]) + "x" + std::to_string(grid[2]));
      expect_serial_answer(box, d.sites, d.dmin, x, grid, ReParams(), 2.0);
      ReParams wide;
      wide.vacancy = 1.6;
      expect_serial_answer(box, d.sites, d.dmin, x, grid, wide, 2.0);
    }
  }
}

TEST(SiteSet, KeptSitesAnswerAsTheWholeSetWhereverARankLooks)
{
  // random points wherever a rank looks find the same nearest site (and, within half the skin
  // of its subdomain, where owned atoms are, the same nearest two), and the same sites within the
  // vacancy radius, among the sites that rank keeps as among all of them (ghosts within the
  // margin need only the nearest); in a sheared box with a vacancy-sized hole
  const double zero[3] = {0, 0, 0};
  const Box box = make_box(zero, 12 * A, 11 * A, 13 * A, 1.1 * A, -0.7 * A, 0.5 * A);
  std::vector<double> basis;
  lattice_basis("diamond", basis);
  const int nc[3] = {12, 11, 13};
  std::vector<double> frac = replicate_cell(basis, nc);
  frac.erase(frac.begin() + 3 * 5000, frac.begin() + 3 * 5002);    // two missing sites
  SiteSet all;
  const double dmin = all.build(frac, box);
  const double cover = covering_bound(all, box, Subdomain()), skin = 2.0, vacancy = 1.8;
  const double margin = std::max(cover, vacancy);
  Subdomain sub;
  sub.whole = 0;
  const double lo[3] = {0.55, 0.0, 0.3}, hi[3] = {0.9, 0.5, 0.62};
  for (int d = 0; d < 3; ++d) {
    sub.lo[d] = lo[d];
    sub.hi[d] = hi[d];
  }
  const double neighbour = neighbour_bound(all, box, Subdomain());
  EXPECT_LT(neighbour, 2.0 * cover);    // tighter than two covering radii: the keep is smaller
  const GridWindow w = keep_window(sub, box, keep_distance(margin, skin, cover, vacancy, neighbour));
  std::vector<double> kept;
  std::vector<int> ids;
  for (int i = 0; i < all.size(); ++i) {
    double s[3];
    all.position(i, s);
    if (window_holds(w, s)) {
      kept.insert(kept.end(), s, s + 3);
      ids.push_back(i);
    }
  }
  SiteSet part;
  part.build_kept(kept, ids, all.size(), w, box);
  part.set_separation(dmin);
  EXPECT_LT(part.stored(), 3 * all.size() / 4);
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const SiteFinder fa = all.finder(), fp = part.finder();
  int tried = 0;
  for (int k = 0; k < 20000; ++k) {
    double s[3];
    bool near = true;
    bool owned = true;    // within half the skin: an owned atom, which needs its nearest two
    for (int d = 0; d < 3; ++d) {
      const double reach = std::max(margin, 0.5 * skin) / box.width[d], half = 0.5 * skin / box.width[d];
      s[d] = sub.lo[d] - reach + u(rng) * (sub.hi[d] - sub.lo[d] + 2 * reach);
      near = near && s[d] >= sub.lo[d] - reach && s[d] < sub.hi[d] + reach;
      owned = owned && s[d] >= sub.lo[d] - half && s[d] < sub.hi[d] + half;
      s[d] = wrap01(s[d]);
    }
    if (!near) continue;
    ++tried;
    const Nearest2 a = nearest_two_sites(fa, box, s), b = owned ? nearest_two_sites(fp, box, s) : nearest_site(fp, box, s);
    ASSERT_EQ(a.i1, b.i1) << k;
    ASSERT_EQ(a.r1sq, b.r1sq);
    if (owned) {
      ASSERT_EQ(a.i2, b.i2) << k;
      ASSERT_EQ(a.r2sq, b.r2sq);
    }
    std::vector<int> wa, wp;
    auto in_a = [&wa](int i, double) { wa.push_back(i); };
    auto in_p = [&wp](int i, double) { wp.push_back(i); };
    for_each_within(fa.grid, box, s, vacancy, in_a);
    for_each_within(fp.grid, box, s, vacancy, in_p);
    std::sort(wa.begin(), wa.end());
    std::sort(wp.begin(), wp.end());
    ASSERT_EQ(wa, wp) << k;
    double pa[3], pp[3];
    ASSERT_TRUE(site_position(fp, a.i1, pp));
    site_position(fa, a.i1, pa);
    for (int d = 0; d < 3; ++d) EXPECT_EQ(pa[d], pp[d]);
  }
  EXPECT_GT(tried, 10000);
  double s[3] = {0.2, 0.7, 0.95};    // far from the subdomain: not kept
  EXPECT_EQ(stored_slot(fp, nearest_two_sites(fa, box, s).i1), -1);
}

TEST(GhostReach, CartesianBoxHoldsEveryGhostThatCanCount)
{
  // every position near_subdomain takes lies in the Cartesian box that tally_ghost tests first,
  // in orthogonal and tilted boxes, for subdomains inside the box and at its faces; an orthogonal
  // box's test is tight: positions beyond the reach along one axis are left out
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const double lo[3] = {-3.5, 12.0, 1e4};
  for (int tilted = 0; tilted < 2; ++tilted) {
    const Box box = tilted ? make_box(lo, 40.0, 35.0, 30.0, 9.0, -7.0, 5.5) : make_box(lo, 40.0, 35.0, 30.0, 0, 0, 0);
    for (int trial = 0; trial < 20; ++trial) {
      Subdomain sub;
      sub.whole = 0;
      sub.margin = 1.0 + 3.0 * u(rng);
      for (int d = 0; d < 3; ++d) {
        const int n = 1 + trial % 3, k = (int) (u(rng) * n);
        sub.lo[d] = (double) k / n;
        sub.hi[d] = (double) (k + 1) / n;
      }
      const GhostReach g = ghost_reach(sub, box);
      int near = 0, outside = 0, rejected = 0;
      for (int k = 0; k < 4000; ++k) {
        double s[3], x[3];
        for (int d = 0; d < 3; ++d) s[d] = sub.lo[d] - 3 * g.reach[d] + u(rng) * (sub.hi[d] - sub.lo[d] + 6 * g.reach[d]);
        if (k % 8 == 0)    // right at the region's boundary along one axis
          s[k % 3] = (k % 16 ? sub.lo[k % 3] - g.reach[k % 3] : std::nextafter(sub.hi[k % 3] + g.reach[k % 3], -1.0));
        frac_to_cart(box, s, x);
        for (int d = 0; d < 3; ++d) x[d] += box.lo[d];
        double su[3];
        to_frac_unwrapped(box, x, su);
        if (near_subdomain(sub, g.reach, su)) {
          ++near;
          ASSERT_TRUE(in_ghost_box(g, x)) << tilted << " " << trial << " " << k;
        } else if (!tilted && k % 8) {    // (a boundary point may lie in the box's slack)
          ++outside;
          rejected += !in_ghost_box(g, x);
        }
      }
      EXPECT_GT(near, 100);
      if (!tilted) EXPECT_EQ(rejected, outside);
    }
  }
}

TEST(SiteTally, AFoldedBlockHoldsEverySiteItsOwnedAtomsCanCount)
{
  // folded, an owned atom (within the drift of its subdomain) counts for every site image within
  // the margin of it, which must have the slot of that very image in the block: against brute
  // force over the images, for diamond and sc cells, wide and narrow subdomains, an orthogonal and
  // a tilted box, and margins from a fifth of a cell to more than one
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (const char *style : {"diamond", "sc"})
    for (int tilted = 0; tilted < 2; ++tilted) {
      SCOPED_TRACE(std::string(style) + (tilted ? ", tilted" : ""));
      std::vector<double> basis;
      lattice_basis(style, basis);
      const int ncell[3] = {3, 4, 5};
      const double zero[3] = {0, 0, 0};
      const Box box = tilted ? make_box(zero, 3 * A, 4 * A, 5 * A, 0.4 * A, -0.3 * A, 0.2 * A) : make_box(zero, 3 * A, 4 * A, 5 * A, 0, 0, 0);
      SiteSet sites;
      sites.build_cells(basis, ncell, box);
      const SiteFinder f = sites.finder();
      const int nb = (int) basis.size() / 3;
      for (const int *grid : {(const int[3]){2, 1, 1}, (const int[3]){3, 2, 1}, (const int[3]){1, 1, 12}})
        for (double margin : {0.2 * A, 0.6 * A, 1.3 * A}) {
          const int rank = (int) (u(rng) * grid[0] * grid[1] * grid[2]);
          const int loc[3] = {rank % grid[0], (rank / grid[0]) % grid[1], rank / (grid[0] * grid[1])};
          Subdomain sub;
          sub.whole = 0;
          sub.brick = 1;
          sub.margin = margin;
          sub.drift = 1.0;
          for (int d = 0; d < 3; ++d) {
            sub.lo[d] = (double) loc[d] / grid[d];
            sub.hi[d] = (double) (loc[d] + 1) / grid[d];
            sub.wmin[d] = 1.0 / grid[d];
          }
          SiteTally tally;
          tally.assign(sites, sub, box);
          ASSERT_TRUE(tally.folds());
          const TallyView t = tally.clear();
          // the layout: the basis fastest, then the axes the subdomain spans whole, then those
          // with a halo (a face to fold is then one run of slots): the strides of one mixed radix
          int order[3] = {0, 1, 2};
          std::sort(order, order + 3, [&t](int a, int b) { return t.cstride[a] < t.cstride[b]; });
          ASSERT_EQ(t.cstride[order[0]], nb);
          ASSERT_EQ(t.cstride[order[1]], nb * t.nc[order[0]]);
          ASSERT_EQ(t.cstride[order[2]], nb * t.nc[order[0]] * t.nc[order[1]]);
          ASSERT_EQ(t.nslots, t.cstride[order[2]] * t.nc[order[2]]);
          for (int o = 0; o < 2; ++o) ASSERT_GE(t.wrap[order[o]], t.wrap[order[o + 1]]);
          int counted = 0;
          for (int k = 0; k < 300; ++k) {
            double su[3], s[3];
            for (int d = 0; d < 3; ++d) {
              const double r = sub.drift / box.width[d];
              su[d] = sub.lo[d] - r + u(rng) * (sub.hi[d] - sub.lo[d] + 2 * r);
              if (k % 2 && d == k % 3) su[d] = k % 4 == 1 ? sub.lo[d] - r : sub.hi[d] + r;    // at the drift's end
            }
            for (int d = 0; d < 3; ++d) s[d] = wrap01(su[d]);
            for (int i = 0; i < sites.size(); ++i) {
              int cell[3];
              double sc[3];
              const int b = cell_site_decode(f.cells, i, cell);
              cell_site_at(f.cells, b, cell, sc);
              for (int m = 0; m < 125; ++m) {
                const int shift[3] = {m % 5 - 2, (m / 5) % 5 - 2, m / 25 - 2};
                double ds[3], dx[3];
                for (int d = 0; d < 3; ++d) ds[d] = sc[d] + shift[d] - su[d];
                frac_to_cart(box, ds, dx);
                if (dx[0] * dx[0] + dx[1] * dx[1] + dx[2] * dx[2] > margin * margin) continue;
                int kc[3];
                // (an axis the subdomain spans whole holds each site once, in the box's cells)
                for (int d = 0; d < 3; ++d) kc[d] = t.wrap[d] ? cell[d] : cell[d] + shift[d] * ncell[d] - t.clo[d];
                const int slot = b + kc[0] * t.cstride[0] + kc[1] * t.cstride[1] + kc[2] * t.cstride[2];
                ASSERT_EQ(tally_slot(t, f, i, su), slot) << "site " << i << " point " << k;
                ++counted;
              }
            }
            // the nearest site, as the first pass finds it (its image near the wrapped position)
            BlockSlot where = block_of(t);
            const AtomSite a = locate_nearest(f, box, s, 0, &where);
            double sc[3], ds[3], dx[3];
            site_position(f, a.site, sc);
            for (int d = 0; d < 3; ++d) ds[d] = sc[d] - su[d] - std::floor(sc[d] - su[d] + 0.5);
            frac_to_cart(box, ds, dx);
            // (the where-path is for an atom inside the box; one outside takes the other)
            if (std::sqrt(dx[0] * dx[0] + dx[1] * dx[1] + dx[2] * dx[2]) <= margin && wrap01_in_box(su, s))
              ASSERT_EQ(tally_slot(t, f, a.site, su, &where), tally_slot(t, f, a.site, su)) << "point " << k;
          }
          EXPECT_GT(counted, 0);
        }
    }
}

TEST(SiteSet, UnitCellSitesAreGeneratedNotStored)
{
  // the same sites as replicate_cell, numbered the same, in a tilted box with 1, 2 and 3 cells
  // per side; the same smallest separation as the grid over the stored positions; no array
  // over the sites until a radius search asks for the grid
  std::vector<double> basis;
  lattice_basis("diamond", basis);
  for (int n : {1, 2, 3}) {
    const int nc[3] = {n, 2, n + 1};
    const double lo[3] = {0, 0, 0};
    const Box b = make_box(lo, nc[0] * A, nc[1] * A, nc[2] * A, 0.1 * A, 0.0, -0.2 * A);
    SiteSet cells, stored;
    const double d1 = cells.build_cells(basis, nc, b);
    const std::vector<double> frac = replicate_cell(basis, nc);
    const double d2 = stored.build(frac, b);
    EXPECT_NEAR(d1, d2, 1e-12) << "n " << n;
    ASSERT_EQ(cells.size(), (int) frac.size() / 3);
    EXPECT_TRUE(cells.fractional().empty());
    // the candidate table only: the same bytes for 1000 times the cells
    SiteSet big;
    const int nbig[3] = {10 * nc[0], 10 * nc[1], 10 * nc[2]};
    big.build_cells(basis, nbig, make_box(lo, nbig[0] * A, nbig[1] * A, nbig[2] * A, A, 0.0, -2 * A));
    EXPECT_EQ(big.bytes(), cells.bytes());
    EXPECT_EQ(big.size(), 1000 * cells.size());
    for (int i = 0; i < cells.size(); ++i) {
      double s[3];
      cells.position(i, s);
      for (int d = 0; d < 3; ++d) ASSERT_DOUBLE_EQ(s[d], frac[3 * i + d]) << "site " << i;
    }
    const std::vector<int> some = {0, cells.size() - 1, 5 % cells.size()};
    const std::vector<double> got = cells.positions(some);
    for (size_t k = 0; k < some.size(); ++k)
      for (int d = 0; d < 3; ++d) EXPECT_DOUBLE_EQ(got[3 * k + d], frac[3 * some[k] + d]);
    cells.need_radius_search(b);    // a grid over every site, and still no stored positions
    EXPECT_TRUE(cells.fractional().empty());
    EXPECT_EQ(cells.view().npoints, cells.size());
  }
}

TEST(Lattice, OneToleranceForWholeCells)
{
  long n = 0;
  EXPECT_TRUE(whole_cells(2.0 * (1.0 + 5e-7), &n));
  EXPECT_EQ(n, 2);
  EXPECT_TRUE(whole_cells(200.0 * (1.0 - 9e-7), &n));
  EXPECT_EQ(n, 200);
  EXPECT_TRUE(whole_cells(3e-9, &n));
  EXPECT_EQ(n, 0);
  EXPECT_FALSE(whole_cells(2.0 * (1.0 + 2e-6), &n));
  EXPECT_FALSE(whole_cells(3.5, &n));
  // the window keeps a site on the lower face and drops its image a hair below the upper one
  EXPECT_TRUE(in_site_window(0.0));
  EXPECT_TRUE(in_site_window(-1e-6));
  EXPECT_FALSE(in_site_window(1.0 - 1e-6));
  EXPECT_TRUE(in_site_window(0.75));
  const long m[3][3] = {{2, 0, 0}, {1, 3, 0}, {0, 0, 4}};
  EXPECT_EQ(lattice_site_count(8, m), 8.0 * 24);
  const long flip[3][3] = {{0, 2, 0}, {2, 0, 0}, {0, 0, 2}};    // a left-handed description counts too
  EXPECT_EQ(lattice_site_count(1, flip), 8.0);
}

namespace {
// a cubic lattice of constant a, its origin at `origin` (Angstrom); turned: a quarter turn about z
LatticeFrame cubic_frame(const std::vector<double> &basis, double a, const double origin[3], bool turned)
{
  LatticeFrame f;
  f.basis = basis;
  const double o[3] = {origin[0], origin[1], origin[2]};
  f.to_box = [=](double x[3]) {
    const double u = turned ? -x[1] : x[0], v = turned ? x[0] : x[1];
    x[0] = u * a + o[0];
    x[1] = v * a + o[1];
    x[2] = x[2] * a + o[2];
  };
  f.to_lattice = [=](double x[3]) {
    const double u = (x[0] - o[0]) / a, v = (x[1] - o[1]) / a;
    x[0] = turned ? v : u;
    x[1] = turned ? -u : v;
    x[2] = (x[2] - o[2]) / a;
  };
  return f;
}
}    // namespace

TEST(Lattice, AlignedLatticeIsItsUnitCellRepeated)
{
  // the usual lattice + region + create_atoms box: lattice_sites gives replicate_cell's sites in
  // replicate_cell's order, so sites lattice may be generated as sites cell is
  std::vector<double> basis;
  lattice_basis("diamond", basis);
  const double zero[3] = {0, 0, 0}, lo[3] = {-2 * A, 0, A};
  const Box b = make_box(lo, 2 * A, 3 * A * (1 + 5e-7), 4 * A, 0, 0, 0);
  auto any = [](double) {};
  long whole[3][3];
  int n[3] = {0, 0, 0};
  const LatticeFrame plain = cubic_frame(basis, A, zero, false);
  lattice_edges(plain, b, whole);
  ASSERT_TRUE(lattice_as_cells(plain, b, whole, n));
  EXPECT_EQ(n[0], 2);
  EXPECT_EQ(n[1], 3);
  EXPECT_EQ(n[2], 4);
  const std::vector<double> listed = lattice_sites(plain, b, any), made = replicate_cell(basis, n);
  ASSERT_EQ(listed.size(), made.size());
  for (size_t i = 0; i < made.size(); ++i) ASSERT_NEAR(listed[i], made[i], 1e-6) << "coordinate " << i;
  // a lattice point off the box origin, turned axes, or a basis site at a cell's upper face:
  // the sites are listed (numbered by lattice_sites) instead
  const double half[3] = {0.5 * A, 0, 0};
  const LatticeFrame shifted = cubic_frame(basis, A, half, false), turned = cubic_frame(basis, A, zero, true);
  lattice_edges(shifted, b, whole);
  EXPECT_FALSE(lattice_as_cells(shifted, b, whole, n));
  EXPECT_EQ(lattice_sites(shifted, b, any).size(), made.size());
  lattice_edges(turned, b, whole);
  EXPECT_EQ(whole[0][1], -2);    // the x edge runs along -y of the lattice
  EXPECT_FALSE(lattice_as_cells(turned, b, whole, n));
  EXPECT_EQ(lattice_sites(turned, b, any).size(), made.size());
  const LatticeFrame edge = cubic_frame({0, 0, 0, 0.99995, 0.5, 0.5}, A, zero, false);
  lattice_edges(edge, b, whole);
  EXPECT_FALSE(lattice_as_cells(edge, b, whole, n));
  // a box edge that is no whole translation still stops at lattice_edges
  const Box off = make_box(lo, 2.5 * A, 3 * A, 4 * A, 0, 0, 0);
  EXPECT_THROW(lattice_edges(plain, off, whole), std::runtime_error);
}

// A stored lattice is made block by block (rank 0 never holds all its sites): the blocks are
// the listed sites in order, none larger than asked for, with the type of each basis site.
TEST(Lattice, StoredSitesComeInBlocks)
{
  std::vector<double> basis;
  lattice_basis("diamond", basis);
  const double lo[3] = {0, 0, 0}, half[3] = {0.5 * A, 0, 0};
  const Box b = make_box(lo, 3 * A, 3 * A, 4 * A, 0, 0, 0);
  const LatticeFrame shifted = cubic_frame(basis, A, half, false);
  std::vector<int> basis_of;
  const std::vector<double> listed = lattice_sites(shifted, b, [](double) {}, &basis_of);
  const std::vector<int> types = {1, 1, 1, 1, 2, 2, 2, 2};
  std::vector<double> got;
  std::vector<int> got_types;
  long next = 0;
  int blocks = 0;
  const long n = lattice_sites(shifted, b, [](double) {}, 100, [&](const double *f, const int *t, long first, int m, long total) {
    EXPECT_EQ(total, 288);    // told ahead, with every block
    EXPECT_EQ(first, next);
    EXPECT_LE(m, 100);
    got.insert(got.end(), f, f + 3 * m);
    got_types.insert(got_types.end(), t, t + m);
    next += m;
    ++blocks;
  }, types);
  EXPECT_EQ(n, 288);
  EXPECT_EQ(blocks, 3);
  EXPECT_EQ(got, listed);
  ASSERT_EQ(basis_of.size(), got_types.size());
  for (size_t i = 0; i < basis_of.size(); ++i) ASSERT_EQ(got_types[i], types[basis_of[i]]) << "site " << i;
}

TEST(Lattice, CellAspectFindsNXNYNZInTheWrongOrder)
{
  const double lo[3] = {0, 0, 0};
  const Box cube = make_box(lo, 2 * 5.431, 2 * 5.431, 2 * 5.431, 0, 0, 0);
  const int right[3] = {2, 2, 2}, wrong[3] = {1, 2, 4};
  EXPECT_NEAR(cell_aspect(cube, right), 1.0, 1e-12);
  EXPECT_NEAR(cell_aspect(cube, wrong), 4.0, 1e-12);
  const Box tilted = make_box(lo, 10.0, 10.0, 10.0, 0.0, 0.0, 10.0);    // c edge (0, 10, 10)
  const int one[3] = {1, 1, 1};
  EXPECT_NEAR(cell_aspect(tilted, one), std::sqrt(2.0), 1e-12);
}

TEST(SizeCheck, RefusesWhatCannotFit)
{
  EXPECT_GT(physical_memory(), 0.0);
  EXPECT_EQ(too_big(1024.0), "");
  const std::string mem = too_big(1e30);
  EXPECT_NE(mem.find("needs 1e+30 bytes, more than this node's"), std::string::npos) << mem;
  const std::string idx = too_big(8.0, 3e9, 2147483647.0);
  EXPECT_NE(idx.find("gives 3e+09 elements, more than the 2.14748e+09 an index can hold"), std::string::npos) << idx;
}

// the message of the error a reader gives for a file's text ("" when there is none)
template <class Read> static std::string read_error(const std::string &text, Read read)
{
  const std::string path = write_temp(text);
  std::string what;
  try {
    read(path);
  } catch (XyzError &e) {
    what = e.what();
  }
  std::remove(path.c_str());
  return what;
}

TEST(XyzReader, RefusesRepeatedPropertiesAndCountsBeyondTheFile)
{
  auto read = [](const std::string &path) {
    XyzReader r(path);
    XyzFrame f;
    while (r.next(f)) {}
  };
  EXPECT_NE(read_error("1\nProperties=species:S:1:pos:R:3:forces:R:3:forces:R:3\nSi 0 0 0 1 2 3 4 5 6\n", read)
                .find("property forces appears twice in Properties"),
            std::string::npos);
  // a count line far beyond the file ends at the file's end, allocating nothing for it
  EXPECT_NE(read_error("2000000000\ncomment\nSi 0 0 0\n", read).find(":3: file ends after 1 of 2000000000 atoms"),
            std::string::npos);
  EXPECT_NE(read_error("99999999999\ncomment\nSi 0 0 0\n", read).find("atom count 99999999999 is beyond"),
            std::string::npos);
  // found by make fuzz: a column count beyond int was cast (undefined behaviour)
  EXPECT_NE(read_error("1\nProperties=species:S:1e3081:pos:R:3\nSi 0 0 0\n", read).find("bad column count '1e3081'"),
            std::string::npos);
}

TEST(ReferenceReader, RefusesRepeatedStepsAndMissingSteps)
{
  auto dump = [](std::initializer_list<int> steps) {
    std::string text;
    for (int s : steps)
      text += "ITEM: TIMESTEP\n" + std::to_string(s) +
          "\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n0 1\nITEM: ATOMS id fx fy fz\n1 1 2 3\n";
    return text;
  };
  auto all = [](bool need) {
    return [need](const std::string &path) {
      ReferenceReader r(path, ReferenceReader::guess(path), "forces", "");
      if (need) r.need_steps();
      RefFrame f;
      while (r.next(f)) {}
    };
  };
  EXPECT_EQ(read_error(dump({0, 10, 20}), all(true)), "");
  EXPECT_NE(read_error(dump({0, 10, 10, 20}), all(false)).find("frame 2 of "), std::string::npos);
  EXPECT_NE(read_error(dump({0, 10, 10, 20}), all(false))
                .find(" repeats step 10 of the frame before it; the frames would misalign"),
            std::string::npos);
  EXPECT_NE(read_error("2000000000\nITEM: TIMESTEP\n", all(false)).find("expected 'ITEM: TIMESTEP'"),
            std::string::npos);
  // extended xyz without step keys: fine by order, refused where steps are needed
  auto xyz_all = [](bool need) {
    return [need](const std::string &path) {
      ReferenceReader r(path, ReferenceReader::EXTXYZ, "forces", "");
      if (need) r.need_steps();
      RefFrame f;
      while (r.next(f)) {}
    };
  };
  const std::string nosteps = "1\nProperties=species:S:1:pos:R:3:forces:R:3\nSi 0 0 0 1 2 3\n"
                              "1\nProperties=species:S:1:pos:R:3:forces:R:3\nSi 0 0 0 1 2 3\n";
  EXPECT_EQ(read_error(nosteps, xyz_all(false)), "");
  // the step keys of an extended xyz data set matched by order are its own: a repeat is no error
  const std::string repeated = "1\nProperties=species:S:1:pos:R:3:forces:R:3 step=0\nSi 0 0 0 1 2 3\n"
                               "1\nProperties=species:S:1:pos:R:3:forces:R:3 step=0\nSi 0 0 0 1 2 3\n";
  EXPECT_EQ(read_error(repeated, xyz_all(false)), "");
  EXPECT_NE(read_error(repeated, xyz_all(true)).find("frame 1 of "), std::string::npos);
  EXPECT_NE(read_error(nosteps, xyz_all(true)).find("frame 0 of "), std::string::npos);
  EXPECT_NE(read_error(nosteps, xyz_all(true)).find(" has no step or timestep key, which match step needs"),
            std::string::npos);
  // an id of 1e300 was cast to long (undefined behaviour; seen while mending a make fuzz find): ids are
  // positive integers
  for (const char *id : {"1e300", "1.5", "0", "nan"})
    EXPECT_NE(read_error(std::string("ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n"
                                     "0 1\nITEM: ATOMS id fx fy fz\n") + id + " 1 2 3\n",
                         all(false))
                  .find(":10: atom line has fewer values than ITEM: ATOMS lists, a value that is not a number, or an id "
                        "that is not a positive integer"),
              std::string::npos)
        << id;
  // a dump frame whose count line exceeds its atom lines stops at the file's end
  EXPECT_NE(read_error("ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1500000000\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n"
                       "0 1\nITEM: ATOMS id fx fy fz\n1 1 2 3\n",
                       all(false))
                .find("file ends after 1 of 1500000000 atoms"),
            std::string::npos);
}

TEST(ReferenceReader, FetchMatchesFramesToStepsOrTakesThemInOrder)
{
  std::string text;
  for (int s : {0, 20, 40})
    text += "ITEM: TIMESTEP\n" + std::to_string(s) +
        "\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n0 1\nITEM: ATOMS id fx fy fz\n1 " +
        std::to_string(s) + " 0 0\n";
  const std::string path = write_temp(text);
  RefFrame f;
  {    // match step: a frame on its own step only; frames for steps that passed are skipped
    ReferenceReader r(path, ReferenceReader::DUMP, "forces", "");
    r.need_steps();
    EXPECT_EQ(r.fetch(0, f), ReferenceReader::GOT);
    EXPECT_EQ(f.ref[0], 0.0);
    EXPECT_EQ(r.fetch(10, f), ReferenceReader::NONE);
    EXPECT_EQ(r.frames_used(), 1);    // the frame for step 20 is read ahead, not used
    EXPECT_EQ(r.fetch(20, f), ReferenceReader::GOT);
    EXPECT_EQ(f.ref[0], 20.0);
    EXPECT_EQ(r.fetch(50, f), ReferenceReader::NONE);    // 40 passed unseen; then the end
    EXPECT_EQ(r.frames_used(), 3);
  }
  {    // match order: the next frame whatever its step, END after the last
    ReferenceReader r(path, ReferenceReader::DUMP, "forces", "");
    for (int k = 0; k < 3; ++k) {
      EXPECT_EQ(r.fetch(1000, f), ReferenceReader::GOT);
      EXPECT_EQ(f.step, 20 * k);
    }
    EXPECT_EQ(r.fetch(1000, f), ReferenceReader::END);
  }
  std::remove(path.c_str());
}

// fix re/select: the trigger rule and the frame it writes
TEST(FrameSelector, FiresOnRareEventsWithTheGapAndTheLimit)
{
  SelectRule rule;
  rule.min_gap = 100;
  rule.max = 2;
  FrameSelector s(rule);
  const std::vector<int> none;
  EXPECT_FALSE(s.check(10, {0, 5}, none));    // near-RE atoms alone do not fire "on re"
  EXPECT_TRUE(s.check(20, {1, 0}, none));
  s.wrote(20);
  EXPECT_FALSE(s.check(60, {3, 0}, none));    // 40 steps after the last frame: within min_gap
  EXPECT_TRUE(s.check(120, {3, 0}, none));
  s.wrote(120);
  EXPECT_TRUE(s.done());
  EXPECT_FALSE(s.check(500, {3, 0}, none));    // max frames written
  EXPECT_EQ(s.frames(), 2);
  EXPECT_EQ(s.last_step(), 120);
}

TEST(FrameSelector, HopFiresWhenTheVacancyListChangesSinceTheLastCheck)
{
  SelectRule rule;
  rule.on = SelectOn::HOP;
  FrameSelector s(rule);
  EXPECT_FALSE(s.check(0, {4, 4}, {7, 30}));    // the first check only records the list
  EXPECT_FALSE(s.check(10, {4, 4}, {7, 30}));
  EXPECT_TRUE(s.check(20, {0, 0}, {7, 31}));    // a vacancy moved, RE atoms or not
  // the list is recorded at every check, written or not: the next one compares with {7, 31}
  EXPECT_FALSE(s.check(30, {0, 0}, {7, 31}));
  // a restart carries the list on
  FrameSelector t(rule);
  t.unpack(s.pack());
  EXPECT_FALSE(t.check(40, {0, 0}, {7, 31}));
  EXPECT_TRUE(t.check(50, {0, 0}, {31}));
  EXPECT_THROW(t.unpack({1, 2, 1, 5, 3}), std::runtime_error);

  rule.on = SelectOn::NEAR;
  FrameSelector n(rule);
  EXPECT_FALSE(n.check(0, {2, 0}, {}));
  EXPECT_TRUE(n.check(10, {0, 1}, {}));
}

TEST(SelectFrame, WritesExtendedXyzThatTheReaderReadsBack)
{
  const SelectFrame frame({"Si", "C"});
  SelectInfo info{{{10.5, 0, 0}, {1.25, 9.75, 0}, {-0.5, 0.25, 11.0}}, {1, 1, 0}, 4200, 4.2, -1234.5678901234567, 1};
  std::string text = frame.header(2, info);
  frame.append(text, {7, 1, {0.1, 1.0 / 3.0, 2.5}, {-1e-3, 2.0 / 7.0, 0.0}, 1, 0, 1.1, 0.2});
  frame.append(text, {9, 2, {5.0, 6.0, 7.0}, {0.5, -0.5, 3.0}, 0, 1, 0.05, 2.0});
  EXPECT_THROW(frame.append(text, {10, 3, {0, 0, 0}, {0, 0, 0}, 0, 0, 0, 0}), std::runtime_error);
  const std::string path = write_temp(text);
  XyzReader r(path);
  XyzFrame f;
  ASSERT_TRUE(r.next(f));
  std::remove(path.c_str());
  ASSERT_EQ(f.natoms, 2);
  ASSERT_TRUE(f.has_lattice);
  EXPECT_EQ(f.lattice[1][0], 1.25);
  EXPECT_EQ(f.lattice[2][0], -0.5);
  EXPECT_EQ(f.info.at("step"), "4200");
  EXPECT_EQ(std::stod(f.info.at("energy")), -1234.5678901234567);
  EXPECT_EQ(f.info.at("n_re"), "1");
  EXPECT_EQ(f.info.at("pbc"), "T T F");
  EXPECT_EQ(f.strings[f.find("species")->offset], "Si");
  EXPECT_EQ(f.strings[f.width + f.find("species")->offset], "C");
  const auto pos = f.column("pos", 3), force = f.column("forces", 3);
  EXPECT_EQ(pos[1], 1.0 / 3.0);    // full precision
  EXPECT_EQ(force[1], 2.0 / 7.0);
  EXPECT_EQ(f.column("id", 1), (std::vector<double>{7, 9}));
  EXPECT_EQ(f.column("re", 1), (std::vector<double>{1, 0}));
  EXPECT_EQ(f.column("near", 1), (std::vector<double>{0, 1}));
  EXPECT_EQ(f.column("d_site", 1), (std::vector<double>{1.1, 0.05}));
  EXPECT_EQ(f.column("d_margin", 1), (std::vector<double>{0.2, 2.0}));
}

// Per-species sublattices (sites with types): zincblende, the diamond basis with types
// 1 1 1 1 2 2 2 2 (3C-SiC, a = 4.3596 A).
namespace {
const std::vector<int> kZincblende = {1, 1, 1, 1, 2, 2, 2, 2};
const double kSiC = 4.3596;

struct Zincblende {
  Box box;
  SiteSet sites;
  double dmin;
  std::vector<double> frac, x;
  std::vector<int> type;    // of each site, and of the atom first placed on it
  Zincblende(int n, Box b) : box(b)
  {
    std::vector<double> basis;
    lattice_basis("diamond", basis);
    const int nc[3] = {n, n, n};
    frac = replicate_cell(basis, nc);
    dmin = sites.build_cells(basis, nc, box, kZincblende);
    x = to_cart(frac, box);
    for (size_t i = 0; i < frac.size() / 3; ++i) type.push_back(kZincblende[i % 8]);
  }
  void remove(int atom)
  {
    x.erase(x.begin() + 3 * atom, x.begin() + 3 * atom + 3);
    type.erase(type.begin() + atom);
  }
  // atoms displaced at random, one mid-hop between Si sites 40 and 48, a Si atom on C site 13 (an
  // antisite), and the atoms of sites 48, 13 and 0 (on the box corner) gone
  void disorder(unsigned seed)
  {
    std::mt19937 gen(seed);
    std::normal_distribution<double> jitter(0.0, 0.15);
    for (double &v : x) v += jitter(gen);
    for (int d = 0; d < 3; ++d) x[3 * 40 + d] = 0.5 * (x[3 * 40 + d] + x[3 * 48 + d]);
    for (int d = 0; d < 3; ++d) x[3 * 9 + d] = x[3 * 13 + d] + 0.1;
    remove(48);
    remove(13);
    remove(0);
  }
};
}    // namespace

TEST(Sublattices, EachAtomFindsTheNearestTwoSitesOfItsOwnType)
{
  for (int tilt = 0; tilt < 2; ++tilt) {
    SCOPED_TRACE(tilt ? "triclinic" : "orthogonal");
    const double zero[3] = {0, 0, 0};
    const Box box = tilt ? make_box(zero, 3 * kSiC, 3 * kSiC, 3 * kSiC, 0.3 * kSiC, -0.2 * kSiC, 0.25 * kSiC)
                         : cubic_box(3 * kSiC);
    Zincblende z(3, box);
    // the separation of two sites of one type: fcc neighbours, a / sqrt(2) in the cubic box
    if (!tilt) EXPECT_NEAR(z.dmin, kSiC / std::sqrt(2.0), 1e-12);
    const SiteFinder f = z.sites.finder();
    std::mt19937 gen(5);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int k = 0; k < 3000; ++k) {
      const double s[3] = {u(gen), u(gen), u(gen)};
      const int type = 1 + k % 2;
      double xc[3];
      frac_to_cart(box, s, xc);
      const std::vector<double> all = brute_distances(box, z.frac, xc);
      double d1 = 1e300, d2 = 1e300;
      int i1 = -1;
      for (size_t i = 0; i < all.size(); ++i) {
        if (z.type[i] != type) continue;
        if (all[i] < d1) d2 = d1, d1 = all[i], i1 = (int) i;
        else if (all[i] < d2) d2 = all[i];
      }
      const Nearest2 n = nearest_two_sites(f, box, s, type);
      ASSERT_EQ(n.i1, i1) << "point " << k;
      ASSERT_EQ(site_type(f, n.i1), type);
      ASSERT_EQ(site_type(f, n.i2), type);
      ASSERT_NEAR(std::sqrt(n.r1sq), d1, 1e-9);
      ASSERT_NEAR(std::sqrt(n.r2sq), d2, 1e-9);
    }
    // an atom type without sites has none
    const double s[3] = {0.1, 0.2, 0.3};
    EXPECT_EQ(nearest_two_sites(f, box, s, 3).i1, -1);
  }
}

TEST(Sublattices, AnAntisiteIsAVacancyOfItsSiteTypeAndAnAtomOutOfPlace)
{
  Zincblende z(3, cubic_box(3 * kSiC));
  ReParams p;
  // the Si atom of site 8 (basis 0 of cell 1) moves onto C site 4 (basis 4 of cell 0), whose C
  // atom is gone: a Si atom on a C site
  for (int d = 0; d < 3; ++d) z.x[3 * 8 + d] = z.x[3 * 4 + d] + 0.05;
  // the Si atom of site 16 half-way to Si site 17 (its fcc neighbour, 3.08 A away), whose atom is
  // gone: mid-hop on its sublattice, 1.09 A from a C site
  for (int d = 0; d < 3; ++d) z.x[3 * 16 + d] = 0.5 * (z.x[3 * 16 + d] + z.x[3 * 17 + d]);
  z.remove(17);
  z.remove(4);
  const Analysis a = analyse_serial(z.sites, z.dmin, z.box, z.x, p, z.type);
  // Si sites 8, 16 and 17 are vacant (the RE atom is 1.54 A from both of its ends), C site 4 too:
  // the Si atom on it does not fill it
  EXPECT_EQ(a.vacant_sites, (std::vector<int>{4, 8, 16, 17}));
  EXPECT_EQ(a.vacancies_by_type, (std::vector<long>{0, 3, 1}));
  // both Si atoms are RE by the paper's rule: the mid-hop one, and the antisite one, which is
  // as far (1.9 A) from four Si sites; both are far from every Si site
  EXPECT_EQ(a.re_by_type, (std::vector<long>{0, 2, 0}));
  EXPECT_EQ(a.n_re, 2);
  EXPECT_EQ(a.n_far, 2);
  EXPECT_TRUE(a.atoms[7].site.re);     // the antisite (atom 8 is the 8th after removing site 4's)
  EXPECT_TRUE(a.atoms[15].site.re);    // the mid-hop atom
  EXPECT_NEAR(a.atoms[15].site.d1, 0.5 * kSiC / std::sqrt(2.0), 1e-9);
  // without types the Si atom fills the C site
  SiteSet plain;
  std::vector<double> basis;
  lattice_basis("diamond", basis);
  const int nc[3] = {3, 3, 3};
  const double dplain = plain.build_cells(basis, nc, z.box);
  const Analysis b = analyse_serial(plain, dplain, z.box, z.x, p);
  EXPECT_EQ(b.vacant_sites, (std::vector<int>{8, 16, 17}));
  EXPECT_TRUE(b.vacancies_by_type.empty());
}

TEST(Sublattices, RanksGiveTheSerialAnswer)
{
  ReParams p;
  for (int tilt = 0; tilt < 2; ++tilt)
    for (double vacancy : {1.1, 1.6}) {    // 1.6: beyond half the separation of one sublattice
      SCOPED_TRACE(std::string(tilt ? "triclinic" : "orthogonal") + ", vacancy " + std::to_string(vacancy));
      const double zero[3] = {0, 0, 0};
      const Box box = tilt ? make_box(zero, 4 * kSiC, 4 * kSiC, 4 * kSiC, 0.3 * kSiC, -0.2 * kSiC, 0.25 * kSiC)
                           : cubic_box(4 * kSiC);
      Zincblende z(4, box);
      z.disorder(11);
      p.vacancy = vacancy;
      for (const auto &g : {std::array<int, 3>{2, 1, 1}, std::array<int, 3>{2, 2, 1}, std::array<int, 3>{1, 3, 4}}) {
        SCOPED_TRACE("grid " + std::to_string(g[0]) + "x" + std::to_string(g[1]) + "x" + std::to_string(g[2]));
        expect_serial_answer(box, z.sites, z.dmin, z.x, g.data(), p, -1.0, z.type);
      }
    }
}

// Stored sites with types (sites file ... elements, a stored sites lattice ... types) are the same
// sublattices as the unit cell with types: the same nearest two sites of each type, the same
// separation, and the same answers on thread-ranks that keep a part of them each.
TEST(Sublattices, StoredSitesGiveTheCellAnswer)
{
  const double zero[3] = {0, 0, 0};
  // 12 cells: wide enough that a rank's kept part (3 same-type covering radii and more) is not the box
  const Box box = make_box(zero, 12 * kSiC, 12 * kSiC, 12 * kSiC, 0.3 * kSiC, -0.2 * kSiC, 0.25 * kSiC);
  Zincblende z(12, box);
  SiteSet stored;
  const double dstored = stored.build(z.frac, box, z.type, 2);
  EXPECT_NEAR(dstored, z.dmin, 1e-12);
  EXPECT_EQ(stored.ntypes(), 2);
  const SiteFinder fs = stored.finder(), fc = z.sites.finder();
  std::mt19937 gen(7);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int k = 0; k < 2000; ++k) {
    const double s[3] = {u(gen), u(gen), u(gen)};
    const int type = 1 + k % 2;
    const Nearest2 a = nearest_two_sites(fs, box, s, type), b = nearest_two_sites(fc, box, s, type);
    ASSERT_EQ(a.i1, b.i1) << "point " << k;
    ASSERT_EQ(a.i2, b.i2) << "point " << k;
    ASSERT_NEAR(a.r1sq, b.r1sq, 1e-9);
    ASSERT_EQ(site_type(fs, a.i1), type);
  }
  // two sites of different types on one spot are duplicates
  std::vector<double> dup = z.frac;
  dup.insert(dup.end(), z.frac.begin(), z.frac.begin() + 3);
  std::vector<int> dtype = z.type;
  dtype.push_back(2);
  SiteSet twice;
  EXPECT_EQ(twice.build(dup, box, dtype, 2), 0.0);

  ReParams p;
  z.disorder(3);
  const Analysis a = analyse_serial(stored, dstored, box, z.x, p, z.type);
  const Analysis b = analyse_serial(z.sites, z.dmin, box, z.x, p, z.type);
  EXPECT_EQ(a.vacant_sites, b.vacant_sites);
  EXPECT_EQ(a.vacancies_by_type, b.vacancies_by_type);
  EXPECT_EQ(a.re_by_type, b.re_by_type);
  EXPECT_EQ(a.n_re, b.n_re);
  ASSERT_EQ(a.atoms.size(), b.atoms.size());
  for (size_t i = 0; i < a.atoms.size(); ++i) {
    ASSERT_EQ(a.atoms[i].site.site, b.atoms[i].site.site) << "atom " << i;
    ASSERT_EQ(a.atoms[i].site.re, b.atoms[i].site.re) << "atom " << i;
  }
  for (double vacancy : {1.1, 1.6}) {
    p.vacancy = vacancy;
    for (const auto &g : {std::array<int, 3>{2, 1, 1}, std::array<int, 3>{2, 2, 1}, std::array<int, 3>{1, 3, 4}}) {
      SCOPED_TRACE("grid " + std::to_string(g[0]) + "x" + std::to_string(g[1]) + "x" + std::to_string(g[2]) +
                   ", vacancy " + std::to_string(vacancy));
      expect_serial_answer(box, stored, dstored, z.x, g.data(), p, 1.0, z.type);
    }
  }
}
