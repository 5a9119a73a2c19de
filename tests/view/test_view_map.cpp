// Issue 5 viewer features without GL: unit styles (graduated share / local index, single
// colour), inspector rows for venues and micro-garden projects, local indices of a unit,
// the plain-language readings, the measure tool's geometry, inference on demand and a
// raster basemap loaded as a layer beneath the data.
// [SECTION] index
//   Measure, readings, inspector
//   Styles, inference on demand, basemaps
//   Level of detail
//   Mode panel and frame cache
#include <catch2/catch.hpp>

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "app/carto/classify.hpp"
#include "app/carto/ramps.hpp"
#include "app/view/frame_cache.hpp"
#include "app/view/inspect.hpp"
#include "app/view/lod.hpp"
#include "app/view/mesh.hpp"
#include "app/view/mode_controls.hpp"
#include "app/view/tessellate.hpp"
#include "app/view/measure.hpp"
#include "geo/project/project.hpp"
#include "tests/geometry/coverage_fixture.hpp"
#include "tests/test_support.hpp"
#include "tests/test_raster.hpp"
#include "tests/view/view_test_support.hpp"

using Catch::Matchers::WithinRel;
using namespace hq::view;
using hq::Vec2;

// [SECTION] Measure, readings, inspector ----------------------------------------------------------

namespace {
const hq::Project& shuhan_project() {
    static const hq::Project p = hq::load_project(hq::test::shuhan());
    return p;
}
}  // namespace

TEST_CASE("measure: polyline length, closed ring area, closing click, formats", "[view][measure]") {
    // A 3-4-5 right triangle: legs 30 m and 40 m, hypotenuse 50 m.
    const std::vector<Vec2> tri{{500000, 3390000}, {500030, 3390000}, {500030, 3390040}};
    CHECK_THAT(polyline_length(tri, false), Catch::Matchers::WithinRel(70.0, 1e-12));         // 30 + 40
    CHECK_THAT(polyline_length(tri, true), Catch::Matchers::WithinRel(120.0, 1e-12));         // + 50
    CHECK_THAT(ring_area(tri), Catch::Matchers::WithinRel(600.0, 1e-12));                     // 30 · 40 / 2
    // A 100 m square (1 ha), clockwise: the area is positive either way.
    const std::vector<Vec2> sq{{0, 0}, {0, 100}, {100, 100}, {100, 0}};
    CHECK_THAT(ring_area(sq), Catch::Matchers::WithinRel(10000.0, 1e-12));
    CHECK(ring_area({{0, 0}, {1, 1}}) == 0.0);

    MeasureState m;
    CHECK_FALSE(measure_click(m, {0, 0}, 2.0));
    CHECK_FALSE(measure_click(m, {10, 0}, 2.0));
    CHECK_FALSE(measure_click(m, {1, 1}, 2.0));  // near the first point, but only 2 points so far
    CHECK(m.points.size() == 3);
    CHECK(measure_click(m, {0.5, -0.5}, 2.0));   // within 2 m of the first point, 3 points: closes
    CHECK(m.closed);
    CHECK(m.points.size() == 3);
    CHECK_FALSE(measure_click(m, {50, 50}, 2.0));  // after a closed shape: starts again
    CHECK_FALSE(m.closed);
    CHECK(m.points.size() == 1);

    CHECK(format_distance(12.34) == "12.3 m");
    CHECK(format_distance(850) == "850 m");
    CHECK(format_distance(1250) == "1.25 km");
    CHECK(format_area(600) == "600 m² (0.060 ha)");
    CHECK(format_area(12500) == "1.25 ha (12500 m²)");
}

TEST_CASE("readings: the dissimilarity index as a share of residents who would move", "[view][readings]") {
    const std::string en = index_reading("dissim", 0.42, "Tibetan", UiLang::En);
    CHECK(en.find("D = 0.42") != std::string::npos);
    CHECK(en.find("Tibetan") != std::string::npos);
    CHECK(en.find("42%") != std::string::npos);  // 0.42 · 100
    const std::string zh = index_reading("dissim", 0.42, "藏族", UiLang::Zh);
    CHECK(zh.find("藏族") != std::string::npos);
    CHECK(zh.find("42%") != std::string::npos);
    // Simpson's interaction 0.3: 30 % chance two random residents differ.
    CHECK(index_reading("simpsons_interaction", 0.3, "", UiLang::En).find("30 %") != std::string::npos);
    CHECK(index_reading("isolation", 0.615, "Yi", UiLang::En).find("62 %") != std::string::npos);
    CHECK(index_reading("multi_dissim", 0.2, "", UiLang::Zh).find("0.20") != std::string::npos);
    CHECK(index_reading("atkinson", 0.2, "", UiLang::En).empty());      // no reading for it
    CHECK(index_reading("dissim", std::nan(""), "x", UiLang::En).empty());  // never print NaN
}

