// The one weights grammar (geo/weights/spec.hpp): one table of every form, every alias and
// every error with its message. The fallback rule itself is worked by hand in
// tests/weights/test_lisa_weights.cpp; here: resolve_weights applies it to contiguity only.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "geo/core/error.hpp"
#include "geo/geometry/types.hpp"
#include "geo/io/layer.hpp"
#include "geo/weights/spec.hpp"

using hq::WeightsSpec;
using K = hq::WeightsSpec::Kind;

namespace {

struct Form {
    const char* text;
    K kind;
    const char* canonical;
};

}  // namespace

TEST_CASE("weights grammar: every form and alias parses to its canonical spelling", "[analysis][weights]") {
    const std::vector<Form> forms = {
        {"queen", K::Queen, "queen"},
        {"queen:0", K::Queen, "queen"},
        {"queen:2.5", K::Queen, "queen:2.5"},
        {"rook", K::Rook, "rook"},
        {"rook:1", K::Rook, "rook:1"},
        {"knn:6", K::Knn, "knn:6"},
        {"knn6", K::Knn, "knn:6"},  // alias (the viewer's and export's old spelling)
        {"knn12", K::Knn, "knn:12"},
        {"distance:800", K::Distance, "distance:800"},
        {"distance:800:inverse", K::Distance, "distance:800:inverse"},
        {"distance:800:inverse:1", K::Distance, "distance:800:inverse"},
        {"distance:800:inverse:2", K::Distance, "distance:800:inverse:2"},
        {"kernel:gaussian:500", K::Kernel, "kernel:gaussian:500"},
        {"kernel:quadratic:100", K::Kernel, "kernel:epanechnikov:100"},  // libpysal's name
        {"kernel:bisquare:100", K::Kernel, "kernel:quartic:100"},
        {"kernel:quartic:knn:8", K::Kernel, "kernel:quartic:knn:8"},
        {"gal:w.gal", K::File, "gal:w.gal"},
        {"gwt:w.gwt", K::File, "gwt:w.gwt"},
        {"file:w.gal", K::File, "gal:w.gal"},  // alias
        {"file:w.gwt", K::File, "gwt:w.gwt"},
        {"gal:C:/data/w.gal", K::File, "gal:C:/data/w.gal"},  // a file name may hold ':'
    };
    for (const auto& f : forms) {
        INFO(f.text);
        const WeightsSpec s = hq::parse_weights_spec(f.text);
        CHECK(s.kind == f.kind);
        CHECK(s.canonical() == f.canonical);
        CHECK(s.text == f.text);
        // The canonical spelling reads back as itself.
        CHECK(hq::parse_weights_spec(s.canonical()).canonical() == f.canonical);
    }
    const WeightsSpec d = hq::parse_weights_spec("distance:800:inverse:2");
    CHECK(d.distance == 800);
    CHECK(d.inverse);
    CHECK(d.power == 2);
    CHECK(hq::parse_weights_spec("queen:2.5").tolerance == 2.5);
    CHECK(hq::parse_weights_spec("knn6").k == 6);
    const WeightsSpec ka = hq::parse_weights_spec("kernel:quartic:knn:8");
    CHECK(ka.adaptive);
    CHECK(ka.k == 8);
    CHECK(hq::parse_weights_spec("gal:C:/data/w.gal").file == "C:/data/w.gal");
}

