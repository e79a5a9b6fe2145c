// The Kokkos styles against the plain ones: the same input through a plain LAMMPS and through a
// LAMMPS started with "-k on t 2 -sf kk" must give the same per-atom and global results.
// Run under mpirun -np 1, 2 and 4: both instances use all ranks of MPI_COMM_WORLD.
#include "lammps_fixture.h"

#include "fix.h"
#include "atom_kokkos.h"
#include "kokkos.h"
#include "neighbor.h"

#include <cstdio>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>

using namespace mlipeval_test;

namespace {
using Rows = std::vector<std::vector<double>>;


std::string prepare(bool triclinic)
{
  return write_disordered_si(triclinic, triclinic ? "kk_tri.data" : "kk_cubic.data");
}

std::vector<std::string> read_si(const std::string &data)
{
  std::vector<std::string> c = si_from_data(data);
  c.insert(c.end(), {"lattice diamond 5.431", "group sub id 1:480"});
  return c;
}

struct Outputs {
  std::vector<Rows> peratom;
  std::vector<std::vector<double>> global;
};

// One input through a plain LAMMPS or a Kokkos one, with the outputs of the computes `ids`.
// (One instance at a time: LAMMPS 29 Sep 2021 keeps one plugin list for the whole process.)
Outputs run(bool kokkos, const std::vector<std::string> &lines, const std::vector<std::string> &ids,
            const std::function<void(LammpsFixture &)> &check = nullptr)
{
  LammpsFixture f;
  if (kokkos) f.open(MPI_COMM_WORLD, true, kokkos_args());
  else f.open();
  f.commands(lines);
  Outputs out;
  for (const auto &id : ids) {
    out.peratom.push_back(f.peratom(id));
    out.global.push_back(f.global(id));
  }
  if (check) check(f);
  f.close();
  return out;
}

void expect_same_rows(const Rows &a, const Rows &b, double tol, const std::string &what)
{
  ASSERT_EQ(a.size(), b.size()) << what;
  int bad = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].size(), b[i].size()) << what << " atom " << i + 1;
    for (size_t c = 0; c < a[i].size(); ++c)
      if (!(std::fabs(a[i][c] - b[i][c]) <= tol * std::max(1.0, std::fabs(a[i][c]))) && bad++ < 10)
        ADD_FAILURE() << what << ": atom " << i + 1 << " column " << c + 1 << ": plain " << a[i][c]
                      << ", kk " << b[i][c];
  }
}

void expect_same(const std::vector<double> &a, const std::vector<double> &b, double tol, const std::string &what)
{
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_NEAR(a[i], b[i], tol * std::max(1.0, std::fabs(a[i]))) << what << " element " << i + 1;
}

// the kk instance really runs the Kokkos variant of the style
void expect_kokkos_compute(LammpsFixture &f, const std::string &id, const std::string &style)
{
  auto *c = f.compute(id);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(std::string(c->style), style + "/kk");
  EXPECT_EQ(c->kokkosable, 1);
}

void expect_same_outputs(const Outputs &a, const Outputs &b, double tol, const std::string &what)
{
  for (size_t k = 0; k < a.peratom.size(); ++k) {
    expect_same_rows(a.peratom[k], b.peratom[k], tol, what + " per-atom " + std::to_string(k + 1));
    expect_same(a.global[k], b.global[k], tol, what + " global " + std::to_string(k + 1));
  }
}

}    // namespace

TEST(Kokkos, ReAtomCellSitesCubic)
{
  const std::string data = prepare(false);
  std::vector<std::string> in = read_si(data);
  in.insert(in.end(), {"compute re all re/atom sites cell diamond 4 4 4",
                       // a vacancy radius above half the site spacing takes the neighbour-site search
                       "compute rs sub re/atom sites cell diamond 4 4 4 migrate 0.9 vacancy 1.5 near 4.0",
                       "run 0 post no"});
  const Outputs plain = run(false, in, {"re", "rs"});
  const Outputs kk = run(true, in, {"re", "rs"}, [](LammpsFixture &f) { expect_kokkos_compute(f, "re", "re/atom"); });
  expect_same_outputs(plain, kk, 1e-12, "re/atom");
  // the scenario has RE atoms and vacancies, so every column was exercised
  EXPECT_GE(kk.global[0][0], 2);
  EXPECT_GE(kk.global[0][1], 3);
  world_remove(data);
}

