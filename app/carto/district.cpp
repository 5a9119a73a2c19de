#include "app/carto/district.hpp"

#include <cmath>
#include <ctime>

#include "app/carto/classify.hpp"
#include "app/carto/ramps.hpp"
#include "geo/core/error.hpp"
#include "geo/core/text.hpp"

namespace hq::carto {
namespace {

std::string fixed3(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    return buf;
}

}  // namespace

Scene district_scene(std::shared_ptr<const Project> parts, const std::vector<double>& values,
                     const std::string& index_id, const std::string& column, const MapRequest& request) {
    if (!parts) throw InputError("district map: no parts");
    const Project& p = *parts;
    const Layer* l = p.layer(Role::Units);
    if (!l || l->metric.size() != values.size()) throw InputError("district map: one value per part is needed");
    const auto L = [&](const std::string& zh, const std::string& en) { return pick(request.lang, zh, en); };
    Scene s;
    s.project = parts;
    s.request = request;
    s.crs = p.metric_crs;
    s.planar = p.planar;
    for (const auto& g : l->metric) s.extent.expand(g.bounds());

    const std::vector<double> edges = class_breaks(values, request.classification, request.classes);
    const int n_classes = edges.size() > 1 ? static_cast<int>(edges.size()) - 1 : 0;
    const std::vector<Color> colors = ramp_colors(request.ramp, std::max(1, n_classes));
    bool any_missing = false;
    for (std::size_t i = 0; i < values.size(); ++i) {
        FillPolygon f;
        f.geometry = &l->metric[i];
        f.stroke = Color::rgb(60, 60, 60);
        f.stroke_px = 0.8f;
        f.feature = static_cast<std::uint32_t>(i);
        const int c = std::isfinite(values[i]) ? class_of(values[i], edges) : -1;
        if (c < 0) {
            f.fill = Color::rgb(235, 235, 235);
            f.hatched = true;
            any_missing = true;
        } else {
            f.fill = colors[static_cast<std::size_t>(std::min(c, static_cast<int>(colors.size()) - 1))];
        }
        s.polygons.push_back(f);
    }

    const std::string what = printable(column);
    s.title = L("各" + what + "的 " + index_id, index_id + " by " + what);
    s.subtitle = L(p.name_zh, p.name_en);
    LegendItem h;
    h.kind = LegendItem::Kind::Header;
    h.label = index_id + " (" + L(classification_name(request.classification), classification_name(request.classification)) + ")";
    s.legend.push_back(h);
    for (int c = 0; c < n_classes; ++c) {
        LegendItem it;
        it.kind = LegendItem::Kind::Swatch;
        it.label = fixed3(edges[static_cast<std::size_t>(c)]) + " – " + fixed3(edges[static_cast<std::size_t>(c) + 1]);
        it.color = colors[static_cast<std::size_t>(c)];
        s.legend.push_back(it);
    }
    if (any_missing) {
        LegendItem it;
        it.kind = LegendItem::Kind::Hatch;
        it.color = Color::rgb(120, 120, 120);
        it.label = L("无数值（隐私规则拒绝或无法计算）", "No value (refused by the privacy rules or not computed)");
        s.legend.push_back(it);
    }

    // The notes and stamp every map carries (as build_scene's): illustrative line first.
    if (p.illustrative) s.notes.push_back("示意数据，非实测 / Illustrative data, not surveyed");
    s.notes.push_back(privacy_note(request));
    s.stamp = disclosure_policy(request).stamp();
    const std::string src = L(p.source_zh, p.source_en);
    s.notes.push_back(L("数据来源：", "Source: ") + (src.empty() ? p.path : src));
    const std::string crs = p.planar ? L("无坐标系（平面）", "no CRS (planar)") : p.metric_crs.label();
    s.notes.push_back(L("制图日期：" + today() + "；坐标系：" + crs + "；每个" + what + "的单元合并为一个面",
                        "Map date: " + today() + "; CRS: " + crs + "; each " + what + "'s units dissolved into one polygon"));
    return s;
}

}  // namespace hq::carto
