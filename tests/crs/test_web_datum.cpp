// GCJ-02 / BD-09 (Chinese web-map coordinates) against published test points, and the
// round trips of the iterative inverses.
#include <catch2/catch.hpp>

#include <cmath>

#include "geo/crs/web_datum.hpp"

using Catch::Matchers::WithinAbs;
using hq::Vec2;

namespace {

/// Ground distance in metres between two nearby lon/lat points (local equirectangular;
/// exact enough below a kilometre).
double metres(Vec2 a, Vec2 b) {
    constexpr double r = 6371008.8, deg = 3.14159265358979323846 / 180.0;
    const double dx = (a.x - b.x) * deg * r * std::cos(0.5 * (a.y + b.y) * deg);
    const double dy = (a.y - b.y) * deg * r;
    return std::hypot(dx, dy);
}

}  // namespace

TEST_CASE("WGS 84 to GCJ-02 equals the published test points", "[crs][gcj02]") {
    // googollee/eviltransform, python/test.py (TESTS: wgsLat, wgsLng, gcjLat, gcjLng);
    // the same three points are in its Go, PHP and JavaScript tests. The forward function
    // is the same published formula, so it agrees to rounding: 1e-9 degrees (0.1 mm).
    struct Case { Vec2 wgs, gcj; };
    const Case cases[] = {
        {{121.5272106, 31.1774276}, {121.531541859215, 31.17530398364597}},     // Shanghai
        {{113.912316, 22.543847}, {113.9171764808363, 22.540796131694766}},     // Shenzhen
        {{116.377817, 39.911954}, {116.38404722455657, 39.91334545536069}},     // Beijing
    };
    for (const auto& c : cases) {
        const Vec2 g = hq::wgs84_to_gcj02(c.wgs);
        CHECK_THAT(g.x, WithinAbs(c.gcj.x, 1e-9));
        CHECK_THAT(g.y, WithinAbs(c.gcj.y, 1e-9));
        // The inverse brings the published GCJ-02 point back within 0.5 m (in fact ~0.1 mm).
        CHECK(metres(hq::gcj02_to_wgs84(c.gcj), c.wgs) < 0.5);
        CHECK(metres(hq::gcj02_to_wgs84(c.gcj), c.wgs) < 1e-3);
    }
}

TEST_CASE("GCJ-02 to WGS 84 and BD-09 equal gcoord's test values", "[crs][gcj02][bd09]") {
    // hujiulong/gcoord, test/unit/crs/GCJ02.spec.js: [123, 45] to WGS84 and to BD09,
    // asserted there to 5 decimals (toBeCloseTo(x, 5): |error| < 5e-6).
    const Vec2 w = hq::gcj02_to_wgs84({123, 45});
    CHECK_THAT(w.x, WithinAbs(122.99395597, 5e-6));
    CHECK_THAT(w.y, WithinAbs(44.99804071, 5e-6));
    const Vec2 b = hq::gcj02_to_bd09({123, 45});
    CHECK_THAT(b.x, WithinAbs(123.00636499, 5e-6));
    CHECK_THAT(b.y, WithinAbs(45.00636899, 5e-6));
    // Outside China every conversion is the identity (gcoord: [183, 45] unchanged).
    for (const Vec2 p : {Vec2{183, 45}, Vec2{2.35, 48.85}, Vec2{-122.4, 37.8}, Vec2{105, 0.5}}) {
        CHECK(hq::outside_china(p));
        CHECK(hq::gcj02_to_wgs84(p) == p);
        CHECK(hq::wgs84_to_gcj02(p) == p);
        CHECK(hq::bd09_to_wgs84(p) == p);
        CHECK(hq::wgs84_to_bd09(p) == p);
    }
}

TEST_CASE("BD-09 to GCJ-02 and WGS 84 equal gcoord's test values", "[crs][bd09]") {
    // hujiulong/gcoord, test/unit/crs/BD09.spec.js (0f69931): [123, 45] asserted there to 5
    // decimals (|error| < 5e-6 degrees, about 0.5 m). gcoord inverts with the closed form
    // most implementations use; ours iterates to the exact inverse, 7e-7 degrees (8 cm) away.
    const Vec2 g = hq::bd09_to_gcj02({123, 45});
    CHECK_THAT(g.x, WithinAbs(122.99363304, 5e-6));
    CHECK_THAT(g.y, WithinAbs(44.99365430, 5e-6));
    const Vec2 w = hq::bd09_to_wgs84({123, 45});
    CHECK_THAT(w.x, WithinAbs(122.98762210, 5e-6));
    CHECK_THAT(w.y, WithinAbs(44.99171540, 5e-6));
    // The exact inverse: forward again lands on the input to 1e-10 degrees.
    const Vec2 back = hq::gcj02_to_bd09(g);
    CHECK_THAT(back.x, WithinAbs(123.0, 1e-10));
    CHECK_THAT(back.y, WithinAbs(45.0, 1e-10));
}

TEST_CASE("GCJ-02 and BD-09 inverses round-trip over China to 1 mm", "[crs][gcj02][bd09]") {
    double worst_gcj = 0, worst_bd = 0;
    int n = 0;
    for (double lon = 73.0; lon <= 135.0; lon += 0.73)
        for (double lat = 18.0; lat <= 53.5; lat += 0.61) {
            const Vec2 w{lon, lat};
            worst_gcj = std::max(worst_gcj, metres(hq::gcj02_to_wgs84(hq::wgs84_to_gcj02(w)), w));
            worst_bd = std::max(worst_bd, metres(hq::bd09_to_wgs84(hq::wgs84_to_bd09(w)), w));
            ++n;
        }
    CHECK(n > 4000);
    CHECK(worst_gcj < 1e-3);
    CHECK(worst_bd < 1e-3);
    // The shift itself is hundreds of metres (so a test of the round trip alone could not
    // tell a no-op from the conversion): Chengdu moves about 0.5 km.
    const Vec2 chengdu{104.05, 30.64};
    const double shift = metres(hq::wgs84_to_gcj02(chengdu), chengdu);
    CHECK(shift > 200);
    CHECK(shift < 800);
}

TEST_CASE("web datum names", "[crs]") {
    CHECK(hq::web_datum_from_name("GCJ-02") == hq::WebDatum::Gcj02);
    CHECK(hq::web_datum_from_name("gcj02") == hq::WebDatum::Gcj02);
    CHECK(hq::web_datum_from_name("BD-09") == hq::WebDatum::Bd09);
    CHECK(hq::web_datum_from_name("bd09ll") == hq::WebDatum::Bd09);
    CHECK(hq::web_datum_from_name("WGS 84") == hq::WebDatum::Wgs84);
    CHECK_FALSE(hq::web_datum_from_name("EPSG:4326"));
    CHECK_FALSE(hq::web_datum_from_name(""));
}
