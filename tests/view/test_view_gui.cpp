// The viewer as a user runs it, under Xvfb: `huqian view data/shuhan --screenshot` in a
// subprocess, then checks on the PIXELS of the PNG (not just that a file exists):
//  - the community boundary's outline is where the data says (projected with the same
//    camera fit the viewer uses, recomputed here from the data and the canvas rectangle);
//  - in LISA mode the units the engine calls significant HH (computed here with the geo
//    API and the documented defaults) are red (255, 0, 0) on screen, and the others are not;
//  - the title renders in Chinese (ink in the title box, different from the English one,
//    no glyph missing from the font).
// Without xvfb-run these tests FAIL (test::require_xvfb): a missing tool is not a pass.
// [SECTION] index
//   Helpers: the viewer under Xvfb
//   Screenshots: outline, LISA, title, heatmap
//   Viewer and exporter agree, city scale, frames, layout
//   Issue 13: outlines, fills, extents
#include <catch2/catch.hpp>
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <set>
#include <string>
#include <vector>

#include <sys/wait.h>

#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#include <stb/stb_image.h>

#include "app/view/camera.hpp"
#include "geo/analysis/counts.hpp"
#include "geo/analysis/surfaces.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/crs/crs.hpp"
#include "geo/privacy/tables.hpp"
#include "geo/project/project.hpp"
#include "geo/stats/local_moran.hpp"
#include "geo/stats/multiple_testing.hpp"
#include "geo/weights/contiguity.hpp"
#include "geo/weights/distance.hpp"
#include "tests/geometry/coverage_fixture.hpp"
#include "tests/test_support.hpp"
#include "tests/view/view_test_support.hpp"

using hq::Vec2;

// [SECTION] Helpers: the viewer under Xvfb --------------------------------------------------------

namespace {


struct Shot {
    int w = 0, h = 0;
    std::vector<unsigned char> rgb;
    nlohmann::json meta;
    std::string log;

    [[nodiscard]] bool in_image(int x, int y) const { return x >= 0 && y >= 0 && x < w && y < h; }
    [[nodiscard]] const unsigned char* px(int x, int y) const {
        return rgb.data() + (static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)) * 3;
    }
    /// Inside a window, the title box, the scale bar or a map label with its halo (the map is covered there:
    /// labels are drawn over it, and at a small canvas they may cross the boundary).
    [[nodiscard]] bool covered(double x, double y) const {
        auto in = [&](const nlohmann::json& r) {
            return x >= r[0].get<double>() - 2 && y >= r[1].get<double>() - 2 &&
                   x <= r[0].get<double>() + r[2].get<double>() + 2 && y <= r[1].get<double>() + r[3].get<double>() + 2;
        };
        for (const auto& win : meta["windows"])
            if (in(win["rect"])) return true;
        if (meta.contains("labels"))
            for (const auto& l : meta["labels"])
                if (in(l["rect"])) return true;
        if (meta.contains("scale_bar") && in(meta["scale_bar"])) return true;
        return in(meta["title"]);
    }
    [[nodiscard]] hq::view::Camera camera_from_canvas() const {
        hq::view::Camera c;
        const auto& cv = meta["canvas"];
        c.set_canvas({cv[0].get<double>(), cv[1].get<double>()}, {cv[2].get<double>(), cv[3].get<double>()});
        return c;
    }
};

/// Runs the viewer under Xvfb and reads the screenshot and its sidecar JSON.
Shot run_view(const std::string& name, const std::string& extra_args, const std::string& project = "data/shuhan") {
    hq::test::TempDir tmp;
    const std::string png = tmp.file(name + ".png"), log = tmp.file(name + ".log");
    const std::string cmd = "cd '" + hq::test::source_dir() +
                            "' && xvfb-run -a -s '-screen 0 1280x800x24' env MESA_GL_VERSION_OVERRIDE=3.3 "
                            "MESA_GLSL_VERSION_OVERRIDE=330 LSAN_OPTIONS=suppressions=tests/view/lsan.supp:"
                            "print_suppressions=0 "
                            // Under debug-asan, Mesa's dlopen'ed llvmpipe driver leaks strdup'ed
                            // strings that LeakSanitizer can only attribute to "<unknown module>"
                            // (the driver is unloaded), so no suppression can name them: leak
                            // checking is off for this GL subprocess only; ASan's memory-error
                            // checks stay on, and the viewer's logic tests run with LSan in-process.
                            "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 '" HUQIAN_EXE "' view '" + project + "' --screenshot '" + png +
                            "' --size 1280x800 " + extra_args + " > '" + log + "' 2>&1";
    const int status = std::system(cmd.c_str());
    Shot s;
    std::ifstream lf(log);
    std::stringstream ls;
    ls << lf.rdbuf();
    s.log = ls.str();
    INFO("command: " << cmd << "\noutput:\n" << s.log);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    if (const char* keep = std::getenv("HUQIAN_KEEP_SHOTS")) {  // a folder to keep the screenshots in, for a person
        std::error_code ec;
        std::filesystem::copy_file(png, std::filesystem::path(keep) / (name + ".png"),
                                   std::filesystem::copy_options::overwrite_existing, ec);
        std::filesystem::copy_file(png + ".json", std::filesystem::path(keep) / (name + ".png.json"),
                                   std::filesystem::copy_options::overwrite_existing, ec);
    }
    int n = 0;
    unsigned char* data = stbi_load(png.c_str(), &s.w, &s.h, &n, 3);
    REQUIRE(data != nullptr);
    s.rgb.assign(data, data + static_cast<std::size_t>(s.w) * static_cast<std::size_t>(s.h) * 3);
    stbi_image_free(data);
    std::ifstream jf(png + ".json");
    REQUIRE(jf);
    jf >> s.meta;
    return s;
}

int luminance(const unsigned char* p) { return (p[0] * 299 + p[1] * 587 + p[2] * 114) / 1000; }

/// A dark pixel (the boundary stroke) within `r` pixels of (x, y).
bool dark_near(const Shot& s, double x, double y, int r, int max_lum) {
    const int cx = static_cast<int>(std::lround(x)), cy = static_cast<int>(std::lround(y));
    for (int dy = -r; dy <= r; ++dy)
        for (int dx = -r; dx <= r; ++dx)
            if (s.in_image(cx + dx, cy + dy) && luminance(s.px(cx + dx, cy + dy)) <= max_lum) return true;
    return false;
}

const hq::Project& shuhan() {
    static const hq::Project p = hq::load_project(hq::test::shuhan());
    return p;
}

}  // namespace

// [SECTION] Screenshots: outline, LISA, title, heatmap --------------------------------------------

