#pragma once
// A community's units (courtyards, buildings) as the viewer digitises them from nothing: ids,
// polygons in the project's metric CRS and one non-negative integer count per group column,
// with undoable edits (commands for hq::UndoStack, geo/project/undo.hpp), and the project
// folder a new community is written as (project.json + GeoPackage layers, atomically).
// No GL, no UI: app/view/community.hpp validates input and drives these.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "geo/crs/crs.hpp"
#include "geo/geometry/types.hpp"
#include "geo/io/layer.hpp"
#include "geo/project/project.hpp"
#include "geo/project/undo.hpp"

namespace hq {

/// The largest count a cell may hold (read_counts refuses more).
inline constexpr std::int64_t kMaxUnitCount = 1'000'000'000;
/// At most this many units / count columns in a digitised table.
inline constexpr std::size_t kMaxUnits = 100'000;
inline constexpr std::size_t kMaxUnitColumns = 200;

/// The attribute part of a unit table (ids, count columns, counts): what attribute edits,
/// pastes and a roster import change, snapshotted by one undo step.
struct UnitAttributes {
    std::vector<std::string> ids;                   ///< unique, one per unit
    std::vector<std::string> columns;               ///< count columns (group columns)
    std::vector<std::vector<std::int64_t>> counts;  ///< [unit][column], 0 ≤ n ≤ kMaxUnitCount
    friend bool operator==(const UnitAttributes&, const UnitAttributes&) = default;
};

struct UnitTable {
    UnitAttributes attr;
    std::vector<Geometry> geometry;  ///< metric CRS, one per unit
    [[nodiscard]] std::size_t size() const { return attr.ids.size(); }
    [[nodiscard]] int find(const std::string& id) const;          ///< -1 if absent
    [[nodiscard]] int column(const std::string& name) const;      ///< -1 if absent
    /// "U-n" with the smallest n ≥ size()+1 that no unit has.
    [[nodiscard]] std::string next_id(const std::string& prefix = "U-") const;
};

// [SECTION] Commands (not yet applied: push them on an UndoStack; the table must outlive them)

/// Inserts a unit at `index` (≤ size) with zero counts.
std::unique_ptr<Command> add_unit(UnitTable& t, std::size_t index, std::string id, Geometry g);
/// Removes the unit at `index` (revert puts it back with its counts).
std::unique_ptr<Command> delete_unit(UnitTable& t, std::size_t index);
/// Replaces the geometry of the unit at `index` (vertex moves, inserts, deletes).
std::unique_ptr<Command> set_unit_geometry(UnitTable& t, std::size_t index, Geometry g,
                                           std::string description = "Edit unit shape");
/// Replaces ids, columns and counts at once (a cell edit, a paste, a roster import). The
/// number of ids must equal the number of units; every row has one count per column.
/// apply() throws InputError otherwise.
std::unique_ptr<Command> set_unit_attributes(UnitTable& t, UnitAttributes after, std::string description);

// [SECTION] Reading and writing

/// The table of a project's units layer: its ids, metric geometry and the group columns as
/// counts (read_counts' checks; a missing column becomes zeros).
UnitTable unit_table_from_layer(const Layer& layer, const std::vector<std::string>& columns);
/// A layer of the table (display geometry transformed from `metric` to WGS 84).
Layer unit_table_layer(const UnitTable& t, const Crs& metric, const std::string& name = "units");

/// What project.json of a new community says.
struct CommunitySpec {
    std::string name_zh, name_en;
    Crs metric;                          ///< the project's CRS (projected, metres)
    std::optional<Geometry> boundary;    ///< metric CRS
    std::vector<GroupDef> groups;        ///< count columns of the units (names and colours)
};

/// Writes (or rewrites) the project folder `dir` (created when missing): `boundary.gpkg`
/// when the spec has a boundary, `units.gpkg` when the table has units (geometry in the
/// metric CRS, ids in "id", one Integer64 column per group), and `project.json` naming them,
/// the CRS and the groups; each file through the atomic writer, project.json last. A folder
/// that holds files but no project.json is refused (never mixes with someone's files).
/// Throws InputError naming the file on failure.
void write_community_folder(const std::string& dir, const CommunitySpec& spec, const UnitTable& units);

}  // namespace hq