TEST_CASE("local indices of a unit: entropy, Simpson's interaction, location quotient", "[view][inspect]") {
    // Two units, groups A and B (and an empty group C, left out):
    //   unit 0: A 3, B 1; unit 1: A 1, B 3. Community shares: A 0.5, B 0.5.
    const std::vector<std::vector<double>> counts{{3, 1}, {1, 3}, {0, 0}};
    const LocalIndexTable t = local_index_table(counts);
    // Entropy of (0.75, 0.25) over ln 2: (0.75 ln(1/0.75) + 0.25 ln 4) / ln 2 = 0.811278.
    CHECK_THAT(t.entropy[0], WithinRel(0.811278, 1e-5));
    CHECK_THAT(t.entropy[1], WithinRel(0.811278, 1e-5));
    // Simpson's interaction 1 − (0.75² + 0.25²) = 0.375.
    CHECK_THAT(t.simpson_interaction[0], Catch::Matchers::WithinRel(0.375, 1e-12));
    // LQ of A: (3/4) / 0.5 = 1.5 in unit 0, (1/4) / 0.5 = 0.5 in unit 1.
    CHECK_THAT(t.lq[0][0], Catch::Matchers::WithinRel(1.5, 1e-12));
    CHECK_THAT(t.lq[0][1], Catch::Matchers::WithinRel(0.5, 1e-12));
    CHECK(std::isnan(t.lq[2][0]));
}

TEST_CASE("inspector rows: a venue and a micro-garden project of Shuhan", "[view][inspect]") {
    const hq::Project& p = shuhan_project();
    const hq::Layer* venues = p.layer(hq::Role::Venues);
    REQUIRE(venues);
    // V-001 is the party-masses service centre (data/shuhan/venues.geojson).
    std::size_t v = 0;
    while (v < venues->size() && venues->ids[v] != "V-001") ++v;
    REQUIRE(v < venues->size());
    const auto rows = venue_rows(*venues, v, UiLang::En);
    auto value = [](const std::vector<InfoRow>& r, const std::string& label) {
        for (const auto& x : r)
            if (x.label == label) return x.value;
        return std::string("(missing)");
    };
    CHECK(value(rows, "Kind") == "Party-masses service centre");
    CHECK(value(rows, "Chinese name") == "蜀汉街社区党群服务中心");
    CHECK(value(venue_rows(*venues, v, UiLang::Zh), "类型") == "党群服务中心");

    const hq::Layer* projects = p.layer(hq::Role::Projects);
    REQUIRE(projects);
    std::size_t f = 0;
    while (f < projects->size() && projects->ids[f] != "MG-01") ++f;
    REQUIRE(f < projects->size());
    // MG-01: completed, 2019-03-20 – 2019-07-01, 140000 CNY, 79 households: Han 66,
    // Tibetan 5, Hui 3, Yi/Qiang/Mongol/Manchu/Lahu 1 each (microgardens.geojson).
    const ProjectInfo info = project_info(*projects, f, p, UiLang::En);
    CHECK(value(info.rows, "Status") == "Completed");
    CHECK(value(info.rows, "Start date") == "2019-03-20");
    CHECK(value(info.rows, "End date") == "2019-07-01");
    CHECK(value(info.rows, "Budget (CNY)") == "140000");
    CHECK(value(info.rows, "Households") == "79");
    REQUIRE(info.participants.size() == 8);
    // One protected table (geo/privacy) with the 79 households as its total: the six
    // single households print "<5"; they sum to 79 − 66 − 5 = 8, and six cells of 0..4
    // summing to 8 leave each any of 0..4, so nothing more need be withheld (by hand).
    int small = 0, withheld = 0;
    for (const auto& p : info.participants) {
        INFO(p.label << " " << p.value);
        CHECK((p.value == "<5" || p.value == "x" || p.value == "66" || p.value == "5"));
        small += p.value == "<5";
        withheld += p.value == "x";
    }
    CHECK(small == 6);
    CHECK(withheld == 0);
    CHECK(value(info.rows, "Households") == "79");
}

