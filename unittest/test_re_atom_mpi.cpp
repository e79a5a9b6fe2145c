// compute re/atom gives the same answer on any number of ranks.  Run under mpirun -np 1, 2, 4:
// every rank also runs the scenario alone (MPI_COMM_SELF) and the two must agree exactly.
#include "lammps_fixture.h"

#include "fix.h"

#include <cstdio>
#include <unistd.h>

using namespace mlipeval_test;

namespace {
using Rows = std::vector<std::vector<double>>;

struct Result {
  Rows peratom;
  std::vector<double> global;
};

Result run_direct(MPI_Comm comm, const std::string &data, const char *id)
{
  LammpsFixture f;
  f.open(comm);
  f.commands({"units metal", "atom_style atomic", "atom_modify map array", "read_data " + data,
              "pair_style sw", "pair_coeff * * Si.sw Si", "group sub id 1:480",
              "compute re all re/atom sites cell diamond 4 4 4",
              "compute rs sub re/atom sites cell diamond 4 4 4 migrate 0.9 vacancy 1.0 near 4.0",
              "run 0 post no"});
  Result r{f.peratom(id), f.global(id)};
  f.close();
  return r;
}

void expect_same(const Result &a, const Result &b)
{
  ASSERT_EQ(a.peratom.size(), b.peratom.size());
  for (size_t i = 0; i < a.peratom.size(); ++i)
    for (size_t k = 0; k < a.peratom[i].size(); ++k)
      ASSERT_EQ(a.peratom[i][k], b.peratom[i][k]) << "atom " << i + 1 << " column " << k + 1;
  EXPECT_EQ(a.global, b.global);
}

}    // namespace

TEST(ReAtomMPI, DirectConfigurationMatchesOneRank)
{
  const std::string data = write_disordered_si(false, "cubic.data");
  const Result world = run_direct(MPI_COMM_WORLD, data, "re");
  const Result self = run_direct(MPI_COMM_SELF, data, "re");
  world_remove(data);
  expect_same(world, self);
  EXPECT_GE(world.global[0], 2);    // the two hand-placed hops at least
  EXPECT_EQ(world.global[5], 512);
}

TEST(ReAtomMPI, TriclinicGroupMatchesOneRank)
{
  const std::string data = write_disordered_si(true, "tri.data");
  const Result world = run_direct(MPI_COMM_WORLD, data, "rs");
  const Result self = run_direct(MPI_COMM_SELF, data, "rs");
  world_remove(data);
  expect_same(world, self);
  EXPECT_GE(world.global[1], 32);    // atoms 481-512 are outside the group
}

TEST(ReAtomMPI, RerunMatchesOneRank)
{
  const std::string dump = world_tmpname("rerun.dump");
  {
    LammpsFixture md;
    md.open(MPI_COMM_WORLD);
    md.commands(si_crystal(4));
    md.commands({"group gone id 1", "delete_atoms group gone compress no",
                 "velocity all create 2400 87287 loop geom", "fix nvt all nvt temp 1500 1500 0.1",
                 "dump d all custom 25 " + dump + " id type x y z",
                 "dump_modify d format float %20.15g sort id", "run 200 post no"});
    md.close();
  }
  MPI_Barrier(MPI_COMM_WORLD);
  auto rerun = [&](MPI_Comm comm) {
    LammpsFixture f;
    f.open(comm);
    f.commands(si_crystal(4));
    f.commands({"group gone id 1", "delete_atoms group gone compress no",
                "compute re all re/atom sites cell diamond 4 4 4",
                "variable nre equal c_re[1]", "variable nvac equal c_re[2]",
                "fix sum all ave/time 25 1 25 v_nre v_nvac mode scalar ave running",
                "rerun " + dump + " dump x y z"});
    Result r{f.peratom("re"), f.global("re")};    // last frame
    auto *fix = LAMMPS_NS::mlipeval_compat::fix_by_id(f.lmp->modify, "sum");
    r.global.push_back(fix->compute_vector(0));    // running mean of the RE count
    r.global.push_back(fix->compute_vector(1));
    f.close();
    return r;
  };
  const Result world = rerun(MPI_COMM_WORLD);
  const Result self = rerun(MPI_COMM_SELF);
  world_remove(dump);
  expect_same(world, self);
}
