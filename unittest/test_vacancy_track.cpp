// fix vacancy/track inside LAMMPS (one rank).
#include "lammps_fixture.h"

#include "fix.h"
#include "modify.h"
#include "update.h"

#include "core/diffusion.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

using namespace mlipeval_test;
using ::testing::ElementsAre;

namespace {
const double A = 5.431, NN = A * std::sqrt(3.0) / 4.0;
enum { NVAC = 0, HOPS = 1, RATE = 2, VMSD = 3, VD = 4, VRSD = 5, VERR = 6, AMSD = 7, AD = 8, ARSD = 9, AERR = 10,
       APPEARED = 11, VANISHED = 12 };

class VacancyTrack : public ::testing::Test, public LammpsFixture {
 protected:
  void SetUp() override { open(MPI_COMM_SELF); }
  void TearDown() override { close(); }
  // atom ID at a lattice position (units of a)
  int atom_at(double x, double y, double z)
  {
    for (int i = 0; i < lmp->atom->nlocal; ++i) {
      const double *p = lmp->atom->x[i];
      if (std::fabs(p[0] - x * A) < 1e-6 && std::fabs(p[1] - y * A) < 1e-6 && std::fabs(p[2] - z * A) < 1e-6)
        return (int) lmp->atom->tag[i];
    }
    return -1;
  }
  void move(int id, double x, double y, double z)
  {
    command(fmt::format("set atom {} x {:.10f} y {:.10f} z {:.10f}", id, x * A, y * A, z * A));
  }
  // Si 3x3x3 with the atom at the origin deleted; returns the ID of its neighbour at (a/4, a/4, a/4)
  int vacancy_at_origin()
  {
    commands(si_crystal(3));
    const int origin = atom_at(0, 0, 0), neighbour = atom_at(0.25, 0.25, 0.25);
    EXPECT_GT(origin, 0);
    EXPECT_GT(neighbour, 0);
    command(fmt::format("group gone id {}", origin));
    command("delete_atoms group gone compress no");
    return neighbour;
  }
  static std::vector<std::string> lines(const std::string &path, const std::string &prefix)
  {
    std::ifstream in(path);
    std::vector<std::string> out;
    std::string l;
    while (std::getline(in, l))
      if (l.rfind(prefix, 0) == 0) out.push_back(l);
    return out;
  }
};
}    // namespace

TEST_F(VacancyTrack, MovingAnAtomIntoTheVacancyIsOneHop)
{
  const int neighbour = vacancy_at_origin();
  ASSERT_GT(neighbour, 0);
  command("fix vt all vacancy/track 1 sites cell diamond 3 3 3 file " + world_tmpname("vt.txt"));
  command("run 0 post no");
  auto v = fix_values("vt");
  EXPECT_EQ(v[NVAC], 1);
  EXPECT_EQ(v[HOPS], 0);
  move(neighbour, 0, 0, 0);    // between runs: the neighbour moves into the empty site
  command("run 0 post no");
  v = fix_values("vt");
  EXPECT_EQ(v[HOPS], 1);
  EXPECT_EQ(v[NVAC], 1);
  EXPECT_NEAR(v[VMSD], NN * NN, 1e-9);
  EXPECT_NEAR(v[AMSD], NN * NN / 215, 1e-9);    // one atom of 215 moved by one bond
  EXPECT_EQ(v[APPEARED], 0);
  EXPECT_EQ(v[VANISHED], 0);
  command("unfix vt");    // closes the file
  const auto hops = lines(world_tmpname("vt.txt"), "HOP");
  ASSERT_EQ(hops.size(), 1u);
  std::istringstream h(hops[0]);
  std::string tag;
  long step, atom, from, to, vid;
  double time;
  h >> tag >> step >> time >> atom >> from >> to >> vid;
  EXPECT_EQ(atom, neighbour);
  EXPECT_EQ(vid, 1);
  // the vacancy now sits on the neighbour's old site, (a/4, a/4, a/4)
  const auto vac = lines(world_tmpname("vt.txt"), "VAC");
  std::istringstream last(vac.back());
  double xu, yu, zu;
  long site;
  last >> tag >> step >> time >> vid >> site >> xu >> yu >> zu;
  EXPECT_NEAR(xu, A / 4, 1e-9);
  EXPECT_NEAR(yu, A / 4, 1e-9);
  EXPECT_NEAR(zu, A / 4, 1e-9);
  std::remove(world_tmpname("vt.txt").c_str());
}

