#pragma once
// The district summary pack of `report --by` checked against `indices --by`'s JSON
// (tests/postgis/test_report_by.cpp and the PostGIS case in test_postgis.cpp).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/export/render.hpp"
#include "tests/export/test_shell.hpp"
#include "tests/test_support.hpp"

namespace hq::test {


inline std::vector<std::string> split(const std::string& line, char sep) {
    std::vector<std::string> out;
    std::string cell;
    std::istringstream in(line);
    while (std::getline(in, cell, sep)) out.push_back(cell);
    if (!line.empty() && line.back() == sep) out.emplace_back();
    return out;
}

/// The pack in `dir` holds `by`'s rows (the JSON of indices --by): the CSV's values equal
/// the JSON's, the Markdown lists every part, the map is a PNG with the ramp's colours.
inline void check_pack(const std::string& dir, const nlohmann::json& by, const std::string& map_file) {
    namespace fs = std::filesystem;
    REQUIRE(fs::exists(fs::path(dir) / "district.csv"));
    REQUIRE(fs::exists(fs::path(dir) / "district.md"));
    REQUIRE(fs::exists(fs::path(dir) / map_file));
    std::ifstream csv(fs::path(dir) / "district.csv");
    std::string header;
    std::getline(csv, header);
    const auto names = split(header, ',');
    REQUIRE(names.size() >= 4);
    CHECK(names.front() == by.at("by").get<std::string>());
    CHECK(names[1] == "units");
    CHECK(names.back() == "error");
    std::size_t rows = 0, compared = 0;
    const std::string md = slurp(fs::path(dir) / "district.md");
    for (std::string line; std::getline(csv, line);) {
        const auto cells = split(line, ',');
        REQUIRE(cells.size() == names.size());
        REQUIRE(rows < by.at("rows").size());
        const auto& row = by.at("rows").at(rows++);
        CHECK(cells[0] == row.at(names.front()).get<std::string>());
        CHECK(md.find("| " + cells[0] + " | ") != std::string::npos);
        CHECK(std::stoul(cells[1]) == row.at("units").get<std::size_t>());
        for (std::size_t j = 2; j + 1 < names.size(); ++j) {
            INFO(cells[0] << " " << names[j]);
            const auto& v = row.at("values").at(names[j]);
            if (v.is_null()) {
                CHECK(cells[j].empty());
            } else {
                CHECK(std::stod(cells[j]) == v.get<double>());  // the same number, not a close one
                ++compared;
            }
        }
    }
    CHECK(rows == by.at("rows").size());
    CHECK(compared >= 5 * rows);
    CHECK(md.find("Privacy: counts of 0 to 4") != std::string::npos);
    // The map: many colours (the ramp's classes, the outlines, the text), not a blank page.
    const exporter::Image img = exporter::read_png((fs::path(dir) / map_file).string());
    REQUIRE(img.width > 500);
    std::set<std::uint32_t> colours;
    std::size_t ramp_pixels = 0;
    for (int y = 0; y < img.height; y += 2)
        for (int x = 0; x < img.width; x += 2) {
            const std::uint8_t* p = img.at(x, y);
            colours.insert(static_cast<std::uint32_t>(p[0]) << 16 | static_cast<std::uint32_t>(p[1]) << 8 | p[2]);
            // YlOrRd, light yellow (255, 255, 204) to dark red: a saturated colour, red at least
            // blue (not grey, white or black). Under the guard copies of Shuhan differ in the
            // fourth decimal and fall in different classes, the ramp's ends among them: each
            // part reads the whole district's published estimate, which protects the copies
            // differently.
            const int hi = std::max({p[0], p[1], p[2]}), lo = std::min({p[0], p[1], p[2]});
            if (hi - lo > 40 && p[0] >= p[2]) ++ramp_pixels;
        }
    CHECK(colours.size() > 20);
    CHECK(ramp_pixels > 1000);
    // The PDF, read back with poppler: the table's parts and index names, the privacy line,
    // and at least two pages (the table, then the map).
    const std::string pdf = (fs::path(dir) / "district.pdf").string();
    REQUIRE(fs::exists(pdf));
    std::string text = shell::pdftotext(pdf);
    std::replace(text.begin(), text.end(), '\n', ' ');  // a wrapped line is one sentence again
    std::size_t found = 0;
    for (const auto& row : by.at("rows")) found += text.find(row.at(names.front()).get<std::string>()) != std::string::npos;
    CHECK(found == by.at("rows").size());
    CHECK(text.find("multi_dissim") != std::string::npos);
    CHECK((text.find("Privacy: counts of 0 to 4") != std::string::npos || text.find("隐私") != std::string::npos));
    const auto info = shell::run("pdfinfo " + shell::q(pdf));
    REQUIRE(info.code == 0);
    const auto at = info.out.find("Pages:");
    REQUIRE(at != std::string::npos);
    CHECK(std::stoi(info.out.substr(at + 6)) >= 2);
}


}  // namespace hq::test