TEST_CASE("view without a display prints one line and exits 1", "[view][gui]") {
    hq::test::TempDir tmp;
    const std::string log = tmp.file("out.log");
    const std::string cmd = "cd '" + hq::test::source_dir() + "' && env -u DISPLAY -u WAYLAND_DISPLAY '" HUQIAN_EXE
                            "' view data/shuhan > '" + log + "' 2>&1";
    const int status = std::system(cmd.c_str());
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 1);
    std::ifstream in(log);
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(std::count(all.begin(), all.end(), '\n') == 1);
    CHECK(all.find("no display") != std::string::npos);
    CHECK(all.find("huqian export") != std::string::npos);
}

TEST_CASE("screenshot: the boundary outline is where the data says", "[view][gui]") {
    hq::test::require_xvfb();
    const Shot s = run_view("boundary", "--mode dominant --lang en");
    REQUIRE(s.w == s.meta["framebuffer"][0].get<int>());
    const hq::Layer* b = shuhan().layer(hq::Role::Boundary);
    REQUIRE(b != nullptr);
    hq::Box extent;
    for (const auto& g : b->metric) extent.expand(g.bounds());
    // The viewer fits the boundary into the canvas; recompute that fit independently.
    hq::view::Camera cam = s.camera_from_canvas();
    cam.fit(extent, 24);
    CHECK_THAT(s.meta["camera"]["scale"].get<double>(), WithinRel(cam.scale, 1e-9));
    CHECK_THAT(s.meta["camera"]["center"][0].get<double>(), WithinAbs(cam.center.x, 1e-6));

    int on = 0, on_hit = 0, off = 0, off_dark = 0;
    for (const auto& g : b->metric)
        for (const auto& poly : g.polygons)
            for (const auto& ring : poly.rings)
                for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
                    const Vec2 a = cam.world_to_screen(ring[i]), c = cam.world_to_screen(ring[i + 1]);
                    const double len = std::hypot(c.x - a.x, c.y - a.y);
                    const int steps = std::max(1, static_cast<int>(len / 12));
                    for (int k = 1; k < steps; ++k) {  // skip the corners
                        const double t = static_cast<double>(k) / steps;
                        const double x = a.x + (c.x - a.x) * t, y = a.y + (c.y - a.y) * t;
                        if (s.covered(x, y)) continue;
                        ++on;
                        if (dark_near(s, x, y, 2, 90)) ++on_hit;
                        // 14 px to either side: never the boundary's colour on both sides at once
                        // (inside are units, outside is the background).
                        const double nx = -(c.y - a.y) / len, ny = (c.x - a.x) / len;
                        for (double sgn : {-1.0, 1.0}) {
                            const double ox = x + sgn * 14 * nx, oy = y + sgn * 14 * ny;
                            if (s.covered(ox, oy)) continue;
                            ++off;
                            if (dark_near(s, ox, oy, 0, 90)) ++off_dark;
                        }
                    }
                }
    INFO("boundary samples " << on << ", dark " << on_hit << "; offset samples " << off << ", dark " << off_dark);
    REQUIRE(on > 50);
    CHECK(on_hit >= on * 0.9);
    CHECK(off_dark <= off * 0.1);
}

TEST_CASE("screenshot: LISA mode paints the engine's HH units red", "[view][gui]") {
    hq::test::require_xvfb();
    const hq::Project& p = shuhan();
    const hq::Layer* units = p.analysis_layer();
    REQUIRE(units != nullptr);
    const std::size_t n = units->size();
    // The engine, with the documented defaults of a LISA map (carto::MapRequest): queen
    // contiguity, row-standardised, 999 permutations, seed 12345, FDR at alpha 0.05.
    std::vector<double> totals(n, 0.0);
    std::vector<std::vector<double>> counts;
    for (const auto& g : p.groups) {
        counts.push_back(hq::read_counts(*units, g.column));
        for (std::size_t i = 0; i < n; ++i) totals[i] += counts.back()[i];
    }
    // The viewer's LISA enters only the courtyards whose group count and total are printed
    // (the privacy guard, docs/privacy.md "LISA"), with weights built among them: queen
    // contiguity; Shuhan's courtyards do not touch (streets between them), so the engine
    // falls back to the 6 nearest on points on surface (fewer when fewer enter).
    const auto table = hq::analysis::group_count_table(p);
    REQUIRE(table);
    const hq::privacy::ProtectedTable cells =
        hq::privacy::units_by_groups_table(table->counts, hq::privacy::group_totals_table(table->group_totals, {}));
    std::size_t best_group = 0, best_hh = 0;
    std::vector<bool> hh_of_best;
    for (std::size_t g = 0; g < p.groups.size(); ++g) {
        const auto tg = static_cast<std::size_t>(
            std::find(table->columns.begin(), table->columns.end(), p.groups[g].column) - table->columns.begin());
        REQUIRE(tg < table->columns.size());
        std::vector<std::size_t> keep;
        for (std::size_t i = 0; i < n; ++i)
            if (!cells.cell(i, tg).suppressed() && !cells.row_total(i).suppressed()) keep.push_back(i);
        if (keep.size() < 3) continue;
        std::vector<double> x;
        std::vector<hq::Geometry> geoms;
        for (std::size_t i : keep) {
            x.push_back(totals[i] > 0 ? counts[g][i] / totals[i] : 0.0);
            geoms.push_back(units->metric[i]);
        }
        hq::Weights w = hq::contiguity_weights(geoms);
        if (w.islands().size() == w.n) {
            std::vector<Vec2> pts;
            for (const auto& gm : geoms) pts.push_back(hq::point_on_surface(gm));
            w = hq::knn_weights(pts, std::min<std::size_t>(6, keep.size() - 1));
        }
        w = w.row_standardised();
        hq::AutocorrOptions o;
        o.permutations = 999;
        o.seed = 12345;
        const auto r = hq::local_moran(x, w, o);
        const auto sig = hq::significant(r.p_permutation, hq::PAdjust::BenjaminiHochberg, 0.05);
        std::vector<bool> hh(n, false);
        std::size_t k = 0;
        for (std::size_t a = 0; a < keep.size(); ++a)
            k += (hh[keep[a]] = sig[a] && r.quadrant[a] == hq::Quadrant::HH) ? 1 : 0;
        if (k > best_hh) {
            best_hh = k;
            best_group = g;
            hh_of_best = hh;
        }
    }
    INFO("group with most significant HH units: " << p.groups[best_group].column << " (" << best_hh << ")");
    REQUIRE(best_hh > 0);
    const Shot s = run_view("lisa", "--mode lisa:" + p.groups[best_group].column + " --lang en");
    hq::view::Camera cam = s.camera_from_canvas();
    cam.center = {s.meta["camera"]["center"][0].get<double>(), s.meta["camera"]["center"][1].get<double>()};
    cam.scale = s.meta["camera"]["scale"].get<double>();

    auto is_red = [](const unsigned char* q) { return q[0] >= 250 && q[1] <= 5 && q[2] <= 5; };
    for (std::size_t i = 0; i < n; ++i) {
        const hq::Geometry& g = units->metric[i];
        const hq::Box bb = g.bounds();
        const Vec2 s0 = cam.world_to_screen({bb.minx, bb.maxy}), s1 = cam.world_to_screen({bb.maxx, bb.miny});
        int inside = 0, red = 0;
        for (int y = static_cast<int>(s0.y); y <= static_cast<int>(s1.y); y += 2)
            for (int x = static_cast<int>(s0.x); x <= static_cast<int>(s1.x); x += 2) {
                if (!s.in_image(x, y) || s.covered(x, y)) continue;
                // Well inside the unit: the pixel and its 4-neighbours at 4 px are inside.
                bool deep = true;
                for (const auto& d : {Vec2{0, 0}, Vec2{4, 0}, Vec2{-4, 0}, Vec2{0, 4}, Vec2{0, -4}})
                    deep = deep && hq::point_in_polygon(g, cam.screen_to_world({x + d.x, y + d.y}));
                if (!deep) continue;
                ++inside;
                red += is_red(s.px(x, y)) ? 1 : 0;
            }
        if (inside < 10) continue;  // too small or covered on screen
        INFO("unit " << units->ids[i] << ": " << red << " red of " << inside << " sampled pixels");
        if (hh_of_best[i]) CHECK(red >= inside * 0.6);  // labels may cover a part
        else CHECK(red <= inside * 0.05);
    }
}

