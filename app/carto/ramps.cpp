#include "app/carto/ramps.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include "geo/core/error.hpp"

namespace hq::carto {
namespace {

const std::map<std::string, std::vector<const char*>>& tables() {
    static const std::map<std::string, std::vector<const char*>> t{
        {"viridis", {"#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21918c", "#22a884", "#44bf70",
                     "#7ad151", "#bddf26", "#fde725"}},
        {"ylorrd", {"#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026"}},
        {"reds", {"#fff5f0", "#fee0d2", "#fcbba1", "#fc9272", "#fb6a4a", "#ef3b2c", "#cb181d", "#a50f15", "#67000d"}},
        {"blues", {"#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"}},
        {"greens", {"#f7fcf5", "#e5f5e0", "#c7e9c0", "#a1d99b", "#74c476", "#41ab5d", "#238b45", "#006d2c", "#00441b"}},
        {"purples", {"#fcfbfd", "#efedf5", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#54278f", "#3f007d"}},
        {"orrd", {"#fff7ec", "#fee8c8", "#fdd49e", "#fdbb84", "#fc8d59", "#ef6548", "#d7301f", "#b30000", "#7f0000"}},
        {"ylgnbu", {"#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494", "#081d58"}},
        {"rdbu", {"#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#f7f7f7", "#d1e5f0", "#92c5de", "#4393c3",
                  "#2166ac", "#053061"}},
        {"rdylbu", {"#a50026", "#d73027", "#f46d43", "#fdae61", "#fee090", "#ffffbf", "#e0f3f8", "#abd9e9", "#74add1",
                    "#4575b4", "#313695"}},
        {"brbg", {"#543005", "#8c510a", "#bf812d", "#dfc27d", "#f6e8c3", "#f5f5f5", "#c7eae5", "#80cdc1", "#35978f",
                  "#01665e", "#003c30"}},
        {"puor", {"#7f3b08", "#b35806", "#e08214", "#fdb863", "#fee0b6", "#f7f7f7", "#d8daeb", "#b2abd2", "#8073ac",
                  "#542788", "#2d004b"}},
    };
    return t;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

const std::vector<std::string>& ramp_names() {
    static const std::vector<std::string> names{"viridis", "YlOrRd", "Reds",  "Blues",  "Greens", "Purples",
                                                "OrRd",    "YlGnBu", "RdBu",  "RdYlBu", "BrBG",   "PuOr"};
    return names;
}

std::vector<Color> ramp_stops(const std::string& name) {
    std::string key = lower(name);
    bool reversed = false;
    if (key.size() > 2 && key.compare(key.size() - 2, 2, "_r") == 0) {
        reversed = true;
        key.resize(key.size() - 2);
    }
    const auto it = tables().find(key);
    if (it == tables().end()) {
        std::string list;
        for (const auto& n : ramp_names()) list += (list.empty() ? "" : ", ") + n;
        throw InputError("unknown colour ramp \"" + name + "\" (known: " + list + ", each also with _r)");
    }
    std::vector<Color> out;
    for (const char* h : it->second) out.push_back(Color::hex(h));
    if (reversed) std::reverse(out.begin(), out.end());
    return out;
}

bool is_ramp(const std::string& name) {
    try {
        (void)ramp_stops(name);
        return true;
    } catch (const InputError&) {
        return false;
    }
}

namespace {
Color interpolate(const std::vector<Color>& stops, double t) {
    if (!(t >= 0)) t = 0;  // NaN too
    t = std::min(1.0, t);
    const double pos = t * static_cast<double>(stops.size() - 1);
    const auto i = std::min(static_cast<std::size_t>(pos), stops.size() - 2);
    const auto f = static_cast<float>(pos - static_cast<double>(i));
    const Color& a = stops[i];
    const Color& b = stops[i + 1];
    return {a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f, a.b + (b.b - a.b) * f, 1.0f};
}
}  // namespace

Color ramp_at(const std::string& name, double t) { return interpolate(ramp_stops(name), t); }

std::vector<Color> ramp_colors(const std::string& name, int n) {
    const auto stops = ramp_stops(name);
    std::vector<Color> out;
    for (int i = 0; i < n; ++i) out.push_back(interpolate(stops, n == 1 ? 0.5 : static_cast<double>(i) / (n - 1)));
    return out;
}

Color categorical_color(std::size_t i) {
    static const char* const pal[] = {"#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628",
                                      "#f781bf", "#999999", "#1b9e77", "#d95f02", "#7570b3", "#e7298a",
                                      "#66a61e", "#e6ab02", "#a6761d", "#666666"};
    return Color::hex(pal[i % 16]);
}

}  // namespace hq::carto