TEST(Kokkos, ReAtomTriclinicAndLatticeSites)
{
  const std::string cubic = prepare(false), tri = prepare(true);
  // sites lattice: generated as sites cell when the lattice is its unit cell repeated from the
  // box origin; stored and searched with the grid when a lattice point is off the box origin
  std::vector<std::string> in = read_si(cubic);
  in.insert(in.end(), {"compute re all re/atom sites lattice", "run 0 post no"});
  expect_same_outputs(run(false, in, {"re"}), run(true, in, {"re"}), 1e-12, "sites lattice");
  in = read_si(cubic);
  in.insert(in.end(), {"lattice diamond 5.431 origin 0.5 0.5 0", "compute re all re/atom sites lattice",
                       "run 0 post no"});
  expect_same_outputs(run(false, in, {"re"}), run(true, in, {"re"}), 1e-12, "sites lattice off the origin");
  in = read_si(tri);
  in.insert(in.end(), {"compute re sub re/atom sites cell diamond 4 4 4", "run 0 post no"});
  expect_same_outputs(run(false, in, {"re"}), run(true, in, {"re"}), 1e-12, "triclinic");
  world_remove(cubic);
  world_remove(tri);
}

// After atoms move on the device (MD with sw/kk) the compute sees the new positions: the plain
// style on the same positions, read back from a full-precision data file, must agree.
TEST(Kokkos, ReAtomAfterDeviceRun)
{
  const std::string data = prepare(false), moved = world_tmpname("kk_moved.data");
  std::vector<std::string> in = read_si(data);
  in.insert(in.end(), {"compute re all re/atom sites cell diamond 4 4 4", "velocity all create 1500 4928 loop geom",
                       "fix nve all nve", "run 40 post no"});
  const Outputs kk = run(true, in, {"re"}, [&](LammpsFixture &f) { f.command("write_data " + moved); });
  in = read_si(moved);
  in.insert(in.end(), {"compute re all re/atom sites cell diamond 4 4 4", "run 0 post no"});
  expect_same_outputs(run(false, in, {"re"}), kk, 1e-12, "after a device run");
  world_remove(moved);
  // a vacancy in a crystal at 300 K with the compute asked for every step: its vacant site is
  // the same and there is no RE atom from one step to the next, so from the second call on the
  // first pass gives every answer (the distances move with the atoms); as one fresh call on
  // the last frame
  const std::string last = world_tmpname("kk_last.data");
  in = si_crystal(3);
  in.insert(in.end(), {"group gone id 1", "delete_atoms group gone compress no", "velocity all create 300 4928 loop geom",
                       "fix nve all nve", "compute re all re/atom sites cell diamond 3 3 3",
                       "fix use all ave/atom 1 1 1 c_re[5]", "run 5 post no"});
  const Outputs kk_md = run(true, in, {"re"}, [&](LammpsFixture &f) { f.command("write_data " + last); });
  const Outputs plain_md = run(false, in, {"re"});
  std::vector<std::string> once = si_from_data(last);
  once.insert(once.end(), {"lattice diamond 5.431", "compute re all re/atom sites cell diamond 3 3 3", "run 0 post no"});
  const Outputs fresh = run(false, once, {"re"});
  EXPECT_EQ(fresh.global[0][0], 0.0);    // no RE atom
  EXPECT_EQ(fresh.global[0][1], 1.0);    // one vacancy
  expect_same_outputs(fresh, kk_md, 1e-12, "five calls of a run, /kk");
  expect_same_outputs(fresh, plain_md, 1e-12, "five calls of a run");
  world_remove(last);
  world_remove(data);
}

TEST(Kokkos, ReAtomHostVariant)
{
  const std::string data = prepare(false);
  std::vector<std::string> in = read_si(data);
  in.insert(in.end(), {"compute re all re/atom sites cell diamond 4 4 4", "run 0 post no"});
  const Outputs plain = run(false, in, {"re"});
  in[in.size() - 2] = "compute re all re/atom/kk/host sites cell diamond 4 4 4";
  const Outputs host = run(true, in, {"re"}, [](LammpsFixture &f) {
    EXPECT_EQ(std::string(f.compute("re")->style), "re/atom/kk/host");
  });
  expect_same_outputs(plain, host, 1e-12, "re/atom/kk/host");
  world_remove(data);
}
TEST(Kokkos, ReAtomBadInput)
{
  const std::string data = prepare(false);
  LammpsFixture f;
  f.open(MPI_COMM_WORLD, true, kokkos_args());
  f.commands(read_si(data));
  TEST_FAILURE("keyword migrate value -1 must be > 0", f.command("compute re all re/atom sites cell diamond 4 4 4 migrate -1"));
  TEST_FAILURE("sites cell lattice 'hcp' is unknown", f.command("compute re all re/atom sites cell hcp 4 4 4"));
  f.close();
  world_remove(data);
}

