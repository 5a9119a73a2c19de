#pragma once
// Editing a project's layers (units, buildings, boundary...) as undoable commands, GL-free:
// digitising a unit over a basemap, moving its vertices, deleting it, and the attribute
// table (edit a cell with validation, paste a block from a spreadsheet). The viewer's
// digitising tools and attribute table panel push these on its UndoStack (geo/project/undo.hpp).
//
// Geometry comes in the project's metric CRS (what the map tools work in, metres); the
// command keeps the layer's display geometry (WGS 84) in step. Features are found by id when
// a command runs, so commands stay valid when other features are added or removed.
#include <memory>
#include <optional>
#include <string>

#include "geo/io/layer.hpp"
#include "geo/project/project.hpp"
#include "geo/project/undo.hpp"

namespace hq {

/// Adds a feature with `id` and `metric_geometry` to the layer of `role`, creating the layer
/// (empty, in memory) when the project has none (revert removes it again). Its cells are null,
/// the group count columns 0. apply() throws InputError when the id is empty or taken, or the
/// geometry does not suit the role (units: polygons or points; boundary, buildings: polygons).
std::unique_ptr<Command> add_feature(Project& project, Role role, std::string id, Geometry metric_geometry);
/// Removes a feature (revert puts it back at its place with its cells).
std::unique_ptr<Command> delete_feature(Project& project, Role role, std::string id);
/// Replaces a feature's geometry (a vertex moved, inserted or deleted; a reshape).
std::unique_ptr<Command> set_feature_geometry(Project& project, Role role, std::string id, Geometry metric_geometry,
                                              std::string description = "Edit shape");

/// A cell typed as the user wrote it, checked against its column: Integer columns take whole
/// numbers, Real columns numbers, Date columns YYYY-MM-DD; a group count column (the project's
/// groups, on a count role) takes whole numbers from 0 to 1e9 and no empty cell; "" is null
/// elsewhere. Throws InputError naming the layer, feature, field and the text.
Value parse_cell(const Project& project, Role role, const std::string& id, const std::string& field,
                 const std::string& text);
/// Sets one cell (parse_cell's rules, checked when built: throws InputError then).
std::unique_ptr<Command> set_cell(Project& project, Role role, std::string id, std::string field, const std::string& text);
/// Adds a column (all null; Integer count columns all 0 when `field` is a group's column).
/// apply() throws InputError when the name is taken or empty.
std::unique_ptr<Command> add_column(Project& project, Role role, Field field);

/// Pastes a block copied from a spreadsheet (rows by newline, cells by tab; a trailing newline
/// ignored) with its top-left cell at feature `first_id`, column `first_field`, over the
/// table's rows and columns in order. Every cell is checked first (parse_cell): a bad cell,
/// a block running past the last row or column, throws InputError naming it and nothing is
/// pushed; else one undo step ("Paste N cells") is pushed on `stack`.
void paste_cells(UndoStack& stack, Project& project, Role role, const std::string& first_id,
                 const std::string& first_field, const std::string& tsv);

/// The smallest "PREFIX-n" (n ≥ 1) no feature of the layer has (a new unit's id: "U-1").
std::string next_feature_id(const Project& project, Role role, const std::string& prefix = "U");

}  // namespace hq