TEST_CASE("screenshot: the Chinese title renders", "[view][gui]") {
    hq::test::require_xvfb();
    const Shot zh = run_view("zh", "--mode dominant --lang zh");
    const Shot en = run_view("en", "--mode dominant --lang en");
    const std::string title = zh.meta["title_text"].get<std::string>();
    INFO("title: " << title);
    REQUIRE(std::any_of(title.begin(), title.end(), [](char c) { return static_cast<unsigned char>(c) >= 0xE4; }));
    CHECK(zh.meta["missing_glyphs"].get<int>() == 0);
    const auto& r = zh.meta["title"];
    REQUIRE(r[2].get<double>() > 20);
    int ink = 0, differ = 0, total = 0;
    for (int y = static_cast<int>(r[1].get<double>()); y < static_cast<int>(r[1].get<double>() + r[3].get<double>()); ++y)
        for (int x = static_cast<int>(r[0].get<double>()); x < static_cast<int>(r[0].get<double>() + r[2].get<double>()); ++x) {
            if (!zh.in_image(x, y)) continue;
            ++total;
            ink += luminance(zh.px(x, y)) < 128 ? 1 : 0;
            differ += std::abs(luminance(zh.px(x, y)) - luminance(en.px(x, y))) > 60 ? 1 : 0;
        }
    INFO("title box pixels " << total << ", ink " << ink << ", differing from English " << differ);
    CHECK(ink > total / 50);      // glyphs drawn, not an empty box
    CHECK(differ > total / 50);   // and not the English text
}

TEST_CASE("screenshot: the heatmap's hottest pixel is over the group's densest courtyard", "[view][gui]") {
    hq::test::require_xvfb();
    const hq::Project& p = shuhan();
    const hq::Layer* units = p.analysis_layer();
    REQUIRE(units != nullptr);
    // A group concentrated in one courtyard: its densest courtyard (residents per m²) also
    // holds at least 1.5 times as many of the group as any other courtyard (counts that enter
    // the density with the guard on; twice as many before the guard, which no group meets now), so the peak of an
    // 80 m kernel density must lie over it whatever the spreading of counts inside units.
    // The counts that enter the density with the privacy guard on (docs/privacy.md, "Densities").
    std::size_t group = p.groups.size(), densest = 0;
    const auto entering = hq::analysis::density_counts(*hq::analysis::group_count_table(p, units), {});
    for (std::size_t g = 0; g < p.groups.size() && group == p.groups.size(); ++g) {
        const auto& c = entering.counts[g];
        std::size_t d = 0, first = 0;
        for (std::size_t i = 0; i < c.size(); ++i) {
            if (c[i] / hq::area(units->metric[i]) > c[d] / hq::area(units->metric[d])) d = i;
            if (c[i] > c[first]) first = i;
        }
        double second = 0;
        for (std::size_t i = 0; i < c.size(); ++i)
            if (i != first) second = std::max(second, c[i]);
        if (d == first && c[first] >= 100 && c[first] >= 1.5 * second) {
            group = g;
            densest = d;
        }
    }
    REQUIRE(group < p.groups.size());
    INFO("group " << p.groups[group].column << ", densest courtyard " << units->ids[densest]);
    const Shot s = run_view("heat", "--mode heatmap:" + p.groups[group].column + " --lang en");
    hq::view::Camera cam = s.camera_from_canvas();
    cam.center = {s.meta["camera"]["center"][0].get<double>(), s.meta["camera"]["center"][1].get<double>()};
    cam.scale = s.meta["camera"]["scale"].get<double>();
    // viridis (the default ramp) ends in yellow (253, 231, 37); drawn at the overlay's 0.8
    // opacity over the light unit fill it is about (252, 234, 77). The hottest pixel is the
    // one closest to that colour.
    int best = 1 << 30, bx = -1, by = -1;
    const auto& cv = s.meta["canvas"];
    for (int y = cv[1].get<int>(); y < cv[1].get<int>() + cv[3].get<int>(); ++y)
        for (int x = cv[0].get<int>(); x < cv[0].get<int>() + cv[2].get<int>(); ++x) {
            if (!s.in_image(x, y) || s.covered(x, y)) continue;
            const unsigned char* q = s.px(x, y);
            const int score = (q[0] - 252) * (q[0] - 252) + (q[1] - 234) * (q[1] - 234) + (q[2] - 77) * (q[2] - 77);
            if (score < best) {
                best = score;
                bx = x;
                by = y;
            }
        }
    REQUIRE(bx >= 0);
    const Vec2 w = cam.screen_to_world({static_cast<double>(bx), static_cast<double>(by)});
    INFO("hottest pixel (" << bx << ", " << by << ") score " << best << " at " << w.x << ", " << w.y);
    CHECK(best < 40 * 40);  // really the top of the ramp
    CHECK(hq::distance(units->metric[densest], hq::Geometry::point(w)) <= 10.0);
}

