// fix force/reference and compute force/error give the same answer on any number of ranks.
// Run under mpirun -np 1, 2, 4: every rank also runs alone (MPI_COMM_SELF) and compares.
#include "lammps_fixture.h"

#include "fix.h"

#include <cstdio>
#include <unistd.h>

using namespace mlipeval_test;

namespace {
std::string tmpname(const char *what)
{
  int pid = (int) getpid();
  MPI_Bcast(&pid, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return "/tmp/mlipeval_frefmpi_" + std::to_string(pid) + what;
}
}    // namespace

TEST(ForceReferenceMPI, RerunScoresMatchOneRank)
{
  // reference: SW forces of an MD trajectory; predicted: Tersoff, in a rerun of it
  const std::string dump = tmpname(".dump"), json = tmpname(".json");
  int me;
  MPI_Comm_rank(MPI_COMM_WORLD, &me);
  if (me == 0) {
    LammpsFixture md;
    md.open(MPI_COMM_SELF);
    md.commands(si_crystal(4));
    md.commands({"group gone id 1 200", "delete_atoms group gone compress no",
                 "velocity all create 2600 1234 loop geom", "fix nvt all nvt temp 1600 1600 0.1",
                 "dump d all custom 25 " + dump + " id type x y z fx fy fz",
                 "dump_modify d format float %20.15g sort id", "run 200 post no"});
    md.close();
  }
  MPI_Barrier(MPI_COMM_WORLD);
  struct Out {
    std::vector<double> fix, step;
    std::vector<std::vector<double>> err;
  };
  auto run = [&](MPI_Comm comm, bool write) {
    LammpsFixture f;
    f.open(comm);
    f.commands(si_crystal(4));
    f.commands({"group gone id 1 200", "delete_atoms group gone compress no", "pair_style tersoff",
                "pair_coeff * * Si.tersoff Si", "compute re all re/atom sites cell diamond 4 4 4",
                "fix ref all force/reference " + dump + " re c_re" + (write ? " summary " + json : ""),
                "compute err all force/error ref", "rerun " + dump + " dump x y z"});
    Out o;
    auto *fix = f.lmp->modify->get_fix_by_id("ref");
    for (int i = 0; i < fix->size_vector; ++i) o.fix.push_back(fix->compute_vector(i));
    for (int r = 0; r < fix->size_array_rows; ++r)
      for (int c = 0; c < fix->size_array_cols; ++c) o.fix.push_back(fix->compute_array(r, c));
    o.step = f.global("err");
    o.err = f.peratom("err");
    f.close();
    return o;
  };
  const Out world = run(MPI_COMM_WORLD, true), self = run(MPI_COMM_SELF, false);
  ASSERT_EQ(world.fix.size(), self.fix.size());
  // counts, histograms, NAC, P and fractions are sums of integers: exact.  RMSE and MAE are
  // floating-point sums whose order depends on the decomposition: equal to rounding.
  for (size_t k = 0; k < world.fix.size(); ++k) {
    const bool rounding = k < 36 && (k % 9 == 7 || k % 9 == 8);
    if (rounding) EXPECT_NEAR(world.fix[k], self.fix[k], 1e-12 * std::fabs(self.fix[k])) << "value " << k;
    else EXPECT_EQ(world.fix[k], self.fix[k]) << "value " << k;
  }
  for (size_t k = 0; k < world.step.size(); ++k) EXPECT_NEAR(world.step[k], self.step[k], 1e-12 * std::fabs(self.step[k]) + 1e-300);
  for (size_t i = 0; i < world.err.size(); ++i)
    for (size_t c = 0; c < world.err[i].size(); ++c)
      EXPECT_NEAR(world.err[i][c], self.err[i][c], 1e-9) << "atom " << i + 1 << " column " << c + 1;
  EXPECT_EQ(world.fix[27], 9 * 510);    // 9 frames x 510 atoms
  EXPECT_GT(world.fix[0], 0);           // some RE atoms were scored
  MPI_Barrier(MPI_COMM_WORLD);
  if (me == 0) {
    FILE *fp = fopen(json.c_str(), "r");
    EXPECT_TRUE(fp != nullptr);
    if (fp) fclose(fp);
    std::remove(dump.c_str());
    std::remove(json.c_str());
  }
}
