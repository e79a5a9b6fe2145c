/* USER-MLIPEVAL: vacancy tracking and diffusion statistics.
   Vacancies keep their identity from one analysis to the next: a vacancy still on its site is
   the same vacancy; the others are matched to new vacant sites in order of increasing distance
   (a hop), up to a largest hop distance.  By the paper's vacancy rule an atom in mid-hop leaves
   both end sites empty, so a site that becomes vacant within a hop of a living vacancy is a
   provisional "child" of it: when the parent's site fills, the parent moves there (one hop);
   when the child's site fills first, the attempt failed (a recrossing) and nothing is counted.
   Other unmatched vacancies vanish, other new sites are new vacancies; both are counted.  Each
   vacancy carries an unwrapped trajectory.  A vacancy that vanished and a child that recrossed
   can no longer change and are dropped at once: the tracker holds only living vacancies and
   hops in progress, so its memory and the cost of an update do not grow with the run.
   The diffusion fits are running sums (RunningLine, MsdSeries): no stored series either. */
#ifndef MLIPEVAL_CORE_DIFFUSION_H
#define MLIPEVAL_CORE_DIFFUSION_H

#include "box.h"
#include "re_rules.h"
#include "sites.h"

#include <cstdio>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace mlipeval {

// Per-atom rules of fix vacancy/track, shared by the plain and Kokkos styles.

// The unwrapped position x + h img of an atom with periodic image flags img.
MLIPEVAL_RULES_BEGIN
MLIPEVAL_INLINE void unwrap(const Box &b, const double x[3], const int img[3], double u[3])
{
  u[0] = x[0] + b.xx * img[0] + b.xy * img[1] + b.xz * img[2];
  u[1] = x[1] + b.yy * img[1] + b.yz * img[2];
  u[2] = x[2] + b.zz * img[2];
}

MLIPEVAL_INLINE double sq_distance(const double u[3], const double v[3])
{
  return (u[0] - v[0]) * (u[0] - v[0]) + (u[1] - v[1]) * (u[1] - v[1]) + (u[2] - v[2]) * (u[2] - v[2]);
}

// The move (index into from[]) that left `site` vacant, -1 when none (moves per step are few).
MLIPEVAL_INLINE int move_from_site(const int *from, int nmoves, int site)
{
  for (int k = 0; k < nmoves; ++k)
    if (from[k] == site) return k;
  return -1;
}
MLIPEVAL_RULES_END

// The vibration maps: counts of (r_v, r_s) on an nv x ns grid over [0, rv_max) x [0, rs_max),
// the first block for atoms whose own site neighbours a vacancy, the second for the others.
struct VibrationGrid {
  int nv, ns;
  double rv_max, rs_max;
  double d_site;    // site spacing: a neighbour site is closer than 1.1 d_site to the vacancy
};

// The map cell of one atom (r_v: distance to the nearest vacant site, r_s: to its own site,
// site_to_vac: from its site to the nearest vacant site), or -1 when outside the grid.
MLIPEVAL_RULES_BEGIN
MLIPEVAL_INLINE int vibration_cell(const VibrationGrid &g, double rv, double rs, double site_to_vac)
{
  if (rv < 0.0) return -1;
  const int iv = (int) (rv / g.rv_max * g.nv), is = (int) (rs / g.rs_max * g.ns);
  if (iv >= g.nv || is >= g.ns) return -1;
  const bool neighbour = site_to_vac > 0.0 && site_to_vac < 1.1 * g.d_site;
  return (neighbour ? 0 : g.nv * g.ns) + iv * g.ns + is;
}

// The map cell of an atom on `site`, with the vacant sites searched through their grid vac
// (first search radius vac_r0).
MLIPEVAL_INLINE int vibration_cell_on_site(const VibrationGrid &g, const SiteFinder &f, const PointGridView &vac,
                                          double vac_r0, const Box &b, int site, double rv, double rs)
{
  double sp[3];
  if (!site_position(f, site, sp)) return -1;    // (an atom's own site is always kept)
  return vibration_cell(g, rv, rs, nearest_distance(vac, b, sp, vac_r0));
}
MLIPEVAL_RULES_END

