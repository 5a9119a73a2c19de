#pragma once
// Evaluating intervention zones: whom a zone reaches, how diverse its catchment is, and
// what it would do to each group's exposure to the others (docs/planning.md gives every
// definition and assumption).
//
// A Planner is built once per project (unit representative points and areas, an STR
// index, the street graph, the existing venues' coverage) and then evaluates zones quickly
// (the viewer does it on every edit). It computes no statistic: the LISA clusters of every
// group come in its input, from geo/analysis (analysis::make_planner, the LISA map's request).
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "geo/core/progress.hpp"
#include "geo/geometry/spatial_index.hpp"
#include "geo/geometry/types.hpp"
#include "geo/plan/network.hpp"
#include "geo/privacy/tables.hpp"
#include "geo/stats/segregation.hpp"

namespace hq::plan {

enum class DistanceMode : std::uint8_t {
    Auto,      ///< along the streets when the project has a streets layer, else straight
    Straight,  ///< straight-line distance from the zone to the unit's representative point
    Network,   ///< along the street graph (needs streets)
};
const char* distance_mode_name(DistanceMode m);  ///< "auto", "straight", "network"

struct PlannerOptions {
    double radius = 300.0;             ///< walking radius in metres
    DistanceMode distance = DistanceMode::Auto;
    double snap = 1.0;                 ///< street graph: vertices closer than this are one node (m)
    double access = 50.0;              ///< network: straight walk allowed to/from the network (m)
    double exposure_fraction = 0.2;    ///< f: share of interaction time spent at the zone
    // The LISA request analysis::plan_input makes for every group (the planner does not use them).
    std::size_t lisa_permutations = 999;
    double lisa_alpha = 0.05;          ///< HH cluster: quadrant HH and pseudo p <= alpha
    std::uint64_t seed = 12345;
    /// The privacy guard of the output the planner feeds (docs/privacy.md, "LISA"): with the
    /// guard on, the HH clusters come from the published-only LISA (the clusters the LISA map
    /// of the group shows under the same guard); nullopt or the guard off: the raw LISA.
    std::optional<privacy::DisclosurePolicy> privacy;
    /// Existing activity venues: venue features whose "kind" (or "category") is one of these;
    /// empty = every venue.
    std::vector<std::string> venue_kinds{"activity_venue", "party_service_center"};
};

/// The plain data a Planner needs (analysis::plan_input builds it from a project; tests
/// fill it directly).
struct PlanInput {
    std::vector<std::string> unit_ids;
    std::vector<Geometry> units;      ///< metric polygons (or points)
    seg::CountMatrix counts;          ///< units × groups, names = group names
    std::vector<Geometry> streets;    ///< metric lines; may be empty
    std::vector<Vec2> venues;         ///< existing activity venues, metric; may be empty
    /// LISA high-high clusters of each group's share, units × groups (i·K + g): 1 when unit
    /// i is a HH cluster of group g (geo/analysis computes them). Empty = LISA unavailable.
    std::vector<char> hh;
    std::string lisa_note;            ///< why LISA is unavailable, or which groups were skipped
    std::string lisa_note_zh;         ///< the same in Chinese (the viewer's zh UI)
};

/// Which units a zone reaches: weight[i] in [0, 1] for every unit (0 = not reached).
struct Catchment {
    std::vector<double> weight;    ///< 1 when within the radius, else the overlapped share of its area
    std::vector<double> distance;  ///< reach distance (m) from the zone, +inf when beyond the radius
    std::vector<double> overlap;   ///< area(zone ∩ unit) / area(unit); 0 for point units
};

/// A catchment as a sparse list: the reached units only (weight > 0), by ascending unit
/// index; the weights are bit-identical to Catchment::weight. Costs time and memory in the
/// units it reaches, not in the planner's units (site suggestion at city scale).
struct SparseCatchment {
    std::vector<std::uint32_t> units;
    std::vector<double> weight;
};

struct GroupReach {
    std::string name;
    double total = 0.0;           ///< residents of the group in the study area
    double reached = 0.0;         ///< Σ_i w_i x_ig
    double share = 0.0;           ///< reached / total (NaN when total is 0)
    bool minority = false;        ///< every group except the largest one
    double hh_total = 0.0;        ///< residents of the group in its own LISA HH units
    double hh_reached = 0.0;
    double isolation_before = 0.0;    ///< xPx: exposure of the group to itself
    double isolation_after = 0.0;
    double interaction_before = 0.0;  ///< Σ_{h≠g} xPh = 1 − xPx
    double interaction_after = 0.0;
};

struct ReachedUnit {
    std::size_t index = 0;
    std::string id;
    double weight = 0.0;
    double distance = 0.0;  ///< +inf when reached only by overlap
    double overlap = 0.0;
    double residents = 0.0;
};

struct ZoneEvaluation {
    double radius = 0.0;
    DistanceMode distance = DistanceMode::Straight;  ///< the mode used (never Auto)
    double exposure_fraction = 0.0;
    std::vector<ReachedUnit> units;   ///< reached units, by unit index
    double residents_total = 0.0;
    double residents_reached = 0.0;
    std::vector<GroupReach> groups;
    double entropy = 0.0;             ///< −Σ π_g ln π_g of the catchment (NaN when empty)
    double entropy_normalised = 0.0;  ///< entropy / ln K
    double simpson_interaction = 0.0; ///< Σ π_g (1 − π_g)
    bool lisa_available = false;
    std::string lisa_note;            ///< why LISA is unavailable, or groups skipped
    std::string lisa_note_zh;         ///< the same in Chinese
    double hh_share = 0.0;            ///< Σ_g hh_reached / Σ_g hh_total (NaN when no HH units)
    bool venues_available = false;
    double redundancy = 0.0;          ///< share of reached residents already covered by a venue
    /// Mean exposure of the group to itself over all groups, weighted by group size, before
    /// and after (Σ_g X_g xPx_g / T).
    double mean_isolation_before = 0.0;
    double mean_isolation_after = 0.0;
};

/// Exposure matrices: e[g * K + h] = mean share of group h in the contacts of group g.
struct Exposure {
    std::size_t groups = 0;
    std::vector<double> before;
    std::vector<double> after;
};

class Planner {
public:
    explicit Planner(PlanInput input, const PlannerOptions& options = {}, const Progress& progress = {});