// The predicted forces of these tests come from SW (sw/kk in the Kokkos instance): LAMMPS 29 Sep
// 2021's tersoff/kk differs from its tersoff beyond rounding on some of these configurations
// (seen here without any of our styles), so Tersoff serves only as a reference.

// read_extxyz + run 0 over frames of 63, 64 and 65 atoms: a softened SW (our own parameter
// file) scored against SW forces, with RE flags from re/atom(/kk)
TEST(Kokkos, ForceReferenceDataSet)
{
  const std::string data = world_tmpname("kk_fref.extxyz"), soft = world_tmpname("kk_soft.sw");
  int me;
  MPI_Comm_rank(MPI_COMM_WORLD, &me);
  if (me == 0) {
    write_sw_dataset(data);
    std::ofstream(soft) << "Si Si Si 2.0 2.0951 1.80 23.0 1.20 -0.333333333333 7.049556277 0.6022245584 4.0 0.0 0.0\n";
  }
  MPI_Barrier(MPI_COMM_WORLD);
  const std::vector<std::string> in = {
      "variable data index " + data, "variable pair index sw", "variable coeff index \"* * " + soft + " Si\"",
      "variable summary index /dev/null", std::string("include ") + MLIPEVAL_EXAMPLES + "/evaluate-dataset/in.evaluate"};
  std::vector<double> plain, kk;
  run(false, in, {}, [&](LammpsFixture &f) { plain = f.fix_values("ref", true); });
  run(true, in, {}, [&](LammpsFixture &f) {
    EXPECT_EQ(std::string(LAMMPS_NS::mlipeval_compat::fix_by_id(f.lmp->modify, "ref")->style), "force/reference/kk");
    kk = f.fix_values("ref", true);
  });
  // sw and sw/kk sum forces in different orders: equal to rounding (the counts and histograms,
  // integers, then exactly)
  expect_same(plain, kk, 1e-9, "force/reference figures");
  EXPECT_EQ(kk[27], 63 + 64 + 65);
  EXPECT_GT(kk[0], 0);    // RE atoms were scored
  EXPECT_LT(kk[27 + 3], 0.999);    // the two potentials differ: P below 1
  world_remove(soft);
  world_remove(data);
}

// an MD trajectory with Tersoff forces, rerun with SW: per-atom errors and figures each step
TEST(Kokkos, ForceErrorRerun)
{
  const std::string dump = world_tmpname("kk_fref.dump");
  write_md_dump(dump, {"pair_style tersoff", "pair_coeff * * Si.tersoff Si"});
  std::vector<std::string> in = si_crystal(4);
  in.insert(in.end(), {"group gone id 1 200", "delete_atoms group gone compress no", "group half id 1:300",
                       "compute re all re/atom sites cell diamond 4 4 4",
                       "fix ref all force/reference " + dump + " re c_re", "compute err half force/error ref",
                       "rerun " + dump + " dump x y z"});
  const Outputs plain = run(false, in, {"err"}), kk = run(true, in, {"err"}, [](LammpsFixture &f) {
    expect_kokkos_compute(f, "err", "force/error");
  });
  expect_same_outputs(plain, kk, 1e-9, "force/error");
  EXPECT_GT(kk.global[0][27], 250);    // the group's atoms were scored (figure n of "all")
  world_remove(dump);
}

TEST(Kokkos, ForceStylesNeedTheirKokkosPartners)
{
  const std::string data = prepare(false);
  LammpsFixture f;
  f.open(MPI_COMM_WORLD, true, kokkos_args());
  f.commands(read_si(data));
  f.commands({"write_dump all custom " + data + ".dump id x y z fx fy fz modify format float %20.15g",
              "suffix off", "fix plain all force/reference " + data + ".dump", "compute re all re/atom sites cell diamond 4 4 4",
              "suffix on", "compute err all force/error plain"});
  TEST_FAILURE("Compute force/error/kk: fix plain is style force/reference; it needs force/reference/kk",
               f.command("run 0 post no"));
  f.commands({"uncompute err", "unfix plain", "fix kk all force/reference " + data + ".dump re c_re"});
  TEST_FAILURE("Fix force/reference/kk: compute re for keyword re is style re/atom; it needs re/atom/kk",
               f.command("run 0 post no"));
  f.close();
  world_remove(data + ".dump");
  world_remove(data);
}

