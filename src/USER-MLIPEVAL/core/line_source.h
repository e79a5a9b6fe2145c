/* USER-MLIPEVAL: fast line input for large text frames (LAMMPS dumps).
   LineSource reads a file in large blocks and hands out lines, or a run of n lines at once in
   one buffer, so that their parsing can be split over threads (parse_numbers is the per-line
   rule).  ParallelFor is how a caller lends its threads: run body(begin, end) over [0, n). */
#ifndef MLIPEVAL_CORE_LINE_SOURCE_H
#define MLIPEVAL_CORE_LINE_SOURCE_H

#include <cstddef>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace mlipeval {

using ParallelFor = std::function<void(size_t n, const std::function<void(size_t begin, size_t end)> &body)>;
// body(0, n) on the calling thread
void serial_for(size_t n, const std::function<void(size_t, size_t)> &body);

class LineSource {
 public:
  explicit LineSource(FILE *fp) : fp(fp), buf(1 << 20) {}
  // the next line without its end of line ("\n" or "\r\n"); false at the end of the file
  bool getline(std::string &line);
  // the next n lines into `block`, each ended by '\0', starting at the offsets in `starts`;
  // returns how many there were (fewer than n at the end of the file)
  size_t getlines(size_t n, std::string &block, std::vector<size_t> &starts);

 private:
  bool fill();    // keep the unread bytes, read more after them; false when nothing came
  bool append_line(std::string &to);
  FILE *fp;
  std::vector<char> buf;
  size_t pos = 0, len = 0;
};

// Parse the whitespace-separated numbers of a line into v[0..n); false when the line has fewer
// than n or one of them is not a number.  Accepts what LAMMPS writes (also inf and nan).
bool parse_numbers(const char *line, double *v, size_t n);

}    // namespace mlipeval

#endif
