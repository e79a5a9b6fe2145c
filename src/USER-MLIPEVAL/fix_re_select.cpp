/* ----------------------------------------------------------------------
   USER-MLIPEVAL: fix ID group re/select N c_ID file F [on re|hop|near] [min_gap M] [max K]
                  [elements E1 ... En]
   Every N steps the trigger is decided from sums over ranks (counts of the group's RE and
   near-RE atoms, and compute re/atom's global vacancy list).  A frame goes to rank 0 in
   atom-ID windows, one window per rank, so that rank 0 holds about one subdomain of rows at a
   time and the file is the same on any number of ranks.
------------------------------------------------------------------------- */

#include "fix_re_select.h"

#include "atom.h"
#include "comm.h"
#include "compute.h"
#include "compute_re_atom.h"
#include "domain.h"
#include "error.h"
#include "force.h"
#include "mlipeval_args.h"
#include "mlipeval_compat.h"
#include "mlipeval_mpi.h"
#include "mlipeval_partner.h"
#include "mlipeval_restart.h"
#include "modify.h"
#include "update.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

using namespace LAMMPS_NS;
using namespace FixConst;
using namespace mlipeval;

namespace {
const char *const WHO = "Fix re/select";
enum { NPACK = 12 };    // id type x[3] f[3] re near d_site margin
}    // namespace

FixRESelect::FixRESelect(LAMMPS *lmp, int narg, char **arg) :
    Fix(lmp, narg, arg), cre(nullptr), pe(nullptr), restored(false), opened(false), fp(nullptr)
{
  if (narg < 7) utils::missing_cmd_args(FLERR, "fix re/select", error);
  nevery = utils::inumeric(FLERR, arg[3], false, lmp);
  if (nevery < 1) error->all(FLERR, "{}: N value {} must be a positive integer", WHO, arg[3]);
  re_id = mlipeval_partner::re_id(error, WHO, arg[4]);
  if (strcmp(arg[5], "file") != 0) error->all(FLERR, "{}: expected 'file F' after {}, not '{}'", WHO, arg[4], arg[5]);
  path = arg[6];
  SelectRule rule;
  MlipevalArgs args(lmp, WHO, narg, arg, 7);
  while (args.more()) {
    int gap = 0, most = 0;
    if (args.take("on", 1, [&] { rule.on = (SelectOn) args.choice({"re", "hop", "near"}); })) {
    } else if (args.take("min_gap", 1, [&] { gap = utils::inumeric(FLERR, args.value(), false, lmp); })) {
      if (gap < 0) error->all(FLERR, "{}: min_gap value {} must be >= 0", WHO, gap);
      rule.min_gap = gap;
    } else if (args.take_positive_int("max", most)) {
      rule.max = most;
    } else if (args.key() == "elements") {
      args.need(1);
      int n = 1;
      while (args.pos() + n < narg && !utils::strmatch(args.value(n), "^(on|min_gap|max)$")) elements.emplace_back(args.value(n++));
      args.next(n - 1);
    } else {
      args.unknown();
    }
  }
  selector = FrameSelector(rule);

  vector_flag = 1;
  size_vector = NVECTOR;
  global_freq = nevery;
  extvector = 0;
  restart_global = 1;
}

FixRESelect::~FixRESelect()
{
  if (fp) fclose(fp);
}

int FixRESelect::setmask()
{
  return END_OF_STEP;
}

void FixRESelect::init()
{
  cre = mlipeval_partner::find_re_atom(modify, error, WHO, re_id);
  pe = mlipeval_compat::compute_by_id(modify, "thermo_pe");
  if (!pe) error->all(FLERR, "{}: needs the potential energy compute thermo_pe, which does not exist", WHO);
  if (!elements.empty() && (int) elements.size() != atom->ntypes)
    error->all(FLERR, "{}: elements names {} species for {} atom types; give one per type", WHO, elements.size(),
               atom->ntypes);
  species = elements;
  for (int t = (int) species.size() + 1; t <= atom->ntypes; ++t) species.push_back(std::to_string(t));
  if (comm->me == 0) {
    if (elements.empty())
      error->warning(FLERR, "{}: no elements keyword; the species column of {} holds atom type numbers", WHO, path);
    if (strcmp(update->unit_style, "metal") != 0)
      error->warning(FLERR, "{}: units {}: extended XYZ readers expect Angstrom and eV (units metal)", WHO,
                     update->unit_style);
  }
  if (!opened) open_file();    // once, on every rank (only rank 0 holds the file)
}

// append after a restart, else start the file anew; every rank learns whether rank 0 could
void FixRESelect::open_file()
{
  int ok = 1;
  std::string why;
  if (comm->me == 0) {
    fp = fopen(path.c_str(), restored ? "a" : "w");
    if (!fp) ok = 0, why = utils::getsyserror();
  }
  MPI_Bcast(&ok, 1, MPI_INT, 0, world);
  opened = ok;
  if (!ok) error->all(FLERR, "{}: cannot open file {}: {}", WHO, path, bcast_message(why, world));
}

// the potential energy must be tallied on every step this fix checks
void FixRESelect::setup(int)
{
  pe->addstep((update->ntimestep / nevery) * nevery + nevery);
}

