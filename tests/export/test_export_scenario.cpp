// Scenario exports (before/after panels), the zones' evaluations in the meeting pack, and
// the libpng writer, read back as a user sees them: pdftotext, PNG size and pixels.
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <sstream>

#include <catch2/catch.hpp>

#include <algorithm>

#include "app/carto/scene.hpp"
#include "app/export/layout.hpp"
#include "app/export/render.hpp"
#include "app/export/report.hpp"
#include "app/export/scenario.hpp"
#include "geo/project/gpkg_project.hpp"
#include "geo/project/project.hpp"
#include "geo/stats/segregation_multigroup.hpp"
#include "tests/export/test_project.hpp"
#include "tests/export/test_pixels.hpp"
#include "tests/export/test_shell.hpp"
#include "tests/test_support.hpp"

using namespace hq;
using namespace hq::exporter;

namespace {

using namespace hq::test::shell;
using hq::test::fraction_of_color;

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool has(const std::string& text, const std::string& s) {
    return text.find(s) != std::string::npos;
}

/// The scenario file of the mixed-housing case: 28 Beta residents move from Ee to Ff.
std::string write_moves_file(const test::TempDir& t) {
    const std::string path = t.file("scenarios.json");
    std::ofstream(path) << R"({"scenarios": [{"name": "mixed", "description": "Beta out of Ee", "zones": [],
        "moves": [{"group": "pop_b", "from": "Ee", "to": "Ff", "count": 28}]}]})";
    return path;
}

/// The test project's counts (see test_project.hpp), units in file order (row-major from
/// the south-west), groups a, b, c — written out again here, independently of the loader.
seg::CountMatrix test_counts() {
    seg::CountMatrix m;
    m.units = 64;
    m.groups = 3;
    m.names = {"Alpha", "Beta", "Gamma"};
    for (int r = 0; r < 8; ++r)
        for (int c = 0; c < 8; ++c) {
            const std::string name = test::courtyard_name(r, c);
            double a = (r < 4 && c < 4) ? 40 : 3, b = 30, g = name == "Cc" ? 3 : 0;
            if (name == "Hh") a = 0, b = 4;
            m.data.insert(m.data.end(), {a, b, g});
        }
    return m;
}

}  // namespace

