// fix re/select (run under mpirun -np 1, 2, 4): its errors, its trigger against compute re/atom's
// own counts, the same file on any number of ranks, and frames that read_extxyz reads back.
#include "lammps_fixture.h"

#include "core/xyz_reader.h"

#include <cstdio>
#include <fstream>
#include <sstream>

using namespace mlipeval_test;

namespace {
std::vector<std::string> vacancy_crystal()
{
  std::vector<std::string> c = si_crystal(3);
  c.insert(c.end(), {"group gone id 1 100", "delete_atoms group gone compress no",
                     "compute re all re/atom sites cell diamond 3 3 3"});
  return c;
}

// frames in an extended XYZ file
int count_frames(const std::string &path)
{
  std::istringstream in(slurp(path));
  int n = 0;
  for (std::string line; std::getline(in, line);) n += line.find("Lattice=") != std::string::npos;
  return n;
}
// Two files of fix re/select hold the same frames: every word alike, except energies and forces,
// which are floating-point sums over ranks and agree to rounding.
void expect_same_frames(const std::string &a, const std::string &b)
{
  std::istringstream in_a(slurp(a)), in_b(slurp(b));
  std::string la, lb;
  int line = 0;
  while (std::getline(in_a, la)) {
    ++line;
    ASSERT_TRUE(std::getline(in_b, lb)) << b << " ends at line " << line;
    std::istringstream wa(la), wb(lb);
    std::string x, y;
    for (int k = 0; wa >> x; ++k) {
      ASSERT_TRUE(wb >> y) << "line " << line;
      const bool force = la.compare(0, 3, "Si ") == 0 && k >= 4 && k <= 6;
      if (force || x.compare(0, 7, "energy=") == 0) {
        const double u = std::stod(x.substr(x.find('=') + 1)), v = std::stod(y.substr(y.find('=') + 1));
        EXPECT_NEAR(u, v, 1e-9 * (1.0 + std::fabs(v))) << "line " << line << " word " << k + 1;
      } else {
        EXPECT_EQ(x, y) << "line " << line << " word " << k + 1;
      }
    }
    EXPECT_FALSE(wb >> y) << "line " << line;
  }
  EXPECT_FALSE(std::getline(in_b, lb)) << b << " is longer";
  EXPECT_GT(line, 200);
}
}    // namespace

TEST(RESelect, BadInputStopsWithAClearError)
{
  const std::string out = world_tmpname("sel_err.xyz");
  LammpsFixture f;
  f.open();
  f.commands(vacancy_crystal());
  const std::string fix = "fix s all re/select 10 ";
  TEST_FAILURE("Illegal fix re/select command: missing argument", f.command(fix + "c_re"));
  TEST_FAILURE("N value 0 must be a positive integer", f.command("fix s all re/select 0 c_re file " + out));
  TEST_FAILURE("re value 're' must be c_ID", f.command(fix + "re file " + out));
  TEST_FAILURE("expected 'file F' after c_re, not 'out'", f.command(fix + "c_re out " + out));
  TEST_FAILURE("on value 'sometimes' is unknown \\(use re, hop or near\\)",
               f.command(fix + "c_re file " + out + " on sometimes"));
  TEST_FAILURE("max value 0 must be a positive integer", f.command(fix + "c_re file " + out + " max 0"));
  TEST_FAILURE("min_gap value -5 must be >= 0", f.command(fix + "c_re file " + out + " min_gap -5"));
  TEST_FAILURE("Illegal fix re/select elements command: missing argument",
               f.command(fix + "c_re file " + out + " elements"));
  TEST_FAILURE("unknown keyword 'bogus'", f.command(fix + "c_re file " + out + " bogus 1"));

  // errors at init: each in a fresh system (a run that stopped in its init is not run again)
  auto fresh = [&] {
    f.clear();
    f.commands(vacancy_crystal());
  };
  f.command(fix + "c_nope file " + out);
  TEST_FAILURE("compute nope for keyword re does not exist", f.command("run 0 post no"));
  fresh();
  f.command(fix + "c_re file " + out + " elements Si C");
  TEST_FAILURE("elements names 2 species for 1 atom types; give one per type", f.command("run 0 post no"));
  fresh();
  f.command(fix + "c_re file /nonexistent-dir/frames.xyz elements Si");
  TEST_FAILURE("cannot open file /nonexistent-dir/frames.xyz", f.command("run 0 post no"));
  fresh();
  // legal but suspicious: no element names
  f.command(fix + "c_re file " + out);
  const std::string log = f.logged({"run 0 post no"});
  f.close();
  int me;
  MPI_Comm_rank(MPI_COMM_WORLD, &me);
  if (me == 0)    // rank 0 writes the log
    EXPECT_NE(log.find("no elements keyword; the species column of " + out + " holds atom type numbers"),
              std::string::npos) << log;
  world_remove(out);
}

