// compute interstitial/type inside LAMMPS: relaxed defects under SW and Tersoff, several at once,
// user templates, errors; and the same answer on 1, 2 and 4 ranks (this binary runs under mpirun).
#include "lammps_fixture.h"

#include "core/interstitial.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <unistd.h>

using namespace mlipeval_test;
using ::testing::ElementsAre;

namespace {
enum { SPLIT = 0, TET = 1, HEX = 2, OTHER = 3 };

// a 4x4x4 diamond cell (512 atoms) plus one interstitial of the given kind, relaxed
std::vector<std::string> relaxed(const std::string &kind, const std::string &pot)
{
  auto c = si_crystal(4);
  c[9] = pot == "sw" ? "pair_style sw" : "pair_style tersoff";
  c[10] = pot == "sw" ? "pair_coeff * * Si.sw Si" : "pair_coeff * * Si.tersoff Si";
  if (kind == "tetrahedral") c.push_back("create_atoms 1 single 0.5 0.5 0.5");
  if (kind == "hexagonal") c.push_back("create_atoms 1 single 0.625 0.625 0.625");
  if (kind == "split110") {
    // two atoms share the site (a, a, a) along [110]
    c.push_back("region r1 sphere 5.431 5.431 5.431 0.1 units box");
    c.push_back("delete_atoms region r1 compress no");
    c.push_back("create_atoms 1 single 1.156 1.156 1 units lattice");
    c.push_back("create_atoms 1 single 0.844 0.844 1 units lattice");
  }
  c.push_back("compute re all re/atom sites cell diamond 4 4 4");
  c.push_back("compute it all interstitial/type re c_re");
  c.push_back("minimize 0 1e-6 5000 20000");
  return c;
}

int world_rank()
{
  int me;
  MPI_Comm_rank(MPI_COMM_WORLD, &me);
  return me;
}
}    // namespace

TEST(InterstitialType, RelaxedDefectsAreClassified)
{
  // built as -> expected after relaxation (SW: H relaxes to T)
  const struct {
    const char *pot, *kind;
    int expect;
  } cases[] = {{"sw", "split110", SPLIT},      {"sw", "tetrahedral", TET},      {"sw", "hexagonal", TET},
               {"tersoff", "split110", SPLIT}, {"tersoff", "tetrahedral", TET}, {"tersoff", "hexagonal", HEX}};
  for (const auto &c : cases) {
    LammpsFixture f;
    f.open(MPI_COMM_WORLD);
    f.commands(relaxed(c.kind, c.pot));
    const auto v = f.global("it");
    std::vector<double> expect(4, 0.0);
    expect[c.expect] = 1.0;
    EXPECT_EQ(v, expect) << c.pot << " " << c.kind;
    // exactly the two atoms of the defect carry its code
    auto *comp = f.compute("it");
    comp->compute_peratom();
    int mine = 0, all;
    for (int i = 0; i < f.lmp->atom->nlocal; ++i) mine += comp->vector_atom[i] == c.expect + 1;
    MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    EXPECT_EQ(all, 2) << c.pot << " " << c.kind;
    f.close();
  }
}

TEST(InterstitialType, SeveralInterstitialsAtOnceMatchOneRank)
{
  // create_atoms numbers atoms by decomposition: rank 0 builds the crystal alone and writes it,
  // so that both runs hold the same atom IDs and their per-atom codes compare
  const std::string data = world_tmpname("several.data");
  if (world_rank() == 0) {
    LammpsFixture f;
    f.open(MPI_COMM_SELF);
    f.commands(si_crystal(5));
    f.commands({"create_atoms 1 single 0.5 0.5 0.5",          // T
                "create_atoms 1 single 3.5 2.5 1.5",          // T
                "create_atoms 1 single 2.625 4.625 2.625",    // H
                "region r1 sphere 16.293 16.293 10.862 0.1 units box",    // site (3, 3, 2) a
                "delete_atoms region r1 compress no", "create_atoms 1 single 3.156 3.156 2 units lattice",
                "create_atoms 1 single 2.844 2.844 2 units lattice", "write_data " + data});
    f.close();
  }
  MPI_Barrier(MPI_COMM_WORLD);
  auto run = [&](MPI_Comm comm) {
    return on_si_data(comm, data,
                      {"compute re all re/atom sites cell diamond 5 5 5", "compute it all interstitial/type re c_re",
                       "run 0 post no"},
                      [](LammpsFixture &f) {
                        auto v = f.global("it");
                        for (const auto &r : f.peratom("it")) v.push_back(r.empty() ? -1 : r[0]);
                        return v;
                      });
  };
  const auto world = run(MPI_COMM_WORLD), self = run(MPI_COMM_SELF);
  EXPECT_EQ(world, self);
  EXPECT_EQ(std::vector<double>(world.begin(), world.begin() + 4), (std::vector<double>{1, 2, 1, 0}));
  // the per-atom codes: 2 atoms per two-atom defect (T, T, H, split-<110>: 8 atoms)
  EXPECT_EQ(std::count_if(world.begin() + 4, world.end(), [](double c) { return c > 0; }), 8);
  world_remove(data);
}

