#include "line_source.h"

#include <charconv>
#include <cstring>

namespace mlipeval {

void serial_for(size_t n, const std::function<void(size_t, size_t)> &body)
{
  if (n > 0) body(0, n);
}

bool LineSource::fill()
{
  if (pos > 0) {
    std::memmove(buf.data(), buf.data() + pos, len - pos);
    len -= pos;
    pos = 0;
  }
  if (len == buf.size()) buf.resize(2 * buf.size());    // one line longer than the buffer
  const size_t got = std::fread(buf.data() + len, 1, buf.size() - len, fp);
  len += got;
  return got > 0;
}

// appends the next line (without its end of line) to `to`; false at the end of the file
bool LineSource::append_line(std::string &to)
{
  const size_t start = to.size();
  bool any = false;
  for (;;) {
    if (pos == len && !fill()) break;
    any = true;
    const char *b = buf.data() + pos;
    const char *nl = static_cast<const char *>(std::memchr(b, '\n', len - pos));
    if (nl) {
      to.append(b, nl - b);
      pos += nl - b + 1;
      break;
    }
    to.append(b, len - pos);
    pos = len;
  }
  if (to.size() > start && to.back() == '\r') to.pop_back();
  return any;
}

bool LineSource::getline(std::string &line)
{
  line.clear();
  return append_line(line);
}

size_t LineSource::getlines(size_t n, std::string &block, std::vector<size_t> &starts)
{
  block.clear();
  starts.clear();
  for (size_t k = 0; k < n; ++k) {
    starts.push_back(block.size());
    if (!append_line(block)) {
      starts.pop_back();
      return k;
    }
    block.push_back('\0');
  }
  return n;
}

bool parse_numbers(const char *p, double *v, size_t n)
{
  for (size_t k = 0; k < n; ++k) {
    while (*p == ' ' || *p == '\t') ++p;
    if (*p == '+') ++p;    // from_chars takes no leading '+'
    const char *end = p + std::strcspn(p, " \t");
    const auto r = std::from_chars(p, end, v[k]);
    if (r.ec != std::errc() || r.ptr != end) return false;
    p = end;
  }
  return true;
}

}    // namespace mlipeval
