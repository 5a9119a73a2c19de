#pragma once
// Inspector, style and reading logic without GL or ImGui (tested directly): the rows shown
// for a venue or a micro-garden project, the local indices of a unit, the single-colour
// style of the units, the names of the graduated variables and the plain-language reading
// of a segregation index, in Chinese and English.
#include <string>
#include <vector>

#include "app/carto/scene.hpp"
#include "app/view/strings.hpp"

namespace hq::view {

struct InfoRow {
    std::string label, value;
};

/// A venue: id, kind (translated for the known kinds), Chinese and English names.
std::vector<InfoRow> venue_rows(const Layer& venues, std::size_t feature, UiLang lang);

struct ProjectInfo {
    std::vector<InfoRow> rows;          ///< id, names, status, dates, budget, households
    std::vector<InfoRow> participants;  ///< group name -> households ("<5" below 5), largest first
};
/// A micro-garden project (fields of data/shuhan/microgardens.geojson: status, start_date,
/// end_date, budget_cny, households, hh_<group> where the group column is pop_<group>).
/// Household counts below 5 print as "<5" (privacy).
ProjectInfo project_info(const Layer& projects, std::size_t feature, const Project& project, UiLang lang);

/// Local indices of every unit from the counts [group][unit] (geo/stats/segregation_multigroup):
/// normalised local entropy, local Simpson's interaction, location quotient per group.
/// Groups without residents are left out of the indices (their LQ is NaN).
struct LocalIndexTable {
    std::vector<double> entropy;              ///< per unit (NaN for an empty unit)
    std::vector<double> simpson_interaction;  ///< per unit
    std::vector<std::vector<double>> lq;      ///< [group][unit]
};
LocalIndexTable local_index_table(const std::vector<std::vector<double>>& counts);

/// Name of a graduated variable (an id of carto::local_index_ids()).
const char* variable_label(const std::string& id, UiLang lang);

/// The single-colour style: every unit that is not hatched is filled with `color`, the
/// composition glyphs go, the title, subtitle and first legend block say so. The scene
/// must come from MapKind::Composition (units, buildings and context, pies on top).
void apply_single_colour(carto::Scene& scene, carto::Color color, UiLang lang);

/// The plain-language reading of an index value for a group ("" when the panel has none).
std::string index_reading(const std::string& id, double value, const std::string& group, UiLang lang);

}  // namespace hq::view