TEST_CASE("weights grammar: every error names the spec, the reason and the forms", "[analysis][weights]") {
    const std::vector<std::pair<const char*, const char*>> errors = {
        {"", "unknown kind ''"},
        {"queens", "unknown kind 'queens'"},
        {"hexagon", "unknown kind 'hexagon'"},
        {"queen:-1", "the tolerance must be >= 0"},
        {"rook:abc", "bad tolerance 'abc'"},
        {"queen:1:2", "too many fields"},
        {"knn", "knn needs K"},
        {"knn:", "bad K ''"},
        {"knn:0", "bad K '0'"},
        {"knn:x", "bad K 'x'"},
        {"knn:1.5", "bad K '1.5'"},
        {"knn0", "bad K '0'"},
        {"knnx", "bad K 'x'"},
        {"distance", "distance needs M"},
        {"distance:-1", "the distance must be >= 0"},
        {"distance:x", "bad distance 'x'"},
        {"distance:5:idw", "expected 'inverse' after the distance"},
        {"distance:5:inverse:0", "the power must be > 0"},
        {"distance:5:inverse:2:3", "distance needs M"},
        {"kernel:cosine:5", "unknown kernel 'cosine'"},
        {"kernel:uniform", "kernel needs NAME:M or NAME:knn:K"},
        {"kernel:uniform:0", "the bandwidth must be > 0"},
        {"kernel:uniform:x:5", "expected kernel:NAME:knn:K"},
        {"kernel:uniform:knn:0", "bad K '0'"},
        {"gal:", "no file name"},
        {"gwt:", "no file name"},
    };
    const std::string forms = std::string("(expected ") + hq::weights_spec_forms() + ")";
    for (const auto& [text, why] : errors) {
        INFO(text);
        try {
            (void)hq::parse_weights_spec(text);
            FAIL("no error for '" << text << "'");
        } catch (const hq::InputError& e) {
            const std::string m = e.what();
            CHECK(m.rfind(std::string("--weights ") + text + ": ", 0) == 0);
            CHECK(m.find(why) != std::string::npos);
            CHECK(m.find(forms) != std::string::npos);
        }
    }
}

namespace {

hq::Geometry square(double x0, double y0, double side = 10.0) {
    return hq::Geometry::polygon({{x0, y0}, {x0 + side, y0}, {x0 + side, y0 + side}, {x0, y0 + side}, {x0, y0}});
}

hq::Layer layer_of(std::vector<hq::Geometry> g) {
    hq::Layer l;
    for (std::size_t i = 0; i < g.size(); ++i) l.ids.push_back("u" + std::to_string(i));
    l.metric = std::move(g);
    l.geom_type = hq::GeomType::Polygon;
    return l;
}

}  // namespace

TEST_CASE("resolve_weights: the one fallback rule, recorded as requested and used", "[analysis][weights]") {
    // A row of 6 touching 10 m squares and 3 lone ones: 3 of 9 islands > a quarter, so queen
    // falls back to the 6 nearest points on surface (as tests/weights/test_lisa_weights.cpp
    // works out by hand).
    std::vector<hq::Geometry> g;
    for (int i = 0; i < 6; ++i) g.push_back(square(10.0 * i, 0));
    for (double x : {500.0, 1000.0, 1500.0}) g.push_back(square(x, 0));
    const hq::Layer l = layer_of(g);
    const hq::BuiltWeights q = hq::resolve_weights(hq::parse_weights_spec("queen"), l);
    REQUIRE(q.fallback);
    CHECK(q.requested.canonical() == "queen");
    CHECK(q.used.canonical() == "knn:6");
    CHECK(q.contiguity_islands == 3);
    CHECK(q.weights.islands().empty());
    CHECK(q.note_en() == "6 nearest neighbours (3 units have no contiguity neighbour)");
    CHECK(q.note_zh() == "6近邻（3个单元无相邻单元）");
    // A snapping tolerance that bridges the gaps keeps contiguity: no fallback.
    std::vector<hq::Geometry> lanes;
    for (int i = 0; i < 9; ++i) lanes.push_back(square(13.0 * i, 0));  // 3 m lanes between squares
    const hq::Layer ll = layer_of(lanes);
    CHECK(hq::resolve_weights(hq::parse_weights_spec("rook"), ll).fallback);
    const hq::BuiltWeights snapped = hq::resolve_weights(hq::parse_weights_spec("queen:3.5"), ll);
    CHECK_FALSE(snapped.fallback);
    CHECK(snapped.used.canonical() == "queen:3.5");
    CHECK(snapped.weights.islands().empty());
    // Other kinds are built exactly as asked, never replaced.
    const hq::BuiltWeights k = hq::resolve_weights(hq::parse_weights_spec("knn2"), l);
    CHECK_FALSE(k.fallback);
    CHECK(k.used.canonical() == "knn:2");
    CHECK(k.note_en().empty());
}
