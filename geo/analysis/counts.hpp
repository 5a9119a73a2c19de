#pragma once
// The group count table of a project's units: read once, shared by every analysis and
// every surface (the map, the viewer's panels, the report, the CLI).
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "geo/privacy/disclosure.hpp"
#include "geo/project/project.hpp"
#include "geo/stats/segregation.hpp"

namespace hq::analysis {

/// The layer the analyses run on: the units layer, else the project's analysis layer
/// (nullptr without one).
const Layer* units_layer(const Project& project);

struct GroupCountTable {
    const Layer* layer = nullptr;             ///< owned by the project
    std::vector<std::string> columns;         ///< the manifest's group columns, in order
    std::vector<std::vector<double>> counts;  ///< [group][unit]
    std::vector<double> totals;               ///< per unit: the sum of the groups
    std::vector<double> group_totals;         ///< per group
    double total = 0;

    /// Groups with at least one resident (an all-zero group is invalid for the indices).
    [[nodiscard]] std::vector<std::size_t> with_residents() const;
    /// The units × groups matrix of `groups` (indices into columns), names = columns.
    [[nodiscard]] seg::CountMatrix matrix(const std::vector<std::size_t>& groups) const;
    /// Group g against the sum of the groups ("sum of the project's groups").
    [[nodiscard]] seg::GroupCounts group_vs_total(std::size_t g) const;
    /// g's share of each unit's total; 0 where the unit has no residents.
    [[nodiscard]] std::vector<double> share(std::size_t g) const;
};

/// Reads every manifest group's counts on `layer` (units_layer(project) when null).
/// InputError naming the field for a missing or bad column.
std::shared_ptr<const GroupCountTable> group_count_table(const Project& project, const Layer* layer = nullptr);

/// A manifest group's resident total on a layer and its registered / temporary split.
struct GroupSplitTotal {
    double total = 0;        ///< Σ of the group's count column (GroupCountTable::group_totals)
    double registered = -1;  ///< Σ of its registered column; -1 when the manifest names none
    double temporary = -1;   ///< Σ of its temporary column; -1 when the manifest names none
};
/// One per manifest group, in order, on `layer` (units_layer(project) when null; empty when
/// there is none). The registered and temporary columns are read only when the manifest
/// names them, as counts (InputError naming the field when one is missing or bad); whether
/// registered + temporary = total is left to the caller (`huqian info` publishes the split
/// only when it is complete).
std::vector<GroupSplitTotal> group_split_totals(const Project& project, const Layer* layer = nullptr);

/// The manifest group a user names by column, English name (any case), Chinese name or
/// column suffix ("tibetan" for "pop_tibetan"); -1 when none matches.
int find_group_index(const Project& project, const std::string& name);
/// The same, InputError listing the project's groups when none matches.
const GroupDef& find_group(const Project& project, const std::string& name);

/// Under the guard, a column the manifest names as a group's registered (常住) or temporary
/// (暂住) count cannot enter an analysis: its per-unit values are never published (only
/// `info`'s complete split totals are), so any statistic of it would read unpublished counts
/// of an ethnic group (docs/privacy.md, "Indices from the published table"). InputError
/// (zh/en, one line) naming `option` and the column; other columns the manifest does not name
/// are analysed as given. Nothing with the guard off.
void refuse_split_column(const Project& project, const std::string& column, const std::string& option,
                         const privacy::DisclosurePolicy& policy);

/// A count column by name: a field of the layer, else the manifest group's column whose
/// en/zh name it is; the name itself otherwise (read_counts then names the missing field).
std::string resolve_count_column(const Project& project, const Layer& layer, const std::string& name);

}  // namespace hq::analysis
