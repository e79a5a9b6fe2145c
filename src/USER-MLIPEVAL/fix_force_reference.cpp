/* ----------------------------------------------------------------------
   USER-MLIPEVAL: fix force/reference
   The frames come through MlipevalFrameFeed (rank 0 reads, all ranks take their atoms); every
   rank scores its owned atoms into its own sums, which are reduced only when output asks for
   them.
------------------------------------------------------------------------- */

#include "fix_force_reference.h"

#include "atom.h"
#include "mlipeval_mpi.h"
#include "mlipeval_args.h"
#include "mlipeval_force_sums.h"
#include "mlipeval_frames.h"
#include "mlipeval_partner.h"
#include "comm.h"
#include "error.h"
#include "update.h"

#include "core/size_check.h"

#include <algorithm>
#include <climits>

using namespace LAMMPS_NS;
using namespace FixConst;
using namespace mlipeval;

/* ---------------------------------------------------------------------- */

FixForceReference::FixForceReference(LAMMPS *lmp, int narg, char **arg) :
    FixMlipevalRows(lmp, narg, arg), column("forces"), match(ORDER), by_id(-1), summary_every(0),
    last_eval(-1), nevals(0), skip_frames(0), cre(nullptr), nvalues(3),
    fref(nullptr)
{
  if (narg < 4) error->all(FLERR, "Fix force/reference: needs a file name (fix ID group force/reference FILE ...)");
  file = arg[3];
  format = ReferenceReader::guess(file);
  MlipevalArgs args(lmp, "Fix force/reference", narg, arg, 4);
  while (args.more()) {
    const std::string key = args.key();
    if (key == "predicted") {
      args.need(1);
      if (std::string(args.value()) == "column") {
        args.need(2);
        pred_column = args.value(2);
        args.next(2);
      } else {
        args.choice({"lammps", "column NAME"});
        pred_column.clear();
        args.next(1);
      }
    } else if (key == "bins") {
      args.need(2);
      cfg.nbins_f = args.positive_int(1);
      cfg.nbins_t = args.positive_int(2);
      // histograms of every subset, kept twice (this rank's and the sum), plus the CDF array
      const double nsums = (double) S_HIST + cfg.nbins_f + cfg.nbins_t + 2.0;
      const std::string big = too_big(8.0 * nsums * (2.0 * NSUBSETS + NCOLS), nsums, 0.25 * INT_MAX);
      if (!big.empty()) error->all(FLERR, "Fix force/reference: bins {} {} {}", args.value(1), args.value(2), big);
      args.next(2);
    } else if (key == "range") {
      args.need(2);
      cfg.range_f = args.positive(1);
      cfg.range_t = args.positive(2);
      if (cfg.range_t > 180.0)
        error->all(FLERR, "Fix force/reference: range angle value {} must be <= 180", args.value(2));
      args.next(2);
    } else if (key == "fzero") {
      args.need(1);
      cfg.zero_force = utils::numeric(FLERR, args.value(), false, lmp);
      if (cfg.zero_force < 0.0) error->all(FLERR, "Fix force/reference: fzero value {} must be >= 0", args.value());
      args.next(1);
    } else {
      const bool known =
          args.take("format", 1,
                    [&] { format = args.choice({"extxyz", "dump"}) ? ReferenceReader::DUMP : ReferenceReader::EXTXYZ; }) ||
          args.take("match", 1, [&] { match = args.choice({"order", "step"}) ? STEP : ORDER; }) ||
          args.take("atoms", 1, [&] { by_id = args.choice({"order", "id"}) ? 1 : 0; }) ||
          args.take_text("column", column) || args.take_text("summary", summary_file) ||
          args.take("re", 1, [&] { re_id = mlipeval_partner::re_id(error, args.name(), args.value()); }) ||
          args.take_positive_int("every", summary_every) || args.take_positive_int("nevery", nevery);
      if (!known) args.unknown();
    }
  }
  // an extxyz frame has no atom IDs: its i-th atom is atom ID i; a dump has an id column
  if (by_id < 0) by_id = format == ReferenceReader::DUMP ? 1 : 0;
  if (summary_every && summary_file.empty())
    error->all(FLERR, "Fix force/reference: keyword every needs a summary file");
  if (!pred_column.empty()) nvalues = 6;

  sums.reset(new MlipevalForceSums(lmp, cfg));

  // opened now, so that a missing or unreadable file stops at this command
  feed.reset(new MlipevalFrameFeed(lmp, "Fix force/reference", file, format, column, pred_column, match == STEP));

  peratom_flag = 1;
  size_peratom_cols = 3;
  peratom_freq = nevery;    // the per-atom array is set on the steps the fix evaluates
  vector_flag = 1;
  size_vector = NSUBSETS * ForceStats::NFIGURES;
  array_flag = 1;
  size_array_rows = std::max(cfg.nbins_f, cfg.nbins_t);
  size_array_cols = NCOLS;
  global_freq = 1;
  extvector = 0;
  extarray = 0;
  restart_global = 1;

  keep_rows(&fref, nvalues, "force/reference:fref", false, true);
}