// Issue 7 §1: what the planner sees is what prints. The same dominant-group scene drawn by
// the viewer (OpenGL, screenshot) and by the exporter's cairo code (render_scene_to_image,
// the export preview's renderer) must give every unit the same fill colour. Each unit's
// colour is the most common colour over pixels deep inside it (labels, pies and windows
// excluded by majority and by the sidecar's window rectangles), in each image, each with
// its own camera: the viewer's from the sidecar, cairo's from preview_transform.
#include <functional>
#include <memory>

#include "app/carto/scene.hpp"
#include "app/export/render.hpp"

// [SECTION] Viewer and exporter agree, city scale, frames, layout ---------------------------------

namespace {
struct Rgb {
    int r = 0, g = 0, b = 0;
};
bool near(const Rgb& a, const Rgb& b, int tol) {
    return std::abs(a.r - b.r) <= tol && std::abs(a.g - b.g) <= tol && std::abs(a.b - b.b) <= tol;
}
/// Most common colour (quantised to 4 levels per channel step) among `px`; count in `n`.
Rgb majority(const std::vector<Rgb>& px, std::size_t& n) {
    std::map<int, std::pair<std::size_t, Rgb>> bins;
    for (const Rgb& c : px) {
        auto& e = bins[(c.r / 4) * 65536 + (c.g / 4) * 256 + c.b / 4];
        ++e.first;
        e.second = c;
    }
    n = 0;
    Rgb best;
    for (const auto& [k, v] : bins)
        if (v.first > n) {
            n = v.first;
            best = v.second;
        }
    return best;
}

/// Each unit's majority colour over points deep inside it (3 m) on screen and on paper
/// (`to_paper`: metric CRS -> the image's pixels), for the points `use` accepts; CHECKs that
/// they agree within 6 levels for every unit with 15 samples on both. Returns {compared, same}.
std::pair<std::size_t, std::size_t> compare_unit_colours(const Shot& s, const hq::view::Camera& cam,
                                                         const hq::exporter::Image& img,
                                                         const std::function<Vec2(Vec2)>& to_paper,
                                                         const std::function<bool(Vec2, double, double)>& use) {
    const hq::Layer& units = *shuhan().analysis_layer();
    std::size_t compared = 0, same = 0;
    for (std::size_t i = 0; i < units.size(); ++i) {
        const hq::Geometry& g = units.metric[i];
        const hq::Box bb = g.bounds();
        std::vector<Rgb> on_screen, on_paper;
        for (int sy = 1; sy < 20; ++sy)
            for (int sx = 1; sx < 20; ++sx) {
                const Vec2 p{bb.minx + bb.width() * sx / 20.0, bb.miny + bb.height() * sy / 20.0};
                // Deep inside: the point and four points 3 m away are in the unit.
                bool deep = true;
                for (const auto& d : {Vec2{0, 0}, Vec2{3, 0}, Vec2{-3, 0}, Vec2{0, 3}, Vec2{0, -3}})
                    deep = deep && hq::point_in_polygon(g, {p.x + d.x, p.y + d.y});
                if (!deep) continue;
                const Vec2 q = cam.world_to_screen(p);
                const int x = static_cast<int>(q.x), y = static_cast<int>(q.y);
                if (s.in_image(x, y) && !s.covered(x, y) && use(p, q.x, q.y))
                    on_screen.push_back({s.px(x, y)[0], s.px(x, y)[1], s.px(x, y)[2]});
                const Vec2 c = to_paper(p);
                const int cx = static_cast<int>(c.x), cy = static_cast<int>(c.y);
                if (cx >= 0 && cy >= 0 && cx < img.width && cy < img.height && use(p, -1, -1))
                    on_paper.push_back({img.at(cx, cy)[0], img.at(cx, cy)[1], img.at(cx, cy)[2]});
            }
        std::size_t ns = 0, np = 0;
        const Rgb a = majority(on_screen, ns), b = majority(on_paper, np);
        if (ns < 15 || np < 15) continue;  // too small, or under a window on screen
        ++compared;
        INFO("unit " << units.ids[i] << ": screen " << a.r << "," << a.g << "," << a.b << " vs paper " << b.r << ","
                     << b.g << "," << b.b);
        CHECK(near(a, b, 6));
        same += near(a, b, 6) ? 1 : 0;
    }
    return {compared, same};
}
}  // namespace

TEST_CASE("screenshot and the exporter's cairo preview fill every unit with the same colour", "[view][gui][export]") {
    hq::test::require_xvfb();
    const Shot s = run_view("same_as_export", "--mode dominant --lang en");
    hq::view::Camera cam = s.camera_from_canvas();
    cam.center = {s.meta["camera"]["center"][0].get<double>(), s.meta["camera"]["center"][1].get<double>()};
    cam.scale = s.meta["camera"]["scale"].get<double>();

    auto project = std::make_shared<const hq::Project>(hq::load_project(hq::test::shuhan()));
    hq::carto::MapRequest req = hq::carto::parse_map_kind("dominant");
    req.lang = hq::carto::Lang::En;
    const hq::carto::Scene scene = hq::carto::build_scene(project, req);
    const int w = 900, h = 700;
    const hq::exporter::Image img = hq::exporter::render_scene_to_image(scene, w, h);
    const hq::carto::MapTransform pt = hq::exporter::preview_transform(scene, w, h);

    const auto [compared, same] = compare_unit_colours(s, cam, img, [&](Vec2 p) { return pt.apply(p); },
                                                       [](Vec2, double, double) { return true; });
    const hq::Layer& units = *project->analysis_layer();
    INFO("units compared: " << compared << " of " << units.size());
    CHECK(compared >= 20);
    CHECK(same == compared);
}

