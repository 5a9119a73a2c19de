#include "geo/crs/crs.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ogr_spatialref.h>

#include "geo/core/error.hpp"
#include "geo/crs/srs.hpp"

namespace hq {

namespace {

using detail::SrsPtr;

SrsPtr srs_from_wkt(const std::string& wkt) {
    SrsPtr s = detail::srs_from_wkt(wkt);
    if (!s) throw InputError("cannot read CRS definition");
    return s;
}

Crs crs_from_srs(const OGRSpatialReference& s) {
    Crs c;
    c.wkt = detail::srs_to_wkt(s);
    if (const char* n = s.GetName()) c.name = n;
    c.geographic = s.IsGeographic() != 0;
    c.geocentric = s.IsGeocentric() != 0;
    if (s.IsProjected()) {
        const char* unit = nullptr;
        c.linear_unit_m = s.GetLinearUnits(&unit);
        c.unit_name = unit ? unit : "";
    }
    const char* auth = s.GetAuthorityName(nullptr);
    const char* code = s.GetAuthorityCode(nullptr);
    if (auth && code && std::string(auth) == "EPSG") c.epsg = std::atoi(code);
    if (c.epsg == 0) {
        // Files often carry an unlabelled copy of an EPSG CRS: ask PROJ for a match.
        OGRSpatialReference copy(s);
        if (copy.AutoIdentifyEPSG() == OGRERR_NONE) {
            const char* a2 = copy.GetAuthorityName(nullptr);
            const char* c2 = copy.GetAuthorityCode(nullptr);
            if (a2 && c2 && std::string(a2) == "EPSG") c.epsg = std::atoi(c2);
        }
    }
    return c;
}

}  // namespace

std::string Crs::label() const {
    if (!known()) return "none (planar)";
    std::string s = epsg ? "EPSG:" + std::to_string(epsg) : std::string("custom");
    if (!name.empty()) s += " (" + name + ")";
    return s;
}

Crs Crs::wgs84() {
    static const Crs c = [] {
        OGRSpatialReference s;
        s.importFromEPSG(4326);
        Crs r = crs_from_srs(s);
        r.epsg = 4326;
        return r;
    }();
    return c;
}

Crs Crs::from_wkt(const std::string& wkt) {
    SrsPtr s = srs_from_wkt(wkt);
    return crs_from_srs(*s);
}

Crs Crs::from_user_input(const std::string& text) {
    OGRSpatialReference s;
    const char* opts[] = {"ALLOW_NETWORK_ACCESS=NO", "ALLOW_FILE_ACCESS=NO", nullptr};
    if (text.empty() || s.SetFromUserInput(text.c_str(), opts) != OGRERR_NONE)
        throw InputError("unknown CRS \"" + text + "\" (expected e.g. EPSG:32648 or a WKT definition)");
    return crs_from_srs(s);
}

Crs Crs::utm_for(double lon, double lat) {
    int zone = static_cast<int>(std::floor((lon + 180.0) / 6.0)) + 1;
    zone = std::clamp(zone, 1, 60);
    const int epsg = (lat >= 0 ? 32600 : 32700) + zone;
    OGRSpatialReference s;
    if (s.importFromEPSG(epsg) != OGRERR_NONE) throw InputError("cannot create UTM CRS EPSG:" + std::to_string(epsg));
    Crs c = crs_from_srs(s);
    c.epsg = epsg;
    return c;
}

std::optional<Crs> Crs::cgcs2000_gk3_for(double lon) {
    if (!(lon >= 73.5 && lon < 136.5)) return std::nullopt;
    const int cm = static_cast<int>(std::lround(lon / 3.0)) * 3;  // 75, 78, ..., 135
    const int epsg = 4534 + (std::clamp(cm, 75, 135) - 75) / 3;
    OGRSpatialReference s;
    if (s.importFromEPSG(epsg) != OGRERR_NONE) return std::nullopt;
    Crs c = crs_from_srs(s);
    c.epsg = epsg;
    return c;
}

double scale_error_at(const Crs& projected, Vec2 p) {
    // WGS 84 ellipsoid: radii of curvature in the meridian (M) and the prime vertical (N).
    constexpr double a = 6378137.0, e2 = 0.00669437999014;
    constexpr double deg = 3.14159265358979323846 / 180.0;
    const double s = std::sin(p.y * deg);
    const double w = 1.0 - e2 * s * s;
    const double n = a / std::sqrt(w);
    const double m = a * (1.0 - e2) / (w * std::sqrt(w));
    const double h = 1e-4;  // degrees: about 10 m, short enough for a local scale
    const Transformer t(Crs::wgs84(), projected);
    auto length = [&](Vec2 a0, Vec2 a1) {
        const Vec2 b0 = t.apply(a0), b1 = t.apply(a1);
        return std::hypot(b1.x - b0.x, b1.y - b0.y) * (projected.linear_unit_m > 0 ? projected.linear_unit_m : 1.0);
    };
    const double east = length({p.x - h, p.y}, {p.x + h, p.y}) / (n * std::cos(p.y * deg) * 2 * h * deg);
    const double north = length({p.x, p.y - h}, {p.x, p.y + h}) / (m * 2 * h * deg);
    return std::max(std::abs(east - 1.0), std::abs(north - 1.0));
}

std::string suggested_metric_crs_text(Vec2 p) {
    std::string s = "use ";
    if (const auto gk = Crs::cgcs2000_gk3_for(p.x)) s += gk->label() + " or ";
    return s + Crs::utm_for(p.x, p.y).label();
}

std::string Crs::metric_problem() const {
    if (!known()) return {};
    if (geographic) return label() + " is geographic (degrees); a metric CRS in metres is needed for measuring";
    if (geocentric) return label() + " is geocentric (earth-centred X/Y/Z), not a map projection; a projected CRS in metres is needed";
    if (linear_unit_m == 0) return label() + " is not a projected CRS; a projected CRS in metres is needed for measuring";
    if (!(std::abs(linear_unit_m - 1.0) <= 1e-9)) {
        char f[32];
        std::snprintf(f, sizeof f, "%.10g", linear_unit_m);
        return label() + " measures in " + (unit_name.empty() ? std::string("a unit") : unit_name) + " (" + f +
               " m), not metres; huqian measures areas and distances in metres: choose a projected CRS in metres "
               "(e.g. the UTM zone)";
    }
    return {};
}

struct Transformer::Impl {
    SrsPtr from, to;
    detail::TransformPtr ct;
};

Transformer::Transformer(const Crs& from, const Crs& to) : m_impl(std::make_unique<Impl>()) {
    m_impl->from = srs_from_wkt(from.wkt);
    m_impl->to = srs_from_wkt(to.wkt);
    m_impl->ct.reset(OGRCreateCoordinateTransformation(m_impl->from.get(), m_impl->to.get()));
    if (!m_impl->ct)
        throw InputError("no coordinate transformation from " + from.label() + " to " + to.label());
}

Transformer::~Transformer() = default;
Transformer::Transformer(Transformer&&) noexcept = default;
Transformer& Transformer::operator=(Transformer&&) noexcept = default;

bool Transformer::apply(double* x, double* y, std::size_t n) const {
    if (n == 0) return true;
    std::vector<int> ok(n, 0);
    const bool all = m_impl->ct->Transform(n, x, y, nullptr, nullptr, ok.data()) != 0;
    if (!all) return false;
    for (std::size_t i = 0; i < n; ++i)
        if (!ok[i] || !std::isfinite(x[i]) || !std::isfinite(y[i])) return false;
    return true;
}

Vec2 Transformer::apply(Vec2 p) const {
    if (!apply(&p.x, &p.y, 1)) throw InputError("coordinate transformation failed");
    return p;
}

void Transformer::apply(Geometry& g) const {
    std::vector<double> xs, ys;
    xs.reserve(g.vertex_count());
    ys.reserve(xs.capacity());
    g.for_each_vertex([&](const Vec2& p) {
        xs.push_back(p.x);
        ys.push_back(p.y);
    });
    if (!apply(xs.data(), ys.data(), xs.size())) throw InputError("coordinate transformation failed");
    std::size_t i = 0;
    g.for_each_vertex([&](Vec2& p) {
        p.x = xs[i];
        p.y = ys[i];
        ++i;
    });
}

}  // namespace hq
