/* USER-MLIPEVAL: frames for DFT labelling chosen by the physics of the event (fix re/select).
   FrameSelector is the rule: every check sees the counts of the selected atoms and the global
   vacant-site list of compute re/atom, and says whether this frame is written.  SelectFrame
   writes a frame as extended XYZ (ASE convention), rows in atom-ID order, so that the file does
   not depend on the number of ranks.  Both hold O(1) state plus the vacancy list (O(defects)). */
#ifndef MLIPEVAL_CORE_RE_SELECT_H
#define MLIPEVAL_CORE_RE_SELECT_H

#include <string>
#include <vector>

namespace mlipeval {

enum class SelectOn { RE, HOP, NEAR };

struct SelectRule {
  SelectOn on = SelectOn::RE;
  long min_gap = 0;    // steps from one written frame to the next, at least
  long max = -1;       // frames at most; -1: no limit
};

// What one check sees (sums over all ranks).
struct SelectCounts {
  long re = 0;      // RE atoms in the group
  long near = 0;    // atoms of the group within `near` of an RE atom
};

class FrameSelector {
 public:
  explicit FrameSelector(const SelectRule &rule = SelectRule()) : rule(rule) {}
  // Whether the frame at `step` is to be written.  `vacant`: the vacant sites of this step, by
  // index, increasing; on hop, a check whose list differs from the previous check's fires (the
  // first check only records it).
  bool check(long step, const SelectCounts &c, const std::vector<int> &vacant);
  // the frame at `step` was written
  void wrote(long step);
  long frames() const { return nframes; }
  long last_step() const { return last; }    // -1 before the first frame
  // the most frames asked for are written: no check can fire again
  bool done() const { return rule.max >= 0 && nframes >= rule.max; }
  // restart: frames, last step, whether a vacancy list was seen, then the list
  std::vector<double> pack() const;
  // throws std::runtime_error on a malformed record
  void unpack(const std::vector<double> &v);

 private:
  SelectRule rule;
  long nframes = 0, last = -1;
  bool seen = false;
  std::vector<int> previous;
};

// One atom's row of a selected frame.
struct SelectRow {
  long id;
  int type;
  double x[3], f[3];    // position (relative to the box origin) and force
  int re, near;
  double d_site, margin;    // distance to the nearest site; d2 - d1
};

// The comment-line facts of a frame.
struct SelectInfo {
  double cell[3][3];    // rows: the cell vectors a, b, c
  int pbc[3];
  long step;
  double time, energy;
  long n_re;
};

// species: the name of each atom type, from 1 (species[t - 1]).
class SelectFrame {
 public:
  explicit SelectFrame(std::vector<std::string> species) : species(std::move(species)) {}
  // the atom-count and comment lines of a frame of natoms atoms
  std::string header(long natoms, const SelectInfo &info) const;
  // rows appended at full precision; throws std::runtime_error for a type without a name
  void append(std::string &out, const SelectRow &r) const;

 private:
  std::vector<std::string> species;
};

}    // namespace mlipeval

#endif
