#pragma once
// Suggesting sites: the maximal covering location problem (Church & ReVelle 1974,
// "The maximal covering location problem", Papers of the Regional Science Association 32)
// with fractional coverage.
//
// Candidate c covers unit i with a weight a_ic in [0, 1] (its catchment weight,
// Planner::catchment; stored sparse: Planner::sparse_catchment). A set S of sites covers
// unit i by max_{c ∈ S} a_ic, and the objective is F(S) = Σ_i v_i · max_{c ∈ S} a_ic,
// where v_i is the unit's weight of isolated residents (unit_isolation_weights). F is
// monotone submodular (a weighted facility-location function), so the greedy choice
// reaches at least (1 − 1/e) of the optimum (Nemhauser, Wolsey & Fisher 1978). Exact
// enumeration is used when C(n, k) is at most `exact_limit`.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "geo/core/progress.hpp"
#include "geo/geometry/types.hpp"
#include "geo/stats/segregation.hpp"

namespace hq::plan {

class Planner;

/// v_i = Σ_g α_g · x_ig · p_ig with p_ig = x_ig / t_i: the residents of unit i, each
/// weighted by their local isolation (the share of their own group among their unit's
/// residents, i.e. the chance that a co-resident met at random is of their own group).
/// Σ_g x_ig p_ig = t_i (1 − local Simpson interaction): the same number as weighting by one
/// minus the local diversity. `alpha` empty = 1 for every group. Units with t_i = 0 get 0.
std::vector<double> unit_isolation_weights(const seg::CountMatrix& m, const std::vector<double>& alpha = {});

/// One candidate's coverage, sparse: the units it covers (a_ic > 0), by ascending unit index.
struct CoverageRow {
    std::vector<std::uint32_t> units;  ///< ascending, each once
    std::vector<double> weight;        ///< a_ic in [0, 1] (stored only when > 0), parallel to `units`
};

/// A dense row (a_ic for every unit) as a CoverageRow: the entries above 0 (small problems, tests).
CoverageRow coverage_row(const std::vector<double>& dense);

struct CoverageProblem {
    std::vector<double> unit_weight;    ///< v_i ≥ 0
    std::vector<CoverageRow> coverage;  ///< one row per candidate
    /// coverage_problem under the guard with withheld cells: the weights (and so the picks,
    /// gains, objective and total weight) come from the published estimate; `filled_share` =
    /// its filled residents / all residents (privacy::estimate_use over every group).
    bool estimated = false;
    double filled_share = 0.0;
    /// Σ over candidates of the units they cover: the (candidate, unit) pairs stored.
    [[nodiscard]] std::size_t entries() const;
};

struct SitePick {
    std::size_t candidate = 0;
    double marginal_gain = 0.0;  ///< F(picks up to this one) − F(picks before it)
    double cumulative = 0.0;
};

struct SiteSuggestion {
    bool exact = false;          ///< true: optimum by enumeration; false: greedy
    double objective = 0.0;      ///< F(S)
    double total_weight = 0.0;   ///< Σ v_i (F of covering everything fully)
    std::vector<SitePick> picks; ///< ranked: in greedy order of marginal gain
    std::size_t evaluated = 0;   ///< subsets (exact) or gain evaluations (greedy, lazy: see below)
};

struct SuggestOptions {
    std::size_t k = 3;
    double exact_limit = 1e6;    ///< enumerate when C(n, k) <= this
    bool force_greedy = false;
    unsigned threads = 0;
};

/// The coverage is sparse: each candidate stores the units its catchment reaches (a unit
/// index and a weight, 12 bytes per pair). Above this many pairs site suggestion is refused
/// (about 3.6 GB of rows). A `huqian synth` city holds 55.7 pairs per candidate at the
/// default 300 m (measured at 100,000 units; docs/planning.md), so 1,000,000 units with every
/// unit a candidate need about 5.6·10⁷ pairs (0.7 GB); the limit leaves room for a city five
/// times as dense.
inline constexpr std::size_t kMaxSuggestEntries = 300'000'000;
/// Before the planner is built (the CLI): InputError (zh / en, one line, naming the sizes and
/// the limit) when the candidates alone exceed kMaxSuggestEntries (a unit's candidate covers at
/// least that unit; candidates × units is only an upper bound of the pairs, which are counted
/// and checked while coverage_problem() builds the rows).
void check_suggest_size(std::size_t candidates, std::size_t units);
/// InputError (zh / en, one line) when `entries` pairs (counted over the first `done` of
/// `candidates`) exceed kMaxSuggestEntries: a smaller radius or fewer candidates are needed.
void check_suggest_entries(std::size_t entries, std::size_t done, std::size_t candidates, std::size_t units);

/// The coverage problem of `count` candidate sites (candidate(c) is site c's metric geometry:
/// a point or a zone) with the planner's catchments and unit isolation weights. Under the
/// planner's guard (PlannerOptions::privacy; nullopt = the default guard) the weights are those
/// of the published estimate (plan::published_counts: a unit's Σ_g x²/t would otherwise pin
/// its withheld cells; docs/privacy.md, "Indices from the published table"). Rows are
/// computed in parallel through the planner's spatial indexes (Planner::sparse_catchment), in
/// blocks; the pair count is checked against kMaxSuggestEntries after each block.
CoverageProblem coverage_problem(const Planner& planner, std::size_t count,
                                 const std::function<const Geometry&(std::size_t)>& candidate,
                                 const Progress& progress = {}, unsigned threads = 0);

/// Chooses min(k, candidates) sites. Ties are broken by the lower candidate index (greedy)
/// or the lexicographically first subset (exact). Throws InputError for k = 0, rows that do
/// not match the units (an index out of range or not ascending, a weight outside [0, 1]),
/// negative / non-finite unit weights, or more pairs than kMaxSuggestEntries.
///
/// Greedy is lazy (CELF: Minoux 1978, "Accelerated greedy algorithms for maximizing
/// submodular set functions", Optimization Techniques, Lecture Notes in Control and
/// Information Sciences 7): a candidate's gain is recomputed only when its previous gain, an
/// upper bound by submodularity, heads the queue; the picks, gains and ties are those of
/// recomputing every gain at every step.
SiteSuggestion suggest_sites(const CoverageProblem& problem, const SuggestOptions& options = {},
                             const Progress& progress = {});

/// F(S) for a given set of candidates.
double coverage_objective(const CoverageProblem& problem, const std::vector<std::size_t>& sites);

/// C(n, k) as a double (exact up to 2^53).
double binomial(std::size_t n, std::size_t k);

}  // namespace hq::plan
