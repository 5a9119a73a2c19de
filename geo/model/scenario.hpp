#pragma once
// A scenario, as a planner writes it: a named set of zones plus optional household moves
// (mixed housing). Part of the plan document (geo/model/document.hpp); evaluated by
// geo/plan/scenario.hpp (compare_scenarios).
#include <string>
#include <vector>

namespace hq::plan {

/// "Move `count` residents of group `group` from unit `from` to unit `to`."
struct HouseholdMove {
    std::string group;  ///< group name (as in the count matrix) or column
    std::string from;   ///< unit id
    std::string to;     ///< unit id
    double count = 0;
    friend bool operator==(const HouseholdMove&, const HouseholdMove&) = default;
};

struct Scenario {
    std::string name;
    std::string description;
    std::vector<std::string> zone_ids;  ///< ids of zones in the project's zone list
    std::vector<HouseholdMove> moves;
    friend bool operator==(const Scenario&, const Scenario&) = default;
};

/// Scenarios from their JSON text: an array, or an object with a "scenarios" array, of
/// {"name", "description"?, "zones"?: [zone ids], "moves"?: [{"group", "from", "to",
/// "count"}]} (docs/planning.md). Throws InputError naming `source` on malformed JSON.
std::vector<Scenario> scenarios_from_json(const std::string& text, const std::string& source);
/// scenarios_from_json of a file's contents; InputError naming the file if unreadable.
std::vector<Scenario> read_scenario_file(const std::string& path);

}  // namespace hq::plan
