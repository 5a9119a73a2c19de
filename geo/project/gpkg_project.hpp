#pragma once
// A whole project in ONE GeoPackage (.gpkg): the data layers, the manifest (groups, names,
// colours, roles, CRS), the planner's zones, scenarios and settings (styles, visibility).
// A normal GeoPackage (QGIS and ogrinfo open it); docs/planning.md lists its tables.
//
// Saving is atomic: the file is written to a temporary .gpkg in the same folder, closed,
// then renamed over the target, so a crash at any moment leaves the old or the new file.
#include <string>

#include "geo/core/progress.hpp"
#include "geo/plan/document.hpp"
#include "geo/project/project.hpp"

namespace hq {

/// Format marker in huqian_manifest ("format" row) and its version.
inline constexpr const char* kGpkgProjectFormat = "huqian-project";
inline constexpr int kGpkgProjectVersion = 1;

struct GpkgProject {
    Project project;
    plan::PlanDocument document;
};

/// Saves atomically. Layers are stored in WGS 84 (their display geometry; no CRS when the
/// project is planar), zones in the metric CRS. Throws InputError naming `path` on failure
/// (the previous file, if any, is untouched); hq::Cancelled when cancelled.
void save_gpkg_project(const Project& project, const plan::PlanDocument& document, const std::string& path,
                       const Progress& progress = {});

/// Opens a project GeoPackage. Throws InputError naming the file when it is not a
/// GeoPackage, is corrupted, or is a GeoPackage that is not a huqian project.
GpkgProject open_gpkg_project(const std::string& path, const Progress& progress = {});
/// The project alone (what load_project does for a .gpkg project).
Project load_gpkg_project(const std::string& path, const Progress& progress = {});

/// True when `path` opens as a GeoPackage with a huqian_manifest table. Never throws.
bool is_gpkg_project(const std::string& path) noexcept;

/// Where autosave writes: "DIR/NAME.recovery.gpkg" for "DIR/NAME.gpkg".
std::string recovery_path(const std::string& path);
/// Saves to recovery_path(path) (atomically, like save_gpkg_project). The viewer calls it
/// every 30 s while there are unsaved edits (UndoStack::modified / revision).
void autosave(const Project& project, const plan::PlanDocument& document, const std::string& path,
              const Progress& progress = {});
/// A recovery file exists and is newer than `path` (or `path` does not exist): offer it.
bool has_recovery(const std::string& path) noexcept;
/// Removes the recovery file (after a normal save, or when the user declines it).
void discard_recovery(const std::string& path) noexcept;

}  // namespace hq
