#include "re_rules.h"

namespace mlipeval {

SiteCounts count_sites(const int *ws, const int *held, int nsites, std::vector<int> &vacant_sites,
                       std::vector<int> &crowded_sites)
{
  SiteCounts c;
  vacant_sites.clear();
  crowded_sites.clear();
  for (int i = 0; i < nsites; ++i) {
    if (held[i] == 0) {
      c.vacancies++;
      vacant_sites.push_back(i);
    }
    if (ws[i] == 0) c.ws_vacancies++;
    if (ws[i] > 1) {
      c.ws_interstitials += ws[i] - 1;
      crowded_sites.push_back(i);
    }
  }
  return c;
}

}    // namespace mlipeval
