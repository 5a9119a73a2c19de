// A community from nothing in the viewer (issue 16 §4), without GL: the new-project wizard's
// steps and checks, digitising units and the boundary with undo/redo, the attribute table
// (validation, sort, filter, spreadsheet paste, undo), the roster's column mapping and its
// undoable apply, and the project folder written and read back by load_project.
#include <catch2/catch.hpp>

#ifdef HUQIAN_HAVE_VIEWER
#include <filesystem>
#include <fstream>

#include "app/view/community.hpp"
#include "geo/crs/crs.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/io/reader.hpp"
#include "geo/project/ethnic_groups.hpp"
#include "tests/test_support.hpp"
#include "tests/view/view_test_support.hpp"

#include <nlohmann/json.hpp>

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using hq::Geometry;
using hq::Vec2;
using namespace hq::view;

namespace {

constexpr double kMpp = 0.5;  // 2 px per metre: 7 px grab = 3.5 m, 10 px snap = 5 m

// Chengdu (Wuhou district), WGS 84.
constexpr double kLon = 104.05, kLat = 30.64;

hq::CommunitySpec chengdu_spec() {
    hq::CommunitySpec s;
    s.name_zh = "新社区";
    s.name_en = "New community";
    s.metric = hq::Crs::from_user_input("EPSG:4544");
    const hq::Transformer t(hq::Crs::wgs84(), s.metric);
    const Vec2 c = t.apply(Vec2{kLon, kLat});
    s.boundary = hq::edit::rectangle({c.x - 100, c.y - 100}, {c.x + 100, c.y + 100});
    return s;
}

/// Draws a polygon through the editor's input (clicks then Enter).
bool draw(CommunityEditor& ed, const std::vector<Vec2>& pts) {
    ed.set_tool(DigitiseTool::Polygon);
    for (Vec2 p : pts) ed.press(p, kMpp), ed.release(p, kMpp);
    return ed.key_enter();
}

}  // namespace

TEST_CASE("community wizard: steps, CRS suggestion and checks", "[view][community]") {
    hq::test::TempDir tmp;
    NewProjectWizard w;
    REQUIRE(w.problem());
    CHECK(w.problem()->what == S::CommNeedName);
    CHECK_FALSE(w.next());
    w.name_zh = "玉林社区";
    w.folder = tmp.path().string();  // exists, empty: allowed
    CHECK_FALSE(w.problem());
    { std::ofstream(tmp.file("someone.txt")) << "x"; }
    REQUIRE(w.problem());
    CHECK(w.problem()->what == S::CommFolderNotEmpty);
    w.folder = tmp.file("yulin");
    REQUIRE(w.next());
    CHECK(w.step == WizardStep::Crs);

    // EPSG registry: EPSG:4544 = CGCS2000 / 3-degree Gauss-Kruger CM 105E (zones every 3°,
    // Chengdu at 104.05°E is nearest 105°E); EPSG:4547 = CM 114E.
    CHECK(suggest_crs(kLon, kLat) == "EPSG:4544");
    CHECK(suggest_crs(116.4, 39.9) == "EPSG:4548");  // Beijing: CM 117E
    CHECK(w.problem()->what == S::CommBadCentre);
    w.lon = kLon;
    w.lat = kLat;
    w.crs_text = "EPSG:4547";
    REQUIRE(w.problem());
    CHECK(w.problem()->what == S::CommCrsFar);
    CHECK(w.problem()->detail == "EPSG:4544");
    CHECK(w.problem()->text(UiLang::Zh).find("中央经线") != std::string::npos);
    w.crs_text = "EPSG:4326";
    REQUIRE(w.problem());
    CHECK(w.problem()->what == S::CommBadCrs);
    w.crs_text = suggest_crs(w.lon, w.lat);
    REQUIRE(w.next());

    CHECK(w.step == WizardStep::Boundary);
    w.boundary_source = BoundarySource::File;
    w.boundary_file = tmp.file("missing.geojson");
    REQUIRE(w.problem());
    CHECK(w.problem()->what == S::CommNoFile);
    CHECK(w.problem()->text(UiLang::En) == "No such file: " + tmp.file("missing.geojson"));
    w.boundary_source = BoundarySource::Draw;
    REQUIRE(w.next());
    w.basemap = tmp.file("none.tif");
    CHECK(w.problem()->what == S::CommNoFile);
    w.basemap.clear();
    REQUIRE(w.next());
    CHECK(w.step == WizardStep::Review);
    CHECK_FALSE(w.next());

    const hq::CommunitySpec s = w.spec();
    CHECK(s.metric.epsg == 4544);
    REQUIRE(s.boundary);
    CHECK_THAT(hq::planar_area(*s.boundary), WithinRel(500.0 * 500.0, 1e-9));  // 2 × 250 m square
    REQUIRE(w.back());
    CHECK(w.step == WizardStep::Basemap);
}

