#include "diffusion.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

namespace mlipeval {

// minimum-image Cartesian vector from site a to site b
static void site_vector(const std::vector<double> &f, int a, int b, const Box &box, double dx[3])
{
  double ds[3];
  for (int d = 0; d < 3; ++d) {
    ds[d] = f[3 * b + d] - f[3 * a + d];
    ds[d] -= std::floor(ds[d] + 0.5);
  }
  frac_to_cart(box, ds, dx);
}

static void site_position(const std::vector<double> &f, int s, const Box &box, double x[3])
{
  double dx[3];
  frac_to_cart(box, &f[3 * s], dx);
  for (int d = 0; d < 3; ++d) x[d] = box.lo[d] + dx[d];
}

std::vector<VacancyMove> VacancyTracker::update(const std::vector<int> &vacant, const std::vector<double> &f,
                                                const Box &box, double max_hop)
{
  std::vector<VacancyMove> moves;
  last_appeared.clear();
  last_vanished.clear();
  auto born = [&](int site) {
    TrackedVacancy v;
    v.id = next_id++;
    v.site = site;
    site_position(f, site, box, v.pos);
    for (int d = 0; d < 3; ++d) v.origin[d] = v.pos[d];
    v.alive = 1;
    vac.push_back(v);
    return v.id;
  };
  if (!started) {    // the first analysis defines the vacancies; nothing has appeared yet
    for (int s : vacant) born(s);
    started = true;
    return moves;
  }
  std::set<int> open(vacant.begin(), vacant.end());
  std::vector<int> lost;    // indices into vac of living vacancies whose site is no longer vacant
  for (size_t i = 0; i < vac.size(); ++i) {
    if (!vac[i].alive) continue;
    if (open.erase(vac[i].site)) continue;    // still there
    lost.push_back((int) i);
  }
  // candidate pairs within the largest hop, shortest first (ties by id, then site: deterministic)
  std::vector<std::tuple<double, long, int, int>> pairs;
  for (int i : lost)
    for (int s : open) {
      double dx[3];
      site_vector(f, vac[i].site, s, box, dx);
      const double r = std::sqrt(dx[0] * dx[0] + dx[1] * dx[1] + dx[2] * dx[2]);
      if (r <= max_hop) pairs.emplace_back(r, vac[i].id, s, i);
    }
  std::sort(pairs.begin(), pairs.end());
  std::set<int> used_vac, used_site;
  for (const auto &p : pairs) {
    const int i = std::get<3>(p), s = std::get<2>(p);
    if (used_vac.count(i) || used_site.count(s)) continue;
    used_vac.insert(i);
    used_site.insert(s);
    double dx[3];
    site_vector(f, vac[i].site, s, box, dx);
    for (int d = 0; d < 3; ++d) vac[i].pos[d] += dx[d];
    moves.push_back({vac[i].id, vac[i].site, s});
    vac[i].site = s;
    nhops++;
  }
  for (int i : lost)
    if (!used_vac.count(i)) {
      vac[i].alive = 0;
      nvanished++;
      last_vanished.push_back(vac[i].id);
    }
  for (int s : open)
    if (!used_site.count(s)) {
      last_appeared.push_back(born(s));
      nappeared++;
    }
  return moves;
}

long VacancyTracker::alive() const
{
  long n = 0;
  for (const auto &v : vac) n += v.alive;
  return n;
}

double VacancyTracker::msd() const
{
  double s = 0.0;
  long n = 0;
  for (const auto &v : vac) {
    if (!v.alive) continue;
    for (int d = 0; d < 3; ++d) s += (v.pos[d] - v.origin[d]) * (v.pos[d] - v.origin[d]);
    n++;
  }
  return n ? s / n : 0.0;
}

std::vector<double> VacancyTracker::pack() const
{
  std::vector<double> b = {(double) started, (double) next_id, (double) nhops, (double) nappeared,
                           (double) nvanished, (double) vac.size()};
  for (const auto &v : vac) {
    b.insert(b.end(), {(double) v.id, (double) v.site, (double) v.alive});
    b.insert(b.end(), v.pos, v.pos + 3);
    b.insert(b.end(), v.origin, v.origin + 3);
  }
  return b;
}

void VacancyTracker::unpack(const std::vector<double> &b)
{
  started = b[0] != 0.0;
  next_id = (long) b[1];
  nhops = (long) b[2];
  nappeared = (long) b[3];
  nvanished = (long) b[4];
  vac.resize((size_t) b[5]);
  size_t k = 6;
  for (auto &v : vac) {
    v.id = (long) b[k++];
    v.site = (int) b[k++];
    v.alive = (int) b[k++];
    for (int d = 0; d < 3; ++d) v.pos[d] = b[k++];
    for (int d = 0; d < 3; ++d) v.origin[d] = b[k++];
  }
}

LineFit fit_line(const std::vector<double> &t, const std::vector<double> &y)
{
  LineFit r;
  r.n = (int) t.size();
  if (r.n < 2) return r;
  double tm = 0, ym = 0;
  for (int i = 0; i < r.n; ++i) {
    tm += t[i];
    ym += y[i];
  }
  tm /= r.n;
  ym /= r.n;
  double stt = 0, sty = 0;
  for (int i = 0; i < r.n; ++i) {
    stt += (t[i] - tm) * (t[i] - tm);
    sty += (t[i] - tm) * (y[i] - ym);
  }
  if (stt <= 0.0) return r;
  r.slope = sty / stt;
  if (r.n > 2) {
    double ss = 0;
    for (int i = 0; i < r.n; ++i) {
      const double e = y[i] - (ym + r.slope * (t[i] - tm));
      ss += e * e;
    }
    r.slope_error = std::sqrt(ss / (r.n - 2) / stt);
  }
  return r;
}

double he2018_rsd(double n_ions, double msd_max, double d_site)
{
  const double njump = n_ions * msd_max / (d_site * d_site);
  return njump > 0.0 ? 3.43 / std::sqrt(njump) + 0.04 : 0.0;
}

}    // namespace mlipeval
