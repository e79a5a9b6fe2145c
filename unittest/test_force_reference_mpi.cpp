// fix force/reference and compute force/error give the same answer on any number of ranks.
// Run under mpirun -np 1, 2, 4: every rank also runs alone (MPI_COMM_SELF) and compares.
#include "lammps_fixture.h"

#include "fix.h"
#include "mlipeval_frames.h"

#include <cstdio>
#include <fstream>
#include <unistd.h>

using namespace mlipeval_test;


// exact for counts, histograms, NAC, P, fractions; RMSE and MAE (figures 8, 9) to rounding
void expect_same_figures(const std::vector<double> &a, const std::vector<double> &b)
{
  ASSERT_EQ(a.size(), b.size());
  for (size_t k = 0; k < a.size(); ++k) {
    const bool rounding = k < 36 && (k % 9 == 7 || k % 9 == 8);
    if (rounding) EXPECT_NEAR(a[k], b[k], 1e-12 * std::fabs(b[k]) + 1e-300) << "value " << k;
    else EXPECT_EQ(a[k], b[k]) << "value " << k;
  }
}

TEST(ForceReferenceMPI, DataSetLoopMatchesOneRank)
{
  // read_extxyz + run 0 over frames of 63, 64 and 65 atoms; Tersoff scored against SW forces
  const std::string data = world_tmpname("fref.extxyz");
  int me;
  MPI_Comm_rank(MPI_COMM_WORLD, &me);
  if (me == 0) write_sw_dataset(data);
  MPI_Barrier(MPI_COMM_WORLD);
  auto run = [&](MPI_Comm comm) {
    LammpsFixture f;
    f.open(comm);
    f.commands({"variable data index " + data, "variable pair index tersoff",
                "variable coeff index \"* * Si.tersoff Si\"", "variable summary index /dev/null",
                std::string("include ") + MLIPEVAL_EXAMPLES + "/evaluate-dataset/in.evaluate"});
    const std::vector<double> v = f.fix_values("ref");
    f.close();
    return v;
  };
  const auto world = run(MPI_COMM_WORLD), self = run(MPI_COMM_SELF);
  expect_same_figures(world, self);
  EXPECT_EQ(world[27], 63 + 64 + 65);
  EXPECT_LT(world[27 + 3], 1.0);
  MPI_Barrier(MPI_COMM_WORLD);
  if (me == 0) std::remove(data.c_str());
}

TEST(ForceReferenceMPI, RerunScoresMatchOneRank)
{
  // reference: SW forces of an MD trajectory; predicted: Tersoff, in a rerun of it
  const std::string dump = world_tmpname("fref.dump"), json = world_tmpname("fref.json");
  int me;
  MPI_Comm_rank(MPI_COMM_WORLD, &me);
  write_md_dump(dump);
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
    o.fix = f.fix_values("ref", true);
    o.step = f.global("err");
    o.err = f.peratom("err");
    f.close();
    return o;
  };
  const Out world = run(MPI_COMM_WORLD, true), self = run(MPI_COMM_SELF, false);
  // counts, histograms, NAC, P and fractions are sums of integers: exact.  RMSE and MAE are
  // floating-point sums whose order depends on the decomposition: equal to rounding.
  expect_same_figures(world.fix, self.fix);
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

// A frame of more atoms than one round of the rendezvous on 4 ranks (MlipevalFrameFeed::kChunk
// rows per rank): rank 0 deals the rows out by atom ID in rounds, each rank fetches its atoms'
// rows, and every atom gets its row, as on one rank.  A repeated ID in the frame is found across
// ranks with the one-rank message.
TEST(ForceReferenceMPI, FramesOfSeveralChunksMatchOneRank)
{
  const int cells = 17;    // 39 304 atoms
  ASSERT_GT(8 * cells * cells * cells, 4 * LAMMPS_NS::MlipevalFrameFeed::kChunk);
  const std::string dump = world_tmpname("chunks.dump"), twice = world_tmpname("chunks_twice.dump");
  int me;
  MPI_Comm_rank(MPI_COMM_WORLD, &me);
  if (me == 0) {
    LammpsFixture md;
    md.open(MPI_COMM_SELF);
    md.commands(si_crystal(cells));
    md.commands({"displace_atoms all random 0.2 0.2 0.2 4711 units box",
                 "dump d all custom 1 " + dump + " id type x y z fx fy fz",
                 "dump_modify d format float %20.15g", "run 1 post no"});
    md.close();
    // the same frames with atom ID 7's line given ID 30001, which then appears twice
    std::ifstream in(dump);
    std::ofstream out(twice);
    std::string line;
    while (std::getline(in, line)) out << (line.rfind("7 ", 0) == 0 ? "30001" + line.substr(1) : line) << "\n";
  }
  MPI_Barrier(MPI_COMM_WORLD);
  // the same SW forces as the reference, to rounding: any row given to the wrong atom shows
  auto run = [&](MPI_Comm comm) {
    LammpsFixture f;
    f.open(comm);
    f.commands(si_crystal(cells));
    f.commands({"fix ref all force/reference " + dump, "rerun " + dump + " dump x y z"});
    const std::vector<double> v = f.fix_values("ref", true);
    f.close();
    return v;
  };
  const auto world = run(MPI_COMM_WORLD), self = run(MPI_COMM_SELF);
  ASSERT_EQ(world.size(), self.size());
  for (size_t k = 0; k < world.size(); ++k) {
    if (k < 36 && (k % 9 == 7 || k % 9 == 8)) {
      // RMSE and MAE of |dF|: rounding of the dump's 15 digits only
      EXPECT_LT(world[k], 1e-9) << "value " << k;
      EXPECT_LT(self[k], 1e-9) << "value " << k;
    } else {
      EXPECT_EQ(world[k], self[k]) << "value " << k;
    }
  }
  EXPECT_EQ(world[27], 2 * 8 * cells * cells * cells);    // 2 frames, every atom scored

  LammpsFixture f;
  f.open(MPI_COMM_WORLD);
  f.commands(si_crystal(cells));
  f.command("fix ref all force/reference " + twice);
  TEST_FAILURE("frame 0 of .* gives 1 atom ID\\(s\\) more than once \\(atom ID 7 has no line\\)",
               f.command("rerun " + dump + " dump x y z"));
  f.close();
  MPI_Barrier(MPI_COMM_WORLD);
  if (me == 0) {
    std::remove(dump.c_str());
    std::remove(twice.c_str());
  }
}
