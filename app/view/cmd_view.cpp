// huqian view [PROJECT] [--screenshot FILE.png] [--size WxH] [--lang zh|en] [--mode M]
//             [--ui-scale F] [--bench-frames N]: the interactive map viewer.
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>

#include "app/carto/scene.hpp"
#include "app/cli/command.hpp"
#include "app/view/user_settings.hpp"
#include "geo/core/error.hpp"
#include "app/view/viewer.hpp"
#include "geo/io/postgis.hpp"

namespace hq::cli {
namespace {

struct ViewArgs {
    std::string project;
    std::string screenshot;
    std::string size = "1280x800";
    std::string lang = "zh";
    std::string mode = "composition";
    int bench_frames = 0;
    std::vector<std::string> basemaps;
    std::string community;
    float ui_scale = 0;
    std::string extent;
    bool new_project = false;
    std::string script;
};

std::string default_project() {
    std::error_code ec;
    if (std::filesystem::exists("data/shuhan/project.json", ec)) return "data/shuhan";
    return std::string(HUQIAN_SOURCE_DIR) + "/data/shuhan";
}

void setup(CLI::App& app) {
    auto args = std::make_shared<ViewArgs>();
    CLI::App* cmd = app.add_subcommand("view", "Open the map viewer (needs a display; `huqian` alone does this)");
    cmd->add_option("PROJECT", args->project, "Project folder or vector file (default: data/shuhan)");
    cmd->add_option("--screenshot", args->screenshot, "Render the first complete frame to this PNG and exit");
    cmd->add_option("--size", args->size, "Window size WxH (default 1280x800)");
    cmd->add_option("--lang", args->lang, "Interface language: zh or en")->check(CLI::IsMember({"zh", "en"}));
    cmd->add_option("--mode", args->mode,
                    "composition | dominant | heatmap:GROUP | mixing | lisa:GROUP | projects | zones (plan mode) | "
                    "share:GROUP | index:ID[:GROUP] (graduated) | single");
    cmd->add_option("--basemap", args->basemaps, "Raster basemap (GeoTIFF or MBTiles) under the data; repeatable");
    cmd->add_option("--community", args->community,
                    "With a PG: project, open this community of the district database (docs/postgis.md)");
    cmd->add_option("--ui-scale", args->ui_scale, "Interface size, 0.75 to 2.5 (default: the saved one, Ctrl +/-)")
        ->check(CLI::Range(0.75f, 2.5f));
    cmd->add_option("--extent", args->extent,
                    "First view: LON0,LAT0,LON1,LAT1 (WGS 84 degrees, west,south,east,north), e.g. one courtyard");
    cmd->add_flag("--new", args->new_project, "Open File > New project at start (a community from nothing; docs/viewer.md)");
    cmd->add_option("--script", args->script,
                    "Run the actions of FILE once the project is open (tests: add-zone, save, accept-recovery, quit...)");
    cmd->add_option("--bench-frames", args->bench_frames, "Print frame timings of N frames per phase as JSON and exit")
        ->check(CLI::NonNegativeNumber);
    cmd->callback([args]() {
        view::ViewerOptions o;
        o.project = args->project.empty() ? default_project() : args->project;
        o.screenshot = args->screenshot;
        int w = 0, h = 0;
        char x = 0;
        std::istringstream ss(args->size);
        if (!(ss >> w >> x >> h) || (x != 'x' && x != 'X') || w < 320 || h < 240 || w > 8192 || h > 8192)
            throw CLI::ValidationError("--size", "expected WxH, e.g. 1280x800 (320x240 to 8192x8192)");
        o.width = w;
        o.height = h;
        o.lang = args->lang == "en" ? view::UiLang::En : view::UiLang::Zh;
        const std::string kind = args->mode.substr(0, args->mode.find(':'));
        if (kind != "composition" && kind != "dominant" && kind != "heatmap" && kind != "mixing" && kind != "lisa" &&
            kind != "projects" && kind != "zones" && kind != "index" && kind != "share" && kind != "single")
            throw CLI::ValidationError("--mode", "expected composition, dominant, heatmap:GROUP, mixing, lisa:GROUP or projects");
        o.mode = args->mode;
        o.bench_frames = args->bench_frames;
        o.basemaps = args->basemaps;
        o.community = args->community;
        if (pg::is_pg_source(o.project)) pg::allow_database(o.project);  // the database the user named
        o.ui_scale = args->ui_scale;
        o.new_project = args->new_project;
        o.settings_path = view::user_settings_path();
        o.script = args->script;
        if (!args->extent.empty()) {
            try {
                o.extent = carto::parse_lonlat_extent(args->extent);
            } catch (const InputError& e) {
                throw UsageError(e.what());
            }
        }
        const int rc = view::run_viewer(o);
        if (rc != 0) throw CLI::RuntimeError(rc);
    });
}

const Registrar reg{"view", 5, &setup};

}  // namespace
}  // namespace hq::cli