TEST_CASE("screenshot: at city scale the simplified level still fills every unit, without gaps", "[view][gui][lod]") {
    hq::test::require_xvfb();
    // 80 × 80 cells of 25 m (2 km), edges densified with 9 points zig-zagging ±0.2 m: at the
    // fitted scale (~0.35 px/m) the coarsest level (tolerance 2 km / 1000 = 2 m) is drawn,
    // each cell as its 4 corners. Any gap between simplified neighbours would show the
    // canvas background through the map.
    const auto cov = hq::test::densified_grid(80, 80, 25, 9, 0.2, 2, {500000, 3390000});
    hq::test::TempDir dir;
    nlohmann::json fc = {{"type", "FeatureCollection"},
                         {"crs", {{"type", "name"}, {"properties", {{"name", "urn:ogc:def:crs:EPSG::32648"}}}}}};
    fc["features"] = nlohmann::json::array();
    for (std::size_t i = 0; i < cov.cells.size(); ++i) {
        nlohmann::json ring = nlohmann::json::array();
        for (const Vec2& p : cov.cells[i].polygons[0].rings[0]) ring.push_back({p.x, p.y});
        fc["features"].push_back({{"type", "Feature"},
                                  {"properties", {{"id", "c" + std::to_string(i)}, {"pop_a", 5 + i % 7}, {"pop_b", 5 + i % 3}}},
                                  {"geometry", {{"type", "Polygon"}, {"coordinates", {ring}}}}});
    }
    std::ofstream(dir.file("grid.geojson")) << fc.dump();
    std::ofstream(dir.file("project.json"))
        << R"({"huqian_manifest": 1, "name": {"zh": "网格", "en": "Grid"}, "illustrative": true, "crs": "EPSG:32648",
 "count_roles": ["units"], "layers": {"units": {"path": "grid.geojson"}},
 "groups": [{"column": "pop_a", "zh": "甲", "en": "A", "color": "#1b9e77"},
            {"column": "pop_b", "zh": "乙", "en": "B", "color": "#d95f02"}]})";
    const Shot s = run_view("lod", "--mode single --lang en", dir.file(""));
    CHECK(s.meta["lod_level"].get<int>() == 0);
    hq::Box extent;
    for (const auto& c : cov.cells) extent.expand(c.bounds());
    hq::view::Camera cam = s.camera_from_canvas();
    cam.fit(extent, 24);
    const Vec2 lo = cam.world_to_screen({extent.minx, extent.maxy}), hi = cam.world_to_screen({extent.maxx, extent.miny});
    REQUIRE(hi.x - lo.x > 400);
    // The canvas background (0.957, 0.949, 0.933) = (244, 242, 238): nowhere inside the grid
    // (3 px in from its edge), apart from windows and the title over the map.
    int inside = 0, background = 0, fill = 0;
    for (int y = static_cast<int>(lo.y) + 3; y < static_cast<int>(hi.y) - 3; ++y)
        for (int x = static_cast<int>(lo.x) + 3; x < static_cast<int>(hi.x) - 3; ++x) {
            if (s.covered(x, y) || !s.in_image(x, y)) continue;
            ++inside;
            const unsigned char* p = s.px(x, y);
            if (std::abs(p[0] - 244) <= 3 && std::abs(p[1] - 242) <= 3 && std::abs(p[2] - 238) <= 3) ++background;
            // The single colour (0.55, 0.71, 0.84) = (140, 181, 214).
            if (std::abs(p[0] - 140) <= 3 && std::abs(p[1] - 181) <= 3 && std::abs(p[2] - 214) <= 3) ++fill;
        }
    INFO("pixels inside " << inside << ", background " << background << ", fill colour " << fill);
    REQUIRE(inside > 100000);
    CHECK(background == 0);
    CHECK(fill > inside / 2);
}

TEST_CASE("bench: steady frames reuse the cached frame, panning and redraw frames are drawn", "[view][gui][frame]") {
    hq::test::require_xvfb();
    // `--bench-frames 12`: 12 steady frames (nothing changes: copies of the stored frame,
    // but for the first ones, which settle, and the once-a-second status-bar refresh, which
    // a slow debug-asan run may hit), 12 panning frames, 12 forced map redraws and 12 zoom
    // steps (every one drawn). Counts, not times: the frame cache's behaviour.
    hq::test::TempDir tmp;
    const std::string out = tmp.file("bench.json");
    const std::string cmd = "cd '" + hq::test::source_dir() +
                            "' && xvfb-run -a -s '-screen 0 1280x800x24' env MESA_GL_VERSION_OVERRIDE=3.3 "
                            "MESA_GLSL_VERSION_OVERRIDE=330 ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 '" HUQIAN_EXE
                            "' view data/shuhan --mode dominant --size 1280x800 --bench-frames 12 > '" + out + "' 2>&1";
    const int status = std::system(cmd.c_str());
    std::ifstream in(out);
    std::stringstream text;
    text << in.rdbuf();
    INFO(text.str());
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    const nlohmann::json j = nlohmann::json::parse(text.str());
    // Reuse is counted where it must happen: steady frames on which nothing changed for two
    // frames (same UI draw data, map, camera). How many those are varies with load (the status
    // bar's frame time changes once a second, so slow frames see it change more often); every
    // one of them must be a copy of the cached frame, and there must be some to judge.
    INFO("settled " << j["steady_settled"] << ", reused " << j["steady_settled_reused"]);
    CHECK(j["steady_settled"].get<int>() >= 1);
    CHECK(j["steady_settled_reused"].get<int>() == j["steady_settled"].get<int>());
    CHECK(j["frames_reused"].get<int>() >= j["steady_settled_reused"].get<int>());
    CHECK(j["frames_reused"].get<int>() <= 12);  // never a panning, redraw or zoom frame
    CHECK(j["frames_drawn"].get<int>() >= 36);
    CHECK(j["zoom_ms"]["frames"].get<int>() == 12);
    CHECK(j["zoom_previews"].get<int>() <= 12);
}

// Issue 13 item 2: the map owns a free central area; the panels are docked around it (left:
// modes, plan, legend, layers; right: the tabs; below: the Moran scatterplot) with splitters.
// In every mode's screenshot no window's rectangle meets the map canvas, and the first view
// (a fit) puts the whole boundary inside the canvas.
TEST_CASE("screenshot: in every mode the docked panels leave the map canvas free", "[view][gui][layout]") {
    hq::test::require_xvfb();
    hq::Box boundary;
    for (const auto& g : shuhan().layer(hq::Role::Boundary)->metric) boundary.expand(g.bounds());
    for (const std::string mode : {"composition", "dominant", "heatmap:Tibetan", "mixing", "lisa:Tibetan", "projects",
                                   "zones:Z-2", "share:Tibetan", "single"}) {
        const std::string name = mode.substr(0, mode.find(':'));
        const Shot s = run_view("layout_" + name, "--lang zh --mode " + mode);
        INFO("mode " << mode << ", sidecar " << s.meta.dump());
        const auto& cv = s.meta["canvas"];
        const double cx0 = cv[0].get<double>(), cy0 = cv[1].get<double>();
        const double cx1 = cx0 + cv[2].get<double>(), cy1 = cy0 + cv[3].get<double>();
        // The map keeps most of the window.
        CHECK(cv[2].get<double>() >= 1280.0 / 3);
        CHECK(cv[3].get<double>() >= 800.0 / 2);
        std::set<std::string> names;
        for (const auto& win : s.meta["windows"]) {
            const auto& r = win["rect"];
            const double x0 = r[0].get<double>(), y0 = r[1].get<double>();
            const double x1 = x0 + r[2].get<double>(), y1 = y0 + r[3].get<double>();
            const double ox = std::min(x1, cx1) - std::max(x0, cx0), oy = std::min(y1, cy1) - std::max(y0, cy0);
            INFO("window " << win.dump());
            CHECK_FALSE((ox > 0.5 && oy > 0.5));
            names.insert(win["name"].get<std::string>());
        }
        CHECK(names.count("sidebar") == 1);
        CHECK(names.count("right_panel") == 1);
        CHECK(names.count("splitter_left") == 1);
        if (name == "lisa") CHECK(names.count("scatter") == 1);
        if (name == "zones") CHECK(names.count("plan_zone") == 1);  // the zone tab in front
        // Fit uses the free area: the boundary lies inside the canvas.
        hq::view::Camera cam = s.camera_from_canvas();
        cam.center = {s.meta["camera"]["center"][0].get<double>(), s.meta["camera"]["center"][1].get<double>()};
        cam.scale = s.meta["camera"]["scale"].get<double>();
        const Vec2 a = cam.world_to_screen({boundary.minx, boundary.miny});
        const Vec2 b = cam.world_to_screen({boundary.maxx, boundary.maxy});
        CHECK(std::min(a.x, b.x) >= cx0 - 1);
        CHECK(std::max(a.x, b.x) <= cx1 + 1);
        CHECK(std::min(a.y, b.y) >= cy0 - 1);
        CHECK(std::max(a.y, b.y) <= cy1 + 1);
    }
}

