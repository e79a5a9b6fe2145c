/* USER-MLIPEVAL: force-error metrics of Liu, He & Mo (npj Comput. Mater. 9, 174, 2023).
   dF = |F_pred| - |F_ref| (its absolute value goes into the CDF), dtheta = angle between the
   two forces in degrees, NAC = normalised area under the CDF, P = NAC(dF) NAC(dtheta). */
#ifndef MLIPEVAL_CORE_FORCE_STATS_H
#define MLIPEVAL_CORE_FORCE_STATS_H

#include "inline.h"

#include <cmath>
#include <string>
#include <vector>

namespace mlipeval {

struct ForceError {
  double dF;        // |F_pred| - |F_ref|
  double dtheta;    // degrees in [0, 180]; -1 when either force is zero (no direction)
  double dvec;      // |F_pred - F_ref|
};

// A force no larger than fzero has no direction: its angle is undefined (-1).  Without such a
// floor the angle between two rounding-noise forces (1e-15 in a perfect crystal) is random.
MLIPEVAL_RULES_BEGIN
MLIPEVAL_INLINE ForceError force_error(const double fp[3], const double fr[3], double fzero)
{
  const double np = MLIPEVAL_MATH::sqrt(fp[0] * fp[0] + fp[1] * fp[1] + fp[2] * fp[2]);
  const double nr = MLIPEVAL_MATH::sqrt(fr[0] * fr[0] + fr[1] * fr[1] + fr[2] * fr[2]);
  const double d[3] = {fp[0] - fr[0], fp[1] - fr[1], fp[2] - fr[2]};
  ForceError e;
  e.dF = np - nr;
  e.dvec = MLIPEVAL_MATH::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
  if (np > fzero && nr > fzero && np > 0.0 && nr > 0.0) {
    double c = (fp[0] * fr[0] + fp[1] * fr[1] + fp[2] * fr[2]) / (np * nr);
    c = c > 1.0 ? 1.0 : (c < -1.0 ? -1.0 : c);    // rounding can step just outside [-1, 1]
    e.dtheta = MLIPEVAL_MATH::acos(c) * (180.0 / M_PI);
  } else {
    e.dtheta = -1.0;
  }
  return e;
}

// All three components finite: predicted forces are checked before they enter the statistics.
MLIPEVAL_INLINE bool finite3(const double v[3])
{
  return MLIPEVAL_MATH::isfinite(v[0]) && MLIPEVAL_MATH::isfinite(v[1]) && MLIPEVAL_MATH::isfinite(v[2]);
}
MLIPEVAL_RULES_END

// Binning and thresholds; the defaults are the paper's.
struct StatsConfig {
  int nbins_f = 20, nbins_t = 20;
  double range_f = 1.0, range_t = 90.0;    // eV/A, degrees
  double f_threshold = 0.5;                 // fraction with |dF| above this
  double t_threshold1 = 15.0, t_threshold2 = 30.0;
  double zero_force = 1e-6;                 // eV/A: smaller forces have no direction
};

// The host's add for add_to_sums: straight into an array.
struct PlainSums {
  double *s;
  void operator()(int k, double v) const { s[k] += v; }
};

// Layout of the sums of one subset: a flat array, so that an accumulator is one block of
// doubles that MPI, restart files and Kokkos reductions can add up as it is.
enum SumSlot { S_COUNT, S_COUNT_T, S_ABOVE_F, S_ABOVE_T1, S_ABOVE_T2, S_SQ, S_ABS, S_SPARE, S_HIST };
MLIPEVAL_RULES_BEGIN
MLIPEVAL_INLINE int sums_size(const StatsConfig &c) { return S_HIST + c.nbins_f + 1 + c.nbins_t + 1; }

// Histogram bin of v in [0, range) with nbins bins; nbins for values beyond the range.
MLIPEVAL_INLINE int bin_of(double v, double range, int nbins)
{
  if (!(v < range)) return nbins;
  const int b = (int) (v / range * nbins);
  return b < nbins ? b : nbins - 1;
}

// Add one atom's force pair to the sums of one subset, which start at slot `base` (the single
// per-atom rule of the statistics).  add(k, v) adds v to slot k: PlainSums on the host, a
// ScatterView access in the Kokkos reductions.
template <class Add>
MLIPEVAL_INLINE void add_to_sums(const Add &add, int base, const StatsConfig &c, const double fp[3],
                                 const double fr[3])
{
  const ForceError e = force_error(fp, fr, c.zero_force);
  const double adf = e.dF < 0.0 ? -e.dF : e.dF;
  add(base + S_COUNT, 1.0);
  add(base + S_HIST + bin_of(adf, c.range_f, c.nbins_f), 1.0);
  if (adf > c.f_threshold) add(base + S_ABOVE_F, 1.0);
  for (int k = 0; k < 3; ++k) {
    const double d = fp[k] - fr[k];
    add(base + S_SQ, d * d);
    add(base + S_ABS, d < 0.0 ? -d : d);
  }
  if (e.dtheta >= 0.0) {    // an angle exists only when both forces are non-zero
    const int hist_t = base + S_HIST + c.nbins_f + 1;
    add(base + S_COUNT_T, 1.0);
    add(hist_t + bin_of(e.dtheta, c.range_t, c.nbins_t), 1.0);
    if (e.dtheta > c.t_threshold1) add(base + S_ABOVE_T1, 1.0);
    if (e.dtheta > c.t_threshold2) add(base + S_ABOVE_T2, 1.0);
  }
}
MLIPEVAL_RULES_END

// Streaming accumulator of one subset of atoms.  All members are sums, so two accumulators
// merge by adding them (MPI reductions, restarts).
class ForceStats {
 public:
  explicit ForceStats(const StatsConfig &c = StatsConfig());
  void add(const double fp[3], const double fr[3]);    // out of line: the host rule, in every build
  void merge(const ForceStats &o);
  void clear();

