// huqian export PROJECT --map KIND -o FILE.png|pdf|svg: one meeting-ready map page.
#include <cstdio>
#include <iostream>
#include <memory>

#include "app/carto/classify.hpp"
#include "app/carto/ramps.hpp"
#include "app/carto/scene.hpp"
#include "app/cli/command.hpp"
#include "app/cli/common.hpp"
#include "app/export/render.hpp"

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
    int privacy_k = 5;
    bool no_privacy_guard = false;
    std::string output;
    // Analysis parameters.
    double radius = 80;
    double pixel = 2;
    std::string weights = "queen";
    int permutations = 999;
    std::uint64_t seed = 12345;
    double alpha = 0.05;
    std::string adjust = "fdr";
    std::string classification = "quantile";
    int classes = 5;
    std::string ramp = "viridis";
    std::string date;
    LoadArgs load;
};

void run_export(const ExportArgs& a) {
    carto::MapRequest r = carto::parse_map_kind(a.map);
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
    if (a.classes < 2 || a.classes > 12) throw InputError("--classes must be between 2 and 12");
    const exporter::Format format = exporter::format_from_path(a.output);
    if (format == exporter::Format::Png && !(a.dpi >= 72 && a.dpi <= 600)) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%g", a.dpi);
        throw InputError(std::string("--dpi must be between 72 and 600 (got ") + buf + ")");
    }
    if (!a.scenario.empty())
        throw InputError("--scenario \"" + a.scenario +
                         "\": exporting a scenario's before/after map is not available yet; compare scenarios with "
                         "`huqian plan` and export the baseline map without --scenario");
    r.lang = *lang;
    r.title = a.title;
    r.privacy_k = a.privacy_k;
    r.privacy_guard = !a.no_privacy_guard;
    r.heatmap_radius_m = a.radius;
    r.heatmap_pixel_m = a.pixel;
    r.weights = a.weights;
    r.permutations = a.permutations;
    r.seed = a.seed;
    r.alpha = a.alpha;
    r.adjust = a.adjust;
    r.classification = *cls;
    r.classes = a.classes;
    r.ramp = a.ramp;
    r.date = a.date;

    auto project = std::make_shared<const Project>(load_for_command(a.path, a.load));
    StderrProgress bar("export");
    Progress progress([&bar](double f, std::string_view s) { bar(f * 0.8, s); }, nullptr);
    const carto::Scene scene = carto::build_scene(project, r, progress);
    bar(0.85, "drawing");
    exporter::PageOptions po;
    po.tmpl = *tmpl;
    po.dpi = a.dpi;
    exporter::write_map(scene, po, a.output, format);
    bar(1.0, "written");
    if (!r.privacy_guard)
        std::cerr << "huqian: warning: privacy guard off; " << a.output << " is stamped \"contains small counts\"\n";
}

void setup(CLI::App& app) {
    auto a = std::make_shared<ExportArgs>();
    CLI::App* cmd = app.add_subcommand("export", "Write a meeting-ready map (PNG, PDF or SVG) with legend, scale bar, "
                                                 "north arrow and the privacy guard");
    cmd->add_option("PROJECT", a->path, "Project folder (with project.json) or a vector file")->required();
    cmd->add_option("--map", a->map,
                    "composition | dominant | heatmap:GROUP | mixing | lisa:GROUP | index:ID | zones | projects")
        ->required();
    cmd->add_option("-o,--output", a->output, "Output file; the format comes from the extension (.png, .pdf, .svg)")
        ->required();
    cmd->add_option("--template", a->tmpl, "a4-landscape | a4-portrait | a3-landscape | a3-portrait | slide-16x9")
        ->capture_default_str();
    cmd->add_option("--lang", a->lang, "zh | en | both")->capture_default_str();
    cmd->add_option("--dpi", a->dpi, "PNG resolution, 72..600")->capture_default_str();
    cmd->add_option("--title", a->title, "Title (default: one for the map kind, in the chosen language)");
    cmd->add_option("--scenario", a->scenario, "Scenario to map (not available yet)");
    cmd->add_option("--privacy-k", a->privacy_k, "Privacy threshold: counts below it print as \"<k\"")->capture_default_str();
    cmd->add_flag("--no-privacy-guard", a->no_privacy_guard,
                  "Show small counts and shares (the export is stamped \"contains small counts\")");
    cmd->add_option("--radius", a->radius, "Heatmap / mixing kernel radius in metres")->capture_default_str();
    cmd->add_option("--pixel", a->pixel, "Heatmap / mixing cell size in metres")->capture_default_str();
    cmd->add_option("--weights", a->weights, "LISA weights: queen | rook | knnK")->capture_default_str();
    cmd->add_option("--permutations", a->permutations, "LISA conditional permutations")->capture_default_str();
    cmd->add_option("--seed", a->seed, "Random seed")->capture_default_str();
    cmd->add_option("--alpha", a->alpha, "LISA significance level")->capture_default_str();
    cmd->add_option("--adjust", a->adjust, "LISA p-value adjustment: none | bonferroni | fdr")->capture_default_str();
    cmd->add_option("--classification", a->classification, "index maps: quantile | equal | jenks | stddev")->capture_default_str();
    cmd->add_option("--classes", a->classes, "index maps: number of classes")->capture_default_str();
    cmd->add_option("--ramp", a->ramp, "Colour ramp (viridis, YlOrRd, Blues, RdBu, ...; _r reverses)")->capture_default_str();
    cmd->add_option("--date", a->date, "projects map: show projects as on this ISO date (YYYY-MM-DD)");
    a->load.add_to(cmd);
    cmd->callback([a]() { run_export(*a); });
}

const Registrar reg{"export", 80, &setup};

}  // namespace
}  // namespace hq::cli
