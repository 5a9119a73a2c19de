#pragma once
// A district's communities in one PostGIS database (issue 18; schema in docs/postgis.md).
//
// Every community is a project: its layers in the role tables (boundary, units, buildings,
// venues, projects, streets, zones) keyed by `community`, its manifest in `communities`, its
// groups in `groups`, its shared plan in `plans` (with a revision) and `plan_zones`. A
// community goes in and out through a project GeoPackage (geo/project/gpkg_project.hpp), so
// a community opened from the database passes exactly the checks a project file passes.
// Everything reaches the database through GDAL's PostgreSQL driver, only for a database the
// user named (geo/io/postgis.hpp); every write is one transaction.
#include <optional>
#include <string>
#include <vector>

#include "geo/core/progress.hpp"
#include "geo/project/gpkg_project.hpp"

namespace hq::district {

/// The plan every community shares (plans.plan); conflicting saves are kept under other names.
inline constexpr const char* kMainPlan = "main";

/// Creates the district tables, their indexes and the postgis extension's use (idempotent).
void create_schema(const std::string& source);

/// Writes a project's layers, groups and manifest as community `community`, replacing what
/// the database held for it, in one transaction. The project's plan becomes the community's
/// plan when it has none yet (a shared plan is changed only by save_plan). Returns the
/// number of features written. Throws InputError (a planar project, a column named
/// fid/community/geom, a database error).
std::size_t push(const std::string& source, const std::string& community, const Project& project,
                 const plan::PlanDocument& document, const Progress& progress = {});

/// The communities in the database, sorted.
std::vector<std::string> communities(const std::string& source);

/// The path of a community opened from the database ("PG:… community NAME", the source
/// redacted): Project::path after open_community.
std::string community_path(const std::string& source, const std::string& community);

/// Opens a community as a project (with its plan; `revision` = the plan's revision).
/// Throws InputError naming the redacted source and the community.
GpkgProject open_community(const std::string& source, const std::string& community, const Progress& progress = {});

/// Writes a community as a project GeoPackage at `path` (atomically; checked by opening it).
void pull(const std::string& source, const std::string& community, const std::string& path,
          const Progress& progress = {});

/// A plan save that found the plan changed by someone else since it was opened. Nothing is
/// lost: this save was kept beside as plan `saved_as`; the message (zh and en) names it.
class PlanConflict : public InputError {
public:
    PlanConflict(const std::string& community, std::string saved_as);
    std::string saved_as;
};

/// Saves the plan (zones, scenarios, settings) of a community in one transaction and returns
/// its new revision. `base_revision`: the revision the plan was opened at; when the database
/// holds another, this plan is saved as "conflict-TIME-RANDOM" and PlanConflict is thrown.
/// nullopt: replace whatever is there.
std::string save_plan(const std::string& source, const std::string& community, const Project& project,
                      const plan::PlanDocument& document, const std::optional<std::string>& base_revision,
                      const std::string& plan_name = kMainPlan);

/// The revision of a community's plan ("" when it has none).
std::string plan_revision(const std::string& source, const std::string& community,
                          const std::string& plan_name = kMainPlan);

/// The names of a community's plans (the main plan and any conflict copies), sorted.
std::vector<std::string> plans(const std::string& source, const std::string& community);

// [SECTION] The viewer's autosave and recovery of a database plan ---------------------------
// A community's plan opened from the database is autosaved like a file's, to a recovery
// file in the user's state folder keyed by the database and the community (never holding
// the password: the key is pg::database_key's host, port, dbname, service and user).

/// The "project file" whose recovery file (hq::recovery_path) holds a community's unsaved
/// plan: $XDG_STATE_HOME/huqian/district-plans/HASH.gpkg (else ~/.local/state/huqian/...),
/// HASH (16 hex digits) of the database key and the community; the folder is created. The
/// file itself is never written. Throws InputError when neither XDG_STATE_HOME nor HOME is set.
std::string plan_recovery_target(const std::string& source, const std::string& community);

/// Autosaves `document` (opened at `base_revision`, nullopt: a plan the database did not
/// have) to plan_recovery_target's recovery file, the base revision recorded with it.
void autosave_plan(const std::string& source, const std::string& community, const Project& project,
                   const plan::PlanDocument& document, const std::optional<std::string>& base_revision,
                   const Progress& progress = {});

/// A recovered plan: the document as autosaved and the revision it was opened at (a save
/// from it is checked against that revision, not the one the database holds now).
struct RecoveredPlan {
    plan::PlanDocument document;
    std::optional<std::string> base_revision;
};
/// The community's autosaved plan, when there is a recovery file. Throws InputError for a
/// recovery file that cannot be read (naming it).
std::optional<RecoveredPlan> recovered_plan(const std::string& source, const std::string& community);

/// Saves the plan (save_plan: one transaction, the revision check, a conflict kept beside)
/// and, once saved, removes the community's recovery file. Returns the new revision.
std::string save_plan_and_discard_recovery(const std::string& source, const std::string& community,
                                           const Project& project, const plan::PlanDocument& document,
                                           const std::optional<std::string>& base_revision);

}  // namespace hq::district
