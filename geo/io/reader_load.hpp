#pragma once
// For load_project only (geo/project): read_layer_raw without the copy of every geometry
// into Layer::metric, which georeferencing (to_display) clears and fills itself. A header of
// its own so that this does not touch reader.hpp, which most of geo/ and app/ include.
#include <string>

#include "geo/io/reader.hpp"

namespace hq::detail {

/// read_layer_raw(path, options), but Layer::metric is left empty (for a 1M-point layer, one
/// million geometries not copied and freed again).
Layer read_layer_display_only(const std::string& path, const ReadOptions& options);

}  // namespace hq::detail
