#include "geo/analysis/surfaces.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "geo/core/error.hpp"
#include "geo/io/layer.hpp"

namespace hq::analysis {

KdeOptions surface_kde_options(const Project& project, const SurfaceRequest& r) {
    if (!(r.radius_m > 0) || !(r.pixel_m > 0)) {
        char b[160];
        std::snprintf(b, sizeof b, "heatmap radius and pixel must be positive (got radius %.3g m, pixel %.3g m)",
                      r.radius_m, r.pixel_m);
        throw InputError(b);
    }
    KdeOptions o;
    o.radius = r.radius_m;
    o.pixel = r.pixel_m;
    o.kernel = Kernel::Quartic;
    o.output = KdeOutput::Scaled;
    o.extent = r.extent.inflated(r.radius_m * 0.25);
    o.crs_wkt = project.metric_crs.wkt;
    return o;
}

WeightedPoints group_points(const Project& project, const GroupCountTable& table, std::size_t g, double pixel_m) {
    const Layer& l = *table.layer;
    const double spacing = std::max(pixel_m, 5.0);
    const Layer* b = project.layer(Role::Buildings);
    if (b && b->table.field_index(table.columns[g]) >= 0 && b->geom_type != GeomType::Point) {
        const auto bw = read_counts(*b, table.columns[g]);
        return spread_over_buildings(l.metric, table.counts[g], b->metric, bw, spacing);
    }
    // Point units (households geocoded as points): each count at its point.
    if (l.geom_type == GeomType::Point || l.geom_type == GeomType::MultiPoint)
        return feature_points(l.metric, table.counts[g]);
    return spread_over_area(l.metric, table.counts[g], spacing);
}

Grid group_density(const Project& project, const GroupCountTable& table, std::size_t g, const SurfaceRequest& r,
                   const Progress& progress) {
    const KdeOptions o = surface_kde_options(project, r);
    progress.report(0.1, "spreading counts");
    const WeightedPoints wp = group_points(project, table, g, r.pixel_m);
    progress.report(0.3, "kernel density");
    Grid grid = kde(wp.points, wp.weights, o);
    for (double& v : grid.values) v *= 1e4;  // per m² -> per hectare
    return grid;
}

MixingSurface mixing(const Project& project, const GroupCountTable& table, const SurfaceRequest& r,
                     const Progress& progress) {
    const KdeOptions o = surface_kde_options(project, r);
    std::vector<std::vector<Vec2>> pts;
    std::vector<std::vector<double>> ws;
    for (std::size_t g = 0; g < table.columns.size(); ++g) {
        progress.check();
        if (table.group_totals[g] <= 0) continue;
        WeightedPoints wp = group_points(project, table, g, r.pixel_m);
        pts.push_back(std::move(wp.points));
        ws.push_back(std::move(wp.weights));
    }
    if (pts.size() < 2) throw InputError("the mixing surface needs at least two groups with residents");
    progress.report(0.3, "kernel density per group");
    const auto grids = kde_groups(pts, ws, o);
    MixingSurface m;
    m.grid = mixing_surface(grids, MixingIndex::EntropyNormalised);
    m.groups = grids.size();
    return m;
}

}  // namespace hq::analysis
