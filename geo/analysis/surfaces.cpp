#include "geo/analysis/surfaces.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "geo/core/error.hpp"
#include "geo/io/layer.hpp"

namespace hq::analysis {
namespace {

bool polygonal(const Layer& l) { return l.geom_type == GeomType::Polygon || l.geom_type == GeomType::MultiPolygon; }

/// The project's buildings layer when it can receive the counts of `units` (nullptr otherwise).
const Layer* buildings_for(const Project& project, const Layer& units) {
    const Layer* b = project.layer(Role::Buildings);
    if (!b || b == &units || b->size() == 0 || b->geom_type == GeomType::Point) return nullptr;
    return b;
}

}  // namespace

std::optional<Spread> spread_from_name(std::string_view name) {
    if (name == "auto") return Spread::Auto;
    if (name == "buildings") return Spread::Buildings;
    if (name == "area") return Spread::Area;
    if (name == "centroid") return Spread::Centroid;
    return std::nullopt;
}

const char* spread_name(Spread s) {
    switch (s) {
        case Spread::Auto: return "auto";
        case Spread::Buildings: return "buildings";
        case Spread::Area: return "area";
        case Spread::Centroid: return "centroid";
    }
    return "?";
}

double spread_spacing(const SurfaceRequest& r) { return std::max(r.pixel_m / 2.0, r.radius_m / 5.0); }

KdeOptions surface_kde_options(const Project& project, const SurfaceRequest& r) {
    if (!(r.radius_m > 0) || !(r.pixel_m > 0) || !std::isfinite(r.radius_m) || !std::isfinite(r.pixel_m)) {
        char b[160];
        std::snprintf(b, sizeof b, "heatmap radius and pixel must be positive (got radius %.3g m, pixel %.3g m)",
                      r.radius_m, r.pixel_m);
        throw InputError(b);
    }
    KdeOptions o;
    o.radius = r.radius_m;
    o.pixel = r.pixel_m;
    o.kernel = r.kernel;
    o.output = r.output;
    o.extent = r.extent;
    o.crs_wkt = project.planar ? std::string() : project.metric_crs.wkt;
    return o;
}

SpreadPoints spread_column(const Project& project, const Layer& units, const std::vector<double>& values,
                           const std::string& column, const SurfaceRequest& r) {
    const std::vector<double> w = values.empty() ? std::vector<double>(units.size(), 1.0) : values;
    const double spacing = spread_spacing(r);
    const Layer* b = buildings_for(project, units);
    // The buildings' own counts of the column, when the buildings layer carries it.
    const bool b_counts = b && !column.empty() && b->table.field_index(column) >= 0;
    Spread s = r.spread;
    if (s == Spread::Auto) s = !polygonal(units) ? Spread::Centroid : (b_counts ? Spread::Buildings : Spread::Area);
    if (s == Spread::Buildings && !b) throw InputError("--spread buildings needs a project with a buildings layer");
    if ((s == Spread::Buildings || s == Spread::Area) && !polygonal(units))
        throw InputError(std::string("--spread ") + spread_name(s) + " needs polygon units; " + units.path() + " has " +
                         geom_type_name(units.geom_type));
    SpreadPoints out;
    out.used = s;
    if (s == Spread::Centroid) {
        out.points = feature_points(units.metric, w);
    } else if (s == Spread::Area) {
        out.points = spread_over_area(units.metric, w, spacing);
    } else {
        std::vector<double> bw;
        if (b_counts) {
            bw = read_counts(*b, column);
        } else {  // asked for explicitly: residents assumed evenly spread over the footprints
            bw.reserve(b->size());
            for (const auto& g : b->metric) bw.push_back(g.is_polygonal() ? planar_area(g) : 1.0);
        }
        out.points = spread_over_buildings(units.metric, w, b->metric, bw, spacing);
    }
    return out;
}

WeightedPoints group_points(const Project& project, const GroupCountTable& table, std::size_t g,
                            const SurfaceRequest& r) {
    return spread_column(project, *table.layer, table.counts[g], table.columns[g], r).points;
}

namespace {

void to_hectares(const SurfaceRequest& r, Grid& grid) {
    if (!r.per_hectare) return;
    if (r.output != KdeOutput::Scaled) throw InputError("a heatmap per hectare needs scaled output");
    for (double& v : grid.values) v *= 1e4;  // per m² -> per hectare
}

}  // namespace

Grid group_density(const Project& project, const GroupCountTable& table, std::size_t g, const SurfaceRequest& r,
                   const Progress& progress) {
    const KdeOptions o = surface_kde_options(project, r);
    progress.report(0.1, "spreading counts");
    const WeightedPoints wp = group_points(project, table, g, r);
    progress.report(0.3, "kernel density");
    Grid grid = kde(wp.points, wp.weights, o, progress);
    to_hectares(r, grid);
    return grid;
}

MixingSurface mixing(const Project& project, const GroupCountTable& table, const SurfaceRequest& r,
                     MixingIndex index, const Progress& progress) {
    const KdeOptions o = surface_kde_options(project, r);
    std::vector<std::vector<Vec2>> pts;
    std::vector<std::vector<double>> ws;
    for (std::size_t g = 0; g < table.columns.size(); ++g) {
        progress.check();
        if (table.group_totals[g] <= 0) continue;
        WeightedPoints wp = group_points(project, table, g, r);
        pts.push_back(std::move(wp.points));
        ws.push_back(std::move(wp.weights));
    }
    if (pts.size() < 2) throw InputError("the mixing surface needs at least two groups with residents");
    progress.report(0.3, "kernel density per group");
    const auto grids = kde_groups(pts, ws, o, progress);
    MixingSurface m;
    m.grid = mixing_surface(grids, index);
    m.groups = grids.size();
    return m;
}

HeatmapResult heatmap(const Project& project, const HeatmapRequest& req, const Progress& progress) {
    const Layer* layer = req.layer ? req.layer : project.analysis_layer();
    if (!layer || !layer->has_geometry()) throw InputError("heatmap: no layer with geometry");
    HeatmapResult res;
    res.request = req.surface;
    KdeOptions o = surface_kde_options(project, req.surface);
    const std::string kname = kernel_name(req.surface.kernel);
    const std::string unit = req.surface.output == KdeOutput::Raw
                                 ? " (raw)"
                                 : (req.surface.per_hectare ? " (per ha, scaled)" : " (per m², scaled)");

    // Every column as weighted points: the groups, then the weight (the total for shares).
    std::vector<std::string> columns;
    for (const auto& g : req.groups) columns.push_back(resolve_count_column(project, *layer, g));
    std::vector<std::vector<Vec2>> points;
    std::vector<std::vector<double>> weights;
    auto add = [&](const std::vector<double>& values, const std::string& column) {
        SpreadPoints sp = spread_column(project, *layer, values, column, req.surface);
        res.spread_used = sp.used;
        points.push_back(std::move(sp.points.points));
        weights.push_back(std::move(sp.points.weights));
    };
    progress.report(0.05, "spreading counts");
    for (const auto& c : columns) add(read_counts(*layer, c), c);
    if (!req.weight.empty() || columns.empty())
        add(req.weight.empty() ? std::vector<double>{} : read_numbers(*layer, req.weight), req.weight);

    // The grid: the requested extent, else every column's points expanded by the radius (QGIS).
    if (!o.extent) {
        Box e;
        for (const auto& ps : points)
            for (const auto& p : ps) e.expand(p);
        if (e.empty()) throw InputError(ErrorContext{layer->path(), {}, {}, {}, {}}, "no points to map");
        o.extent = e.inflated(o.radius);
    }
    res.request.extent = o.extent;

    std::vector<Grid> dens = kde_groups(points, weights, o, progress);
    for (Grid& g : dens) to_hectares(req.surface, g);
    if (columns.empty()) {
        res.bands.push_back(std::move(dens.front()));
        res.descriptions.push_back("density of " + (req.weight.empty() ? std::string("features") : req.weight) + unit +
                                   ", " + kname);
        return res;
    }
    Grid total;
    if (!req.weight.empty()) {
        total = std::move(dens.back());
        dens.pop_back();
    } else {
        total = sum_grids(dens);
    }
    for (std::size_t g = 0; g < columns.size(); ++g) {
        res.bands.push_back(dens[g]);
        res.descriptions.push_back("density of " + columns[g] + unit + ", " + kname);
    }
    const std::string of = req.weight.empty() ? "the listed groups" : req.weight;
    if (columns.size() > 1 || !req.weight.empty()) {
        for (std::size_t g = 0; g < columns.size(); ++g) {
            res.bands.push_back(local_share(dens[g], total));
            res.descriptions.push_back("share of " + columns[g] + " in " + of);
        }
    }
    if (columns.size() > 1) {
        res.bands.push_back(mixing_surface(dens, MixingIndex::Entropy));
        res.descriptions.push_back("entropy of the groups' smoothed counts (natural log)");
        res.bands.push_back(mixing_surface(dens, MixingIndex::Simpson));
        res.descriptions.push_back("Simpson interaction 1 - sum of squared shares");
    }
    return res;
}

}  // namespace hq::analysis
