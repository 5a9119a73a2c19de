// Neighbour lists and weights on spData's Columbus polygons, against R spdep 1.2-7 and
// libpysal 4.7 (tests/reference/spdep/make_reference.R, make_reference_libpysal.py).
#include <catch2/catch.hpp>

#include "geo/core/error.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/weights/contiguity.hpp"
#include "geo/weights/distance.hpp"
#include "geo/weights/weights_io.hpp"
#include "tests/reference/spdep/reference_data.hpp"
#include "tests/test_support.hpp"

namespace ref = hq::test::ref;

namespace {

const ref::Features& columbus() {
    static const ref::Features f = ref::read_geojson("columbus.geojson");
    return f;
}

void check_same_structure(const hq::Weights& ours, const hq::Weights& theirs) {
    REQUIRE(ours.n == theirs.n);
    for (std::size_t i = 0; i < ours.n; ++i) {
        INFO("unit " << i);
        const auto a = ours.row(i), b = theirs.row(i);
        CHECK(std::vector<std::uint32_t>(a.begin(), a.end()) == std::vector<std::uint32_t>(b.begin(), b.end()));
    }
}

void check_same_values(const hq::Weights& ours, const hq::Weights& theirs, double rel) {
    check_same_structure(ours, theirs);
    for (std::size_t k = 0; k < ours.values.size() && k < theirs.values.size(); ++k) {
        INFO("entry " << k);
        CHECK(ref::close(ours.values[k], theirs.values[k], rel, 1e-15));
    }
}

}  // namespace

TEST_CASE("Columbus: queen and rook equal spdep poly2nb exactly") {
    const auto& f = columbus();
    REQUIRE(f.geometries.size() == 49);
    const std::size_t n = 49;
    for (unsigned threads : {1u, 2u}) {
        const hq::Weights q = hq::contiguity_weights(f.geometries, {.kind = hq::ContiguityKind::Queen, .threads = threads});
        const hq::Weights r = hq::contiguity_weights(f.geometries, {.kind = hq::ContiguityKind::Rook, .threads = threads});
        check_same_structure(q, ref::read_edges("nb_queen.csv", n));
        check_same_structure(r, ref::read_edges("nb_rook.csv", n));
        // libpysal agrees (cross-check of the reference itself).
        check_same_structure(q, ref::read_edges("libpysal_queen.csv", n));
        check_same_structure(r, ref::read_edges("libpysal_rook.csv", n));
        CHECK(q.neighbours.size() == 236);  // spdep: "Number of nonzero links: 236"
    }
}

TEST_CASE("Columbus: knn k=4 and distance band 0.5 equal spdep") {
    const auto pts = ref::read_coords();
    REQUIRE(pts.size() == 49);
    check_same_structure(hq::knn_weights(pts, 4), ref::read_edges("nb_knn4.csv", 49));
    const hq::Weights d = hq::distance_band_weights(pts, {.threshold = 0.5});
    check_same_structure(d, ref::read_edges("nb_dist0.5.csv", 49));
    CHECK(d.islands().size() == 4);  // nearest-neighbour distances 0.523, 0.543, 0.580, 0.619 > 0.5
    // Inverse distance against libpysal DistanceBand(binary=False, alpha=-1).
    check_same_values(hq::distance_band_weights(pts, {.threshold = 0.5, .binary = false, .power = 1}),
                      ref::read_edges("libpysal_dist0.5_inverse.csv", 49), 1e-12);
}

TEST_CASE("Columbus: kernel weights equal libpysal Kernel") {
    const auto pts = ref::read_coords();
    using K = hq::KernelFunction;
    struct Case {
        const char* file;
        hq::KernelOptions opt;
    };
    const std::vector<Case> cases{
        {"libpysal_kernel_fixed_triangular.csv", {.function = K::Triangular, .bandwidth = 1.0}},
        {"libpysal_kernel_fixed_gaussian.csv", {.function = K::Gaussian, .bandwidth = 1.0}},
        {"libpysal_kernel_fixedk_quartic.csv", {.function = K::Quartic, .k = 4}},
        {"libpysal_kernel_adaptive_quadratic.csv", {.function = K::Epanechnikov, .adaptive = true, .k = 4}},
        {"libpysal_kernel_adaptive_uniform.csv", {.function = K::Uniform, .adaptive = true, .k = 4}},
        {"libpysal_kernel_adaptive_triangular_diag.csv",
         {.function = K::Triangular, .adaptive = true, .k = 3, .diagonal_one = true}},
    };
    for (const auto& c : cases) {
        INFO(c.file);
        check_same_values(hq::kernel_weights(pts, c.opt), ref::read_edges(c.file, 49), 1e-12);
    }
}

