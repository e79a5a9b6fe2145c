/* ----------------------------------------------------------------------
   USER-MLIPEVAL: the vibration maps of fix vacancy/track
------------------------------------------------------------------------- */

#include "mlipeval_vibration.h"

#include "atom.h"
#include "comm.h"
#include "compute_re_atom.h"
#include "error.h"
#include "mlipeval_args.h"

#include "core/re_analysis.h"
#include "core/size_check.h"

#include <climits>

using namespace LAMMPS_NS;
using namespace mlipeval;

bool MlipevalVibration::take(MlipevalArgs &args)
{
  if (args.key() == "vgrid") {
    args.need(2);
    // two maps of nv x ns counts, this rank's and the sum, indexed by int
    nv = args.positive_int(1);
    ns = args.positive_int(2);
    const std::string big = too_big(2.0 * 2.0 * 8.0 * nv * ns, 2.0 * nv * ns, INT_MAX);
    if (!big.empty()) error->all(FLERR, "{}: vgrid {} {} {}", args.name(), args.value(1), args.value(2), big);
    args.next(2);
    return true;
  }
  return args.take_text("vibration", file) || args.take_positive("vrange", rv_max, rs_max);
}

// (r_v, r_s) of each atom, into the map of vacancy neighbours (own site one site spacing from a
// vacant site) or into the map of the other atoms
void MlipevalVibration::accumulate(ComputeREAtom *cre, int bits, const Box &b, double d_site)
{
  if (cre->vacant_sites().empty()) return;
  SparseSet vs;
  vs.build(cre->vacant_positions(), b);
  const SparseView vac = vs.sparse_view();
  const auto res = cre->results();
  const VibrationGrid g = grid(d_site);
  const SiteFinder finder = cre->site_set().finder();    // once: the loop asks it for each atom's site
  for (int i = 0; i < atom->nlocal; ++i) {
    if ((atom->mask[i] & bits) != bits) continue;
    const int site = res.site(i);
    if (site < 0) continue;
    maps.add(vibration_cell_on_site(g, finder, vac.grid, vac.r0, b, site, res.r_vacancy(i), res.d1(i)));
  }
}

std::vector<double> MlipevalVibration::summed()
{
  std::vector<double> all(maps.values().size());
  MPI_Reduce(maps.values().data(), all.data(), (int) all.size(), MPI_DOUBLE, MPI_SUM, 0, world);
  return all;
}

void MlipevalVibration::write()
{
  const std::vector<double> all = summed();
  if (comm->me != 0) return;
  FILE *out = fopen(file.c_str(), "w");
  if (!out) error->one(FLERR, "Fix vacancy/track: cannot write vibration file {}: {}", file, utils::getsyserror());
  maps.write(out, all);
  fclose(out);
}
