// The Weights type, contiguity on hand-made polygons, point-based weights on hand-made
// points. Every expected value is worked out by hand in the comment beside it.
#include <catch2/catch.hpp>

#include <cmath>

#include "geo/core/error.hpp"
#include "geo/io/layer.hpp"
#include "geo/stats/segregation_spatial.hpp"
#include "geo/weights/contiguity.hpp"
#include "geo/weights/distance.hpp"
#include "geo/weights/spec.hpp"
#include "geo/weights/weights.hpp"

using hq::Weights;

namespace {

hq::Geometry rect(double x0, double y0, double x1, double y1) {
    return hq::Geometry::polygon({{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}});
}

std::vector<std::uint32_t> row(const Weights& w, std::size_t i) {
    const auto r = w.row(i);
    return {r.begin(), r.end()};
}

using V = std::vector<std::uint32_t>;

}  // namespace

TEST_CASE("Weights: from_lists sorts, deduplicates and reports islands") {
    const Weights w = Weights::from_lists({{2, 1, 2}, {0}, {0}, {}});
    w.validate();
    CHECK(row(w, 0) == V{1, 2});
    CHECK(w.islands() == std::vector<std::size_t>{3});
    const auto s = w.stats();
    CHECK(s.islands == 1);
    CHECK(s.links == 4);
    CHECK(s.min_neighbours == 0);
    CHECK(s.max_neighbours == 2);
    CHECK_THAT(s.mean_neighbours, Catch::Matchers::WithinRel(1.0, 1e-12));
    CHECK(s.symmetric);
}

TEST_CASE("Weights: S0, S1, S2 of an asymmetric matrix") {
    // w01 = 1, w02 = 2, w10 = 3, w21 = 4.
    // S0 = 10. S1 = ½ Σ (w_ij + w_ji)²: pair {0,1}: (1+3)² twice → 16; {0,2}: (2+0)² twice → 4;
    // {1,2}: (0+4)² twice → 16; S1 = 36. Row sums 3, 3, 4; column sums 3, 5, 2;
    // S2 = 6² + 8² + 6² = 136.
    const Weights w = Weights::from_lists({{1, 2}, {0}, {1}}, {{1, 2}, {3}, {4}}, hq::WeightsStyle::General);
    const auto c = w.constants();
    CHECK(c.s0 == 10.0);
    CHECK(c.s1 == 36.0);
    CHECK(c.s2 == 136.0);
    CHECK_FALSE(w.stats().symmetric);
}

TEST_CASE("Weights: row standardisation, symmetrisation, transpose, self links") {
    const Weights w = Weights::from_lists({{1, 2}, {0}, {1}, {}}, {{1, 3}, {2}, {4}, {}}, hq::WeightsStyle::General);
    const Weights r = w.row_standardised();
    CHECK(r.weight(0, 1) == 0.25);
    CHECK(r.weight(0, 2) == 0.75);
    CHECK(r.weight(1, 0) == 1.0);
    CHECK(r.cardinality(3) == 0);  // islands stay empty
    CHECK(r.style == hq::WeightsStyle::RowStandardised);

    // Union of links, value max(w_ij, w_ji): (0,1): max(1,2) = 2; (0,2): 3 both ways; (1,2): 4.
    const Weights s = w.symmetrised();
    CHECK(row(s, 0) == V{1, 2});
    CHECK(row(s, 1) == V{0, 2});
    CHECK(row(s, 2) == V{0, 1});
    CHECK(s.weight(0, 1) == 2.0);
    CHECK(s.weight(1, 0) == 2.0);
    CHECK(s.weight(2, 0) == 3.0);
    CHECK(s.weight(1, 2) == 4.0);
    CHECK(s.stats().symmetric);

    const Weights t = w.transposed();
    CHECK(t.weight(1, 0) == 1.0);
    CHECK(t.weight(0, 1) == 2.0);
    CHECK(t.weight(1, 2) == 4.0);

    const Weights ws = w.with_self();
    CHECK(row(ws, 3) == V{3});
    CHECK(ws.weight(0, 0) == 1.0);
    CHECK(ws.has_self_neighbours());
    CHECK_FALSE(w.has_self_neighbours());

    const std::vector<double> x{1, 10, 100, 1000};
    const auto lag = w.lag(x);
    CHECK(lag == std::vector<double>{1 * 10 + 3 * 100, 2 * 1, 4 * 10, 0});
}

TEST_CASE("Weights: row standardisation refuses a zero row sum") {
    const Weights w = Weights::from_lists({{1}, {0}}, {{0.0}, {1.0}}, hq::WeightsStyle::General);
    CHECK_THROWS_AS(w.row_standardised(), hq::InputError);
}

