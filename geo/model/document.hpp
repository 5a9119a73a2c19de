#pragma once
// What a planner edits: the zones, the scenarios, and generic key/value settings for
// styles and view state (layer visibility, colours...). Undo commands (geo/project/undo.hpp)
// change a PlanDocument; the GeoPackage project (geo/project/gpkg_project.hpp) saves it.
#include <map>
#include <string>
#include <vector>

#include "geo/model/scenario.hpp"
#include "geo/model/zone.hpp"
#include "geo/project/project.hpp"

namespace hq::plan {

struct PlanDocument {
    std::vector<Zone> zones;
    std::vector<Scenario> scenarios;
    /// Style and view state as text, e.g. "layer.role:streets.visible" = "false",
    /// "map.mode" = "lisa", "layer.role:units.opacity" = "0.6" (the viewer's keys are listed
    /// in docs/viewer.md, "View state in the project").
    std::map<std::string, std::string> settings;

    [[nodiscard]] const Zone* find_zone(const std::string& id) const;
    [[nodiscard]] Zone* find_zone(const std::string& id);
    [[nodiscard]] int zone_index(const std::string& id) const;  ///< -1 if absent
    /// "Z-n" with the smallest n above every existing "Z-m".
    [[nodiscard]] std::string next_zone_id() const;

    friend bool operator==(const PlanDocument&, const PlanDocument&) = default;
};

/// The plan a project folder (or single file) starts with: its zones layer as zones, no
/// scenarios, no settings. The one way every surface (viewer, `plan`, `project push`, the
/// scenario pages) derives it. InputError naming the layer for a bad zones layer.
PlanDocument document_from_project(const Project& project, std::vector<std::string>* warnings = nullptr);

}  // namespace hq::plan