// The UI scale: at --ui-scale 1.5 the text is 24 px (16 px at 100 %, ≥ 12 px) and the docked
// layout still leaves the map free.
TEST_CASE("screenshot: a larger UI scale keeps the map free", "[view][gui][layout][scale]") {
    hq::test::require_xvfb();
    const Shot s = run_view("scale", "--lang zh --mode lisa:Tibetan --ui-scale 1.5");
    INFO(s.meta.dump());
    CHECK_THAT(s.meta["font_px"].get<double>(), Catch::Matchers::WithinAbs(24.0, 1e-9));
    const auto& cv = s.meta["canvas"];
    for (const auto& win : s.meta["windows"]) {
        const auto& r = win["rect"];
        const double ox = std::min(r[0].get<double>() + r[2].get<double>(), cv[0].get<double>() + cv[2].get<double>()) -
                          std::max(r[0].get<double>(), cv[0].get<double>());
        const double oy = std::min(r[1].get<double>() + r[3].get<double>(), cv[1].get<double>() + cv[3].get<double>()) -
                          std::max(r[1].get<double>(), cv[1].get<double>());
        INFO("window " << win.dump());
        CHECK_FALSE((ox > 0.5 && oy > 0.5));
    }
    const Shot base = run_view("scale1", "--lang zh --mode lisa:Tibetan");
    CHECK_THAT(base.meta["font_px"].get<double>(), Catch::Matchers::WithinAbs(16.0, 1e-9));
}

// [SECTION] Issue 13: outlines, fills, extents ------------------------------------------------

namespace {

/// Where the camera of a screenshot is (its sidecar: canvas, centre, scale).
hq::view::Camera shot_camera(const Shot& s) {
    hq::view::Camera cam = s.camera_from_canvas();
    cam.center = {s.meta["camera"]["center"][0].get<double>(), s.meta["camera"]["center"][1].get<double>()};
    cam.scale = s.meta["camera"]["scale"].get<double>();
    return cam;
}

/// "--extent LON0,LAT0,LON1,LAT1" of a metric box of Shuhan (UTM 48N).
std::string extent_arg(const hq::Box& metric) {
    const hq::Transformer t(shuhan().metric_crs, hq::Crs::wgs84());
    const Vec2 a = t.apply(Vec2{metric.minx, metric.miny}), b = t.apply(Vec2{metric.maxx, metric.maxy});
    char buf[160];
    std::snprintf(buf, sizeof buf, " --extent %.7f,%.7f,%.7f,%.7f", a.x, a.y, b.x, b.y);
    return buf;
}

/// Inside a drawn label's box (the sidecar's "labels"), grown by `pad` pixels.
bool in_label(const Shot& s, double x, double y, double pad) {
    for (const auto& l : s.meta["labels"]) {
        const auto& r = l["rect"];
        if (x >= r[0].get<double>() - pad && y >= r[1].get<double>() - pad &&
            x <= r[0].get<double>() + r[2].get<double>() + pad && y <= r[1].get<double>() + r[3].get<double>() + pad)
            return true;
    }
    return false;
}

/// The grey of an outline (courtyards 150, streets 120/150) as against the LISA fills
/// (240 grey, red, blue, light red, light blue) and the dark label text.
bool outline_pixel(const unsigned char* p) {
    const int hi = std::max({p[0], p[1], p[2]}), lo = std::min({p[0], p[1], p[2]});
    const int lum = luminance(p);
    return hi - lo <= 24 && lum >= 90 && lum <= 205;
}

struct EdgeCoverage {
    int samples = 0, covered = 0;
    [[nodiscard]] double share() const { return samples ? static_cast<double>(covered) / samples : 0.0; }
};

/// Samples every courtyard edge every 2 screen pixels: a sample counts when it is on the
/// canvas, 3 px from its border, not under a window, the title, a label, a venue symbol or a
/// zone; it is covered when an outline pixel lies within 1 px of it.
EdgeCoverage courtyard_edge_coverage(const Shot& s) {
    const hq::view::Camera cam = shot_camera(s);
    const hq::Project& p = shuhan();
    const hq::Layer& units = *p.layer(hq::Role::Units);
    std::vector<Vec2> venues;
    if (const hq::Layer* v = p.layer(hq::Role::Venues))
        for (const auto& g : v->metric)
            for (const Vec2& q : g.points) venues.push_back(cam.world_to_screen(q));
    std::vector<hq::Box> zones;
    if (const hq::Layer* z = p.layer(hq::Role::Zones))
        for (const auto& g : z->metric) {
            const hq::Box b = cam.screen_box(g.bounds());
            zones.push_back({b.minx - 4, b.miny - 4, b.maxx + 4, b.maxy + 4});
        }
    const auto& cv = s.meta["canvas"];
    const double cx0 = cv[0].get<double>() + 3, cy0 = cv[1].get<double>() + 3;
    const double cx1 = cv[0].get<double>() + cv[2].get<double>() - 3, cy1 = cv[1].get<double>() + cv[3].get<double>() - 3;
    EdgeCoverage c;
    for (const hq::Geometry& g : units.metric)
        for (const hq::Polygon& poly : g.polygons)
            for (const hq::Ring& r : poly.rings)
                for (std::size_t i = 0; i + 1 < r.size(); ++i) {
                    const Vec2 a = cam.world_to_screen(r[i]), b = cam.world_to_screen(r[i + 1]);
                    const double len = std::hypot(b.x - a.x, b.y - a.y);
                    for (double t = 1.0; t < len - 1.0; t += 2.0) {
                        const double x = a.x + (b.x - a.x) * t / len, y = a.y + (b.y - a.y) * t / len;
                        if (x < cx0 || y < cy0 || x > cx1 || y > cy1 || s.covered(x, y) || in_label(s, x, y, 1)) continue;
                        if (std::any_of(venues.begin(), venues.end(),
                                        [&](Vec2 v) { return std::hypot(v.x - x, v.y - y) < 11; }))
                            continue;
                        if (std::any_of(zones.begin(), zones.end(), [&](const hq::Box& z) {
                                return x >= z.minx && x <= z.maxx && y >= z.miny && y <= z.maxy;
                            }))
                            continue;
                        ++c.samples;
                        bool hit = false;
                        const int ix = static_cast<int>(std::floor(x)), iy = static_cast<int>(std::floor(y));
                        for (int dy = -1; dy <= 1 && !hit; ++dy)
                            for (int dx = -1; dx <= 1 && !hit; ++dx)
                                hit = s.in_image(ix + dx, iy + dy) && outline_pixel(s.px(ix + dx, iy + dy));
                        c.covered += hit ? 1 : 0;
                    }
                }
    return c;
}

}  // namespace