    [[nodiscard]] const PlannerOptions& options() const { return m_options; }
    [[nodiscard]] const PlanInput& input() const { return m_in; }
    [[nodiscard]] std::size_t unit_count() const { return m_in.unit_ids.size(); }
    [[nodiscard]] std::size_t group_count() const { return m_in.counts.groups; }
    [[nodiscard]] DistanceMode distance_mode() const { return m_mode; }
    [[nodiscard]] const std::vector<Vec2>& unit_points() const { return m_points; }
    [[nodiscard]] const StreetGraph& graph() const { return m_graph; }
    /// LISA HH membership: hh(i, g) true when unit i is a HH cluster of group g's share.
    [[nodiscard]] bool hh(std::size_t i, std::size_t g) const { return m_hh[i * group_count() + g] != 0; }
    [[nodiscard]] bool lisa_available() const { return m_lisa_ok; }
    /// Why LISA is unavailable, or which groups were skipped ("" when all went well).
    [[nodiscard]] const std::string& lisa_note() const { return m_lisa_note; }
    [[nodiscard]] const std::string& lisa_note_zh() const { return m_lisa_note_zh; }
    /// Units covered by an existing activity venue (reach distance <= radius).
    [[nodiscard]] const std::vector<char>& venue_covered() const { return m_venue_covered; }

    /// Changes the radius (recomputes the venues' coverage).
    void set_radius(double radius);

    /// The catchment of a polygonal zone (metric). An empty or non-polygonal zone reaches
    /// nothing. A point zone (a candidate site) is accepted too: then overlap is 0.
    [[nodiscard]] Catchment catchment(const Geometry& zone) const;
    /// The same catchment as the reached units only (through the spatial indexes and a
    /// Dijkstra bounded by the radius): what site suggestion stores per candidate.
    [[nodiscard]] SparseCatchment sparse_catchment(const Geometry& zone) const;
    /// Everything in ZoneEvaluation, for one zone.
    [[nodiscard]] ZoneEvaluation evaluate(const Geometry& zone) const;
    [[nodiscard]] ZoneEvaluation evaluate(const Catchment& catchment) const;

