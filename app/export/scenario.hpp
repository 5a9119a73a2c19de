#pragma once
// Scenario exports and zone evaluations for printed material (docs/export.md):
//   - which scenarios a project offers (a .gpkg project's planning document, the implicit
//     "all_zones" scenario of its zones, a --scenarios JSON file), found by name;
//   - the before/after page of one scenario (two map panels, the index table, the legend);
//   - the zones' evaluations as report tables with plain-language sentences.
// The numbers come from geo/plan (Planner, compare_scenarios); nothing is recomputed here.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "app/carto/scene.hpp"
#include "app/export/render.hpp"
#include "geo/core/progress.hpp"
#include "geo/analysis/planning.hpp"
#include "geo/privacy/disclosure.hpp"

namespace hq::exporter {

/// The implicit scenario of every zone and no household moves ("all_zones", as in
/// `huqian plan compare`); "zones" and "all-zones" are accepted for it too.
inline constexpr const char* kAllZonesScenario = "all_zones";

/// The zones and scenarios a project offers.
struct ScenarioSet {
    std::vector<plan::Zone> zones;
    std::vector<plan::Scenario> scenarios;  ///< "all_zones" first (when there are zones), then the others
};

/// `zones` are the project's (its planning document's, or its zones layer's); `stored` the
/// scenarios stored with it (a .gpkg project's document) and those of a --scenarios file;
/// a later scenario with the same name replaces an earlier one.
ScenarioSet make_scenario_set(std::vector<plan::Zone> zones, const std::vector<plan::Scenario>& stored);

/// Zones of a project's zones layer (none when it has no such layer); warnings appended.
std::vector<plan::Zone> project_zones(const Project& project, std::vector<std::string>* warnings = nullptr);

/// The scenario called `name` (aliases of all_zones accepted). InputError listing the
/// available names otherwise.
const plan::Scenario& find_scenario(const ScenarioSet& set, const std::string& name);

struct ScenarioOptions {
    double radius = 300.0;           ///< catchment walking radius (m)
    double fraction = 0.2;           ///< activity-space model: share f of contact time at a zone
    std::size_t permutations = 999;  ///< two-value test of each residential change (0 = none)
    std::uint64_t seed = 12345;
};

/// Builds the before/after page of a scenario. `request` is the map of both panels; only
/// kinds whose classes do not depend on the data (composition, dominant, lisa:GROUP) are
/// accepted so that the two panels are comparable. Throws InputError (unknown scenario,
/// bad move, unsupported map kind).
ScenarioPage build_scenario_page(std::shared_ptr<const Project> project, const ScenarioSet& set,
                                 const std::string& name, const carto::MapRequest& request,
                                 const ScenarioOptions& options = {}, const Progress& progress = {});

// [SECTION] Zone evaluations for the report ---------------------------------------------------

struct ZoneReport {
    std::string id;
    std::string name;                            ///< in the report's language
    std::string summary;                         ///< plain-language sentences
    std::vector<std::vector<std::string>> rows;  ///< first row is the header (measure, value)
};

/// One table per zone (residents reached, diversity, minority reach, HH share, redundancy,
/// exposure before/after), counts through the privacy guard of `request`; the HH clusters
/// from the LISA under that guard (options.privacy is set from it).
std::vector<ZoneReport> zone_reports(const Project& project, const std::vector<plan::Zone>& zones,
                                     const carto::MapRequest& request,
                                     const plan::PlannerOptions& options = {}, const Progress& progress = {});

}  // namespace hq::exporter
