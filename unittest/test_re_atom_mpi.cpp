// compute re/atom gives the same answer on any number of ranks.  Run under mpirun -np 1, 2, 4:
// every rank also runs the scenario alone (MPI_COMM_SELF) and the two must agree exactly.
#include "lammps_fixture.h"

#include "domain.h"
#include "compute_re_atom.h"
#include "fix.h"
#include "modify.h"

#include <cmath>
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
  return on_si_data(comm, data,
                    {"group sub id 1:480", "compute re all re/atom sites cell diamond 4 4 4",
                     "compute rs sub re/atom sites cell diamond 4 4 4 migrate 0.9 vacancy 1.0 near 4.0",
                     "run 0 post no"},
                    [id](LammpsFixture &f) { return Result{f.peratom(id), f.global(id)}; });
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

// Defects on the subdomain planes and box faces of a triclinic box (on 4 ranks LAMMPS cuts it
// 2 x 2 x 1, at x = 1/2 and y = 1/2 in box fractions): a vacancy at the site (1/2, 0, 0), an atom
// mid-hop into it across x = 1/2 and the y and z faces, an interstitial on y = 1/2.  Sites cell
// and sites file (the same sites, stored) must give the answer of one rank, per atom and per site.
TEST(ReAtomMPI, DefectsOnSubdomainPlanesOfATriclinicBox)
{
  int me;
  MPI_Comm_rank(MPI_COMM_WORLD, &me);
  const std::string data = world_tmpname("planes.data"), sites = world_tmpname("planes_sites.xyz");
  if (me == 0) {
    LammpsFixture f;
    f.open(MPI_COMM_SELF);
    f.commands(si_crystal(4));
    f.commands({"change_box all triclinic", "change_box all xy final 2.5 xz final -1.5 yz final 1.0 remap units box",
                "write_dump all xyz " + sites + " modify element Si"});
    LAMMPS_NS::Domain *dom = f.lmp->domain;
    // the atom on the site at unit-cell coordinates u (of the 4x4x4 cells), and a Cartesian point
    auto cart = [dom](double u0, double u1, double u2, const char *format) {
      double lamda[3] = {u0 / 4, u1 / 4, u2 / 4}, x[3];
      dom->lamda2x(lamda, x);
      char text[128];
      std::snprintf(text, sizeof text, format, x[0], x[1], x[2]);
      return std::string(text);
    };
    auto atom_at = [&](double u0, double u1, double u2) {
      // nearest in box fractions (the atoms still sit on their sites)
      const double want[3] = {u0 / 4, u1 / 4, u2 / 4};
      LAMMPS_NS::Atom *atom = f.lmp->atom;
      int best = -1;
      double bestd = 1e300;
      for (int i = 0; i < atom->nlocal; ++i) {
        double lamda[3], d = 0.0;
        dom->x2lamda(atom->x[i], lamda);
        for (int k = 0; k < 3; ++k) {
          const double dl = lamda[k] - want[k];
          d += (dl - std::round(dl)) * (dl - std::round(dl));
        }
        if (d < bestd) {
          bestd = d;
          best = i;
        }
      }
      return std::to_string(atom->tag[best]);
    };
    const std::string vacant = atom_at(2, 0, 0), hop = atom_at(1.75, -0.25, 0.25);
    f.commands({"displace_atoms all random 0.08 0.08 0.08 5150 units box",
                "set atom " + hop + " " + cart(1.875, -0.125, 0.125, "x %.17g y %.17g z %.17g"),
                "group gone id " + vacant, "delete_atoms group gone compress no",
                "create_atoms 1 single " + cart(1.52, 2.0, 1.5, "%.17g %.17g %.17g") + " units box",
                "write_data " + data});
    f.close();
  }
  MPI_Barrier(MPI_COMM_WORLD);
  auto run = [&](MPI_Comm comm) {
    return on_si_data(comm, data,
                      {"compute rc all re/atom sites cell diamond 4 4 4",
                       "compute rf all re/atom sites file " + sites + " vacancy 1.5", "run 0 post no"},
                      [](LammpsFixture &f) {
                        return std::vector<Result>{{f.peratom("rc"), f.global("rc")}, {f.peratom("rf"), f.global("rf")}};
                      });
  };
  const std::vector<Result> world = run(MPI_COMM_WORLD), self = run(MPI_COMM_SELF);
  world_remove(data);
  world_remove(sites);
  EXPECT_GE(world[0].global[1], 1);    // both sites of the hop are vacant by the paper's radius
  for (int c = 0; c < 2; ++c) {
    SCOPED_TRACE(c ? "sites file" : "sites cell");
    expect_same(world[c], self[c]);
    EXPECT_GE(world[c].global[0], 1);    // the atom mid-hop
    EXPECT_GE(world[c].global[3], 1);    // the vacancy by Wigner-Seitz
    EXPECT_GE(world[c].global[4], 1);    // the interstitial by Wigner-Seitz
    EXPECT_EQ(world[c].global[5], 512);
  }
}

