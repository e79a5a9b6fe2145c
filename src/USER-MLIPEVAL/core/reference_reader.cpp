#include "reference_reader.h"

#include "box.h"

#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <sstream>
#include <utility>

namespace mlipeval {

ReferenceReader::Format ReferenceReader::guess(const std::string &p)
{
  auto ends = [&p](const char *s) {
    const size_t n = std::strlen(s);
    return p.size() >= n && p.compare(p.size() - n, n, s) == 0;
  };
  return ends(".xyz") || ends(".extxyz") ? EXTXYZ : DUMP;
}

ReferenceReader::ReferenceReader(const std::string &p, Format f, const std::string &c, const std::string &pc) :
    path(p), column(c), pred_column(pc), format(f)
{
  if (format == EXTXYZ) {
    xyz.reset(new XyzReader(path));
  } else {
    fp = std::fopen(path.c_str(), "r");
    if (!fp) throw XyzError("cannot open file " + path + ": " + std::strerror(errno));
    lines.reset(new LineSource(fp));
  }
}

ReferenceReader::~ReferenceReader()
{
  if (fp) std::fclose(fp);
}

void ReferenceReader::fail(const std::string &what) const
{
  throw XyzError(path + ":" + std::to_string(lineno) + ": " + what);
}

bool ReferenceReader::getline(std::string &line)
{
  const bool any = lines->getline(line);
  if (any) ++lineno;
  return any;
}

bool ReferenceReader::next(RefFrame &frame)
{
  if (!(format == EXTXYZ ? next_extxyz(frame) : next_dump(frame))) return false;
  // the order of the frames: a frame that repeats the step before it would put every later
  // frame one step out (match order) or be dropped unseen (match step).  Steps mean time steps
  // in a dump, and wherever frames are matched by step; an extended xyz data set matched by
  // order may carry step keys of its own.
  const std::string where = "frame " + std::to_string(nframes) + " of " + path;
  if (steps_needed && frame.step < 0)
    throw XyzError(where + " has no step or timestep key, which match step needs (or use match order)");
  if ((format == DUMP || steps_needed) && frame.step >= 0 && frame.step == last_step)
    throw XyzError(where + " repeats step " + std::to_string(frame.step) +
                   " of the frame before it; the frames would misalign (remove the repeat)");
  last_step = frame.step;
  ++nframes;
  return true;
}

ReferenceReader::Fetch ReferenceReader::fetch(long step, RefFrame &out)
{
  if (!steps_needed) return next(out) ? GOT : END;
  for (;;) {
    if (!have_pending) {
      if (!next(pending)) return NONE;
      have_pending = true;
    }
    if (pending.step < step) {    // a frame for a step this run never had
      have_pending = false;
      continue;
    }
    if (pending.step > step) return NONE;
    std::swap(out, pending);    // the two frames' buffers are reused in turn
    have_pending = false;
    return GOT;
  }
}

bool ReferenceReader::next_extxyz(RefFrame &out)
{
  XyzFrame f;
  if (!xyz->next(f)) return false;
  out = RefFrame();
  out.natoms = f.natoms;
  for (const char *key : {"timestep", "step"}) {
    auto it = f.info.find(key);
    if (it != f.info.end()) out.step = std::strtol(it->second.c_str(), nullptr, 10);
  }
  const std::string where = "frame " + std::to_string(nframes) + " of " + path + ": ";
  try {
    out.ref = f.column(column, 3);
    if (!pred_column.empty()) out.pred = f.column(pred_column, 3);
  } catch (XyzError &e) {
    throw XyzError(where + e.what());
  }
  if (f.has_lattice) {
    RestrictedCell rc;
    if (!restrict_cell(f.lattice, rc)) throw XyzError(where + "degenerate or left-handed Lattice");
    for (std::vector<double> *v : {&out.ref, &out.pred})
      for (size_t i = 0; i < v->size(); i += 3) {
        const double g[3] = {(*v)[i], (*v)[i + 1], (*v)[i + 2]};
        for (int d = 0; d < 3; ++d) (*v)[i + d] = rc.rot[d][0] * g[0] + rc.rot[d][1] * g[1] + rc.rot[d][2] * g[2];
      }
  }
  return true;
}

// "forces" -> fx fy fz; NAME -> NAME[1] NAME[2] NAME[3]
static std::vector<std::string> dump_names(const std::string &c)
{
  if (c == "forces") return {"fx", "fy", "fz"};
  return {c + "[1]", c + "[2]", c + "[3]"};
}

bool ReferenceReader::next_dump(RefFrame &out)
{
  std::string line;
  do {
    if (!getline(line)) return false;
  } while (line.find_first_not_of(" \t\r") == std::string::npos);
  if (line.rfind("ITEM: TIMESTEP", 0) != 0) fail("expected 'ITEM: TIMESTEP', got '" + line + "'");
  // the frame's buffers are kept: a frame of the same size reuses them (no new pages per frame)
  out.step = -1;
  out.natoms = 0;
  if (!getline(line)) fail("file ends after ITEM: TIMESTEP");
  char *end;
  out.step = std::strtol(line.c_str(), &end, 10);
  if (end == line.c_str()) fail("bad timestep '" + line + "'");
  std::vector<std::string> names;
  while (getline(line)) {
    if (line.rfind("ITEM: NUMBER OF ATOMS", 0) == 0) {
      if (!getline(line)) fail("file ends after ITEM: NUMBER OF ATOMS");
      const long n = std::strtol(line.c_str(), &end, 10);
      if (end == line.c_str() || n < 1) fail("bad atom count '" + line + "'");
      if (n > std::numeric_limits<int>::max()) fail("atom count " + line + " is beyond what one frame may hold");
      out.natoms = (int) n;
    } else if (line.rfind("ITEM: BOX BOUNDS", 0) == 0) {
      for (int i = 0; i < 3; ++i)
        if (!getline(line)) fail("file ends inside ITEM: BOX BOUNDS");
    } else if (line.rfind("ITEM: ATOMS", 0) == 0) {
      std::istringstream ls(line.substr(11));
      std::string n;
      while (ls >> n) names.push_back(n);
      break;
    } else {
      fail("unexpected line '" + line + "'");
    }
  }
  if (names.empty()) fail("no ITEM: ATOMS section");
  if (out.natoms == 0) fail("no ITEM: NUMBER OF ATOMS before ITEM: ATOMS");
  auto find = [&](const std::string &n) {
    for (size_t i = 0; i < names.size(); ++i)
      if (names[i] == n) return (int) i;
    return -1;
  };
  const int idcol = find("id");
  int rc[3], pc[3] = {-1, -1, -1};
  const auto rn = dump_names(column);
  for (int d = 0; d < 3; ++d)
    if ((rc[d] = find(rn[d])) < 0) fail("column " + rn[d] + " is not in the dump's ITEM: ATOMS line");
  if (!pred_column.empty()) {
    const auto pn = dump_names(pred_column);
    for (int d = 0; d < 3; ++d)
      if ((pc[d] = find(pn[d])) < 0) fail("column " + pn[d] + " is not in the dump's ITEM: ATOMS line");
  }
  // the atom lines in one block, parsed in parallel where a caller lends threads; a bad line
  // is reported by its number, the first one in the file
  const size_t got = lines->getlines(out.natoms, block, starts);
  const long first = lineno + 1;
  lineno += (long) got;
  if (got < (size_t) out.natoms)
    fail("file ends after " + std::to_string(got) + " of " + std::to_string(out.natoms) + " atoms");
  // sized only now, from the lines read: a count line larger than the file allocates nothing
  out.ref.resize(3 * (size_t) out.natoms);    // every value is written below
  if (pc[0] >= 0) out.pred.resize(3 * (size_t) out.natoms);
  else out.pred.clear();
  if (idcol >= 0) out.ids.resize(out.natoms);
  else out.ids.clear();
  const size_t width = names.size();
  std::atomic<size_t> bad(got);
  parallel_for(got, [&](size_t begin, size_t end) {
    std::vector<double> v(width);
    for (size_t i = begin; i < end; ++i) {
      // an atom ID must be a positive integer that a long holds
      if (!parse_numbers(block.data() + starts[i], v.data(), width) ||
          (idcol >= 0 && !(v[idcol] >= 1.0 && v[idcol] < 9e18 && v[idcol] == std::floor(v[idcol])))) {
        size_t b = bad.load();
        while (i < b && !bad.compare_exchange_weak(b, i)) {}
        return;
      }
      for (int d = 0; d < 3; ++d) {
        out.ref[3 * i + d] = v[rc[d]];
        if (pc[0] >= 0) out.pred[3 * i + d] = v[pc[d]];
      }
      if (idcol >= 0) out.ids[i] = (long) v[idcol];
    }
  });
  if (bad.load() < got) {
    lineno = first + (long) bad.load();
    fail("atom line has fewer values than ITEM: ATOMS lists, a value that is not a number, or an id that is "
         "not a positive integer");
  }
  for (const std::vector<double> *vec : {&out.ref, &out.pred})
    for (double x : *vec)
      if (!std::isfinite(x)) fail("frame at step " + std::to_string(out.step) + " has a force that is NaN or Inf");
  return true;
}

}    // namespace mlipeval
