#pragma once
// A whole project in ONE GeoPackage (.gpkg): the data layers, the manifest (groups, names,
// colours, roles, CRS), the planner's zones, scenarios and settings (styles, visibility).
// A normal GeoPackage (QGIS and ogrinfo open it); docs/planning.md lists its tables.
//
// Saving is atomic (hq::AtomicFile, geo/io/writer.hpp): the file is written to a temporary
// in the same folder, fsynced, then renamed over the target, so a crash at any moment leaves
// the old or the new file. Every save records a new revision; a save may require the file
// on disk to still be at the revision it was opened at (two writers: docs/planning.md).
#include <optional>
#include <string>

#include "geo/core/progress.hpp"
#include "geo/model/document.hpp"
#include "geo/project/project.hpp"

namespace hq {

/// Format marker in huqian_manifest ("format" row) and its version.
inline constexpr const char* kGpkgProjectFormat = "huqian-project";
inline constexpr int kGpkgProjectVersion = 1;

struct GpkgProject {
    Project project;
    plan::PlanDocument document;
    std::string revision;  ///< the file's revision when opened ("" for a file saved before revisions)
};

/// A save that found the file on disk at another revision than the one it was opened at:
/// another writer saved it meanwhile. Nothing is lost: this writer's version was saved
/// beside as saved_as ("DIR/NAME.conflict-YYYYMMDDTHHMMSSZ.gpkg"); the message (zh and en,
/// one line) names both files.
class SaveConflict : public InputError {
public:
    SaveConflict(const std::string& path, std::string saved_as);
    std::string saved_as;
};

/// Saves atomically and returns the new revision. Layers are stored in WGS 84 (their display
/// geometry; no CRS when the project is planar), zones in the metric CRS.
/// `base_revision`: the revision the document was opened at; the save replaces the file only
/// while the file still has it (no file counts as ""), else it throws SaveConflict after
/// saving beside. nullopt: replace whatever is there (Save As, autosave's recovery file).
/// Throws InputError naming `path` on failure (the previous file, if any, is untouched);
/// hq::Cancelled when cancelled.
std::string save_gpkg_project(const Project& project, const plan::PlanDocument& document, const std::string& path,
                              const Progress& progress = {},
                              const std::optional<std::string>& base_revision = std::nullopt);

/// The revision recorded in a project GeoPackage ("" when it has none or does not exist).
std::string gpkg_project_revision(const std::string& path);

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
