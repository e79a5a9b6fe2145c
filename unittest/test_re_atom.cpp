// compute re/atom inside the LAMMPS the plugin was built for (one rank).
#include "lammps_fixture.h"

#include "atom.h"
#include "domain.h"

#include "compute_re_atom.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

using namespace mlipeval_test;
using ::testing::ElementsAre;

namespace {
const double A = 5.431;
const double NN = A * std::sqrt(3.0) / 4.0;

class ReAtom : public ::testing::Test, public LammpsFixture {
 protected:
  void SetUp() override { open(MPI_COMM_SELF); }
  void TearDown() override { close(); }

  std::vector<double> position(int id)
  {
    const int i = lmp->atom->map(id);
    return {lmp->atom->x[i][0], lmp->atom->x[i][1], lmp->atom->x[i][2]};
  }
  void place(int id, double x, double y, double z)
  {
    command("set atom " + std::to_string(id) + " x " + std::to_string(x) + " y " + std::to_string(y) + " z " +
            std::to_string(z));
  }
};
}    // namespace

TEST_F(ReAtom, PerfectCrystalHasNoRareEventsOrVacancies)
{
  commands(si_crystal(3));
  command("compute re all re/atom sites cell diamond 3 3 3");
  command("compute rl all re/atom sites lattice");
  command("run 0 post no");
  EXPECT_THAT(global("re"), ElementsAre(0, 0, 0, 0, 0, 216));
  EXPECT_THAT(global("rl"), ElementsAre(0, 0, 0, 0, 0, 216));
  auto rows = peratom("re");
  ASSERT_EQ(rows.size(), 216u);
  std::vector<int> seen(217, 0);
  for (const auto &r : rows) {
    ASSERT_EQ(r.size(), 7u);
    EXPECT_GE(r[0], 1);
    EXPECT_LE(r[0], 216);
    seen[(int) r[0]]++;
    EXPECT_NEAR(r[1], 0.0, 1e-9);
    EXPECT_NEAR(r[2], NN, 1e-6);    // lattice command rounds a to the printed digits
    EXPECT_EQ(r[3], 0);
    EXPECT_EQ(r[4], -1);    // no vacancy
    EXPECT_EQ(r[5], -1);    // no RE atom
    EXPECT_EQ(r[6], 0);
  }
  for (int s = 1; s <= 216; ++s) EXPECT_EQ(seen[s], 1) << "site " << s;
}

TEST_F(ReAtom, LatticeOfTheBoxIsGeneratedAsSitesCell)
{
  // the usual lattice, region and create_atoms: sites lattice is the unit cell repeated, built
  // with no stored positions, and answers as sites cell does, per atom and per site index
  commands(si_crystal(3));
  commands({"group gone id 1", "delete_atoms group gone compress no",
            "displace_atoms all random 0.2 0.2 0.2 5011 units box", "set atom 5 x 0.7 y 0.65 z 0.7",
            "compute rc all re/atom sites cell diamond 3 3 3", "compute rl all re/atom sites lattice",
            "run 0 post no"});
  auto *rl = dynamic_cast<LAMMPS_NS::ComputeREAtom *>(compute("rl"));
  ASSERT_NE(rl, nullptr);
  EXPECT_TRUE(rl->site_set().generated());
  EXPECT_TRUE(rl->site_set().fractional().empty());
  EXPECT_EQ(global("rl"), global("rc"));
  EXPECT_EQ(global("rl")[0], 1);    // atom 5 mid-hop
  const auto cell = peratom("rc"), lat = peratom("rl");
  ASSERT_EQ(cell.size(), lat.size());
  for (size_t i = 0; i < cell.size(); ++i) {
    ASSERT_EQ(cell[i].size(), lat[i].size());
    for (size_t c = 0; c < cell[i].size(); ++c) EXPECT_NEAR(lat[i][c], cell[i][c], 1e-9) << "atom " << i + 1;
  }
  close();

  // a lattice point off the box origin: the sites are stored, numbered by lattice_sites
  open(MPI_COMM_SELF);
  auto shifted = si_crystal(3);
  shifted[4] += " origin 0.5 0 0";
  commands(shifted);
  commands({"compute rl all re/atom sites lattice", "run 0 post no"});
  rl = dynamic_cast<LAMMPS_NS::ComputeREAtom *>(compute("rl"));
  ASSERT_NE(rl, nullptr);
  EXPECT_FALSE(rl->site_set().generated());
  EXPECT_EQ(rl->site_set().size(), 216);
  EXPECT_THAT(global("rl"), ElementsAre(0, 0, 0, 0, 0, 216));
}