TEST_CASE("community wizard: boundary imported from a file", "[view][community]") {
    hq::test::TempDir tmp;
    // A lon/lat square of 0.001° around Chengdu's centre.
    std::ofstream(tmp.file("b.geojson"))
        << R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[104.05,30.64],[104.051,30.64],[104.051,30.641],[104.05,30.641],[104.05,30.64]]]}}]})";
    NewProjectWizard w;
    w.name_en = "Test";
    w.folder = tmp.file("p");
    w.lon = kLon;
    w.lat = kLat;
    w.crs_text = "EPSG:4544";
    w.boundary_source = BoundarySource::File;
    w.boundary_file = tmp.file("b.geojson");
    w.step = WizardStep::Boundary;
    CHECK_FALSE(w.problem());
    const hq::CommunitySpec s = w.spec();
    REQUIRE(s.boundary);
    // 0.001° of latitude ≈ 110.85 m at 30.6°N and of longitude ≈ 95.9 m (WGS 84 ellipsoid:
    // 111132.95 − 559.82 cos 2φ and 111412.84 cos φ): ≈ 10 630 m².
    CHECK_THAT(hq::planar_area(*s.boundary), WithinRel(110.85 * 95.88, 0.01));
}

TEST_CASE("community digitising: add, refuse a self-intersection, undo and redo", "[view][community]") {
    CommunityEditor ed;
    ed.reset("/nonexistent", chengdu_spec(), {});
    REQUIRE(ed.active());
    const hq::Box bb = ed.boundary().geometry.at(0).bounds();
    const Vec2 o{bb.minx, bb.miny};
    REQUIRE(draw(ed, {{o.x + 10, o.y + 10}, {o.x + 30, o.y + 10}, {o.x + 30, o.y + 30}, {o.x + 10, o.y + 30}}));
    REQUIRE(ed.units().size() == 1);
    CHECK(ed.units().attr.ids[0] == "U-1");
    CHECK_THAT(hq::planar_area(ed.units().geometry[0]), WithinRel(400.0, 1e-9));

    // A bow tie: refused with the zh/en message, nothing added.
    CHECK_FALSE(draw(ed, {{o.x + 50, o.y + 50}, {o.x + 70, o.y + 70}, {o.x + 70, o.y + 50}, {o.x + 50, o.y + 70}}));
    REQUIRE(ed.error());
    CHECK(ed.error()->what == S::CommSelfIntersection);
    CHECK(ed.error()->text(UiLang::Zh).find("自相交") != std::string::npos);
    CHECK(ed.error()->text(UiLang::En).find("intersects itself") != std::string::npos);
    CHECK(ed.units().size() == 1);

    // A second square whose first corner lands 2 m from U-1's corner: snapped onto it (5 m).
    REQUIRE(draw(ed, {{o.x + 32, o.y + 11}, {o.x + 50, o.y + 10}, {o.x + 50, o.y + 30}, {o.x + 30, o.y + 30}}));
    REQUIRE(ed.units().size() == 2);
    const auto& ring = ed.units().geometry[1].polygons[0].rings[0];
    CHECK(std::any_of(ring.begin(), ring.end(), [&](Vec2 p) { return p.x == o.x + 30 && p.y == o.y + 10; }));

    CHECK(ed.undo());
    CHECK(ed.units().size() == 1);
    CHECK(ed.undo());
    CHECK(ed.units().size() == 0);
    CHECK_FALSE(ed.undo());
    CHECK(ed.redo());
    CHECK(ed.redo());
    CHECK(ed.units().size() == 2);
    CHECK(ed.modified());
}