TEST_CASE("scenario: zones-only before/after page in zh and en", "[export][scenario]") {
    test::TempDir t;
    test::write_test_project(t.path().string());
    test::write_test_zones(t.path().string());
    const std::string zh = t.file("zh.pdf"), en = t.file("en.pdf");
    const std::string d = q(t.path().string());
    Run r = run(exe() + " export " + d + " --scenario zones -o " + q(zh));
    INFO(r.out);
    REQUIRE(r.code == 0);
    r = run(exe() + " export " + d + " --scenario all_zones --lang en -o " + q(en));
    REQUIRE(r.code == 0);
    const std::string tz = pdftotext(zh);
    CHECK(has(tz, "实施前"));
    CHECK(has(tz, "实施后"));
    CHECK(has(tz, "甲族活动室"));  // zone label and legend
    CHECK(has(tz, "花园"));
    CHECK(has(tz, "示意数据，非实测"));  // illustrative line
    CHECK(has(tz, "隐私保护"));          // privacy line with k
    CHECK(has(tz, "活动空间模型"));      // the model is stated
    const std::string te = pdftotext(en);
    CHECK(has(te, "Before (current)"));
    CHECK(has(te, "After: zones and catchments"));
    CHECK(has(te, "Alpha hall"));
    CHECK(has(te, "Garden"));
    CHECK(has(te, "Illustrative data, not surveyed"));
    CHECK(has(te, "Privacy: counts of 0 to 4 show as \"<5\""));
    CHECK(has(te, "Multigroup dissimilarity D"));
    CHECK(has(te, "Mean isolation (activity-space model"));
    // Zones do not move anyone: every residential change is exactly zero (checked on the data
    // owner's page below: with the guard the hard project's residential indices read mostly
    // filled cells of the published table and are withheld, docs/privacy.md).
    CHECK(has(te, "withheld"));
    // Library: the zones scenario lowers the activity-space mean isolation (a zone mixes
    // Alpha residents of the cluster with Beta residents), and leaves multigroup D alone.
    const auto p = std::make_shared<const Project>(load_project(t.path().string()));
    const ScenarioSet set = make_scenario_set(project_zones(*p), {});
    carto::MapRequest req = carto::parse_map_kind("composition");
    req.lang = carto::Lang::En;
    // The guard withholds the mean isolation (it reads every count, and the hard project has
    // withheld ones: docs/privacy.md "Catchment diversity and exposure"): "—" and a note.
    const ScenarioPage guarded = build_scenario_page(p, set, "zones", req);
    bool withheld = false;
    for (const auto& row : guarded.table)
        if (row[0].rfind("Mean isolation", 0) == 0) withheld = row[1] == "—" && row[2] == "—" && row[3] == "—";
    CHECK(withheld);
    CHECK(std::any_of(guarded.notes.begin(), guarded.notes.end(), [](const std::string& n) {
        return n == "Mean isolation \"—\" withheld: it reads every count and some are withheld (docs/privacy.md)";
    }));
    // The residential indices too: more than half of the residents they read are in withheld cells.
    REQUIRE(guarded.table.size() >= 2);
    CHECK(guarded.table[1][0] == "Multigroup dissimilarity D");
    CHECK(guarded.table[1][1] == "—");
    CHECK(guarded.table[1][3] == "—");
    CHECK(std::any_of(guarded.notes.begin(), guarded.notes.end(), [](const std::string& n) {
        return n.rfind("\"—\" withheld: Multigroup dissimilarity D: ", 0) == 0 && n.find("more than half") != std::string::npos;
    }));
    // The data owner's page (guard off) shows the arithmetic.
    req.privacy_guard = false;
    const ScenarioPage page = build_scenario_page(p, set, "zones", req);
    REQUIRE(page.table.size() >= 5);
    CHECK(page.table[1][0] == "Multigroup dissimilarity D");
    CHECK(page.table[1][1] == page.table[1][2]);
    CHECK(page.table[1][3] == "+0.000");
    bool found = false;
    for (const auto& row : page.table)
        if (row[0].rfind("Mean isolation", 0) == 0) {
            found = true;
            CHECK(std::stod(row[2]) < std::stod(row[1]));
        }
    CHECK(found);
    // Both panels share the extent, so they are drawn at the same scale.
    CHECK(page.after.extent.minx == page.before.extent.minx);
    CHECK(page.after.extent.maxy == page.before.extent.maxy);
    const ScenarioLayout l = make_scenario_layout(page.before, Template::A4Landscape, page.table.size());
    CHECK_THAT(l.map.scale, Catch::Matchers::WithinRel(l.after_map.scale, 1e-12));
    CHECK_THAT(l.map_frame.w, Catch::Matchers::WithinRel(l.after_frame.w, 1e-12));
    CHECK(l.after_frame.x >= l.map_frame.right());
    // The SVG of the same page renders with rsvg-convert, at 96 px per inch of the page.
    const std::string svg = t.file("page.svg"), svg_png = t.file("page_svg.png");
    write_scenario_map(page, {}, svg, Format::Svg);
    const Run rs = run("rsvg-convert " + q(svg) + " -o " + q(svg_png));
    INFO(rs.out);
    REQUIRE(rs.code == 0);
    const Image si = read_png(svg_png);
    CHECK(si.width == 1123);  // 297 mm / 25.4 × 96 = 1122.5
    CHECK(si.height == 794);  // 210 mm / 25.4 × 96 = 793.7
}