TEST_F(ReAtom, MemoryUsageCountsWhatTheComputeHolds)
{
  // after an analysis, at least: the per-atom array (7 doubles per atom slot), the site
  // positions (3 doubles) and the tallies (2 ints per site); at most a few times that (the
  // search structures)
  commands(si_crystal(6));
  command("compute re all re/atom sites cell diamond 6 6 6");
  const double before = compute("re")->memory_usage();
  command("thermo_style custom step c_re[2]");
  command("run 0 post no");
  const double nsites = 1728, nmax = lmp->atom->nmax;
  const double floor = nmax * 7 * sizeof(double) + nsites * 3 * sizeof(double) + nsites * 2 * sizeof(int);
  const double used = compute("re")->memory_usage();
  EXPECT_GE(used, floor);
  EXPECT_LE(used, 4 * floor);
  EXPECT_GE(used - before, nmax * 7 * sizeof(double) + nsites * 2 * sizeof(int));    // what the analysis added

  // a run initialises the compute before LAMMPS prints its memory summary: the per-atom array
  // and the tallies are counted by then, even when nothing has asked for an analysis yet
  command("compute idle all re/atom sites cell diamond 6 6 6");
  EXPECT_LT(compute("idle")->memory_usage(), nmax * 7 * sizeof(double));
  command("run 0 post no");
  EXPECT_GE(compute("idle")->memory_usage(), nmax * 7 * sizeof(double) + nsites * 2 * sizeof(int));
}

TEST_F(ReAtom, VacancyThenHalfHopMakesOneRareEventAtom)
{
  commands(si_crystal(3));
  // atom 1 is at the origin, atom 5 at (a/4, a/4, a/4): neighbours
  auto x5 = position(5);
  ASSERT_NEAR(x5[0], A / 4, 1e-9);
  command("group gone id 1");
  command("delete_atoms group gone compress no");
  command("compute re all re/atom sites cell diamond 3 3 3");
  command("run 0 post no");
  EXPECT_THAT(global("re"), ElementsAre(0, 1, 0, 1, 0, 216));
  auto rows = peratom("re");
  EXPECT_NEAR(rows[4][4], NN, 1e-9);    // atom 5: r_v to the empty origin site

  place(5, A / 8, A / 8, A / 8);    // half way into the vacancy
  command("run 0 post no");
  EXPECT_THAT(global("re"), ElementsAre(1, 2, 1, 1, 0, 216));
  rows = peratom("re");
  const auto &hop = rows[4];
  EXPECT_NEAR(hop[1], NN / 2, 1e-9);
  EXPECT_NEAR(hop[2], 0.0, 1e-9);
  EXPECT_EQ(hop[3], 1);
  EXPECT_EQ(hop[5], 0);
  EXPECT_EQ(hop[6], 0);
  // near flags are exactly "within 3 A of atom 5" by the minimum image
  const double L = 3 * A;
  int near = 0;
  for (int id = 2; id <= 216; ++id) {
    if (id == 5) continue;
    auto p = position(id);
    double dsq = 0;
    for (int k = 0; k < 3; ++k) {
      double d = p[k] - A / 8;
      d -= L * std::round(d / L);
      dsq += d * d;
    }
    EXPECT_NEAR(rows[id - 1][5], std::sqrt(dsq), 1e-9) << "atom " << id;
    EXPECT_EQ(rows[id - 1][6], std::sqrt(dsq) < 3.0 ? 1 : 0) << "atom " << id;
    near += (int) rows[id - 1][6];
  }
  EXPECT_EQ(near, 6);    // three bonded neighbours of each of the two end sites
  EXPECT_TRUE(rows[0].empty());    // atom 1 is gone
}