TEST(InterstitialType, UserTemplateFromARelaxedCluster)
{
  if (world_rank() != 0) return;
  const std::string tpl = local_tmpname("tpl.xyz"), tpl_bad = local_tmpname("tpl_bad.xyz");
  // the ideal T cluster compressed by 2 %, written as a user template file (pair first)
  {
    const auto t = mlipeval::builtin_templates(5.431)[1];
    std::ofstream out(tpl);
    out << t.pts.size() / 3 << "\nT cluster, pair first\n";
    for (size_t i = 0; i < t.pts.size(); i += 3)
      out << "Si " << 0.98 * t.pts[i] << " " << 0.98 * t.pts[i + 1] << " " << 0.98 * t.pts[i + 2] << "\n";
  }
  LammpsFixture f;
  f.open(MPI_COMM_SELF);
  f.commands(relaxed("tetrahedral", "sw"));
  f.command(std::string("compute mine all interstitial/type re c_re template tetrahedral ") + tpl + " tol 0.6");
  TEST_FAILURE("Compute interstitial/type mine used before a run", f.global("mine"));
  f.command("run 0 post no");
  EXPECT_EQ(f.global("mine")[TET], 1);
  std::ofstream(tpl_bad) << "2\npair only\nSi 0 0 0\nSi 1 0 0\n";
  TEST_FAILURE(std::string("template split110 from ") + tpl_bad + ": a template needs the defect pair and at least one",
               f.command(std::string("compute bad all interstitial/type re c_re template split110 ") + tpl_bad));
  TEST_FAILURE("template tetrahedral from /nonexistent.xyz: cannot open file",
               f.command("compute bad all interstitial/type re c_re template tetrahedral /nonexistent.xyz"));
  TEST_FAILURE("template value 'octahedral' is unknown \\(use split110, tetrahedral or hexagonal\\)",
               f.command(std::string("compute bad all interstitial/type re c_re template octahedral ") + tpl));
  TEST_FAILURE("unknown keyword 'foo'", f.command("compute bad all interstitial/type re c_re foo 1"));
  TEST_FAILURE("keyword tol value -0.1 must be > 0", f.command("compute bad all interstitial/type re c_re tol -0.1"));
  TEST_FAILURE("needs re c_ID", f.command("compute bad all interstitial/type tol 0.3"));
  TEST_FAILURE("re value 're' must be c_ID", f.command("compute bad all interstitial/type re re"));
  TEST_FAILURE("Illegal compute interstitial/type tol command: missing argument", f.command("compute bad all interstitial/type tol"));
  f.command("compute wide all interstitial/type re c_re cutoff 12.0");
  f.command("run 0 post no");
  TEST_FAILURE("cutoff 12 must be below half the box width, 10.862", f.global("wide"));
  f.command("uncompute wide");
  f.command("compute bad all interstitial/type re c_nothere");
  TEST_FAILURE("compute nothere for keyword re does not exist", f.command("run 0 post no"));
  f.close();
  for (const auto &p : {tpl, tpl_bad}) std::remove(p.c_str());
}

