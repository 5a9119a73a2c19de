#pragma once
// Kernel density estimation ("heatmaps") on a regular grid, following QGIS's heatmap tool
// (src/analysis/raster/qgskde.cpp): kernel shapes, raw and scaled output, extent = the
// points' bounds expanded by the radius, grid size ceil(extent / pixel) + 1. Values are
// evaluated exactly at cell centres. See docs/heatmap.md.
//
// Also: spreading polygon units' counts onto points (over buildings or over the area),
// per-group densities, a group's smoothed local share and local mixing surfaces.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "geo/core/progress.hpp"
#include "geo/geometry/grid.hpp"
#include "geo/geometry/types.hpp"

namespace hq {

enum class Kernel : std::uint8_t { Quartic, Triweight, Epanechnikov, Uniform, Triangular, Gaussian };
enum class KdeOutput : std::uint8_t { Raw, Scaled };

const char* kernel_name(Kernel k);
/// "quartic", "triweight", "epanechnikov", "uniform", "triangular", "gaussian".
std::optional<Kernel> kernel_from_name(const std::string& name);

/// The Gaussian kernel (not in QGIS) is truncated at the radius with σ = radius / 3.
inline constexpr double kGaussianSigmasPerRadius = 3.0;

/// Kernel value at distance d for radius r (0 when d > r), before multiplying by the weight.
/// Raw: quartic (1−u²)², triweight (1−u²)³, Epanechnikov 1−u², uniform 1, triangular 1−u,
/// Gaussian exp(−(3u)²/2), u = d/r. Scaled multiplies by the constant making the 2-D
/// integral 1: 3/(πr²), 4/(πr²), 2/(πr²), 1/(πr²), 3/(πr²), 9/(2πr²(1−e^−4.5)).
double kernel_value(Kernel k, KdeOutput output, double d, double r);
/// The scaled-output constant for radius r (1 for raw output).
double kernel_scale(Kernel k, KdeOutput output, double r);

struct KdeOptions {
    double radius = 0.0;  ///< metres (CRS units), > 0
    double pixel = 0.0;   ///< metres (CRS units), > 0
    Kernel kernel = Kernel::Quartic;
    KdeOutput output = KdeOutput::Raw;
    std::optional<Box> extent;  ///< grid extent; default: the points' bounds expanded by the radius
    std::string crs_wkt;        ///< stored in the grid
    unsigned threads = 0;       ///< 0 = hq::default_thread_count()
};

/// Density of weighted points: grid(c) = Σ_i w_i · K(|centre(c) − p_i|). `weights` empty
/// means 1 each. Points outside the grid still contribute to the cells they reach.
/// The sum for each cell runs over points in input order, so the result is identical
/// whatever the thread count. Throws InputError for bad parameters, a weight that is not
/// finite, or a size mismatch; hq::Cancelled when cancelled.
Grid kde(const std::vector<Vec2>& points, const std::vector<double>& weights, const KdeOptions& options,
         const Progress& progress = {});

/// Adds the density of the points to `grid` (its geometry is kept; options.extent is ignored).
void kde_accumulate(Grid& grid, const std::vector<Vec2>& points, const std::vector<double>& weights,
                    const KdeOptions& options, const Progress& progress = {});

/// Reference implementation: every cell against every point, single-threaded. For tests and
/// the benchmark baseline only.
void kde_accumulate_naive(Grid& grid, const std::vector<Vec2>& points, const std::vector<double>& weights,
                          const KdeOptions& options);

namespace detail {
/// Whether kde_accumulate may use its AVX2 cell loop on a CPU that has AVX2 (default true; the
/// same bits either way, which a test checks by turning it off). Returns the previous value.
bool kde_allow_avx2(bool allow);
}  // namespace detail

// ---------------------------------------------------------------------------------------
// Polygon units to weighted points

/// Points carrying counts. `source[i]` is the unit (feature index) point i came from.
struct WeightedPoints {
    std::vector<Vec2> points;
    std::vector<double> weights;
    std::vector<std::uint32_t> source;
};

/// One point per feature: the point itself (a Point), each part of a MultiPoint (weight
/// split equally), or the point on surface of a polygon / line. Empty geometries are skipped.
WeightedPoints feature_points(const std::vector<Geometry>& geometries, const std::vector<double>& weights);

/// Spreads each unit's count over its area: points on a regular sub-grid of spacing
/// `spacing` (aligned to the multiples of the spacing, at cell centres) that fall inside the
/// unit (hq::point_in_polygon), each carrying count / npoints. A unit too small to hold a
/// sub-grid point gets one point at its point on surface. Σ weights = Σ counts.
WeightedPoints spread_over_area(const std::vector<Geometry>& units, const std::vector<double>& counts,
                                double spacing, const Progress& progress = {});

/// Spreads each unit's count over the buildings lying in it (a building belongs to the unit
/// containing its point on surface; the first such unit in index order), in proportion to
/// `building_weights` (empty = equal). Units holding no building (or only zero-weight ones)
/// fall back to spread_over_area with `fallback_spacing`; their indices go to `fallback_units`
/// when given. Σ weights = Σ counts.
WeightedPoints spread_over_buildings(const std::vector<Geometry>& units, const std::vector<double>& counts,
                                     const std::vector<Geometry>& buildings,
                                     const std::vector<double>& building_weights, double fallback_spacing,
                                     std::vector<std::uint32_t>* fallback_units = nullptr,
                                     const Progress& progress = {});

// ---------------------------------------------------------------------------------------
// Groups, shares and mixing

/// Densities of several groups on one common grid (extent from all groups' points unless
/// options.extent is given). points[g] and weights[g] belong to group g.
std::vector<Grid> kde_groups(const std::vector<std::vector<Vec2>>& points,
                             const std::vector<std::vector<double>>& weights, const KdeOptions& options,
                             const Progress& progress = {});

/// Cell-wise sum of grids of equal geometry.
Grid sum_grids(const std::vector<Grid>& grids);

/// A total is "about zero" where it is ≤ kRelativeZero · (largest |total| in the grid), or ≤ 0.
inline constexpr double kRelativeZero = 1e-12;

/// density_g / density_total per cell; NaN (written as NoData) where the total is about zero.
Grid local_share(const Grid& group, const Grid& total);

enum class MixingIndex : std::uint8_t {
    Entropy,            ///< −Σ s_g ln s_g (natural log)
    EntropyNormalised,  ///< entropy / ln K, in [0, 1]
    Simpson,            ///< interaction 1 − Σ s_g²
};
const char* mixing_index_name(MixingIndex m);
std::optional<MixingIndex> mixing_index_from_name(const std::string& name);

/// The mixing surface of the smoothed group counts: per cell, shares s_g = d_g / Σ d_g and
/// the index above; NaN where the total is about zero. Needs at least 2 groups.
/// Negative densities (negative weights) are an InputError.
Grid mixing_surface(const std::vector<Grid>& groups, MixingIndex index);

}  // namespace hq