TEST_CASE("scenario: household moves change the after panel and the indices", "[export][scenario][png]") {
    test::TempDir t;
    test::write_test_project(t.path().string());
    const std::string moves = write_moves_file(t);
    // CLI: a PNG of the page, paper × DPI.
    const std::string png = t.file("mixed.png");
    const Run r = run(exe() + " export " + q(t.path().string()) + " --scenario mixed --scenarios " +
                      q(moves) + " --map dominant --lang en --dpi 100 --permutations 99 --no-privacy-guard -o " + q(png));
    INFO(r.out);
    REQUIRE(r.code == 0);
    const Image img = read_png(png);
    CHECK(img.width == 1169);  // 297 / 25.4 × 100 = 1169.3
    CHECK(img.height == 827);  // 210 / 25.4 × 100 = 826.8

    const auto p = std::make_shared<const Project>(load_project(t.path().string()));
    const ScenarioSet set = make_scenario_set({}, plan::read_scenario_file(moves));
    carto::MapRequest req = carto::parse_map_kind("dominant");
    req.lang = carto::Lang::En;
    // The guard off: with it on, Ee's largest count is withheld and the dominant map hatches
    // it in both panels (docs/privacy.md, "Classed maps"); the pixels below are about the move.
    req.privacy_guard = false;
    ScenarioOptions so;
    so.permutations = 99;
    const ScenarioPage page = build_scenario_page(p, set, "mixed", req, so);
    CHECK(page.after_title == "After (with the household moves)");
    CHECK(has(page.subtitle, "move 28 Beta residents from Ee to Ff"));
    // Multigroup D after the move, from the counts written out by hand (another code path).
    seg::CountMatrix before = test_counts(), after = test_counts();
    const std::size_t ee = 4 * 8 + 4, ff = 5 * 8 + 5;
    after.data[ee * 3 + 1] -= 28;  // Ee: 3 Alpha, 2 Beta
    after.data[ff * 3 + 1] += 28;  // Ff: 3 Alpha, 58 Beta
    char want_before[32], want_after[32];
    std::snprintf(want_before, sizeof want_before, "%.3f", seg::multi_dissim(before));
    std::snprintf(want_after, sizeof want_after, "%.3f", seg::multi_dissim(after));
    REQUIRE(page.table.size() >= 2);
    CHECK(page.table[1][0] == "Multigroup dissimilarity D");
    CHECK(page.table[1][1] == want_before);
    CHECK(page.table[1][2] == want_after);
    CHECK(page.table[1][1] != page.table[1][2]);
    CHECK(page.table[1][4] != "—");  // a two-value test ran
    bool beta_rows = false;
    for (const auto& row : page.table) beta_rows |= row[0] == "Dissimilarity D, Beta";
    CHECK(beta_rows);

    // Pixels: Ee is Beta grey before and Alpha blue after (its 3 Alpha outnumber its 2 Beta).
    const Image page_img = render_scenario_page_to_image(page, {Template::A4Landscape, 100});
    const ScenarioLayout l = make_scenario_layout(page.before, Template::A4Landscape, page.table.size());
    const Layer* units = p->layer(Role::Units);
    REQUIRE(units);
    const Geometry& g = units->metric[ee];
    REQUIRE(units->ids[ee] == "Ee");
    const auto before_px = [&](Vec2 m) { return l.to_pixels(m, 100); };
    const auto after_px = [&](Vec2 m) { return l.to_pixels_after(m, 100); };
    CHECK(fraction_of_color(page_img, before_px, g, 158, 158, 158) > 0.6);  // #9e9e9e Beta
    CHECK(fraction_of_color(page_img, after_px, g, 21, 101, 192) > 0.6);    // #1565c0 Alpha
    CHECK(fraction_of_color(page_img, before_px, g, 21, 101, 192) < 0.05);
    // The CLI's PNG has the same pixels as the library's page (the permutation p is the same
    // with the same seed).
    std::size_t differ = 0;
    for (std::size_t i = 0; i < img.rgba.size() && i < page_img.rgba.size(); ++i)
        differ += img.rgba[i] != page_img.rgba[i];
    CHECK(differ == 0);
}

