// Vacancy tracking and diffusion statistics with known answers.
#include "core/diffusion.h"
#include "core/sites.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mlipeval;

namespace {
const double A = 5.431, NN = A * std::sqrt(3.0) / 4.0;
struct Lattice2 {
  Box box;
  std::vector<double> frac;
  Lattice2()
  {
    const double lo[3] = {0, 0, 0};
    box = make_box(lo, 2 * A, 2 * A, 2 * A, 0, 0, 0);
    std::vector<double> basis;
    lattice_basis("diamond", basis);
    const int n[3] = {2, 2, 2};
    frac = replicate_cell(basis, n);
  }
};
}    // namespace

TEST(VacancyTracker, OneHopMovesTheVacancyToTheAtomsOldSite)
{
  Lattice2 l;
  VacancyTracker t;
  EXPECT_TRUE(t.update({0}, l.frac, l.box, 1.2 * NN).empty());
  // site 4, (a/4, a/4, a/4), is a neighbour of site 0: its atom hops into the vacancy
  const auto moves = t.update({4}, l.frac, l.box, 1.2 * NN);
  ASSERT_EQ(moves.size(), 1u);
  EXPECT_EQ(moves[0].from, 0);
  EXPECT_EQ(moves[0].to, 4);
  EXPECT_EQ(moves[0].vacancy, 1);
  EXPECT_EQ(t.hops(), 1);
  EXPECT_EQ(t.vacancies()[0].site, 4);
  EXPECT_NEAR(t.msd(), NN * NN, 1e-12);
  EXPECT_EQ(t.appeared(), 0);
  EXPECT_EQ(t.vanished(), 0);
}

TEST(VacancyTracker, AtomInMidHopIsOneHopOrARecrossing)
{
  Lattice2 l;
  VacancyTracker t;
  t.update({0}, l.frac, l.box, 1.2 * NN);
  // mid-hop, both end sites are empty by the paper's rule: a hop in progress, not a new vacancy
  EXPECT_TRUE(t.update({0, 4}, l.frac, l.box, 1.2 * NN).empty());
  EXPECT_EQ(t.alive(), 1);
  EXPECT_EQ(t.appeared(), 0);
  const auto moves = t.update({4}, l.frac, l.box, 1.2 * NN);    // the atom arrived at site 0
  ASSERT_EQ(moves.size(), 1u);
  EXPECT_EQ(moves[0].from, 0);
  EXPECT_EQ(moves[0].to, 4);
  EXPECT_EQ(t.hops(), 1);
  EXPECT_EQ(t.appeared(), 0);
  EXPECT_EQ(t.vanished(), 0);
  EXPECT_NEAR(t.msd(), NN * NN, 1e-12);
  // an atom that goes half way and back: no hop, one recrossing
  t.update({4, 0}, l.frac, l.box, 1.2 * NN);
  t.update({4}, l.frac, l.box, 1.2 * NN);
  EXPECT_EQ(t.hops(), 1);
  EXPECT_EQ(t.recrossings(), 1);
  EXPECT_EQ(t.alive(), 1);
  EXPECT_EQ(t.vacancies()[0].site, 4);
}

TEST(VacancyTracker, HopAcrossThePeriodicBoundaryUnwraps)
{
  Lattice2 l;
  VacancyTracker t;
  // site 0 at the origin; its neighbour across the boundary is (-a/4, -a/4, a/4) = site at
  // (7a/4, 7a/4, a/4): find it
  int across = -1;
  for (int s = 0; s < 64; ++s) {
    const double *f = &l.frac[3 * s];
    if (std::fabs(f[0] - 7.0 / 8) < 1e-12 && std::fabs(f[1] - 7.0 / 8) < 1e-12 && std::fabs(f[2] - 1.0 / 8) < 1e-12)
      across = s;
  }
  ASSERT_GE(across, 0);
  t.update({0}, l.frac, l.box, 1.2 * NN);
  t.update({across}, l.frac, l.box, 1.2 * NN);
  t.update({0}, l.frac, l.box, 1.2 * NN);    // and back
  t.update({across}, l.frac, l.box, 1.2 * NN);
  const auto &v = t.vacancies()[0];
  // unwrapped: one bond from the origin, on the negative side, not a box length away
  EXPECT_NEAR(v.pos[0], -A / 4, 1e-12);
  EXPECT_NEAR(v.pos[1], -A / 4, 1e-12);
  EXPECT_NEAR(v.pos[2], A / 4, 1e-12);
  EXPECT_EQ(t.hops(), 3);
  EXPECT_NEAR(t.msd(), NN * NN, 1e-12);
}

