#pragma once
// Global spatial autocorrelation, following R spdep exactly (see docs/autocorrelation.md):
// Moran's I (moran.test, moran.mc), Geary's C (geary.test), Getis–Ord general G
// (globalG.test) and the bivariate Moran's I (moran_bv).
//
// Islands (units with no neighbour) are handled as spdep does with zero.policy = TRUE and
// adjust.n = TRUE: their lag is 0 and n in the moments counts only units with neighbours.
//
// Analytical p-values are given one-sided ("greater", spdep's default: positive
// autocorrelation, or for G clustering of high values) and two-sided. The permutation
// pseudo p-value is folded: (min(M, R − M) + 1) / (R + 1), M = number of permuted
// statistics >= the observed one; it is NaN when R = 0.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "geo/core/progress.hpp"
#include "geo/weights/weights.hpp"

namespace hq {

struct AutocorrOptions {
    std::size_t permutations = 999;  ///< R; 0 = no permutation test
    std::uint64_t seed = 12345;
    unsigned threads = 0;            ///< 0 = default; results do not depend on it
    std::string variable;            ///< the variable's name, for error messages
};

struct MoranResult {
    double I = 0.0;
    double expected = 0.0;                 ///< −1/(n − 1)
    double variance_normality = 0.0;
    double variance_randomisation = 0.0;
    double z_normality = 0.0;
    double z_randomisation = 0.0;
    double p_normality = 0.0;              ///< one-sided, greater
    double p_randomisation = 0.0;          ///< one-sided, greater
    double p_normality_two_sided = 0.0;
    double p_randomisation_two_sided = 0.0;
    double p_permutation = 0.0;            ///< folded pseudo p; NaN when R = 0
    std::size_t permutations = 0;
    std::size_t n = 0;                     ///< units
    std::size_t n_used = 0;                ///< units with neighbours (spdep adjust.n)
    double kurtosis = 0.0;                 ///< K as moran.test computes it
};

struct GearyResult {
    double C = 0.0;
    double expected = 1.0;
    double variance_normality = 0.0;
    double variance_randomisation = 0.0;
    double z_normality = 0.0;              ///< (1 − C)/sd: positive = positive autocorrelation (spdep)
    double z_randomisation = 0.0;
    double p_normality = 0.0;              ///< one-sided, greater (positive autocorrelation)
    double p_randomisation = 0.0;
    double p_normality_two_sided = 0.0;
    double p_randomisation_two_sided = 0.0;
    double p_permutation = 0.0;
    std::size_t permutations = 0;
    std::size_t n = 0;
    std::size_t n_used = 0;
};

struct GeneralGResult {
    double G = 0.0;
    double expected = 0.0;
    double variance = 0.0;
    double z = 0.0;
    double p = 0.0;                        ///< one-sided, greater
    double p_two_sided = 0.0;
    double p_permutation = 0.0;
    std::size_t permutations = 0;
    std::size_t n = 0;
    std::size_t n_used = 0;
};

struct BivariateMoranResult {
    double I = 0.0;             ///< Σ zx_i (W zy)_i / Σ zx_i², x and y standardised (spdep moran_bv)
    double p_permutation = 0.0; ///< (x_i, y_i) pairs permuted over locations, folded pseudo p
    std::size_t permutations = 0;
    std::size_t n = 0;
};

/// Throws InputError for: x.size() != w.n, a NaN/infinite value (naming the feature and
/// variable), fewer than 4 units, a constant variable, weights where no unit has a
/// neighbour. Moran's I and Geary's C accept any weights (spdep uses them as given).
MoranResult moran(std::span<const double> x, const Weights& w, const AutocorrOptions& options = {},
                  const Progress& progress = {});
GearyResult geary(std::span<const double> x, const Weights& w, const AutocorrOptions& options = {},
                  const Progress& progress = {});
/// Also refuses negative values (as spdep does). spdep recommends binary weights.
GeneralGResult general_g(std::span<const double> x, const Weights& w, const AutocorrOptions& options = {},
                         const Progress& progress = {});
/// x against the spatial lag of y. Every unit must have a neighbour (as in spdep).
BivariateMoranResult bivariate_moran(std::span<const double> x, std::span<const double> y, const Weights& w,
                                     const AutocorrOptions& options = {}, const Progress& progress = {});

/// Standard normal upper tail P(Z > z) and two-sided 2·P(Z > |z|) (NaN stays NaN).
double normal_upper_tail(double z);
double normal_two_sided(double z);

/// Folded pseudo p-value (min(M, R − M) + 1)/(R + 1); NaN when R = 0.
double folded_pseudo_p(std::size_t m, std::size_t r);

namespace detail {
/// Shared input checks; `min_n` units at least. Returns the number of units with neighbours.
std::size_t check_autocorr_input(std::span<const double> x, const Weights& w, const AutocorrOptions& options,
                                 const char* statistic, std::size_t min_n);
}  // namespace detail

}  // namespace hq
