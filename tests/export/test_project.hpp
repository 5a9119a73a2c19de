#pragma once
// A small synthetic project for the export tests, written into a temporary folder:
// an 8 × 8 grid of 40 m square courtyards near Chengdu (lon/lat GeoJSON, metric CRS
// EPSG:32648), three groups:
//   pop_a "甲族 / Alpha": 40 per courtyard in the lower-left 4 × 4 block, 3 elsewhere
//                          (a clear High-High cluster of its share);
//   pop_b "乙族 / Beta":  30 everywhere;
//   pop_c "丙族 / Gamma": 3 residents in courtyard "Cc" and nobody else — the privacy case;
// and courtyard "Hh" (top right) with only 4 residents (0 Alpha, 4 Beta): hatched.
// Names contain no digits so a stray "3" in the PDF text can only be a count.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

namespace hq::test {

inline constexpr double kLon0 = 104.040, kLat0 = 30.640;
inline constexpr double kDegLon = 40.0 / 95780.0;  // ≈ 40 m at 30.64° N
inline constexpr double kDegLat = 40.0 / 110860.0;

inline std::string courtyard_name(int row, int col) {
    return std::string(1, static_cast<char>('A' + row)) + std::string(1, static_cast<char>('a' + col));
}

inline void write_test_project(const std::string& dir, bool illustrative = true) {
    auto ring = [](double x0, double y0, double x1, double y1) {
        char buf[512];
        std::snprintf(buf, sizeof buf, "[[[%.9f,%.9f],[%.9f,%.9f],[%.9f,%.9f],[%.9f,%.9f],[%.9f,%.9f]]]", x0, y0, x1, y0,
                      x1, y1, x0, y1, x0, y0);
        return std::string(buf);
    };
    std::string f = R"({"type":"FeatureCollection","features":[)";
    bool first = true;
    for (int r = 0; r < 8; ++r)      // row 0 = south
        for (int c = 0; c < 8; ++c) {  // col 0 = west
            const bool cluster = r < 4 && c < 4;
            int a = cluster ? 40 : 3, b = 30, g = 0;
            const std::string name = courtyard_name(r, c);
            if (name == "Cc") g = 3;
            if (name == "Hh") {
                a = 0;
                b = 4;
            }
            const double x0 = kLon0 + c * kDegLon, y0 = kLat0 + r * kDegLat;
            f += std::string(first ? "" : ",") + R"({"type":"Feature","properties":{"cy_id":")" + name +
                 R"(","name_zh":"院落)" + name + R"(","name_en":"Court )" + name + R"(","pop_a":)" + std::to_string(a) +
                 R"(,"pop_b":)" + std::to_string(b) + R"(,"pop_c":)" + std::to_string(g) +
                 R"(},"geometry":{"type":"Polygon","coordinates":)" + ring(x0, y0, x0 + kDegLon, y0 + kDegLat) + "}}";
            first = false;
        }
    f += "]}";
    std::ofstream(dir + "/courtyards.geojson") << f;
    std::ofstream(dir + "/boundary.geojson")
        << R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"B"},"geometry":{"type":"Polygon","coordinates":)" +
               ring(kLon0, kLat0, kLon0 + 8 * kDegLon, kLat0 + 8 * kDegLat) + "}}]}";
    std::ofstream(dir + "/project.json") << R"({
  "huqian_manifest": 1,
  "name": {"zh": "测试社区", "en": "Test Community"},
  "illustrative": )" << (illustrative ? "true" : "false") << R"(,
  "source": {"zh": "合成测试数据", "en": "synthetic test data"},
  "crs": "EPSG:32648",
  "layers": {
    "boundary": {"path": "boundary.geojson"},
    "units": {"path": "courtyards.geojson", "id": "cy_id"}
  },
  "groups": [
    {"column": "pop_a", "zh": "甲族", "en": "Alpha", "color": "#1565c0"},
    {"column": "pop_b", "zh": "乙族", "en": "Beta", "color": "#9e9e9e"},
    {"column": "pop_c", "zh": "丙族", "en": "Gamma", "color": "#2e7d32"}
  ]
})";
}

/// Adds a zones layer to the test project: "甲族活动室 / Alpha hall", a 20 m square in the
/// middle of courtyard Bb (inside the Alpha cluster), and "花园 / Garden", a 20 m square in
/// courtyard Gg. Ids are letters only (no digits, see above).
inline void write_test_zones(const std::string& dir) {
    auto square = [](int row, int col) {
        const double x0 = kLon0 + (col + 0.25) * kDegLon, y0 = kLat0 + (row + 0.25) * kDegLat;
        const double x1 = x0 + 0.5 * kDegLon, y1 = y0 + 0.5 * kDegLat;
        char buf[512];
        std::snprintf(buf, sizeof buf, "[[[%.9f,%.9f],[%.9f,%.9f],[%.9f,%.9f],[%.9f,%.9f],[%.9f,%.9f]]]", x0,
                      y0, x1, y0, x1, y1, x0, y1, x0, y0);
        return std::string(buf);
    };
    std::ofstream(dir + "/zones.geojson")
        << R"({"type":"FeatureCollection","features":[)"
        << R"({"type":"Feature","properties":{"id":"ZA","name_zh":"甲族活动室","name_en":"Alpha hall","kind":"shared_activity_venue","status":"proposed"},"geometry":{"type":"Polygon","coordinates":)"
        << square(1, 1) << "}},"
        << R"({"type":"Feature","properties":{"id":"ZG","name_zh":"花园","name_en":"Garden","kind":"micro_garden","status":"proposed"},"geometry":{"type":"Polygon","coordinates":)"
        << square(6, 6) << "}}]}";
    std::ifstream in(dir + "/project.json");
    std::string manifest((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string anchor = R"("units": {"path": "courtyards.geojson", "id": "cy_id"})";
    const auto pos = manifest.find(anchor);
    if (pos != std::string::npos)
        manifest.insert(pos + anchor.size(), R"(,
    "zones": {"path": "zones.geojson", "id": "id"})");
    std::ofstream(dir + "/project.json") << manifest;
}

}  // namespace hq::test
