#include "re_analysis.h"

#include "re_pipeline.h"

#include <algorithm>
#include <cmath>

namespace mlipeval {

void SparseSet::build(const std::vector<double> &frac, const Box &b)
{
  const int n = (int) frac.size() / 3;
  const double volume = b.xx * b.yy * b.zz;
  // bins about as large as the mean spacing of the set; the first radius is one bin
  const double spacing = std::cbrt(volume / std::max(1, n));
  grid.build(frac, b, spacing);
  r0 = spacing;
}

namespace {
// the serial passes over a coordinate array
struct SerialPasses : RePasses {
  const std::vector<double> &x;
  const std::vector<int> &type;
  const ReParams &p;
  bool local;
  Analysis &out;
  std::vector<double> s;
  SerialPasses(const std::vector<double> &x, const std::vector<int> &type, const ReParams &p, bool local,
               Analysis &out) :
      x(x), type(type), p(p), local(local), out(out), s(x.size())
  {
  }
  void locate(const SiteFinder &f, const Box &b, const TallyView &t, std::vector<double> &re_frac,
              std::vector<int> &re_type, long counts[2], const FinishSets *) override
  {
    const int n = (int) x.size() / 3;
    out.atoms.resize(n);
    for (int i = 0; i < n; ++i) {
      AtomResult &r = out.atoms[i];
      const int ti = type.empty() ? 0 : type[i];
      r.site = locate_and_tally(f, b, &x[3 * i], ti, p, local, t, PlainAdd(), &s[3 * i]);
      if (r.site.d1 > p.vacancy) counts[1]++;
      if (r.site.re) {
        counts[0]++;
        re_frac.insert(re_frac.end(), &s[3 * i], &s[3 * i] + 3);
        re_type.push_back(ti);
      }
    }
  }
  void ghosts(const SiteFinder &, const Box &, const TallyView &, const GhostReach &) override {}    // one process
  void finish(const SparseView &vac, const SparseView &re, const Box &b) override
  {
    for (size_t i = 0; i < out.atoms.size(); ++i)
      out.atoms[i] = finish_atom(out.atoms[i].site, &s[3 * i], vac, re, b, p.near);
  }
};
}    // namespace

Analysis analyse_serial(SiteSet &sites, double min_separation, const Box &b,
                        const std::vector<double> &x, const ReParams &p, const std::vector<int> &type)
{
  Analysis out;
  const bool local = p.vacancy < 0.5 * min_separation;
  if (!local) sites.need_radius_search(b);    // the held tally searches the sites within the radius
  SerialPasses passes(x, type, p, local, out);
  SerialComm comm;
  RePipeline pipeline;
  pipeline.run(sites, b, Subdomain(), passes, comm);
  out.counts = pipeline.site_counts();
  out.vacant_sites = pipeline.vacant();
  out.n_re = pipeline.n_re();
  out.n_far = pipeline.n_far();
  out.vacancies_by_type = pipeline.vacancies_by_type();
  out.re_by_type = pipeline.re_by_type();
  return out;
}

}    // namespace mlipeval