    /// Residential exposure and the activity-space exposure with the given zones
    /// (docs/planning.md): a resident of unit i spends f·w_iz / max(1, Σ_z w_iz) of their
    /// interaction time at zone z, where they meet zone z's catchment mix, and the rest at home.
    /// `counts` overrides the project's counts (scenario with household moves; same shape).
    [[nodiscard]] Exposure exposure(const std::vector<Catchment>& zones, const seg::CountMatrix* counts = nullptr) const;

    /// Reach distance from a zone to every unit (+inf beyond `limit`), by the planner's mode.
    [[nodiscard]] std::vector<double> reach_distances(const Geometry& zone, double limit) const;

private:
    void build(const Progress& progress);
    void compute_venue_coverage();
    /// (unit, reach distance) for the units within `limit`, ascending by unit, each once.
    void reach_entries(const Geometry& zone, double limit,
                       std::vector<std::pair<std::uint32_t, double>>& out) const;
    /// (unit, area(zone ∩ unit) / area(unit)) for the units whose box meets a polygonal zone's.
    [[nodiscard]] std::vector<std::pair<std::uint32_t, double>> overlaps(const Geometry& zone) const;

    PlanInput m_in;
    PlannerOptions m_options;
    DistanceMode m_mode = DistanceMode::Straight;
    std::vector<Vec2> m_points;       ///< representative point per unit (point on surface)
    std::vector<double> m_areas;
    std::vector<Box> m_boxes;
    SpatialIndex m_unit_index;        ///< over unit boxes
    SpatialIndex m_point_index;       ///< over representative points
    StreetGraph m_graph;
    std::vector<std::int64_t> m_access_node;  ///< nearest network node per unit (-1 none)
    std::vector<double> m_access_len;
    std::vector<std::size_t> m_node_unit_offsets;  ///< CSR: the units whose access node is each node
    std::vector<std::uint32_t> m_node_units;
    std::vector<double> m_group_totals;
    std::vector<char> m_hh;           ///< units × groups
    bool m_lisa_ok = false;
    std::string m_lisa_note, m_lisa_note_zh;
    std::vector<char> m_venue_covered;
    std::vector<char> m_minority;
    std::vector<double> m_exposure_before;  ///< residential exposure of the project's counts
};

/// The reach tables of zones evaluated together in one output, protected against
/// differencing between their catchments (privacy::zone_reach_tables, docs/privacy.md).
std::vector<privacy::ProtectedTable> zone_reach_tables(const PlanInput& input, const std::vector<ZoneEvaluation>& zones,
                                                       const privacy::DisclosurePolicy& policy);

/// Which exposure values of the zones' outputs may be printed (privacy::exposure_published)
/// from the protected units × groups table of `input`'s counts, built as every output builds
/// it (privacy::units_by_groups_table beside the group totals); every value with the guard off.
privacy::ExposurePublished exposure_published(const PlanInput& input, const privacy::DisclosurePolicy& policy);
/// The counts every derived value of plan compare's residential indices and plan suggest's
/// weights is computed from: with the guard on, the published estimate
/// (privacy::published_estimate) of `input`'s protected units × groups table, built as
/// exposure_published builds it — published cells as printed, withheld cells filled from the
/// published totals (docs/privacy.md, "Indices from the published table"); with the guard off
/// (or nothing withheld) the counts themselves, `estimate.any()` false.
struct PublishedCounts {
    seg::CountMatrix counts;            ///< units × groups, names as input.counts
    privacy::ProtectedTable cells;      ///< the protected table (empty with the guard off)
    privacy::PublishedEstimate estimate;
};
PublishedCounts published_counts(const PlanInput& input, const privacy::DisclosurePolicy& policy);
/// Whether a zone's redundancy may be printed: every reached unit's residents published
/// (privacy::catchment_units_published).
bool redundancy_published(const ZoneEvaluation& e, const privacy::DisclosurePolicy& policy);

namespace detail {
/// Distance from p to a polygonal (or point/line) geometry: 0 inside a polygon.
double point_geometry_distance(const Geometry& g, Vec2 p);
}  // namespace detail

}  // namespace hq::plan