// Thermo, a dump, fix vacancy/track and compute interstitial/type all read the compute every
// step: it analyses once per step.  After set, run 0 at the same step analyses anew, for its
// partner styles too.
TEST_F(ReAtom, OneAnalysisPerStepWhoeverAsks)
{
  const std::string out = world_tmpname("once.dump"), traj = world_tmpname("once_traj.txt");
  commands(si_crystal(3));
  commands({"group gone id 1", "delete_atoms group gone compress no", "velocity all create 1200 4711 loop geom",
            "fix nve all nve", "compute re all re/atom sites cell diamond 3 3 3",
            "compute it all interstitial/type re c_re", "fix vt all vacancy/track 1 re c_re",
            "thermo_style custom step c_re[1] c_re[2] c_it[1]", "thermo 1",
            "dump d all custom 1 " + out + " id c_re[1] c_re[4]", "run 20 post no"});
  auto *re = dynamic_cast<LAMMPS_NS::ComputeREAtom *>(compute("re"));
  ASSERT_NE(re, nullptr);
  EXPECT_EQ(re->analyses(), 21);    // the setup and 20 steps
  close();

  // run 0, then atom 5 half way into the vacancy, run 0 again: two empty sites at step 0
  open(MPI_COMM_SELF);
  commands(si_crystal(3));
  commands({"group gone id 1", "delete_atoms group gone compress no", "compute re all re/atom sites cell diamond 3 3 3",
            "fix vt all vacancy/track 1 re c_re file " + traj, "run 0 post no"});
  place(5, A / 8, A / 8, A / 8);
  commands({"run 0 post no", "unfix vt"});
  std::ifstream in(traj);
  std::string line;
  int vac_lines = 0;
  while (std::getline(in, line)) vac_lines += line.rfind("VAC 0 ", 0) == 0;
  EXPECT_EQ(vac_lines, 1 + 2);    // the vacancy; then the vacancy and its hop in progress
  for (const auto &p : {out, traj}) std::remove(p.c_str());
}

TEST_F(ReAtom, AtomsOutsideTheGroupAreZero)
{
  commands(si_crystal(3));
  command("group sub id 17:216");
  command("compute re sub re/atom sites cell diamond 3 3 3");
  command("run 0 post no");
  // the 16 sites of atoms 1-16 hold no group atom
  EXPECT_THAT(global("re"), ElementsAre(0, 16, 0, 16, 0, 216));
  auto rows = peratom("re");
  for (int id = 1; id <= 16; ++id) EXPECT_THAT(rows[id - 1], ElementsAre(0, 0, 0, 0, 0, 0, 0));
  for (int id = 17; id <= 216; ++id) {
    EXPECT_GE(rows[id - 1][0], 1);
    EXPECT_GT(rows[id - 1][4], 0.0);    // some vacancy site exists
  }
}

TEST_F(ReAtom, SitesFollowTriclinicAndScaledBoxes)
{
  commands(si_crystal(3));
  command("compute re all re/atom sites cell diamond 3 3 3");
  command("change_box all triclinic");
  command("change_box all xy final 3.0 xz final -2.0 yz final 1.5 remap units box");
  command("run 0 post no");
  EXPECT_THAT(global("re"), ElementsAre(0, 0, 0, 0, 0, 216));
  for (const auto &r : peratom("re")) EXPECT_NEAR(r[1], 0.0, 1e-9);
  command("change_box all x scale 1.03 y scale 0.98 z scale 1.02 remap");
  command("run 0 post no");
  EXPECT_THAT(global("re"), ElementsAre(0, 0, 0, 0, 0, 216));
  for (const auto &r : peratom("re")) EXPECT_NEAR(r[1], 0.0, 1e-9);
}

