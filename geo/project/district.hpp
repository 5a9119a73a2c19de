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

}  // namespace hq::district