// [SECTION] Styles, inference on demand, basemaps -------------------------------------------------

TEST_CASE("carto share-of-group graduated map: classes follow the shares, single colour restyles", "[view][style]") {
    auto project = std::make_shared<const hq::Project>(shuhan_project());
    hq::carto::MapRequest r = hq::carto::parse_map_kind("index:share:pop_tibetan");
    r.classification = hq::carto::Classification::EqualInterval;
    r.classes = 4;
    r.ramp = "Blues";
    const hq::carto::Scene s = hq::carto::build_scene(project, r);
    // Shares from the counts, independently of carto: Tibetan / sum of all groups.
    const hq::Layer& units = *project->layer(hq::Role::Units);
    std::vector<double> tib = hq::read_counts(units, "pop_tibetan"), tot(units.size(), 0.0);
    for (const auto& g : project->groups) {
        const auto c = hq::read_counts(units, g.column);
        for (std::size_t i = 0; i < units.size(); ++i) tot[i] += c[i];
    }
    // The units drawn with a class: those whose Tibetan count geo/privacy publishes (a
    // withheld cell's share is drawn as no data, docs/privacy.md); the classes span theirs.
    double lo = 1, hi = 0;
    for (const auto& fp : s.polygons)
        if (fp.role == hq::Role::Units && !fp.hatched) {
            lo = std::min(lo, tib[fp.feature] / tot[fp.feature]);
            hi = std::max(hi, tib[fp.feature] / tot[fp.feature]);
        }
    const auto colors = hq::carto::ramp_colors("Blues", 4);
    int checked = 0;
    for (const auto& fp : s.polygons) {
        if (fp.role != hq::Role::Units || fp.hatched) continue;
        const double share = tib[fp.feature] / tot[fp.feature];
        // Equal intervals of (hi − lo) / 4; the top class holds the maximum.
        int cls = static_cast<int>(std::floor((share - lo) / ((hi - lo) / 4)));
        cls = std::clamp(cls, 0, 3);
        const double edge = lo + cls * (hi - lo) / 4;  // a share exactly on an edge belongs below
        if (cls > 0 && std::abs(share - edge) < 1e-12) --cls;
        CHECK(fp.fill == colors[static_cast<std::size_t>(cls)]);
        ++checked;
    }
    CHECK(checked >= 13);  // 13 of Shuhan's 32 courtyards publish their Tibetan count (16 before the
                           // hypercube search took its cheaper partners of 5..8, issue 14)
    REQUIRE(!s.legend.empty());
    CHECK(s.legend[0].label == "藏族居民占比");
    CHECK(s.title == "藏族居民占比");

    hq::carto::MapRequest c;
    c.kind = hq::carto::MapKind::Composition;
    c.lang = hq::carto::Lang::En;
    hq::carto::Scene single = hq::carto::build_scene(project, c);
    const auto red = hq::carto::Color::rgb(200, 30, 30);
    apply_single_colour(single, red, UiLang::En);
    CHECK(single.pies.empty());
    for (const auto& fp : single.polygons)
        if (fp.role == hq::Role::Units && !fp.hatched) CHECK(fp.fill == red);
    REQUIRE(!single.legend.empty());
    CHECK(single.legend[0].kind == hq::carto::LegendItem::Kind::Swatch);
    CHECK(single.legend[0].color == red);
    CHECK(single.title == "Courtyards");
    bool base_map = false;  // the context block stays
    for (const auto& it : single.legend) base_map = base_map || it.label == "Base map";
    CHECK(base_map);
}

#ifdef HUQIAN_HAVE_VIEWER
#include <chrono>
#include <thread>

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_srs_api.h>

#include "app/view/app.hpp"

namespace {

/// A w × h GeoTIFF of one RGB colour over `box` in `epsg`.
void write_solid_tiff(const std::string& path, int epsg, const hq::Box& box, int w, int h, const unsigned char rgb[3]) {
    const std::array<unsigned char, 3> c{rgb[0], rgb[1], rgb[2]};
    hq::test::write_rgb_tiff(path, epsg, box, w, h, [&](int, int) { return c; });
}
}  // namespace

