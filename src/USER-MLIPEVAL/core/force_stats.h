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
MLIPEVAL_INLINE ForceError force_error(const double fp[3], const double fr[3], double fzero)
{
  const double np = std::sqrt(fp[0] * fp[0] + fp[1] * fp[1] + fp[2] * fp[2]);
  const double nr = std::sqrt(fr[0] * fr[0] + fr[1] * fr[1] + fr[2] * fr[2]);
  const double d[3] = {fp[0] - fr[0], fp[1] - fr[1], fp[2] - fr[2]};
  ForceError e;
  e.dF = np - nr;
  e.dvec = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
  if (np > fzero && nr > fzero && np > 0.0 && nr > 0.0) {
    double c = (fp[0] * fr[0] + fp[1] * fr[1] + fp[2] * fr[2]) / (np * nr);
    c = c > 1.0 ? 1.0 : (c < -1.0 ? -1.0 : c);    // rounding can step just outside [-1, 1]
    e.dtheta = std::acos(c) * (180.0 / M_PI);
  } else {
    e.dtheta = -1.0;
  }
  return e;
}

// Binning and thresholds; the defaults are the paper's.
struct StatsConfig {
  int nbins_f = 20, nbins_t = 20;
  double range_f = 1.0, range_t = 90.0;    // eV/A, degrees
  double f_threshold = 0.5;                 // fraction with |dF| above this
  double t_threshold1 = 15.0, t_threshold2 = 30.0;
  double zero_force = 1e-6;                 // eV/A: smaller forces have no direction
};

// Streaming accumulator of one subset of atoms.  All members are sums, so two accumulators
// merge by adding them (MPI reductions, restarts).
class ForceStats {
 public:
  explicit ForceStats(const StatsConfig &c = StatsConfig());
  void add(const double fp[3], const double fr[3]);
  void merge(const ForceStats &o);
  void clear();

  // Summary figures.  The CDF is sampled at the upper edge of each bin:
  // CDF_k = (number of values < k * range / nbins) / n, k = 1..nbins, and
  // NAC = (1 / nbins) sum_k CDF_k, the right Riemann sum of the CDF over [0, range] divided by
  // the range: 1 for perfect agreement, 0 when every error exceeds the range.
  double n() const { return count; }
  double n_theta() const { return count_t; }
  std::vector<double> cdf_f() const;
  std::vector<double> cdf_theta() const;
  double nac_f() const;
  double nac_theta() const;
  double p() const { return nac_f() * nac_theta(); }
  double frac_f_gt() const { return count > 0 ? above_f / count : 0.0; }
  double frac_t_gt1() const { return count_t > 0 ? above_t1 / count_t : 0.0; }
  double frac_t_gt2() const { return count_t > 0 ? above_t2 / count_t : 0.0; }
  double rmse() const { return count > 0 ? std::sqrt(sq / (3.0 * count)) : 0.0; }    // per component
  double mae() const { return count > 0 ? abs / (3.0 * count) : 0.0; }               // per component
  const StatsConfig &config() const { return cfg; }

  // Flat image of all sums, for MPI reductions and restart files.
  std::vector<double> pack() const;
  void unpack(const double *buf);
  int pack_size() const { return 8 + cfg.nbins_f + 1 + cfg.nbins_t + 1; }

  enum { NFIGURES = 9 };
  // n, nac_f, nac_theta, p, frac |dF|>0.5, frac dtheta>15, frac dtheta>30, rmse, mae
  void figures(double *out) const;
  static const char *figure_name(int i);

 private:
  StatsConfig cfg;
  double count = 0, count_t = 0, above_f = 0, above_t1 = 0, above_t2 = 0, sq = 0, abs = 0, spare = 0;
  std::vector<double> hist_f, hist_t;    // nbins + 1: the last bin holds values beyond the range
};

// The four subsets of the paper: RE atoms, atoms near an RE atom, the others, and all atoms.
enum Subset { RE = 0, NEAR = 1, OTHER = 2, ALL = 3, NSUBSETS = 4 };
const char *subset_name(int s);

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
