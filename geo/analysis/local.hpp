#pragma once
// Local (per-unit) values a map can grade: a group's share, the local multigroup indices,
// the location quotient of a group and the local distortion (PySAL `segregation`).
#include <cstddef>
#include <string>
#include <vector>

#include "geo/analysis/counts.hpp"
#include "geo/core/progress.hpp"

namespace hq::analysis {

/// The local index ids local_index() computes ("share" and "multi_location_quotient" need
/// a group; "lisa_z" is the LISA result's analytical z, analysis::autocorrelation).
const std::vector<std::string>& local_index_ids();

/// One value per unit (NaN where undefined, e.g. the share of a unit without residents).
/// `group` indexes table.columns (ignored by the ids that need none). Groups without
/// residents are left out of the multigroup indices. InputError for an unknown id.
std::vector<double> local_index(const GroupCountTable& table, const std::string& id, std::size_t group,
                                const Progress& progress = {});

}  // namespace hq::analysis