TEST_CASE("community digitising: vertex drag is one step, delete and boundary", "[view][community]") {
    CommunityEditor ed;
    ed.reset("/nonexistent", chengdu_spec(), {});
    const hq::Box bb = ed.boundary().geometry.at(0).bounds();
    const Vec2 o{bb.minx, bb.miny};
    REQUIRE(draw(ed, {{o.x + 10, o.y + 10}, {o.x + 30, o.y + 10}, {o.x + 30, o.y + 30}, {o.x + 10, o.y + 30}}));
    ed.set_tool(DigitiseTool::Select);
    ed.snap = false;
    REQUIRE(ed.press({o.x + 20, o.y + 20}, kMpp));  // inside: selects
    CHECK(ed.selected() == 0);
    ed.release({o.x + 20, o.y + 20}, kMpp);
    const std::size_t steps = ed.undo_stack().size();
    REQUIRE(ed.press({o.x + 30.5, o.y + 30.5}, kMpp));  // the corner (within 3.5 m)
    ed.drag({o.x + 35, o.y + 32}, kMpp);
    ed.drag({o.x + 40, o.y + 30}, kMpp);
    ed.release({o.x + 40, o.y + 30}, kMpp);
    CHECK(ed.undo_stack().size() == steps + 1);
    // (10,10) (30,10) (40,30) (10,30): a trapezoid of (20 + 30) / 2 × 20 = 500 m².
    CHECK_THAT(hq::planar_area(ed.units().geometry[0]), WithinRel(500.0, 1e-9));
    // A drag that would cross the opposite edge is refused; the shape stays.
    REQUIRE(ed.press({o.x + 40, o.y + 30}, kMpp));
    ed.release({o.x + 20, o.y + 5}, kMpp);
    CHECK(ed.error()->what == S::CommSelfIntersection);
    CHECK_THAT(hq::planar_area(ed.units().geometry[0]), WithinRel(500.0, 1e-9));
    CHECK(ed.undo());
    CHECK_THAT(hq::planar_area(ed.units().geometry[0]), WithinRel(400.0, 1e-9));

    REQUIRE(ed.add_column("pop_han"));
    REQUIRE(ed.set_cell(0, 0, "17"));
    ed.select(0);
    REQUIRE(ed.key_delete());
    CHECK(ed.units().size() == 0);
    CHECK(ed.undo());
    REQUIRE(ed.units().size() == 1);
    CHECK(ed.units().attr.counts[0][0] == 17);  // the counts come back with the unit

    // The boundary is redrawn with the same tool, also one undoable step.
    ed.target = DigitiseTarget::Boundary;
    REQUIRE(draw(ed, {{o.x, o.y}, {o.x + 60, o.y}, {o.x + 60, o.y + 60}, {o.x, o.y + 60}}));
    CHECK_THAT(hq::planar_area(ed.boundary().geometry[0]), WithinRel(3600.0, 1e-9));
    CHECK(ed.undo());
    CHECK_THAT(hq::planar_area(ed.boundary().geometry[0]), WithinRel(200.0 * 200.0, 1e-9));
}