TEST_CASE("app: graduated and single-colour styles, inference on demand, a basemap beneath the data",
          "[view][app][style]") {
    ViewerOptions o;
    o.mode = "index:share:pop_tibetan";
    Controller app(o, {});
    app.open_project(hq::test::shuhan());
    REQUIRE(hq::test::settle(app));
    REQUIRE(app.model.scene);
    CHECK(app.ui.mode == Mode::Graduated);
    CHECK(app.model.scene->request.kind == hq::carto::MapKind::Index);
    CHECK(app.model.scene->request.index_id == "share");
    CHECK(app.model.scene->request.group == "pop_tibetan");

    SECTION("classification, classes and ramp reach the scene; the legend follows") {
        app.ui.classification = static_cast<int>(hq::carto::Classification::NaturalBreaks);
        app.ui.classes = 3;
        app.ui.ramp = "YlOrRd";
        app.request_scene();
        REQUIRE(hq::test::settle(app));
        const auto& s = *app.model.scene;
        CHECK(s.request.classification == hq::carto::Classification::NaturalBreaks);
        const auto colors = hq::carto::ramp_colors("YlOrRd", 3);
        int swatches = 0;
        for (const auto& it : s.legend)
            if (it.kind == hq::carto::LegendItem::Kind::Swatch && it.color == colors[static_cast<std::size_t>(std::min(swatches, 2))])
                ++swatches;
        CHECK(swatches == 3);
    }
    SECTION("a LISA z map agrees with the scatterplot's z (weights built by the viewer)") {
        app.apply_mode_from_text("lisa:pop_tibetan");
        app.ui.permutations = 0;
        app.request_scene();
        REQUIRE(hq::test::settle(app));
        REQUIRE(app.model.lisa);
        const auto z = app.model.lisa->ii_z;
        app.apply_mode_from_text("index:lisa_z:pop_tibetan");
        app.ui.classification = static_cast<int>(hq::carto::Classification::Quantile);
        app.ui.classes = 2;
        app.ui.ramp = "RdBu_r";
        app.request_scene();
        REQUIRE(hq::test::settle(app));
        CHECK(app.model.scene->request.index_id == "lisa_z");
        // The viewer's map goes through the same rule as the export (docs/privacy.md, "LISA"):
        // the z of published-only inputs, a unit whose Tibetan count or total is withheld
        // hatched, as `export --map index:lisa_z:pop_tibetan` draws it (and as the LISA view
        // withholds it).
        const hq::carto::Scene exported = hq::carto::build_scene(app.model.data->project, app.model.scene->request);
        REQUIRE(exported.polygons.size() == app.model.scene->polygons.size());
        std::size_t hatched = 0;
        for (std::size_t i = 0; i < exported.polygons.size(); ++i) {
            CHECK(app.model.scene->polygons[i].hatched == exported.polygons[i].hatched);
            CHECK(app.model.scene->polygons[i].fill == exported.polygons[i].fill);
            const auto& fp = exported.polygons[i];
            if (fp.role == hq::Role::Units) {
                CHECK(fp.hatched == !std::isfinite(z[fp.feature]));
                hatched += fp.hatched;
            }
        }
        CHECK(hatched > 0);
        // Two quantile classes split at the median z (the data owner's map, the guard off,
        // with the viewer's request): the high class holds the units whose z (from the
        // viewer's own local Moran) is above the median of the shown units.
        hq::carto::MapRequest open_request = app.model.scene->request;
        open_request.privacy_guard = false;
        const hq::carto::Scene open = hq::carto::build_scene(app.model.data->project, open_request);
        // The guard off computes from every unit (the viewer's z above is published-only).
        const auto open_lisa = hq::carto::scene_results(*app.model.data->project, open_request).lisa;
        REQUIRE(open_lisa);
        const std::vector<double> zo = open_lisa->local_moran->z;
        std::vector<double> shown;
        for (const auto& fp : open.polygons)
            if (fp.role == hq::Role::Units && !fp.hatched) shown.push_back(zo[fp.feature]);
        std::vector<double> sorted = shown;
        std::sort(sorted.begin(), sorted.end());
        const double median = sorted[sorted.size() / 2 - 1] / 2 + sorted[sorted.size() / 2] / 2;  // even count
        REQUIRE(sorted.size() % 2 == 0);
        const auto colors = hq::carto::ramp_colors("RdBu_r", 2);
        for (const auto& fp : open.polygons)
            if (fp.role == hq::Role::Units && !fp.hatched && std::abs(zo[fp.feature] - median) > 1e-9)
                CHECK(fp.fill == colors[zo[fp.feature] > median ? 1 : 0]);
    }
    SECTION("single colour") {
        app.apply_mode_from_text("single");
        app.ui.single_color[0] = 1.0f;
        app.ui.single_color[1] = 0.0f;
        app.ui.single_color[2] = 0.0f;
        app.request_scene();
        REQUIRE(hq::test::settle(app));
        CHECK(app.model.scene->pies.empty());
        for (const auto& fp : app.model.scene->polygons)
            if (fp.role == hq::Role::Units && !fp.hatched) CHECK(fp.fill == hq::carto::Color::rgb(255, 0, 0));
    }
    SECTION("p-values on demand: dissimilarity far beyond chance, diversity degenerate under systematic") {
        app.ui.group = 1;  // pop_tibetan (project.json order: han, tibetan, ...)
        REQUIRE(app.model.data->project->groups[1].column == "pop_tibetan");
        app.request_inference("systematic", 99);
        REQUIRE(hq::test::settle(app));
        CHECK(app.jobs.take_errors().empty());
        REQUIRE(app.model.inference);
        CHECK(app.model.inference->group == "pop_tibetan");
        auto p_of = [&](const std::string& id) {
            for (const auto& [k, p] : app.model.inference->p)
                if (k == id) return p;
            return -1.0;
        };
        // Tibetan residents concentrate in a few courtyards (data/README): the observed D is
        // above every one of 99 systematic draws, so PySAL's two-tailed p is 0.
        CHECK(p_of("dissim") == 0.0);
        // Diversity only depends on the group totals, which systematic keeps: no p-value.
        CHECK(std::isnan(p_of("multi_diversity")));
        CHECK(p_of("multi_dissim") >= 0.0);
    }
    SECTION("a GeoTIFF basemap is warped to the metric CRS and put at the bottom of the layers") {
        hq::test::TempDir tmp;
        const std::string tif = tmp.file("ortho.tif");
        // Lon/lat box around Shuhan (104.036–104.044 E, 30.638–30.644 N), magenta.
        const unsigned char magenta[3] = {255, 0, 255};
        write_solid_tiff(tif, 4326, hq::Box{104.030, 30.634, 104.050, 30.648}, 200, 140, magenta);
        app.add_basemap(tif);
        REQUIRE(hq::test::settle(app));
        CHECK(app.jobs.take_errors().empty());
        REQUIRE(!app.ui.layers.empty());
        CHECK(app.ui.layers.front().key == "basemap:" + tif);
        // It stays at the bottom when the map is rebuilt (a mode change re-syncs the layers)...
        app.apply_mode_from_text("dominant");
        app.request_scene();
        REQUIRE(hq::test::settle(app));
        CHECK(app.ui.layers.front().key == "basemap:" + tif);
        CHECK(app.draw_items().front().batch->key == "basemap:" + tif);
        // ...and when the basemap is published before the map's own layers (the two jobs
        // race at start-up with --basemap): the map's layers go above it, not below.
        app.model.mesh.reset();
        app.sync_layers();
        REQUIRE(app.ui.layers.size() == 1);
        app.request_scene();
        REQUIRE(hq::test::settle(app));
        REQUIRE(app.ui.layers.size() > 1);
        CHECK(app.ui.layers.front().key == "basemap:" + tif);
        const hq::view::MeshBatch* b = nullptr;
        for (const auto* x : app.all_batches())
            if (x->key == "basemap:" + tif) b = x;
        REQUIRE(b);
        REQUIRE(b->image);
        // Metric CRS (UTM 48N): the image covers the project's boundary.
        const hq::Box& e = b->image->extent;
        const hq::Box& d = app.model.data->extent;
        CHECK(e.minx <= d.minx);
        CHECK(e.maxx >= d.maxx);
        CHECK(e.miny <= d.miny);
        CHECK(e.maxy >= d.maxy);
        // The pixel over the extent's centre is magenta and opaque.
        const auto& img = *b->image;
        const int px = static_cast<int>((d.center().x - e.minx) / (e.maxx - e.minx) * img.width);
        const int py = static_cast<int>((e.maxy - d.center().y) / (e.maxy - e.miny) * img.height);
        const std::size_t k = (static_cast<std::size_t>(py) * static_cast<std::size_t>(img.width) + static_cast<std::size_t>(px)) * 4;
        CHECK(int(img.rgba[k]) == 255);
        CHECK(int(img.rgba[k + 1]) == 0);
        CHECK(int(img.rgba[k + 2]) == 255);
        CHECK(int(img.rgba[k + 3]) == 255);
        // A file without a CRS is refused with its name, and the project stays open.
        app.add_basemap(tmp.file("missing.tif"));
        REQUIRE(hq::test::settle(app));
        const auto errors = app.jobs.take_errors();
        REQUIRE(errors.size() == 1);
        CHECK(errors[0].message.find("missing.tif") != std::string::npos);
    }
}
#endif