// a rerun of an SW trajectory of a vacancy-rich crystal: values, trajectory and vibration maps
TEST(Kokkos, VacancyTrackRerun)
{
  int me;
  MPI_Comm_rank(MPI_COMM_WORLD, &me);
  const std::string base = world_tmpname("kk_vt");
  write_vacancy_md(base + ".dump", 4000);
  auto input = [&](const std::string &tag) {
    std::vector<std::string> in = si_crystal(3);
    in.insert(in.end(), {"group gone id 1 100", "delete_atoms group gone compress no",
                         "fix vt all vacancy/track 20 sites cell diamond 3 3 3 file " + base + tag +
                             ".traj vibration " + base + tag + ".vib",
                         "rerun " + base + ".dump dump x y z ix iy iz"});
    return in;
  };
  std::vector<double> plain, kk;
  run(false, input(".plain"), {}, [&](LammpsFixture &f) { plain = f.fix_values("vt"); });
  run(true, input(".kk"), {}, [&](LammpsFixture &f) {
    EXPECT_EQ(std::string(LAMMPS_NS::mlipeval_compat::fix_by_id(f.lmp->modify, "vt")->style), "vacancy/track/kk");
    kk = f.fix_values("vt");
  });
  // the tracer MSD and its D (values 8-11) are floating-point sums: equal to rounding
  expect_same(plain, kk, 1e-10, "vacancy/track values");
  EXPECT_GT(kk[1], 0);    // the vacancies hopped
  if (me == 0) {
    for (const char *ext : {".traj", ".vib"}) {
      const std::string a = slurp(base + ".plain" + ext), b = slurp(base + ".kk" + ext);
      EXPECT_GT(a.size(), 1000u) << ext;
      EXPECT_EQ(a, b) << ext << " files differ";
    }
  }
  for (const char *f : {".dump", ".plain.traj", ".plain.vib", ".kk.traj", ".kk.vib"}) world_remove(base + f);
}

// MD with both per-atom-state fixes on the device, atoms crossing subdomains and sorted every 10
// steps: exchange and sort stay on the device (no fix asks LAMMPS for its classic host paths),
// the starting positions and reference forces move with their atoms, and the results match the
// plain styles (tracer MSD from the moved starting positions; reference forces dumped on steps
// that have no frame, so they are the moved values of the last frame).
TEST(Kokkos, ExchangeAndSortStayOnTheDevice)
{
  int me, nprocs;
  MPI_Comm_rank(MPI_COMM_WORLD, &me);
  MPI_Comm_size(MPI_COMM_WORLD, &nprocs);
  const std::string base = world_tmpname("kk_exchange");
  auto md = [&](const std::string &tag) {
    std::vector<std::string> in = si_crystal(3);
    in.insert(in.end(), {"atom_modify sort 10 3.0", "neigh_modify every 1 delay 0 check no",
                         "group gone id 1 100", "delete_atoms group gone compress no",
                         "velocity all create 3400 777 loop geom", "fix nvt all nvt temp 1700 1700 0.1"});
    if (tag == ".ref") {
      in.insert(in.end(), {"dump r all custom 20 " + base + ".ref.dump id type x y z fx fy fz",
                           "dump_modify r format float %20.15g sort id", "run 400 post no"});
      return in;
    }
    in.insert(in.end(), {"fix vt all vacancy/track 10 sites cell diamond 3 3 3",
                         "fix ref all force/reference " + base + ".ref.dump match step nevery 10",
                         "dump d all custom 10 " + base + tag + ".dump id f_ref[1] f_ref[2] f_ref[3]",
                         "dump_modify d format float %20.15g sort id", "run 400 post no"});
    return in;
  };
  run(false, md(".ref"), {});
  std::vector<double> plain, kk;
  run(false, md(".plain"), {}, [&](LammpsFixture &f) { plain = f.fix_values("vt"); });
  {
    // a CPU build of LAMMPS exchanges and sorts on the host by default; ask for the device
    std::vector<std::string> args = kokkos_args();
    args.insert(args.end(), {"-pk", "kokkos", "comm", "device", "sort", "device"});
    LammpsFixture f;
    f.open(MPI_COMM_WORLD, true, args);
    const auto lines = md(".kk");
    f.commands(std::vector<std::string>(lines.begin(), lines.end() - 1));
    auto owned = [&f]() {
      std::vector<LAMMPS_NS::tagint> tags(f.lmp->atom->tag, f.lmp->atom->tag + f.lmp->atom->nlocal);
      std::sort(tags.begin(), tags.end());
      return tags;
    };
    const auto before = owned();
    f.command(lines.back());
    EXPECT_EQ(std::string(LAMMPS_NS::mlipeval_compat::fix_by_id(f.lmp->modify, "vt")->style), "vacancy/track/kk");
    EXPECT_EQ(std::string(LAMMPS_NS::mlipeval_compat::fix_by_id(f.lmp->modify, "ref")->style), "force/reference/kk");
    EXPECT_EQ(f.lmp->kokkos->exchange_comm_classic, 0) << "a fix sent the exchange back to the host";
    EXPECT_FALSE(dynamic_cast<LAMMPS_NS::AtomKokkos *>(f.lmp->atom)->sort_classic) << "a fix sent the sort to the host";
    EXPECT_GE(f.lmp->neighbor->ncalls, 400);    // reneighboured (exchanged, sorted) every step
    kk = f.fix_values("vt");
    // atoms that arrived from another rank (lattice planes lie on the subdomain boundaries)
    const auto after = owned();
    std::vector<LAMMPS_NS::tagint> arrived;
    std::set_difference(after.begin(), after.end(), before.begin(), before.end(), std::back_inserter(arrived));
    int mine = (int) arrived.size(), all = 0;
    MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    if (nprocs > 1) EXPECT_GT(all, 0) << "no atom crossed a subdomain boundary";
    f.close();
  }
  expect_same(plain, kk, 1e-8, "vacancy/track values");
  if (me == 0) {
    const std::string a = slurp(base + ".plain.dump"), b = slurp(base + ".kk.dump");
    EXPECT_GT(a.size(), 10000u);
    EXPECT_EQ(a, b) << "the dumped reference forces differ";
  }
  for (const char *ext : {".ref.dump", ".plain.dump", ".kk.dump"}) world_remove(base + ext);
}

