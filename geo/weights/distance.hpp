#pragma once
// Point-based weights: k-nearest neighbours, distance bands and kernels.
// Distances are Euclidean in the units of the coordinates (metres in a metric CRS); for
// polygons pass their centroids (hq::centroid).
#include <string>
#include <vector>

#include "geo/core/progress.hpp"
#include "geo/geometry/types.hpp"
#include "geo/weights/weights.hpp"

namespace hq {

/// The k nearest other points of each point (binary, not symmetric: spdep knearneigh,
/// libpysal KNN). Ties in distance are broken by the smaller id. Coincident points are
/// each other's nearest neighbours at distance 0.
/// Throws InputError if k < 1 or k >= n, or a coordinate is not finite.
Weights knn_weights(const std::vector<Vec2>& points, std::size_t k, const Progress& progress = {},
                    unsigned threads = 0);

struct DistanceBandOptions {
    double threshold = 0.0;  ///< neighbours j != i with d_ij <= threshold (inclusive)
    bool binary = true;      ///< false: inverse distance w_ij = d_ij^-power
    double power = 1.0;
};

/// Distance-band weights (spdep dnearneigh(0, threshold); libpysal DistanceBand). A band
/// that leaves units alone gives islands (reported by Weights::islands(), not an error).
/// Inverse-distance weights with two coincident points throw InputError (infinite weight).
Weights distance_band_weights(const std::vector<Vec2>& points, const DistanceBandOptions& options,
                              const Progress& progress = {}, unsigned threads = 0);

enum class KernelFunction : std::uint8_t { Uniform, Triangular, Epanechnikov, Quartic, Gaussian };
const char* kernel_function_name(KernelFunction f);
/// "uniform", "triangular", "epanechnikov" (or libpysal's "quadratic"), "quartic",
/// "gaussian"; InputError otherwise.
KernelFunction kernel_function_from_name(const std::string& name);
/// K(z) for z = d / h in [0, 1] with libpysal's constants (Anselin & Rey 2010, table 5.4):
/// uniform 1/2, triangular 1 − z, Epanechnikov ¾(1 − z²), quartic (15/16)(1 − z²)²,
/// Gaussian exp(−z²/2)/√(2π).
double kernel_value(KernelFunction f, double z);

struct KernelOptions {
    KernelFunction function = KernelFunction::Triangular;
    /// Fixed bandwidth h > 0 (the same for every unit). When 0, the bandwidth comes from
    /// `k` as in libpysal: fixed = the largest k-th-neighbour distance × 1.0000001;
    /// adaptive = each unit's own k-th-neighbour distance × 1.0000001.
    double bandwidth = 0.0;
    bool adaptive = false;
    std::size_t k = 2;
    /// libpysal's `diagonal`: false = the self weight is K(0); true = it is set to 1.
    bool diagonal_one = false;
};

/// Kernel weights as libpysal.weights.Kernel builds them: each unit is its own neighbour;
/// fixed bandwidth h: neighbours are the points with d <= h (the point itself included);
/// adaptive: the k + 1 nearest points including itself, h_i = d(i, k-th neighbour) × eps.
/// w_ij = K(d_ij / h_i). Rows are not standardised.
Weights kernel_weights(const std::vector<Vec2>& points, const KernelOptions& options, const Progress& progress = {},
                       unsigned threads = 0);

}  // namespace hq