// The viewer under Xvfb with a basemap (same harness as test_view_gui.cpp): the magenta
// GeoTIFF shows on the canvas around the data, and the units are drawn over it.
#ifdef HUQIAN_HAVE_VIEWER
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <stb/stb_image.h>  // implementation compiled in test_view_gui.cpp
#include <sys/wait.h>

#include "app/view/camera.hpp"
#include "geo/geometry/ops.hpp"


TEST_CASE("screenshot: a GeoTIFF basemap is drawn beneath the data", "[view][gui]") {
    hq::test::require_xvfb();
    hq::test::TempDir tmp;
    const std::string tif = tmp.file("magenta.tif"), png = tmp.file("basemap.png"), log = tmp.file("basemap.log");
    const unsigned char magenta[3] = {255, 0, 255};
    write_solid_tiff(tif, 4326, hq::Box{104.020, 30.625, 104.060, 30.655}, 200, 150, magenta);
    hq::test::shuhan_screenshot(png, log, "--basemap '" + tif + "'");
    int w = 0, h = 0, n = 0;
    unsigned char* data = stbi_load(png.c_str(), &w, &h, &n, 3);
    REQUIRE(data != nullptr);
    std::vector<unsigned char> rgb(data, data + static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 3);
    stbi_image_free(data);
    nlohmann::json meta;
    std::ifstream(png + ".json") >> meta;
    auto px = [&](double x, double y) {
        const auto xi = static_cast<std::size_t>(std::lround(x)), yi = static_cast<std::size_t>(std::lround(y));
        const unsigned char* p = rgb.data() + (yi * static_cast<std::size_t>(w) + xi) * 3;
        return std::array<int, 3>{p[0], p[1], p[2]};
    };
    const auto& cv = meta["canvas"];
    const double cx = cv[0].get<double>(), cy = cv[1].get<double>(), cw = cv[2].get<double>(), ch = cv[3].get<double>();
    // Bottom right of the canvas: no window, title or scale bar there; the background would
    // be (244, 242, 238) without the basemap.
    CHECK(px(cx + cw - 12, cy + ch - 12) == std::array<int, 3>{255, 0, 255});
    // A unit's interior (opaque fill) covers the basemap.
    hq::view::Camera cam;
    cam.set_canvas({cx, cy}, {cw, ch});
    cam.center = {meta["camera"]["center"][0].get<double>(), meta["camera"]["center"][1].get<double>()};
    cam.scale = meta["camera"]["scale"].get<double>();
    const hq::Layer& units = *shuhan_project().layer(hq::Role::Units);
    int covered = 0, checked = 0;
    for (std::size_t i = 0; i < units.size(); ++i) {
        const Vec2 s = cam.world_to_screen(hq::point_on_surface(units.metric[i]));
        if (s.x < cx + 5 || s.y < cy + 5 || s.x > cx + cw - 5 || s.y > cy + ch - 5) continue;
        ++checked;
        if (px(s.x + 3, s.y + 3) != std::array<int, 3>{255, 0, 255}) ++covered;
    }
    CHECK(checked > 20);
    CHECK(covered == checked);
}
#endif

