#include "geo/analysis/surfaces.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
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
    // With the privacy guard on they are not used: a building's count would be its share of
    // the unit's published count, read back from the density (docs/privacy.md, "Densities").
    const bool b_counts = b && !column.empty() && b->table.field_index(column) >= 0 && !r.privacy.guard;
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

namespace {

void to_hectares(const SurfaceRequest& r, Grid& grid) {
    if (!r.per_hectare) return;
    if (r.output != KdeOutput::Scaled) throw InputError("a heatmap per hectare needs scaled output");
    for (double& v : grid.values) v *= 1e4;  // per m² -> per hectare
}

}  // namespace

DensityCounts density_counts(const GroupCountTable& table, const privacy::DisclosurePolicy& policy) {
    const privacy::CellStates state = privacy::density_cells(table.counts, policy);
    DensityCounts d;
    d.counts = privacy::published_counts(table.counts, state);
    for (const auto& col : state)
        d.withheld.push_back(static_cast<std::size_t>(
            std::count_if(col.begin(), col.end(), [](privacy::Suppression s) { return s != privacy::Suppression::None; })));
    return d;
}

namespace {

bool any_positive(const std::vector<double>& v) {
    return std::any_of(v.begin(), v.end(), [](double x) { return x > 0; });
}

}  // namespace

Grid group_density(const Project& project, const GroupCountTable& table, std::size_t g, const SurfaceRequest& r,
                   const Progress& progress) {
    const KdeOptions o = surface_kde_options(project, r);
    progress.report(0.1, "spreading counts");
    const DensityCounts d = density_counts(table, r.privacy);
    privacy::check_single_density(table.columns[g], table.group_totals[g], any_positive(d.counts[g]), r.privacy);
    const WeightedPoints wp = spread_column(project, *table.layer, d.counts[g], table.columns[g], r).points;
    progress.report(0.3, "kernel density");
    Grid grid = kde(wp.points, wp.weights, o, progress);
    to_hectares(r, grid);
    return grid;
}

MixingSurface mixing(const Project& project, const GroupCountTable& table, const SurfaceRequest& r,
                     MixingIndex index, const Progress& progress) {
    const KdeOptions o = surface_kde_options(project, r);
    const DensityCounts d = density_counts(table, r.privacy);
    std::vector<std::vector<Vec2>> pts;
    std::vector<std::vector<double>> ws;
    for (std::size_t g = 0; g < table.columns.size(); ++g) {
        progress.check();
        if (table.group_totals[g] <= 0 || !any_positive(d.counts[g])) continue;
        WeightedPoints wp = spread_column(project, *table.layer, d.counts[g], table.columns[g], r).points;
        pts.push_back(std::move(wp.points));
        ws.push_back(std::move(wp.weights));
    }
    if (pts.size() < 2)
        throw InputError(r.privacy.guard ? "混居图至少需要两个有可公开计数的组（隐私保护） / the mixing surface needs at least two "
                                           "groups with published counts (privacy guard)"
                                         : "the mixing surface needs at least two groups with residents");
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
    const privacy::DisclosurePolicy& policy = req.surface.privacy;
    for (const auto& c : columns) refuse_split_column(project, c, "--group", policy);
    if (!req.weight.empty()) refuse_split_column(project, resolve_count_column(project, *layer, req.weight), "--weight", policy);
    if (policy.guard && !req.weight.empty())
        for (const auto& d : project.groups)
            if (resolve_count_column(project, *layer, req.weight) == d.column)
                throw InputError("--weight " + req.weight + " 是组的计数列：请用 --group（隐私保护） / --weight " + req.weight +
                                 " is a group's count column: use --group " + req.weight +
                                 " (privacy guard: a group's density enters with its published counts only)");

    // The counts that enter: the project's groups on this layer and the listed columns as one
    // table, protected together (geo/privacy/density.hpp); the listed ones are drawn.
    std::vector<std::string> table_cols;
    for (const auto& d : project.groups)
        if (layer->table.field_index(d.column) >= 0) table_cols.push_back(d.column);
    for (const auto& c : columns)
        if (std::find(table_cols.begin(), table_cols.end(), c) == table_cols.end()) table_cols.push_back(c);
    std::vector<std::vector<double>> table_counts;
    for (const auto& c : table_cols) table_counts.push_back(read_counts(*layer, c));
    const privacy::CellStates state = privacy::density_cells(table_counts, policy);
    auto entering = [&](const std::string& c) {
        const std::size_t t = static_cast<std::size_t>(std::find(table_cols.begin(), table_cols.end(), c) - table_cols.begin());
        std::vector<double> v = table_counts[t];
        for (std::size_t i = 0; i < v.size(); ++i)
            if (state[t][i] != privacy::Suppression::None) {
                v[i] = 0;
                ++res.withheld_cells;
            }
        return v;
    };
    std::vector<std::vector<double>> entered;
    {
        std::vector<std::string> kept;
        for (const auto& c : columns) {
            const auto t = static_cast<std::size_t>(std::find(table_cols.begin(), table_cols.end(), c) - table_cols.begin());
            const double total = std::accumulate(table_counts[t].begin(), table_counts[t].end(), 0.0);
            if (policy.small(total) && req.drop_small_groups) {
                res.left_out.push_back(c);
                continue;
            }
            std::vector<double> v = entering(c);
            privacy::check_single_density(c, total, any_positive(v) || columns.size() > 1, policy);
            if (!any_positive(v) && total > 0 && policy.guard) res.empty.push_back(c);
            entered.push_back(std::move(v));
            kept.push_back(c);
        }
        columns = std::move(kept);
        if (columns.empty() && !req.groups.empty())
            throw InputError("所列各组均少于" + std::to_string(policy.k) + "人（隐私保护） / every listed group has fewer than " +
                             std::to_string(policy.k) + " residents (privacy guard)");
    }
    std::vector<std::vector<Vec2>> points;
    std::vector<std::vector<double>> weights;
    auto add = [&](const std::vector<double>& values, const std::string& column) {
        SpreadPoints sp = spread_column(project, *layer, values, column, req.surface);
        res.spread_used = sp.used;
        points.push_back(std::move(sp.points.points));
        weights.push_back(std::move(sp.points.weights));
    };
    progress.report(0.05, "spreading counts");
    for (std::size_t c = 0; c < columns.size(); ++c) add(entered[c], columns[c]);
    if (!req.weight.empty() || columns.empty()) {
        std::vector<double> w = req.weight.empty() ? std::vector<double>{} : read_numbers(*layer, req.weight);
        // The total for shares is a count of residents too: its own table, published cells only.
        if (!columns.empty() && !w.empty()) w = privacy::published_counts({w}, privacy::density_cells({w}, policy))[0];
        add(w, req.weight);
    }

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
