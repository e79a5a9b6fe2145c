/* -*- c++ -*- ----------------------------------------------------------
   USER-MLIPEVAL: the (r_v, r_s) vibration maps of fix vacancy/track (keywords vgrid, vrange,
   vibration): this rank's counts, the host pass that adds to them, and the file of the counts
   summed over all ranks.  fix vacancy/track/kk adds to the same maps from the device.
------------------------------------------------------------------------- */

#ifndef LMP_MLIPEVAL_VIBRATION_H
#define LMP_MLIPEVAL_VIBRATION_H

#include "pointers.h"

#include "core/diffusion.h"

#include <string>
#include <vector>

namespace LAMMPS_NS {

class MlipevalVibration : protected Pointers {
 public:
  explicit MlipevalVibration(LAMMPS *lmp) : Pointers(lmp) {}
  // args at vgrid, vrange or vibration: read the values and step past them; false otherwise
  bool take(class MlipevalArgs &args);
  void reset() { maps.reset(nv, ns, rv_max, rs_max); }
  bool wanted() const { return !file.empty(); }
  mlipeval::VibrationGrid grid(double d_site) const { return {nv, ns, rv_max, rs_max, d_site}; }
  // the host pass: each owned atom in both groups (bits) into the map cell of its site
  void accumulate(class ComputeREAtom *cre, int bits, const mlipeval::Box &b, double d_site);
  // every rank's counts, on rank 0
  std::vector<double> summed();
  void write();    // the file (rank 0), of summed()
  double bytes() const { return 2.0 * nv * ns * sizeof(double); }

  int nv = 50, ns = 50;
  mlipeval::VibrationMaps maps;    // this rank's counts

 private:
  double rv_max = 6.0, rs_max = 1.0;
  std::string file;
};

}    // namespace LAMMPS_NS

#endif
