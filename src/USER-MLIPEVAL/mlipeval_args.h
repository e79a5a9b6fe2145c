/* -*- c++ -*- ----------------------------------------------------------
   USER-MLIPEVAL: the keyword/value arguments of a style, read left to right with one set of
   checks and messages.  A keyword short of values goes through LAMMPS's
   utils::missing_cmd_args; a bad value is an ERROR that names the keyword and the value.
------------------------------------------------------------------------- */

#ifndef LMP_MLIPEVAL_ARGS_H
#define LMP_MLIPEVAL_ARGS_H

#include "error.h"
#include "pointers.h"
#include "utils.h"

#include <cctype>
#include <initializer_list>
#include <string>

namespace LAMMPS_NS {

class MlipevalArgs : protected Pointers {
 public:
  // who: how the messages start ("Fix force/reference"); the command's lower-case name
  // follows from it for missing_cmd_args; first: the index of the first keyword
  MlipevalArgs(LAMMPS *lmp, const std::string &who, int narg, char **arg, int first) :
      Pointers(lmp), who(who), narg(narg), arg(arg), iarg(first)
  {
  }
  bool more() const { return iarg < narg; }
  const std::string &name() const { return who; }
  int pos() const { return iarg; }
  int count() const { return narg; }
  std::string key() const { return arg[iarg]; }
  // the k-th value after the keyword (k = 1 is the first), which need() has checked is there
  const char *value(int k = 1) const { return arg[iarg + k]; }
  // the keyword must have n values after it
  void need(int n) const
  {
    if (iarg + n >= narg) {
      std::string cmd = who;
      cmd[0] = (char) std::tolower((unsigned char) cmd[0]);
      utils::missing_cmd_args(FLERR, cmd + " " + arg[iarg], error);
    }
  }
  // past the keyword and its n values
  void next(int n) { iarg += n + 1; }

  double positive(int k = 1) const
  {
    const double v = utils::numeric(FLERR, value(k), false, lmp);
    if (!(v > 0.0)) error->all(FLERR, "{}: keyword {} value {} must be > 0", who, arg[iarg], value(k));
    return v;
  }
  int positive_int(int k = 1) const
  {
    const int v = utils::inumeric(FLERR, value(k), false, lmp);
    if (v < 1) error->all(FLERR, "{}: {} value {} must be a positive integer", who, arg[iarg], value(k));
    return v;
  }
  // the index of the k-th value among names
  int choice(std::initializer_list<const char *> names, int k = 1) const
  {
    int i = 0;
    std::string list;
    for (const char *n : names) {
      if (value(k) == std::string(n)) return i;
      list += (i == 0 ? "" : (i + 1 == (int) names.size() ? " or " : ", ")) + std::string(n);
      ++i;
    }
    error->all(FLERR, "{}: {} value '{}' is unknown (use {})", who, arg[iarg], value(k), list);
    return -1;
  }
  // Keyword matchers: when the current keyword is `name`, read its values into the arguments
  // with the checks above, step past them and return true; else return false and read nothing.
  // take() runs read() once the n values are known to be there.
  template <class Read> bool take(const char *name, int n, const Read &read)
  {
    if (key() != name) return false;
    need(n);
    read();
    next(n);
    return true;
  }
  bool take_positive(const char *name, double &v) { return take(name, 1, [&] { v = positive(); }); }
  bool take_positive(const char *name, double &a, double &b)
  {
    return take(name, 2, [&] { a = positive(1), b = positive(2); });
  }
  bool take_positive_int(const char *name, int &v) { return take(name, 1, [&] { v = positive_int(); }); }
  bool take_text(const char *name, std::string &v) { return take(name, 1, [&] { v = value(); }); }
  [[noreturn]] void unknown() const { error->all(FLERR, "{}: unknown keyword '{}'", who, arg[iarg]); }

 private:
  std::string who;
  int narg;
  char **arg;
  int iarg;
};

}    // namespace LAMMPS_NS

#endif
