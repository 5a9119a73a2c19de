#pragma once
// Segregation indices: inputs, validation and the single-group aspatial indices.
//
// The definitions follow PySAL `segregation` (ids are its class names in snake_case) so
// that our numbers equal PySAL's; docs/segregation.md gives each formula, its paper, where
// PySAL departs from the paper and the two PySAL bugs we fix. Natural logarithms
// throughout. The library takes plain arrays, never files: the CLI and the viewer read
// the count columns and fill these structs.
//
// Zero-population units (total 0) are allowed. In every index weighted by the unit total
// they contribute nothing (PySAL: p_i = 0 in D, G, A; NaN terms dropped in xPx, xPy and
// the entropies); local indices are undefined there and return NaN for that unit, which
// writers must print as null (see docs/segregation.md).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "geo/core/error.hpp"
#include "geo/core/progress.hpp"

namespace hq::seg {

/// One group against the total population, per unit (single-group indices).
/// The complement ("other") is total − group, unless `other` is given.
struct GroupCounts {
    std::vector<double> group;  ///< count of the group of interest per unit
    std::vector<double> total;  ///< total population per unit (≥ group)
    /// The complement per unit when it is not total − group: a local environment smooths
    /// and rounds it as a column of its own (PySAL's `group_2_pop_var`), which only
    /// `min_max` reads. Empty = total − group. Anything that changes `group` or `total`
    /// must clear or recompute it.
    std::vector<double> other;
    std::string group_name = "group";  ///< column names, used in error messages
    std::string total_name = "total";
    ErrorContext where;  ///< file / layer for error messages (field and feature are filled in)

    [[nodiscard]] std::size_t units() const { return group.size(); }
};

/// Counts of k groups per unit, row-major units × groups (multigroup and local indices).
/// A unit's total is the sum of the listed groups.
struct CountMatrix {
    std::size_t units = 0;
    std::size_t groups = 0;
    std::vector<double> data;        ///< data[i * groups + k]
    std::vector<std::string> names;  ///< one per group (may be empty: "group 1", ...)
    ErrorContext where;