// [SECTION] Level of detail -----------------------------------------------------------------------

// ---------------------------------------------------------------------------------------
// Level of detail (lod.hpp, mesh.hpp): which level is drawn at a scale, and what a level
// holds for a densified coverage.

TEST_CASE("lod: the chooser picks the coarse level at city zoom and the full geometry zoomed in", "[view][lod]") {
    // A 25 km city: levels at 25 m and 25 / 4 = 6.25 m.
    const hq::Box city{400000, 3380000, 425000, 3405000};
    const auto t = lod_tolerances(city);
    REQUIRE(t.size() == 2);
    CHECK_THAT(t[0], Catch::Matchers::WithinRel(25.0, 1e-12));
    CHECK_THAT(t[1], Catch::Matchers::WithinRel(6.25, 1e-12));
    CHECK(lod_tolerances(hq::Box{}).empty());
    // Fitted into a 750 px canvas: 0.03 px/m, 25 m = 0.75 px <= 1 px: the coarsest level.
    CHECK(choose_lod(t, 750.0 / 25000.0) == 0);
    // 4 wheel steps in (1.25^4 = 2.44): 25 m = 1.83 px, 6.25 m = 0.46 px: the finer level.
    CHECK(choose_lod(t, 750.0 / 25000.0 * std::pow(1.25, 4)) == 1);
    // A street at 1 px/m: 6.25 px: the full geometry.
    CHECK(choose_lod(t, 1.0) == -1);
    CHECK(choose_lod({}, 0.03) == -1);
}

