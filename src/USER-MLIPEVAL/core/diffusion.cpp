#include "diffusion.h"

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <functional>
#include <set>
#include <tuple>

namespace mlipeval {

namespace {
// the fractional position of a site, whoever holds the sites
using SiteFrac = std::function<void(int, double[3])>;

// minimum-image Cartesian vector from site a to site b
void site_vector(const SiteFrac &f, int a, int b, const Box &box, double dx[3])
{
  double sa[3], sb[3], ds[3];
  f(a, sa);
  f(b, sb);
  for (int d = 0; d < 3; ++d) {
    ds[d] = sb[d] - sa[d];
    ds[d] -= std::floor(ds[d] + 0.5);
  }
  frac_to_cart(box, ds, dx);
}

void site_position(const SiteFrac &f, int s, const Box &box, double x[3])
{
  double sf[3], dx[3];
  f(s, sf);
  frac_to_cart(box, sf, dx);
  for (int d = 0; d < 3; ++d) x[d] = box.lo[d] + dx[d];
}
}    // namespace

std::vector<VacancyMove> VacancyTracker::update(const std::vector<int> &vacant, const std::vector<double> &site_frac,
                                                const Box &box, double max_hop, double time,
                                                const std::vector<int> &site_types)
{
  return update_with(
      vacant, [&site_frac](int s, double out[3]) {
        for (int d = 0; d < 3; ++d) out[d] = site_frac[3 * s + d];
      },
      [&site_types](int s) { return site_types.empty() ? 0 : site_types[s]; }, box, max_hop, time);
}

std::vector<VacancyMove> VacancyTracker::update_listed(const std::vector<int> &vacant,
                                                       const std::vector<double> &vacant_frac, const Box &box,
                                                       double max_hop, double time,
                                                       const std::vector<int> &vacant_types)
{
  auto type_of = [&](int s) {
    if (vacant_types.empty()) return 0;
    const auto it = std::lower_bound(vacant.begin(), vacant.end(), s);
    if (it != vacant.end() && *it == s) return vacant_types[it - vacant.begin()];
    for (const TrackedVacancy &v : vac)    // a tracked vacancy's site, of the type it had
      if (v.site == s) return v.type;
    return 0;
  };
  auto at = [&](int s, double out[3]) {
    const auto it = std::lower_bound(vacant.begin(), vacant.end(), s);
    if (it != vacant.end() && *it == s) {
      for (int d = 0; d < 3; ++d) out[d] = vacant_frac[3 * (it - vacant.begin()) + d];
      return;
    }
    // a tracked vacancy's site, kept with it
    for (const TrackedVacancy &v : vac)
      if (v.site == s) {
        if (std::isnan(v.sf[0])) to_frac(box, v.pos, out);    // (restarted from an older layout)
        else for (int d = 0; d < 3; ++d) out[d] = v.sf[d];
        return;
      }
    for (int d = 0; d < 3; ++d) out[d] = 0.0;    // (every site asked for is one or the other)
  };
  return update_with(vacant, at, type_of, box, max_hop, time);
}

std::vector<VacancyMove> VacancyTracker::update_with(const std::vector<int> &vacant,
                                                     const std::function<void(int, double[3])> &f,
                                                     const std::function<int(int)> &type_of, const Box &box,
                                                     double max_hop, double time)
{
  std::vector<VacancyMove> moves;
  last_appeared.clear();
  last_vanished.clear();
  auto born = [&](int site, long parent) {
    TrackedVacancy v;
    v.id = next_id++;
    v.site = site;
    site_position(f, site, box, v.pos);
    f(site, v.sf);
    for (int d = 0; d < 3; ++d) v.origin[d] = v.pos[d];
    v.parent = parent;
    v.born = time;
    v.type = type_of(site);
    vac.push_back(v);
    return v.id;
  };
  auto distance = [&](int a, int b) {
    // sites of two sublattices are never one vacancy's path
    if (type_of(a) != type_of(b)) return std::numeric_limits<double>::infinity();
    double dx[3];
    site_vector(f, a, b, box, dx);
    return std::sqrt(dx[0] * dx[0] + dx[1] * dx[1] + dx[2] * dx[2]);
  };
  if (!started) {    // the first analysis defines the vacancies; nothing has appeared yet
    for (int s : vacant) born(s, 0);
    started = true;
    return moves;
  }
  std::set<int> open(vacant.begin(), vacant.end());
  std::vector<int> lost, lost_children;    // indices into vac whose site is no longer vacant
  std::vector<char> dead(vac.size(), 0);   // entries that end in this update
  for (size_t i = 0; i < vac.size(); ++i) {
    if (open.erase(vac[i].site)) continue;    // still there
    (vac[i].parent ? lost_children : lost).push_back((int) i);
  }
  std::set<int> lost_child_set(lost_children.begin(), lost_children.end());

  // a lost vacancy moves to a newly vacant site or onto one of its children, nearest first
  // (ties by id, then site: deterministic); target < 0 encodes child index -(k+1)
  std::vector<std::tuple<double, long, int, int>> pairs;
  for (int i : lost) {
    for (int s : open) {
      const double r = distance(vac[i].site, s);
      if (r <= max_hop) pairs.emplace_back(r, vac[i].id, s, i);
    }
    for (size_t k = 0; k < vac.size(); ++k)
      if (vac[k].parent == vac[i].id && !lost_child_set.count((int) k))
        pairs.emplace_back(distance(vac[i].site, vac[k].site), vac[i].id, -(int) k - 1, i);
  }
  std::sort(pairs.begin(), pairs.end());
  std::set<int> used_vac, used_target;
  for (const auto &p : pairs) {
    const int i = std::get<3>(p), target = std::get<2>(p);
    if (used_vac.count(i) || used_target.count(target)) continue;
    used_vac.insert(i);
    used_target.insert(target);
    const int site = target >= 0 ? target : vac[-target - 1].site;
    if (target < 0) dead[-target - 1] = 1;    // the child was this hop in progress
    double dx[3];
    site_vector(f, vac[i].site, site, box, dx);
    for (int d = 0; d < 3; ++d) vac[i].pos[d] += dx[d];
    f(site, vac[i].sf);
    moves.push_back({vac[i].id, vac[i].site, site});
    vac[i].site = site;
    nhops++;
    if ((int) type_hops.size() <= vac[i].type) type_hops.resize(vac[i].type + 1, 0);
    type_hops[vac[i].type]++;
  }
  for (int i : lost)
    if (!used_vac.count(i)) {
      dead[i] = 1;
      nvanished++;
      last_vanished.push_back(vac[i].id);
      for (size_t k = 0; k < vac.size(); ++k)    // its children stand on their own now
        if (!dead[k] && vac[k].parent == vac[i].id) {
          auto &c = vac[k];
          c.parent = 0;
          nappeared++;
          last_appeared.push_back(c.id);
        }
    }
  for (int k : lost_children)    // the atom went back: a failed hop
    if (!dead[k]) {
      dead[k] = 1;
      nrecross++;
    }
  // drop what ended: nothing can change it any more (the order of the rest is kept)
  size_t keep = 0;
  for (size_t k = 0; k < vac.size(); ++k)
    if (!dead[k]) vac[keep++] = vac[k];
  vac.resize(keep);
  for (int s : open) {
    if (used_target.count(s)) continue;
    // next to a living vacancy: a hop in progress; elsewhere: a new vacancy
    long parent = 0;
    double best = max_hop;
    for (const auto &v : vac)
      if (!v.parent) {
        const double r = distance(v.site, s);
        if (r <= best && (r < best || !parent || v.id < parent)) {
          best = r;
          parent = v.id;
        }
      }
    const long idv = born(s, parent);
    if (!parent) {
      last_appeared.push_back(idv);
      nappeared++;
    }
  }
  // a hop in progress that has lasted longer than a hop is a vacancy of its own
  for (auto &c : vac)
    if (c.parent && time - c.born > hop_time) {
      c.parent = 0;
      nappeared++;
      last_appeared.push_back(c.id);
    }
  return moves;
}

const TrackedVacancy *VacancyTracker::find(long id) const
{
  for (const auto &v : vac)
    if (v.id == id) return &v;
  return nullptr;
}

long VacancyTracker::alive() const
{
  long n = 0;
  for (const auto &v : vac) n += !v.parent;
  return n;
}

double VacancyTracker::msd() const
{
  double s = 0.0;
  long n = 0;
  for (const auto &v : vac) {
    if (v.parent) continue;
    for (int d = 0; d < 3; ++d) s += (v.pos[d] - v.origin[d]) * (v.pos[d] - v.origin[d]);
    n++;
  }
  return n ? s / n : 0.0;
}

std::vector<double> VacancyTracker::pack() const
{
  // LAYOUT4 first: the hops by type follow the counts, and entries carry their birth time, site
  // position and type (LAYOUT3: no types; LAYOUT2: the time only; an older layout starts with 0 or 1)
  std::vector<double> b = {LAYOUT4, (double) started, (double) next_id, (double) nhops, (double) nappeared,
                           (double) nvanished, (double) nrecross, (double) type_hops.size()};
  b.insert(b.end(), type_hops.begin(), type_hops.end());
  b.push_back((double) vac.size());
  for (const auto &v : vac) {
    b.insert(b.end(), {(double) v.id, (double) v.site, (double) v.parent, v.born});
    b.insert(b.end(), v.pos, v.pos + 3);
    b.insert(b.end(), v.origin, v.origin + 3);
    b.insert(b.end(), v.sf, v.sf + 3);
    b.push_back((double) v.type);
  }
  return b;
}

void VacancyTracker::unpack(const std::vector<double> &buf)
{
  const bool layout4 = !buf.empty() && buf[0] == LAYOUT4;
  const bool layout3 = layout4 || (!buf.empty() && buf[0] == LAYOUT3);
  const bool layout2 = layout3 || (!buf.empty() && buf[0] == LAYOUT2);
  const double *b = buf.data() + (layout2 ? 1 : 0);
  started = b[0] != 0.0;
  next_id = (long) b[1];
  nhops = (long) b[2];
  nappeared = (long) b[3];
  nvanished = (long) b[4];
  nrecross = (long) b[5];
  size_t k = 6;
  type_hops.assign(1, nhops);    // an older layout: every hop of type 0
  if (layout4) {
    type_hops.resize((size_t) b[k++]);
    for (long &h : type_hops) h = (long) b[k++];
  }
  vac.resize((size_t) b[k++]);
  for (auto &v : vac) {
    v.id = (long) b[k++];
    v.site = (int) b[k++];
    v.parent = (long) b[k++];
    v.born = layout2 ? b[k++] : 0.0;
    for (int d = 0; d < 3; ++d) v.pos[d] = b[k++];
    for (int d = 0; d < 3; ++d) v.origin[d] = b[k++];
    for (int d = 0; d < 3; ++d) v.sf[d] = layout3 ? b[k++] : std::nan("");
    v.type = layout4 ? (int) b[k++] : 0;
  }
}

LineFit fit_line(const std::vector<double> &t, const std::vector<double> &y)
{
  LineFit r;
  r.n = (long) t.size();
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

void RunningLine::add(double t, double y)
{
  n += 1.0;
  const double dt = t - mt, dy = y - my;
  mt += dt / n;
  my += dy / n;
  ctt += dt * (t - mt);
  cty += dt * (y - my);
  cyy += dy * (y - my);
}

LineFit RunningLine::fit() const
{
  LineFit r;
  r.n = (long) n;
  if (r.n < 2 || ctt <= 0.0) return r;
  r.slope = cty / ctt;
  if (r.n > 2) r.slope_error = std::sqrt(std::max(0.0, cyy - cty * r.slope) / (n - 2.0) / ctt);
  return r;
}

void RunningLine::pack(double *b) const
{
  const double v[NPACK] = {n, mt, my, ctt, cty, cyy};
  std::copy(v, v + NPACK, b);
}

void RunningLine::unpack(const double *b)
{
  n = b[0];
  mt = b[1];
  my = b[2];
  ctt = b[3];
  cty = b[4];
  cyy = b[5];
}

void MsdSeries::add(double t, double y)
{
  if (has_last && t != last_t) {
    done_max = done.n > 0.0 ? std::max(done_max, last_y) : last_y;
    done.add(last_t, last_y);
  }
  has_last = true;
  last_t = t;
  last_y = y;
}

LineFit MsdSeries::fit() const
{
  RunningLine all = done;
  if (has_last) all.add(last_t, last_y);
  return all.fit();
}

double MsdSeries::max() const
{
  if (!has_last) return 0.0;
  return done.n > 0.0 ? std::max(done_max, last_y) : last_y;
}

void MsdSeries::pack(double *b) const
{
  done.pack(b);
  double *p = b + RunningLine::NPACK;
  p[0] = done_max;
  p[1] = has_last ? 1.0 : 0.0;
  p[2] = last_t;
  p[3] = last_y;
}

void MsdSeries::unpack(const double *b)
{
  done.unpack(b);
  const double *p = b + RunningLine::NPACK;
  done_max = p[0];
  has_last = p[1] != 0.0;
  last_t = p[2];
  last_y = p[3];
}

double he2018_rsd(double n_ions, double msd_max, double d_site)
{
  const double njump = n_ions * msd_max / (d_site * d_site);
  return njump > 0.0 ? 3.43 / std::sqrt(njump) + 0.04 : 0.0;
}

void VibrationMaps::reset(int nv_, int ns_, double rv, double rs)
{
  nv = nv_;
  ns = ns_;
  rv_max = rv;
  rs_max = rs;
  counts.assign(2 * (size_t) nv * ns, 0.0);
}

void VibrationMaps::add(const double *more)
{
  for (size_t k = 0; k < counts.size(); ++k) counts[k] += more[k];
}

void VibrationMaps::write(FILE *out, const std::vector<double> &summed) const
{
  const size_t n = (size_t) nv * ns;
  double snn = 0, sother = 0;
  for (size_t k = 0; k < n; ++k) {
    snn += summed[k];
    sother += summed[n + k];
  }
  std::fprintf(out,
               "# USER-MLIPEVAL fix vacancy/track vibration maps: counts of (r_v, r_s) samples\n"
               "# r_v = distance from the atom to the nearest vacant site, r_s = distance to its own site\n"
               "# nn = atoms whose site is a nearest-neighbour site of a vacancy; other = all other atoms\n"
               "# grid %d %d range %.15g %.15g samples_nn %.15g samples_other %.15g\n"
               "# r_v r_s count_nn count_other   (bin centres; r_s runs fastest)\n",
               nv, ns, rv_max, rs_max, snn, sother);
  for (int iv = 0; iv < nv; ++iv)
    for (int is = 0; is < ns; ++is)
      std::fprintf(out, "%.6g %.6g %.0f %.0f\n", (iv + 0.5) * rv_max / nv, (is + 0.5) * rs_max / ns,
                   summed[(size_t) iv * ns + is], summed[n + (size_t) iv * ns + is]);
}

void DiffusionRecord::sample(const VacancyTracker &t, double time, double atom_msd, double natoms, double d_site)
{
  const double mv = t.msd(), alive = (double) t.alive();
  vac.add(time, mv);
  atoms.add(time, atom_msd);
  const LineFit fv = vac.fit(), fa = atoms.fit();
  fig[ALIVE] = alive;
  fig[HOPS] = (double) t.hops();
  fig[HOP_RATE] = time > 0.0 ? t.hops() / time : 0.0;
  fig[VAC_MSD] = mv;
  fig[VAC_D] = fv.slope / 6.0;
  fig[VAC_RSD] = he2018_rsd(std::max(alive, 1.0), vac.max(), d_site);
  fig[VAC_D_ERROR] = fv.slope_error / 6.0;
  fig[ATOM_MSD] = atom_msd;
  fig[ATOM_D] = fa.slope / 6.0;
  fig[ATOM_RSD] = he2018_rsd(natoms, atoms.max(), d_site);
  fig[ATOM_D_ERROR] = fa.slope_error / 6.0;
  fig[APPEARED] = (double) t.appeared();
  fig[VANISHED] = (double) t.vanished();
}

void DiffusionRecord::set_figures(const double *f)
{
  for (int k = 0; k < NFIGURES; ++k) fig[k] = f[k];
}

void DiffusionRecord::pack_fits(double *b) const
{
  vac.pack(b);
  atoms.pack(b + MsdSeries::NPACK);
}

void DiffusionRecord::unpack_fits(const double *b)
{
  vac.unpack(b);
  atoms.unpack(b + MsdSeries::NPACK);
}

std::vector<double> pack_track_restart(const VacancyTracker &t, const DiffusionRecord &r, const TrackRestart &s)
{
  const std::vector<double> tp = t.pack();
  std::vector<double> buf = {(double) tp.size()};
  buf.insert(buf.end(), tp.begin(), tp.end());
  buf.insert(buf.end(), {(double) s.step0, (double) s.have_x0, s.d_site});
  double fits[DiffusionRecord::NPACK_FITS];
  r.pack_fits(fits);
  buf.insert(buf.end(), fits, fits + DiffusionRecord::NPACK_FITS);
  buf.insert(buf.end(), {(double) s.nv, (double) s.ns});
  buf.insert(buf.end(), s.maps.begin(), s.maps.end());
  buf.insert(buf.end(), r.figures(), r.figures() + DiffusionRecord::NFIGURES);
  return buf;
}

void unpack_track_restart(const double *b, VacancyTracker &t, DiffusionRecord &r, TrackRestart &s)
{
  size_t k = 0;
  const size_t nt = (size_t) b[k++];
  t.unpack(std::vector<double>(b + k, b + k + nt));
  k += nt;
  s.step0 = (long) b[k++];
  s.have_x0 = (int) b[k++];
  s.d_site = b[k++];
  r.unpack_fits(b + k);
  k += DiffusionRecord::NPACK_FITS;
  s.nv = (int) b[k++];
  s.ns = (int) b[k++];
  s.maps.assign(b + k, b + k + 2 * (size_t) s.nv * s.ns);
  k += s.maps.size();
  r.set_figures(b + k);
}

std::string trajectory_header()
{
  return "# USER-MLIPEVAL fix vacancy/track: vacancy trajectories and hop events\n"
         "# VAC step time id site xu yu zu   (each living vacancy, unwrapped position)\n"
         "# HOP step time atom from_site to_site vacancy_id   (the atom moved from_site -> to_site)\n"
         "# NEW step time id site            (a vacancy appeared)\n"
         "# GONE step time id                (a vacancy vanished)\n"
         "# sites are 1-based as in compute re/atom\n";
}

std::string trajectory_lines(long step, double time, const std::vector<VacancyMove> &moves,
                             const std::vector<long> &atoms, const VacancyTracker &t)
{
  std::string out;
  char line[256];
  for (size_t k = 0; k < moves.size(); ++k) {
    std::snprintf(line, sizeof line, "HOP %ld %.6g %ld %d %d %ld\n", step, time, atoms[k], moves[k].to + 1,
                  moves[k].from + 1, (long) moves[k].vacancy);
    out += line;
  }
  for (long idv : t.last_vanished) {
    std::snprintf(line, sizeof line, "GONE %ld %.6g %ld\n", step, time, idv);
    out += line;
  }
  for (long idv : t.last_appeared) {
    const TrackedVacancy *v = t.find(idv);
    if (!v) continue;
    std::snprintf(line, sizeof line, "NEW %ld %.6g %ld %d\n", step, time, (long) v->id, v->site + 1);
    out += line;
  }
  for (const auto &v : t.vacancies()) {
    std::snprintf(line, sizeof line, "VAC %ld %.6g %ld %d %.10g %.10g %.10g\n", step, time, (long) v.id, v.site + 1,
                  v.pos[0], v.pos[1], v.pos[2]);
    out += line;
  }
  return out;
}

}    // namespace mlipeval
