#include "app/cli/common.hpp"

#include <iostream>

#include "app/cli/command.hpp"

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

Project load_for_command(const std::string& path, const LoadArgs& args) {
    StderrProgress bar("loading");
    Progress progress([&bar](double f, std::string_view s) { bar(f, s); }, nullptr);
    Project p = load_project(path, args.options(), progress);
    for (const auto& w : p.warnings) std::cerr << "huqian: warning: " << w << "\n";
    return p;
}

std::string pad_columns(const std::string& s, std::size_t width) {
    std::size_t cols = 0;
    for (unsigned char c : s) cols += (c < 0x80) ? 1 : ((c & 0xC0) != 0x80 ? 2 : 0);
    return s + (cols < width ? std::string(width - cols, ' ') : "");
}

}  // namespace hq::cli
