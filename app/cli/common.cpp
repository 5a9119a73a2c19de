#include "app/cli/common.hpp"

#include <iostream>

#include "app/cli/command.hpp"
#include "geo/core/text.hpp"

namespace hq::cli {

void LoadArgs::add_to(CLI::App* cmd, bool with_layer) {
    if (with_layer) cmd->add_option("--layer", layer, "Layer name inside a multi-layer file (e.g. a GeoPackage)");
    cmd->add_option("--crs", crs,
                    "Metric CRS for measuring, e.g. EPSG:4544 (default: the data's own projected CRS in metres when "
                    "it fits the data, else the UTM zone of its centroid)");
    cmd->add_option("--source-crs", source_crs,
                    "The data's coordinates when the file does not say: GCJ-02 (AMap/Gaode, Tencent), BD-09 (Baidu) "
                    "or a CRS such as EPSG:4544 that replaces the file's own");
    cmd->add_option("--encoding", encoding, "Source text encoding of legacy Shapefile/CSV files, e.g. GBK");
}

LoadOptions LoadArgs::options() const {
    LoadOptions o;
    o.layer = layer;
    o.crs = crs;
    o.source_crs = source_crs;
    o.encoding = encoding;
    return o;
}

void PrivacyArgs::add_to(CLI::App* cmd) {
    cmd->add_option("--privacy-k", k, "Privacy threshold: counts 0..k-1 print as \"<k\" (docs/privacy.md)")
        ->capture_default_str();
    cmd->add_flag("--no-privacy-guard", no_guard,
                  "Print every count (for the data owner; the output is stamped \"contains small counts\")");
}

privacy::DisclosurePolicy PrivacyArgs::policy() const {
    privacy::DisclosurePolicy p;
    p.k = k;
    p.guard = !no_guard;
    p.check();
    if (!p.guard) std::cerr << "huqian: warning: privacy guard off; the output is stamped \"" << p.stamp() << "\"\n";
    return p;
}

Project load_for_command(const std::string& path, const LoadArgs& args) {
    StderrProgress bar("loading");
    Progress progress([&bar](double f, std::string_view s) { bar(f, s); }, nullptr);
    Project p = load_project(path, args.options(), progress);
    for (const auto& w : p.warnings) print_warning(w);
    return p;
}

void print_warning(const std::string& text) { std::cerr << "huqian: warning: " << printable(text) << "\n"; }

}  // namespace hq::cli