TEST(VacancyTracker, TwoVacanciesKeepTheirIdentities)
{
  Lattice2 l;
  VacancyTracker t;
  t.update({0, 40}, l.frac, l.box, 1.2 * NN);
  const auto moves = t.update({4, 40}, l.frac, l.box, 1.2 * NN);
  ASSERT_EQ(moves.size(), 1u);
  EXPECT_EQ(moves[0].vacancy, 1);
  const auto &v = t.vacancies();
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].site, 4);
  EXPECT_EQ(v[1].site, 40);
  EXPECT_EQ(v[1].id, 2);
  EXPECT_EQ(t.alive(), 2);
}

TEST(VacancyTracker, VacanciesThatVanishOrAppearAreCounted)
{
  Lattice2 l;
  VacancyTracker t;
  t.update({0}, l.frac, l.box, 1.2 * NN);
  t.update({}, l.frac, l.box, 1.2 * NN);    // filled (e.g. by an interstitial)
  EXPECT_EQ(t.vanished(), 1);
  EXPECT_EQ(t.alive(), 0);
  ASSERT_EQ(t.last_vanished.size(), 1u);
  t.update({40}, l.frac, l.box, 1.2 * NN);    // a new one, far away
  EXPECT_EQ(t.appeared(), 1);
  EXPECT_EQ(t.alive(), 1);
  EXPECT_EQ(t.vacancies().back().id, 2);
  EXPECT_EQ(t.hops(), 0);
  // a jump longer than the largest hop is not a hop: vanish + appear
  t.update({0}, l.frac, l.box, 1.2 * NN);
  EXPECT_EQ(t.hops(), 0);
  EXPECT_EQ(t.vanished(), 2);
  EXPECT_EQ(t.appeared(), 2);
  // the state round-trips through pack/unpack (restart files)
  VacancyTracker copy;
  copy.unpack(t.pack());
  EXPECT_EQ(copy.pack(), t.pack());
}

TEST(Diffusion, LinearMsdGivesItsSlopeAndKnownErrors)
{
  std::vector<double> t, y;
  const double D = 0.0123;    // A^2/ps
  for (int i = 0; i <= 20; ++i) {
    t.push_back(0.5 * i);
    y.push_back(6.0 * D * 0.5 * i + 0.7);
  }
  const LineFit f = fit_line(t, y);
  EXPECT_NEAR(f.slope / 6.0, D, 1e-15);
  EXPECT_NEAR(f.slope_error, 0.0, 1e-12);
  // by hand: t = 0..3, y = 0 1 1 3 -> slope 0.9, residuals .1 .2 -.7 .4, error sqrt(0.7/2/5)
  const LineFit g = fit_line({0, 1, 2, 3}, {0, 1, 1, 3});
  EXPECT_NEAR(g.slope, 0.9, 1e-14);
  EXPECT_NEAR(g.slope_error, std::sqrt(0.07), 1e-14);
  EXPECT_EQ(fit_line({1.0}, {2.0}).n, 1);
  // He et al. 2018: 100 jumps -> 3.43 / 10 + 0.04
  EXPECT_NEAR(he2018_rsd(1, 100 * NN * NN, NN), 0.383, 1e-12);
  EXPECT_NEAR(he2018_rsd(4, 25 * NN * NN, NN), 0.383, 1e-12);
  EXPECT_EQ(he2018_rsd(3, 0.0, NN), 0.0);
}