/* ---------------------------------------------------------------------- */

FixForceReference::~FixForceReference()
{
  if (copymode) return;
  drop_rows();
}

int FixForceReference::setmask()
{
  return END_OF_STEP;
}

/* ---------------------------------------------------------------------- */

void FixForceReference::init()
{
  if (atom->map_style == Atom::MAP_NONE)
    error->all(FLERR, "Fix force/reference requires an atom map (atom_modify map array)");
  cre = nullptr;
  if (!re_id.empty()) {
    cre = mlipeval_partner::find_re_atom(modify, error, "Fix force/reference", re_id);
  }
  // after a restart: skip the frames the earlier run used
  if (skip_frames > 0) feed->skip(skip_frames);
  skip_frames = 0;
}

void FixForceReference::setup(int /*vflag*/)
{
  evaluate();
}

void FixForceReference::end_of_step()
{
  evaluate();
}

void FixForceReference::post_run()
{
  if (nevals == 0) return;
  if (!summary_file.empty()) sums->write_summary(summary_file, nevals);
  // a subset whose atoms have no force above fzero has no angle figures: said once per run
  sums->warn_undefined(nevals);
}

/* ----------------------------------------------------------------------
   once per timestep: rerun calls setup() and end_of_step() for each snapshot
------------------------------------------------------------------------- */

void FixForceReference::evaluate()
{
  const bigint step = update->ntimestep;
  if (step == last_eval) return;
  reference_to_host();    // the host writes the rows of a new frame, or keeps the last ones
  if (!feed->deliver(step, nevals, fref, nvalues, by_id)) return;    // match step: no frame now
  reference_updated();
  if (cre) cre->compute_peratom();    // analysed once per step and after every setup

  // predicted forces must be finite: report the lowest bad atom ID on every rank
  tagint bad = lowest_nonfinite(), badall;
  MPI_Allreduce(&bad, &badall, 1, MPI_LMP_TAGINT, MPI_MIN, world);
  if (badall != MAXTAGINT)
    error->all(FLERR, "Fix force/reference: predicted force of atom {} is NaN or Inf at step {}", badall, step);

  last_eval = step;
  accumulate_step(sums->local(), groupbit);
  nevals++;
  if (summary_every && nevals % summary_every == 0) sums->write_summary(summary_file, nevals);
}

tagint FixForceReference::lowest_nonfinite()
{
  tagint bad = MAXTAGINT;
  for (int i = 0; i < atom->nlocal; ++i) {
    if (!(atom->mask[i] & groupbit)) continue;
    const double *fp = predicted(i);
    if (!finite3(fp)) bad = std::min(bad, atom->tag[i]);
  }
  return bad;
}

void FixForceReference::accumulate_step(SubsetStats &s, int bits)
{
  const int *mask = atom->mask;
  const ReResults<HostRows> res = cre ? cre->results() : ReResults<HostRows>{{nullptr}};
  for (int i = 0; i < atom->nlocal; ++i) {
    if (!(mask[i] & groupbit) || !(mask[i] & bits)) continue;
    const int re = cre ? res.re(i) : 0, near = cre ? res.near_re(i) : 0;
    s.add(predicted(i), fref[i], re, near);
  }
}

const double *FixForceReference::predicted(int i) const
{
  return nvalues == 6 ? fref[i] + 3 : atom->f[i];
}

/* ---------------------------------------------------------------------- */

double FixForceReference::compute_vector(int n)
{
  return sums->vector(n, nevals);
}

double FixForceReference::compute_array(int row, int col)
{
  return sums->array(row, col, nevals);
}

/* ----------------------------------------------------------------------
   restart: all ranks' sums on rank 0, plus where the file was
------------------------------------------------------------------------- */

void FixForceReference::write_restart(FILE *fp)
{
  sums->write_restart(fp, {(double) cfg.nbins_f, (double) cfg.nbins_t, cfg.range_f, cfg.range_t, (double) nevals,
                           (double) feed->frames_used(), (double) last_eval}, nevals);
}

void FixForceReference::restart(char *raw)
{
  const double *buf = (const double *) raw;
  if ((int) buf[0] != cfg.nbins_f || (int) buf[1] != cfg.nbins_t || buf[2] != cfg.range_f || buf[3] != cfg.range_t)
    error->all(FLERR, "Fix force/reference: the restart file has bins {} {} and range {} {}; use the same",
               (int) buf[0], (int) buf[1], buf[2], buf[3]);
  nevals = (long) buf[4];
  skip_frames = (long) buf[5];
  last_eval = (bigint) buf[6];
  sums->restart(buf + 7);
}

double FixForceReference::memory_usage()
{
  // the per-atom references, and on rank 0 the frame buffers of the reader
  return rows_bytes() + feed->bytes();
}
