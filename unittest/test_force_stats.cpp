// Force-error metrics with analytic answers.
#include "core/force_stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace mlipeval;

namespace {
// fr = unit x scaled by mag_r; fp = magnitude mag_p at angle deg from it in the xy plane
void pair_at(double mag_p, double mag_r, double deg, double fp[3], double fr[3])
{
  const double t = deg * M_PI / 180.0;
  fr[0] = mag_r; fr[1] = 0; fr[2] = 0;
  fp[0] = mag_p * std::cos(t); fp[1] = mag_p * std::sin(t); fp[2] = 0;
}
}    // namespace

TEST(ForceError, MagnitudeAngleAndZeroForces)
{
  double fp[3], fr[3];
  pair_at(2.0, 2.0, 0.0, fp, fr);
  ForceError e = force_error(fp, fr, 0.0);
  EXPECT_EQ(e.dF, 0.0);
  EXPECT_EQ(e.dtheta, 0.0);
  EXPECT_EQ(e.dvec, 0.0);
  pair_at(1.0, 3.0, 90.0, fp, fr);
  e = force_error(fp, fr, 0.0);
  EXPECT_NEAR(e.dF, -2.0, 1e-14);
  EXPECT_NEAR(e.dtheta, 90.0, 1e-12);
  EXPECT_NEAR(e.dvec, std::sqrt(10.0), 1e-14);
  pair_at(1.0, 1.0, 180.0, fp, fr);
  EXPECT_NEAR(force_error(fp, fr, 0.0).dtheta, 180.0, 1e-6);
  // a zero force has no direction: dtheta is -1 (undefined) and dF is the other magnitude
  const double zero[3] = {0, 0, 0}, f[3] = {0.3, -0.4, 0};
  e = force_error(zero, f, 0.0);
  EXPECT_EQ(e.dtheta, -1.0);
  EXPECT_NEAR(e.dF, -0.5, 1e-15);
  e = force_error(zero, zero, 0.0);
  EXPECT_EQ(e.dtheta, -1.0);
  EXPECT_EQ(e.dF, 0.0);
}

TEST(ForceError, ForcesBelowTheFloorHaveNoDirection)
{
  const double noise1[3] = {2e-15, -1e-15, 3e-15}, noise2[3] = {-3e-15, 1e-15, 2e-15};
  EXPECT_GT(force_error(noise1, noise2, 0.0).dtheta, 90.0);    // a random angle without a floor
  EXPECT_EQ(force_error(noise1, noise2, 1e-6).dtheta, -1.0);
  const double f[3] = {0.3, 0.0, 0.0}, g[3] = {0.0, 0.3, 0.0};
  EXPECT_NEAR(force_error(f, g, 1e-6).dtheta, 90.0, 1e-12);
  ForceStats s;    // the default floor is 1e-6 eV/A
  s.add(noise1, noise2);
  EXPECT_EQ(s.n(), 1);
  EXPECT_EQ(s.n_theta(), 0);
}

TEST(ForceStats, IdenticalForcesGivePerfectScores)
{
  ForceStats s;
  std::mt19937 rng(1);
  std::normal_distribution<double> g(0, 2);
  for (int i = 0; i < 500; ++i) {
    const double f[3] = {g(rng), g(rng), g(rng)};
    s.add(f, f);
  }
  EXPECT_EQ(s.n(), 500);
  EXPECT_EQ(s.nac_f(), 1.0);
  EXPECT_EQ(s.nac_theta(), 1.0);
  EXPECT_EQ(s.p(), 1.0);
  EXPECT_EQ(s.frac_f_gt(), 0.0);
  EXPECT_EQ(s.frac_t_gt1(), 0.0);
  EXPECT_EQ(s.rmse(), 0.0);
  EXPECT_EQ(s.mae(), 0.0);
}

