// huqian heatmap PATH [--layer L] [--weight COL] [--group COL] --radius M --pixel M
//                [--kernel ...] [--output-value raw|scaled|per-ha] [--extent ...] [--float64] -o FILE.tif
//                [--privacy-k K] [--no-privacy-guard]
// Kernel density as QGIS's heatmap tool computes it, from points or from polygon units
// (counts spread over their buildings or their area), written as a GeoTIFF. See docs/heatmap.md.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>

#include "app/cli/command.hpp"
#include "app/cli/common.hpp"
#include "geo/io/raster.hpp"
#include "geo/analysis/surfaces.hpp"
#include "geo/privacy/density.hpp"

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
    std::vector<double> extent;
    bool float64 = false;
    std::string output;
    PrivacyArgs privacy;
};

void run(const HeatmapArgs& a) {
    const auto kernel = kernel_from_name(a.kernel);
    if (!kernel) throw InputError("--kernel: unknown kernel \"" + a.kernel + "\"");
    const privacy::DisclosurePolicy policy = a.privacy.policy();
    const Project project = load_for_command(a.path, a.load);
    const Layer* layer = project.analysis_layer();
    if (!layer || !layer->has_geometry()) throw InputError(ErrorContext{a.path, {}, {}, {}, {}}, "no layer with geometry");

    analysis::HeatmapRequest req;
    req.layer = layer;
    req.surface.radius_m = a.radius;
    req.surface.pixel_m = a.pixel;
    req.surface.kernel = *kernel;
    req.surface.output = a.output_value == "raw" ? KdeOutput::Raw : KdeOutput::Scaled;
    req.surface.per_hectare = a.output_value == "per-ha";
    req.surface.spread = *analysis::spread_from_name(a.spread);
    req.surface.privacy = policy;
    if (!a.extent.empty()) {
        if (a.extent.size() != 4 || !(a.extent[0] < a.extent[2]) || !(a.extent[1] < a.extent[3]))
            throw InputError("--extent wants XMIN,YMIN,XMAX,YMAX with XMIN < XMAX and YMIN < YMAX");
        req.surface.extent = Box{a.extent[0], a.extent[1], a.extent[2], a.extent[3]};
    }
    req.weight = a.weight;
    for (const auto& g : a.groups) {
        if (g == "all") {
            if (project.groups.empty()) throw InputError("--group all: the project defines no groups");
            for (const auto& d : project.groups) req.groups.push_back(d.column);
            req.drop_small_groups = true;  // a group of fewer than k residents is left out, said below
        } else {
            req.groups.push_back(g);
        }
    }

    StderrProgress bar("heatmap");
    const Progress progress([&bar](double f, std::string_view s) { bar(f, s); }, nullptr);
    const analysis::HeatmapResult res = analysis::heatmap(project, req, progress);

    std::vector<const Grid*> ptrs;
    for (const auto& b : res.bands) ptrs.push_back(&b);
    RasterWriteOptions wo;
    wo.float64 = a.float64;
    // The privacy guard's statement in the file (gdalinfo's "Metadata:"), and the stamp when off.
    wo.metadata = {{"HUQIAN_PRIVACY_GUARD", policy.guard ? "on" : "off"},
                   {"HUQIAN_PRIVACY_K", std::to_string(policy.k)},
                   {"HUQIAN_PRIVACY_NOTE_ZH", policy.note_zh()},
                   {"HUQIAN_PRIVACY_NOTE_EN", policy.note_en()}};
    if (!req.groups.empty() && policy.guard) {
        wo.metadata.emplace_back("HUQIAN_DENSITY_NOTE_ZH", privacy::density_note_zh(policy));
        wo.metadata.emplace_back("HUQIAN_DENSITY_NOTE_EN", privacy::density_note_en(policy));
    }
    if (!policy.guard) wo.metadata.emplace_back("HUQIAN_PRIVACY_STAMP", policy.stamp());
    for (const auto& g : res.left_out)
        std::cerr << "huqian: 组 " << g << " 少于" << policy.k << "人，未制图（隐私保护） / group " << g << " has fewer than "
                  << policy.k << " residents: left out (privacy guard)\n";
    for (const auto& g : res.empty)
        std::cerr << "huqian: 组 " << g << " 没有可公开的单元计数，其密度为0（隐私保护） / group " << g
                  << ": no count of it may be published, its density bands are 0 (privacy guard)\n";
    write_geotiff(a.output, ptrs, res.descriptions, wo);
    std::cerr << "huqian: wrote " << a.output << ": " << res.bands.front().width << " x " << res.bands.front().height
              << " cells of " << a.pixel << " m, " << res.bands.size() << (res.bands.size() == 1 ? " band" : " bands")
              << " (from " << analysis::spread_name(res.spread_used) << ")";
    if (!req.groups.empty() && policy.guard)
        std::cerr << "; " << res.withheld_cells << " cells left out (" << privacy::density_note_en(policy) << ")";
    std::cerr << "\n";
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
    cmd->add_option("--output-value", args->output_value,
                    "raw (default), scaled (unit integral, per m²) or per-ha (scaled, per hectare)")
        ->check(CLI::IsMember({"raw", "scaled", "per-ha"}));
    cmd->add_option("--extent", args->extent, "Grid extent XMIN,YMIN,XMAX,YMAX in the metric CRS (default: the "
                                              "points' bounds expanded by the radius)")
        ->delimiter(',');
    cmd->add_option("-o,--output", args->output, "Output GeoTIFF")->required();
    cmd->add_flag("--float64", args->float64, "Write Float64 bands (default Float32, as QGIS)");
    cmd->add_option("--spread", args->spread,
                    "Polygon units: auto (buildings if they carry the column, else area), buildings, area, centroid")
        ->check(CLI::IsMember({"auto", "buildings", "area", "centroid"}));
    args->privacy.add_to(cmd);
    cmd->callback([args]() { run(*args); });
}

const Registrar reg{"heatmap", 40, &setup};

}  // namespace
}  // namespace hq::cli
