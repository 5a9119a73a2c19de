#pragma once
// Local indicators of spatial association, following R spdep (see docs/autocorrelation.md):
// local Moran (localmoran, conditional moments: its default), local G and G* (localG), and
// the local bivariate Moran; each with a conditional-permutation pseudo p-value.
//
// Conditional permutation: for unit i, its own value stays and k_i values are drawn
// without replacement from the other n − 1 units, R times; unit i draws from its own
// stream Rng(seed, i), so results do not depend on the thread count.
#include <cstdint>
#include <span>
#include <vector>

#include "geo/core/progress.hpp"
#include "geo/stats/autocorr.hpp"
#include "geo/weights/weights.hpp"

namespace hq {

/// Quadrant of the Moran scatter plot: z_i against 0 and the lag of z against 0. A value
/// exactly 0 counts as Low (spdep, esda). Codes follow GeoDa's order (1 HH, 2 LL, 3 LH,
/// 4 HL); esda numbers them 1 HH, 2 LH, 3 LL, 4 HL.
enum class Quadrant : std::uint8_t { Island = 0, HH = 1, LL = 2, LH = 3, HL = 4 };
const char* quadrant_name(Quadrant q);  ///< "HH", "LL", "LH", "HL", "island"

struct LocalMoranResult {
    std::vector<double> Ii;            ///< z_i Σ_j w_ij z_j / m2, m2 = Σ z² / n (spdep scale)
    std::vector<double> E;             ///< conditional expectation −z_i² W_i / ((n − 1) m2)
    std::vector<double> V;             ///< conditional variance (Sokal et al. 1998)
    std::vector<double> z;             ///< (Ii − E)/√V; NaN for islands
    std::vector<double> p_analytical;  ///< two-sided (spdep's default); NaN for islands
    std::vector<double> p_permutation; ///< folded pseudo p; NaN for islands or R = 0
    std::vector<double> lag;           ///< Σ_j w_ij z_j (z = x − mean)
    std::vector<Quadrant> quadrant;
    std::size_t permutations = 0;
};

/// Throws InputError as hq::moran does (n >= 3 here), and when a unit lists itself as a
/// neighbour (spdep: "Self included among neighbours").
LocalMoranResult local_moran(std::span<const double> x, const Weights& w, const AutocorrOptions& options = {},
                             const Progress& progress = {});

struct LocalGResult {
    std::vector<double> z;             ///< spdep localG: (Σ w_ij x_j − E)/√V
    std::vector<double> p_analytical;  ///< two-sided; NaN for islands (G) or where V = 0
    std::vector<double> p_permutation; ///< folded pseudo p on Σ_j w_ij x_j
    std::vector<double> G;             ///< the statistic itself (spdep's "internals" G column)
    bool star = false;
    std::size_t permutations = 0;
};

/// Local G (star = false) or G* (star = true). For G the weights must not list a unit as
/// its own neighbour. For G*, weights without self links get one of value `self_weight`
/// (spdep include.self + binary weights); weights that already have self links are used
/// as given. spdep's z is invariant to scaling a row (e.g. row standardisation).
LocalGResult local_g(std::span<const double> x, const Weights& w, bool star, const AutocorrOptions& options = {},
                     const Progress& progress = {}, double self_weight = 1.0);

struct LocalBivariateResult {
    std::vector<double> Ii;            ///< zx_i Σ_j w_ij zy_j, x and y standardised (sd with n − 1)
    std::vector<double> p_permutation; ///< x_i fixed, y permuted over the other units
    std::vector<Quadrant> quadrant;    ///< zx_i vs 0 and the lag of zy vs 0
    std::size_t permutations = 0;
};

LocalBivariateResult local_bivariate_moran(std::span<const double> x, std::span<const double> y, const Weights& w,
                                           const AutocorrOptions& options = {}, const Progress& progress = {});

namespace detail {
/// The conditional-permutation kernel. For unit i with neighbours N(i) \ {i} (weights w_ij),
/// draws |N(i)| distinct values of `v` at units other than i, R times, and counts how often
/// a_i · Σ w_ij v_draw + b_i >= observed_i. Units with no neighbour get a count of 0.
std::vector<std::uint32_t> conditional_permutation_counts(const Weights& w, std::span<const double> v,
                                                          std::span<const double> a, std::span<const double> b,
                                                          std::span<const double> observed, std::size_t permutations,
                                                          std::uint64_t seed, unsigned threads,
                                                          const Progress& progress);
}  // namespace detail

}  // namespace hq
