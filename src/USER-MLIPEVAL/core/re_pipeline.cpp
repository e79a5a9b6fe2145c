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
  tally.assign(sites, sub);
  const TallyView t = tally.clear();
  const SiteFinder f = sites.finder();
  re_local.clear();
  re_type_local.clear();
  totals[0] = totals[1] = 0;
  const FinishSets last{vac_set.sparse_view(), re_set.sparse_view()};
  const bool guessed = have_sets && passes.finishes_ahead();
  passes.locate(f, b, t, re_local, re_type_local, totals, guessed ? &last : nullptr);
  if (!sub.whole) {
    const double reach[3] = {sub.margin / b.width[0], sub.margin / b.width[1], sub.margin / b.width[2]};
    passes.ghosts(f, b, t, reach);
  }
  passes.tallied(t);
  counts = tally.count(sites, vacant_sites, crowded_sites);
  vacant_frac = sites.positions(vacant_sites);    // this rank's own sites: it keeps them
  const int ntypes = sites.ntypes();
  vacant_type.clear();
  crowded_type.clear();
  for (int i : vacant_sites)
    if (ntypes) vacant_type.push_back(site_type(f, i));
  for (int i : crowded_sites)
    if (ntypes) crowded_type.push_back(site_type(f, i));
  // the counts are sums over the ranks' own sites; the lists are short (defects only)
  long c[5] = {totals[0], totals[1], counts.vacancies, counts.ws_vacancies, counts.ws_interstitials};
  comm.sum(c, 5);
  totals[0] = c[0];
  totals[1] = c[1];
  counts.vacancies = c[2];
  counts.ws_vacancies = c[3];
  counts.ws_interstitials = c[4];
  if (!sub.whole) {
    vacant_sites = comm.gather(vacant_sites);
    vacant_frac = comm.gather(vacant_frac);
    if (ntypes) vacant_type = comm.gather(vacant_type);
    sort_with_positions(vacant_sites, vacant_frac, vacant_type);
    crowded_sites = comm.gather(crowded_sites);
    if (ntypes) crowded_type = comm.gather(crowded_type);
    std::vector<double> none;
    sort_with_positions(crowded_sites, none, crowded_type);
  }
  passes.sites_counted(crowded_sites);
  // every rank needs every RE atom: a near-RE neighbour may live on another rank
  re_all = comm.gather(re_local);
  // sublattices: the counts of each type from the lists every rank now holds (O(defects))
  vac_by_type.clear();
  re_by_type_.clear();
  if (ntypes) {
    vac_by_type.assign(ntypes + 1, 0);
    re_by_type_.assign(ntypes + 1, 0);
    for (int type : vacant_type) vac_by_type[type]++;
    // an RE atom has sites of its type, so its type is at most ntypes
    for (int type : re_type_local) re_by_type_[type]++;
    comm.sum(re_by_type_.data(), ntypes + 1);
  }
  // the first pass finished every atom against the last call's sets: when they are this call's
  // too (the same points, so the same distances), that is the answer
  if (!guessed || vacant_frac != set_vac || re_all != set_re) {
    set_vac = vacant_frac;
    set_re = re_all;
    vac_set.build(set_vac, b);
    re_set.build(set_re, b);
    have_sets = true;
    second_passes++;
    passes.finish(vac_set.sparse_view(), re_set.sparse_view(), b);
  }
  passes.finished();
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