TEST_CASE("scenario: a project GeoPackage's stored scenarios", "[export][scenario][gpkg]") {
    test::TempDir t;
    test::write_test_project(t.path().string());
    test::write_test_zones(t.path().string());
    const Project p = load_project(t.path().string());
    plan::PlanDocument doc;
    doc.zones = project_zones(p);
    doc.scenarios.push_back({"hall only", "the Alpha hall", {"ZA"}, {}});
    const std::string gpkg = t.file("project.gpkg");
    save_gpkg_project(p, doc, gpkg);
    const std::string pdf = t.file("hall.pdf");
    Run r = run(exe() + " export " + q(gpkg) + " --scenario 'hall only' --lang en -o " + q(pdf));
    INFO(r.out);
    REQUIRE(r.code == 0);
    const std::string te = pdftotext(pdf);
    CHECK(has(te, "Scenario \"hall only\""));
    CHECK(has(te, "Alpha hall"));
    CHECK_FALSE(has(te, "Garden"));  // not in this scenario
    // The unknown name lists the stored scenarios.
    r = run(exe() + " export " + q(gpkg) + " --scenario nope -o " + q(t.file("x.pdf")));
    CHECK(r.code == 1);
    CHECK(has(r.out, "all_zones, hall only"));
}

TEST_CASE("scenario: an unknown name is one line, exit 1, and leaves no file", "[export][scenario][cli]") {
    test::TempDir t;
    test::write_test_project(t.path().string());
    test::write_test_zones(t.path().string());
    const std::string out = t.file("x.pdf");
    Run r = run(exe() + " export " + q(t.path().string()) + " --scenario nope -o " + q(out));
    CHECK(r.code == 1);
    CHECK(has(r.out, "unknown scenario \"nope\" (available: all_zones)"));
    std::string trimmed = r.out;
    while (!trimmed.empty() && trimmed.back() == '\n') trimmed.pop_back();
    CHECK(trimmed.find('\n') == std::string::npos);
    CHECK_FALSE(std::filesystem::exists(out));
    CHECK(test::count_temporaries(t.path()) == 0);
    // A map kind whose colours depend on the data's range is refused with --scenario.
    r = run(exe() + " export " + q(t.path().string()) + " --scenario zones --map heatmap:pop_a -o " + q(out));
    CHECK(r.code == 1);
    CHECK(has(r.out, "composition, dominant or lisa:GROUP"));
    // Neither --map nor --scenario: a usage error.
    r = run(exe() + " export " + q(t.path().string()) + " -o " + q(out));
    CHECK(r.code == 2);
    CHECK(has(r.out, "--map"));
    CHECK_FALSE(std::filesystem::exists(out));
}

