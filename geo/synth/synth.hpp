#pragma once
// A synthetic city for tests and benchmarks: N polygon units (Voronoi cells of clustered
// random sites, clipped to a square) with G groups of spatially clustered integer counts,
// in a real metric CRS (WGS 84 / UTM zone 48N, near Chengdu) so it can be reprojected.
// Deterministic per seed (hq::Rng streams), whatever the thread count.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "geo/core/progress.hpp"
#include "geo/io/layer.hpp"

namespace hq {

struct SynthOptions {
    std::size_t units = 1000;        ///< number of polygon units (≥ 1)
    int groups = 3;                  ///< number of population groups (1..99)
    std::uint64_t seed = 1;
    double mean_unit_area = 6400.0;  ///< m²; the city is a square of units × this area
    Vec2 origin{400000.0, 3380000.0};  ///< south-west corner in UTM 48N metres (Chengdu ≈ 104.0°E 30.5°N)
    int epsg = 32648;                ///< the metric CRS of the coordinates
    double zero_fraction = 0.01;     ///< share of units left empty (parks, depots): total 0
};

/// Name of group g's count column (0-based g): "pop_g01", "pop_g02", ...
std::string synth_group_column(int g);

/// The synthetic city as a layer named "units": fields id (Integer), pop_g01..pop_gGG
/// (Integer), total (Integer, the sum of the groups); `metric` in EPSG:`epsg`, `display`
/// in WGS 84, ids "1".."N" in row order. Throws InputError for bad options.
Layer synth_city(const SynthOptions& options, const Progress& progress = {});

/// The Voronoi cells of `sites` clipped to `extent` (GEOSVoronoiDiagram_r then
/// GEOSClipByRect_r), one per site, in no particular order. Sites must be distinct and
/// inside the extent.
std::vector<Geometry> voronoi_cells(const std::vector<Vec2>& sites, const Box& extent);

}  // namespace hq
