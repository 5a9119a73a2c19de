#pragma once
// The map camera: world (metric CRS, y up) <-> screen (pixels, y down) for a canvas
// rectangle. Header-only, no GL: the tests check the math directly and the GUI tests use
// the same fit to know where the data must appear in a screenshot.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "geo/geometry/types.hpp"

namespace hq::view {

struct Camera {
    Vec2 center;            ///< world point at the centre of the canvas
    double scale = 1.0;     ///< pixels per world unit (metre)
    Vec2 canvas_min;        ///< top-left corner of the canvas on screen, pixels
    Vec2 canvas_size{1, 1}; ///< canvas width and height, pixels

    static constexpr double kMinScale = 1e-6;
    static constexpr double kMaxScale = 1e4;

    [[nodiscard]] Vec2 canvas_center() const {
        return {canvas_min.x + canvas_size.x * 0.5, canvas_min.y + canvas_size.y * 0.5};
    }
    [[nodiscard]] Vec2 world_to_screen(Vec2 w) const {
        const Vec2 c = canvas_center();
        return {c.x + (w.x - center.x) * scale, c.y - (w.y - center.y) * scale};
    }
    [[nodiscard]] Vec2 screen_to_world(Vec2 s) const {
        const Vec2 c = canvas_center();
        return {center.x + (s.x - c.x) / scale, center.y - (s.y - c.y) / scale};
    }
    /// The world box the canvas shows.
    [[nodiscard]] Box visible_world() const {
        const Vec2 a = screen_to_world(canvas_min);
        const Vec2 b = screen_to_world({canvas_min.x + canvas_size.x, canvas_min.y + canvas_size.y});
        return {std::min(a.x, b.x), std::min(a.y, b.y), std::max(a.x, b.x), std::max(a.y, b.y)};
    }
    /// The screen box of a world box (y flipped: the box's top is its max y).
    [[nodiscard]] Box screen_box(const Box& w) const {
        const Vec2 a = world_to_screen({w.minx, w.maxy});
        const Vec2 b = world_to_screen({w.maxx, w.miny});
        return {a.x, a.y, b.x, b.y};
    }
    /// Where an image of the canvas drawn with camera `drawn` lands on the screen under this
    /// camera (same canvas): the screen box of the world `drawn` showed. Scaling the image
    /// into it shows every world point where this camera puts it (a zoom preview).
    [[nodiscard]] Box image_of(const Camera& drawn) const { return screen_box(drawn.visible_world()); }
    /// Moves the map with the mouse: a drag of (dx, dy) pixels.
    void pan_pixels(double dx, double dy) {
        center.x -= dx / scale;
        center.y += dy / scale;
    }
    /// Multiplies the scale by `factor`, keeping the world point under `screen` fixed.
    void zoom_at(Vec2 screen, double factor) {
        const Vec2 anchor = screen_to_world(screen);
        scale = std::clamp(scale * factor, kMinScale, kMaxScale);
        const Vec2 c = canvas_center();
        center.x = anchor.x - (screen.x - c.x) / scale;
        center.y = anchor.y + (screen.y - c.y) / scale;
    }
    /// Shows all of `box` centred, with `margin_px` free on every side.
    void fit(const Box& box, double margin_px = 24.0) {
        if (box.empty()) return;
        center = box.center();
        const double w = std::max(box.width(), 1e-9), h = std::max(box.height(), 1e-9);
        const double aw = std::max(canvas_size.x - 2 * margin_px, 1.0);
        const double ah = std::max(canvas_size.y - 2 * margin_px, 1.0);
        scale = std::clamp(std::min(aw / w, ah / h), kMinScale, kMaxScale);
    }
    /// Keeps the world centre when the canvas is resized.
    void set_canvas(Vec2 min, Vec2 size) {
        canvas_min = min;
        canvas_size = {std::max(size.x, 1.0), std::max(size.y, 1.0)};
    }
    friend bool operator==(const Camera&, const Camera&) = default;
};

/// A "nice" scale-bar length (1, 2 or 5 × 10^k world units) no longer than `max_px` pixels.
inline double nice_scale_length(double scale_px_per_unit, double max_px) {
    if (!(scale_px_per_unit > 0) || !(max_px > 0)) return 0;
    const double max_units = max_px / scale_px_per_unit;
    const double p = std::pow(10.0, std::floor(std::log10(max_units)));
    for (double m : {5.0, 2.0, 1.0})
        if (m * p <= max_units) return m * p;
    return p;
}

/// Axis ticks at a "nice" step (1, 2 or 5 × 10^k) covering [lo, hi], at most `max_ticks`
/// of them (at least 2 allowed): the multiples of the step inside the range, low to high.
/// Empty for an empty or non-finite range.
inline std::vector<double> nice_ticks(double lo, double hi, int max_ticks) {
    std::vector<double> out;
    if (!std::isfinite(lo) || !std::isfinite(hi) || !(hi > lo)) return out;
    max_ticks = std::max(max_ticks, 2);
    double step = nice_scale_length(1.0, (hi - lo) / max_ticks);
    auto count = [&](double s) { return std::floor(hi / s + 1e-9) - std::ceil(lo / s - 1e-9) + 1; };
    while (count(step) > max_ticks) {
        const double p = std::pow(10.0, std::floor(std::log10(step) + 1e-9));
        const double m = std::round(step / p);
        step = (m < 1.5 ? 2.0 : m < 3.5 ? 5.0 : 10.0) * p;  // the next of 1, 2, 5, 10
    }
    const double first = std::ceil(lo / step - 1e-9), last = std::floor(hi / step + 1e-9);
    for (double k = first; k <= last; ++k) out.push_back(k == 0 ? 0.0 : k * step);
    return out;
}

/// A tick's label: as few decimals as the step needs ("-2", "0.5", "1.25"), never "-0".
inline std::string tick_label(double v, double step) {
    int decimals = 0;
    if (step > 0 && std::isfinite(step))
        while (decimals < 6 && std::abs(step * std::pow(10.0, decimals) - std::round(step * std::pow(10.0, decimals))) > 1e-6)
            ++decimals;
    if (std::abs(v) < step * 1e-9) v = 0.0;
    char b[48];
    std::snprintf(b, sizeof b, "%.*f", decimals, v);
    return b;
}

}  // namespace hq::view