TEST_F(VacancyTrack, AVacancyNextToALivingOneCountsOnceItOutlivesAHop)
{
  // a divacancy forms: the new vacancy is a hop in progress for at most hoptime, then a vacancy,
  // and the fix agrees with compute re/atom again (before, it counted 1 against 2 for good)
  const int neighbour = vacancy_at_origin();
  ASSERT_GT(neighbour, 0);
  command("compute re all re/atom sites cell diamond 3 3 3");
  command("fix vt all vacancy/track 1 re c_re hoptime 0.005");    // 5 fs
  command("timestep 0.001");
  command("run 0 post no");
  EXPECT_EQ(fix_values("vt")[NVAC], 1);
  command(fmt::format("group gone2 id {}", neighbour));
  command("delete_atoms group gone2 compress no");
  command("run 3 post no");    // 3 fs: still a hop in progress
  EXPECT_EQ(fix_values("vt")[NVAC], 1);
  EXPECT_EQ(global("re")[1], 2);
  command("run 5 post no");    // 8 fs: longer than a hop
  const auto v = fix_values("vt");
  EXPECT_EQ(v[NVAC], 2);
  EXPECT_EQ(v[APPEARED], 1);
  EXPECT_EQ(v[HOPS], 0);
  EXPECT_EQ(global("re")[1], 2);
}

TEST_F(VacancyTrack, HopAcrossTheBoundaryUnwrapsAndTwoVacanciesKeepTheirIds)
{
  commands(si_crystal(3));
  const int origin = atom_at(0, 0, 0), far = atom_at(1.5, 1.5, 1.0);
  // the origin's neighbour across the boundary: (-a/4, -a/4, a/4) = (2.75, 2.75, 0.25) a
  const int across = atom_at(2.75, 2.75, 0.25);
  ASSERT_GT(across, 0);
  ASSERT_GT(far, 0);
  command(fmt::format("group gone id {} {}", origin, far));
  command("delete_atoms group gone compress no");
  command("fix vt all vacancy/track 1 sites cell diamond 3 3 3 file " + world_tmpname("vt2.txt"));
  command("run 0 post no");
  move(across, 0, 0, 0);
  command("run 0 post no");
  auto v = fix_values("vt");
  EXPECT_EQ(v[NVAC], 2);
  EXPECT_EQ(v[HOPS], 1);
  EXPECT_NEAR(v[VMSD], NN * NN / 2, 1e-9);    // one of two vacancies moved one bond
  command("unfix vt");
  // two evaluations of two vacancies; after the hop: vacancy 1 (the origin's) at
  // (-a/4, -a/4, a/4) unwrapped, vacancy 2 unmoved
  const auto after = lines(world_tmpname("vt2.txt"), "VAC");
  ASSERT_EQ(after.size(), 4u);
  for (size_t k = 2; k < 4; ++k) {
    std::istringstream s(after[k]);
    std::string tag;
    long step, vid, site;
    double time, x, y, z;
    s >> tag >> step >> time >> vid >> site >> x >> y >> z;
    if (vid == 1) {
      EXPECT_NEAR(x, -A / 4, 1e-9);
      EXPECT_NEAR(y, -A / 4, 1e-9);
      EXPECT_NEAR(z, A / 4, 1e-9);
    } else {
      EXPECT_EQ(vid, 2);
      EXPECT_NEAR(x, 1.5 * A, 1e-9);
      EXPECT_NEAR(z, 1.0 * A, 1e-9);
    }
  }
  std::remove(world_tmpname("vt2.txt").c_str());
}