// The running fit equals the two-pass fit over the stored series, and a repeated time replaces
// its sample as the fix's old stored series did.
TEST(Diffusion, RunningFitEqualsTheFitOfTheStoredSeries)
{
  std::vector<double> t, y;
  MsdSeries s;
  RunningLine r;
  double ymax = 0.0;
  unsigned seed = 12345;
  auto noise = [&seed]() {
    seed = seed * 1103515245u + 12345u;
    return ((seed >> 8) & 0xffff) / 65536.0 - 0.5;
  };
  for (int i = 0; i < 5000; ++i) {
    const double ti = 0.01 * i, yi = 0.37 * ti + 2.0 * noise() + 1000.0;    // a large offset
    s.add(ti, yi + 5.0);    // replaced by the next sample at the same time
    s.add(ti, yi);
    r.add(ti, yi);
    t.push_back(ti);
    y.push_back(yi);
    ymax = std::max(ymax, yi);
    if (i % 997 == 1 || i == 4999) {
      const LineFit ref = fit_line(t, y), a = s.fit(), b = r.fit();
      EXPECT_EQ(a.n, ref.n);
      EXPECT_EQ(b.n, ref.n);
      EXPECT_NEAR(a.slope, ref.slope, 1e-10 * std::fabs(ref.slope) + 1e-13);
      EXPECT_NEAR(b.slope, ref.slope, 1e-10 * std::fabs(ref.slope) + 1e-13);
      EXPECT_NEAR(a.slope_error, ref.slope_error, 1e-8 * ref.slope_error + 1e-13);
      EXPECT_NEAR(b.slope_error, ref.slope_error, 1e-8 * ref.slope_error + 1e-13);
      EXPECT_EQ(s.max(), ymax);
      EXPECT_EQ(s.size(), (long) t.size());
    }
  }
  // pack/unpack continues exactly (restart files)
  double buf[MsdSeries::NPACK];
  s.pack(buf);
  MsdSeries copy;
  copy.unpack(buf);
  s.add(60.0, 1020.0);
  copy.add(60.0, 1020.0);
  EXPECT_EQ(copy.fit().slope, s.fit().slope);
  EXPECT_EQ(copy.fit().slope_error, s.fit().slope_error);
  EXPECT_EQ(copy.max(), s.max());
  // one sample: no slope; nothing: max 0
  MsdSeries one;
  EXPECT_EQ(one.max(), 0.0);
  one.add(1.0, 3.0);
  EXPECT_EQ(one.fit().n, 1);
  EXPECT_EQ(one.fit().slope, 0.0);
  EXPECT_EQ(one.max(), 3.0);
}

// 100 000 cycles of a hop, a failed hop (recrossing), a vacancy that vanishes and one that
// appears: the tracker holds only the living vacancies, so its state stays the same size.
TEST(VacancyTracker, MemoryStaysBoundedOverManyHopsAndRecrossings)
{
  Lattice2 l;
  VacancyTracker t;
  const double hop = 1.2 * NN;
  t.update({0, 40}, l.frac, l.box, hop);
  const size_t packed = t.pack().size();
  size_t largest = 0;
  int here = 0;
  for (int cycle = 0; cycle < 100000; ++cycle) {
    const int there = here == 0 ? 4 : 0;
    t.update({here, there, 40}, l.frac, l.box, hop);    // mid-hop: a child
    t.update({here, 40}, l.frac, l.box, hop);           // it went back: a recrossing
    t.update({here, there, 40}, l.frac, l.box, hop);    // mid-hop again
    t.update({there, 40}, l.frac, l.box, hop);          // arrived: one hop
    t.update({there}, l.frac, l.box, hop);              // vacancy 40 filled: vanished
    t.update({there, 40}, l.frac, l.box, hop);          // and a new one there: appeared
    here = there;
    largest = std::max(largest, t.vacancies().size());
  }
  EXPECT_EQ(t.hops(), 100000);
  EXPECT_EQ(t.recrossings(), 100000);
  EXPECT_EQ(t.vanished(), 100000);
  EXPECT_EQ(t.appeared(), 100000);
  EXPECT_EQ(t.alive(), 2);
  EXPECT_LE(largest, 3u);    // two vacancies and, mid-hop, one child
  EXPECT_EQ(t.vacancies().size(), 2u);
  EXPECT_EQ(t.pack().size(), packed);
  EXPECT_NEAR(t.msd(), 0.0, 1e-9);    // vacancy 1 hopped back and forth an even number of times
}