TEST_F(ReAtom, SitesFromXyzAndExtxyzFiles)
{
  commands(si_crystal(2));
  command(std::string("write_dump all xyz ") + world_tmpname("sites.xyz") + " modify element Si");
  // the same sites as extxyz in a general (rotated) frame: rotate by 90 degrees about z
  {
    std::ofstream out(world_tmpname("sites.extxyz"));
    const double L = 2 * A;
    out << "64\nLattice=\"0 " << L << " 0 " << -L << " 0 0 0 0 " << L << "\" Properties=species:S:1:pos:R:3\n";
    for (int id = 1; id <= 64; ++id) {
      auto p = position(id);
      out << "Si " << -p[1] << " " << p[0] << " " << p[2] << "\n";
    }
  }
  command("compute rc all re/atom sites cell diamond 2 2 2");
  command(std::string("compute rx all re/atom sites file ") + world_tmpname("sites.xyz"));
  command(std::string("compute re all re/atom sites file ") + world_tmpname("sites.extxyz"));
  command("displace_atoms all random 0.3 0.3 0.3 4711 units box");
  command("run 0 post no");
  auto rc = peratom("rc"), rx = peratom("rx"), re = peratom("re");
  for (size_t i = 0; i < rc.size(); ++i) {
    for (int k = 1; k < 7; ++k) {
      EXPECT_NEAR(rx[i][k], rc[i][k], 1e-5) << "atom " << i + 1 << " column " << k + 1;
      EXPECT_NEAR(re[i][k], rc[i][k], 1e-9) << "atom " << i + 1 << " column " << k + 1;
    }
  }
  EXPECT_EQ(global("rx"), global("rc"));
  EXPECT_EQ(global("re"), global("rc"));
  std::remove(world_tmpname("sites.xyz").c_str());
  std::remove(world_tmpname("sites.extxyz").c_str());
}

TEST_F(ReAtom, BadInputGivesClearErrors)
{
  commands(si_crystal(3));
  TEST_FAILURE("unknown keyword 'foo'", command("compute b all re/atom sites cell diamond 3 3 3 foo 1"));
  TEST_FAILURE("keyword migrate value -0.5 must be > 0",
               command("compute b all re/atom sites cell diamond 3 3 3 migrate -0.5"));
  TEST_FAILURE("keyword vacancy value 0 must be > 0",
               command("compute b all re/atom sites cell diamond 3 3 3 vacancy 0"));
  TEST_FAILURE("keyword near value -3 must be > 0", command("compute b all re/atom sites cell diamond 3 3 3 near -3"));
  TEST_FAILURE("Illegal compute re/atom near command: missing argument", command("compute b all re/atom sites cell diamond 3 3 3 near"));
  TEST_FAILURE("sites cell NX value 0 must be a positive integer",
               command("compute b all re/atom sites cell diamond 0 3 3"));
  TEST_FAILURE("sites cell NZ value -2 must be a positive integer",
               command("compute b all re/atom sites cell diamond 3 3 -2"));
  TEST_FAILURE("sites cell lattice 'hcpx' is unknown", command("compute b all re/atom sites cell hcpx 3 3 3"));
  TEST_FAILURE("sites value 'grid' is unknown", command("compute b all re/atom sites grid"));
  TEST_FAILURE("Illegal compute re/atom sites command: missing argument",
               command("compute b all re/atom sites cell diamond 3 3"));
  TEST_FAILURE("Illegal compute re/atom sites command: missing argument", command("compute b all re/atom sites file"));
  TEST_FAILURE("the sites keyword is required", command("compute b all re/atom migrate 0.5"));
  TEST_FAILURE("cannot read sites file: cannot open file /nonexistent.xyz",
               command("compute b all re/atom sites file /nonexistent.xyz"));
  std::ofstream(world_tmpname("empty.xyz")).close();
  TEST_FAILURE(std::string("sites file ") + world_tmpname("empty.xyz") + " holds no sites",
               command(std::string("compute b all re/atom sites file ") + world_tmpname("empty.xyz")));
  std::ofstream(world_tmpname("bad.xyz")) << "2\ncomment\nSi 0 0 0\nSi 1.0 x 2\n";
  TEST_FAILURE(std::string("cannot read sites file: ") + world_tmpname("bad.xyz") + ":4: 'x' is not a number",
               command(std::string("compute b all re/atom sites file ") + world_tmpname("bad.xyz")));
  std::ofstream(world_tmpname("out.xyz")) << "2\ncomment\nSi 0 0 0\nSi 1.0 100.0 2\n";
  TEST_FAILURE(std::string("site 2 of sites file ") + world_tmpname("out.xyz") + " .* lies outside the box",
               command(std::string("compute b all re/atom sites file ") + world_tmpname("out.xyz")));
  std::remove(world_tmpname("empty.xyz").c_str());
  std::remove(world_tmpname("bad.xyz").c_str());
  std::remove(world_tmpname("out.xyz").c_str());

  command("compute early all re/atom sites cell diamond 3 3 3");
  TEST_FAILURE("Compute re/atom early used before a run", compute("early")->compute_peratom());
  command("uncompute early");

  // a site count that does not fit the atoms stops at the command
  TEST_FAILURE("64 sites for 216 atoms in group all: the site count does not fit the box",
               command("compute small all re/atom sites cell diamond 2 2 2"));
  // and at the run, when the atoms came after the compute
  command("compute later all re/atom sites cell diamond 3 3 3");
  command("delete_atoms region box");
  command("create_atoms 1 single 0 0 0");
  TEST_FAILURE("216 sites for 1 atoms in group all: the site count does not fit the box", command("run 0 post no"));
}