// Per-species sublattices (3C-SiC): a <100> dumbbell on a Si site and one on a C site are a defect
// of each species (global array, a row per species).  The built-in templates are for one species on
// the diamond lattice, so without a template file both count as other (with a warning); a template
// file of the pair and its 4 nearest neighbours classifies both (the C dumbbell's neighbour
// tetrahedron is the Si one's turned by 90 degrees about the dumbbell).
TEST(InterstitialType, SublatticesCountDefectsPerSpecies)
{
  const double a = 4.3596, q = a / 4, c = 5 * q, d = 0.9;
  const std::string tpl = local_tmpname("sic_dumbbell.xyz");
  {
    std::ofstream out(tpl);
    out << "6\nSi <100> dumbbell in 3C-SiC, pair first, then its 4 C neighbours\n";
    out << "Si " << d << " 0 0\nSi " << -d << " 0 0\n";
    for (int k = 0; k < 4; ++k) {
      const int sy = k & 1 ? -1 : 1, sz = k & 2 ? -1 : 1;
      out << "C " << sy * sz * q << " " << sy * q << " " << sz * q << "\n";
    }
  }
  // made on one rank (create_atoms numbers the atoms by rank): atom 1 (Si at the origin) and atom
  // 109 (C at (5a/4, 5a/4, 5a/4), far from it) share their sites with a new atom
  const std::string data = world_tmpname("sic_dumbbells.data");
  if (world_rank() == 0) {
    LammpsFixture f;
    f.open(MPI_COMM_SELF);
    f.commands({"units metal", "atom_style atomic", "atom_modify map array", "boundary p p p", "lattice diamond 4.3596",
                "region box block 0 3 0 3 0 3", "create_box 2 box",
                "create_atoms 1 box basis 5 2 basis 6 2 basis 7 2 basis 8 2", "mass 1 28.0855", "mass 2 12.011",
                fmt::format("set atom 1 x {} y 0 z 0", d),
                fmt::format("create_atoms 1 single {} 0 0 units box remap yes", -d),
                fmt::format("set atom 109 x {} y {} z {}", c + d, c, c),
                fmt::format("create_atoms 2 single {} {} {} units box", c - d, c, c), "write_data " + data});
    f.close();
  }
  MPI_Barrier(MPI_COMM_WORLD);
  auto run = [&](const std::string &templates, MPI_Comm comm) {
    LammpsFixture f;
    f.open(comm);
    f.commands({"units metal", "atom_style atomic", "atom_modify map array", "read_data " + data,
                "pair_style zero 4.0", "pair_coeff * *",
                "compute re all re/atom sites cell diamond 3 3 3 types 1 1 1 1 2 2 2 2",
                "compute it all interstitial/type re c_re" + templates});
    const std::string log = f.logged({"run 0 post no"});
    auto *it = f.compute("it");
    it->compute_array();
    std::vector<double> v = f.global("it");
    for (int s = 0; s < 2; ++s) v.insert(v.end(), it->array[s], it->array[s] + 4);
    const auto codes = f.peratom("it");
    v.push_back(codes[0][0]);      // atom 1
    v.push_back(codes[108][0]);    // atom 109
    v.push_back(codes[1][0]);      // atom 2: no defect
    EXPECT_EQ(it->size_array_rows, 2);
    f.close();
    return std::make_pair(v, log);
  };
  // on all ranks as on one rank alone
  const auto plain = run("", MPI_COMM_WORLD);
  EXPECT_EQ(plain.first, run("", MPI_COMM_SELF).first);
  // vector (split110 T H other), Si row, C row, codes of atoms 1, 109 and 2
  EXPECT_THAT(plain.first, ElementsAre(0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 4, 4, 0));
  if (world_rank() == 0)    // the log is rank 0's
    EXPECT_NE(plain.second.find("WARNING: Compute interstitial/type: compute re has sublattices and no template file "
                                "was given; every defect counts as other"),
              std::string::npos)
        << plain.second;
  const auto matched = run(" template split110 " + tpl, MPI_COMM_WORLD);
  EXPECT_EQ(matched.first, run(" template split110 " + tpl, MPI_COMM_SELF).first);
  EXPECT_THAT(matched.first, ElementsAre(2, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0));
  EXPECT_EQ(matched.second.find("WARNING: Compute interstitial/type"), std::string::npos) << matched.second;
  std::remove(tpl.c_str());
  MPI_Barrier(MPI_COMM_WORLD);
  if (world_rank() == 0) std::remove(data.c_str());
}
