#include "geo/crs/web_datum.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numbers>

namespace hq {

namespace {

constexpr double kPi = std::numbers::pi;
// Krasovsky 1940 ellipsoid, as the published algorithm uses it.
constexpr double kA = 6378245.0;
constexpr double kEe = 0.00669342162296594323;
// BD-09's rotation constant: π · 3000 / 180.
constexpr double kXPi = kPi * 3000.0 / 180.0;

double shift_lat(double x, double y) {
    double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * std::sqrt(std::abs(x));
    r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
    r += (20.0 * std::sin(y * kPi) + 40.0 * std::sin(y / 3.0 * kPi)) * 2.0 / 3.0;
    r += (160.0 * std::sin(y / 12.0 * kPi) + 320.0 * std::sin(y * kPi / 30.0)) * 2.0 / 3.0;
    return r;
}

double shift_lon(double x, double y) {
    double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * std::sqrt(std::abs(x));
    r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
    r += (20.0 * std::sin(x * kPi) + 40.0 * std::sin(x / 3.0 * kPi)) * 2.0 / 3.0;
    r += (150.0 * std::sin(x / 12.0 * kPi) + 300.0 * std::sin(x / 30.0 * kPi)) * 2.0 / 3.0;
    return r;
}

/// The GCJ-02 offset (degrees) at a WGS 84 point, without the outside-China rule.
Vec2 gcj_delta(Vec2 p) {
    double d_lat = shift_lat(p.x - 105.0, p.y - 35.0);
    double d_lon = shift_lon(p.x - 105.0, p.y - 35.0);
    const double rad_lat = p.y / 180.0 * kPi;
    double magic = std::sin(rad_lat);
    magic = 1.0 - kEe * magic * magic;
    const double sqrt_magic = std::sqrt(magic);
    d_lat = (d_lat * 180.0) / ((kA * (1.0 - kEe)) / (magic * sqrt_magic) * kPi);
    d_lon = (d_lon * 180.0) / (kA / sqrt_magic * std::cos(rad_lat) * kPi);
    return {d_lon, d_lat};
}

Vec2 bd_forward(Vec2 g) {
    const double z = std::hypot(g.x, g.y) + 0.00002 * std::sin(g.y * kXPi);
    const double theta = std::atan2(g.y, g.x) + 0.000003 * std::cos(g.x * kXPi);
    return {z * std::cos(theta) + 0.0065, z * std::sin(theta) + 0.006};
}

/// Solves forward(x) = target for x by fixed-point iteration x ← x + (target − forward(x)),
/// starting at `start`. Both shifts are smooth and far below a degree, so each step gains
/// about three orders of magnitude; 30 steps are a safety bound, not the usual count.
template <class F>
Vec2 invert(F forward, Vec2 target, Vec2 start) {
    Vec2 x = start;
    for (int i = 0; i < 30; ++i) {
        const Vec2 f = forward(x);
        const Vec2 d{target.x - f.x, target.y - f.y};
        x.x += d.x;
        x.y += d.y;
        if (std::abs(d.x) < 1e-12 && std::abs(d.y) < 1e-12) break;
    }
    return x;
}

std::string normalised(const std::string& s) {
    std::string out;
    for (char c : s)
        if (c != '-' && c != '_' && c != ' ') out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    return out;
}

}  // namespace

std::optional<WebDatum> web_datum_from_name(const std::string& name) {
    const std::string n = normalised(name);
    if (n == "gcj02" || n == "gcj") return WebDatum::Gcj02;
    if (n == "bd09" || n == "bd09ll" || n == "baidu") return WebDatum::Bd09;
    if (n == "wgs84") return WebDatum::Wgs84;
    return std::nullopt;
}

const char* web_datum_name(WebDatum d) {
    switch (d) {
        case WebDatum::Gcj02: return "GCJ-02";
        case WebDatum::Bd09: return "BD-09";
        case WebDatum::Wgs84: break;
    }
    return "WGS 84";
}

bool outside_china(Vec2 p) { return p.x < 72.004 || p.x > 137.8347 || p.y < 0.8293 || p.y > 55.8271; }

Vec2 wgs84_to_gcj02(Vec2 p) {
    if (outside_china(p)) return p;
    const Vec2 d = gcj_delta(p);
    return {p.x + d.x, p.y + d.y};
}

Vec2 gcj02_to_wgs84(Vec2 p) {
    if (outside_china(p)) return p;
    // The forward function applies only inside the box; near its edge the inverse's
    // iterate may leave it, so iterate on the unconditional shift.
    const Vec2 d = gcj_delta(p);
    return invert([](Vec2 w) { const Vec2 e = gcj_delta(w); return Vec2{w.x + e.x, w.y + e.y}; }, p,
                  Vec2{p.x - d.x, p.y - d.y});
}

Vec2 gcj02_to_bd09(Vec2 p) { return outside_china(p) ? p : bd_forward(p); }

Vec2 bd09_to_gcj02(Vec2 p) {
    if (outside_china(p)) return p;
    // The closed-form inverse that most implementations use is off by up to ~1e-6 degrees;
    // start from it and iterate to the exact inverse of bd_forward.
    const double x = p.x - 0.0065, y = p.y - 0.006;
    const double z = std::hypot(x, y) - 0.00002 * std::sin(y * kXPi);
    const double theta = std::atan2(y, x) - 0.000003 * std::cos(x * kXPi);
    return invert(bd_forward, p, Vec2{z * std::cos(theta), z * std::sin(theta)});
}

Vec2 wgs84_to_bd09(Vec2 p) { return gcj02_to_bd09(wgs84_to_gcj02(p)); }

Vec2 bd09_to_wgs84(Vec2 p) { return gcj02_to_wgs84(bd09_to_gcj02(p)); }

Vec2 web_datum_to_wgs84(WebDatum from, Vec2 p) {
    switch (from) {
        case WebDatum::Gcj02: return gcj02_to_wgs84(p);
        case WebDatum::Bd09: return bd09_to_wgs84(p);
        case WebDatum::Wgs84: break;
    }
    return p;
}

void web_datum_to_wgs84(WebDatum from, Geometry& g) {
    if (from == WebDatum::Wgs84) return;
    g.for_each_vertex([from](Vec2& v) { v = web_datum_to_wgs84(from, v); });
}

}  // namespace hq
