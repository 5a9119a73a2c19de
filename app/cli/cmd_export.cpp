// huqian export PROJECT --map KIND -o FILE.png|pdf|svg: one meeting-ready map page.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "app/carto/classify.hpp"
#include "app/carto/ramps.hpp"
#include "app/carto/scene.hpp"
#include "app/cli/command.hpp"
#include "app/cli/common.hpp"
#include "geo/analysis/weights.hpp"
#include "app/export/handoff.hpp"
#include "geo/core/text.hpp"
#include "app/export/render.hpp"
#include "app/export/scenario.hpp"
#include "geo/project/gpkg_project.hpp"

namespace hq::cli {
namespace {

struct ExportArgs {
    std::string path;
    std::string map;
    std::string tmpl = "a4-landscape";
    std::string lang = "zh";
    double dpi = 300;
    std::string title;
    std::string scenario;
    std::string scenarios_file;
    double catchment_radius = 300;
    double fraction = 0.2;
    int privacy_k = 5;
    bool no_privacy_guard = false;
    std::string output;
    // Analysis parameters.
    double radius = 80;
    double pixel = 2;
    AnalysisArgs common;  ///< --group, --weights, --permutations, --seed, --alpha, --adjust
    std::string classification = "quantile";
    int classes = 5;
    std::string ramp = "viridis";
    std::string date;
    std::string glyph = "pie";
    double other_share = 0.03;
    std::string extent;  ///< LON0,LAT0,LON1,LAT1: the map frame fits it
    bool zones = false;  ///< the zones layer over the map
    LoadArgs load;
};

bool is_gpkg_path(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext == ".gpkg";
}

void run_export(const ExportArgs& a) {
    if (a.map.empty() && a.scenario.empty()) throw CLI::RequiredError("--map");
    std::optional<Box> extent;
    if (!a.extent.empty()) {
        try {
            extent = carto::parse_lonlat_extent(a.extent);
        } catch (const InputError& e) {
            throw UsageError(e.what());
        }
        if (!a.scenario.empty()) throw UsageError("--extent applies to one map, not to --scenario pages");
    }
    carto::MapRequest r = carto::parse_map_kind(a.map.empty() ? "composition" : a.map);
    const auto lang = carto::lang_from_name(a.lang);
    if (!lang) throw InputError("--lang must be zh, en or both (got \"" + a.lang + "\")");
    const auto tmpl = exporter::template_from_name(a.tmpl);
    if (!tmpl)
        throw InputError("--template must be a4-landscape, a4-portrait, a3-landscape, a3-portrait or slide-16x9 (got \"" +
                         a.tmpl + "\")");
    const auto cls = carto::classification_from_name(a.classification);
    if (!cls) throw InputError("--classification must be quantile, equal, jenks or stddev (got \"" + a.classification + "\")");
    if (!carto::is_ramp(a.ramp)) (void)carto::ramp_stops(a.ramp);  // throws the list of ramps
    if (a.privacy_k < 1) throw InputError("--privacy-k must be at least 1");
    const auto glyph = carto::glyph_style_from_name(a.glyph);
    if (!glyph) throw InputError("--glyph must be pie or bar (got \"" + a.glyph + "\")");
    if (!(a.other_share >= 0 && a.other_share < 1))
        throw InputError("--other-share must be at least 0 and below 1 (a share, e.g. 0.05)");
    if (a.classes < 2 || a.classes > 12) throw InputError("--classes must be between 2 and 12");
    const bool handoff = is_gpkg_path(a.output);  // the GIS hand-off (docs/export.md)
    if (handoff && !a.scenario.empty())
        throw UsageError("--scenario draws a page; a .gpkg output is the GIS hand-off of one --map");
    const exporter::Format format = handoff ? exporter::Format::Png : exporter::format_from_path(a.output);
    if (format == exporter::Format::Png && !(a.dpi >= 72 && a.dpi <= 600)) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%g", a.dpi);
        throw InputError(std::string("--dpi must be between 72 and 600 (got ") + buf + ")");
    }
    if (!a.scenarios_file.empty() && a.scenario.empty())
        throw UsageError("--scenarios FILE needs --scenario NAME");
    if (!a.scenario.empty() && !(a.catchment_radius > 0))
        throw InputError("--catchment-radius must be positive");
    if (!a.scenario.empty() && !(a.fraction >= 0 && a.fraction <= 1))
        throw InputError("--fraction must be between 0 and 1");
    r.lang = *lang;
    r.title = a.title;
    r.privacy_k = a.privacy_k;
    r.privacy_guard = !a.no_privacy_guard;
    r.heatmap_radius_m = a.radius;
    r.heatmap_pixel_m = a.pixel;
    if (r.group.empty()) r.group = a.common.group;  // lisa:G wins; --group for a map kind named without one
    r.weights = a.common.weights;
    (void)parse_weights_spec(r.weights);  // a bad spec fails before any work
    r.permutations = static_cast<int>(std::min<std::size_t>(a.common.permutations, 1000000));
    r.seed = a.common.seed;
    r.alpha = a.common.alpha;
    r.adjust = a.common.adjust;
    r.classification = *cls;
    r.classes = a.classes;
    r.ramp = a.ramp;
    r.date = a.date;
    r.glyph = *glyph;
    r.other_share = a.other_share;
    r.zones_overlay = a.zones;

