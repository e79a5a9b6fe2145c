// Template matching of interstitial clusters (core).
#include "core/interstitial.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace mlipeval;

namespace {
const double A = 5.431;

// a random proper rotation (from a random unit quaternion)
void random_rotation(std::mt19937 &rng, double R[3][3])
{
  std::normal_distribution<double> g(0, 1);
  double q[4], n = 0;
  for (double &v : q) n += (v = g(rng)) * v;
  n = std::sqrt(n);
  for (double &v : q) v /= n;
  const double w = q[0], x = q[1], y = q[2], z = q[3];
  const double M[3][3] = {{1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)},
                          {2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)},
                          {2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)}};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) R[i][j] = M[i][j];
}

// the template's own cluster, rotated, shuffled, with noise, and with farther atoms appended
void cluster_of(const DefectTemplate &t, std::mt19937 &rng, double noise, double pair[6], std::vector<double> &near)
{
  double R[3][3];
  random_rotation(rng, R);
  std::normal_distribution<double> g(0, noise);
  std::vector<double> pts;
  for (size_t i = 0; i < t.pts.size(); i += 3)
    for (int r = 0; r < 3; ++r)
      pts.push_back(R[r][0] * t.pts[i] + R[r][1] * t.pts[i + 1] + R[r][2] * t.pts[i + 2] + g(rng));
  for (int k = 0; k < 6; ++k) pair[k] = pts[k];
  std::vector<int> order(t.m);
  for (int k = 0; k < t.m; ++k) order[k] = k;
  std::shuffle(order.begin(), order.end(), rng);
  near.clear();
  for (int k : order) near.insert(near.end(), &pts[6 + 3 * k], &pts[6 + 3 * k] + 3);
  for (int k = 0; k < 3; ++k) near.insert(near.end(), {8.0 + k, 8.0, 8.0});    // beyond the cluster
}
}    // namespace

TEST(Kabsch, RotatedAndTranslatedCopyHasZeroRmsd)
{
  std::mt19937 rng(4);
  std::uniform_real_distribution<double> u(-3, 3);
  std::vector<double> p(3 * 7), q(3 * 7);
  for (double &v : p) v = u(rng);
  double R[3][3];
  random_rotation(rng, R);
  for (int i = 0; i < 7; ++i)
    for (int r = 0; r < 3; ++r) q[3 * i + r] = R[r][0] * p[3 * i] + R[r][1] * p[3 * i + 1] + R[r][2] * p[3 * i + 2] + 1.5;
  EXPECT_NEAR(kabsch_rmsd(p.data(), q.data(), 7), 0.0, 1e-12);
  q[0] += 0.7;    // one point moved: the RMSD is positive and at most 0.7 / sqrt(7)
  const double r = kabsch_rmsd(p.data(), q.data(), 7);
  EXPECT_GT(r, 0.1);
  EXPECT_LE(r, 0.7 / std::sqrt(7.0) + 1e-12);
}

// The QCP eigenvalue route gives Kabsch's RMSD, for near-perfect matches, random sets and
// reflections (which no proper rotation undoes).
TEST(Kabsch, QcpEqualsTheSvdConstruction)
{
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> u(-3, 3), small(-0.05, 0.05);
  for (int trial = 0; trial < 300; ++trial) {
    const int n = 3 + trial % 8;
    std::vector<double> p(3 * n), q(3 * n);
    for (double &v : p) v = u(rng);
    double R[3][3];
    random_rotation(rng, R);
    for (int i = 0; i < n; ++i)
      for (int r = 0; r < 3; ++r) {
        const double rotated = R[r][0] * p[3 * i] + R[r][1] * p[3 * i + 1] + R[r][2] * p[3 * i + 2];
        q[3 * i + r] = trial % 3 == 0 ? rotated + small(rng) : trial % 3 == 1 ? u(rng) : -rotated;
      }
    // centre both, then the correlation matrix and sums of squares
    double cp[3] = {0, 0, 0}, cq[3] = {0, 0, 0}, m[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0}, gp = 0, gq = 0;
    for (int i = 0; i < n; ++i)
      for (int d = 0; d < 3; ++d) {
        cp[d] += p[3 * i + d] / n;
        cq[d] += q[3 * i + d] / n;
      }
    for (int i = 0; i < n; ++i) {
      for (int a = 0; a < 3; ++a) {
        gp += std::pow(p[3 * i + a] - cp[a], 2);
        gq += std::pow(q[3 * i + a] - cq[a], 2);
        for (int b = 0; b < 3; ++b) m[3 * a + b] += (p[3 * i + a] - cp[a]) * (q[3 * i + b] - cq[b]);
      }
    }
    EXPECT_NEAR(qcp_rmsd(m, gp, gq, n), kabsch_rmsd(p.data(), q.data(), n), 1e-7) << "trial " << trial;
  }
}

