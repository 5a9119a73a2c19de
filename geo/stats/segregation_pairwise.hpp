#pragma once
// Beyond PySAL: tables for every pair of groups, and the mutual information index M with
// its within/between decomposition.
#include <cstddef>
#include <string>
#include <vector>

#include "geo/core/progress.hpp"
#include "geo/stats/segregation.hpp"

namespace hq::seg {

/// Every ordered pair of the k groups of a CountMatrix (t_i = sum of the listed groups).
struct PairwiseTables {
    std::size_t groups = 0;
    std::vector<std::string> names;
    /// k × k row-major. exposure[a*k + b] = aP*b = Σ_i (x_ia / X_a)(x_ib / t_i): the share of
    /// group b in the unit of the average member of group a (Bell 1954; Massey & Denton 1988,
    /// exposure dimension). The diagonal is isolation aP*a; each row sums to 1.
    std::vector<double> exposure;
    /// k × k row-major, symmetric, diagonal 0. dissim[a*k + b] = ½ Σ_i |x_ia/X_a − x_ib/X_b|:
    /// the two-group index of dissimilarity of a and b (Duncan & Duncan 1955), equal to
    /// `dissim` with group a and total a + b.
    std::vector<double> dissim;

    [[nodiscard]] double exposure_at(std::size_t a, std::size_t b) const { return exposure[a * groups + b]; }
    [[nodiscard]] double dissim_at(std::size_t a, std::size_t b) const { return dissim[a * groups + b]; }
};

/// One pass over the units (O(n k²), no n × n matrix), parallel over fixed blocks of units
/// combined in block order, so identical for any thread count.
PairwiseTables pairwise_tables(const CountMatrix& m, const Progress& progress = {}, unsigned threads = 0);

/// The mutual information index M (Theil 1971; Mora & Ruiz-Castillo 2011, "Entropy-based
/// segregation indices", Sociol. Methodol. 41; Elbers 2023, "A method for studying
/// differences in segregation across time and space", Sociol. Methods Res. 52(1)):
///   M = Σ_i Σ_k p_ik ln( p_ik / (p_i p_k) ), p_ik = x_ik / T,
/// and H = M / E(groups) (Theil's H, = multi_info_theory). Natural logarithms, as R
/// `segregation::mutual_total(base = exp(1))`.
struct MutualTotal {
    double m = 0.0;
    double h = 0.0;
};
MutualTotal mutual_total(const CountMatrix& m);

/// One part of a within/between decomposition.
struct MutualPart {
    std::string name;
    double p = 0.0;              ///< population share of the part
    double m = 0.0;              ///< M inside the part
    double h = 0.0;              ///< M / entropy inside the part (NaN if that entropy is 0)
    double entropy_ratio = 0.0;  ///< entropy inside the part / overall entropy (R's ent_ratio)
};

/// M = between + within, within = Σ_parts p · M_part (Elbers 2023; R `mutual_within`).
struct MutualDecomposition {
    double total = 0.0;
    double between = 0.0;
    double within = 0.0;
    std::vector<MutualPart> parts;
};

/// Partition of the units (e.g. tracts into districts): unit_part[i] is unit i's part
/// (0-based, dense). between = M of the parts × groups table; M_part = M among the part's
/// units; entropies are those of the group distribution.
MutualDecomposition mutual_within_units(const CountMatrix& m, const std::vector<std::size_t>& unit_part,
                                        const std::vector<std::string>& part_names = {});
/// Partition of the groups (e.g. 36 groups into 4 families): group_part[k] is group k's
/// part. between = M of the units × parts table; M_part = M between units and the groups
/// inside the part; entropies are those of the groups inside the part.
MutualDecomposition mutual_within_groups(const CountMatrix& m, const std::vector<std::size_t>& group_part,
                                         const std::vector<std::string>& part_names = {});

}  // namespace hq::seg