// several defects (two T, one H, one split-<110>), then 36 interstitials at once (more than
// the 32 centres compared one by one: the grid search), counts and per-atom codes
TEST(Kokkos, InterstitialType)
{
  std::vector<std::string> few = si_crystal(5);
  few.insert(few.end(), {"create_atoms 1 single 0.5 0.5 0.5", "create_atoms 1 single 3.5 2.5 1.5",
                         "create_atoms 1 single 2.625 4.625 2.625", "region r1 sphere 16.293 16.293 10.862 0.1 units box",
                         "delete_atoms region r1 compress no", "create_atoms 1 single 3.156 3.156 2 units lattice",
                         "create_atoms 1 single 2.844 2.844 2 units lattice",
                         "compute re all re/atom sites cell diamond 5 5 5", "compute it all interstitial/type re c_re",
                         "run 0 post no"});
  const Outputs plain = run(false, few, {"it"});
  const Outputs kk = run(true, few, {"it"}, [](LammpsFixture &f) { expect_kokkos_compute(f, "it", "interstitial/type"); });
  expect_same_outputs(plain, kk, 0.0, "few defects");
  EXPECT_EQ(kk.global[0], (std::vector<double>{1, 2, 1, 0}));

  std::vector<std::string> many = si_crystal(6);
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 6; ++j)
      many.push_back("create_atoms 1 single " + std::to_string(i + 0.5) + " " + std::to_string(j + 0.5) + " " +
                     std::to_string((i + j) % 6 + 0.5));
  many.insert(many.end(), {"compute re all re/atom sites cell diamond 6 6 6",
                           "compute it all interstitial/type re c_re", "run 0 post no"});
  const Outputs plain_many = run(false, many, {"it"}), kk_many = run(true, many, {"it"});
  expect_same_outputs(plain_many, kk_many, 0.0, "36 interstitials");
  double defects = 0.0;
  for (double c : kk_many.global[0]) defects += c;
  EXPECT_EQ(defects, 36.0);
}

TEST(Kokkos, AnalysisFixesAndComputesNeedReAtomKokkos)
{
  const std::string data = prepare(false);
  LammpsFixture f;
  f.open(MPI_COMM_WORLD, true, kokkos_args());
  f.commands(read_si(data));
  f.commands({"suffix off", "compute re all re/atom sites cell diamond 4 4 4", "suffix on",
              "compute it all interstitial/type re c_re"});
  TEST_FAILURE("Compute interstitial/type/kk: compute re for keyword re is style re/atom; it needs re/atom/kk",
               f.command("run 0 post no"));
  f.commands({"uncompute it", "fix vt all vacancy/track 10 re c_re"});
  TEST_FAILURE("Fix vacancy/track/kk: compute re for keyword re is style re/atom; it needs re/atom/kk",
               f.command("run 0 post no"));
  f.close();
  world_remove(data);
}
