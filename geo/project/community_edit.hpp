#pragma once
// What the viewer's "community from nothing" needs beyond geo/project/unit_edit.hpp and
// roster.hpp: renaming a unit (the committee's own numbers, so the roster matches), a new group
// count column, the roster's counts put on the units as ONE undo step, and the edited project
// written back to its folder. GL-free; app/view/community.hpp drives these.
#include <memory>
#include <string>

#include "geo/project/project.hpp"
#include "geo/project/roster.hpp"
#include "geo/project/undo.hpp"

namespace hq {

/// Renames a feature: its id and its id column's cell. apply() throws InputError naming the
/// layer and feature when the new id is empty, longer than 64 bytes, holds a control character
/// or is taken.
std::unique_ptr<Command> rename_feature(Project& project, Role role, std::string old_id, std::string new_id);

/// Adds a group: its count column (Integer, 0 for every unit) on the units layer and the
/// GroupDef; "units" becomes a count role. apply() throws InputError when the column exists.
std::unique_ptr<Command> add_group_column(Project& project, GroupDef group);

/// apply_roster (geo/project/roster.hpp) as an undo step: revert restores the units layer, the
/// groups and the count roles as they were. apply() rethrows apply_roster's errors.
std::unique_ptr<Command> apply_roster_step(Project& project, RosterCounts counts);

/// Writes an edited project back to `dir` (created when missing): the units and the boundary
/// as units.geojson and boundary.geojson (WGS 84, ids in their id column, one Integer column
/// per group) through the atomic writer, then project.json naming them, the groups and count
/// role "units" (a units "join" is dropped: the counts are in the file now). Other keys and
/// layers of an existing project.json are kept. A folder that holds files but no project.json
/// is refused. Throws InputError naming the file.
void write_project_folder(const std::string& dir, const Project& project);

}  // namespace hq
