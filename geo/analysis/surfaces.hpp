#pragma once
// Continuous surfaces of the groups (`huqian heatmap`, the heatmap and mixing maps of
// `huqian export` and the viewer): one spreading rule for polygon counts, one kernel density,
// local shares and mixing, computed here and nowhere else (docs/heatmap.md).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "geo/analysis/counts.hpp"
#include "geo/core/progress.hpp"
#include "geo/privacy/density.hpp"
#include "geo/project/project.hpp"
#include "geo/stats/kde.hpp"  // re-exported: Grid, KdeOptions, Kernel, KdeOutput, WeightedPoints, MixingIndex

namespace hq::analysis {

/// How polygon units become weighted points (docs/heatmap.md, "Points from polygon units").
enum class Spread : std::uint8_t {
    Auto,       ///< buildings when the buildings layer carries the column, else area; points as they are
    Buildings,  ///< over the buildings: by their counts of the column, else by footprint area (assumed even)
    Area,       ///< over the unit's area (regular lattice)
    Centroid,   ///< one point per unit at its point on surface
};
std::optional<Spread> spread_from_name(std::string_view name);
const char* spread_name(Spread spread);

struct SurfaceRequest {
    double radius_m = 80;  ///< kernel radius
    double pixel_m = 2;    ///< cell size
    Kernel kernel = Kernel::Quartic;
    KdeOutput output = KdeOutput::Scaled;
    bool per_hectare = false;   ///< scaled values × 10⁴ (residents per hectare instead of per m²)
    std::optional<Box> extent;  ///< metric CRS; default: the points' bounds expanded by the radius (QGIS)
    Spread spread = Spread::Auto;
    /// With the guard on (the default) a group's density is computed from its published
    /// cells only (geo/privacy/density.hpp, docs/privacy.md "Densities"); off: the raw counts.
    privacy::DisclosurePolicy privacy;
};

/// The area-lattice spacing: max(pixel / 2, radius / 5).
double spread_spacing(const SurfaceRequest& request);

/// The kernel options of a request. InputError for a radius or pixel that is not positive.
KdeOptions surface_kde_options(const Project& project, const SurfaceRequest& request);

struct SpreadPoints {
    WeightedPoints points;
    Spread used = Spread::Area;  ///< Buildings, Area or Centroid (Centroid also for point layers)
};
/// The one spreading rule: `values` (one per feature of `units`, a column named `column`, empty
/// for "1 per feature") as weighted points. Σ point weights = Σ values. InputError when the
/// request's spread does not fit the layer (buildings without a buildings layer, area on points).
SpreadPoints spread_column(const Project& project, const Layer& units, const std::vector<double>& values,
                           const std::string& column, const SurfaceRequest& request);

/// The table's counts that enter a density under the request's policy ([group][unit]; every
/// withheld cell 0, geo/privacy decides which) and the cells it withheld per group.
struct DensityCounts {
    std::vector<std::vector<double>> counts;
    std::vector<std::size_t> withheld;  ///< per group: cells left out
};
DensityCounts density_counts(const GroupCountTable& table, const privacy::DisclosurePolicy& policy);

/// Density of group g (the request's kernel and output; per hectare when asked), from its
/// published cells with the guard on; InputError (zh / en) for a group of fewer than k
/// residents or with no cell that may be published.
Grid group_density(const Project& project, const GroupCountTable& table, std::size_t g, const SurfaceRequest& request,
                   const Progress& progress = {});

struct MixingSurface {
    Grid grid;               ///< the mixing index of the smoothed group densities
    std::size_t groups = 0;  ///< groups with residents that entered it
};
/// Mixing of the table's groups with residents (with the guard on: with published cells,
/// from their published-only densities). InputError with fewer than two.
MixingSurface mixing(const Project& project, const GroupCountTable& table, const SurfaceRequest& request,
                     MixingIndex index = MixingIndex::EntropyNormalised, const Progress& progress = {});

/// `huqian heatmap`: densities of columns of one layer, their local shares and mixing.
struct HeatmapRequest {
    SurfaceRequest surface;
    const Layer* layer = nullptr;     ///< default: the project's analysis layer
    std::vector<std::string> groups;  ///< count columns (non-negative whole numbers)
    std::string weight;               ///< numeric column: the density without groups, else the total for shares
    /// Guard on: leave out (instead of refusing) a listed group of fewer than k residents
    /// (`--group all`); HeatmapResult::left_out names them.
    bool drop_small_groups = false;
};
struct HeatmapResult {
    SurfaceRequest request;  ///< effective: the extent the grid was computed on is filled in
    Spread spread_used = Spread::Area;
    std::vector<Grid> bands;
    std::vector<std::string> descriptions;  ///< one per band (English, as GeoTIFF band descriptions)
    std::vector<std::string> left_out;      ///< groups left out (fewer than k residents, drop_small_groups)
    std::vector<std::string> empty;         ///< groups whose every cell is withheld (their density bands are 0)
    std::size_t withheld_cells = 0;         ///< cells of the listed columns left out by the guard
};
/// Bands, on one common grid: without groups, the density of the weight column (1 per feature
/// without one); with groups, one density per group, then with several groups or a weight a
/// local share per group (of the groups' sum, or of the weight's density), then with several
/// groups the entropy (natural log) and Simpson interaction of the smoothed counts. With the
/// guard on, every group column enters with its published cells only (the table is the
/// project's groups on the layer plus the listed columns), the weight column (the total for
/// shares) likewise as a table of its own; `--weight` naming a project group is refused
/// (use --group); a listed group of fewer than k residents is refused (or left out), a lone
/// listed group with no published cell too. Without groups the density of the features or of
/// the weight is not a group's count and is computed as given.
HeatmapResult heatmap(const Project& project, const HeatmapRequest& request, const Progress& progress = {});

}  // namespace hq::analysis