  // Summary figures.  The CDF is sampled at the upper edge of each bin:
  // CDF_k = (number of values < k * range / nbins) / n, k = 1..nbins, and
  // NAC = (1 / nbins) sum_k CDF_k, the right Riemann sum of the CDF over [0, range] divided by
  // the range: 1 for perfect agreement, 0 when every error exceeds the range.
  // A figure with no value to count is UNDEFINED: those of the force error when the subset is
  // empty, those of the angle (NAC(dtheta), P, the angle fractions) when no atom of it has both
  // forces above fzero.  0 would read as the worst possible score.
  static constexpr double UNDEFINED = -1.0;
  double n() const { return sums[S_COUNT]; }
  double n_theta() const { return sums[S_COUNT_T]; }
  std::vector<double> cdf_f() const;
  std::vector<double> cdf_theta() const;
  double nac_f() const;
  double nac_theta() const;
  double p() const { return n() > 0 && n_theta() > 0 ? nac_f() * nac_theta() : UNDEFINED; }
  double frac_f_gt() const { return n() > 0 ? sums[S_ABOVE_F] / n() : UNDEFINED; }
  double frac_t_gt1() const { return n_theta() > 0 ? sums[S_ABOVE_T1] / n_theta() : UNDEFINED; }
  double frac_t_gt2() const { return n_theta() > 0 ? sums[S_ABOVE_T2] / n_theta() : UNDEFINED; }
  double rmse() const { return n() > 0 ? std::sqrt(sums[S_SQ] / (3.0 * n())) : UNDEFINED; }    // per component
  double mae() const { return n() > 0 ? sums[S_ABS] / (3.0 * n()) : UNDEFINED; }               // per component
  const StatsConfig &config() const { return cfg; }

  // Flat image of all sums (the SumSlot layout), for MPI reductions and restart files.
  const std::vector<double> &pack() const { return sums; }
  void unpack(const double *buf) { sums.assign(buf, buf + sums.size()); }
  int pack_size() const { return sums_size(cfg); }

  enum { NFIGURES = 9 };
  // n, nac_f, nac_theta, p, frac |dF|>0.5, frac dtheta>15, frac dtheta>30, rmse, mae
  void figures(double *out) const;
  static const char *figure_name(int i);

 private:
  StatsConfig cfg;
  std::vector<double> sums;    // histograms: nbins + 1, the last bin holds values beyond the range
};

// The four subsets of the paper: RE atoms, atoms near an RE atom, the others, and all atoms.
enum Subset { RE = 0, NEAR = 1, OTHER = 2, ALL = 3, NSUBSETS = 4 };
const char *subset_name(int s);

// The subset an atom belongs to besides ALL, from the re/atom flags.
MLIPEVAL_RULES_BEGIN
MLIPEVAL_INLINE int subset_of(int re, int near) { return re ? RE : (near ? NEAR : OTHER); }

// Add one atom to packed SubsetStats sums (NSUBSETS blocks of sums_size(c)).
template <class Add>
MLIPEVAL_INLINE void add_to_subset_sums(const Add &add, const StatsConfig &c, const double fp[3],
                                        const double fr[3], int re, int near)
{
  const int n = sums_size(c);
  add_to_sums(add, subset_of(re, near) * n, c, fp, fr);
  add_to_sums(add, ALL * n, c, fp, fr);
}
MLIPEVAL_RULES_END

class SubsetStats {
 public:
  explicit SubsetStats(const StatsConfig &c = StatsConfig());
  // re, near: the flags of compute re/atom for this atom (both 0 without one)
  void add(const double fp[3], const double fr[3], int re, int near);
  void merge(const SubsetStats &o);
  void clear();
  const ForceStats &operator[](int s) const { return sets[s]; }
  std::vector<double> pack() const;
  void unpack(const double *buf);
  int pack_size() const { return NSUBSETS * sets[0].pack_size(); }
  // {"subsets": {...}, "frames": frames} in the documented layout
  std::string json(long frames) const;

 private:
  ForceStats sets[NSUBSETS];
};

}    // namespace mlipeval

#endif
