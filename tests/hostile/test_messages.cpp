// Issue 15, class 6 (the error contract): ids and names from the data are escaped before they
// reach a terminal, every error names its file, usage errors exit 2, and huge numbers from
// the user never go through an unchecked conversion.
#include <catch2/catch.hpp>

#include <filesystem>

#include "geo/crs/crs.hpp"
#include "geo/plan/scenario.hpp"
#include "geo/project/project.hpp"
#include "tests/hostile/hostile_support.hpp"

using namespace hq;
using namespace hq::test;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

bool has_control(const std::string& s) {
    for (const unsigned char c : s)
        if ((c < 0x20 && c != '\n') || c == 0x7f) return true;
    return false;
}

/// Lines of `s` (without a trailing empty one).
std::size_t lines(const std::string& s) {
    std::size_t n = 0;
    for (const char c : s) n += c == '\n';
    return n + (!s.empty() && s.back() != '\n');
}

}  // namespace

TEST_CASE("messages: an id with newlines and terminal escapes is shown escaped, on one line") {
    TempDir tmp;
    // Two features with the same crafted id: the duplicate-id error prints it.
    const std::string evil = "X\\u001b[2J\\u001b[1;1Hhuqian: all fine\\nY";
    const std::string fc = "{\"type\":\"FeatureCollection\",\"features\":["
                           "{\"type\":\"Feature\",\"properties\":{\"id\":\"" + evil + "\"},\"geometry\":{\"type\":\"Point\","
                           "\"coordinates\":[104,30]}},{\"type\":\"Feature\",\"properties\":{\"id\":\"" + evil + "\"},"
                           "\"geometry\":{\"type\":\"Point\",\"coordinates\":[104.1,30]}}]}";
    write_text(tmp.file("ids.geojson"), fc);
    const std::string e = error_of([&] { load_project(tmp.file("ids.geojson")); });
    CHECK_THAT(e, Contains("(id \"X\\x1b[2J\\x1b[1;1Hhuqian: all fine\\nY\")") && Contains("duplicate feature id"));
    CHECK_FALSE(has_control(e));
    CHECK(e.find('\n') == std::string::npos);
    // Through the executable: one line on stderr, exit 1, no raw escape.
    const RunResult r = run_huqian("info '" + tmp.file("ids.geojson") + "'", tmp);
    CHECK(r.code == 1);
    CHECK(lines(r.err) == 1);
    CHECK_FALSE(has_control(r.err));
    CHECK_THAT(r.err, Contains("\\x1b[2J"));
}

TEST_CASE("messages: warnings and text output escape names from the data") {
    TempDir tmp;
    const fs::path dir = tmp.path() / "p";
    fs::create_directories(dir);
    // A self-intersecting (bow-tie) unit whose id holds an escape: its repair warning names it.
    write_text((dir / "units.geojson").string(),
               "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"id\":\"B\\u001b[31m\\r\","
               "\"pop_a\":5,\"pop_b\":6},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[104,30],[104.001,30.001],"
               "[104.001,30],[104,30.001],[104,30]]]}}]}");
    write_text((dir / "project.json").string(),
               manifest("units.geojson", "\"name\":{\"en\":\"Name\\u001b]0;title\\u0007\",\"zh\":\"名\\n字\"},"));
    const RunResult r = run_huqian("info '" + dir.string() + "'", tmp);
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK_THAT(r.err, Contains("huqian: warning: ") && Contains("(id \"B\\x1b[31m\\r\")") && Contains("repaired"));
    CHECK_FALSE(has_control(r.err));
    CHECK(lines(r.err) == 1);
    CHECK_THAT(r.out, Contains("名\\n字") && Contains("Name\\x1b]0;title\\x07"));
    CHECK_FALSE(has_control(r.out));
}