TEST_CASE("Columbus: centroids agree with sf::st_centroid") {
    // Not a weights test as such: the CLI builds knn/distance weights on hq::centroid.
    const auto& f = columbus();
    const auto pts = ref::read_coords();
    for (std::size_t i = 0; i < pts.size(); ++i) {
        const hq::Vec2 c = hq::centroid(f.geometries[i]);
        INFO("unit " << i << ": " << c.x << " " << c.y << " vs " << pts[i].x << " " << pts[i].y);
        CHECK(ref::close(c.x, pts[i].x, 1e-12));
        CHECK(ref::close(c.y, pts[i].y, 1e-12));
    }
}

TEST_CASE("GAL/GWT: libpysal's files read back as the same weights") {
    const auto& f = columbus();
    const hq::Weights q = hq::contiguity_weights(f.geometries, {.kind = hq::ContiguityKind::Queen});
    const hq::WeightsFile gal = hq::read_weights_file(ref::dir() + "libpysal_queen.gal");
    CHECK(gal.ids.front() == "0");
    std::vector<std::string> layer_ids;
    for (int i = 1; i <= 49; ++i) layer_ids.push_back("cy-" + std::to_string(i));  // ids unknown to the file
    // libpysal writes ids 0..n-1: aligned by position.
    check_same_structure(hq::align_weights(gal, layer_ids, "libpysal_queen.gal"), q);

    // libpysal writes .gwt weights with %6G (6 significant digits).
    const hq::WeightsFile gwt = hq::read_weights_file(ref::dir() + "libpysal_kernel_fixed_triangular.gwt");
    const hq::Weights k = hq::kernel_weights(ref::read_coords(), {.bandwidth = 1.0});
    check_same_values(hq::align_weights(gwt, layer_ids, "x.gwt"), k, 5e-6);
}

TEST_CASE("GAL/GWT: our files round-trip exactly, ids by name") {
    const hq::Weights w = hq::Weights::from_lists({{1, 2}, {0}, {0}, {}}, {{0.1, 1.0 / 3}, {2.5}, {1e-300}, {}},
                                                  hq::WeightsStyle::General);
    const std::vector<std::string> ids{"a", "b", "c", "d"};
    const auto gal = hq::parse_gal(hq::format_gal(w, ids, "units", "cy_id"), "t.gal");
    CHECK(gal.layer == "units");
    CHECK(gal.key == "cy_id");
    CHECK(gal.ids == ids);
    check_same_structure(gal.weights, w);
    // .gwt cannot list the island "d"; it is not a record number, so reading fails clearly.
    CHECK_THROWS_AS(hq::parse_gwt(hq::format_gwt(w, ids, "units", "cy_id"), "t.gwt"), hq::InputError);
}

TEST_CASE("GAL/GWT: islands in .gwt are recovered when ids are record numbers") {
    const hq::Weights w = hq::Weights::from_lists({{1, 2}, {0}, {0}, {}}, {{0.1, 1.0 / 3}, {2.5}, {1e-300}, {}},
                                                  hq::WeightsStyle::General);
    const auto ids = hq::default_ids(4);
    const auto back = hq::parse_gwt(hq::format_gwt(w, ids), "t.gwt");
    const hq::Weights a = hq::align_weights(back, ids, "t.gwt");
    CHECK(a == w);  // values exact with %.17g
    // Reordered layer ids: aligned by name.
    const std::vector<std::string> rev{"4", "3", "2", "1"};
    const hq::Weights r = hq::align_weights(back, rev, "t.gwt");
    CHECK(r.weight(3, 2) == 0.1);  // layer row 3 is id "1", its neighbour id "2" is layer row 2
}