TEST_CASE("lod: a convex ring is fanned, with the same area as GLU gives a concave one", "[view][lod]") {
    // A regular hexagon of circumradius 10: area 3 √3 / 2 · 100 = 259.81; 4 fan triangles.
    hq::Ring hex;
    for (int k = 0; k < 6; ++k) hex.push_back({10 * std::cos(k * M_PI / 3), 10 * std::sin(k * M_PI / 3)});
    hex.push_back(hex.front());
    const auto t = tessellate(hq::Geometry::polygon(hex), {0, 0});
    CHECK(t.size() == 4 * 6);
    // The triangles' vertices are GL floats (about 6e-8 relative each): a float tolerance.
    CHECK_THAT(triangles_area(t), Catch::Matchers::WithinRel(1.5 * std::sqrt(3.0) * 100, 1e-6));
    // A pentagram (every turn the same way, but winding twice) is not convex: GLU's odd
    // rule fills the 5 points only, not the pentagon in the middle. Points at radius 10:
    // star area = 5 · ½ · b · h of each point; compare with the fan's (wrong) area instead:
    // the fan would cover the centre twice and give a different value.
    hq::Ring star;
    for (int k = 0; k < 5; ++k) star.push_back({10 * std::cos(k * 4 * M_PI / 5), 10 * std::sin(k * 4 * M_PI / 5)});
    star.push_back(star.front());
    const double fan_area = [&] {  // the fan from vertex 0 (what a wrong fast path would draw)
        double a = 0;
        for (int k = 1; k + 1 < 5; ++k) a += std::abs(hq::signed_ring_area({star[0], star[static_cast<std::size_t>(k)], star[static_cast<std::size_t>(k) + 1], star[0]}));
        return a;
    }();
    const double glu = triangles_area(tessellate(hq::Geometry::polygon(star), {0, 0}));
    CHECK(glu > 0);
    CHECK(std::abs(glu - fan_area) > 1.0);
}

TEST_CASE("lod: a densified coverage gets simplified levels that fill the same area with fewer triangles", "[view][lod]") {
    // 20 × 20 cells of 50 m (1 km), edges densified with 9 points zig-zagging ±0.3 m:
    // levels at 1 km / 1000 = 1 m and 0.25 m. At 1 m (Douglas–Peucker at 0.5 m) every
    // zig-zag point goes; at 0.25 m none does, so that level saves nothing and is dropped.
    auto project = std::make_shared<hq::Project>();
    hq::LayerEntry e;
    e.role = hq::Role::Units;
    e.layer.metric = hq::test::densified_grid(20, 20, 50, 9, 0.3, 2, {500000, 3390000}).cells;
    project->layers.push_back(std::move(e));
    const auto& cells = project->layers[0].layer.metric;
    hq::carto::Scene scene;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        hq::carto::FillPolygon fp;
        fp.geometry = &cells[i];
        fp.fill = hq::carto::Color::rgb(200, 100, 50);
        fp.stroke = hq::carto::Color::rgb(255, 255, 255);
        fp.stroke_px = 1.0f;
        fp.feature = static_cast<std::uint32_t>(i);
        scene.polygons.push_back(fp);
    }
    TessCache cache;
    cache.reset_for(project, {500500, 3390500});
    const MapMesh mesh = build_mesh(scene, cache);
    REQUIRE(mesh.batches.size() == 1);
    const MeshBatch& b = mesh.batches[0];
    REQUIRE(b.lods.size() == 1);
    CHECK_THAT(b.lods[0].tolerance, WithinRel(1.0, 1e-3));  // the outer zig-zag widens the extent by 0.6 m
    CHECK(mesh.lod_levels == std::vector<std::size_t>{0});
    // Full: 400 cells × 40 vertices -> 38 fill triangles each; simplified: 4 corners -> 2.
    CHECK(b.fills.size() == 400u * 38 * 3);
    CHECK(b.lods[0].fills.size() == 400u * 2 * 3);
    // Outlines, each shared edge once: a 20 × 20 grid has 2 · 20 · 21 = 840 edges, each of
    // 10 segments in full (9 zig-zag points) and 1 simplified; 6 vertices per segment.
    // (Drawn per cell, it would be 400 · 40 · 6 = 96000.)
    CHECK(b.strokes.size() == 840u * 10 * 6);
    CHECK(b.lods[0].strokes.size() == 840u * 6);
    // Both fill the 1 km² (the zig-zag on the outer edges cancels out to within 0.1 %).
    auto area = [](const std::vector<MapVertex>& v) {
        std::vector<float> xy;
        for (const auto& p : v) xy.insert(xy.end(), {p.x, p.y});
        return triangles_area(xy);
    };
    CHECK_THAT(area(b.fills), WithinRel(1e6, 1e-3));
    CHECK_THAT(area(b.lods[0].fills), WithinRel(1e6, 1e-3));
    // Strokes are in level-of-detail order (largest feature first) in every level.
    auto sorted = [](const std::vector<MapVertex>& v) {
        return std::is_sorted(v.begin(), v.end(), [](const MapVertex& a, const MapVertex& c) { return a.lod > c.lod; });
    };
    CHECK(sorted(b.strokes));
    CHECK(sorted(b.lods[0].strokes));
}