TEST_CASE("Contiguity: 2x2 grid, queen vs rook") {
    // Cells 0 (0,0) 1 (1,0) 2 (0,1) 3 (1,1): queen = every pair (diagonals touch at the
    // centre); rook = the four edge-sharing pairs.
    const std::vector<hq::Geometry> g{rect(0, 0, 1, 1), rect(1, 0, 2, 1), rect(0, 1, 1, 2), rect(1, 1, 2, 2)};
    const Weights q = hq::contiguity_weights(g, {.kind = hq::ContiguityKind::Queen});
    const Weights r = hq::contiguity_weights(g, {.kind = hq::ContiguityKind::Rook});
    CHECK(row(q, 0) == V{1, 2, 3});
    CHECK(row(q, 3) == V{0, 1, 2});
    CHECK(row(r, 0) == V{1, 2});
    CHECK(row(r, 1) == V{0, 3});
    CHECK(row(r, 3) == V{1, 2});
}

TEST_CASE("Contiguity: T-junctions, point contacts, islands and the snapping tolerance") {
    // 0: bottom rectangle [0,2]x[0,1] (no vertex at (1,1)).
    // 1, 2: squares on top of it, [0,1]x[1,2] and [1,2]x[1,2]: each shares a segment of length 1
    //       with 0 but no identical edge (T-junction at (1,1)) → rook and queen with 0.
    // 3: [2,3]x[-1,0] touches 0 only at the corner (2,0) → queen, not rook.
    // 4: triangle whose apex (0.5,0) lies inside 0's bottom edge → queen, not rook; no shared vertex.
    // 5: [2.0004,3]x[0,1]: 0.0004 away from 0's right edge; shares the segment y=0, x in [2.0004,3]
    //    with 3 → rook with 3. With a tolerance of 0.001 it also becomes 0's rook neighbour.
    // 6: far away → island.
    const std::vector<hq::Geometry> g{
        rect(0, 0, 2, 1),
        rect(0, 1, 1, 2),
        rect(1, 1, 2, 2),
        rect(2, -1, 3, 0),
        hq::Geometry::polygon({{0.5, 0}, {0.3, -1}, {0.7, -1}, {0.5, 0}}),
        rect(2.0004, 0, 3, 1),
        rect(10, 10, 11, 11),
    };
    for (unsigned threads : {1u, 2u}) {
        const Weights q = hq::contiguity_weights(g, {.kind = hq::ContiguityKind::Queen, .threads = threads});
        CHECK(row(q, 0) == V{1, 2, 3, 4});
        CHECK(row(q, 1) == V{0, 2});
        CHECK(row(q, 3) == V{0, 5});
        CHECK(row(q, 4) == V{0});
        CHECK(row(q, 5) == V{3});
        CHECK(q.islands() == std::vector<std::size_t>{6});
        const Weights r = hq::contiguity_weights(g, {.kind = hq::ContiguityKind::Rook, .threads = threads});
        CHECK(row(r, 0) == V{1, 2});
        CHECK(row(r, 1) == V{0, 2});
        CHECK(row(r, 3) == V{5});
        CHECK(row(r, 4).empty());
    }
    const Weights qt = hq::contiguity_weights(g, {.kind = hq::ContiguityKind::Queen, .tolerance = 0.001});
    CHECK(row(qt, 0) == V{1, 2, 3, 4, 5});
    const Weights rt = hq::contiguity_weights(g, {.kind = hq::ContiguityKind::Rook, .tolerance = 0.001});
    CHECK(row(rt, 0) == V{1, 2, 5});
    CHECK(row(rt, 5) == V{0, 3});
}

TEST_CASE("Contiguity: refuses points and bad tolerances") {
    const std::vector<hq::Geometry> g{rect(0, 0, 1, 1), hq::Geometry::point({3, 3})};
    CHECK_THROWS_AS(hq::contiguity_weights(g), hq::InputError);
    const std::vector<hq::Geometry> ok{rect(0, 0, 1, 1)};
    CHECK_THROWS_AS(hq::contiguity_weights(ok, {.tolerance = -1}), hq::InputError);
    CHECK(hq::contiguity_weights(ok).islands() == std::vector<std::size_t>{0});
    CHECK(hq::contiguity_weights({}).n == 0);
}

