#include "re_analysis.h"

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

Analysis analyse_serial(SiteSet &sites, double min_separation, const Box &b,
                        const std::vector<double> &x, const ReParams &p)
{
  Analysis out;
  sites.refresh(b);
  const int n = (int) x.size() / 3;
  const bool local = p.vacancy < 0.5 * min_separation;
  std::vector<int> ws(sites.size(), 0), held(sites.size(), 0);
  std::vector<double> re_frac, s(x.size());
  const SiteFinder finder = sites.finder();
  out.atoms.resize(n);
  for (int i = 0; i < n; ++i) {
    AtomResult &r = out.atoms[i];
    r.site = locate_and_tally(finder, b, &x[3 * i], p, local, ws.data(), held.data(), PlainAdd(), &s[3 * i]);
    if (r.site.d1 > p.vacancy) out.n_far++;
    if (r.site.re) {
      out.n_re++;
      re_frac.insert(re_frac.end(), &s[3 * i], &s[3 * i] + 3);
    }
  }
  out.counts = count_sites(ws.data(), held.data(), sites.size(), out.vacant_sites);
  SparseSet vac, re;
  vac.build(gather_sites(sites.fractional(), out.vacant_sites), b);
  re.build(re_frac, b);
  for (int i = 0; i < n; ++i)
    out.atoms[i] = finish_atom(out.atoms[i].site, &s[3 * i], vac.sparse_view(), re.sparse_view(), b, p.near);
  return out;
}

}    // namespace mlipeval