TEST_F(VacancyTrack, RestartContinuesTheTracking)
{
  const std::string vib_whole = world_tmpname("vib_whole.txt"), vib_resumed = world_tmpname("vib_resumed.txt");
  const std::string restart = world_tmpname("vt.restart");
  auto setup = [&]() {
    commands(si_crystal(3));
    command(fmt::format("group gone id {}", atom_at(0, 0, 0)));
    command("delete_atoms group gone compress no");
  };
  auto fix = [&](const std::string &vib) {
    command("fix vt all vacancy/track 1 sites cell diamond 3 3 3 vibration " + vib + " vgrid 12 10");
  };
  // uninterrupted: two hops, 0 -> (a/4,a/4,a/4) -> (a/2,a/2,0), atoms shaken between them so
  // that the vibration maps count atoms in many cells
  setup();
  const int first = atom_at(0.25, 0.25, 0.25), second = atom_at(0.5, 0.5, 0);
  fix(vib_whole);
  command("run 0 post no");
  move(first, 0, 0, 0);
  command("displace_atoms all random 0.2 0.2 0.2 4711 units box");
  command("run 0 post no");
  move(second, 0.25, 0.25, 0.25);
  command("run 0 post no");
  const auto whole = fix_values("vt");
  EXPECT_EQ(whole[HOPS], 2);
  close();

  open(MPI_COMM_SELF);
  setup();
  fix(vib_resumed);
  command("run 0 post no");
  move(first, 0, 0, 0);
  command("displace_atoms all random 0.2 0.2 0.2 4711 units box");
  command("run 0 post no");
  command("write_restart " + restart);
  close();
  open(MPI_COMM_SELF);
  commands({"read_restart " + restart, "pair_style sw", "pair_coeff * * Si.sw Si"});
  fix(vib_resumed);
  move(second, 0.25, 0.25, 0.25);
  command("run 0 post no");
  const auto resumed = fix_values("vt");
  for (int k = 0; k < 13; ++k) EXPECT_NEAR(resumed[k], whole[k], 1e-12) << "value " << k + 1;
  EXPECT_NEAR(resumed[VMSD], A * A / 2, 1e-9);    // the vacancy is at (a/2, a/2, 0): |.|^2 = a^2/2
  // the vibration counts of all three evaluations, two of them from the restart file
  const std::string counts = slurp(vib_whole);
  EXPECT_NE(counts.find("samples_nn"), std::string::npos);
  EXPECT_EQ(counts.find("samples_nn 0 "), std::string::npos) << "the maps counted nothing";
  EXPECT_EQ(slurp(vib_resumed), counts);
  for (const auto &f : {vib_whole, vib_resumed, restart}) std::remove(f.c_str());
}