TEST(VibrationMaps, CountsByCellAndTheFileOfSummedCounts)
{
  // 2 x 3 grid over [0, 2) x [0, 3): cell of (r_v, r_s) = (1.5, 0.5) is iv 1, is 0; a
  // neighbour site puts it in the first block, any other in the second
  const VibrationGrid g = {2, 3, 2.0, 3.0, 2.35};
  VibrationMaps maps;
  maps.reset(2, 3, 2.0, 3.0);
  const int nn = vibration_cell(g, 1.5, 0.5, 2.35), other = vibration_cell(g, 1.5, 0.5, 5.0);
  EXPECT_EQ(nn, 3);
  EXPECT_EQ(other, 6 + 3);
  EXPECT_EQ(vibration_cell(g, 2.5, 0.5, 2.35), -1);    // beyond the grid: not counted
  maps.add(nn);
  maps.add(nn);
  maps.add(other);
  maps.add(-1);
  const double device[12] = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
  maps.add(device);
  EXPECT_EQ(maps.values()[3], 2.0);
  EXPECT_EQ(maps.values()[5], 1.0);
  EXPECT_EQ(maps.values()[9], 1.0);
  FILE *f = std::tmpfile();
  ASSERT_TRUE(f);
  maps.write(f, maps.values());
  std::rewind(f);
  std::string text;
  char buf[256];
  while (std::fgets(buf, sizeof buf, f)) text += buf;
  std::fclose(f);
  EXPECT_NE(text.find("# grid 2 3 range 2 3 samples_nn 3 samples_other 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\n1.5 0.5 2 1\n"), std::string::npos) << text;    // bin centres, then both counts
  EXPECT_NE(text.find("\n1.5 2.5 1 0\n"), std::string::npos) << text;
}

TEST(VacancyTracker, NewVacancyNextToALivingOneCountsOnceItOutlivesAHop)
{
  Lattice2 l;
  VacancyTracker t;
  t.set_hop_time(1.0);
  t.update({0}, l.frac, l.box, 1.2 * NN, 0.0);
  // site 4 turns vacant next to vacancy 1: a hop in progress while it is younger than a hop
  t.update({0, 4}, l.frac, l.box, 1.2 * NN, 0.5);
  t.update({0, 4}, l.frac, l.box, 1.2 * NN, 1.4);
  EXPECT_EQ(t.alive(), 1);
  EXPECT_EQ(t.appeared(), 0);
  // older than a hop with its parent alive: a divacancy formed, two vacancies
  t.update({0, 4}, l.frac, l.box, 1.2 * NN, 1.6);
  EXPECT_EQ(t.alive(), 2);
  EXPECT_EQ(t.appeared(), 1);
  ASSERT_EQ(t.last_appeared.size(), 1u);
  EXPECT_EQ(t.find(t.last_appeared[0])->site, 4);
  // from now on it is a vacancy in its own right: when its site fills, it vanishes, no recrossing
  t.update({0}, l.frac, l.box, 1.2 * NN, 2.0);
  EXPECT_EQ(t.alive(), 1);
  EXPECT_EQ(t.vanished(), 1);
  EXPECT_EQ(t.recrossings(), 0);
  EXPECT_EQ(t.hops(), 0);

  // the birth time goes through a restart, and a layout without it still reads
  VacancyTracker u;
  u.set_hop_time(1.0);
  u.update({0}, l.frac, l.box, 1.2 * NN, 0.0);
  u.update({0, 4}, l.frac, l.box, 1.2 * NN, 0.5);
  VacancyTracker v;
  v.set_hop_time(1.0);
  v.unpack(u.pack());
  v.update({0, 4}, l.frac, l.box, 1.2 * NN, 1.4);
  EXPECT_EQ(v.alive(), 1);
  v.update({0, 4}, l.frac, l.box, 1.2 * NN, 1.6);
  EXPECT_EQ(v.alive(), 2);
  // the older layouts: LAYOUT4 entries of 14 values (id site parent born pos origin site-position
  // type) after the hops by type become 13 (LAYOUT3: no types, no hops by type), 10 (LAYOUT2: no
  // site position) or 9 (no mark, no birth time either)
  const std::vector<double> now = u.pack();
  ASSERT_EQ(now[0], VacancyTracker::LAYOUT4);
  const size_t nh = (size_t) now[7], first = 9 + nh;
  ASSERT_EQ(nh, 1u);
  std::vector<double> three(now.begin(), now.begin() + 7), two, one(now.begin() + 1, now.begin() + 7);
  three[0] = VacancyTracker::LAYOUT3;
  three.push_back(now[8 + nh]);
  one.push_back(now[8 + nh]);
  two = three;
  two[0] = VacancyTracker::LAYOUT2;
  for (size_t k = first; k + 14 <= now.size(); k += 14) {
    three.insert(three.end(), now.begin() + (long) k, now.begin() + (long) k + 13);
    two.insert(two.end(), now.begin() + (long) k, now.begin() + (long) k + 10);
    one.insert(one.end(), now.begin() + (long) k, now.begin() + (long) k + 3);
    one.insert(one.end(), now.begin() + (long) k + 4, now.begin() + (long) k + 10);
  }
  {
    VacancyTracker w;
    w.unpack(three);
    ASSERT_EQ(w.vacancies().size(), 2u);
    EXPECT_DOUBLE_EQ(w.vacancies()[1].sf[0], u.vacancies()[1].sf[0]);
    EXPECT_EQ(w.vacancies()[1].type, 0);
    EXPECT_EQ(w.pack(), now);    // no types: LAYOUT3 holds all there is
  }
  for (const auto &old : {two, one}) {
    VacancyTracker w;
    w.unpack(old);
    ASSERT_EQ(w.vacancies().size(), 2u);
    EXPECT_EQ(w.vacancies()[1].site, 4);
    EXPECT_EQ(w.vacancies()[1].parent, 1);
    EXPECT_TRUE(std::isnan(w.vacancies()[1].sf[0]));
    EXPECT_DOUBLE_EQ(w.vacancies()[1].pos[0], u.vacancies()[1].pos[0]);
  }
}