// One rank's vibration counts: the neighbour block, then the other block, in the order of
// vibration_cell(); the file is written from the counts summed over all ranks.
class VibrationMaps {
 public:
  void reset(int nv, int ns, double rv_max, double rs_max);
  void add(int cell)
  {
    if (cell >= 0) counts[cell] += 1.0;
  }
  void add(const double *more);    // 2 nv ns counts in cell order (a device's)
  std::vector<double> &values() { return counts; }
  const std::vector<double> &values() const { return counts; }
  // the vibration file (doc/fix_vacancy_track.rst) of counts summed over all ranks
  void write(FILE *out, const std::vector<double> &summed) const;

 private:
  int nv = 0, ns = 0;
  double rv_max = 0.0, rs_max = 0.0;
  std::vector<double> counts;
};

struct TrackedVacancy {
  long id;
  int site;
  double pos[3];       // unwrapped Cartesian position
  double origin[3];    // where it was first seen
  double sf[3];        // its site's box fractions (NaN when a restart of an older layout gave none)
  long parent;    // 0 for a vacancy; the parent's id for a provisional child (a hop in progress)
  double born;    // time of the update that found it
  int type;       // its site's type (per-species sublattices), 0 without
};

struct VacancyMove {
  long vacancy;
  int from, to;    // sites: the vacancy moved from -> to, so an atom moved to -> from
};

class VacancyTracker {
 public:
  // Match the vacant sites of this analysis (site indices, fractional site coordinates of the
  // whole site set) to the tracked vacancies.  Returns the moves (hops) of this update.
  // time: the simulation time of this analysis (it orders the ends of hops in progress).
  // site_types (optional, per-species sublattices): the atom type of every site.  A vacancy then
  // moves only between sites of one type, and a hop in progress is only a child of a vacancy of
  // its type.
  std::vector<VacancyMove> update(const std::vector<int> &vacant, const std::vector<double> &site_frac,
                                  const Box &box, double max_hop, double time = 0.0,
                                  const std::vector<int> &site_types = std::vector<int>());
  // the same with the positions of the vacant sites only (3 each, in the order of vacant,
  // increasing) and their types (optional, in the same order); the sites of the tracked
  // vacancies are where their positions say, of the type they had
  std::vector<VacancyMove> update_listed(const std::vector<int> &vacant, const std::vector<double> &vacant_frac,
                                         const Box &box, double max_hop, double time = 0.0,
                                         const std::vector<int> &vacant_types = std::vector<int>());
  // A site that turns vacant next to a living vacancy is a hop in progress (a provisional
  // child).  A hop ends within hop_time: a child that outlives it while its parent lives is a
  // vacancy of its own (a divacancy formed, or a neighbour atom was lost).  Default: never.
  void set_hop_time(double t) { hop_time = t; }
  // the living vacancies and hops in progress, oldest first
  const std::vector<TrackedVacancy> &vacancies() const { return vac; }
  const TrackedVacancy *find(long id) const;
  long alive() const;    // vacancies, not counting provisional children
  long hops() const { return nhops; }
  // sublattices: the hops of the vacancies of type t (0 without types: all of them)
  long hops_of_type(int t) const { return t >= 0 && t < (int) type_hops.size() ? type_hops[t] : 0; }
  long recrossings() const { return nrecross; }
  long appeared() const { return nappeared; }
  long vanished() const { return nvanished; }
  double msd() const;    // mean squared displacement of the living vacancies

  std::vector<double> pack() const;
  void unpack(const std::vector<double> &buf);
  static constexpr double LAYOUT2 = -2.0, LAYOUT3 = -3.0, LAYOUT4 = -4.0;

  // appeared/vanished in the last update, for output
  std::vector<long> last_appeared, last_vanished;

 private:
  std::vector<VacancyMove> update_with(const std::vector<int> &vacant, const std::function<void(int, double[3])> &pos,
                                       const std::function<int(int)> &type_of, const Box &box, double max_hop,
                                       double time);
  std::vector<TrackedVacancy> vac;
  long next_id = 1, nhops = 0, nappeared = 0, nvanished = 0, nrecross = 0;
  bool started = false;
  double hop_time = std::numeric_limits<double>::infinity();
  std::vector<long> type_hops = std::vector<long>(1, 0);    // hops by vacancy type (0: none)
};

