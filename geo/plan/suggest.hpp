#pragma once
// Suggesting sites: the maximal covering location problem (Church & ReVelle 1974,
// "The maximal covering location problem", Papers of the Regional Science Association 32)
// with fractional coverage.
//
// Candidate c covers unit i with a weight a_ic in [0, 1] (its catchment weight,
// Planner::catchment). A set S of sites covers unit i by max_{c ∈ S} a_ic, and the
// objective is F(S) = Σ_i v_i · max_{c ∈ S} a_ic, where v_i is the unit's weight of
// isolated residents (unit_isolation_weights). F is monotone submodular (a weighted
// facility-location function), so the greedy choice reaches at least (1 − 1/e) of the
// optimum (Nemhauser, Wolsey & Fisher 1978). Exact enumeration is used when C(n, k) is at
// most `exact_limit`.
#include <cstdint>
#include <string>
#include <vector>

#include "geo/core/progress.hpp"
#include "geo/stats/segregation.hpp"

namespace hq::plan {

/// v_i = Σ_g α_g · x_ig · p_ig with p_ig = x_ig / t_i: the residents of unit i, each
/// weighted by their local isolation (the share of their own group among their unit's
/// residents, i.e. the chance that a co-resident met at random is of their own group).
/// Σ_g x_ig p_ig = t_i (1 − local Simpson interaction): the same number as weighting by one
/// minus the local diversity. `alpha` empty = 1 for every group. Units with t_i = 0 get 0.
std::vector<double> unit_isolation_weights(const seg::CountMatrix& m, const std::vector<double>& alpha = {});

struct CoverageProblem {
    std::vector<double> unit_weight;             ///< v_i ≥ 0
    std::vector<std::vector<double>> coverage;   ///< coverage[c][i] = a_ic in [0, 1]
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
    std::size_t evaluated = 0;   ///< subsets (exact) or gain evaluations (greedy)
};

struct SuggestOptions {
    std::size_t k = 3;
    double exact_limit = 1e6;    ///< enumerate when C(n, k) <= this
    bool force_greedy = false;
    unsigned threads = 0;
};

/// The coverage matrix is dense (candidates × units doubles) and each candidate's catchment
/// is a pass over the units: above this many cells site suggestion is refused (a 100,000-unit
/// city with every unit a candidate would need 80 GB). 5·10⁷ cells = 400 MB.
inline constexpr double kMaxSuggestCells = 5e7;
/// InputError (zh / en, one line, naming the sizes and the limit) when candidates × units
/// exceeds kMaxSuggestCells: fewer candidates (zones, venues, projects or a file) are needed.
void check_suggest_size(std::size_t candidates, std::size_t units);

/// Chooses min(k, candidates) sites. Ties are broken by the lower candidate index (greedy)
/// or the lexicographically first subset (exact). Throws InputError for k = 0, sizes that
/// disagree, or negative / non-finite weights.
SiteSuggestion suggest_sites(const CoverageProblem& problem, const SuggestOptions& options = {},
                             const Progress& progress = {});

/// F(S) for a given set of candidates.
double coverage_objective(const CoverageProblem& problem, const std::vector<std::size_t>& sites);

/// C(n, k) as a double (exact up to 2^53).
double binomial(std::size_t n, std::size_t k);

}  // namespace hq::plan