TEST_CASE("GAL/GWT: malformed files are clear InputErrors") {
    auto gal_throws = [](const std::string& text, const std::string& needle) {
        INFO(text);
        try {
            hq::parse_gal(text, "bad.gal");
            FAIL("no exception");
        } catch (const hq::InputError& e) {
            CHECK_THAT(e.what(), Catch::Contains("bad.gal"));
            CHECK_THAT(e.what(), Catch::Contains(needle));
        }
    };
    gal_throws("", "empty");
    gal_throws("x\n", "bad header");
    gal_throws("2\n1 1\n2\n", "declares 2 units but the file has 1");
    gal_throws("1\n1 0\n\n2 0\n\n", "more records");
    gal_throws("2\n1 x\n2\n2 1\n1\n", "bad neighbour count");
    gal_throws("2\n1 2\n2\n", "file ends first");
    // A count near 2^64 once wrapped the bounds check and read past the tokens (fuzz_weights).
    gal_throws("2\n1 18446744073709551615\n2\n", "declares 18446744073709551615 neighbours but the file ends first");
    gal_throws("2\n1 18446744073709551614\n2\n", "file ends first");
    gal_throws("2\n1 1\n3\n2 1\n1\n", "unknown neighbour '3'");
    gal_throws("2\n1 1\n2\n1 1\n2\n", "duplicate id");
    gal_throws("3\n1 2\n2 2\n2 1\n1\n3 0\n\n", "twice");
    auto gwt_throws = [](const std::string& text, const std::string& needle) {
        INFO(text);
        try {
            hq::parse_gwt(text, "bad.gwt");
            FAIL("no exception");
        } catch (const hq::InputError& e) {
            CHECK_THAT(e.what(), Catch::Contains(needle));
        }
    };
    gwt_throws("0 2 x id\n1 2\n", "expected 'id neighbour weight'");
    gwt_throws("0 2 x id\n1 2 abc\n", "bad weight");
    gwt_throws("0 2 x id\n1 2 nan\n", "bad weight");
    gwt_throws("0 1 x id\n1 2 1\n", "declares 1 units");
    gwt_throws("0 3 x id\na b 1\nb a 1\n", "islands cannot be placed");
    gwt_throws("0 2 x id\n1 2 1\n1 2 1\n", "appears twice");
    // Found by fuzz_weights: ids "00" and "0" were both taken as record 0, and the islands
    // filled in gave 5 ids for 4 units (a file whose ids did not match its rows).
    gwt_throws("0 4 x id\n00 1 1\n0 1 1\n", "islands cannot be placed");
    CHECK_THROWS_AS(hq::read_weights_file("/nonexistent/w.gal"), hq::InputError);
    CHECK_THROWS_AS(hq::read_weights_file(ref::dir() + "coords.csv"), hq::InputError);
    // Writing ids with spaces is refused.
    const hq::Weights w = hq::Weights::from_lists({{1}, {0}});
    CHECK_THROWS_AS(hq::format_gal(w, {"a b", "c"}), hq::InputError);
    // Alignment failures.
    const auto f = hq::parse_gal("2\nx 1\ny\ny 1\nx\n", "w.gal");
    CHECK_THROWS_AS(hq::align_weights(f, {"1", "2"}, "w.gal"), hq::InputError);
    CHECK_THROWS_AS(hq::align_weights(f, {"x", "y", "z"}, "w.gal"), hq::InputError);
}

TEST_CASE("GAL/GWT: a header declaring more units than a layer may have is refused before reading on") {
    // Found by fuzz_weights: a .gwt has no line for an island, so "0 50000000" alone made the
    // reader build 50 million island rows (minutes, gigabytes). The bound is the
    // features-per-layer limit, 2,000,000.
    for (const char* ext : {"gal", "gwt"}) {
        const std::string name = std::string("big.") + ext;
        const auto parse = [&](const std::string& text) {
            return std::string(ext) == "gal" ? hq::parse_gal(text, name) : hq::parse_gwt(text, name);
        };
        for (const std::string n : {"2000001", "50000000", "18446744073709551615"}) {
            try {
                parse("0 " + n + " layer id\n");
                FAIL("no exception");
            } catch (const hq::InputError& e) {
                CHECK(std::string(e.what()) ==
                      name + ": line 1: the header declares " + n + " units, more than the 2000000 a weights file may have");
            }
        }
    }
}