// Per-species sublattices (3C-SiC, SiC.tersoff): one Si and one C vacancy; a Si atom hops into
// the Si vacancy, then a C atom into the C vacancy.  The global array counts the vacancies and
// hops of each type, the same with sites cell ... types and sites file ... elements, and carries on
// through a restart.
TEST_F(VacancyTrack, SublatticesCountHopsPerType)
{
  const double a = 4.3596;
  const std::string sites = world_tmpname("vt_sic.xyz"), restart = world_tmpname("vt_sic.restart");
  const std::vector<std::string> sic = {
      "units metal", "atom_style atomic", "atom_modify map array", "boundary p p p", "lattice diamond 4.3596",
      "region box block 0 3 0 3 0 3", "create_box 2 box", "create_atoms 1 box basis 5 2 basis 6 2 basis 7 2 basis 8 2",
      "mass 1 28.0855", "mass 2 12.011", "pair_style tersoff", "pair_coeff * * SiC.tersoff Si C"};
  auto array = [this](const char *id) {
    LAMMPS_NS::Fix *f = lmp->modify->get_fix_by_id(id);
    std::vector<double> v;
    for (int t = 0; t < 2; ++t) v.insert(v.end(), {f->compute_array(t, 0), f->compute_array(t, 1)});
    return v;
  };
  // atom 1: Si at (0,0,0), atom 2: Si at (0,a/2,a/2); atom 5: C at (a/4,a/4,a/4), atom 6: C at (a/4,3a/4,3a/4)
  for (const std::string &how : {std::string("sites cell diamond 3 3 3 types 1 1 1 1 2 2 2 2"), "sites file " + sites + " elements Si C"}) {
    SCOPED_TRACE(how);
    commands(sic);
    command("write_dump all xyz " + sites + " modify element Si C sort id format line \"%s %.17g %.17g %.17g\"");
    commands({"group gone id 1 5", "delete_atoms group gone compress no", "fix vt all vacancy/track 1 " + how,
              "run 0 post no"});
    LAMMPS_NS::Fix *f = lmp->modify->get_fix_by_id("vt");
    ASSERT_EQ(f->array_flag, 1);
    ASSERT_EQ(f->size_array_rows, 2);
    EXPECT_THAT(array("vt"), ElementsAre(1, 0, 1, 0));    // Si: vacancies, hops; C: vacancies, hops
    command("set atom 2 x 0 y 0 z 0");
    command("run 0 post no");
    EXPECT_THAT(array("vt"), ElementsAre(1, 1, 1, 0));
    command("write_restart " + restart);
    close();
    open(MPI_COMM_SELF);
    commands({"read_restart " + restart, "pair_style tersoff", "pair_coeff * * SiC.tersoff Si C",
              "fix vt all vacancy/track 1 " + how});
    command(fmt::format("set atom 6 x {0:.10f} y {0:.10f} z {0:.10f}", a / 4));
    command("run 0 post no");
    EXPECT_THAT(array("vt"), ElementsAre(1, 1, 1, 1));
    EXPECT_EQ(fix_values("vt")[HOPS], 2);
    close();
    open(MPI_COMM_SELF);
  }
  // without sublattices there is no array; a compute given by re c_ID that gains sublattices later
  // no longer fits the fix
  commands(sic);
  commands({"compute re all re/atom sites cell diamond 3 3 3", "fix vt all vacancy/track 1 re c_re"});
  EXPECT_EQ(lmp->modify->get_fix_by_id("vt")->array_flag, 0);
  command("uncompute re");
  command("compute re all re/atom sites cell diamond 3 3 3 types 1 1 1 1 2 2 2 2");
  TEST_FAILURE("Fix vacancy/track: compute re now has 2 sublattices, not the 0 this style was defined with",
               command("run 0 post no"));
  for (const auto &f : {sites, restart}) std::remove(f.c_str());
}

// The diffusivities, error bars and RSDs from the fix's running sums equal a least-squares fit of
// the stored MSD series, recomputed here.  Each "run 10" starts with a setup evaluation at the
// step the last run ended on: the repeated time replaces its sample, as it must.
TEST_F(VacancyTrack, RunningStatisticsEqualAFitOfTheStoredSeries)
{
  commands(si_crystal(2));
  commands({"group gone id 1", "delete_atoms group gone compress no", "velocity all create 3200 4928459 loop geom",
            "fix nvt all nvt temp 1600 1600 0.1", "fix vt all vacancy/track 100 sites cell diamond 2 2 2"});
  std::vector<double> t, vac, atoms;
  for (int k = 0; k <= 60; ++k) {
    command(k ? "run 100 post no" : "run 0 post no");    // each setup repeats the last step
    const auto v = fix_values("vt");
    t.push_back(lmp->update->ntimestep * lmp->update->dt);
    vac.push_back(v[VMSD]);
    atoms.push_back(v[AMSD]);
  }
  const auto v = fix_values("vt");
  EXPECT_GT(v[HOPS], 0);
  const mlipeval::LineFit fv = mlipeval::fit_line(t, vac), fa = mlipeval::fit_line(t, atoms);
  EXPECT_NEAR(v[VD], fv.slope / 6.0, 1e-9 * std::fabs(fv.slope));
  EXPECT_NEAR(v[VERR], fv.slope_error / 6.0, 1e-7 * fv.slope_error);
  EXPECT_NEAR(v[AD], fa.slope / 6.0, 1e-9 * std::fabs(fa.slope));
  EXPECT_NEAR(v[AERR], fa.slope_error / 6.0, 1e-7 * fa.slope_error);
  const double d = A * std::sqrt(3.0) / 4.0;
  EXPECT_NEAR(v[VRSD], mlipeval::he2018_rsd(v[NVAC], *std::max_element(vac.begin(), vac.end()), d), 1e-12);
  EXPECT_NEAR(v[ARSD], mlipeval::he2018_rsd(63, *std::max_element(atoms.begin(), atoms.end()), d), 1e-12);
}

