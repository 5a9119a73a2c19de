#pragma once
// Inspector, style and reading logic without GL or ImGui (tested directly): the rows shown
// for a venue or a micro-garden project, the local indices of a unit, the single-colour
// style of the units, the names of the graduated variables and the plain-language reading
// of a segregation index, in Chinese and English.
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/carto/scene.hpp"
#include "app/view/strings.hpp"
#include "geo/analysis/planning.hpp"
#include "geo/privacy/tables.hpp"
#include "geo/analysis/segregation.hpp"

namespace hq::view {

struct InfoRow {
    std::string label, value;
};

/// A venue: id, kind (translated for the known kinds), Chinese and English names.
/// The statuses of projects and zones the viewer names in both languages (the data's keys).
inline constexpr std::pair<const char*, S> kStatusLabels[] = {{"proposed", S::StatusProposed},
                                                             {"approved", S::StatusApproved},
                                                             {"planned", S::StatusPlanned},
                                                             {"under_construction", S::StatusUnderConstruction},
                                                             {"completed", S::StatusCompleted}};
/// An index id's plain-language name in the UI language (geo/analysis's one table,
/// analysis::index_name): "con_prof" -> 集中度剖面 R / Concentration profile R; "ID:GROUP"
/// (a scenario comparison's per-group rows, GROUP a column or an English or Chinese group
/// name) -> the name followed by the group's name in the UI language (from `project` when
/// given); an unknown id as it is.
std::string index_label(const std::string& id, UiLang lang, const Project* project = nullptr);
/// A status key in the UI language ("proposed" -> 拟议); any other status as written.
std::string translate_status(const std::string& status, UiLang lang);

std::vector<InfoRow> venue_rows(const Layer& venues, std::size_t feature, UiLang lang);

struct ProjectInfo {
    std::vector<InfoRow> rows;          ///< id, names, status, dates, budget, households
    std::vector<InfoRow> participants;  ///< group name -> households (geo/privacy), largest published first
};
/// A micro-garden project (fields of data/shuhan/microgardens.geojson: status, start_date,
/// end_date, budget_cny, households, hh_<group> where the group column is pop_<group>).
/// Households by group are one protected table (geo/privacy) whose total is the households.
ProjectInfo project_info(const Layer& projects, std::size_t feature, const Project& project, UiLang lang);

/// The units × groups table as the viewer may show it (geo/privacy, default policy: k = 5,
/// guard on), with the group totals every output prints. Computed once per project.
privacy::ProtectedTable units_table(const std::vector<std::vector<double>>& counts);

/// The inspector's composition of a selection (one unit or several): every group's count
/// (the protected cell, or the sum of the selected cells: withheld when any part is),
/// its share ("—" when withheld), and the total. Published counts first, largest first;
/// withheld ones after in group order (the order reveals nothing of them).
struct CompositionRow {
    std::size_t group = 0;
    std::string count, share;
};
struct Composition {
    std::vector<CompositionRow> rows;
    std::string total;
    bool total_published = false;  ///< local indices of one unit are shown only then
};
Composition composition(const privacy::ProtectedTable& units, const std::vector<std::uint32_t>& selection);
/// Whether the inspector may show one unit's exact local values (normalised entropy,
/// Simpson's interaction, the LISA's I and z of a share): only when its total and every
/// count of it are published, as in the per-unit export (geo/analysis/per_unit). With the
/// total they give withheld counts back: entropy and Simpson of (3, 30, 0) of 33 name the
/// shares whichever cells are withheld.
bool unit_values_published(const privacy::ProtectedTable& units, std::uint32_t unit);

/// A zone's evaluation as the zone panel shows it: residents reached of all, and per group
/// the reach and its share of the group, through the protected reach table (as `plan
/// evaluate` prints them).
struct ReachView {
    std::string reached, total, share;
    std::vector<std::string> group_reached, group_share;  ///< per group
    /// Per group: its exposure (isolation, interaction) reads its counts and every unit
    /// total: withheld unless all are published and its total is (privacy::exposure_published),
    /// as in `plan evaluate`.
    std::vector<bool> exposure_withheld;
    /// Exact functions of withheld counts, shown "—" as in `plan evaluate` (docs/privacy.md,
    /// "Catchment diversity"): the catchment's entropy and Simpson index when a reach or the
    /// residents reached are withheld (privacy::catchment_mix_published), the redundancy when a
    /// reached unit's residents are (catchment_units_published), the mean isolation when any
    /// count is (exposure_published).
    bool mix_withheld = false;
    bool redundancy_withheld = false;
    bool mean_isolation_withheld = false;
    std::string minority_share;  ///< reach of all minority groups over their total; "—" when a part is withheld
    /// Residents of their group's LISA high-high clusters reached (ZoneEvaluation::hh_share),
    /// nullopt when LISA is unavailable. With the guard on the planner's clusters are the
    /// published-only LISA's (viewer_planner_options), so this is a function of published
    /// counts (docs/privacy.md, "LISA").
    std::optional<double> hh_share;
};
/// The planner options the viewer builds its planner with: the radius and distance mode of
/// the zone panel, and the viewer's privacy guard (`policy`, the one its tables use), so
/// that the HH clusters are those of the LISA mode's map of each group.
plan::PlannerOptions viewer_planner_options(double radius, plan::DistanceMode distance,
                                            const privacy::DisclosurePolicy& policy = {});
/// The zone panel's numbers for one zone, protected together with every other zone the
/// viewer shows (plan::zone_reach_tables, as `plan evaluate` does): two catchments must not
/// be differenced to a small count. `zones` are the document's zones in order (their
/// evaluations); `current` is the shown zone's live evaluation, in place of zones[*selected]
/// or, for a shape being drawn (selected = nullopt), after them. `units`: the protected units ×
/// groups table the inspector shows (built from `input` with `policy` when null).
ReachView zone_panel_reach(const plan::PlanInput& input, std::vector<plan::ZoneEvaluation> zones,
                           std::optional<std::size_t> selected, const plan::ZoneEvaluation& current,
                           const privacy::DisclosurePolicy& policy = {},
                           const privacy::ProtectedTable* units = nullptr);

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

/// The indices panel's values: geo/analysis's aspatial segregation suite for one group (vs
/// the rest) and the multigroup indices, as `indices` computes them. A group of fewer than
/// k residents gets no single-group indices, as `indices --group` refuses them (they say
/// where its few members live): `single` stays empty and `single_withheld` is set. `stamp`
/// is the policy's stamp ("" with the guard on).
struct IndicesView {
    std::string group;
    std::size_t group_index = 0;
    std::vector<seg::IndexValue> single;
    std::vector<seg::IndexValue> multi;
    /// Parallel to `single` and `multi`: how disclosure control shaped each value (the
    /// suite's analysis::IndexDisclosure; docs/privacy.md, "Indices from the published table").
    std::vector<analysis::IndexDisclosure> single_disclosure, multi_disclosure;
    std::vector<analysis::Note> notes;  ///< the suite's notes, shown under the tables
    bool single_withheld = false;
    std::string stamp;
};
IndicesView compute_indices(const Project& project, const Layer* units, std::size_t group,
                            const privacy::DisclosurePolicy& policy = {}, const Progress& progress = {});
/// The panel's values of one suite result: its single-group indices (when `with_single`),
/// the multigroup ones the panel lists, each with its disclosure, and the notes.
void set_index_values(IndicesView& view, const analysis::SegregationResult& result, bool with_single);

/// One row of the indices panel as drawn: the value through analysis::index_value_text
/// ("≈0.4771" estimated, "—" withheld), the reading (a withheld value's is its reason; an
/// estimated one's says so and what share was filled) and the value's tooltip.
struct IndexPanelRow {
    std::string id, label, value, reading, tooltip;
    bool withheld = false;
};
std::vector<IndexPanelRow> index_panel_rows(const IndicesView& view, bool single, const std::string& group_name,
                                            UiLang lang);
/// The notes the panel prints under its tables (the suite's, in `lang`).
std::vector<std::string> index_panel_notes(const IndicesView& view, UiLang lang);

/// A value with `decimals` decimals ("%.*f"); "–" when not finite.
std::string fixed_text(double v, int decimals);

/// The scenarios panel's comparison of two scenarios against the baseline: rows of {label,
/// baseline, a, b}. Residents reached is a lone count through geo/privacy, printed as
/// `plan compare` prints it (the baseline's 0 too: "<5"); `stamp` as in IndicesView. Index
/// values estimated from the published table print "≈", withheld ones "—" (analysis::
/// index_value_text); `notes` (in `lang`) say why: the estimate note, each withheld reason.
struct ScenarioTable {
    std::vector<std::array<std::string, 4>> rows;
    std::string stamp;
    std::vector<std::string> notes;
};
ScenarioTable scenario_table(const plan::ScenarioResult& a, const plan::ScenarioResult& b, UiLang lang,
                             const Project* project, const privacy::DisclosurePolicy& policy = {});

/// The plain-language reading of an index value for a group ("" when the panel has none).
std::string index_reading(const std::string& id, double value, const std::string& group, UiLang lang);

}  // namespace hq::view