// Rank 0 writes a 16x6x6-cell Si crystal (LAMMPS cuts it along x on 2 and 4 ranks): its sites
// as an xyz file, then the crystal changed by `changes` as a data file (full precision).
static void write_long_crystal(const std::string &data, const std::string &sites, const std::vector<std::string> &changes)
{
  int me;
  MPI_Comm_rank(MPI_COMM_WORLD, &me);
  if (me == 0) {
    LammpsFixture f;
    f.open(MPI_COMM_SELF);
    std::vector<std::string> crystal = si_crystal(6);
    for (auto &c : crystal)
      if (c.rfind("region box", 0) == 0) c = "region box block 0 16 0 6 0 6";
    f.commands(crystal);
    f.command("write_dump all xyz " + sites + " modify element Si");
    f.commands(changes);
    f.command("write_data " + data);
    f.close();
  }
  MPI_Barrier(MPI_COMM_WORLD);
}

// A box long enough along x that each rank keeps only the stored sites near its subdomain
// (LAMMPS cuts it along x on 2 and 4 ranks): disorder, vacancies and atoms mid-hop on the planes
// x = 1/4, 1/2 and 3/4.  Sites file must give the answer of one rank per atom and per site, and
// a rank must keep fewer sites than one rank does.
TEST(ReAtomMPI, StoredSitesKeptByPartMatchOneRank)
{
  int nprocs;
  MPI_Comm_size(MPI_COMM_WORLD, &nprocs);
  const std::string data = world_tmpname("long.data"), sites = world_tmpname("long_sites.xyz");
  // atoms on the planes x = 4, 8 and 12 cells leave
  write_long_crystal(data, sites,
                     {"region gone block 3.9 4.1 0 1 0 1 units lattice", "region gone2 block 7.9 8.1 2 3 2 3 units lattice",
                      "region gone3 block 11.9 12.1 4 5 0 1 units lattice", "group gone region gone",
                      "group gone2 region gone2", "group gone3 region gone3", "delete_atoms group gone compress no",
                      "delete_atoms group gone2 compress no", "delete_atoms group gone3 compress no",
                      "displace_atoms all random 0.2 0.2 0.2 4242 units box"});
  auto run = [&](MPI_Comm comm) {
    return on_si_data(comm, data, {"compute rf all re/atom sites file " + sites, "run 0 post no"},
                      [](LammpsFixture &f) {
                        auto *cre = dynamic_cast<LAMMPS_NS::ComputeREAtom *>(f.lmp->modify->get_compute_by_id("rf"));
                        return std::make_pair(Result{f.peratom("rf"), f.global("rf")}, (double) cre->site_set().stored());
                      });
  };
  const auto world = run(MPI_COMM_WORLD), self = run(MPI_COMM_SELF);
  world_remove(data);
  world_remove(sites);
  expect_same(world.first, self.first);
  EXPECT_EQ(world.first.global[5], 4608);
  EXPECT_GE(world.first.global[3], 3);    // the vacancies by Wigner-Seitz
  EXPECT_EQ(self.second, 4608);    // one rank keeps every site
  if (nprocs > 1) {
    double most = 0.0;
    MPI_Allreduce(&world.second, &most, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    EXPECT_LT(most, (nprocs == 2 ? 0.9 : 0.65) * self.second) << "sites kept by a rank of " << nprocs;
  }
}

// fix balance moves the subdomains during a run, past the sites a rank keeps: the compute takes
// its sites anew (stored sites, and the radius search of sites cell) and still gives the answer
// of one rank
TEST(ReAtomMPI, SitesFollowTheSubdomainsThatFixBalanceMoves)
{
  const std::string data = world_tmpname("bal.data"), sites = world_tmpname("bal_sites.xyz");
  write_long_crystal(data, sites,
                     {"region gone block 2.9 3.1 0 1 0 1 units lattice", "group gone region gone",
                      "delete_atoms group gone compress no", "displace_atoms all random 0.2 0.2 0.2 777 units box"});
  // LAMMPS's exchange under fix balance may move an atom's x by a rounding step, so one rank
  // analyses the positions the run ended with (write_data keeps every digit)
  const std::string moved = world_tmpname("bal_final.data");
  const std::vector<std::string> computes = {"compute rf all re/atom sites file " + sites,
                                             "compute rc all re/atom sites cell diamond 16 6 6 vacancy 1.6"};
  auto read = [](LammpsFixture &f) {
    return std::vector<Result>{{f.peratom("rf"), f.global("rf")}, {f.peratom("rc"), f.global("rc")}};
  };
  std::vector<std::string> balanced = computes;
  balanced.insert(balanced.end(), {"variable w atom 1+6*(x<20)", "fix b all balance 1 1.0 shift x 10 1.0 weight var w",
                                   "thermo_style custom step c_rf[2] c_rc[2]", "thermo 1", "run 3 post no",
                                   "write_data " + moved});
  const std::vector<Result> world = on_si_data(MPI_COMM_WORLD, data, balanced, read);
  std::vector<std::string> still = computes;
  still.push_back("run 0 post no");
  const std::vector<Result> self = on_si_data(MPI_COMM_SELF, moved, still, read);
  world_remove(data);
  world_remove(sites);
  world_remove(moved);
  for (int c = 0; c < 2; ++c) {
    SCOPED_TRACE(c ? "sites cell, vacancy 1.6" : "sites file");
    expect_same(world[c], self[c]);
    EXPECT_GE(world[c].global[1], 1);
  }
}

// Folded tallies need every owned atom within half the skin of its subdomain, as LAMMPS keeps
// them when it checks the neighbor lists: an atom moved 20 A without a reneighboring (check no)
// stops the run with the compute's error on several ranks, where its site's count would be
// missing; one rank owns every site and answers
TEST(ReAtomMPI, AnAtomFarOutsideItsSubdomainStopsTheRun)
{
  int nprocs;
  MPI_Comm_size(MPI_COMM_WORLD, &nprocs);
  LammpsFixture f;
  f.open(MPI_COMM_WORLD);
  std::vector<std::string> setup = si_crystal(4);
  setup[5] = "region box block 0 10 0 4 0 4";    // 54 A along x, split by the ranks alone
  setup.insert(setup.begin() + 5, "processors * 1 1");
  f.commands(setup);
  f.commands({"neighbor 0.5 bin", "neigh_modify every 1000 delay 0 check no",
              "region near block 25.5 26.5 INF INF INF INF units box", "group mover region near",
              "fix m mover move linear 50.0 0 0 units box", "compute re all re/atom sites cell diamond 10 4 4",
              "thermo_style custom step c_re[1]", "thermo 400"});
  if (nprocs == 1) {
    f.command("run 400 post no");
    EXPECT_GT(f.global("re")[1], 0);    // the atoms moved out of their sites leave vacancies
  } else {
    TEST_FAILURE("Compute re/atom re: [0-9]+ atoms lay more than half the neighbor skin outside their subdomain",
                 f.command("run 400 post no"));
  }
  f.close();
}

// sites file is read by rank 0 and broadcast: a file it cannot read stops every rank with its
// message, and a good one gives every rank the same sites (the tests above)
TEST(ReAtomMPI, SiteFileErrorsReachEveryRank)
{
  LammpsFixture f;
  f.open(MPI_COMM_WORLD);
  f.commands(si_crystal(2));
  TEST_FAILURE("Compute re/atom: cannot read sites file: cannot open file /nonexistent_mpi.xyz",
               f.command("compute b all re/atom sites file /nonexistent_mpi.xyz"));
  // a bad line after the first blocks have gone out to the other ranks stops them all with its line
  int me;
  MPI_Comm_rank(MPI_COMM_WORLD, &me);
  const std::string bad = world_tmpname("bad_sites.xyz");
  if (me == 0) {
    FILE *out = fopen(bad.c_str(), "w");
    fprintf(out, "20000\nsites\n");
    for (int i = 0; i < 20000; ++i) {
      if (i == 17000) fprintf(out, "Si 1.0 zero 1.0\n");
      else fprintf(out, "Si %.6f %.6f %.6f\n", 0.5 + 0.0005 * (i % 20), 0.5 + 0.0005 * ((i / 20) % 20), 0.0005 * (i / 400));
    }
    fclose(out);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  TEST_FAILURE("Compute re/atom: cannot read sites file: .*bad_sites.xyz:17003: 'zero' is not a number",
               f.command("compute c all re/atom sites file " + bad));
  world_remove(bad);
  f.close();
}

// Sublattices on any number of ranks: disordered triclinic 3C-SiC (Si on basis 1-4, C on 5-8)
// with a Si and a C vacancy and an antisite, atoms displaced at random by up to 0.12 A; the vacancy
// radius 1.1 (below half the 3.08 A of one sublattice) and 1.6 (a radius search).
TEST(ReAtomMPI, SublatticesMatchOneRank)
{
  int me;
  MPI_Comm_rank(MPI_COMM_WORLD, &me);
  const std::string data = world_tmpname("sic.data"), sites = world_tmpname("sic_sites.xyz");
  const std::vector<std::string> sic = {"units metal", "atom_style atomic", "atom_modify map array",
                                        "boundary p p p", "lattice diamond 4.3596", "region box block 0 4 0 4 0 4",
                                        "create_box 2 box", "create_atoms 1 box basis 5 2 basis 6 2 basis 7 2 basis 8 2",
                                        "mass 1 28.0855", "mass 2 12.011"};
  if (me == 0) {
    LammpsFixture f;
    f.open(MPI_COMM_SELF);
    f.commands(sic);
    f.commands({"change_box all triclinic", "change_box all xy final 1.5 xz final -1.0 yz final 0.8 remap units box",
                "write_dump all xyz " + sites + " modify element Si C sort id format line \"%s %.17g %.17g %.17g\"",
                "displace_atoms all random 0.12 0.12 0.12 4242 units box", "set atom 13 type 1",
                "group gone id 1 6 200", "delete_atoms group gone compress no", "write_data " + data});
    f.close();
  }
  MPI_Barrier(MPI_COMM_WORLD);
  const std::string types = " types 1 1 1 1 2 2 2 2";
  auto run = [&](MPI_Comm comm) {
    LammpsFixture f;
    f.open(comm);
    f.commands({"units metal", "atom_style atomic", "atom_modify map array", "read_data " + data,
                "pair_style zero 4.0", "pair_coeff * *", "lattice diamond 4.3596",
                "compute a all re/atom sites cell diamond 4 4 4" + types,
                "compute b all re/atom sites cell diamond 4 4 4" + types + " vacancy 1.6",
                // the same sublattices as stored sites, kept by part on several ranks
                "compute c all re/atom sites file " + sites + " elements Si C",
                "compute d all re/atom sites file " + sites + " elements Si C vacancy 1.6", "run 0 post no"});
    std::vector<Result> out;
    for (const char *id : {"a", "b", "c", "d"}) {
      Result r{f.peratom(id), f.global(id)};
      auto *c = f.compute(id);
      c->compute_array();
      for (int t = 0; t < 2; ++t) r.global.insert(r.global.end(), {c->array[t][0], c->array[t][1]});
      out.push_back(r);
    }
    f.close();
    return out;
  };
  const std::vector<Result> world = run(MPI_COMM_WORLD), self = run(MPI_COMM_SELF);
  world_remove(data);
  world_remove(sites);
  for (int c = 0; c < 4; ++c) {
    SCOPED_TRACE(std::string(c % 2 ? "vacancy 1.6" : "vacancy 1.1") + (c > 1 ? ", sites file" : ", sites cell"));
    expect_same(world[c], self[c]);
    // the file's sites are the cells' sites in their order: the same site of every atom, the same counts
    for (size_t i = 0; c > 1 && i < self[c].peratom.size(); ++i)
      if (!self[c].peratom[i].empty()) EXPECT_EQ(self[c].peratom[i][0], self[c - 2].peratom[i][0]) << "atom " << i + 1;
    for (size_t k = 0; c > 1 && k < self[c].global.size(); ++k)
      EXPECT_NEAR(self[c].global[k], self[c - 2].global[k], 1e-9) << "entry " << k + 1;
    EXPECT_GE(world[c].global[6], 1);    // Si vacancies
    EXPECT_GE(world[c].global[8], 2);    // C vacancies: the one removed, the antisite's site
    EXPECT_GE(world[c].global[7], 1);    // the antisite Si is RE by the paper's rule
  }
}