// A rerun of a vacancy MD run: fix re/select "on re" with min_gap writes the frames that compute
// re/atom's own RE counts (written by fix ave/time) call for, and the same frames on all ranks as
// on one rank alone.
TEST(RESelect, RerunWritesTheFramesTheRuleCallsForOnAnyNumberOfRanks)
{
  int me;
  MPI_Comm_rank(MPI_COMM_WORLD, &me);
  const std::string base = world_tmpname("sel");
  write_vacancy_md(base + ".dump", 2000);
  auto run = [&](MPI_Comm comm, const std::string &xyz, const std::string &series) {
    LammpsFixture f;
    f.open(comm);
    f.commands(vacancy_crystal());
    f.commands({"fix s all re/select 20 c_re file " + xyz + " min_gap 60 elements Si",
                "fix n all ave/time 20 1 20 c_re[1] file " + series,
                "rerun " + base + ".dump dump x y z ix iy iz"});
    const std::vector<double> v = f.fix_values("s");
    f.close();
    return v;
  };
  const auto world = run(MPI_COMM_WORLD, base + ".world.xyz", base + ".world.nre");
  const std::string self_xyz = base + "." + std::to_string(me) + ".self.xyz";
  const std::string self_nre = base + "." + std::to_string(me) + ".self.nre";
  const auto self = run(MPI_COMM_SELF, self_xyz, self_nre);
  EXPECT_EQ(world, self);

  // the rule applied to the RE counts of every checked step
  std::istringstream series(slurp(self_nre));
  long frames = 0, last = -1, checks = 0;
  for (std::string line; std::getline(series, line);) {
    if (line.empty() || line[0] == '#') continue;
    long step;
    double nre;
    std::istringstream(line) >> step >> nre;
    ++checks;
    if (nre > 0 && (last < 0 || step - last >= 60)) ++frames, last = step;
  }
  EXPECT_EQ(checks, 101);
  EXPECT_GT(frames, 1) << "the run has no RE atoms to select";
  EXPECT_LT(frames, checks);
  ASSERT_EQ(world.size(), 2u);
  EXPECT_EQ(world[0], frames);
  EXPECT_EQ(world[1], last);
  EXPECT_EQ(count_frames(self_xyz), frames);
  MPI_Barrier(MPI_COMM_WORLD);
  if (me == 0) expect_same_frames(base + ".world.xyz", self_xyz);

  // the first frame read back: same atoms, cell and SW energy and forces as written
  mlipeval::XyzReader reader(self_xyz);
  mlipeval::XyzFrame frame;
  ASSERT_TRUE(reader.next(frame));
  const std::vector<double> force = frame.column("forces", 3);
  LammpsFixture g;
  g.open();
  g.commands({"units metal", "atom_style atomic", "atom_modify map array",
              "read_extxyz " + self_xyz + " frame 0 elements Si", "mass 1 28.0855", "pair_style sw",
              "pair_coeff * * Si.sw Si", "compute fa all property/atom fx fy fz", "run 0 post no"});
  EXPECT_NEAR(g.compute("thermo_pe")->compute_scalar(), std::stod(frame.info.at("energy")), 1e-8);
  const auto rows = g.peratom("fa");
  ASSERT_EQ((int) rows.size(), frame.natoms);
  for (int i = 0; i < frame.natoms; ++i)
    for (int d = 0; d < 3; ++d) EXPECT_NEAR(rows[i][d], force[3 * i + d], 1e-9) << "atom " << i + 1;
  g.close();

  MPI_Barrier(MPI_COMM_WORLD);
  std::remove(self_xyz.c_str());
  std::remove(self_nre.c_str());
  if (me == 0)
    for (const char *s : {".dump", ".world.xyz", ".world.nre"}) std::remove((base + s).c_str());
}

// "on hop" fires when the vacancy list changes; max stops the writing and says so.
TEST(RESelect, HopsFillTheFramesUpToMax)
{
  const std::string base = world_tmpname("selhop");
  write_vacancy_md(base + ".dump", 2000);
  LammpsFixture f;
  f.open();
  f.commands(vacancy_crystal());
  f.command("fix s all re/select 20 c_re file " + base + ".xyz on hop max 2 elements Si");
  const std::string log = f.logged({"rerun " + base + ".dump dump x y z ix iy iz"});
  const std::vector<double> v = f.fix_values("s");
  f.close();
  EXPECT_EQ(v[0], 2.0);
  EXPECT_GT(v[1], 0.0);
  int me;
  MPI_Comm_rank(MPI_COMM_WORLD, &me);
  if (me == 0) {
    EXPECT_NE(log.find("wrote 2 frames to " + base + ".xyz, the most asked for (max)"), std::string::npos) << log;
    EXPECT_EQ(count_frames(base + ".xyz"), 2);
  }
  world_remove(base + ".xyz");
  world_remove(base + ".dump");
}

// A restart carries the frame count and the last step on, and the frames go on at the end of the
// file; without one, the file starts anew.
TEST(RESelect, RestartCarriesTheCountOnAndAppends)
{
  const std::string base = world_tmpname("selrst");
  const std::string fix = "fix s all re/select 10 c_re file " + base + ".xyz on near elements Si";
  LammpsFixture f;
  f.open();
  f.commands(vacancy_crystal());
  f.commands({fix, "velocity all create 3400 777 loop geom", "fix nvt all nvt temp 1700 1700 0.1", "run 300 post no",
              "write_restart " + base + ".restart"});
  const std::vector<double> first = f.fix_values("s");
  f.close();
  ASSERT_GT(first[0], 0.0) << "no atom near an RE atom in 300 steps";

  LammpsFixture g;
  g.open();
  g.commands({"read_restart " + base + ".restart", "pair_style sw", "pair_coeff * * Si.sw Si",
              "compute re all re/atom sites cell diamond 3 3 3", fix, "fix nvt all nvt temp 1700 1700 0.1"});
  EXPECT_EQ(g.fix_values("s"), first);
  g.command("run 300 post no");
  const std::vector<double> second = g.fix_values("s");
  g.close();
  EXPECT_GT(second[0], first[0]);
  EXPECT_GT(second[1], 300.0);
  int me;
  MPI_Comm_rank(MPI_COMM_WORLD, &me);
  MPI_Barrier(MPI_COMM_WORLD);
  if (me == 0) EXPECT_EQ(count_frames(base + ".xyz"), (int) second[0]);
  world_remove(base + ".xyz");
  world_remove(base + ".restart");
}