TEST_F(VacancyTrack, MolecularDynamicsGivesHopsDiffusivityAndVibrationMaps)
{
  commands(si_crystal(2));
  commands({"group gone id 1", "delete_atoms group gone compress no", "velocity all create 3200 4928459 loop geom",
            "fix nvt all nvt temp 1600 1600 0.1", "compute re all re/atom sites cell diamond 2 2 2",
            "fix vt all vacancy/track 10 re c_re vibration " + world_tmpname("vib.txt") + " vgrid 30 20 vrange 6.0 1.0",
            "run 10000 post no"});
  const auto v = fix_values("vt");
  EXPECT_EQ(v[NVAC], 1);
  EXPECT_GT(v[HOPS], 2);    // SW vacancy at 1600 K hops every few ps
  EXPECT_GT(v[VD], 0.0);
  EXPECT_GT(v[VRSD], 0.04);
  EXPECT_GT(v[AD], 0.0);
  EXPECT_NEAR(v[RATE], v[HOPS] / 10.0, 1e-9);    // per ps over 10 ps
  std::ifstream in(world_tmpname("vib.txt"));
  std::string l, grid;
  int rows = 0;
  double nn = 0, other = 0;
  while (std::getline(in, l)) {
    if (l.rfind("# grid", 0) == 0) grid = l;
    if (l[0] == '#') continue;
    std::istringstream s(l);
    double rv, rs, a, b;
    s >> rv >> rs >> a >> b;
    nn += a;
    other += b;
    rows++;
  }
  EXPECT_EQ(rows, 30 * 20);
  EXPECT_NE(grid.find("grid 30 20 range 6 1"), std::string::npos) << grid;
  EXPECT_GT(nn, 0);
  EXPECT_GT(other, nn);    // 4 neighbours of 63 atoms
  std::remove(world_tmpname("vib.txt").c_str());
}

TEST_F(VacancyTrack, BadKeywordsGiveClearErrors)
{
  commands(si_crystal(2));
  TEST_FAILURE("needs N", command("fix vt all vacancy/track"));
  TEST_FAILURE("N value 0 must be a positive integer", command("fix vt all vacancy/track 0 sites cell diamond 2 2 2"));
  TEST_FAILURE("unknown keyword 'foo'", command("fix vt all vacancy/track 1 sites cell diamond 2 2 2 foo 1"));
  TEST_FAILURE("keyword maxhop value -1 must be > 0",
               command("fix vt all vacancy/track 1 sites cell diamond 2 2 2 maxhop -1"));
  TEST_FAILURE("vgrid value 0 must be a positive integer",
               command("fix vt all vacancy/track 1 sites cell diamond 2 2 2 vgrid 0 50"));
  TEST_FAILURE("vgrid 100000 100000 gives 2e\\+10 elements, more than the 2.14748e\\+09 an index can hold",
               command("fix vt all vacancy/track 1 sites cell diamond 2 2 2 vgrid 100000 100000"));
  TEST_FAILURE("keyword hoptime value 0 must be > 0",
               command("fix vt all vacancy/track 1 sites cell diamond 2 2 2 hoptime 0"));
  TEST_FAILURE("re value 're' must be c_ID", command("fix vt all vacancy/track 1 re re"));
  TEST_FAILURE("Illegal fix vacancy/track re command: missing argument", command("fix vt all vacancy/track 1 re"));
  TEST_FAILURE("needs re c_ID or a sites keyword", command("fix vt all vacancy/track 1 migrate 0.7"));
  command("compute re all re/atom sites cell diamond 2 2 2");
  TEST_FAILURE("either re c_ID or the compute re/atom keywords",
               command("fix vt all vacancy/track 1 re c_re sites cell diamond 2 2 2"));
  TEST_FAILURE("sites cell NX value 0 must be a positive integer",
               command("fix vt all vacancy/track 1 sites cell diamond 0 2 2"));
  command("fix vt all vacancy/track 1 re c_nothere");
  TEST_FAILURE("compute nothere for keyword re does not exist", command("run 0 post no"));
  command("unfix vt");
  command("compute ke all ke/atom");
  command("fix vt all vacancy/track 1 re c_ke");
  TEST_FAILURE("compute ke is style ke/atom, not re/atom", command("run 0 post no"));
}