TEST_F(ReAtom, NonPeriodicBoxIsRefused)
{
  commands({"units metal", "boundary p p f", "lattice diamond 5.431", "region box block 0 3 0 3 0 3",
            "create_box 1 box"});
  TEST_FAILURE("requires a box periodic in x, y and z", command("compute b all re/atom sites cell diamond 3 3 3"));
}

TEST_F(ReAtom, LatticeThatDoesNotFitTheBox)
{
  commands({"units metal", "boundary p p p", "lattice diamond 5.431", "region box block 0 3.5 0 3 0 3",
            "create_box 1 box"});
  TEST_FAILURE("sites lattice: the box x edge is 3.5 0 0 unit cells, not a whole lattice translation \\(to a "
               "relative 1e-06\\); the lattice does not fit the box",
               command("compute b all re/atom sites lattice"));
}

TEST_F(ReAtom, RerunOfAFullPrecisionDumpReproducesTheRun)
{
  commands(si_crystal(3));
  command("group gone id 1");
  command("delete_atoms group gone compress no");
  command("compute re all re/atom sites cell diamond 3 3 3");
  command("velocity all create 2400 4928459 loop geom");
  command("fix nvt all nvt temp 1500 1500 0.1");
  command(std::string("dump d all custom 20 ") + world_tmpname("rerun.dump") + " id type x y z c_re[*]");
  command("dump_modify d format float %20.15g sort id");
  command("run 100 post no");
  command("undump d");
  close();

  // read the dump back: per frame, c_re columns as written during the run
  std::ifstream in(world_tmpname("rerun.dump"));
  std::vector<std::vector<std::vector<double>>> frames;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("ITEM: ATOMS", 0) != 0) continue;
    frames.emplace_back();
    for (int i = 0; i < 215; ++i) {
      std::getline(in, line);
      std::istringstream ls(line);
      std::vector<double> v(12);
      for (double &d : v) ls >> d;
      frames.back().push_back(v);
    }
  }
  ASSERT_EQ(frames.size(), 6u);

  open(MPI_COMM_SELF);
  commands(si_crystal(3));
  command("group gone id 1");
  command("delete_atoms group gone compress no");
  command("compute re all re/atom sites cell diamond 3 3 3");
  command(std::string("dump d all custom 20 ") + world_tmpname("rerun2.dump") + " id c_re[*]");
  command("dump_modify d format float %20.15g sort id");
  command(std::string("rerun ") + world_tmpname("rerun.dump") + " dump x y z");
  command("undump d");
  std::ifstream in2(world_tmpname("rerun2.dump"));
  size_t f = 0;
  int checked = 0;
  while (std::getline(in2, line)) {
    if (line.rfind("ITEM: ATOMS", 0) != 0) continue;
    ASSERT_LT(f, frames.size());
    for (int i = 0; i < 215; ++i) {
      std::getline(in2, line);
      std::istringstream ls(line);
      std::vector<double> v(8);
      for (double &d : v) ls >> d;
      ASSERT_EQ(v[0], frames[f][i][0]);
      for (int k = 0; k < 7; ++k) {
        EXPECT_NEAR(v[1 + k], frames[f][i][5 + k], 1e-12) << "frame " << f << " atom " << v[0];
        checked++;
      }
    }
    f++;
  }
  EXPECT_EQ(f, frames.size());
  EXPECT_EQ(checked, 6 * 215 * 7);
  std::remove(world_tmpname("rerun.dump").c_str());
  std::remove(world_tmpname("rerun2.dump").c_str());
}

