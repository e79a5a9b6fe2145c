// The paper's checks on the authors' Si vacancy-RE test set (../shared), through the example
// input examples/evaluate-dataset/in.evaluate.  Skips with a message when the data is absent.
#include "lammps_fixture.h"

#include "fix.h"
#include "force.h"

#include <cstdio>

using namespace mlipeval_test;

namespace {
const char *RE_SET = "data/si-liu2023/si_re_vacancy_test.extxyz";
const char *SNAP = "potentials/si-snap-mlearn/snap";
enum { N = 0, P = 3, FRACF = 4, FRACT15 = 5, FRACT30 = 6, RMSE = 7 };
enum { RE = 0, ALL = 3 };

// run the example over the data set; vars: extra index variables set before it
std::vector<double> evaluate(const std::vector<std::pair<std::string, std::string>> &vars)
{
  LammpsFixture f;
  f.open(MPI_COMM_SELF);
  f.command("variable data index " + shared_dir() + "/" + RE_SET);
  f.command(std::string("variable summary index ") + world_tmpname("eval_summary.json"));
  for (const auto &v : vars) f.command("variable " + v.first + " index \"" + v.second + "\"");
  f.command(std::string("include ") + MLIPEVAL_EXAMPLES + "/evaluate-dataset/in.evaluate");
  const std::vector<double> v = f.fix_values("ref");
  f.close();
  std::remove(world_tmpname("eval_summary.json").c_str());
  return v;
}
double at(const std::vector<double> &v, int s, int k) { return v[9 * s + k]; }

// whether the LAMMPS the tests run on has a pair style (the Kokkos test build has no ML-SNAP)
bool has_pair_style(const std::string &style)
{
  LammpsFixture f;
  f.open(MPI_COMM_SELF);
  const bool yes = f.lmp->force->pair_map->count(style) > 0;
  f.close();
  return yes;
}
}    // namespace

TEST(ForceReferenceRealData, DftBaselinesOnRareEventAtoms)
{
  if (!shared_available(RE_SET)) GTEST_SKIP() << shared_dir() << "/" << RE_SET << " is absent: DFT baseline checks skipped";
  const auto k2 = evaluate({{"predicted", "forces_k2"}});
  const auto k1 = evaluate({{"predicted", "forces_k1"}});
  std::printf("[ force/ref ] K2 vs K4 on %g RE atoms: |dF|>0.5 %.2f %%, dtheta>15 %.2f %%, P_RE %.4f, P_all %.4f, RMSE_all %.4f\n",
              at(k2, RE, N), 100 * at(k2, RE, FRACF), 100 * at(k2, RE, FRACT15), at(k2, RE, P), at(k2, ALL, P), at(k2, ALL, RMSE));
  std::printf("[ force/ref ] K1 vs K4 on %g RE atoms: |dF|>0.5 %.2f %%, dtheta>15 %.2f %%, P_RE %.4f, P_all %.4f, RMSE_all %.4f\n",
              at(k1, RE, N), 100 * at(k1, RE, FRACF), 100 * at(k1, RE, FRACT15), at(k1, RE, P), at(k1, ALL, P), at(k1, ALL, RMSE));
  EXPECT_EQ(at(k2, ALL, N), 6300);
  EXPECT_GT(at(k2, RE, N), 100);
  // K2: under 0.5 % with |dF| > 0.5 eV/A, about 1 % or less with dtheta > 15 degrees
  EXPECT_LT(at(k2, RE, FRACF), 0.005);
  EXPECT_LE(at(k2, RE, FRACT15), 0.015);
  // K1: a few percent with |dF| > 0.5, roughly 20-30 % with dtheta > 15
  EXPECT_GT(at(k1, RE, FRACF), 0.005);
  EXPECT_LT(at(k1, RE, FRACF), 0.06);
  EXPECT_GT(at(k1, RE, FRACT15), 0.15);
  EXPECT_LT(at(k1, RE, FRACT15), 0.35);
  // the README's per-component RMSE of the data set: K2 0.021, K1 0.111 eV/A
  EXPECT_NEAR(at(k2, ALL, RMSE), 0.021, 0.002);
  EXPECT_NEAR(at(k1, ALL, RMSE), 0.111, 0.005);
}

TEST(ForceReferenceRealData, SnapScoresWorseOnRareEventAtoms)
{
  if (!shared_available(RE_SET) || !shared_available(SNAP))
    GTEST_SKIP() << shared_dir() << " lacks the RE test set or the mlearn SNAP: SNAP check skipped";
  if (!has_pair_style("snap")) GTEST_SKIP() << "this LAMMPS has no pair_style snap (ML-SNAP): SNAP check skipped";
  const std::string dir = shared_dir() + "/" + SNAP;
  const auto snap = evaluate({{"pair", "snap"},
                              {"coeff", "* * " + dir + "/SNAPotential.snapcoeff " + dir + "/SNAPotential.modern.snapparam Si"}});
  std::printf("[ force/ref ] mlearn SNAP: P on RE atoms %.4f, P on all atoms %.4f; |dF|>0.5 RE %.2f %% all %.2f %%\n",
              at(snap, RE, P), at(snap, ALL, P), 100 * at(snap, RE, FRACF), 100 * at(snap, ALL, FRACF));
  EXPECT_LT(at(snap, RE, P), at(snap, ALL, P) - 0.03);
}
