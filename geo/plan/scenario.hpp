#pragma once
// Scenarios evaluated: a scenario (geo/model/scenario.hpp: a named set of zones plus
// optional household moves) applied to the count matrix and compared with the global
// segregation indices, a random-label permutation test of each change, and the change
// per unit.
#include <cstdint>
#include <string>
#include <vector>

#include "geo/core/progress.hpp"
#include "geo/model/scenario.hpp"
#include "geo/model/zone.hpp"
#include "geo/plan/planner.hpp"
#include "geo/stats/segregation.hpp"

namespace hq::plan {

/// What apply_moves does with a move of more residents than the unit's group has at that point.
enum class Overdraw {
    Error,        ///< InputError "..., which has only N" (the guard off: the data owner)
    ErrorNoCount, ///< InputError without the count (the guard on: a small or withheld count is never printed)
    Clamp,        ///< take what there is (counts estimated from the published table: the fill may hold less)
};

/// Applies the moves in order. `group_keys[g]` lists the names by which group g may be
/// named (e.g. its column, English and Chinese names). Throws InputError naming the move
/// for an unknown group or unit, a move from a unit to itself, a non-positive or fractional
/// count, or (unless `overdraw` is Clamp) a move of more residents than the unit has at that
/// point. With Clamp, `clamped` (when given) is set when a move took less than it asked.
seg::CountMatrix apply_moves(const seg::CountMatrix& counts, const std::vector<std::string>& unit_ids,
                             const std::vector<std::vector<std::string>>& group_keys,
                             const std::vector<HouseholdMove>& moves, const std::string& scenario = {},
                             Overdraw overdraw = Overdraw::Error, bool* clamped = nullptr);

/// A global index value: id (PySAL snake_case id, with ":group" for single-group ones).
struct IndexChange {
    std::string id;
    double before = 0.0;
    double after = 0.0;
    double difference = 0.0;     ///< after − before
    /// Two-value test, two-sided (PySAL's 2·min(#{sim > d}, #{sim < d}) / #valid); NaN when
    /// not run; 1 when the scenario has no household moves (counts unchanged: no change to test).
    double p_value = 0.0;
    std::size_t permutations = 0;
    /// A single-group index ("dissim:G", "isolation:G", "interaction:G") of a group of fewer
    /// than k residents before or after the moves: withheld (NaN values, no test), as
    /// `indices --group` refuses such a group (docs/privacy.md). Under the guard also a value
    /// estimated from the published table whose filled share exceeds privacy::kMaxFilledShare
    /// or whose group total is withheld (privacy::estimate_use).
    bool withheld = false;
    /// Under the guard, before and after (and the test) are computed from the published
    /// estimate (plan::published_counts, then the public moves) whenever the index reads a
    /// withheld cell: estimated ("≈"), with the share of the residents it reads that was filled.
    bool estimated = false;
    double filled_share = 0.0;
    std::string reason_zh, reason_en;  ///< why withheld ("" otherwise)
};

/// The global indices computed for a scenario: every aspatial multigroup index of
/// geo/stats (multi_dissim, multi_gini, ..., multi_divergence), then dissim, isolation and
/// interaction for each group against the rest. Groups with no residents are skipped.
std::vector<seg::IndexValue> global_indices(const seg::CountMatrix& m);

/// One index by the ids global_indices uses ("multi_dissim", "dissim:Tibetan", ...).
double global_index(const std::string& id, const seg::CountMatrix& m);

/// The two-value test of each index change (geo/stats/seg_inference.hpp, PySAL's
/// TwoValueTest): baseline counts against the scenario's counts.
struct ChangeTestOptions {
    std::size_t permutations = 0;  ///< 0 = no test
    std::uint64_t seed = 12345;
    std::string null = "random_label";  ///< random_label, bootstrap or person_permutation
    unsigned threads = 0;
    privacy::DisclosurePolicy privacy;  ///< single-group indices of a small group are withheld
};

struct UnitChange {
    std::string id;
    std::vector<double> delta;        ///< per group: after − before
    double total_before = 0, total_after = 0;
    double simpson_before = 0, simpson_after = 0;  ///< local Simpson interaction (NaN at empty units)
    double reach = 0;                 ///< max zone weight over the scenario's zones
};

struct ScenarioResult {
    std::string name;
    std::size_t zones = 0;
    std::size_t moves = 0;
    std::vector<IndexChange> indices;  ///< against the baseline (the project's counts)
    std::vector<UnitChange> units;
    double residents_reached = 0;      ///< union of the zones' catchments (max weight per unit)
    /// Group-size-weighted mean isolation Σ_g X_g xPx_g / T: residential, baseline counts ...
    double mean_isolation_before = 0;
    /// ... and activity-space exposure (Planner::exposure) with the scenario's moves and zones.
    double mean_isolation_after = 0;
    std::vector<double> isolation_after;  ///< per group, with zones and moves
    /// With the guard on (ChangeTestOptions::privacy), the exposure values read withheld
    /// cells as `plan evaluate`'s do (exposure_published, docs/privacy.md "Catchment diversity
    /// and exposure"): the mean isolation (before and after) is NaN and this flag is set unless
    /// every cell and total is published; a group's isolation_after is NaN unless all of its
    /// cells, its total and every unit total are (the moves are public, so the counts after
    /// them withhold the same cells).
    bool mean_isolation_withheld = false;
    /// Under the guard: a move took more residents from a filled cell of the published
    /// estimate than the fill holds, and the estimate after the moves was clamped at 0 there.
    bool estimate_clamped = false;
};

/// Evaluates each scenario against the baseline (no zones, no moves). `zones` is the
/// project's zone list; a scenario naming a missing zone is an InputError. With the guard on
/// (test.privacy) the moves are checked against the counts without printing one, and the
/// global indices (before, after, the test) read the published estimate of the counts (plan::
/// published_counts) with the moves applied to it (clamped at 0): no index is then a function
/// of a withheld count (docs/privacy.md, "Indices from the published table").
std::vector<ScenarioResult> compare_scenarios(const Planner& planner, const std::vector<Zone>& zones,
                                              const std::vector<Scenario>& scenarios,
                                              const std::vector<std::vector<std::string>>& group_keys,
                                              const ChangeTestOptions& test = {}, const Progress& progress = {});

}  // namespace hq::plan