TEST(PluginLoad, RefusesAnotherLammpsVersion)
{
  LammpsFixture f;
  f.open(MPI_COMM_SELF, false);
  TEST_FAILURE("built for LAMMPS version 1 Jan 2000 but this LAMMPS is version " + std::string(f.lmp->version),
               f.command(std::string("plugin load ") + MLIPEVAL_PLUGIN_WRONG));
  f.close();
}

TEST_F(ReAtom, LatticeAHairOffWholeCellsGainsNoPlane)
{
  // a box 5e-7 (relative) above and below whole cells: the same 64 sites, no vacancy
  commands(si_crystal(2));
  command("change_box all x scale 1.0000005 y scale 0.9999995 remap");
  command("compute rl all re/atom sites lattice");
  command("run 0 post no");
  EXPECT_THAT(global("rl"), ElementsAre(0, 0, 0, 0, 0, 64));
  // beyond the tolerance the box is no whole number of cells; the message prints what it is
  command("change_box all z scale 1.00001 remap");
  TEST_FAILURE("sites lattice: the box z edge is 0 0 2.00002 unit cells, not a whole lattice translation "
               "\\(to a relative 1e-06\\)",
               command("compute bad all re/atom sites lattice"));
}

TEST_F(ReAtom, CellCountsThatCannotFitStopAtTheCommand)
{
  commands(si_crystal(2));
  // the right count in the wrong order: cells that are not cubic
  TEST_FAILURE("sites cell diamond 1 2 4 cuts the box into cells whose edges differ by a factor 4; diamond cells "
               "are cubic: check NX NY NZ",
               command("compute c all re/atom sites cell diamond 1 2 4"));
  // a typo: refused before any site is made, not at the run
  TEST_FAILURE("6400 sites for 64 atoms in group all: the site count does not fit the box \\(check sites cell "
               "diamond 200 2 2\\)",
               command("compute c all re/atom sites cell diamond 200 2 2"));
  TEST_FAILURE("sites cell diamond 100000 100000 100000 gives 8e\\+15 elements, more than the 2.14748e\\+09 an "
               "index can hold",
               command("compute c all re/atom sites cell diamond 100000 100000 100000"));
  // a strained crystal is legal, with a word
  command("change_box all x scale 1.08 remap");
  const std::string log = logged({"compute s all re/atom sites cell diamond 2 2 2"});
  EXPECT_NE(log.find("WARNING: Compute re/atom: sites cell diamond 2 2 2 gives cells whose edges differ by a "
                     "factor 1.08"),
            std::string::npos)
      << log;
}

TEST_F(ReAtom, EmptyGroupIsNamedInAWarning)
{
  commands(si_crystal(2));
  command("group none empty");
  command("compute e none re/atom sites cell diamond 2 2 2");
  const std::string log = logged({"run 0 post no"});
  EXPECT_NE(log.find("WARNING: Compute re/atom: group none has no atoms; every site will count as vacant"),
            std::string::npos)
      << log;
}

// Sublattices: 3C-SiC (zincblende, a = 4.3596 A), Si on basis sites 1-4 and C on 5-8, with
// LAMMPS's own SiC.tersoff.  An atom occupies the sites of its own type only.
namespace {
std::vector<std::string> sic_crystal(int n)
{
  const std::string len = std::to_string(n);
  return {"units metal", "atom_style atomic", "atom_modify map array", "boundary p p p", "lattice diamond 4.3596",
          "region box block 0 " + len + " 0 " + len + " 0 " + len, "create_box 2 box",
          "create_atoms 1 box basis 5 2 basis 6 2 basis 7 2 basis 8 2", "mass 1 28.0855", "mass 2 12.011",
          "pair_style tersoff", "pair_coeff * * SiC.tersoff Si C"};
}
const std::string kTypes = " types 1 1 1 1 2 2 2 2";
// dumped sites at full precision
const std::string kFull = " format line \"%s %.17g %.17g %.17g\"";
}    // namespace

