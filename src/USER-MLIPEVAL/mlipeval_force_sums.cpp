/* ----------------------------------------------------------------------
   USER-MLIPEVAL: the running sums of fix force/reference
------------------------------------------------------------------------- */

#include "mlipeval_force_sums.h"

#include "comm.h"
#include "error.h"
#include "mlipeval_restart.h"

using namespace LAMMPS_NS;
using namespace mlipeval;

void MlipevalForceSums::sum_over_ranks(SubsetStats &s, MPI_Comm comm)
{
  std::vector<double> part = s.pack(), sum(part.size());
  MPI_Allreduce(part.data(), sum.data(), (int) part.size(), MPI_DOUBLE, MPI_SUM, comm);
  s.unpack(sum.data());
}

const SubsetStats &MlipevalForceSums::summed(long evals)
{
  if (summed_at != evals) {
    all = mine;
    sum_over_ranks(all, world);
    summed_at = evals;
  }
  return all;
}

double MlipevalForceSums::vector(int n, long evals)
{
  double fig[ForceStats::NFIGURES];
  summed(evals)[n / ForceStats::NFIGURES].figures(fig);
  return fig[n % ForceStats::NFIGURES];
}

// columns: upper bin edge of |dF|, of dtheta, then CDF(|dF|), CDF(dtheta) for re, near, other, all
double MlipevalForceSums::array(int row, int col, long evals)
{
  if (col == 0) return row < cfg.nbins_f ? (row + 1) * cfg.range_f / cfg.nbins_f : 0.0;
  if (col == 1) return row < cfg.nbins_t ? (row + 1) * cfg.range_t / cfg.nbins_t : 0.0;
  const ForceStats &s = summed(evals)[(col - 2) / 2];
  const std::vector<double> cdf = (col % 2 == 0) ? s.cdf_f() : s.cdf_theta();
  return row < (int) cdf.size() ? cdf[row] : 0.0;
}

void MlipevalForceSums::write_summary(const std::string &file, long evals)
{
  const SubsetStats &s = summed(evals);
  if (comm->me != 0) return;
  FILE *fp = fopen(file.c_str(), "w");
  if (!fp) error->one(FLERR, "Fix force/reference: cannot write summary file {}: {}", file, utils::getsyserror());
  fputs(s.json(evals).c_str(), fp);
  fclose(fp);
}

void MlipevalForceSums::warn_undefined(long evals)
{
  const SubsetStats &s = summed(evals);
  std::string none;
  for (int k = 0; k < NSUBSETS; ++k)
    if (s[k].n() > 0 && s[k].n_theta() == 0) none += std::string(none.empty() ? "" : " ") + subset_name(k);
  if (!none.empty() && comm->me == 0)
    error->warning(FLERR,
                   "Fix force/reference: no atom of subset(s) {} has both forces above fzero {}: NAC(dtheta), P "
                   "and the angle fractions are undefined (-1)",
                   none, cfg.zero_force);
}

void MlipevalForceSums::write_restart(FILE *fp, std::vector<double> head, long evals)
{
  const std::vector<double> s = summed(evals).pack();
  if (comm->me != 0) return;
  head.insert(head.end(), s.begin(), s.end());
  mlipeval_write_restart(fp, head);
}

// the sums live on rank 0 only, so that the reduction over ranks counts them once
void MlipevalForceSums::restart(const double *sums)
{
  if (comm->me == 0) mine.unpack(sums);
  else mine.clear();
  summed_at = -1;
}
