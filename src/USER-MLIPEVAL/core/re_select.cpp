#include "re_select.h"

#include <cstdio>
#include <stdexcept>

namespace mlipeval {

bool FrameSelector::check(long step, const SelectCounts &c, const std::vector<int> &vacant)
{
  bool fire = false;
  switch (rule.on) {
    case SelectOn::RE: fire = c.re > 0; break;
    case SelectOn::NEAR: fire = c.near > 0; break;
    case SelectOn::HOP: fire = seen && vacant != previous; break;
  }
  // the vacancy list of every check, written or not: a hop is a change since the last check
  if (rule.on == SelectOn::HOP) {
    previous = vacant;
    seen = true;
  }
  if (!fire || done()) return false;
  return last < 0 || step - last >= rule.min_gap;
}

void FrameSelector::wrote(long step)
{
  ++nframes;
  last = step;
}

std::vector<double> FrameSelector::pack() const
{
  std::vector<double> v = {(double) nframes, (double) last, seen ? 1.0 : 0.0, (double) previous.size()};
  v.insert(v.end(), previous.begin(), previous.end());
  return v;
}

void FrameSelector::unpack(const std::vector<double> &v)
{
  if (v.size() < 4 || v[3] < 0 || v.size() != 4 + (size_t) v[3])
    throw std::runtime_error("the fix re/select record of the restart file is malformed");
  nframes = (long) v[0];
  last = (long) v[1];
  seen = v[2] != 0.0;
  previous.assign(v.begin() + 4, v.end());
}

namespace {
std::string num(double v)
{
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}
}    // namespace

std::string SelectFrame::header(long natoms, const SelectInfo &in) const
{
  std::string lat;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) lat += (lat.empty() ? "" : " ") + num(in.cell[r][c]);
  std::string pbc;
  for (int d = 0; d < 3; ++d) pbc += std::string(d ? " " : "") + (in.pbc[d] ? "T" : "F");
  return std::to_string(natoms) + "\nLattice=\"" + lat +
      "\" Properties=species:S:1:pos:R:3:forces:R:3:id:I:1:re:I:1:near:I:1:d_site:R:1:d_margin:R:1"
      " step=" + std::to_string(in.step) + " time=" + num(in.time) + " energy=" + num(in.energy) +
      " n_re=" + std::to_string(in.n_re) + " pbc=\"" + pbc + "\"\n";
}

void SelectFrame::append(std::string &out, const SelectRow &r) const
{
  if (r.type < 1 || r.type > (int) species.size())
    throw std::runtime_error("atom type " + std::to_string(r.type) + " has no element name");
  out += species[r.type - 1];
  for (double v : r.x) out += " " + num(v);
  for (double v : r.f) out += " " + num(v);
  out += " " + std::to_string(r.id) + " " + std::to_string(r.re) + " " + std::to_string(r.near) + " " +
      num(r.d_site) + " " + num(r.margin) + "\n";
}

}    // namespace mlipeval