TEST(DiffusionRecord, FiguresOfOneHopAndARoundTripOfTheFits)
{
  Lattice2 l;
  VacancyTracker t;
  DiffusionRecord r;
  t.update({0}, l.frac, l.box, 1.2 * NN, 0.0);
  r.sample(t, 0.0, 0.0, 63.0, NN);
  t.update({4}, l.frac, l.box, 1.2 * NN, 2.0);    // one hop of one bond in 2 time units
  r.sample(t, 2.0, 0.5, 63.0, NN);
  EXPECT_EQ(r.figure(DiffusionRecord::ALIVE), 1.0);
  EXPECT_EQ(r.figure(DiffusionRecord::HOPS), 1.0);
  EXPECT_DOUBLE_EQ(r.figure(DiffusionRecord::HOP_RATE), 0.5);
  EXPECT_NEAR(r.figure(DiffusionRecord::VAC_MSD), NN * NN, 1e-12);
  EXPECT_NEAR(r.figure(DiffusionRecord::VAC_D), NN * NN / 2.0 / 6.0, 1e-12);    // two points: the line through them
  EXPECT_NEAR(r.figure(DiffusionRecord::ATOM_D), 0.5 / 2.0 / 6.0, 1e-12);
  EXPECT_DOUBLE_EQ(r.figure(DiffusionRecord::VAC_RSD), he2018_rsd(1.0, NN * NN, NN));
  EXPECT_DOUBLE_EQ(r.figure(DiffusionRecord::ATOM_RSD), he2018_rsd(63.0, 0.5, NN));
  // the fits go through a restart: one more sample gives the same figures either way
  double fits[DiffusionRecord::NPACK_FITS];
  r.pack_fits(fits);
  DiffusionRecord back;
  back.unpack_fits(fits);
  back.set_figures(r.figures());
  r.sample(t, 4.0, 1.1, 63.0, NN);
  back.sample(t, 4.0, 1.1, 63.0, NN);
  for (int k = 0; k < DiffusionRecord::NFIGURES; ++k) EXPECT_EQ(back.figure(k), r.figure(k)) << k;
}

