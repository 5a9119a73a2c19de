#pragma once
// A segregation result as geo/analysis returns it under the guard, built by hand for the
// surfaces' tests (the report's index table, the viewer's indices panel): docs/privacy.md,
// "Indices from the published table".
#include <limits>

#include "geo/analysis/segregation.hpp"

namespace hq::test {

/// D estimated from the published table (44.3 % of the residents it reads filled), G withheld
/// with a reason (86.2 % filled), the other single-group indices exact; the multigroup D
/// estimated (22.5 %), the multigroup Gini and H withheld, E and Simpson's interaction exact;
/// one note.
inline analysis::SegregationResult suite_by_hand() {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    analysis::SegregationResult r;
    r.group_column = "pop_tibetan";
    r.group_columns = {"pop_han", "pop_tibetan", "pop_yi"};
    r.single = {{"dissim", 0.47712}, {"gini", nan},        {"entropy", 0.25},      {"atkinson", 0.1},
                {"isolation", 0.3},  {"interaction", 0.7}, {"correlation_r", 0.05}};
    analysis::IndexDisclosure est;
    est.estimated = true;
    est.filled_share = 0.443;
    analysis::IndexDisclosure held;
    held.withheld = true;
    held.estimated = true;
    held.filled_share = 0.862;
    held.reason_zh = "该值所读居民中86%为填补值";
    held.reason_en = "86 % of the residents it reads are filled in";
    r.single_disclosure = {est, held, {}, {}, {}, {}, {}};
    r.multi = {{"multi_dissim", 0.30123}, {"multi_gini", nan}, {"multi_info_theory", nan},
               {"simpsons_interaction", 0.612}};
    analysis::IndexDisclosure mest;
    mest.estimated = true;
    mest.filled_share = 0.225;
    r.multi_disclosure = {mest, held, held, {}};
    r.diversity_normalised = 0.75;
    r.notes.push_back({"指数由公开表计算，不公开的格子按公开的总数填补",
                       "Indices computed from the published table, withheld cells filled in from the published totals"});
    return r;
}

}  // namespace hq::test
