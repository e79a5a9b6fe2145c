/* ----------------------------------------------------------------------
   USER-MLIPEVAL: compute force/error
------------------------------------------------------------------------- */

#include "compute_force_error.h"

#include "atom.h"
#include "mlipeval_compat.h"
#include "error.h"
#include "memory.h"
#include "modify.h"
#include "update.h"

#include "fix_force_reference.h"
#include "mlipeval_force_sums.h"

using namespace LAMMPS_NS;
using namespace mlipeval;

ComputeForceError::ComputeForceError(LAMMPS *lmp, int narg, char **arg) :
    Compute(lmp, narg, arg), fix(nullptr), nmax(0), errors(nullptr), figures(nullptr)
{
  if (narg != 4) error->all(FLERR, "Compute force/error: needs exactly one fix ID (compute ID group force/error fix-ID)");
  fix_id = arg[3];
  peratom_flag = 1;
  size_peratom_cols = 3;
  vector_flag = 1;
  size_vector = NSUBSETS * ForceStats::NFIGURES;
  extvector = 0;
  figures = new double[size_vector];
  for (int i = 0; i < size_vector; ++i) figures[i] = 0.0;
  vector = figures;
}

ComputeForceError::~ComputeForceError()
{
  if (copymode) return;
  memory->destroy(errors);
  delete[] figures;
}

void ComputeForceError::init()
{
  Fix *f = mlipeval_compat::fix_by_id(modify, fix_id);
  if (!f) error->all(FLERR, "Compute force/error: fix {} does not exist", fix_id);
  fix = dynamic_cast<FixForceReference *>(f);
  if (!fix) error->all(FLERR, "Compute force/error: fix {} is style {}, not force/reference", fix_id, f->style);
}

// the reference forces belong to one step: the one the fix last evaluated
void ComputeForceError::check_step()
{
  if (!fix) error->all(FLERR, "Compute force/error {} used before a run initialised it", id);
  if (fix->last_evaluation() != update->ntimestep)
    error->all(FLERR,
               "Compute force/error: fix {} has no reference forces for step {} (last evaluated at step {}); "
               "use the compute on the steps the fix evaluates",
               fix_id, update->ntimestep, fix->last_evaluation());
}

void ComputeForceError::compute_peratom()
{
  invoked_peratom = update->ntimestep;
  check_step();
  if (atom->nmax > nmax) {
    memory->destroy(errors);
    nmax = atom->nmax;
    memory->create(errors, nmax, 3, "force/error:errors");
    array_atom = errors;
  }
  const int *mask = atom->mask;
  for (int i = 0; i < atom->nlocal; ++i) {
    errors[i][0] = errors[i][1] = errors[i][2] = 0.0;
    if (!(mask[i] & groupbit) || !(mask[i] & fix->groupbit)) continue;
    const ForceError e = force_error(fix->predicted(i), fix->reference(i), fix->config().zero_force);
    errors[i][0] = e.dF;
    errors[i][1] = e.dtheta;
    errors[i][2] = e.dvec;
  }
}

void ComputeForceError::compute_vector()
{
  invoked_vector = update->ntimestep;
  check_step();
  SubsetStats step(fix->config());
  fix->accumulate_step(step, groupbit);
  MlipevalForceSums::sum_over_ranks(step, world);
  for (int s = 0; s < NSUBSETS; ++s) step[s].figures(figures + s * ForceStats::NFIGURES);
}

double ComputeForceError::memory_usage()
{
  return (double) nmax * 3 * sizeof(double);
}