TEST_CASE("messages: info shows a layer file whose name holds an escape escaped, relative to the project") {
    TempDir tmp;
    const fs::path dir = tmp.path() / "p";
    fs::create_directories(dir);
    // A file name with ESC [2J (clear screen) and a tab: legal on Linux, so a project from
    // others can carry it.
    const std::string name = "u\x1b[2J\tnits.geojson";
    write_text((dir / name).string(),
               "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"id\":\"a\","
               "\"pop_a\":5,\"pop_b\":6},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[104,30],[104.001,30],"
               "[104.001,30.001],[104,30.001],[104,30]]]}}]}");
    write_text((dir / "project.json").string(), manifest("u\\u001b[2J\\tnits.geojson"));
    const RunResult r = run_huqian("info '" + dir.string() + "'", tmp);
    INFO(r.out << r.err);
    CHECK(r.code == 0);
    CHECK_FALSE(has_control(r.out));
    // The layers table and the groups line name the file escaped and without the folder.
    CHECK_THAT(r.out, Contains("  units      u\\x1b[2J\\tnits.geojson ") &&
                          Contains("residents in u\\x1b[2J\\tnits.geojson:"));
}

TEST_CASE("messages: CRS errors name the file or the option") {
    TempDir tmp;
    write_text(tmp.file("units.geojson"), squares_geojson(2));
    LoadOptions o;
    o.crs = "EPSG:999999";
    CHECK_THAT(error_of([&] { load_project(tmp.file("units.geojson"), o); }), Contains("--crs: unknown CRS \"EPSG:999999\""));
    write_text(tmp.file("project.json"), manifest("units.geojson", "\"crs\":\"nonsense\","));
    CHECK_THAT(error_of([&] { load_project(tmp.path().string()); }),
               Contains("project.json: field crs: unknown CRS \"nonsense\""));
    // A GeoJSON "crs" GDAL cannot read is named by the file.
    write_text(tmp.file("badcrs.geojson"),
               squares_geojson(2, "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::999999\"}},"));
    const std::string e = error_of([&] { load_project(tmp.file("badcrs.geojson")); });
    if (!e.empty()) CHECK_THAT(e, Contains("badcrs.geojson"));
    // Every feature empty: the metric CRS cannot be chosen, and the message names the file.
    write_text(tmp.file("empty.geojson"), "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
                                          "\"properties\":{\"id\":\"A\"},\"geometry\":null}]}");
    CHECK_THAT(error_of([&] { load_project(tmp.file("empty.geojson")); }), Contains("empty.geojson"));
}

TEST_CASE("messages: huge numbers from the user never print as -9223372036854775808") {
    seg::CountMatrix m;
    m.units = 2;
    m.groups = 1;
    m.data = {10, 5};
    m.names = {"a"};
    const std::vector<std::string> ids{"U1", "U2"};
    const std::string e = error_of([&] { plan::apply_moves(m, ids, {{"a"}}, {{"a", "U1", "U2", 1e308}}); });
    CHECK_THAT(e, Contains("positive whole number up to 10^9"));
    CHECK(e.find("-9223372036854775808") == std::string::npos);
    const std::string e2 = error_of([&] { plan::apply_moves(m, ids, {{"a"}}, {{"a", "U1", "U2", 11}}); });
    CHECK_THAT(e2, Contains("moves 11 a residents out of U1, which has only 10"));

    TempDir tmp;
    const RunResult r = run_huqian("heatmap '" + source_dir() + "/data/shuhan' --radius 1e308 --pixel 10 -o '" +
                                       tmp.file("h.tif") + "'",
                                   tmp);
    INFO(r.err);
    CHECK(r.code == 1);
    CHECK(r.err.find("-9223372036854775808") == std::string::npos);
    CHECK_THAT(r.err, Contains("heatmap"));
    CHECK(lines(r.err) == 1);
}

TEST_CASE("messages: autocorr without --var or --share is a usage error (exit 2) with a message") {
    TempDir tmp;
    const RunResult r = run_huqian("autocorr '" + source_dir() + "/data/shuhan'", tmp);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Contains("huqian: give exactly one of --group GROUP, --var COL and --share GROUP:TOTAL"));
}