    [[nodiscard]] double at(std::size_t i, std::size_t k) const { return data[i * groups + k]; }
    [[nodiscard]] std::string name(std::size_t k) const;
    /// The counts by group, [k][i] (the layout of geo/privacy's units × groups tables).
    [[nodiscard]] std::vector<std::vector<double>> by_group() const;
    /// Each group's total over the units.
    [[nodiscard]] std::vector<double> group_totals() const;
};

/// A named scalar result: id is the PySAL class name in snake_case ("dissim", ...).
struct IndexValue {
    std::string id;
    double value = 0.0;
};

/// A named per-unit result. `columns` is 1 for one value per unit, k for an n × k table
/// (row-major, e.g. multi_location_quotient), with `column_names` naming the columns.
/// NaN marks a unit where the index is undefined (zero population): print it as null.
struct LocalValues {
    std::string id;
    std::size_t columns = 1;
    std::vector<std::string> column_names;
    std::vector<double> values;
};

/// Throws hq::InputError unless: sizes agree, at least 2 units, every count finite and
/// ≥ 0, total ≥ group in every unit, the group is not all zero and not the whole
/// population (the complement must be non-empty).
void validate(const GroupCounts& c);
/// Throws hq::InputError unless: data has units × groups entries, at least 2 units and
/// 2 groups, every count finite and ≥ 0, and no group is all zero.
void validate(const CountMatrix& m);

/// Builds a GroupCounts for group k of a matrix (total = sum of the listed groups).
GroupCounts group_vs_rest(const CountMatrix& m, std::size_t k);

// ---------------------------------------------------------------------------------------
// Single group, aspatial. Each validates its input first.
// ---------------------------------------------------------------------------------------

/// `dissim`: D = Σ t_i |p_i − P| / (2 T P (1 − P)).
/// Duncan & Duncan (1955), "A methodological analysis of segregation indexes", ASR 20(2);
/// as in Massey & Denton (1988), "The dimensions of residential segregation", Soc. Forces 67(2).
double dissim(const GroupCounts& c);

/// `gini`: G = Σ_i Σ_j t_i t_j |p_i − p_j| / (2 T² P (1 − P)). Massey & Denton (1988).
/// O(n log n) by sorting on p_i (PySAL loops over all pairs).
double gini(const GroupCounts& c);

/// `entropy` (Theil's H): H = Σ t_i (E − E_i) / (E T), E = P ln(1/P) + (1−P) ln(1/(1−P)).
/// Theil & Finizza (1971), J. Math. Sociology 1; Massey & Denton (1988).
double entropy(const GroupCounts& c);

/// `atkinson`: A = 1 − P/(1−P) · |Σ (1−p_i)^(1−b) p_i^b t_i / (P T)|^(1/(1−b)), b in [0, 1).
/// Atkinson (1970), J. Econ. Theory 2; Massey & Denton (1988). PySAL uses b = 0.5.
double atkinson(const GroupCounts& c, double b = 0.5);

/// `con_prof`: the concentration-profile index R of Hong & Sadahiro (2014), "Measuring
/// geographic segregation: a graph-based approach", J. Geogr. Syst. 16(2). PySAL's
/// quadrature: v(θ) on the m = 1000 points θ_j = j/999, divided by m = 1000 (its quirk,
/// kept for comparability).
double con_prof(const GroupCounts& c);

/// `min_max`: MM = 1 − Σ min(x_i/X, y_i/Y) / Σ max(x_i/X, y_i/Y), y = t − x (or
/// `c.other` when given: in a local environment PySAL smooths and rounds the complement
/// itself, so y_i = round(Σ_j w_ij (t_j − x_j)), which can differ by one from
/// round(Σ w t) − round(Σ w x)). O'Sullivan & Wong (2007), "A surface-based approach to
/// measuring spatial segregation", Geogr. Anal. 39(2) (aspatial form, as PySAL's MinMax
/// without distance).
double min_max(const GroupCounts& c);

/// `isolation`: xPx = Σ (x_i/X)(x_i/t_i). Bell (1954); Massey & Denton (1988).
double isolation(const GroupCounts& c);
/// `interaction`: xPy = Σ (x_i/X)(y_i/t_i), y = t − x. Massey & Denton (1988).
double interaction(const GroupCounts& c);
/// `correlation_r`: V = (xPx − P)/(1 − P). White (1986), Popul. Index 52; Massey & Denton (1988).
double correlation_r(const GroupCounts& c);

/// Options of the randomised corrections.
struct RandomOptions {
    std::size_t iterations = 500;  ///< PySAL's default
    std::uint64_t seed = 0;        ///< iteration b draws from Rng(seed, b)
    unsigned threads = 0;          ///< 0 = default
};

/// `modified_dissim`: Carrington & Troske (1997), "On measuring segregation in samples
/// with small units", J. Bus. Econ. Stat. 15(4). D* = mean D over `iterations` draws
/// x_i ~ Binomial(t_i, P); result (D − D*)/(1 − D*) if D ≥ D*, else (D − D*)/D*.
/// Totals are rounded to integers for the draws. Each iteration has its own random
/// stream (PySAL reuses one seed in every iteration: its bug, fixed here).
double modified_dissim(const GroupCounts& c, const RandomOptions& o = {}, const Progress& progress = {});
/// `modified_gini`: as modified_dissim with the Gini index.
double modified_gini(const GroupCounts& c, const RandomOptions& o = {}, const Progress& progress = {});
/// `bias_corrected_dissim`: Allen, Burgess, Davidson & Windmeijer (2015), "More reliable
/// inference for the dissimilarity index of segregation", Econometrics J. 18(1).
/// Dbc = 2D − E*[D_b], D_b the D of a bootstrap city drawn as multinomials of X over the
/// units with probabilities x_i/X and of Y with y_i/Y. PySAL estimates E*[D_b] by the mean
/// of 500 draws; we compute it **exactly** (the limit of infinitely many draws): by
/// linearity E*[D_b] = ½ Σ_i E|x*_i/X − y*_i/Y| with x*_i ~ Bin(X, x_i/X) and
/// y*_i ~ Bin(Y, y_i/Y) independent (the multinomials' marginals), each term summed over the
/// two binomials' supports (tails below 1e-17 of the mode dropped). No Monte Carlo error,
/// deterministic, O(Σ_i (√x_i + √y_i)) work; only `o.threads` is used.
double bias_corrected_dissim(const GroupCounts& c, const RandomOptions& o = {},
                             const Progress& progress = {});
/// PySAL's procedure literally: E*[D_b] estimated by the mean of `o.iterations` bootstrap
/// draws (each from Rng(seed, b)). Kept to check the exact form against and for users who
/// want PySAL's number with its sampling noise.
double bias_corrected_dissim_bootstrap(const GroupCounts& c, const RandomOptions& o = {},
                                       const Progress& progress = {});
/// `density_corrected_dissim`: Allen et al. (2015). Ddc = ½ Σ σ_j n(θ_j), with
/// σ_j = sqrt(p1_j(1−p1_j)/N1 + p0_j(1−p0_j)/N0), θ_j = |p1_j − p0_j|/σ_j and n(θ) the
/// mode of the folded normal |N(θ, 1)|: 0 for θ ≤ 1, else the positive root of
/// z = θ tanh(θ z), solved exactly (PySAL's Nelder–Mead start at 0 stalls: its bug).
double density_corrected_dissim(const GroupCounts& c);
/// n(θ) above, exposed for tests.
double folded_normal_mode(double theta);

/// Every single-group aspatial index, in the order of the list:
/// dissim, gini, entropy, atkinson, con_prof, min_max, modified_dissim, modified_gini,
/// bias_corrected_dissim, density_corrected_dissim, isolation, interaction, correlation_r.
/// `randomised = false` leaves out the three randomised ones.
std::vector<IndexValue> single_group_aspatial(const GroupCounts& c, const RandomOptions& o = {},
                                              bool randomised = true, const Progress& progress = {});
/// The ids single_group_aspatial returns (with the randomised ones).
const std::vector<std::string>& single_group_aspatial_ids();
/// One single-group aspatial index by id; throws hq::InputError on an unknown id.
double single_group_index(const std::string& id, const GroupCounts& c, const RandomOptions& o = {},
                          const Progress& progress = {});

}  // namespace hq::seg