// What fix vacancy/track writes to a restart file comes back whole: the tracker (its next hop
// is scored as before), the fits and figures, the start and the vibration counts.
TEST(TrackRestart, PackAndUnpackGiveTheSameState)
{
  Lattice2 l;
  VacancyTracker t;
  DiffusionRecord r;
  t.update({0}, l.frac, l.box, 1.2 * NN);
  r.sample(t, 0.0, 0.0, 63.0, NN);
  t.update({4}, l.frac, l.box, 1.2 * NN, 1.0);
  r.sample(t, 1.0, 0.5, 63.0, NN);
  TrackRestart s;
  s.step0 = 1234;
  s.have_x0 = 1;
  s.d_site = NN;
  s.nv = 2;
  s.ns = 3;
  for (int k = 0; k < 2 * s.nv * s.ns; ++k) s.maps.push_back(k + 0.5);
  const std::vector<double> buf = pack_track_restart(t, r, s);

  VacancyTracker t2;
  DiffusionRecord r2;
  TrackRestart s2;
  unpack_track_restart(buf.data(), t2, r2, s2);
  EXPECT_EQ(s2.step0, 1234);
  EXPECT_EQ(s2.have_x0, 1);
  EXPECT_EQ(s2.d_site, NN);
  EXPECT_EQ(s2.nv, 2);
  EXPECT_EQ(s2.ns, 3);
  EXPECT_EQ(s2.maps, s.maps);
  for (int k = 0; k < DiffusionRecord::NFIGURES; ++k) EXPECT_EQ(r2.figure(k), r.figure(k)) << "figure " << k;
  EXPECT_EQ(pack_track_restart(t2, r2, s2), buf);
  // both go on alike: the vacancy hops back
  const auto m1 = t.update({0}, l.frac, l.box, 1.2 * NN, 2.0), m2 = t2.update({0}, l.frac, l.box, 1.2 * NN, 2.0);
  ASSERT_EQ(m1.size(), 1u);
  ASSERT_EQ(m2.size(), 1u);
  EXPECT_EQ(m2[0].vacancy, m1[0].vacancy);
  EXPECT_EQ(t2.hops(), t.hops());
  EXPECT_EQ(t2.msd(), t.msd());
}

