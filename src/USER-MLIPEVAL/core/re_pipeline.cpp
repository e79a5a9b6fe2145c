#include "re_pipeline.h"

#include <algorithm>

namespace mlipeval {

void RePipeline::run(SiteSet &sites, const Box &b, RePasses &passes, ReComm &comm)
{
  sites.refresh(b);    // follows NPT: rebuilds the search only when the box strained too far
  const int nsites = sites.size();
  tally.assign(2 * (size_t) nsites, 0);
  re_local.clear();
  totals[0] = totals[1] = 0;
  passes.locate(sites.finder(), b, tally.data(), tally.data() + nsites, re_local, totals);
  comm.sum(tally.data(), (long) tally.size());
  comm.sum(totals, 2);
  counts = count_sites(tally.data(), tally.data() + nsites, nsites, vacant_sites, crowded_sites);
  passes.sites_counted(crowded_sites);
  // every rank needs every RE atom: a near-RE neighbour may live on another rank
  re_all = comm.gather(re_local);
  vac_set.build(sites.positions(vacant_sites), b);
  re_set.build(re_all, b);
  passes.finish(vac_set.sparse_view(), re_set.sparse_view(), b);
}

size_t RePipeline::bytes() const
{
  return tally.capacity() * sizeof(int) + (vacant_sites.capacity() + crowded_sites.capacity()) * sizeof(int) +
      (re_local.capacity() + re_all.capacity()) * sizeof(double) + vac_set.bytes() + re_set.bytes();
}

}    // namespace mlipeval
