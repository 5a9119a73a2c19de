#pragma once
// Venues by kind: the venue layer's `category` field (else `kind`), counted, with the
// Chinese and English names of the kinds docs/manifest.md documents. These are counts of
// places, not of people.
#include <cstddef>
#include <string>
#include <vector>

#include "geo/io/layer.hpp"

namespace hq {

struct VenueKindCount {
    std::string kind;     ///< the field's value, control characters escaped as \xNN
    std::string name_zh;  ///< a known kind's names; else the value itself
    std::string name_en;
    std::size_t count = 0;
};

struct VenueKinds {
    std::string field;                   ///< "category", "kind", or "" when the layer has neither
    std::vector<VenueKindCount> counts;  ///< most numerous first, ties by kind; an empty value is kind ""
};

/// Counts the venues of `venues` by kind. The field `category` is preferred (it holds the
/// study's figures, e.g. 284 shops on Shuhan), then `kind`.
VenueKinds venue_kinds(const Layer& venues);

}  // namespace hq
