#pragma once
// Label placement without overlaps: greedy by priority with bounding boxes. Backend-neutral
// (the caller measures text in its own units); the exporter uses it on the page.
#include <vector>

#include "geo/geometry/types.hpp"

namespace hq::carto {

/// For each label, its candidate boxes in order of preference (target units, any y
/// direction). Labels go by priority, higher first, ties in input order; each takes its
/// first candidate that lies inside `frame` and overlaps neither a placed label nor an
/// obstacle. Returns the chosen candidate per label, -1 if none fits.
std::vector<int> place_labels(const std::vector<std::vector<Box>>& candidates, const std::vector<int>& priority,
                              const Box& frame, const std::vector<Box>& obstacles = {});

}  // namespace hq::carto