TEST_CASE("screenshot: courtyard outlines are solid at three zooms", "[view][gui][outline]") {
    hq::test::require_xvfb();
    // Issue 13: the outlines were 0.6 px quads drawn without antialiasing, so only the pixel
    // centres they happened to straddle were lit (≈ 69 % of an edge at the fitted zoom).
    // The fitted view, a quarter of the community, and one courtyard filling the canvas.
    const hq::Layer& units = *shuhan().layer(hq::Role::Units);
    const hq::Box all = [&] {
        hq::Box b;
        for (const auto& g : units.metric) b.expand(g.bounds());
        return b;
    }();
    // The courtyard nearest the middle of the data.
    std::size_t mid = 0;
    double best = 1e300;
    for (std::size_t i = 0; i < units.size(); ++i) {
        const Vec2 c = units.metric[i].bounds().center();
        const double d = std::hypot(c.x - all.center().x, c.y - all.center().y);
        if (d < best) {
            best = d;
            mid = i;
        }
    }
    const hq::Box one = units.metric[mid].bounds();
    const hq::Box quarter = one.inflated(std::max(one.width(), one.height()));
    const std::vector<std::pair<std::string, std::string>> views{
        {"fitted", ""}, {"quarter", extent_arg(quarter)}, {"courtyard", extent_arg(one.inflated(3))}};
    double last_scale = 0;
    for (const auto& [name, extent] : views) {
        const Shot s = run_view("outline_" + name, "--mode lisa:Tibetan --lang en" + extent);
        const double scale = s.meta["camera"]["scale"].get<double>();
        CHECK(scale > last_scale * 1.5);  // three different zooms, each closer
        last_scale = scale;
        const EdgeCoverage c = courtyard_edge_coverage(s);
        INFO(name << ": " << c.covered << " of " << c.samples << " edge samples on an outline pixel (scale " << scale
                  << " px/m)");
        CHECK(c.samples >= 200);
        CHECK(c.share() >= 0.98);
    }
}

TEST_CASE("screenshot: the courtyard fill stands out from the canvas in composition mode", "[view][gui][outline]") {
    hq::test::require_xvfb();
    const Shot s = run_view("composition_fill", "--mode composition --lang en");
    const hq::view::Camera cam = shot_camera(s);
    const hq::Layer& units = *shuhan().layer(hq::Role::Units);
    // The canvas background (244, 242, 238); the unit fill must differ from it by at least
    // 20 levels summed over the channels wherever it shows (pies, labels and windows aside).
    int sampled = 0, visible = 0;
    for (const auto& g : units.metric) {
        const hq::Box bb = g.bounds();
        for (int k = 1; k < 8; ++k) {
            const Vec2 w{bb.minx + bb.width() * k / 8.0, bb.miny + bb.height() * 0.15};  // low in the unit, off the pie
            if (!hq::point_in_polygon(g, w)) continue;
            const Vec2 q = cam.world_to_screen(w);
            const int x = static_cast<int>(q.x), y = static_cast<int>(q.y);
            if (!s.in_image(x, y) || s.covered(x, y) || in_label(s, x, y, 2)) continue;
            const unsigned char* p = s.px(x, y);
            ++sampled;
            visible += std::abs(p[0] - 244) + std::abs(p[1] - 242) + std::abs(p[2] - 238) >= 20 ? 1 : 0;
        }
    }
    INFO(visible << " of " << sampled << " unit samples differ from the canvas background");
    CHECK(sampled >= 60);
    CHECK(visible >= sampled * 95 / 100);
}

TEST_CASE("screenshot: map labels are at least 12 px and never overlap", "[view][gui][labels]") {
    hq::test::require_xvfb();
    for (const char* lang : {"zh", "en"}) {
        const Shot s = run_view(std::string("labels_") + lang, std::string("--mode composition --lang ") + lang);
        const auto& labels = s.meta["labels"];
        INFO(lang << ": " << labels.size() << " labels drawn");
        CHECK(labels.size() >= 10);
        std::vector<hq::Box> boxes;
        for (const auto& l : labels) {
            const auto& r = l["rect"];
            // The box holds the glyphs (≥ 12 px) and a 1.5 px halo on each side.
            CHECK(r[3].get<double>() >= 12.0 + 3.0 - 1e-3);
            boxes.push_back({r[0].get<double>(), r[1].get<double>(), r[0].get<double>() + r[2].get<double>(),
                             r[1].get<double>() + r[3].get<double>()});
        }
        for (std::size_t i = 0; i < boxes.size(); ++i)
            for (std::size_t j = i + 1; j < boxes.size(); ++j) {
                const hq::Box& a = boxes[i];
                const hq::Box& b = boxes[j];
                INFO(labels[i]["text"].get<std::string>() << " / " << labels[j]["text"].get<std::string>());
                CHECK_FALSE((a.minx < b.maxx && b.minx < a.maxx && a.miny < b.maxy && b.miny < a.maxy));
            }
    }
}

