/* USER-MLIPEVAL: the LAMMPS API differences between the versions the plugin is built against
   (29 Sep 2021 stable, for the Kokkos tests, and 4 Feb 2025).  CMake detects each feature in
   the LAMMPS headers and defines MLIPEVAL_HAVE_<feature>; every branch says what changed. */
#ifndef LMP_MLIPEVAL_COMPAT_H
#define LMP_MLIPEVAL_COMPAT_H

#include "compute.h"
#include "domain.h"
#include "fix.h"
#include "modify.h"

#include <string>

namespace LAMMPS_NS {
namespace mlipeval_compat {

// Modify::get_compute_by_id() / get_fix_by_id() were added after the 29 Sep 2021 release;
// before, styles looked up an index with find_compute() / find_fix() and indexed the arrays.
inline Compute *compute_by_id(Modify *modify, const std::string &id)
{
#if defined(MLIPEVAL_HAVE_GET_BY_ID)
  return modify->get_compute_by_id(id);
#else
  const int i = modify->find_compute(id);
  return i < 0 ? nullptr : modify->compute[i];
#endif
}

inline Fix *fix_by_id(Modify *modify, const std::string &id)
{
#if defined(MLIPEVAL_HAVE_GET_BY_ID)
  return modify->get_fix_by_id(id);
#else
  const int i = modify->find_fix(id);
  return i < 0 ? nullptr : modify->fix[i];
#endif
}

// General triclinic boxes (Domain::triclinic_general) came with LAMMPS 2024; earlier boxes are
// always in the restricted form.
inline bool general_triclinic(const Domain *domain)
{
#if defined(MLIPEVAL_HAVE_TRICLINIC_GENERAL)
  return domain->triclinic_general != 0;
#else
  (void) domain;
  return false;
#endif
}

}    // namespace mlipeval_compat
}    // namespace LAMMPS_NS

// LAMMPS's Kokkos type names, for the Kokkos styles (which include kokkos_type.h first).
#if defined(MLIPEVAL_KOKKOS)
namespace mlipeval_kk {
// Per-atom outputs are doubles.  DAT::tdual_float_* hold KK_FLOAT, which LAMMPS releases after
// 29 Sep 2021 can build as single precision (the KOKKOS precision options); tdual_double_*
// exist in 29 Sep 2021 and 4 Feb 2025 alike and are always double.
typedef DAT::tdual_double_1d tdual_double_1d;
typedef DAT::tdual_double_2d tdual_double_2d;
}    // namespace mlipeval_kk
#endif

#endif