TEST(TrackRestart, TrajectoryLinesNameHopsAndLivingVacancies)
{
  Lattice2 l;
  VacancyTracker t;
  t.update({0}, l.frac, l.box, 1.2 * NN);
  const auto moves = t.update({4}, l.frac, l.box, 1.2 * NN, 0.5);
  const std::string text = trajectory_lines(7, 0.5, moves, {42}, t);
  // the atom moved from site 5 to site 1 (1-based): the vacancy from 1 to 5
  EXPECT_NE(text.find("HOP 7 0.5 42 5 1 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("VAC 7 0.5 1 5 "), std::string::npos) << text;
  EXPECT_EQ(trajectory_header().rfind("# ", 0), 0u);
}

// A tracker told only the vacant sites' positions (the sites a rank keeps are a part of the set)
// follows the same vacancies as one that reads every site's position, through hops, hops in
// progress, a vanished vacancy and a restart.
TEST(VacancyTracker, VacantPositionsAloneGiveTheSameTrack)
{
  Lattice2 l;
  auto listed = [&l](const std::vector<int> &v) {
    std::vector<double> p;
    for (int s : v) p.insert(p.end(), &l.frac[3 * s], &l.frac[3 * s] + 3);
    return p;
  };
  const std::vector<std::vector<int>> steps = {{0}, {0, 4}, {4}, {4, 9}, {9}, {}, {12}, {1, 12}, {1}};
  VacancyTracker all, part;
  all.set_hop_time(1.5);
  part.set_hop_time(1.5);
  for (size_t k = 0; k < steps.size(); ++k) {
    if (k == 5) {    // the listed tracker goes through a restart
      VacancyTracker r;
      r.set_hop_time(1.5);
      r.unpack(part.pack());
      part = r;
    }
    const auto a = all.update(steps[k], l.frac, l.box, 1.2 * NN, (double) k);
    const auto b = part.update_listed(steps[k], listed(steps[k]), l.box, 1.2 * NN, (double) k);
    ASSERT_EQ(a.size(), b.size()) << "step " << k;
    for (size_t m = 0; m < a.size(); ++m) {
      EXPECT_EQ(a[m].vacancy, b[m].vacancy);
      EXPECT_EQ(a[m].from, b[m].from);
      EXPECT_EQ(a[m].to, b[m].to);
    }
    ASSERT_EQ(all.vacancies().size(), part.vacancies().size()) << "step " << k;
    for (size_t m = 0; m < all.vacancies().size(); ++m) {
      EXPECT_EQ(all.vacancies()[m].site, part.vacancies()[m].site);
      for (int d = 0; d < 3; ++d) EXPECT_DOUBLE_EQ(all.vacancies()[m].pos[d], part.vacancies()[m].pos[d]);
    }
  }
  EXPECT_GT(all.hops(), 0);
  EXPECT_EQ(all.hops(), part.hops());
  EXPECT_EQ(all.vanished(), part.vanished());
  EXPECT_EQ(all.appeared(), part.appeared());
}

// Sublattices (zincblende, types 1 1 1 1 2 2 2 2 on the diamond basis): a vacancy moves only to a
// site of its own type.  Site 0 (basis 0, type 1) and site 4 (basis 4, type 2) are neighbours,
// 0.43 a apart; site 1 (basis 1, type 1) is 0.71 a from site 0.
TEST(VacancyTracker, SublatticesKeepAVacancyOnItsOwnType)
{
  Lattice2 l;
  const double a = l.box.xx / 2;    // Lattice2: 2 x 2 x 2 diamond cells
  const double hop = 0.8 * a;       // reaches both site 4 and site 1 from site 0
  std::vector<int> types(l.frac.size() / 3);
  for (size_t i = 0; i < types.size(); ++i) types[i] = i % 8 < 4 ? 1 : 2;
  VacancyTracker plain, typed;
  plain.update({0}, l.frac, l.box, hop);
  typed.update({0}, l.frac, l.box, hop, 0.0, types);
  // site 0 fills, site 4 (the other type) empties: a hop without types, not with them
  EXPECT_EQ(plain.update({4}, l.frac, l.box, hop).size(), 1u);
  EXPECT_TRUE(typed.update({4}, l.frac, l.box, hop, 0.0, types).empty());
  EXPECT_EQ(typed.vanished(), 1);
  EXPECT_EQ(typed.appeared(), 1);
  EXPECT_EQ(typed.hops(), 0);
  ASSERT_EQ(typed.vacancies().size(), 1u);
  EXPECT_EQ(typed.vacancies()[0].type, 2);
  // and a site of its own type within the hop distance is a hop with types too, counted for its type
  VacancyTracker same;
  same.update({0}, l.frac, l.box, hop, 0.0, types);
  const auto moves = same.update({1}, l.frac, l.box, hop, 0.0, types);
  ASSERT_EQ(moves.size(), 1u);
  EXPECT_EQ(moves[0].to, 1);
  EXPECT_EQ(same.hops_of_type(1), 1);
  EXPECT_EQ(same.hops_of_type(2), 0);
}

// The vacant sites' own types (update_listed, as on several ranks with stored sites) give the same
// moves as the types of every site; the types and the hops by type survive pack and unpack.
TEST(VacancyTracker, SublatticesFromTheListedTypes)
{
  Lattice2 l;
  const double a = l.box.xx / 2;
  const double hop = 0.8 * a;
  std::vector<int> types(l.frac.size() / 3);
  for (size_t i = 0; i < types.size(); ++i) types[i] = i % 8 < 4 ? 1 : 2;
  auto listed = [&](const std::vector<int> &v, std::vector<double> &frac, std::vector<int> &t) {
    frac.clear();
    t.clear();
    for (int s : v) {
      frac.insert(frac.end(), &l.frac[3 * s], &l.frac[3 * s] + 3);
      t.push_back(types[s]);
    }
  };
  const std::vector<std::vector<int>> steps = {{0, 4}, {1, 4}, {1, 5}, {1, 6}, {2, 6}};
  VacancyTracker all, part;
  for (size_t k = 0; k < steps.size(); ++k) {
    std::vector<double> frac;
    std::vector<int> t;
    listed(steps[k], frac, t);
    const auto m1 = all.update(steps[k], l.frac, l.box, hop, (double) k, types);
    const auto m2 = part.update_listed(steps[k], frac, l.box, hop, (double) k, t);
    ASSERT_EQ(m1.size(), m2.size()) << "step " << k;
    for (size_t m = 0; m < m1.size(); ++m) EXPECT_EQ(m1[m].to, m2[m].to);
    if (k == 2) {    // a restart half way
      VacancyTracker back;
      back.unpack(part.pack());
      part = back;
    }
  }
  EXPECT_EQ(all.hops_of_type(1), 2);    // 0 -> 1 -> 2
  EXPECT_EQ(all.hops_of_type(2), 2);    // 4 -> 5 -> 6
  for (int t = 0; t <= 2; ++t) EXPECT_EQ(all.hops_of_type(t), part.hops_of_type(t)) << "type " << t;
  ASSERT_EQ(part.vacancies().size(), 2u);
  EXPECT_EQ(part.vacancies()[0].type, 1);
  EXPECT_EQ(part.vacancies()[1].type, 2);
}