// template_rmsd (QCP over every correspondence) equals a brute-force Kabsch search
TEST(Templates, MatchEqualsABruteForceKabschSearch)
{
  std::mt19937 rng(5);
  for (const auto &t : builtin_templates(A)) {
    for (int trial = 0; trial < 3; ++trial) {
      double pair[6];
      std::vector<double> near;
      cluster_of(t, rng, 0.15, pair, near);
      const int n = 2 + t.m;
      std::vector<int> perm(t.m);
      for (int k = 0; k < t.m; ++k) perm[k] = k;
      double best = 1e300;
      std::vector<double> q(3 * n);
      do {
        for (int swap = 0; swap < 2; ++swap) {
          for (int d = 0; d < 3; ++d) {
            q[d] = pair[3 * swap + d];
            q[3 + d] = pair[3 * (1 - swap) + d];
          }
          for (int k = 0; k < t.m; ++k)
            for (int d = 0; d < 3; ++d) q[3 * (2 + k) + d] = near[3 * perm[k] + d];
          best = std::min(best, kabsch_rmsd(t.pts.data(), q.data(), n));
        }
      } while (std::next_permutation(perm.begin(), perm.end()));
      EXPECT_NEAR(template_rmsd(t, pair, near), best, 1e-7) << defect_name(t.type) << " trial " << trial;
    }
  }
}

TEST(Templates, IdealGeometriesHaveTheirShells)
{
  const auto ts = builtin_templates(A);
  ASSERT_EQ(ts.size(), 3u);
  auto dist = [](const DefectTemplate &t, int i, int j) {
    double s = 0;
    for (int d = 0; d < 3; ++d) s += std::pow(t.pts[3 * i + d] - t.pts[3 * j + d], 2);
    return std::sqrt(s);
  };
  // T: the interstitial (point 1) has 4 neighbours at sqrt(3)a/4 (point 0 and three of the others)
  int nT = (std::fabs(dist(ts[1], 1, 0) - std::sqrt(3.0) * A / 4) < 1e-9);
  for (int k = 2; k < 8; ++k) nT += std::fabs(dist(ts[1], 1, k) - std::sqrt(3.0) * A / 4) < 1e-9;
  EXPECT_EQ(nT, 4);
  // H: the interstitial has sqrt(11)a/8 to point 0 and to every other neighbour within reach
  int nH = (std::fabs(dist(ts[2], 1, 0) - std::sqrt(11.0) * A / 8) < 1e-9);
  for (int k = 2; k < 7; ++k) nH += std::fabs(dist(ts[2], 1, k) - std::sqrt(11.0) * A / 8) < 1e-9;
  EXPECT_GE(nH, 3);
  EXPECT_NEAR(dist(ts[0], 0, 1), 0.442 * A, 1e-9);    // the dumbbell
}

TEST(Templates, RotatedNoisyClustersAreClassifiedAsTheirType)
{
  std::mt19937 rng(17);
  const auto ts = builtin_templates(A);
  for (const auto &t : ts)
    for (int trial = 0; trial < 5; ++trial) {
      double pair[6];
      std::vector<double> near;
      cluster_of(t, rng, 0.05, pair, near);
      const Classification c = classify_defect(ts, pair, near, 0.5);
      EXPECT_EQ(c.type, t.type) << defect_name(t.type) << " trial " << trial;
      EXPECT_LT(c.rmsd[t.type - 1], 0.15);
    }
  // a cluster matching nothing within the tolerance is "other"
  double pair[6];
  std::vector<double> near;
  cluster_of(ts[1], rng, 0.0, pair, near);
  for (double &v : near) v *= 1.6;    // a stretched T cluster
  EXPECT_EQ(classify_defect(ts, pair, near, 0.3).type, OTHER_DEFECT);
}

TEST(Templates, UserTemplatesReplaceBuiltIns)
{
  const auto ts = builtin_templates(A);
  const DefectTemplate t = template_from_points(TETRAHEDRAL, ts[1].pts);
  EXPECT_EQ(t.m, 6);
  EXPECT_EQ(t.pts, ts[1].pts);    // already centred on the pair midpoint
  EXPECT_THROW(template_from_points(SPLIT110, {0, 0, 0, 1, 0, 0}), std::runtime_error);
  EXPECT_STREQ(defect_name(HEXAGONAL), "hexagonal");
}

