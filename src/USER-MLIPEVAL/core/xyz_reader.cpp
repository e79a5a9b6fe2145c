#include "xyz_reader.h"

#include "box.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <sstream>

namespace mlipeval {

const XyzColumn *XyzFrame::find(const std::string &name) const
{
  for (const auto &c : columns)
    if (c.name == name) return &c;
  return nullptr;
}

const XyzColumn &XyzFrame::numeric(const std::string &name, int ncols) const
{
  const XyzColumn *c = find(name);
  if (!c) throw XyzError("column '" + name + "' is not in the Properties of the frame");
  if (c->type == 'S') throw XyzError("column '" + name + "' is not numeric");
  if (c->ncols != ncols)
    throw XyzError("column '" + name + "' has " + std::to_string(c->ncols) + " values per atom, expected " +
                   std::to_string(ncols));
  return *c;
}

std::vector<double> XyzFrame::column(const std::string &name, int ncols) const
{
  const XyzColumn *c = &numeric(name, ncols);
  std::vector<double> out((size_t) natoms * ncols);
  for (int i = 0; i < natoms; ++i)
    for (int k = 0; k < ncols; ++k) out[(size_t) i * ncols + k] = values[(size_t) i * width + c->offset + k];
  return out;
}

std::map<std::string, std::string> parse_comment(const std::string &line)
{
  std::map<std::string, std::string> kv;
  size_t i = 0, n = line.size();
  while (i < n) {
    while (i < n && std::isspace((unsigned char) line[i])) ++i;
    if (i >= n) break;
    size_t k0 = i;
    while (i < n && line[i] != '=' && !std::isspace((unsigned char) line[i])) ++i;
    std::string key = line.substr(k0, i - k0);
    if (i < n && line[i] == '=') {
      ++i;
      std::string val;
      if (i < n && (line[i] == '"' || line[i] == '\'')) {
        const char q = line[i++];
        size_t v0 = i;
        while (i < n && line[i] != q) ++i;
        val = line.substr(v0, i - v0);
        if (i < n) ++i;
      } else {
        size_t v0 = i;
        while (i < n && !std::isspace((unsigned char) line[i])) ++i;
        val = line.substr(v0, i - v0);
      }
      kv[key] = val;
    } else if (!key.empty()) {
      kv[key] = "T";
    }
  }
  return kv;
}

XyzReader::XyzReader(const std::string &p) : path(p)
{
  fp = std::fopen(p.c_str(), "r");
  if (!fp) throw XyzError("cannot open file " + p + ": " + std::strerror(errno));
}

XyzReader::~XyzReader()
{
  if (fp) std::fclose(fp);
}

long XyzReader::tell() const
{
  return std::ftell(fp);
}

void XyzReader::seek(long offset)
{
  std::fseek(fp, offset, SEEK_SET);
}

bool read_line(FILE *fp, std::string &line)
{
  // fgets in blocks: a character at a time is the slow part of reading large frames
  line.clear();
  char buf[4096];
  bool any = false;
  while (std::fgets(buf, sizeof buf, fp)) {
    any = true;
    const size_t n = std::strlen(buf);
    if (n > 0 && buf[n - 1] == '\n') {
      line.append(buf, n - 1);
      break;
    }
    line.append(buf, n);
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return any;
}

bool XyzReader::getline(std::string &line)
{
  const bool any = read_line(fp, line);
  if (any) ++lineno;
  return any;
}

std::vector<double> positions_in_cell(const XyzFrame &f, RestrictedCell &rc)
{
  if (!f.has_lattice) throw XyzError("the frame has no Lattice");
  if (!restrict_cell(f.lattice, rc)) throw XyzError("the frame has a degenerate or left-handed Lattice");
  const double zero[3] = {0, 0, 0};
  const Box b = make_box(zero, rc.xx, rc.yy, rc.zz, rc.xy, rc.xz, rc.yz);
  const std::vector<double> pos = f.column("pos", 3);
  std::vector<double> x(pos.size());
  for (int i = 0; i < f.natoms; ++i) {
    double r[3], s[3], dx[3];
    for (int d = 0; d < 3; ++d) r[d] = rc.rot[d][0] * pos[3 * i] + rc.rot[d][1] * pos[3 * i + 1] + rc.rot[d][2] * pos[3 * i + 2];
    to_frac(b, r, s);
    frac_to_cart(b, s, dx);
    for (int d = 0; d < 3; ++d) x[3 * i + d] = dx[d];
  }
  return x;
}

void XyzReader::fail(const std::string &what) const
{
  throw XyzError(path + ":" + std::to_string(lineno) + ": " + what);
}

static bool to_double(const std::string &t, double &v)
{
  if (t.empty()) return false;
  char *end = nullptr;
  v = std::strtod(t.c_str(), &end);
  return end && *end == '\0';
}

bool XyzReader::next(XyzFrame &f)
{
  return next(f, 0, {});
}

bool XyzReader::next(XyzFrame &f, int block, const std::function<void(const XyzFrame &, int, int)> &rows)
{
  std::string line;
  // skip blank lines between frames; end of file here is a clean end
  do {
    if (!getline(line)) return false;
  } while (line.find_first_not_of(" \t") == std::string::npos);

  double dn;
  std::istringstream head(line);
  std::string tok, extra;
  head >> tok;
  if (!to_double(tok, dn) || dn < 1 || dn != std::floor(dn) || (head >> extra))
    fail("expected an atom count, got '" + line + "'");
  if (dn > std::numeric_limits<int>::max()) fail("atom count " + tok + " is beyond what one frame may hold");
  f = XyzFrame();
  f.natoms = (int) dn;
  if (!getline(line)) fail("missing comment line after the atom count");
  f.info = parse_comment(line);

  auto lat = f.info.find("Lattice");
  if (lat != f.info.end()) {
    std::istringstream ls(lat->second);
    double v[9];
    for (int i = 0; i < 9; ++i) {
      std::string t;
      if (!(ls >> t) || !to_double(t, v[i])) fail("Lattice needs 9 numbers, got '" + lat->second + "'");
      if (!std::isfinite(v[i])) fail("Lattice has a value that is not finite");
    }
    for (int i = 0; i < 9; ++i) f.lattice[i / 3][i % 3] = v[i];
    f.has_lattice = true;
  }

  std::string props = "species:S:1:pos:R:3";
  auto pr = f.info.find("Properties");
  if (pr != f.info.end()) props = pr->second;
  {
    std::vector<std::string> parts;
    std::stringstream ps(props);
    std::string part;
    while (std::getline(ps, part, ':')) parts.push_back(part);
    if (parts.empty() || parts.size() % 3 != 0) fail("malformed Properties '" + props + "'");
    for (size_t i = 0; i < parts.size(); i += 3) {
      XyzColumn c;
      c.name = parts[i];
      if (parts[i + 1].size() != 1 || std::strchr("SRIL", parts[i + 1][0]) == nullptr)
        fail("unknown type '" + parts[i + 1] + "' for property " + c.name);
      c.type = parts[i + 1][0];
      double nc;
      if (!to_double(parts[i + 2], nc) || nc < 1 || nc > 100000 || nc != std::floor(nc))
        fail("bad column count '" + parts[i + 2] + "' for property " + c.name);
      c.ncols = (int) nc;
      if (f.find(c.name)) fail("property " + c.name + " appears twice in Properties '" + props + "'");
      c.offset = f.width;
      f.width += c.ncols;
      f.columns.push_back(c);
    }
  }
  if (!f.find("pos")) fail("Properties has no pos column");

  // the rows grow with the lines read, so that a count line larger than the file allocates nothing
  int first = 0;    // the atom of the first row held
  for (int i = 0; i < f.natoms; ++i) {
    if (!getline(line))
      fail("file ends after " + std::to_string(i) + " of " + std::to_string(f.natoms) + " atoms");
    if (block > 0 && i - first == block) {
      rows(f, first, block);
      f.values.clear();
      f.strings.clear();
      first = i;
    }
    f.values.resize(f.values.size() + f.width, std::numeric_limits<double>::quiet_NaN());
    f.strings.resize(f.strings.size() + f.width);
    std::istringstream as(line);
    for (const auto &c : f.columns)
      for (int k = 0; k < c.ncols; ++k) {
        std::string t;
        if (!(as >> t)) fail("atom line has fewer values than Properties lists");
        const size_t at = (size_t) (i - first) * f.width + c.offset + k;
        if (c.type == 'S') {
          f.strings[at] = t;
        } else if (c.type == 'L') {
          f.values[at] = (t == "T" || t == "True" || t == "1") ? 1.0 : 0.0;
        } else {
          double v;
          if (!to_double(t, v)) fail("'" + t + "' is not a number (property " + c.name + ")");
          if (!std::isfinite(v)) fail("value of property " + c.name + " is not finite: " + t);
          f.values[at] = v;
        }
      }
    std::string more;
    if (as >> more) fail("atom line has more values than Properties lists");
  }
  if (block > 0) rows(f, first, f.natoms - first);
  return true;
}

}    // namespace mlipeval
