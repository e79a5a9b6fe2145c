/* ----------------------------------------------------------------------
   USER-MLIPEVAL: a partner fix's own compute re/atom
------------------------------------------------------------------------- */

#include "mlipeval_partner.h"

#include "fix.h"
#include "group.h"
#include "mlipeval_args.h"
#include "mlipeval_sites.h"
#include "modify.h"

using namespace LAMMPS_NS;

bool mlipeval_partner::take_re_keyword(MlipevalArgs &args, std::string &re_args)
{
  const std::string key = args.key();
  const bool list = key == "types" || key == "elements";
  if (key != "sites" && key != "migrate" && key != "vacancy" && key != "near" && !list) return false;
  if (!list) args.need(1);
  const int n = key == "sites" ? MlipevalSites::nvalues(args.value()) : (list ? MlipevalSites::list_values(args) : 1);
  args.need(n);
  for (int k = 0; k <= n; ++k) re_args += std::string(" ") + args.value(k);
  args.next(n);
  return true;
}

bool mlipeval_partner::make_re_atom(LAMMPS *lmp, const std::string &who, const Fix *fix, std::string &re_id,
                                    const std::string &re_args)
{
  if (!re_id.empty() && !re_args.empty())
    lmp->error->all(FLERR, "{}: give either re c_ID or the compute re/atom keywords, not both", who);
  if (!re_id.empty()) return false;
  if (re_args.find(" sites ") == std::string::npos)
    lmp->error->all(FLERR, "{}: needs re c_ID or a sites keyword (as compute re/atom)", who);
  // the same sites and vacancy rule as compute re/atom, through a compute of the fix's own
  re_id = std::string(fix->id) + "_re";
  lmp->modify->add_compute(fmt::format("{} {} re/atom{}", re_id, lmp->group->names[fix->igroup], re_args));
  return true;
}
