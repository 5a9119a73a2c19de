#pragma once
// Counterfactual populations and the Shapley decomposition of a difference in segregation
// into a spatial and an attribute part, following PySAL `segregation`
// (inference/comparative.py: sim_composition, sim_share, sim_dual_composition;
// decomposition/decompose_segregation.py: DecomposeSegregation).
//
// Rey, S. J., Cortes, R. X. & Knaap, E. (2021), "Comparative spatial segregation analytics",
// Spatial Demography 9; the Shapley method after Rey & Sastré-Gutiérrez (2010),
// "Interregional inequality dynamics in Mexico", Spatial Economic Analysis 5(3); Shorrocks
// (2013), "Decomposition procedures for distributional analysis", J. Econ. Inequality 11.
#include <functional>
#include <string>
#include <vector>

#include "geo/stats/segregation.hpp"

namespace hq::seg {

/// How the population of one city is put into the spatial structure of the other.
enum class CounterfactualApproach : std::uint8_t {
    /// Each unit keeps its total; its group share c_i = x_i/t_i is replaced by the value at
    /// the same percentile (pandas rank(pct=True), average ties) of the other city's shares
    /// (linear-interpolated quantile): x'_i = Q_other(rank_i / n) · t_i.
    Composition,
    /// The unit's share of the city's group s_i = x_i/X (and of the complement y_i/Y) is
    /// replaced by the other city's at the same percentile, rescaled to sum to 1 and times
    /// this city's X (Y); the total is x' + y'.
    Share,
    /// Composition applied to the group and to the complement separately; total = x' + y'.
    DualComposition,
};
const char* counterfactual_name(CounterfactualApproach a);
/// "composition", "share", "dual_composition" (also with the prefix "counterfactual_");
/// InputError otherwise.
CounterfactualApproach counterfactual_from_name(const std::string& name);

/// Counterfactual counts of city `a` given the distribution of city `b` (group and total
/// per unit of a). Units with total 0 have share/composition 0 (PySAL fillna(0)).
GroupCounts counterfactual(const GroupCounts& a, const GroupCounts& b, CounterfactualApproach approach);

/// PySAL DecomposeSegregation: with G(S, A) the index on spatial structure S and
/// attribute (population) distribution A,
///   spatial   C_S = ½ [(G(S1,A1) − G(S2,A1)) + (G(S1,A2) − G(S2,A2))]
///   attribute C_A = ½ [(G(S1,A1) − G(S1,A2)) + (G(S2,A1) − G(S2,A2))]
/// and C_S + C_A = G(S1,A1) − G(S2,A2). G(S1,A2) is the index of a's counterfactual
/// (b's distribution in a's structure), G(S2,A1) that of b's.
struct Decomposition {
    std::string index;
    std::string approach;
    double s1_a1 = 0.0;  ///< index of city a
    double s1_a2 = 0.0;  ///< a's structure, b's population distribution
    double s2_a1 = 0.0;  ///< b's structure, a's population distribution
    double s2_a2 = 0.0;  ///< index of city b
    double spatial = 0.0;    ///< C_S
    double attribute = 0.0;  ///< C_A
    [[nodiscard]] double difference() const { return s1_a1 - s2_a2; }
};

using CountsStatistic = std::function<double(const GroupCounts&)>;

Decomposition decompose(const GroupCounts& a, const GroupCounts& b, const CountsStatistic& statistic,
                        CounterfactualApproach approach, const std::string& index_name = "");
/// By single-group aspatial index id (single_group_index).
Decomposition decompose(const std::string& id, const GroupCounts& a, const GroupCounts& b,
                        CounterfactualApproach approach, const RandomOptions& random = {});

}  // namespace hq::seg
