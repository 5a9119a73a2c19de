#pragma once
// District-wide analysis in one run (issue 18): the analysis layer split by a column (e.g.
// `community`), each part analysed as a project of its own, in parallel, one row per part.
#include <memory>
#include <string>
#include <vector>

#include "geo/analysis/autocorr.hpp"
#include "geo/analysis/segregation.hpp"

namespace hq::analysis {

/// One part of a project split by a column's value.
struct ByPart {
    std::string key;                ///< the column's value (as text)
    std::vector<std::size_t> rows;  ///< the analysis layer's features in this part, by id (numbers by value)
};

/// The analysis layer's features grouped by `column` (sorted by value; within a part by
/// feature id, so the values do not depend on the order a source returns rows). Throws InputError
/// naming the layer, feature and column for a missing column or an empty value.
std::vector<ByPart> split_by(const Project& project, const std::string& column);

/// The project restricted to one part: the analysis layer's features of `part` (the other
/// layers are left out), with the project's groups, CRS and names.
Project part_project(const Project& project, const ByPart& part);

/// The rows `rows` of a layer (in that order) as a layer of their own: ids, attributes and
/// geometry (part_project's layer; the LISA's published-only units, docs/privacy.md).
Layer layer_rows(const Layer& l, const std::vector<std::size_t>& rows);

/// One row per part: named values (NaN = not computed) or why the part could not be analysed.
struct ByTable {
    std::string column;                   ///< the --by column
    std::vector<std::string> value_names;  ///< the value columns, in order
    struct Row {
        std::string key;
        std::size_t units = 0;
        std::vector<double> values;  ///< one per value_names
        std::string error;           ///< "" when computed
        /// Withheld by the privacy guard (values NaN; "—" in text, null with "suppressed": true
        /// in JSON) and why, in zh and en.
        bool suppressed = false;
        Note reason;
    };
    std::vector<Row> rows;
    std::vector<Note> notes;  ///< the parts' notes, each once, with how many parts it concerns
};

/// The segregation suite of every part (single-group and multigroup values; no local values,
/// tests, profiles or pairwise tables), in parallel (each part on one thread,
/// `request.threads` threads in all). The privacy rules apply to each part as to a project:
/// a part whose group is under the threshold is refused in its own row, the others are
/// computed. A request every part refuses the same way is one InputError.
ByTable segregation_by(const Project& project, const std::string& column, SegregationRequest request,
                       const Progress& progress = {});

/// Global Moran's I and Geary's C of every part (with their randomisation and, with
/// permutations, permutation p-values; each part with the request's seed), in parallel;
/// columns moran_i, moran_p_randomisation, moran_p_permutation, geary_c,
/// geary_p_randomisation, geary_p_permutation, weights_islands. With `request.privacy`'s
/// guard on and a manifest group's count or share, each part is autocorrelation() of the
/// part with the whole project's protected table's rows of it as `published`
/// (docs/privacy.md, "LISA"): only the part's units whose count that table prints enter,
/// with the weights among them; a part with fewer than 3 of them, or whose printed counts
/// show fewer than k residents of the group, is a suppressed row.
ByTable autocorrelation_by(const Project& project, const std::string& column, AutocorrRequest request,
                           unsigned threads = 0, const Progress& progress = {});

}  // namespace hq::analysis
