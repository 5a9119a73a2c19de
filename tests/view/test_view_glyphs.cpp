// The viewer's composition glyphs: the mesh draws a pie or a stacked bar as the scene says
// (the same geometry as app/export/render.cpp: a bar is 2r tall and r wide, the largest
// share at the bottom).
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>

#include "app/carto/scene.hpp"
#include "app/view/mesh.hpp"
#include "geo/project/project.hpp"
#include "tests/test_support.hpp"

using Catch::Matchers::WithinAbs;

using namespace hq;
using namespace hq::view;

namespace {

const MeshBatch* find_batch(const MapMesh& m, const std::string& key) {
    for (const MeshBatch& b : m.batches)
        if (b.key == key) return &b;
    return nullptr;
}

}  // namespace

TEST_CASE("composition glyphs in the mesh: pies reach r sideways, bars r/2, stacked from the bottom",
          "[view][glyph]") {
    const auto project = std::make_shared<const Project>(load_project(test::shuhan()));
    carto::MapRequest req = carto::parse_map_kind("composition");
    carto::Scene pies = carto::build_scene(project, req);
    req.glyph = carto::GlyphStyle::Bar;
    carto::Scene bars = carto::build_scene(project, req);
    // One glyph per scene keeps the geometry checks exact.
    REQUIRE(!pies.pies.empty());
    pies.pies.resize(1);
    bars.pies.resize(1);
    const carto::PieGlyph& g = bars.pies.front();
    REQUIRE(g.slices.size() >= 2);
    const float r = g.radius_px;
    TessCache cache;
    cache.reset_for(project, pies.pies.front().center);
    const MapMesh pm = build_mesh(pies, cache);
    const MapMesh bm = build_mesh(bars, cache);
    const MeshBatch* pb = find_batch(pm, "pies");
    const MeshBatch* bb = find_batch(bm, "pies");
    REQUIRE(pb);
    REQUIRE(bb);
    auto max_abs = [](const std::vector<MapVertex>& v, bool x) {
        float m = 0;
        for (const MapVertex& p : v) m = std::max(m, std::abs(x ? p.ox : p.oy));
        return m;
    };
    // Pie: reaches ≈ r (+ 1 px outline) both ways.
    CHECK_THAT(max_abs(pb->symbols, true), WithinAbs(r + 1, 0.05));
    // Bar: r/2 (+ outline) sideways, r (+ outline) up and down.
    CHECK(max_abs(bb->symbols, true) <= r / 2 + 1.0f + 1e-3f);
    CHECK(max_abs(bb->symbols, true) >= r / 2);
    CHECK(max_abs(bb->symbols, false) <= r + 1.0f + 1e-3f);
    // The first slice's two triangles span from the bottom (−r) to −r + 2r·share.
    const std::uint32_t first = pack_color(g.slices.front().second);
    float lo = 1e9f, hi = -1e9f;
    for (std::size_t k = 0; k < 6; ++k) {
        REQUIRE(bb->symbols[k].rgba == first);
        lo = std::min(lo, bb->symbols[k].oy);
        hi = std::max(hi, bb->symbols[k].oy);
    }
    CHECK_THAT(lo, Catch::Matchers::WithinRel(-r, 1e-12));
    CHECK_THAT(hi, Catch::Matchers::WithinRel(-r + 2 * r * g.slices.front().first, 1e-12));
    // 2 triangles per slice plus the outline band (2 per side): fewer than the pie's fan.
    CHECK(bb->symbols.size() == 6 * g.slices.size() + 6 * 4);
}
