// fix vacancy/track gives the same answer on any number of ranks (run under mpirun -np 1, 2, 4):
// a rerun of an SW trajectory on all ranks and on one rank alone must agree.
#include "lammps_fixture.h"

#include "fix.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace mlipeval_test;

namespace {
// A rerun of an SW vacancy trajectory with fix vacancy/track on all ranks and on one rank alone:
// the global vector (and array, with_array) and the trajectory file must agree.  setup: the
// commands before the rerun (the fix, ID vt, writes its trajectory to the file FILE stands for).
// busy: the index of a value that must be above 0 (the vacancies moved)
void expect_rerun_matches_one_rank(const std::string &tag, const std::vector<std::string> &setup, bool with_array,
                                   int busy)
{
  int me;
  MPI_Comm_rank(MPI_COMM_WORLD, &me);
  const std::string base = world_tmpname(tag);
  write_vacancy_md(base + ".dump", 6000);
  auto run = [&](MPI_Comm comm, const std::string &traj) {
    LammpsFixture f;
    f.open(comm);
    for (std::string line : setup) {
      const size_t at = line.find("FILE");
      if (at != std::string::npos) line.replace(at, 4, traj);
      f.command(line);
    }
    f.command("rerun " + base + ".dump dump x y z ix iy iz");
    const std::vector<double> v = f.fix_values("vt", with_array);
    f.close();
    return v;
  };
  const auto world = run(MPI_COMM_WORLD, base + ".world.txt");
  const auto self = run(MPI_COMM_SELF, base + "." + std::to_string(me) + ".self.txt");
  ASSERT_EQ(world.size(), self.size());
  for (size_t k = 0; k < world.size(); ++k) {
    // tracer MSD and D are floating-point sums over ranks (values 8-11): equal to rounding
    if (k >= 7 && k <= 10) EXPECT_NEAR(world[k], self[k], 1e-10 * std::fabs(self[k]) + 1e-300) << "value " << k + 1;
    else EXPECT_EQ(world[k], self[k]) << "value " << k + 1;
  }
  EXPECT_GT(world[busy], 0) << "value " << busy + 1;
  MPI_Barrier(MPI_COMM_WORLD);
  if (me == 0) {
    const std::string a = slurp(base + ".world.txt"), b = slurp(base + ".0.self.txt");
    EXPECT_GT(a.size(), 1000u);
    EXPECT_EQ(a, b) << "trajectory files differ";
  }
  MPI_Barrier(MPI_COMM_WORLD);
  std::remove((base + "." + std::to_string(me) + ".self.txt").c_str());
  if (me == 0) {
    std::remove((base + ".dump").c_str());
    std::remove((base + ".world.txt").c_str());
  }
}
}    // namespace

TEST(VacancyTrackMPI, RerunMatchesOneRank)
{
  std::vector<std::string> setup = si_crystal(3);
  setup.insert(setup.end(), {"group gone id 1 100", "delete_atoms group gone compress no",
                             "fix vt all vacancy/track 20 sites cell diamond 3 3 3 file FILE"});
  expect_rerun_matches_one_rank("vt", setup, false, 1);    // hops
}

// The same trajectory with two sublattices (the atoms of basis sites 5-8 labelled type 2, the same
// SW Si) and stored sites read from a file with elements: each rank keeps a part of the sites with
// their types, and the per-type vacancies and hops (the global array) agree with one rank.
TEST(VacancyTrackMPI, SublatticesOfStoredSitesMatchOneRank)
{
  int me;
  MPI_Comm_rank(MPI_COMM_WORLD, &me);
  const std::string sites = world_tmpname("vt_two_sites.xyz"), data = world_tmpname("vt_two.data");
  // made on one rank: create_atoms numbers the atoms by rank, and the types must sit where the
  // trajectory's atoms of each ID are
  if (me == 0) {
    std::vector<std::string> crystal = si_crystal(3);
    crystal[6] = "create_box 2 box";
    crystal[7] = "create_atoms 1 box basis 5 2 basis 6 2 basis 7 2 basis 8 2";
    crystal[8] = "mass * 28.0855";
    crystal[10] = "pair_coeff * * Si.sw Si Si";
    LammpsFixture f;
    f.open(MPI_COMM_SELF);
    f.commands(crystal);
    f.command("write_dump all xyz " + sites + " modify element Si C sort id format line \"%s %.17g %.17g %.17g\"");
    f.commands({"group gone id 1 100", "delete_atoms group gone compress no", "write_data " + data});
    f.close();
  }
  MPI_Barrier(MPI_COMM_WORLD);
  const std::vector<std::string> setup = {"units metal", "atom_style atomic", "atom_modify map array", "read_data " + data,
                                          "pair_style sw", "pair_coeff * * Si.sw Si Si",
                                          "fix vt all vacancy/track 20 sites file " + sites + " elements Si C file FILE"};
  // a nearest-neighbour hop of diamond crosses the sublattices: a vacancy of one type vanishes and
  // one of the other appears (value 12), and no hop stays on one sublattice
  expect_rerun_matches_one_rank("vt_two", setup, true, 11);
  MPI_Barrier(MPI_COMM_WORLD);
  if (me == 0) {
    std::remove(sites.c_str());
    std::remove(data.c_str());
  }
}