// [SECTION] Mode panel and frame cache ------------------------------------------------------------

TEST_CASE("mode panel: a graduated LISA z shows the weights only, the cluster map everything", "[view][mode]") {
    // Cross-checked with app/carto: the graduated lisa_z scene must not depend on the
    // significance settings (only then is hiding them right).
    const LisaControls z = lisa_controls(false, "lisa_z");
    CHECK(z.weights);
    CHECK_FALSE(z.significance);
    const LisaControls map = lisa_controls(true, "");
    CHECK(map.weights);
    CHECK(map.significance);
    CHECK_FALSE(lisa_controls(false, "share").weights);
    CHECK_FALSE(lisa_controls(false, "").significance);

    auto project = std::make_shared<const hq::Project>(shuhan_project());
    hq::carto::MapRequest r;
    r.kind = hq::carto::MapKind::Index;
    r.index_id = "lisa_z";
    r.group = project->groups[0].column;
    r.permutations = 0;
    r.alpha = 0.05;
    r.adjust = "none";
    const hq::carto::Scene a = hq::carto::build_scene(project, r);
    r.permutations = 999;
    r.alpha = 0.001;
    r.adjust = "fdr";
    const hq::carto::Scene b = hq::carto::build_scene(project, r);
    REQUIRE(a.polygons.size() == b.polygons.size());
    REQUIRE(!a.polygons.empty());
    for (std::size_t i = 0; i < a.polygons.size(); ++i) {
        CHECK(a.polygons[i].fill.r == b.polygons[i].fill.r);
        CHECK(a.polygons[i].fill.g == b.polygons[i].fill.g);
        CHECK(a.polygons[i].fill.b == b.polygons[i].fill.b);
    }
}

TEST_CASE("frame cache: the UI hash is the same for an identical frame and changes with one character", "[view][frame]") {
    ImGuiContext* ctx = hq::test::headless_imgui(800, 600);
    auto frame = [&](const char* text, float x) {
        ImGui::NewFrame();
        ImGui::SetNextWindowPos(ImVec2(x, 10));
        ImGui::Begin("panel");
        ImGui::TextUnformatted(text);
        ImGui::End();
        ImGui::Render();
        return hash_draw_data(ImGui::GetDrawData());
    };
    frame("frame 12.0 ms", 10);  // the first frames settle the window's size
    frame("frame 12.0 ms", 10);
    const auto a = frame("frame 12.0 ms", 10);
    const auto b = frame("frame 12.0 ms", 10);
    const auto c = frame("frame 13.0 ms", 10);  // one glyph differs
    const auto d = frame("frame 12.0 ms", 11);  // moved by a pixel
    ImGui::DestroyContext(ctx);
    CHECK(a == b);
    CHECK(a != c);
    CHECK(a != d);
    // The key also holds the camera and the map's generation.
    FrameKey k1{a, 7, {}, false, true, 800, 600};
    FrameKey k2 = k1;
    CHECK(k1 == k2);
    k2.camera.scale *= 1.25;
    CHECK_FALSE(k1 == k2);
    k2 = k1;
    k2.map_generation = 8;
    CHECK_FALSE(k1 == k2);
}