    exporter::PageOptions po;
    po.tmpl = *tmpl;
    po.dpi = a.dpi;
    if (!a.scenario.empty()) {
        // Scenarios: a .gpkg project's planning document, else the zones layer; plus --scenarios.
        std::shared_ptr<const Project> project;
        std::vector<plan::Zone> zones;
        std::vector<plan::Scenario> stored;
        std::vector<std::string> warnings;
        if (is_gpkg_path(a.path) && is_gpkg_project(a.path)) {
            GpkgProject g = open_gpkg_project(a.path);
            warnings = g.project.warnings;
            zones = std::move(g.document.zones);
            stored = std::move(g.document.scenarios);
            project = std::make_shared<const Project>(std::move(g.project));
        } else {
            project = std::make_shared<const Project>(load_for_command(a.path, a.load));
            zones = exporter::project_zones(*project, &warnings);
        }
        if (!a.scenarios_file.empty())
            for (auto& s : plan::read_scenario_file(a.scenarios_file)) stored.push_back(std::move(s));
        for (const auto& w : warnings) print_warning(w);
        const exporter::ScenarioSet set = exporter::make_scenario_set(std::move(zones), stored);
        (void)exporter::find_scenario(set, a.scenario);  // an unknown name fails before any work
        exporter::ScenarioOptions so;
        so.radius = a.catchment_radius;
        so.fraction = a.fraction;
        so.permutations = a.common.permutations;
        so.seed = a.common.seed;
        StderrProgress bar("export");
        Progress progress([&bar](double f, std::string_view s) { bar(f * 0.8, s); }, nullptr);
        const exporter::ScenarioPage page =
            exporter::build_scenario_page(project, set, a.scenario, r, so, progress);
        bar(0.85, "drawing");
        exporter::write_scenario_map(page, po, a.output, format);
        bar(1.0, "written");
    } else {
        auto project = std::make_shared<const Project>(load_for_command(a.path, a.load));
        StderrProgress bar("export");
        Progress progress([&bar](double f, std::string_view s) { bar(f * 0.8, s); }, nullptr);
        const carto::SceneResults results = carto::scene_results(*project, r, progress);
        carto::Scene scene = carto::build_scene(project, r, results, progress);
        if (extent) scene.extent = carto::lonlat_extent_to_metric(*project, *extent);  // the map frame fits it
        if (handoff) {
            bar(0.85, "writing the GeoPackage");
            exporter::HandoffOptions ho;
            ho.zone_radius = a.catchment_radius;
            ho.fraction = a.fraction;
            const exporter::HandoffFiles files = exporter::write_handoff(scene, results, a.output, ho);
            bar(1.0, "written");
            if (!files.raster.empty())
                std::cerr << "huqian: wrote " << printable(files.raster) << " and its QGIS style "
                          << printable(files.raster_qml) << " beside " << printable(files.gpkg) << "\n";
        } else {
            bar(0.85, "drawing");
            exporter::write_map(scene, po, a.output, format);
            bar(1.0, "written");
        }
    }
    if (!r.privacy_guard)
        std::cerr << "huqian: warning: privacy guard off; " << a.output << " is stamped \"contains small counts\"\n";
}

void setup(CLI::App& app) {
    auto a = std::make_shared<ExportArgs>();
    CLI::App* cmd = app.add_subcommand("export", "Write a meeting-ready map (PNG, PDF or SVG) with legend, scale bar, "
                                                 "north arrow and the privacy guard");
    cmd->add_option("PROJECT", a->path, "Project folder (with project.json) or a vector file")->required();
    cmd->add_option(
        "--map", a->map,
        "composition | dominant | heatmap:GROUP | mixing | lisa:GROUP | index:ID | zones | projects "
        "(required unless --scenario, which defaults to composition)");
    cmd->add_option("-o,--output", a->output, "Output file; the format comes from the extension (.png, .pdf, .svg; .gpkg: the map's layers with "
                    "their results as fields and QGIS styles)")
        ->required();
    cmd->add_option("--template", a->tmpl, "a4-landscape | a4-portrait | a3-landscape | a3-portrait | slide-16x9")
        ->capture_default_str();
    cmd->add_option("--lang", a->lang, "zh | en | both")->capture_default_str();
    cmd->add_option("--dpi", a->dpi, "PNG resolution, 72..600")->capture_default_str();
    cmd->add_option("--title", a->title, "Title (default: one for the map kind, in the chosen language)");
    cmd->add_option(
        "--scenario", a->scenario,
        "Before/after panels of a scenario: all_zones (alias zones), a .gpkg project's scenarios, or "
        "one from --scenarios");
    cmd->add_option("--scenarios", a->scenarios_file, "JSON file of scenarios (format in docs/planning.md)");
    cmd->add_option("--catchment-radius", a->catchment_radius, "Scenario and .gpkg zones: walking radius in metres")
        ->capture_default_str();
    cmd->add_option("--fraction", a->fraction,
                    "Scenario: share f of contact time at a zone (activity-space model)")
        ->capture_default_str();
    cmd->add_option("--privacy-k", a->privacy_k, "Privacy threshold: counts below it print as \"<k\"")->capture_default_str();
    cmd->add_flag("--no-privacy-guard", a->no_privacy_guard,
                  "Show small counts and shares (the export is stamped \"contains small counts\")");
    cmd->add_option("--radius", a->radius, "Heatmap / mixing kernel radius in metres")->capture_default_str();
    cmd->add_option("--pixel", a->pixel, "Heatmap / mixing cell size in metres (coarsened to at most 4096 cells along the map's longer side; the subtitle says the cell used)")->capture_default_str();
    // LISA maps (and with --scenario the two-value test of each change): the shared options.
    a->common.weights = "queen";
    a->common.add_to(cmd, {.total = false, .groups = false});
    cmd->add_option("--classification", a->classification, "index maps: quantile | equal | jenks | stddev")->capture_default_str();
    cmd->add_option("--classes", a->classes, "index maps: number of classes")->capture_default_str();
    cmd->add_option("--ramp", a->ramp, "Colour ramp (viridis, YlOrRd, Blues, RdBu, ...; _r reverses)")->capture_default_str();
    cmd->add_option("--date", a->date, "projects map: show projects as on this ISO date (YYYY-MM-DD)");
    cmd->add_option("--glyph", a->glyph, "composition map: pie | bar (stacked bar of group shares)")->capture_default_str();
    cmd->add_option("--other-share", a->other_share,
                    "composition map: groups under this share of a unit merge into \"other\" (0 = never)")
        ->capture_default_str();
    cmd->add_option("--extent", a->extent,
                    "Map frame: LON0,LAT0,LON1,LAT1 (WGS 84 degrees, west,south,east,north), e.g. one courtyard at 1:500");
    cmd->add_flag("--zones", a->zones, "Draw the project's zones (outlined, labelled) over any --map");
    a->load.add_to(cmd);
    cmd->callback([a]() { run_export(*a); });
}

const Registrar reg{"export", 80, &setup};

}  // namespace
}  // namespace hq::cli
