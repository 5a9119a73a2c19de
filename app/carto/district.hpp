#pragma once
// The map of a district summary (`report --by`, issue 18): each part (community) one
// polygon, filled by one of its index values (classified, a colour ramp); parts without a
// value (refused by the privacy rules, or not computed) hatched.
#include <memory>
#include <string>
#include <vector>

#include "app/carto/scene.hpp"

namespace hq::carto {

/// `parts`: a project whose Units layer holds one dissolved polygon per part (metric CRS),
/// with the source project's names, source, CRS and illustrative flag. `values[i]` is part
/// i's value of `index_id` (NaN = none). `column` names the parts (e.g. "community").
/// request: lang, classification, classes, ramp, privacy guard and k (the notes, the stamp).
Scene district_scene(std::shared_ptr<const Project> parts, const std::vector<double>& values,
                     const std::string& index_id, const std::string& column, const MapRequest& request);

}  // namespace hq::carto