TEST_CASE("screenshot: the plan's zones show, outlined and labelled, in composition mode", "[view][gui][zones]") {
    hq::test::require_xvfb();
    const hq::Layer* zones = shuhan().layer(hq::Role::Zones);
    REQUIRE(zones != nullptr);
    REQUIRE(zones->size() >= 2);
    // The view on the zones (20 m around them), so their edges span enough pixels to sample
    // beside the docked panels.
    hq::Box zb;
    for (const auto& g : zones->metric) zb.expand(g.bounds());
    const Shot s = run_view("zones_composition", "--mode composition --lang en" + extent_arg(zb.inflated(20)));
    const hq::view::Camera cam = shot_camera(s);
    // The zone outline (230, 81, 0), 2 px: within 1 px of every sampled edge point.
    auto orange = [](const unsigned char* p) { return std::abs(p[0] - 230) <= 12 && std::abs(p[1] - 81) <= 14 && p[2] <= 14; };
    // Pies (radius ≤ 16 px, on the units' points on surface) and venue symbols are drawn above.
    std::vector<std::pair<Vec2, double>> above;
    for (const auto& g : shuhan().layer(hq::Role::Units)->metric) above.emplace_back(cam.world_to_screen(hq::point_on_surface(g)), 17.0);
    for (const auto& g : shuhan().layer(hq::Role::Venues)->metric)
        for (const Vec2& q : g.points) above.emplace_back(cam.world_to_screen(q), 10.0);
    int samples = 0, hits = 0;
    for (const auto& g : zones->metric)
        for (const auto& poly : g.polygons)
            for (const auto& r : poly.rings)
                for (std::size_t i = 0; i + 1 < r.size(); ++i) {
                    const Vec2 a = cam.world_to_screen(r[i]), b = cam.world_to_screen(r[i + 1]);
                    const double len = std::hypot(b.x - a.x, b.y - a.y);
                    for (double t = 0.5; t < len; t += 1.5) {
                        const double x = a.x + (b.x - a.x) * t / len, y = a.y + (b.y - a.y) * t / len;
                        if (!s.in_image(static_cast<int>(x), static_cast<int>(y)) || s.covered(x, y) || in_label(s, x, y, 1))
                            continue;
                        if (std::any_of(above.begin(), above.end(), [&](const auto& o) {
                                return std::hypot(o.first.x - x, o.first.y - y) < o.second;
                            }))
                            continue;
                        ++samples;
                        bool hit = false;
                        for (int dy = -1; dy <= 1 && !hit; ++dy)
                            for (int dx = -1; dx <= 1 && !hit; ++dx)
                                hit = s.in_image(static_cast<int>(x) + dx, static_cast<int>(y) + dy) &&
                                      orange(s.px(static_cast<int>(x) + dx, static_cast<int>(y) + dy));
                        hits += hit ? 1 : 0;
                    }
                }
    INFO(hits << " of " << samples << " zone edge samples orange");
    CHECK(samples >= 100);
    CHECK(hits >= samples * 95 / 100);
    // Each zone's name is among the labels drawn.
    for (std::size_t i = 0; i < zones->size(); ++i) {
        const int f = zones->table.field_index("name_en");
        REQUIRE(f >= 0);
        const std::string name = hq::value_to_string(zones->table.rows[i][static_cast<std::size_t>(f)]);
        bool found = false;
        for (const auto& l : s.meta["labels"]) found = found || l["text"].get<std::string>() == name;
        INFO("zone label " << name);
        CHECK(found);
    }
}

TEST_CASE("extent (--extent): the viewer's screenshot and `huqian export` agree on the unit colours", "[view][gui][export][extent]") {
    hq::test::require_xvfb();
    // A box of about a third of the community around its middle courtyard, dominant map.
    const hq::Layer& units = *shuhan().layer(hq::Role::Units);
    hq::Box all;
    for (const auto& g : units.metric) all.expand(g.bounds());
    const hq::Box box{all.center().x - all.width() / 5, all.center().y - all.height() / 5, all.center().x + all.width() / 5,
                      all.center().y + all.height() / 5};
    const std::string extent = extent_arg(box);
    const Shot s = run_view("extent_dominant", "--mode dominant --lang en" + extent);
    const hq::view::Camera cam = shot_camera(s);
    hq::test::TempDir tmp;
    const std::string png = tmp.file("extent.png"), log = tmp.file("export.log");
    const std::string cmd = "cd '" + hq::test::source_dir() + "' && '" HUQIAN_EXE "' export data/shuhan --map dominant --lang en --dpi 100" +
                            extent + " -o '" + png + "' > '" + log + "' 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
    const hq::exporter::Image img = hq::exporter::read_png(png);
    // The page's map transform for the same request and extent, as the CLI made it.
    auto project = std::make_shared<const hq::Project>(hq::load_project(hq::test::shuhan()));
    hq::carto::MapRequest req = hq::carto::parse_map_kind("dominant");
    req.lang = hq::carto::Lang::En;
    hq::carto::Scene scene = hq::carto::build_scene(project, req);
    const std::string e = extent.substr(extent.find_last_of(' ') + 1);
    scene.extent = hq::carto::lonlat_extent_to_metric(*project, hq::carto::parse_lonlat_extent(e));
    const hq::exporter::Layout layout = hq::exporter::make_layout(scene, hq::exporter::Template::A4Landscape);
    const auto [compared, same] = compare_unit_colours(
        s, cam, img, [&](Vec2 p) { return layout.to_pixels(p, 100); },
        [&](Vec2 p, double x, double y) { return box.contains(p) && (x < 0 || !in_label(s, x, y, 2)); });
    INFO("units compared: " << compared);
    CHECK(compared >= 4);
    CHECK(same == compared);
}

TEST_CASE("extent (--extent): a bad box is a usage error with a message, on view and export", "[view][extent]") {
    hq::test::TempDir tmp;
    const std::string log = tmp.file("bad.log");
    const std::vector<std::pair<std::string, std::string>> bad{{"104.04,30.64,104.03,30.65", "LON0 must be less than LON1"},
                                                               {"104.04,30.64,104.05", "four numbers"},
                                                               {"104.04,30.64,east,30.65", "\"east\" is not a number"},
                                                               {"104.04,95,104.05,96", "latitude 95"}};
    for (const auto& [extent, message] : bad)
        for (const char* sub : {"view data/shuhan --screenshot x.png", "export data/shuhan --map dominant -o x.png"}) {
            const std::string cmd = "cd '" + hq::test::source_dir() + "' && env -u DISPLAY '" HUQIAN_EXE "' " + sub +
                                    " --extent '" + extent + "' > '" + log + "' 2>&1";
            const int status = std::system(cmd.c_str());
            std::ifstream lf(log);
            std::stringstream out;
            out << lf.rdbuf();
            INFO(cmd << "\n" << out.str());
            REQUIRE(WIFEXITED(status));
            CHECK(WEXITSTATUS(status) == 2);
            CHECK(out.str().find(message) != std::string::npos);
        }
}
