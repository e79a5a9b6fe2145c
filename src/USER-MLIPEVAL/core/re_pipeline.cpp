#include "re_pipeline.h"

#include <algorithm>

namespace mlipeval {

namespace {
// sites by increasing index, each with its position (3 values) and its type (each when given)
void sort_with_positions(std::vector<int> &site, std::vector<double> &pos, std::vector<int> &type)
{
  std::vector<int> order(site.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = (int) k;
  std::sort(order.begin(), order.end(), [&site](int a, int b) { return site[a] < site[b]; });
  std::vector<int> s(site.size()), t(type.size());
  std::vector<double> p(pos.size());
  for (size_t k = 0; k < order.size(); ++k) {
    s[k] = site[order[k]];
    if (!type.empty()) t[k] = type[order[k]];
    for (int d = 0; d < 3 && !pos.empty(); ++d) p[3 * k + d] = pos[3 * (size_t) order[k] + d];
  }
  site.swap(s);
  pos.swap(p);
  type.swap(t);
}
}    // namespace

void RePipeline::run(SiteSet &sites, const Box &b, const Subdomain &sub, RePasses &passes, ReComm &comm)
{
  sites.refresh(b);    // follows NPT: rebuilds the search only when the box strained too far
  tally.assign(sites, sub, b);
  const TallyView t = tally.clear();
  const SiteFinder f = sites.finder();
  re_local.clear();
  re_type_local.clear();
  totals[0] = totals[1] = 0;
  const FinishSets last{vac_set.sparse_view(), re_set.sparse_view()};
  // guess only when the last call's sets were those of the call before: with RE atoms about, their
  // positions change every call, and finishing against the last sets would be work thrown away
  const bool guessed = have_sets && sets_held && passes.finishes_ahead();
  passes.locate(f, b, t, re_local, re_type_local, totals, guessed ? &last : nullptr);
  if (!sub.whole && !tally.folds()) passes.ghosts(f, b, t, ghost_reach(sub, b));
  passes.tallied(t);
  lost_atoms = tally.fold(comm);
  counts = tally.count(sites, vacant_sites, crowded_sites);
  vacant_frac = sites.positions(vacant_sites);    // this rank's own sites: it keeps them
  const int ntypes = sites.ntypes();
  vacant_type.clear();
  crowded_type.clear();
  for (int i : vacant_sites)
    if (ntypes) vacant_type.push_back(site_type(f, i));
  for (int i : crowded_sites)
    if (ntypes) crowded_type.push_back(site_type(f, i));
  exchange(sub, ntypes, comm);
  passes.sites_counted(crowded_sites);
  // the first pass finished every atom against the last call's sets: when they are this call's
  // too (the same points, so the same distances), that is the answer
  sets_held = have_sets && vacant_frac == set_vac && re_all == set_re;
  if (!sets_held) {
    set_vac = vacant_frac;
    set_re = re_all;
    vac_set.build(set_vac, b);
    re_set.build(set_re, b);
    have_sets = true;
  }
  if (!guessed || !sets_held) {
    second_passes++;
    passes.finish(vac_set.sparse_view(), re_set.sparse_view(), b);
  }
  passes.finished();
}

// One exchange for the whole call (an allgather, with its sizes): each rank sends its counts and
// lists (defects only) in one segment; every rank sums the counts and joins the lists, the vacant
// and crowded sites by increasing index, the RE atoms in rank order, as separate sums and gathers
// would give them.  Segment: 5 counts, the numbers of vacant sites, crowded sites and RE atoms,
// then the vacant sites, their positions (3 each), the crowded sites, the RE atoms' positions (3
// each) and, with sublattices, the types of the vacant sites, the crowded sites and the RE atoms.
// The lost atoms' count (see lost()) follows the lists.  Indices and counts travel as doubles,
// exact below 2^53.
void RePipeline::exchange(const Subdomain &sub, int ntypes, ReComm &comm)
{
  std::vector<double> mine = {(double) totals[0],
                              (double) totals[1],
                              (double) counts.vacancies,
                              (double) counts.ws_vacancies,
                              (double) counts.ws_interstitials,
                              (double) vacant_sites.size(),
                              (double) crowded_sites.size(),
                              (double) re_type_local.size()};
  mine.insert(mine.end(), vacant_sites.begin(), vacant_sites.end());
  mine.insert(mine.end(), vacant_frac.begin(), vacant_frac.end());
  mine.insert(mine.end(), crowded_sites.begin(), crowded_sites.end());
  mine.insert(mine.end(), re_local.begin(), re_local.end());
  if (ntypes) {
    mine.insert(mine.end(), vacant_type.begin(), vacant_type.end());
    mine.insert(mine.end(), crowded_type.begin(), crowded_type.end());
    mine.insert(mine.end(), re_type_local.begin(), re_type_local.end());
  }
  mine.push_back((double) lost_atoms);
  const std::vector<double> all = sub.whole ? mine : comm.gather(mine);
  long c[5] = {0, 0, 0, 0, 0};
  vacant_sites.clear();
  vacant_frac.clear();
  vacant_type.clear();
  crowded_sites.clear();
  crowded_type.clear();
  re_all.clear();
  vac_by_type.assign(ntypes ? ntypes + 1 : 0, 0);
  re_by_type_.assign(ntypes ? ntypes + 1 : 0, 0);
  lost_atoms = 0;
  for (size_t at = 0; at < all.size();) {    // each rank's segment in turn
    const double *h = &all[at];
    for (int k = 0; k < 5; ++k) c[k] += (long) h[k];
    const size_t nv = (size_t) h[5], nc = (size_t) h[6], nr = (size_t) h[7];
    const double *p = h + 8;
    auto ints = [&p](std::vector<int> &to, size_t n) {
      for (size_t k = 0; k < n; ++k) to.push_back((int) p[k]);
      p += n;
    };
    auto reals = [&p](std::vector<double> &to, size_t n) {
      to.insert(to.end(), p, p + n);
      p += n;
    };
    ints(vacant_sites, nv);
    reals(vacant_frac, 3 * nv);
    ints(crowded_sites, nc);
    reals(re_all, 3 * nr);
    if (ntypes) {
      ints(vacant_type, nv);
      ints(crowded_type, nc);
      // an RE atom has sites of its type, so its type is at most ntypes
      for (size_t k = 0; k < nr; ++k) re_by_type_[(int) p[k]]++;
      p += nr;
    }
    lost_atoms += (long) *p++;
    at = p - all.data();
  }
  totals[0] = c[0];
  totals[1] = c[1];
  counts.vacancies = c[2];
  counts.ws_vacancies = c[3];
  counts.ws_interstitials = c[4];
  if (!sub.whole) {    // (one rank's lists are in order already)
    sort_with_positions(vacant_sites, vacant_frac, vacant_type);
    std::vector<double> none;
    sort_with_positions(crowded_sites, none, crowded_type);
  }
  // sublattices: the vacancies of each type from the list every rank now holds (O(defects))
  for (int type : vacant_type) vac_by_type[type]++;
}

void RePipeline::global_counts(int nsites, double v[NGLOBAL], double **by_type) const
{
  const double all[NGLOBAL] = {(double) totals[0],         (double) counts.vacancies,
                               (double) totals[1],         (double) counts.ws_vacancies,
                               (double) counts.ws_interstitials, (double) nsites};
  std::copy(all, all + NGLOBAL, v);
  for (size_t t = 1; by_type && t < vac_by_type.size(); ++t) {
    by_type[t - 1][0] = (double) vac_by_type[t];
    by_type[t - 1][1] = (double) re_by_type_[t];
  }
}

size_t RePipeline::bytes() const
{
  return tally.bytes() + (vacant_sites.capacity() + vacant_type.capacity() + crowded_sites.capacity() + crowded_type.capacity()) * sizeof(int) +
      (vacant_frac.capacity() + re_local.capacity() + re_all.capacity() + set_vac.capacity() + set_re.capacity()) *
      sizeof(double) + vac_set.bytes() + re_set.bytes();
}

}    // namespace mlipeval