TEST_F(ReAtom, SublatticesCountVacanciesAndAntisitesPerType)
{
  commands(sic_crystal(3));
  // atom 1 is Si (basis 1 of cell 0), atom 5 is C (basis 5 of cell 0), atom 13 is C
  commands({"group gone id 1 5", "delete_atoms group gone compress no",
            "compute re all re/atom sites cell diamond 3 3 3" + kTypes,
            "compute plain all re/atom sites cell diamond 3 3 3", "run 0 post no"});
  auto global = [this](const char *id) { return this->global(id); };
  auto by_type = [this]() {
    auto *c = compute("re");
    c->compute_array();
    return std::vector<double>{c->array[0][0], c->array[0][1], c->array[1][0], c->array[1][1]};
  };
  EXPECT_EQ(global("re")[1], 2);
  EXPECT_THAT(by_type(), ElementsAre(1, 0, 1, 0));    // Si vacancies, Si RE, C vacancies, C RE
  EXPECT_EQ(compute("re")->size_array_rows, 2);
  // an antisite: C atom 13 becomes Si.  Its C site is now vacant, and the Si atom on it is 1.89 A
  // from the four Si sites around it: far from every Si site, and RE by the paper's rule
  command("set atom 13 type 1");
  command("run 0 post no");
  EXPECT_EQ(global("re")[1], 3);
  EXPECT_EQ(global("re")[2], 1);    // far from every site of its type
  EXPECT_THAT(by_type(), ElementsAre(1, 1, 2, 0));
  const auto rows = peratom("re");
  EXPECT_EQ(rows[12][3], 1.0);                      // RE
  EXPECT_NEAR(rows[12][1], 4.3596 * std::sqrt(3.0) / 4.0, 1e-6);    // d1: the Si-C bond length
  // without types the Si atom fills the C site
  EXPECT_EQ(global("plain")[1], 2);
  EXPECT_NEAR(peratom("plain")[12][1], 0.0, 1e-9);
}

// Stored sites with sublattices: a sites file with elements, and a lattice whose origin is off the
// box corner (stored, not built as cells) with types, give what the cells with types give.
TEST_F(ReAtom, SublatticesFromStoredSites)
{
  std::vector<std::string> sic = sic_crystal(3);
  const std::string file = world_tmpname("sic_sites.xyz"), shifted = world_tmpname("sic_shifted.xyz");
  commands(sic);
  command("write_dump all xyz " + file + " modify element Si C sort id" + kFull);
  command("compute cell all re/atom sites cell diamond 3 3 3" + kTypes);
  command("compute file all re/atom sites file " + file + " elements Si C");
  commands({"group gone id 1 5", "delete_atoms group gone compress no", "set atom 13 type 1", "run 0 post no"});
  EXPECT_EQ(global("cell")[1], 3);
  for (int k = 0; k < 6; ++k) EXPECT_NEAR(global("file")[k], global("cell")[k], 1e-9) << "entry " << k + 1;
  const auto a = peratom("file"), b = peratom("cell");
  ASSERT_EQ(a.size(), b.size());
  // the site of an RE atom is one of two (or four) equally near: a tie that rounding may break
  // either way; everything else is the same
  for (size_t i = 0; i < a.size(); ++i)
    for (size_t k = b[i].empty() || b[i][3] ? 1 : 0; k < a[i].size(); ++k)
      ASSERT_NEAR(a[i][k], b[i][k], 1e-9) << "atom " << i + 1 << " column " << k + 1;
  for (const char *id : {"cell", "file"}) {
    auto *c = compute(id);
    c->compute_array();
    EXPECT_EQ(c->array[0][0], 1) << id;    // the Si vacancy
    EXPECT_EQ(c->array[1][0], 2) << id;    // the C vacancy and the antisite's C site
    EXPECT_EQ(c->array[0][1], 1) << id;    // the antisite Si is RE
  }

  // a lattice off the box corner: stored sites with types
  clear();
  sic[4] = "lattice diamond 4.3596 origin 0.1 0.1 0.1";
  commands(sic);
  command("write_dump all xyz " + shifted + " modify element Si C sort id" + kFull);
  command("compute lat all re/atom sites lattice" + kTypes);
  command("compute file all re/atom sites file " + shifted + " elements Si C");
  commands({"group gone id 1 5", "delete_atoms group gone compress no", "set atom 13 type 1", "run 0 post no"});
  for (int k = 0; k < 6; ++k) EXPECT_NEAR(global("lat")[k], global("file")[k], 1e-9) << "entry " << k + 1;
  EXPECT_EQ(global("lat")[1], 3);
  const auto c = peratom("lat"), d = peratom("file");
  for (size_t i = 0; i < c.size(); ++i)
    for (size_t k = d[i].empty() || d[i][3] ? 1 : 0; k < c[i].size(); ++k) ASSERT_NEAR(c[i][k], d[i][k], 1e-9) << "atom " << i + 1 << " column " << k + 1;

  // elements goes with sites file, names the species of types 1, 2, ... once each
  TEST_FAILURE("keyword elements goes with sites file, not sites cell \\(which takes types\\)",
               command("compute b all re/atom sites cell diamond 3 3 3 elements Si C"));
  TEST_FAILURE("keyword elements needs the file's species for atom types 1, 2, ...",
               command("compute b all re/atom sites file " + file + " elements migrate 0.5"));
  TEST_FAILURE("elements value Si is given twice", command("compute b all re/atom sites file " + file + " elements Si Si"));
  TEST_FAILURE("elements gives 3 names for the 2 atom types of this system",
               command("compute b all re/atom sites file " + file + " elements Si C Ge"));
  TEST_FAILURE("sites file .*sic_sites.xyz:3: species 'Si' is not in the elements list",
               command("compute b all re/atom sites file " + file + " elements C Ge"));
  std::remove(file.c_str());
  std::remove(shifted.c_str());
}