void FixRESelect::end_of_step()
{
  const bigint step = update->ntimestep;
  pe->addstep(step + nevery);
  if (selector.done()) return;
  cre->compute_peratom();
  const auto res = cre->results();
  long local[2] = {0, 0};
  for (int i = 0; i < atom->nlocal; ++i) {
    if (!(atom->mask[i] & groupbit)) continue;
    local[0] += res.re(i);
    local[1] += res.near_re(i);
  }
  long sum[2];
  MPI_Allreduce(local, sum, 2, MPI_LONG, MPI_SUM, world);
  if (!selector.check(step, {sum[0], sum[1]}, cre->vacant_sites())) return;
  write_frame(sum[0]);
  selector.wrote(step);
  if (selector.done() && comm->me == 0)
    utils::logmesg(lmp, "{} {}: wrote {} frames to {}, the most asked for (max)\n", WHO, id, selector.frames(), path);
}

double FixRESelect::energy()
{
  if (pe->invoked_scalar != update->ntimestep) return pe->compute_scalar();
  return pe->scalar;
}

void FixRESelect::write_frame(long n_re)
{
  const double e = energy();
  const int nlocal = atom->nlocal;
  // this rank's rows, packed as doubles, in ID order
  const auto res = cre->results();
  std::vector<double> rows((size_t) nlocal * NPACK);
  std::vector<int> order(nlocal);
  for (int i = 0; i < nlocal; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](int a, int b) { return atom->tag[a] < atom->tag[b]; });
  tagint maxtag = 0;
  for (int k = 0; k < nlocal; ++k) {
    const int i = order[k];
    double *r = &rows[(size_t) k * NPACK];
    const double row[NPACK] = {(double) atom->tag[i], (double) atom->type[i], atom->x[i][0] - domain->boxlo[0],
                               atom->x[i][1] - domain->boxlo[1], atom->x[i][2] - domain->boxlo[2], atom->f[i][0],
                               atom->f[i][1], atom->f[i][2], (double) res.re(i), (double) res.near_re(i),
                               res.d1(i), res.margin(i)};
    std::copy(row, row + NPACK, r);
    maxtag = std::max(maxtag, atom->tag[i]);
  }
  tagint all_max;
  MPI_Allreduce(&maxtag, &all_max, 1, MPI_LMP_TAGINT, MPI_MAX, world);

  const SelectFrame frame(species);
  if (comm->me == 0) {
    SelectInfo info{{{domain->xprd, 0, 0}, {domain->xy, domain->yprd, 0}, {domain->xz, domain->yz, domain->zprd}},
                    {domain->xperiodic, domain->yperiodic, domain->zperiodic},
                    (long) update->ntimestep,
                    update->atime + (update->ntimestep - update->atimestep) * update->dt,
                    e,
                    n_re};
    fputs(frame.header((long) atom->natoms, info).c_str(), fp);
  }
  // windows of IDs (w * width, (w + 1) * width], one per rank
  const int np = comm->nprocs;
  const tagint width = all_max / np + 1;
  int at = 0;
  std::vector<int> counts(np), offsets(np);
  std::vector<double> got;
  for (int w = 0; w < np; ++w) {
    int first = at;
    while (at < nlocal && (tagint) rows[(size_t) at * NPACK] <= (w + 1) * width) ++at;
    const int n = (at - first) * NPACK;
    MPI_Gather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, world);
    if (comm->me == 0) {
      for (int p = 0; p < np; ++p) offsets[p] = p ? offsets[p - 1] + counts[p - 1] : 0;
      got.resize((size_t) offsets[np - 1] + counts[np - 1]);
    }
    MPI_Gatherv(rows.data() + (size_t) first * NPACK, n, MPI_DOUBLE, got.data(), counts.data(), offsets.data(),
                MPI_DOUBLE, 0, world);
    if (comm->me != 0) continue;
    const int m = (int) got.size() / NPACK;
    std::vector<int> by(m);
    for (int k = 0; k < m; ++k) by[k] = k;
    std::sort(by.begin(), by.end(), [&](int a, int b) { return got[(size_t) a * NPACK] < got[(size_t) b * NPACK]; });
    std::string text;
    for (int k : by) {
      const double *r = &got[(size_t) k * NPACK];
      frame.append(text, {(long) r[0], (int) r[1], {r[2], r[3], r[4]}, {r[5], r[6], r[7]}, (int) r[8], (int) r[9],
                          r[10], r[11]});
    }
    fputs(text.c_str(), fp);
  }
  if (fp) fflush(fp);
}

double FixRESelect::compute_vector(int n)
{
  return n == 0 ? (double) selector.frames() : (double) selector.last_step();
}

/* ----------------------------------------------------------------------
   restart: frames written, the last one's step and the vacancy list of the last check
------------------------------------------------------------------------- */

void FixRESelect::write_restart(FILE *out)
{
  if (comm->me == 0) mlipeval_write_restart(out, selector.pack());
}

void FixRESelect::restart(char *raw)
{
  const auto *v = (const double *) raw;
  try {
    selector.unpack(std::vector<double>(v, v + 4 + (size_t) std::max(0.0, v[3])));
  } catch (std::runtime_error &e) {
    error->all(FLERR, "{}: {}", WHO, e.what());
  }
  restored = true;
}