// Least-squares line y = a + b t with the standard error of the slope b.
struct LineFit {
  double slope = 0.0, slope_error = 0.0;
  long n = 0;
};
// The two-pass fit over a stored series: the reference that RunningLine is tested against.
LineFit fit_line(const std::vector<double> &t, const std::vector<double> &y);

// The same fit from running sums: means and co-moments updated one sample at a time
// (Welford), so that neither memory nor the cost of a sample grows with their number.
struct RunningLine {
  double n = 0.0, mt = 0.0, my = 0.0, ctt = 0.0, cty = 0.0, cyy = 0.0;
  void add(double t, double y);
  LineFit fit() const;
  enum { NPACK = 6 };
  void pack(double *b) const;
  void unpack(const double *b);
};

// A time series y(t) seen through its line fit and its largest value.  A sample at the time of
// the previous one replaces it (run 0 after run 0), so the last sample is held apart until a
// later time arrives.
class MsdSeries {
 public:
  void add(double t, double y);
  LineFit fit() const;
  double max() const;    // 0 before the first sample
  long size() const { return (long) done.n + (has_last ? 1 : 0); }
  enum { NPACK = RunningLine::NPACK + 4 };
  void pack(double *b) const;
  void unpack(const double *b);

 private:
  RunningLine done;          // every sample but the last
  double done_max = 0.0;
  bool has_last = false;
  double last_t = 0.0, last_y = 0.0;
};

// Relative standard deviation of a diffusivity from an MSD (He, Zhu, Epstein, Mo,
// npj Comput. Mater. 4, 18, 2018): RSD = 3.43 / sqrt(N_jump) + 0.04 with
// N_jump = N_ions * MSD_max / d_site^2.  Returns 0 when there was no jump.
double he2018_rsd(double n_ions, double msd_max, double d_site);

// The figures of fix vacancy/track's global vector, from the tracker and the running MSD fits of
// the vacancies and of the tracer atoms: D = slope / 6, its standard error, and the RSD of
// He et al. (2018) for the MSD reached.
class DiffusionRecord {
 public:
  enum Figure { ALIVE, HOPS, HOP_RATE, VAC_MSD, VAC_D, VAC_RSD, VAC_D_ERROR, ATOM_MSD, ATOM_D, ATOM_RSD,
                ATOM_D_ERROR, APPEARED, VANISHED, NFIGURES };
  // one evaluation at `time`, after the tracker's update: the tracer atoms' MSD over natoms
  // atoms; d_site the site distance of the error bars.  A second sample at the same time (run 0
  // after run 0) replaces the first.
  void sample(const VacancyTracker &t, double time, double atom_msd, double natoms, double d_site);
  double figure(int k) const { return fig[k]; }
  const double *figures() const { return fig; }
  void set_figures(const double *f);
  // the two running fits, for restart files
  enum { NPACK_FITS = 2 * MsdSeries::NPACK };
  void pack_fits(double *b) const;
  void unpack_fits(const double *b);

 private:
  MsdSeries vac, atoms;
  double fig[NFIGURES] = {};
};

// What fix vacancy/track keeps across a restart file, in one buffer of doubles: the tracker,
// the running fits and figures, where the run started, and the summed vibration maps.
struct TrackRestart {
  long step0 = 0;         // the step of the first evaluation
  int have_x0 = 0;        // the atoms' starting positions are set
  double d_site = 0.0;    // the site distance of the error bars
  int nv = 0, ns = 0;     // the vibration grid
  std::vector<double> maps;    // 2 * nv * ns summed counts
};
std::vector<double> pack_track_restart(const VacancyTracker &t, const DiffusionRecord &r, const TrackRestart &s);
// Fills t, r and s from buf (as pack_track_restart wrote it).
void unpack_track_restart(const double *buf, VacancyTracker &t, DiffusionRecord &r, TrackRestart &s);

// The trajectory file of fix vacancy/track: its header, and the lines of one evaluation (the
// hops with the atom that made each, 0 when none was found; the vacancies that vanished and
// appeared; every living vacancy).  Sites are written 1-based.
std::string trajectory_header();
std::string trajectory_lines(long step, double time, const std::vector<VacancyMove> &moves,
                             const std::vector<long> &atoms, const VacancyTracker &t);

}    // namespace mlipeval

#endif
