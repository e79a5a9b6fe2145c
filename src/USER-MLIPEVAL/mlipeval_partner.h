/* -*- c++ -*- ----------------------------------------------------------
   USER-MLIPEVAL: how a partner style (fix vacancy/track, fix force/reference, compute
   interstitial/type and their /kk variants) names and finds its compute re/atom: one parse of
   the "re c_ID" value and one lookup, with one set of error messages.
------------------------------------------------------------------------- */

#ifndef LMP_MLIPEVAL_PARTNER_H
#define LMP_MLIPEVAL_PARTNER_H

#include "compute_re_atom.h"
#include "error.h"
#include "mlipeval_compat.h"

#include <cstring>
#include <string>

namespace LAMMPS_NS {
namespace mlipeval_partner {

// who: "Fix vacancy/track", "Compute interstitial/type/kk", ... as the messages start
// The ID in the value of keyword re, which must be c_ID.
inline std::string re_id(Error *error, const std::string &who, const char *value)
{
  if (std::strncmp(value, "c_", 2) != 0 || value[2] == '\0')
    error->all(FLERR, "{}: re value '{}' must be c_ID of a compute re/atom", who, value);
  return value + 2;
}

// The compute re/atom (or a variant) with that ID, at init().
inline ComputeREAtom *find_re_atom(Modify *modify, Error *error, const std::string &who, const std::string &id)
{
  Compute *c = mlipeval_compat::compute_by_id(modify, id);
  if (!c) error->all(FLERR, "{}: compute {} for keyword re does not exist", who, id);
  auto *cre = dynamic_cast<ComputeREAtom *>(c);
  if (!cre) error->all(FLERR, "{}: compute {} is style {}, not re/atom", who, id, c->style);
  return cre;
}

// Per-species sublattices: how many the compute re/atom with that ID has when the partner is
// defined (0 when it has none or does not exist yet), for the size of the partner's global array;
// and the check at init() that it still has that many.
inline int sublattices_of(Modify *modify, const std::string &id)
{
  auto *c = dynamic_cast<ComputeREAtom *>(mlipeval_compat::compute_by_id(modify, id));
  return c ? c->site_set().ntypes() : 0;
}
inline void check_sublattices(Error *error, const std::string &who, const ComputeREAtom *cre, int rows)
{
  if (cre->site_set().ntypes() != rows)
    error->all(FLERR, "{}: compute {} now has {} sublattices, not the {} this style was defined with", who, cre->id,
               cre->site_set().ntypes(), rows);
}

// A Kokkos partner reads the results on its device: the compute must be the Kokkos variant
// of the same execution space (KK: ComputeREAtomKokkos<DeviceType>).
template <class KK> KK *kokkos_re_atom(Error *error, const std::string &who, ComputeREAtom *cre)
{
  auto *kk = dynamic_cast<KK *>(cre);
  if (!kk)
    error->all(FLERR, "{}: compute {} for keyword re is style {}; it needs re/atom/kk in the same execution space",
               who, cre->id, cre->style);
  return kk;
}

// A partner fix may take compute re/atom's own keywords (sites, migrate, vacancy, near) and make
// that compute itself.  True when args is at one of them: it and its values, which the compute
// checks, are appended to re_args and args steps past them.
bool take_re_keyword(class MlipevalArgs &args, std::string &re_args);

// The compute of a partner fix: re_id when keyword re gave one (then re_args must be empty), else
// one made of re_args (which needs sites) in the fix's group, with ID FIXID_re.  Returns whether
// the fix made it (it deletes it when it goes).
bool make_re_atom(LAMMPS *lmp, const std::string &who, const Fix *fix, std::string &re_id, const std::string &re_args);

}    // namespace mlipeval_partner
}    // namespace LAMMPS_NS

#endif
