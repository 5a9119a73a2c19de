#pragma once
// District-wide analysis in one run (issue 18): the analysis layer split by a column (e.g.
// `community`), each part analysed as a project of its own, in parallel, one row per part.
#include <memory>
#include <string>
#include <vector>

#include "geo/analysis/segregation.hpp"

namespace hq::analysis {

/// One part of a project split by a column's value.
struct ByPart {
    std::string key;                ///< the column's value (as text)
    std::vector<std::size_t> rows;  ///< the analysis layer's features in this part, in order
};

/// The analysis layer's features grouped by `column` (sorted by value). Throws InputError
/// naming the layer, feature and column for a missing column or a null/empty value.
std::vector<ByPart> split_by(const Project& project, const std::string& column);

/// The project restricted to one part: the analysis layer's features of `part` (the other
/// layers are left out), with the project's groups, CRS and names.
Project part_project(const Project& project, const ByPart& part);

struct ByRow {
    std::string key;
    std::size_t units = 0;
    std::shared_ptr<const SegregationResult> result;  ///< null when the part could not be analysed
    std::string error;                                ///< why not (one line), else ""
};

/// The segregation suite (single-group and multigroup values; no local values, tests,
/// profiles or pairwise tables) of every part, in parallel (each part on one thread;
/// `request.threads` threads in all). The privacy rules apply to each part as to a project:
/// a part whose group is under the threshold is refused in its own row (ByRow::error), the
/// others are computed.
std::vector<ByRow> segregation_by(const Project& project, const std::string& column, SegregationRequest request,
                                  const Progress& progress = {});

}  // namespace hq::analysis
