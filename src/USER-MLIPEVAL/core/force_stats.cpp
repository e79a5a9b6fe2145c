#include "force_stats.h"

#include <cstdio>

namespace mlipeval {

void ForceStats::add(const double fp[3], const double fr[3])
{
  add_to_sums(PlainSums{sums.data()}, 0, cfg, fp, fr);
}

ForceStats::ForceStats(const StatsConfig &c) : cfg(c)
{
  clear();
}

void ForceStats::clear()
{
  sums.assign(sums_size(cfg), 0.0);
}

void ForceStats::merge(const ForceStats &o)
{
  for (size_t i = 0; i < sums.size(); ++i) sums[i] += o.sums[i];
}

static std::vector<double> cdf_of(const std::vector<double> &hist, double n)
{
  const int nbins = (int) hist.size() - 1;
  std::vector<double> cdf(nbins, 0.0);
  double below = 0.0;
  for (int k = 0; k < nbins; ++k) {
    below += hist[k];
    cdf[k] = n > 0 ? below / n : 0.0;
  }
  return cdf;
}

std::vector<double> ForceStats::cdf_f() const
{
  const auto h = sums.begin() + S_HIST;
  return cdf_of(std::vector<double>(h, h + cfg.nbins_f + 1), n());
}

std::vector<double> ForceStats::cdf_theta() const
{
  const auto h = sums.begin() + S_HIST + cfg.nbins_f + 1;
  return cdf_of(std::vector<double>(h, h + cfg.nbins_t + 1), n_theta());
}

static double nac_of(const std::vector<double> &cdf)
{
  double s = 0.0;
  for (double c : cdf) s += c;
  return cdf.empty() ? 0.0 : s / cdf.size();
}

double ForceStats::nac_f() const { return n() > 0 ? nac_of(cdf_f()) : UNDEFINED; }
double ForceStats::nac_theta() const { return n_theta() > 0 ? nac_of(cdf_theta()) : UNDEFINED; }

void ForceStats::figures(double *out) const
{
  out[0] = n();
  out[1] = nac_f();
  out[2] = nac_theta();
  out[3] = p();
  out[4] = frac_f_gt();
  out[5] = frac_t_gt1();
  out[6] = frac_t_gt2();
  out[7] = rmse();
  out[8] = mae();
}

const char *ForceStats::figure_name(int i)
{
  static const char *names[NFIGURES] = {"n", "nac_f", "nac_theta", "p", "frac_f_gt_0.5",
                                        "frac_theta_gt_15", "frac_theta_gt_30", "rmse", "mae"};
  return names[i];
}

const char *subset_name(int s)
{
  static const char *names[NSUBSETS] = {"re", "near", "other", "all"};
  return names[s];
}

SubsetStats::SubsetStats(const StatsConfig &c) : sets{ForceStats(c), ForceStats(c), ForceStats(c), ForceStats(c)} {}

void SubsetStats::add(const double fp[3], const double fr[3], int re, int near)
{
  sets[subset_of(re, near)].add(fp, fr);
  sets[ALL].add(fp, fr);
}

void SubsetStats::merge(const SubsetStats &o)
{
  for (int s = 0; s < NSUBSETS; ++s) sets[s].merge(o.sets[s]);
}

void SubsetStats::clear()
{
  for (auto &s : sets) s.clear();
}

std::vector<double> SubsetStats::pack() const
{
  std::vector<double> v;
  for (const auto &s : sets) {
    auto p = s.pack();
    v.insert(v.end(), p.begin(), p.end());
  }
  return v;
}

void SubsetStats::unpack(const double *buf)
{
  for (int s = 0; s < NSUBSETS; ++s) sets[s].unpack(buf + s * sets[0].pack_size());
}

static std::string num(double v)
{
  char b[32];
  std::snprintf(b, sizeof b, "%.10g", v);
  return b;
}

static std::string list(const std::vector<double> &v)
{
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + num(v[i]);
  return s + "]";
}

std::string SubsetStats::json(long frames) const
{
  std::string out = "{\"subsets\": {";
  for (int s = 0; s < NSUBSETS; ++s) {
    const ForceStats &f = sets[s];
    double fig[ForceStats::NFIGURES];
    f.figures(fig);
    out += std::string(s ? ", " : "") + "\"" + subset_name(s) + "\": {";
    for (int i = 0; i < ForceStats::NFIGURES; ++i)
      out += std::string(i ? ", " : "") + "\"" + ForceStats::figure_name(i) + "\": " + num(fig[i]);
    out += ", \"n_theta\": " + num(f.n_theta());
    out += ", \"cdf_f\": " + list(f.cdf_f()) + ", \"cdf_theta\": " + list(f.cdf_theta()) + "}";
  }
  const StatsConfig &c = sets[0].config();
  return out + "}, \"frames\": " + std::to_string(frames) + ", \"range_f\": " + num(c.range_f) +
      ", \"range_theta\": " + num(c.range_t) + ", \"zero_force\": " + num(c.zero_force) + "}\n";
}

}    // namespace mlipeval