TEST(Defects, GroupedBySiteWhateverTheOrderOfTheRows)
{
  // rows (tag, site, s0, s1, s2) from three ranks in any order: site 7 holds tags 5 and 3 across
  // the periodic boundary in x, site 2 holds tags 9, 4 and 6, site 11 holds one atom only
  const double L = 10.0, lo[3] = {0, 0, 0};
  const Box b = make_box(lo, L, L, L, 0, 0, 0);
  std::vector<double> rows = {5, 7, 0.98, 0.5, 0.5, 9, 2, 0.2, 0.2, 0.2, 4, 2, 0.21, 0.2, 0.2,
                              3, 7, 0.04, 0.5, 0.5, 6, 2, 0.2, 0.22, 0.2, 12, 11, 0.6, 0.6, 0.6};
  std::mt19937 rng(5);
  for (int shuffle = 0; shuffle < 5; ++shuffle) {
    std::vector<std::vector<double>> r;
    for (size_t k = 0; k < rows.size(); k += 5) r.push_back({rows.begin() + k, rows.begin() + k + 5});
    std::shuffle(r.begin(), r.end(), rng);
    std::vector<double> flat;
    for (auto &v : r) flat.insert(flat.end(), v.begin(), v.end());
    const std::vector<Defect> d = group_defects(flat, b);
    ASSERT_EQ(d.size(), 2u);
    EXPECT_EQ(d[0].tags, (std::vector<double>{4, 6, 9}));    // site 2 first, tags ascending
    EXPECT_EQ(d[0].type, OTHER_DEFECT);
    EXPECT_EQ(d[1].tags, (std::vector<double>{3, 5}));
    EXPECT_EQ(d[1].type, NOT_DEFECT);
    // pair from tag 3 (s = 0.04) to tag 5 (s = 0.98): 0.6 apart through the boundary, midpoint 0.01
    EXPECT_NEAR(d[1].pair[0], 0.3, 1e-12);
    EXPECT_NEAR(d[1].pair[3], -0.3, 1e-12);
    EXPECT_NEAR(d[1].mid[0], 0.01, 1e-12);
  }
}

TEST(Defects, ClassifiedFromTheNearestOthersInAnyOrder)
{
  // a split-<110> and a tetrahedral cluster, their neighbour rows shuffled with the defects' own
  // atoms and far atoms mixed in: each is classified as its template, the counts add up
  const auto templates = builtin_templates(A);
  std::mt19937 rng(17);
  std::vector<Defect> defects(3);
  std::vector<double> around;
  const int types[2] = {SPLIT110, TETRAHEDRAL};
  for (int k = 0; k < 2; ++k) {
    const DefectTemplate *t = nullptr;
    for (const auto &c : templates)
      if (c.type == types[k]) t = &c;
    ASSERT_TRUE(t);
    std::vector<double> near;
    cluster_of(*t, rng, 0.02, defects[k].pair, near);
    defects[k].tags = {100.0 + 2 * k, 101.0 + 2 * k};
    defects[k].type = NOT_DEFECT;
    for (size_t p = 0; p < near.size(); p += 3) around.insert(around.end(), {(double) k, 200.0 + p, near[p], near[p + 1], near[p + 2]});
    around.insert(around.end(), {(double) k, 100.0 + 2 * k, 0.0, 0.0, 0.0});    // its own atom: skipped
  }
  defects[2].tags = {1, 2, 3};
  defects[2].type = OTHER_DEFECT;
  std::vector<std::vector<double>> r;
  for (size_t p = 0; p < around.size(); p += 5) r.push_back({around.begin() + p, around.begin() + p + 5});
  std::shuffle(r.begin(), r.end(), rng);
  around.clear();
  for (auto &v : r) around.insert(around.end(), v.begin(), v.end());
  double count[NDEFECT_TYPES];
  classify_defects(defects, around, templates, 0.3, count);
  EXPECT_EQ(defects[0].type, SPLIT110);
  EXPECT_EQ(defects[1].type, TETRAHEDRAL);
  EXPECT_EQ(defects[2].type, OTHER_DEFECT);
  EXPECT_EQ(count[SPLIT110 - 1], 1.0);
  EXPECT_EQ(count[TETRAHEDRAL - 1], 1.0);
  EXPECT_EQ(count[HEXAGONAL - 1], 0.0);
  EXPECT_EQ(count[OTHER_DEFECT - 1], 1.0);
}

// Per-species sublattices: each defect takes the type of its site from the crowded list, and the
// counts by species and defect type add up to the classified defects.
TEST(Interstitial, DefectsBySpecies)
{
  std::vector<Defect> defects(4);
  const int sites[4] = {3, 17, 40, 41}, types[4] = {SPLIT110, OTHER_DEFECT, TETRAHEDRAL, SPLIT110};
  for (int k = 0; k < 4; ++k) {
    defects[k].site = sites[k];
    defects[k].type = types[k];
  }
  set_defect_species(defects, {3, 17, 40, 41}, {1, 2, 2, 1});
  EXPECT_EQ(defects[1].species, 2);
  const std::vector<double> by = defects_by_species(defects, 2);
  ASSERT_EQ(by.size(), 2u * NDEFECT_TYPES);
  EXPECT_EQ(by, (std::vector<double>{2, 0, 0, 0, 0, 1, 0, 1}));
  // without types (or a site not in the list) there is no species
  set_defect_species(defects, {3, 17, 40, 41}, {});
  EXPECT_EQ(defects[0].species, 0);
  EXPECT_EQ(defects_by_species(defects, 2), std::vector<double>(8, 0.0));
}
