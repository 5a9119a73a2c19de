// huqian report PROJECT -o DIR: the meeting pack (report.pdf, report.md and the key maps).
#include <cctype>
#include <filesystem>
#include <iostream>
#include <memory>

#include "app/carto/scene.hpp"
#include "app/cli/command.hpp"
#include "app/cli/common.hpp"
#include "app/cli/report_by.hpp"
#include "geo/analysis/weights.hpp"
#include "app/export/report.hpp"
#include "geo/project/gpkg_project.hpp"

namespace hq::cli {
namespace {

struct ReportArgs {
    std::string path;
    std::string output;
    std::string lang = "zh";
    std::string tmpl = "a4-landscape";
    double dpi = 150;
    PrivacyArgs privacy;
    AnalysisArgs common;  ///< --weights, --permutations, --seed, --alpha, --adjust (LISA map and Moran's I)
    double catchment_radius = 300;
    LoadArgs load;
};

void run_report(const ReportArgs& a) {
    exporter::ReportOptions o;
    const auto lang = carto::lang_from_name(a.lang);
    if (!lang) throw InputError("--lang must be zh, en or both (got \"" + a.lang + "\")");
    const auto tmpl = exporter::template_from_name(a.tmpl);
    if (!tmpl)
        throw InputError("--template must be a4-landscape, a4-portrait, a3-landscape, a3-portrait or slide-16x9 (got \"" +
                         a.tmpl + "\")");
    if (!(a.dpi >= 72 && a.dpi <= 600)) throw InputError("--dpi must be between 72 and 600");
    const privacy::DisclosurePolicy policy = a.privacy.policy();
    if (!(a.catchment_radius > 0)) throw InputError("--catchment-radius must be positive");
    o.zone_radius = a.catchment_radius;
    o.lang = *lang;
    o.tmpl = *tmpl;
    o.dpi = a.dpi;
    o.privacy_k = policy.k;
    o.privacy_guard = policy.guard;
    o.permutations = static_cast<int>(std::min<std::size_t>(a.common.permutations, 1000000));
    o.seed = a.common.seed;
    (void)parse_weights_spec(a.common.weights);  // a bad spec fails before any work
    o.weights = a.common.weights;
    o.alpha = a.common.alpha;
    o.adjust = a.common.adjust;
    o.group = a.common.group;  // "" = the most segregated group (the default)
    std::shared_ptr<const Project> project;
    std::string ext = std::filesystem::path(a.path).extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".gpkg" && is_gpkg_project(a.path)) {
        // A project GeoPackage: its planning document's zones are the ones to evaluate.
        GpkgProject g = open_gpkg_project(a.path);
        for (const auto& w : g.project.warnings) print_warning(w);
        o.zones = std::move(g.document.zones);
        o.zones_given = true;
        project = std::make_shared<const Project>(std::move(g.project));
    } else {
        project = std::make_shared<const Project>(load_for_command(a.path, a.load));
    }
    StderrProgress bar("report");
    Progress progress([&bar](double f, std::string_view s) { bar(f, s); }, nullptr);
    const auto summary = exporter::write_report(project, a.output, o, progress);
    for (const auto& f : summary.files) std::cerr << "huqian: wrote " << f << "\n";
}

void setup(CLI::App& app) {
    auto a = std::make_shared<ReportArgs>();
    CLI::App* cmd = app.add_subcommand("report", "Write a meeting pack: report.pdf, report.md and the key maps as PNG");
    cmd->add_option("PROJECT", a->path, "Project folder (with project.json) or a vector file")->required();
    cmd->add_option("-o,--output", a->output, "Output folder (created if missing)")->required();
    cmd->add_option("--lang", a->lang, "zh | en | both")->capture_default_str();
    cmd->add_option("--template", a->tmpl, "Page template of the maps")->capture_default_str();
    cmd->add_option("--dpi", a->dpi, "Resolution of the PNG maps")->capture_default_str();
    a->privacy.add_to(cmd);
    a->common.weights = "queen";
    a->common.add_to(cmd, {.total = false, .groups = false});  // --group: the focus group
    cmd->add_option("--catchment-radius", a->catchment_radius,
                    "Zones' walking radius in metres (zone evaluations)")
        ->capture_default_str();
    a->load.add_to(cmd);
    auto by = std::make_shared<ReportByArgs>();  // --by: the district summary (report_by.hpp)
    by->add_to(cmd);
    cmd->callback([a, by, cmd]() {
        if (by->by.empty()) return run_report(*a);
        // indices --by's values: local environments only with an explicit --weights.
        const std::string weights = cmd->count("--weights") > 0 ? a->common.weights : "";
        const ReportByCommon c{a->path, a->output, a->lang, a->tmpl, a->dpi, a->privacy, a->load, weights, 0};
        for (const auto& f : run_report_by(c, *by)) std::cerr << "huqian: wrote " << f << "\n";
    });
}

const Registrar reg{"report", 85, &setup};

}  // namespace
}  // namespace hq::cli
