#pragma once
// Continuous surfaces of the groups (the heatmap and mixing maps, `huqian heatmap`): kernel
// density of one group and the local mixing of all groups, from counts spread over the
// buildings (when they carry the group's column) or over the units' area.
#include <cstddef>
#include <vector>

#include "geo/analysis/counts.hpp"
#include "geo/core/progress.hpp"
#include "geo/project/project.hpp"
#include "geo/stats/kde.hpp"  // re-exported: Grid, KdeOptions, Kernel, KdeOutput, WeightedPoints, MixingIndex

namespace hq::analysis {

struct SurfaceRequest {
    double radius_m = 80;  ///< quartic kernel radius
    double pixel_m = 2;    ///< cell size
    Box extent;            ///< metric CRS; the grid covers it inflated by a quarter of the radius
};

/// The kernel options of the heatmap and mixing surfaces. InputError for a radius or pixel
/// that is not positive.
KdeOptions surface_kde_options(const Project& project, const SurfaceRequest& request);

/// Group g's residents as weighted points: spread over the buildings when the buildings
/// layer carries g's column, else over the unit's area; spacing max(pixel, 5 m).
WeightedPoints group_points(const Project& project, const GroupCountTable& table, std::size_t g, double pixel_m);

/// Density of group g's residents per hectare (quartic kernel, scaled output).
Grid group_density(const Project& project, const GroupCountTable& table, std::size_t g, const SurfaceRequest& request,
                   const Progress& progress = {});

struct MixingSurface {
    Grid grid;               ///< normalised entropy of the smoothed group densities, 0..1
    std::size_t groups = 0;  ///< groups with residents that entered it
};
/// InputError with fewer than two groups with residents.
MixingSurface mixing(const Project& project, const GroupCountTable& table, const SurfaceRequest& request,
                     const Progress& progress = {});

}  // namespace hq::analysis
