// huqian heatmap PATH [--layer L] [--weight COL] [--group COL] --radius M --pixel M
//                [--kernel ...] [--output-value raw|scaled] -o FILE.tif
// Kernel density as QGIS's heatmap tool computes it, from points or from polygon units
// (counts spread over their buildings or their area), written as a GeoTIFF. See docs/heatmap.md.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>

#include "app/cli/command.hpp"
#include "app/cli/common.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/io/raster.hpp"
#include "geo/analysis/surfaces.hpp"

namespace hq::cli {
namespace {

struct HeatmapArgs {
    std::string path;
    LoadArgs load;
    std::string weight;
    std::vector<std::string> groups;
    double radius = 0.0;
    double pixel = 0.0;
    std::string kernel = "quartic";
    std::string output_value = "raw";
    std::string spread = "auto";
    std::string output;
};

/// The features of the analysis layer as weighted points, for one weight column.
struct Spreader {
    const Project& project;
    const Layer& layer;
    std::string mode;  ///< points, buildings or area (decided)
    double spacing;
    std::vector<double> building_area;

    WeightedPoints run(const std::vector<double>& weights) const {
        if (mode == "points") return feature_points(layer.metric, weights);
        if (mode == "area") return spread_over_area(layer.metric, weights, spacing);
        const Layer* b = project.layer(Role::Buildings);
        std::vector<std::uint32_t> fallback;
        WeightedPoints out = spread_over_buildings(layer.metric, weights, b->metric, building_area, spacing, &fallback);
        return out;
    }
};

std::string decide_spread(const Project& p, const Layer& l, const std::string& requested) {
    const bool polygons = l.geom_type == GeomType::Polygon || l.geom_type == GeomType::MultiPolygon;
    const Layer* buildings = p.layer(Role::Buildings);
    const bool have_buildings = buildings && buildings != &l && buildings->size() > 0;
    if (requested == "auto") {
        if (!polygons) return "points";
        return have_buildings ? "buildings" : "area";
    }
    if (requested == "buildings" && !have_buildings)
        throw InputError("--spread buildings needs a project with a buildings layer");
    if ((requested == "buildings" || requested == "area") && !polygons)
        throw InputError("--spread " + requested + " needs polygon units; " + l.path() + " has " +
                         geom_type_name(l.geom_type));
    if (requested == "centroid") return "points";
    return requested;
}

void run(const HeatmapArgs& a) {
    const auto kernel = kernel_from_name(a.kernel);
    if (!kernel) throw InputError("--kernel: unknown kernel \"" + a.kernel + "\"");
    const Project project = load_for_command(a.path, a.load);
    const Layer* layer = project.analysis_layer();
    if (!layer || !layer->has_geometry()) throw InputError(ErrorContext{a.path, {}, {}, {}, {}}, "no layer with geometry");

    KdeOptions o;
    o.radius = a.radius;
    o.pixel = a.pixel;
    o.kernel = *kernel;
    o.output = a.output_value == "scaled" ? KdeOutput::Scaled : KdeOutput::Raw;
    o.crs_wkt = project.planar ? std::string() : project.metric_crs.wkt;

    const std::string mode = decide_spread(project, *layer, a.spread);
    // Lattice spacing for area spreading: fine enough for the kernel (a fifth of the radius)
    // and never finer than half a pixel.
    Spreader spreader{project, *layer, mode, std::max(a.pixel / 2.0, a.radius / 5.0), {}};
    if (mode == "buildings") {
        const Layer* b = project.layer(Role::Buildings);
        spreader.building_area.reserve(b->size());
        for (const auto& g : b->metric) spreader.building_area.push_back(g.is_polygonal() ? planar_area(g) : 1.0);
    }

    // Columns: the groups (each a count column), else the weight column, else 1 per feature.
    std::vector<std::string> groups;
    for (const auto& g : a.groups) {
        if (g == "all") {
            if (project.groups.empty()) throw InputError("--group all: the project defines no groups");
            for (const auto& d : project.groups) groups.push_back(d.column);
        } else {
            groups.push_back(g);
        }
    }

    StderrProgress bar("heatmap");
    const Progress progress([&bar](double f, std::string_view s) { bar(f, s); }, nullptr);

    std::vector<Grid> bands;
    std::vector<std::string> names;
    const std::string unit = o.output == KdeOutput::Scaled ? " (per m², scaled)" : " (raw)";
    if (groups.empty()) {
        const std::vector<double> w = a.weight.empty() ? std::vector<double>(layer->size(), 1.0)
                                                       : read_numbers(*layer, a.weight);
        const WeightedPoints pts = spreader.run(w);
        if (pts.points.empty()) throw InputError(ErrorContext{layer->path(), {}, {}, {}, {}}, "no points to map");
        bands.push_back(kde(pts.points, pts.weights, o, progress));
        names.push_back("density of " + (a.weight.empty() ? std::string("features") : a.weight) + unit + ", " + a.kernel);
    } else {
        std::vector<std::vector<Vec2>> points;
        std::vector<std::vector<double>> weights;
        for (const auto& g : groups) {
            WeightedPoints pts = spreader.run(read_counts(*layer, g));
            points.push_back(std::move(pts.points));
            weights.push_back(std::move(pts.weights));
        }
        if (!a.weight.empty()) {  // the total for the share of a single group
            WeightedPoints pts = spreader.run(read_numbers(*layer, a.weight));
            points.push_back(std::move(pts.points));
            weights.push_back(std::move(pts.weights));
        }
        std::vector<Grid> dens = kde_groups(points, weights, o, progress);
        Grid total;
        if (!a.weight.empty()) {
            total = std::move(dens.back());
            dens.pop_back();
        } else {
            total = sum_grids(dens);
        }
        for (std::size_t g = 0; g < groups.size(); ++g) {
            bands.push_back(dens[g]);
            names.push_back("density of " + groups[g] + unit + ", " + a.kernel);
        }
        const std::string of = a.weight.empty() ? "the listed groups" : a.weight;
        if (groups.size() > 1 || !a.weight.empty()) {
            for (std::size_t g = 0; g < groups.size(); ++g) {
                bands.push_back(local_share(dens[g], total));
                names.push_back("share of " + groups[g] + " in " + of);
            }
        }
        if (groups.size() > 1) {
            bands.push_back(mixing_surface(dens, MixingIndex::Entropy));
            names.push_back("entropy of the groups' smoothed counts (natural log)");
            bands.push_back(mixing_surface(dens, MixingIndex::Simpson));
            names.push_back("Simpson interaction 1 - sum of squared shares");
        }
    }
    std::vector<const Grid*> ptrs;
    for (const auto& b : bands) ptrs.push_back(&b);
    write_geotiff(a.output, ptrs, names);
    std::cerr << "huqian: wrote " << a.output << ": " << bands.front().width << " x " << bands.front().height << " cells of "
              << a.pixel << " m, " << bands.size() << (bands.size() == 1 ? " band" : " bands") << " (from " << mode
              << ")\n";
}

/// A positive, finite number of metres (CLI11's PositiveNumber prints DBL_MAX in its message).
CLI::Validator positive_metres() {
    return CLI::Validator(
        [](std::string& s) -> std::string {
            try {
                std::size_t used = 0;
                const double v = std::stod(s, &used);
                if (used == s.size() && v > 0.0 && std::isfinite(v)) return {};
            } catch (const std::exception&) {
            }
            return "must be a positive number of metres, got " + s;
        },
        "METRES");
}

void setup(CLI::App& app) {
    auto args = std::make_shared<HeatmapArgs>();
    CLI::App* cmd = app.add_subcommand("heatmap", "Kernel density heatmap (QGIS's formulas) as a GeoTIFF");
    cmd->add_option("PATH", args->path, "Project folder (with project.json) or a vector file")->required();
    args->load.add_to(cmd);
    cmd->add_option("--weight", args->weight, "Numeric column weighting each feature (default 1 each)");
    cmd->add_option("--group", args->groups,
                    "Count column of a group (repeat, or comma-separated, or 'all'): adds its density, its local "
                    "share and, for several groups, entropy and Simpson mixing bands")
        ->delimiter(',');
    cmd->add_option("--radius", args->radius, "Kernel radius in metres")->required()->check(positive_metres());
    cmd->add_option("--pixel", args->pixel, "Cell size in metres")->required()->check(positive_metres());
    cmd->add_option("--kernel", args->kernel, "quartic (default), triweight, epanechnikov, uniform, triangular, gaussian")
        ->check(CLI::IsMember({"quartic", "triweight", "epanechnikov", "uniform", "triangular", "gaussian"}));
    cmd->add_option("--output-value", args->output_value, "raw (default) or scaled (unit integral)")
        ->check(CLI::IsMember({"raw", "scaled"}));
    cmd->add_option("--spread", args->spread,
                    "Polygon units: auto (buildings if the project has them, else area), buildings, area, centroid")
        ->check(CLI::IsMember({"auto", "buildings", "area", "centroid"}));
    cmd->add_option("-o,--output", args->output, "Output GeoTIFF")->required();
    cmd->callback([args]() { run(*args); });
}

const Registrar reg{"heatmap", 40, &setup};

}  // namespace
}  // namespace hq::cli