TEST_CASE("k-nearest neighbours: asymmetric, ties by smaller id") {
    // Points on a line at x = 0, 1, 3, 6, 10.
    // k = 2: 0 → {1 (d1), 2 (d3)}; 1 → {0 (1), 2 (2)}; 2 → {1 (2), then 0 and 3 tie at 3: 0};
    // 3 → {2 (3), 4 (4)}; 4 → {3 (4), 2 (7)}.
    const std::vector<hq::Vec2> p{{0, 0}, {1, 0}, {3, 0}, {6, 0}, {10, 0}};
    const Weights w = hq::knn_weights(p, 2);
    CHECK(row(w, 0) == V{1, 2});
    CHECK(row(w, 1) == V{0, 2});
    CHECK(row(w, 2) == V{0, 1});
    CHECK(row(w, 3) == V{2, 4});
    CHECK(row(w, 4) == V{2, 3});
    CHECK_FALSE(w.stats().symmetric);
    CHECK_THROWS_AS(hq::knn_weights(p, 5), hq::InputError);  // k >= n
    CHECK_THROWS_AS(hq::knn_weights(p, 0), hq::InputError);
    CHECK(hq::knn_weights(p, 4).stats().min_neighbours == 4);
}

TEST_CASE("Distance band: inclusive threshold, inverse distance, everyone alone") {
    const std::vector<hq::Vec2> p{{0, 0}, {1, 0}, {3, 0}, {6, 0}, {10, 0}};
    // threshold 2: 0–1 (1), 1–2 (2, included); 3 and 4 alone.
    const Weights b = hq::distance_band_weights(p, {.threshold = 2});
    CHECK(row(b, 0) == V{1});
    CHECK(row(b, 1) == V{0, 2});
    CHECK(row(b, 2) == V{1});
    CHECK(b.islands() == std::vector<std::size_t>{3, 4});
    // Inverse distance, power 2: w_12 = 1/4.
    const Weights inv = hq::distance_band_weights(p, {.threshold = 2, .binary = false, .power = 2});
    CHECK(inv.weight(1, 2) == 0.25);
    CHECK(inv.weight(0, 1) == 1.0);
    // A band shorter than every distance: all islands, not an error here.
    const Weights none = hq::distance_band_weights(p, {.threshold = 0.5});
    CHECK(none.islands().size() == 5);
    // Coincident points with inverse distance: infinite weight → error.
    const std::vector<hq::Vec2> dup{{0, 0}, {0, 0}, {1, 1}};
    CHECK_THROWS_AS(hq::distance_band_weights(dup, {.threshold = 1, .binary = false}), hq::InputError);
    const std::vector<hq::Vec2> nan{{0, 0}, {NAN, 0}};
    CHECK_THROWS_AS(hq::distance_band_weights(nan, {.threshold = 1}), hq::InputError);
}

TEST_CASE("Kernel weights: hand values on a line") {
    const std::vector<hq::Vec2> p{{0, 0}, {1, 0}, {3, 0}, {6, 0}, {10, 0}};
    // Fixed bandwidth 4, triangular: unit 1 sees 0 (d1 → 0.75), itself (1), 2 (d2 → 0.5);
    // unit 3 (x=6) sees 2 (d3 → 0.25), itself, 4 (d4 → 0: on the boundary, included with 0).
    const hq::Weights w = hq::kernel_weights(p, {.function = hq::KernelFunction::Triangular, .bandwidth = 4});
    CHECK(row(w, 1) == V{0, 1, 2});
    CHECK(w.weight(1, 0) == 0.75);
    CHECK(w.weight(1, 1) == 1.0);
    CHECK(w.weight(1, 2) == 0.5);
    CHECK(w.weight(3, 2) == 0.25);
    CHECK(row(w, 3) == V{2, 3, 4});
    // Adaptive, k = 1: h_i = d(i, nearest) × 1.0000001; unit 4's nearest is 3 at 4.
    // Uniform kernel: all 0.5 (libpysal), itself included.
    const hq::Weights a =
        hq::kernel_weights(p, {.function = hq::KernelFunction::Uniform, .adaptive = true, .k = 1});
    CHECK(row(a, 4) == V{3, 4});
    CHECK(a.weight(4, 3) == 0.5);
    // Epanechnikov (libpysal "quadratic") with the diagonal set to 1.
    const hq::Weights d = hq::kernel_weights(
        p, {.function = hq::KernelFunction::Epanechnikov, .bandwidth = 2, .diagonal_one = true});
    CHECK(d.weight(0, 0) == 1.0);
    CHECK_THAT(d.weight(0, 1), Catch::Matchers::WithinRel(0.75 * (1 - 0.25), 1e-12));
    // Gaussian at z = 0.5: exp(-1/8)/sqrt(2π).
    CHECK_THAT(hq::kernel_value(hq::KernelFunction::Gaussian, 0.5), Catch::Matchers::WithinRel(std::exp(-0.125) / std::sqrt(2 * M_PI), 1e-12));
    CHECK_THAT(hq::kernel_value(hq::KernelFunction::Quartic, 0.5), Catch::Matchers::WithinRel(15.0 / 16 * 0.75 * 0.75, 1e-12));
    CHECK_THROWS_AS(hq::kernel_function_from_name("cosine"), hq::InputError);
    CHECK(hq::kernel_function_from_name("quadratic") == hq::KernelFunction::Epanechnikov);
    CHECK_THROWS_AS(hq::kernel_weights(p, {.adaptive = true, .k = 5}), hq::InputError);
}