TEST_CASE("report: the zones' evaluations, with the privacy guard", "[export][report][zones]") {
    test::TempDir t;
    test::write_test_project(t.path().string());
    test::write_test_zones(t.path().string());
    const std::string dir = t.file("pack");
    const Run r = run(exe() + " report " + q(t.path().string()) + " -o " + q(dir) +
                      " --lang en --dpi 72 --permutations 99");
    INFO(r.out);
    REQUIRE(r.code == 0);
    const std::string md = slurp(dir + "/report.md");
    CHECK(has(md, "## Zone evaluations"));
    CHECK(has(md, "### ZA Alpha hall"));
    CHECK(has(md, "### ZG Garden"));
    CHECK(has(md, "| Measure | Value |"));
    CHECK(has(md, "| Residents reached (weighted) |"));
    CHECK(has(md, "| Mean isolation (activity-space model) |"));
    CHECK(has(md, "the zone reaches about"));  // plain-language sentence
    // Gamma has 3 residents in all: its reach is withheld, so it is not listed (only
    // published counts are, so the rows reveal nothing of a withheld one).
    CHECK_FALSE(has(md, "| Reached: Gamma |"));
    const std::string pdf = pdftotext(dir + "/report.pdf");
    CHECK(has(pdf, "Zone evaluations"));
    CHECK(has(pdf, "Alpha hall"));
    CHECK(std::filesystem::exists(dir + "/zones.png"));
    // In Chinese (library: the same tables the pack prints).
    const Project p = load_project(t.path().string());
    carto::MapRequest zh;
    zh.lang = carto::Lang::Zh;
    const auto zones = zone_reports(p, project_zones(p), zh);
    REQUIRE(zones.size() == 2);
    CHECK(zones[0].name == "甲族活动室");
    CHECK(has(zones[0].summary, "该分区在"));
    for (const auto& row : zones[0].rows) CHECK(row[0] != "可达：丙族");
    CHECK(zones[0].rows[0] == std::vector<std::string>{"指标", "数值"});

    // Hand-worked: with a 10 m straight-line radius the Alpha hall (the middle 20 m of the
    // 40 m courtyard Bb) reaches Bb's representative point only (distance 0); the other
    // courtyards' points are at least 30 m from it and the zone covers no other courtyard.
    // Bb: 40 Alpha + 30 Beta = 70 of 781 + 1894 + 3 = 2678 residents (Alpha: 16 × 40 + 47 × 3;
    // Beta: 63 × 30 + 4). Simpson: 1 − (4/7)² − (3/7)² = 24/49 = 0.49; normalised entropy:
    // −(4/7 ln 4/7 + 3/7 ln 3/7) / ln 3 = 0.6829 / 1.0986 = 0.62. Alpha reached 40 / 781 = 5 %.
    carto::MapRequest en;
    en.lang = carto::Lang::En;
    en.privacy_guard = false;  // the hand-worked values; with the guard on Alpha's 40 protects Gamma (x)
    plan::PlannerOptions near;
    near.radius = 10;
    near.distance = plan::DistanceMode::Straight;
    near.lisa_permutations = 99;
    const auto hand = zone_reports(p, project_zones(p), en, near);
    REQUIRE(hand.size() == 2);
    auto value = [&](const std::string& measure) {
        for (const auto& row : hand[0].rows)
            if (row[0] == measure) return row[1];
        return std::string("(missing)");
    };
    CHECK(value("Walking radius") == "10 m (straight line)");
    CHECK(value("Residents reached (weighted)") == "70 / 2678");
    CHECK(value("Simpson's interaction") == "0.49");
    CHECK(value("Diversity (normalised entropy)") == "0.62");
    CHECK(value("Reached: Alpha") == "40 / 781 (5%)");
    CHECK(value("Reached: Gamma") == "(missing)");  // not reached: not listed
}

TEST_CASE("PNG: libpng writer reads back with the page's size, pixels and DPI", "[export][png]") {
    test::TempDir t;
    test::write_test_project(t.path().string());
    const auto p = std::make_shared<const Project>(load_project(t.path().string()));
    const carto::Scene s = carto::build_scene(p, carto::parse_map_kind("composition"));
    const PageOptions o{Template::A4Portrait, 72};
    const std::string png = t.file("a4p.png");
    write_map(s, o, png);
    const Image back = read_png(png);
    CHECK(back.width == 595);   // 210 / 25.4 × 72 = 595.3
    CHECK(back.height == 842);  // 297 / 25.4 × 72 = 841.9
    const Image want = render_page_to_image(s, o);
    REQUIRE(back.rgba.size() == want.rgba.size());
    CHECK(back.rgba == want.rgba);  // lossless, opaque
    // pHYs: pixels per metre = round(72 / 0.0254) = 2835, unit 1 (metre).
    const std::string bytes = slurp(png);
    CHECK(bytes.compare(1, 3, "PNG") == 0);
    const auto at = bytes.find("pHYs");
    REQUIRE(at != std::string::npos);
    auto be32 = [&](std::size_t i) {
        return (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 24) |
               (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 16) |
               (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 2])) << 8) |
               static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 3]));
    };
    CHECK(be32(at + 4) == 2835);
    CHECK(be32(at + 8) == 2835);
    CHECK(bytes[at + 12] == 1);
    // Colour type 2 (RGB, opaque page): IHDR byte 25 of the file.
    CHECK(static_cast<int>(bytes[25]) == 2);
    // The cairo encoder (the benchmark's baseline) gives the same pixels.
    PageOptions oc = o;
    oc.cairo_png_encoder = true;
    write_map(s, oc, t.file("cairo.png"));
    CHECK(read_png(t.file("cairo.png")).rgba == want.rgba);
    CHECK(test::count_temporaries(t.path()) == 0);
}
