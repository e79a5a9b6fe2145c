// fix vacancy/track gives the same answer on any number of ranks (run under mpirun -np 1, 2, 4):
// a rerun of an SW trajectory on all ranks and on one rank alone must agree.
#include "lammps_fixture.h"

#include "fix.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace mlipeval_test;

TEST(VacancyTrackMPI, RerunMatchesOneRank)
{
  int me;
  MPI_Comm_rank(MPI_COMM_WORLD, &me);
  const std::string base = world_tmpname("vt");
  write_vacancy_md(base + ".dump", 6000);
  auto run = [&](MPI_Comm comm, const std::string &traj) {
    LammpsFixture f;
    f.open(comm);
    f.commands(si_crystal(3));
    f.commands({"group gone id 1 100", "delete_atoms group gone compress no",
                "fix vt all vacancy/track 20 sites cell diamond 3 3 3 file " + traj,
                "rerun " + base + ".dump dump x y z ix iy iz"});
    const std::vector<double> v = f.fix_values("vt");
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
  EXPECT_GT(world[1], 0);    // the vacancies hopped
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
