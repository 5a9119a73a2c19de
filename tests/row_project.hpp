#pragma once
// A small project for the disclosure tests: 40 m courtyards u0, u1, ... in a row with the
// manifest groups pop_a, pop_b, pop_c (甲 A, 乙 B, 丙 C) of counts[g][i] (tests/plan and
// tests/privacy: the published-estimate cases).
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace hq::test {

/// Writes DIR/courtyards.geojson and DIR/project.json. `with_all`: also a column pop_all (the
/// groups' sum, not a manifest group: a custom --total).
inline void write_row_project(const std::string& dir, const std::vector<std::vector<double>>& counts,
                              bool with_all = false) {
    const double lon0 = 104.040, lat0 = 30.640, dlon = 40.0 / 95780.0, dlat = 40.0 / 110860.0;
    const auto count = [](double v) { return std::to_string(static_cast<int>(v)); };
    std::string f = R"({"type":"FeatureCollection","features":[)";
    for (std::size_t i = 0; i < counts[0].size(); ++i) {
        char ring[512];
        const double x0 = lon0 + static_cast<double>(i) * dlon, x1 = x0 + dlon, y0 = lat0, y1 = lat0 + dlat;
        std::snprintf(ring, sizeof ring, "[[[%.9f,%.9f],[%.9f,%.9f],[%.9f,%.9f],[%.9f,%.9f],[%.9f,%.9f]]]", x0, y0, x1,
                      y0, x1, y1, x0, y1, x0, y0);
        f += std::string(i ? "," : "") + R"({"type":"Feature","properties":{"cy_id":"u)" + std::to_string(i) +
             R"(","pop_a":)" + count(counts[0][i]) + R"(,"pop_b":)" + count(counts[1][i]) + R"(,"pop_c":)" +
             count(counts[2][i]) +
             (with_all ? R"(,"pop_all":)" + count(counts[0][i] + counts[1][i] + counts[2][i]) : std::string()) +
             R"(},"geometry":{"type":"Polygon","coordinates":)" + ring + "}}";
    }
    f += "]}";
    std::ofstream(dir + "/courtyards.geojson") << f;
    std::ofstream(dir + "/project.json") << R"({
  "huqian_manifest": 1,
  "name": {"zh": "三院", "en": "Three courtyards"},
  "illustrative": true,
  "source": {"zh": "合成测试数据", "en": "synthetic test data"},
  "crs": "EPSG:32648",
  "layers": {"units": {"path": "courtyards.geojson", "id": "cy_id"}},
  "groups": [
    {"column": "pop_a", "zh": "甲", "en": "A", "color": "#1565c0"},
    {"column": "pop_b", "zh": "乙", "en": "B", "color": "#9e9e9e"},
    {"column": "pop_c", "zh": "丙", "en": "C", "color": "#2e7d32"}
  ]
})";
}

}  // namespace hq::test