TEST_CASE("community attribute table: validation, sort, filter, paste, undo", "[view][community]") {
    CommunityEditor ed;
    ed.reset("/nonexistent", chengdu_spec(), {});
    const hq::Box bb = ed.boundary().geometry.at(0).bounds();
    const Vec2 o{bb.minx, bb.miny};
    for (int k = 0; k < 3; ++k) {
        const double x = o.x + 5 + 20 * k;
        REQUIRE(ed.add_unit(hq::edit::rectangle({x, o.y + 5}, {x + 10, o.y + 15})));
    }
    REQUIRE(ed.add_column("pop_han"));
    REQUIRE(ed.add_column("pop_zang"));
    CHECK_FALSE(ed.add_column("pop_han"));
    CHECK(ed.error()->what == S::CommIdDuplicate);

    CHECK(parse_count_cell(" 12 ") == 12);
    CHECK(parse_count_cell("") == 0);
    CHECK_FALSE(parse_count_cell("-3"));
    CHECK_FALSE(parse_count_cell("1.5"));
    CHECK_FALSE(parse_count_cell("1000000001"));
    CHECK_FALSE(parse_count_cell("十二"));

    REQUIRE(ed.set_cell(0, 0, "12"));
    CHECK_FALSE(ed.set_cell(0, 1, "-3"));
    CHECK(ed.error()->what == S::CommBadCount);
    CHECK(ed.error()->text(UiLang::En) == "A count must be a whole number from 0 to 1,000,000,000: -3");
    CHECK_FALSE(ed.set_cell(1, -1, "U-1"));
    CHECK(ed.error()->what == S::CommIdDuplicate);
    CHECK_FALSE(ed.set_cell(1, -1, "  "));
    CHECK(ed.error()->what == S::CommIdEmpty);
    REQUIRE(ed.set_cell(1, -1, "CY-02"));
    CHECK(ed.units().attr.ids[1] == "CY-02");

    // Sort and filter.
    REQUIRE(ed.set_cell(2, 0, "5"));
    CHECK(table_rows(ed.units(), 0, false, "") == std::vector<std::size_t>{0, 2, 1});
    CHECK(table_rows(ed.units(), -1, true, "") == std::vector<std::size_t>{1, 0, 2});  // CY-02 < U-1 < U-3
    CHECK(table_rows(ed.units(), -1, true, "CY") == std::vector<std::size_t>{1});
    CHECK(table_rows(ed.units(), -1, true, "12") == std::vector<std::size_t>{0});

    // Paste a 2 × 2 block from a spreadsheet (CRLF, trailing newline) at row 1 of the shown
    // order (sorted by id: CY-02, U-1, U-3), column pop_han.
    const auto shown = table_rows(ed.units(), -1, true, "");
    CHECK(parse_tsv("1\t2\r\n3\t4\r\n").size() == 2);
    const std::size_t before = ed.undo_stack().size();
    REQUIRE(ed.paste(shown, 1, 0, "7\t8\r\n9\t10\r\n"));
    CHECK(ed.undo_stack().size() == before + 1);
    CHECK(ed.units().attr.counts[0] == std::vector<std::int64_t>{7, 8});   // U-1
    CHECK(ed.units().attr.counts[2] == std::vector<std::int64_t>{9, 10});  // U-3
    // A bad cell anywhere refuses the whole block; a block beyond the table too.
    CHECK_FALSE(ed.paste(shown, 0, 0, "1\t2\n3\tx\n"));
    CHECK(ed.error()->what == S::CommBadCount);
    CHECK(ed.error()->detail == "2:2 \"x\"");
    CHECK_FALSE(ed.paste(shown, 2, 0, "1\n2\n"));
    CHECK(ed.error()->what == S::CommPasteTooBig);
    CHECK_FALSE(ed.paste(shown, 0, -1, "A\nA\n"));  // ids pasted twice
    CHECK(ed.error()->what == S::CommIdDuplicate);
    CHECK(ed.units().attr.counts[0] == std::vector<std::int64_t>{7, 8});
    CHECK(ed.undo());
    CHECK(ed.units().attr.counts[0] == std::vector<std::int64_t>{12, 0});
    CHECK(ed.units().attr.counts[2] == std::vector<std::int64_t>{5, 0});
    CHECK(ed.redo());
    CHECK(ed.units().attr.counts[2] == std::vector<std::int64_t>{9, 10});
}

TEST_CASE("community roster: guessed mapping, unknown names, apply and undo", "[view][community]") {
    hq::test::TempDir tmp;
    // A household roster with Chinese headers, one row per household with its size.
    std::ofstream(tmp.file("roster.csv")) << "院落编号,户主,民族,户人数\n"
                                             "U-1,张三,汉族,3\n"
                                             "U-1,扎西,藏族,4\n"
                                             "U-2,李四,汉,2\n"
                                             "U-2,阿依,彝族,\n"
                                             "U-2,某某,火星族,5\n"
                                             "U-9,王五,Tibetan,1\n";
    RosterMappingUi r;
    r.table = hq::read_table(tmp.file("roster.csv"));
    r.guess();
    CHECK(r.unit_column == 0);
    CHECK(r.name_column == 2);
    CHECK(r.size_column == 3);
    const auto res = r.aggregate();
    REQUIRE(res.unknown.size() == 1);
    CHECK(res.unknown[0] == "第6行 / row 6, 民族: 火星族");
    CHECK(res.problems.empty());
    CHECK(res.counts.at("U-1").at("pop_han") == 3);
    CHECK(res.counts.at("U-1").at("pop_zang") == 4);
    CHECK(res.counts.at("U-2").at("pop_han") == 2);
    CHECK(res.counts.at("U-2").at("pop_yi") == 1);  // blank size: one person
    CHECK(res.counts.at("U-9").at("pop_zang") == 1);
    REQUIRE(res.groups.size() == 3);
    CHECK(res.groups[0].name_zh == std::string("汉族"));

    CommunityEditor ed;
    ed.reset("/nonexistent", chengdu_spec(), {});
    const hq::Box bb = ed.boundary().geometry.at(0).bounds();
    const Vec2 o{bb.minx, bb.miny};
    REQUIRE(ed.add_unit(hq::edit::rectangle({o.x + 5, o.y + 5}, {o.x + 15, o.y + 15})));
    REQUIRE(ed.add_unit(hq::edit::rectangle({o.x + 25, o.y + 5}, {o.x + 35, o.y + 15})));
    REQUIRE(ed.apply_counts(res.counts, res.groups, "Import roster"));
    CHECK(ed.units().attr.columns == std::vector<std::string>{"pop_han", "pop_zang", "pop_yi"});
    CHECK(ed.units().attr.counts[0] == std::vector<std::int64_t>{3, 4, 0});
    CHECK(ed.units().attr.counts[1] == std::vector<std::int64_t>{2, 0, 1});
    CHECK(ed.current_spec().groups.size() == 3);
    CHECK(ed.undo());
    CHECK(ed.units().attr.columns.empty());

    // The user changes the mapping: a wide table, one column per group.
    RosterMappingUi wide;
    std::ofstream(tmp.file("wide.csv")) << "单元,汉族人数,藏族,备注\nU-1,10,20,x\nU-2,x,5,\n";
    wide.table = hq::read_table(tmp.file("wide.csv"));
    wide.guess();
    CHECK(wide.unit_column == 0);
    CHECK(wide.name_column == -1);
    CHECK(wide.column_group == std::vector<int>{-1, 0, 3, -1});  // GB/T 3304: 01 汉族, 04 藏族 (index = code − 1)
    const auto wres = wide.aggregate();
    REQUIRE(wres.problems.size() == 1);
    CHECK(wres.problems[0] == "第3行 / row 3, 汉族人数: \"x\" 不是人数 / is not a count");
    wide.column_group[2] = -1;  // not this column
    CHECK(wide.aggregate().counts.at("U-1").count("pop_zang") == 0);
}

