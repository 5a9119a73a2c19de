#include "app/export/layout.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "geo/crs/crs.hpp"

namespace hq::exporter {

std::optional<Template> template_from_name(const std::string& s) {
    if (s == "a4-landscape" || s == "a4") return Template::A4Landscape;
    if (s == "a4-portrait") return Template::A4Portrait;
    if (s == "a3-landscape" || s == "a3") return Template::A3Landscape;
    if (s == "a3-portrait") return Template::A3Portrait;
    if (s == "slide-16x9" || s == "slide") return Template::Slide16x9;
    return std::nullopt;
}

const char* template_name(Template t) {
    switch (t) {
        case Template::A4Landscape: return "a4-landscape";
        case Template::A4Portrait: return "a4-portrait";
        case Template::A3Landscape: return "a3-landscape";
        case Template::A3Portrait: return "a3-portrait";
        case Template::Slide16x9: return "slide-16x9";
    }
    return "a4-landscape";
}

PaperSize paper_size(Template t) {
    switch (t) {
        case Template::A4Landscape: return {297, 210};
        case Template::A4Portrait: return {210, 297};
        case Template::A3Landscape: return {420, 297};
        case Template::A3Portrait: return {297, 420};
        case Template::Slide16x9: return {13.333333333333334 * kMmPerInch, 7.5 * kMmPerInch};
    }
    return {297, 210};
}

int pixels_for(double mm, double dpi) { return static_cast<int>(std::lround(mm / kMmPerInch * dpi)); }

Vec2 Layout::page_to_pixels(Vec2 mm, double dpi) const {
    const double sx = pixels_for(paper.width_mm, dpi) / paper.width_mm;
    const double sy = pixels_for(paper.height_mm, dpi) / paper.height_mm;
    return {mm.x * sx, mm.y * sy};
}

Vec2 Layout::to_pixels(Vec2 metric, double dpi) const { return page_to_pixels(to_page_mm(metric), dpi); }

double nice_length(double max_length) {
    if (!(max_length > 0) || !std::isfinite(max_length)) return 0;
    const double p = std::pow(10.0, std::floor(std::log10(max_length)));
    for (double m : {5.0, 2.0, 1.0})
        if (m * p <= max_length * (1 + 1e-12)) return m * p;
    return p;
}

namespace {

/// Distance between two lon/lat points a few hundred metres apart, on the WGS 84
/// ellipsoid with the local radii of curvature (error ≪ 0.01 % at these distances).
double local_ellipsoid_distance(Vec2 a, Vec2 b) {
    constexpr double kA = 6378137.0, kF = 1 / 298.257223563;
    const double e2 = kF * (2 - kF);
    const double phi = (a.y + b.y) / 2 * M_PI / 180;
    const double s = std::sin(phi);
    const double w = std::sqrt(1 - e2 * s * s);
    const double m = kA * (1 - e2) / (w * w * w);  // meridian
    const double n = kA / w;                       // prime vertical
    const double dy = (b.y - a.y) * M_PI / 180 * m;
    const double dx = (b.x - a.x) * M_PI / 180 * n * std::cos(phi);
    return std::hypot(dx, dy);
}

}  // namespace

double ground_per_grid(const carto::Scene& scene) {
    if (scene.planar || !scene.crs.known() || scene.crs.geographic || scene.extent.empty()) return 1.0;
    try {
        const Transformer t(scene.crs, Crs::wgs84());
        const Vec2 c = scene.extent.center();
        const Vec2 c0 = t.apply(c), ce = t.apply(Vec2{c.x + 100, c.y}), cn = t.apply(Vec2{c.x, c.y + 100});
        const double g = (local_ellipsoid_distance(c0, ce) + local_ellipsoid_distance(c0, cn)) / 200.0;
        return std::isfinite(g) && g > 0.5 && g < 2 ? g : 1.0;
    } catch (const std::exception&) {
        return 1.0;
    }
}

static std::string length_label(double m, bool planar) {
    char buf[64];
    if (planar) std::snprintf(buf, sizeof buf, "%g", m);
    else if (m >= 1000) std::snprintf(buf, sizeof buf, "%g km", m / 1000);
    else std::snprintf(buf, sizeof buf, "%g m", m);
    return buf;
}

namespace {

/// North arrow at the right of the furniture box; the scale bar to its left, at most a
/// quarter of the map frame's width, in ground metres. Needs l.map, l.map_frame and
/// l.furniture_box.
void place_scale_bar(Layout& l, const carto::Scene& scene, double big) {
    const Rect& f = l.map_frame;
    const Rect& fb = l.furniture_box;
    l.north_arrow = {fb.right() - 14 * big, fb.y + 3 * big, 10 * big, 17 * big};
    ScaleBar& sb = l.scale_bar;
    sb.ground_per_grid = ground_per_grid(scene);
    const double mm_per_grid = l.map.scale;
    const double max_mm = std::min(0.25 * f.w, fb.w - 6 * big - 14 * big - 10 * big);
    const double max_ground = max_mm / mm_per_grid * sb.ground_per_grid;
    sb.ground_m = nice_length(max_ground);
    sb.length_mm = sb.ground_m / sb.ground_per_grid * mm_per_grid;
    const double lead =
        sb.ground_m > 0 ? sb.ground_m / std::pow(10.0, std::floor(std::log10(sb.ground_m))) : 1;
    sb.segments = lead > 4.5 ? 5 : 4;
    sb.label = length_label(sb.ground_m, scene.planar);
    sb.bar = {fb.x + 6 * big, fb.y + 11 * big, sb.length_mm, 1.6 * big};
    sb.scale_denominator = scene.planar ? 0 : 1000.0 / mm_per_grid * sb.ground_per_grid;
}

}  // namespace

Layout make_layout(const carto::Scene& scene, Template t) {
    Layout l;
    l.tmpl = t;
    l.paper = paper_size(t);
    const double W = l.paper.width_mm, H = l.paper.height_mm;
    l.portrait = H > W;
    const double m = t == Template::Slide16x9 ? 8 : (t == Template::A3Landscape || t == Template::A3Portrait ? 14 : 10);
    l.margin_mm = m;
    const double big = (t == Template::A3Landscape || t == Template::A3Portrait) ? 1.3 : 1.0;
    l.title_box = {m, m, W - 2 * m, 15 * big};
    const double notes_h = 15 * big;
    l.notes_box = {m, H - m - notes_h, W - 2 * m, notes_h};
    const double top = l.title_box.bottom() + 3;
    const double bottom = l.notes_box.y - 3;
    const double fh = 26 * big;  // scale bar + north arrow
    if (!l.portrait) {
        const double lw = std::clamp(0.22 * W, 58.0, 88.0);
        l.legend_box = {W - m - lw, top, lw, bottom - top - fh - 3};
        l.furniture_box = {W - m - lw, l.legend_box.bottom() + 3, lw, fh};
        l.map_frame = {m, top, W - 2 * m - lw - 4, bottom - top};
    } else {
        const double lh = 0.24 * H;
        const double fw = 62 * big;
        l.map_frame = {m, top, W - 2 * m, bottom - top - lh - 3};
        l.legend_box = {m, l.map_frame.bottom() + 3, W - 2 * m - fw - 3, lh};
        l.furniture_box = {l.legend_box.right() + 3, l.legend_box.y, fw, lh};
    }
    l.map = carto::fit_extent(scene.extent, l.map_frame.x, l.map_frame.y, l.map_frame.w, l.map_frame.h);
    place_scale_bar(l, scene, big);
    return l;
}

ScenarioLayout make_scenario_layout(const carto::Scene& scene, Template t, std::size_t table_rows) {
    ScenarioLayout l;
    static_cast<Layout&>(l) = make_layout(scene, t);  // paper, margins, title and notes boxes
    const double W = l.paper.width_mm;
    const double m = l.margin_mm;
    const double big = (t == Template::A3Landscape || t == Template::A3Portrait) ? 1.3 : 1.0;
    const double top = l.title_box.bottom() + 3;
    const double bottom = l.notes_box.y - 3;
    const double fh = 26 * big;
    const double heading = 6 * big;
    const double gap = 4;
    const double table_h = std::min(
        0.4 * (bottom - top), (static_cast<double>(std::max<std::size_t>(table_rows, 2)) * 3.6 + 2) * big);
    double left_w = 0, panels_bottom = 0;
    if (!l.portrait) {
        const double lw = std::clamp(0.22 * W, 58.0, 88.0);
        l.legend_box = {W - m - lw, top, lw, bottom - top - fh - 3};
        l.furniture_box = {W - m - lw, l.legend_box.bottom() + 3, lw, fh};
        left_w = W - 2 * m - lw - gap;
        panels_bottom = bottom - table_h - 3;
    } else {
        // Panels side by side are narrow: make them only as tall as the fitted extent needs
        // and give the rest of the page to the legend (at least 17 % of the page height).
        const double fw = 62 * big;
        left_w = W - 2 * m;
        const double pw = (left_w - gap) / 2;
        const Box& e = scene.extent;
        const double grow = 2 * carto::kFitMargin * std::max(e.width(), e.height());
        const double aspect =
            e.empty() || !(e.width() + grow > 0) ? 1.0 : (e.height() + grow) / (e.width() + grow);
        const double room = bottom - top - heading - table_h - 6 - 0.17 * l.paper.height_mm;
        const double panel_h = std::clamp(pw * aspect, 0.3 * room, room);
        panels_bottom = top + heading + panel_h;
        const double ly = panels_bottom + 3 + table_h + 3;
        l.legend_box = {m, ly, W - 2 * m - fw - 3, bottom - ly};
        l.furniture_box = {l.legend_box.right() + 3, ly, fw, std::min(bottom - ly, 40 * big)};
    }
    const double pw = (left_w - gap) / 2;
    l.before_heading = {m, top, pw, heading};
    l.after_heading = {m + pw + gap, top, pw, heading};
    l.map_frame = {m, top + heading, pw, panels_bottom - top - heading};
    l.after_frame = {m + pw + gap, top + heading, pw, panels_bottom - top - heading};
    l.table_box = {m, panels_bottom + 3, left_w, table_h};
    l.map = carto::fit_extent(scene.extent, l.map_frame.x, l.map_frame.y, l.map_frame.w, l.map_frame.h);
    l.after_map =
        carto::fit_extent(scene.extent, l.after_frame.x, l.after_frame.y, l.after_frame.w, l.after_frame.h);
    place_scale_bar(l, scene, big);
    return l;
}

}  // namespace hq::exporter