TEST_CASE("Weights specs: parsing and errors") {
    using K = hq::WeightsSpec::Kind;
    CHECK(hq::parse_weights_spec("queen").kind == K::Queen);
    CHECK(hq::parse_weights_spec("rook:0.5").tolerance == 0.5);
    CHECK(hq::parse_weights_spec("knn:6").k == 6);
    const auto d = hq::parse_weights_spec("distance:800:inverse:2");
    CHECK(d.kind == K::Distance);
    CHECK(d.distance == 800);
    CHECK(d.inverse);
    CHECK(d.power == 2);
    const auto k = hq::parse_weights_spec("kernel:gaussian:500");
    CHECK(k.kind == K::Kernel);
    CHECK(k.kernel == hq::KernelFunction::Gaussian);
    CHECK(k.distance == 500);
    const auto ka = hq::parse_weights_spec("kernel:quartic:knn:8");
    CHECK(ka.adaptive);
    CHECK(ka.k == 8);
    CHECK(hq::parse_weights_spec("gal:C:/data/w.gal").file == "C:/data/w.gal");
    for (const char* bad : {"", "queens", "knn", "knn:0", "knn:x", "distance", "distance:-1", "distance:5:idw",
                            "kernel:cosine:5", "kernel:uniform", "kernel:uniform:0", "gal:", "queen:-1"}) {
        INFO(bad);
        CHECK_THROWS_AS(hq::parse_weights_spec(bad), hq::InputError);
    }
}

TEST_CASE("Weights: without_self drops only the diagonal") {
    const Weights w = Weights::from_lists({{0, 1}, {0, 1}}, {{5, 2}, {3, 7}}, hq::WeightsStyle::General);
    const Weights s = hq::without_self(w);
    CHECK(row(s, 0) == V{1});
    CHECK(s.weight(0, 1) == 2);
    CHECK(s.weight(1, 0) == 3);
}

TEST_CASE("a GEOS error on feature i of file F names F, i and the feature's id", "[weights][geos]") {
    // A layer as read from "units.geojson": two squares and a feature whose ring is not closed,
    // which GEOS refuses (it needs at least 4 points, first = last).
    hq::Layer l;
    l.table.name = "units";
    l.table.path = "units.geojson";
    l.ids = {"A", "B", "C"};
    l.geom_type = hq::GeomType::Polygon;
    for (int i = 0; i < 2; ++i) {
        const double x = i;
        l.metric.push_back(hq::Geometry::polygon({{x, 0}, {x + 1, 0}, {x + 1, 1}, {x, 1}, {x, 0}}));
    }
    hq::Geometry open;
    open.type = hq::GeomType::Polygon;
    open.polygons.push_back(hq::Polygon{{{{3, 0}, {4, 0}, {4, 1}}}});
    l.metric.push_back(open);
    l.display = l.metric;
    l.table.rows.resize(3);
    const std::string where = "units.geojson: layer units: feature 2 (id \"C\")";
    auto message_of = [](auto&& f) {
        try {
            f();
        } catch (const hq::InputError& e) {
            return std::string(e.what());
        }
        return std::string("no InputError");
    };
    // Distance-based weights take the feature's GEOS centroid.
    const std::string knn = message_of([&] { (void)hq::resolve_weights(hq::parse_weights_spec("knn:1"), l); });
    CHECK(knn.rfind(where, 0) == 0);
    CHECK(knn.find("GEOS: invalid ring") != std::string::npos);
    // Contiguity builds every feature's GEOS geometry.
    const std::string queen = message_of([&] { (void)hq::resolve_weights(hq::parse_weights_spec("queen"), l); });
    CHECK(queen.rfind(where, 0) == 0);
    CHECK(queen.find("GEOS: invalid ring") != std::string::npos);
    // Any computation on the layer's geometries, wrapped once at the layer.
    const std::string lengths = message_of([&] {
        hq::with_layer_context(l, [&] { return hq::seg::shared_boundary_weights(l.metric); });
    });
    CHECK(lengths.rfind(where, 0) == 0);
    CHECK(lengths.find("GEOS: invalid ring") != std::string::npos);
}