TEST(ForceStats, KnownDistributionsGiveTheirExactNac)
{
  // every |dF| = 0.5 exactly: CDF is 0 up to the edge 0.5 and 1 from 0.55 on -> NAC = 10/20
  ForceStats half;
  double fp[3], fr[3];
  for (int i = 0; i < 7; ++i) {
    pair_at(1.5, 1.0, 0.0, fp, fr);
    half.add(fp, fr);
  }
  EXPECT_DOUBLE_EQ(half.nac_f(), 0.5);
  EXPECT_EQ(half.frac_f_gt(), 0.0);    // 0.5 is not above 0.5

  // one value at the centre of each bin, for |dF| and for the angle:
  // CDF_k = k/20 -> NAC = (1/20) sum k/20 = 21/40
  ForceStats uni;
  for (int b = 0; b < 20; ++b) {
    pair_at(1.0 + (b + 0.5) * 0.05, 1.0, (b + 0.5) * 4.5, fp, fr);
    uni.add(fp, fr);
  }
  EXPECT_NEAR(uni.nac_f(), 21.0 / 40.0, 1e-15);
  EXPECT_NEAR(uni.nac_theta(), 21.0 / 40.0, 1e-15);
  EXPECT_NEAR(uni.p(), 21.0 * 21.0 / 1600.0, 1e-15);
  EXPECT_NEAR(uni.frac_f_gt(), 10.0 / 20.0, 1e-15);     // 0.525 ... 0.975
  EXPECT_NEAR(uni.frac_t_gt1(), 17.0 / 20.0, 1e-15);    // 15.75 deg and above
  EXPECT_NEAR(uni.frac_t_gt2(), 13.0 / 20.0, 1e-15);    // 31.5 deg and above
  const auto cdf = uni.cdf_f();
  ASSERT_EQ(cdf.size(), 20u);
  for (int k = 0; k < 20; ++k) EXPECT_NEAR(cdf[k], (k + 1) / 20.0, 1e-15);

  // all errors beyond the range: NAC = 0
  ForceStats far;
  pair_at(4.0, 1.0, 120.0, fp, fr);
  far.add(fp, fr);
  EXPECT_EQ(far.nac_f(), 0.0);
  EXPECT_EQ(far.nac_theta(), 0.0);
  EXPECT_EQ(far.frac_f_gt(), 1.0);
  EXPECT_EQ(far.frac_t_gt2(), 1.0);
}

TEST(ForceStats, RmseAndMaeArePerComponent)
{
  ForceStats s;
  const double fr[3] = {1, 2, 3}, fp[3] = {1.1, 1.8, 3.3};
  for (int i = 0; i < 4; ++i) s.add(fp, fr);
  EXPECT_NEAR(s.rmse(), std::sqrt((0.01 + 0.04 + 0.09) / 3.0), 1e-14);
  EXPECT_NEAR(s.mae(), 0.2, 1e-14);
}

TEST(ForceStats, ZeroForcesCountForMagnitudeOnly)
{
  ForceStats s;
  const double zero[3] = {0, 0, 0}, f[3] = {1, 0, 0};
  s.add(f, f);
  s.add(zero, f);
  EXPECT_EQ(s.n(), 2);
  EXPECT_EQ(s.n_theta(), 1);
  EXPECT_EQ(s.nac_theta(), 1.0);    // the one defined angle is 0
  EXPECT_NEAR(s.nac_f(), 0.5, 1e-15);
}

TEST(ForceStats, MergeEqualsOneHistogramOfTheUnion)
{
  StatsConfig c;
  c.nbins_f = 13;
  c.range_f = 0.7;
  ForceStats a(c), b(c), all(c);
  std::mt19937 rng(9);
  std::normal_distribution<double> g(0, 1);
  for (int i = 0; i < 1000; ++i) {
    const double fr[3] = {g(rng), g(rng), g(rng)};
    const double fp[3] = {fr[0] + 0.3 * g(rng), fr[1] + 0.3 * g(rng), fr[2] + 0.3 * g(rng)};
    (i % 3 ? a : b).add(fp, fr);
    all.add(fp, fr);
  }
  a.merge(b);
  EXPECT_EQ(a.cdf_f(), all.cdf_f());
  EXPECT_EQ(a.cdf_theta(), all.cdf_theta());
  EXPECT_EQ(a.n(), all.n());
  EXPECT_EQ(a.nac_f(), all.nac_f());
  EXPECT_NEAR(a.rmse(), all.rmse(), 1e-14);
  ForceStats copy(c);
  copy.unpack(all.pack().data());
  EXPECT_EQ(copy.pack(), all.pack());
}

TEST(SubsetStats, AtomsGoToTheirSubsetAndToAll)
{
  SubsetStats s;
  const double f[3] = {1, 0, 0}, g[3] = {0, 1, 0};
  s.add(f, f, 1, 0);    // RE
  s.add(f, g, 0, 1);    // near
  s.add(f, f, 0, 0);    // other
  s.add(g, g, 0, 0);
  EXPECT_EQ(s[RE].n(), 1);
  EXPECT_EQ(s[NEAR].n(), 1);
  EXPECT_EQ(s[OTHER].n(), 2);
  EXPECT_EQ(s[ALL].n(), 4);
  EXPECT_EQ(s[RE].p(), 1.0);
  EXPECT_EQ(s[NEAR].nac_theta(), 0.0);    // 90 degrees is beyond the 0-90 range's last edge
  const std::string j = s.json(3);
  for (const char *key : {"\"subsets\"", "\"re\"", "\"near\"", "\"other\"", "\"all\"", "\"nac_f\"",
                          "\"frac_theta_gt_15\"", "\"cdf_theta\"", "\"frames\": 3"})
    EXPECT_NE(j.find(key), std::string::npos) << key;
}