TEST_CASE("community folder: written atomically and read back by load_project", "[view][community]") {
    hq::test::TempDir tmp;
    CommunityEditor ed;
    ed.reset(tmp.file("p"), chengdu_spec(), {});
    const hq::Box bb = ed.boundary().geometry.at(0).bounds();
    const Vec2 o{bb.minx, bb.miny};
    REQUIRE(ed.add_unit(hq::edit::rectangle({o.x + 5, o.y + 5}, {o.x + 15, o.y + 15})));
    REQUIRE(ed.add_unit(hq::edit::rectangle({o.x + 25, o.y + 5}, {o.x + 45, o.y + 15})));
    REQUIRE(ed.add_column("pop_han"));
    REQUIRE(ed.set_cell(0, 0, "12"));
    REQUIRE(ed.set_cell(1, 0, "30"));
    hq::write_community_folder(ed.folder(), ed.current_spec(), ed.units());
    const hq::Project p = hq::load_project(tmp.file("p"));
    CHECK(p.metric_crs.epsg == 4544);
    CHECK(p.name_zh == "新社区");
    const hq::Layer* u = p.layer(hq::Role::Units);
    REQUIRE(u);
    CHECK(u->ids == std::vector<std::string>{"U-1", "U-2"});
    CHECK(hq::read_counts(*u, "pop_han") == std::vector<double>{12, 30});
    CHECK_THAT(hq::planar_area(u->metric[1]), WithinRel(200.0, 1e-6));
    REQUIRE(p.layer(hq::Role::Boundary));
    const hq::UnitTable back = hq::unit_table_from_layer(*u, {"pop_han"});
    CHECK(back.attr == ed.units().attr);

    // A folder with someone's files and no project.json is refused, naming it.
    std::filesystem::create_directory(tmp.file("other"));
    std::ofstream(tmp.file("other/notes.txt")) << "x";
    try {
        hq::write_community_folder(tmp.file("other"), ed.current_spec(), ed.units());
        FAIL("no error");
    } catch (const hq::InputError& e) {
        CHECK(std::string(e.what()).find(tmp.file("other") + ": the folder holds files but no project.json") !=
              std::string::npos);
    }
}

TEST_CASE("community GUI: huqian view --new opens the new-project wizard", "[view][community][gui]") {
    hq::test::require_xvfb();
    hq::test::TempDir tmp;
    const std::string png = tmp.file("new.png");
    hq::test::shuhan_screenshot(png, tmp.file("new.log"), "--new");
    std::ifstream in(png + ".json");
    REQUIRE(in);
    const nlohmann::json j = nlohmann::json::parse(in);
    bool found = false;
    for (const auto& w : j.at("windows"))
        if (w.at("name") == "community_wizard") {
            found = true;
            const auto& r = w.at("rect");
            CHECK(r[2].get<double>() > 300);  // the name step's fields are 420 px wide
            CHECK(r[3].get<double>() > 80);
            CHECK(r[0].get<double>() >= 0);
            CHECK(r[0].get<double>() + r[2].get<double>() <= 1280);
        }
    CHECK(found);
}
#endif