TEST_F(ReAtom, SublatticesThroughSitesLatticeAndBadTypes)
{
  commands(sic_crystal(2));
  command("compute lat all re/atom sites lattice" + kTypes);
  command("compute cell all re/atom sites cell diamond 2 2 2" + kTypes);
  commands({"group gone id 3 7", "delete_atoms group gone compress no", "run 0 post no"});
  EXPECT_EQ(global("lat"), global("cell"));
  EXPECT_EQ(global("cell")[1], 2);
  for (const char *id : {"lat", "cell"}) {
    auto *c = compute(id);
    c->compute_array();
    EXPECT_EQ(c->array[0][0], 1) << id;    // one Si and one C vacancy
    EXPECT_EQ(c->array[1][0], 1) << id;
  }
  TEST_FAILURE("types gives 3 atom types for the 8 basis sites of lattice diamond",
               command("compute b all re/atom sites cell diamond 2 2 2 types 1 1 2"));
  TEST_FAILURE("types value 3 is above the 2 atom types of this system",
               command("compute b all re/atom sites cell diamond 2 2 2 types 1 1 1 1 2 2 2 3"));
  TEST_FAILURE("types value 0 must be a positive atom type",
               command("compute b all re/atom sites cell diamond 2 2 2 types 1 1 1 1 2 2 2 0"));
  TEST_FAILURE("keyword types needs the atom type of each basis site",
               command("compute b all re/atom sites cell diamond 2 2 2 types migrate 0.5"));
  TEST_FAILURE("keyword types goes with sites cell or sites lattice, not sites file",
               command("compute b all re/atom sites file x.xyz types 1"));
  TEST_FAILURE("types gives 2 atom types for the 8 basis sites of the lattice command",
               command("compute b all re/atom sites lattice types 1 2"));
  // legal but suspicious: C atoms and only Si sites
  command("compute si all re/atom sites cell diamond 2 2 2 types 1 1 1 1 1 1 1 1");
  const std::string log = logged({"run 0 post no"});
  EXPECT_NE(log.find("atoms of type 2 in group all have no sites in sites cell diamond 2 2 2 types 1 1 1 1 1 1 1 1; "
                     "they count as far from every site"),
            std::string::npos)
      << log;
  EXPECT_EQ(global("si")[2], 31);    // the 31 C atoms (atom 7 of the 32 is gone) are far
}
