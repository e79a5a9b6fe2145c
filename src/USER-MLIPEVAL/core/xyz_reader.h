/* USER-MLIPEVAL: reader for xyz and extended xyz (ASE convention: Lattice=, Properties=). */
#ifndef MLIPEVAL_CORE_XYZ_READER_H
#define MLIPEVAL_CORE_XYZ_READER_H

#include <cstdio>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace mlipeval {

struct XyzError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct XyzColumn {
  std::string name;
  char type;      // S, R, I or L
  int ncols;
  int offset;     // first column in XyzFrame::values / strings
};

struct XyzFrame {
  int natoms = 0;
  bool has_lattice = false;
  double lattice[3][3] = {{0}};    // rows are the cell vectors
  std::map<std::string, std::string> info;    // comment-line key=value pairs
  std::vector<XyzColumn> columns;
  int width = 0;                                 // values per atom
  std::vector<double> values;                    // natoms * width, NaN for string columns
  std::vector<std::string> strings;              // natoms * width, only string columns filled

  const XyzColumn *find(const std::string &name) const;
  // A numeric column of ncols values per atom; throws XyzError when missing or otherwise.
  const XyzColumn &numeric(const std::string &name, int ncols) const;
  // Values of a numeric column, ncols per atom; throws XyzError when missing or not numeric.
  std::vector<double> column(const std::string &name, int ncols) const;
};

// Reads frames one after another.  Errors name the file and line.
class XyzReader {
 public:
  explicit XyzReader(const std::string &path);
  ~XyzReader();
  XyzReader(const XyzReader &) = delete;
  XyzReader &operator=(const XyzReader &) = delete;
  // false at a clean end of file
  bool next(XyzFrame &frame);
  // The same, with the rows handed to rows(frame, first, n) every `block` atoms as they are read
  // (frame.values and strings then hold atoms first .. first+n-1 only), so that a frame of any
  // size is read in bounded memory.
  bool next(XyzFrame &frame, int block, const std::function<void(const XyzFrame &, int, int)> &rows);
  // byte offset of the next frame, and a jump back to one (for frame indexes)
  long tell() const;
  void seek(long offset);

 private:
  bool getline(std::string &line);
  [[noreturn]] void fail(const std::string &what) const;
  std::string path;
  FILE *fp = nullptr;
  long lineno = 0;
};

// One line of fp without its end-of-line; false at the end of the file.
bool read_line(FILE *fp, std::string &line);

// Positions of a frame with a Lattice, rotated into LAMMPS's restricted form and wrapped into
// the cell (3 per atom).  Throws XyzError when the frame has no usable Lattice.
struct RestrictedCell;
std::vector<double> positions_in_cell(const XyzFrame &f, RestrictedCell &cell);

// Parse an extxyz comment line into key/value pairs (quotes removed, bare keys -> "T").
std::map<std::string, std::string> parse_comment(const std::string &line);

}    // namespace mlipeval

#endif
