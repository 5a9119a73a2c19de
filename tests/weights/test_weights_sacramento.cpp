// Real data: the Sacramento 2000 census tracts (shared test data, read in place) against R
// spdep 1.2-7 (tests/reference/spdep/make_reference.R, nb_sacramento_queen.csv, global.csv).
#include <catch2/catch.hpp>

#include "geo/stats/autocorr.hpp"
#include "geo/weights/contiguity.hpp"
#include "tests/reference/spdep/reference_data.hpp"
#include "tests/test_support.hpp"

namespace ref = hq::test::ref;

TEST_CASE("Sacramento tracts: queen equals spdep poly2nb, Moran's I of the Black share equals moran.test") {
    const auto f = ref::read_geojson(hq::test::shared_data("segregation/sacramento_tracts_2000_epsg32610.geojson"), true);
    REQUIRE(f.geometries.size() == 403);
    const hq::Weights q1 = hq::contiguity_weights(f.geometries, {.threads = 1});
    const hq::Weights q2 = hq::contiguity_weights(f.geometries, {.threads = 2});
    CHECK(q1 == q2);
    const hq::Weights spdep = ref::read_edges("nb_sacramento_queen.csv", 403);
    CHECK(q1 == spdep);
    CHECK(q1.neighbours.size() == 2522);  // spdep: "Number of nonzero links: 2522"

    // Rook links are queen links.
    const hq::Weights r = hq::contiguity_weights(f.geometries, {.kind = hq::ContiguityKind::Rook});
    for (std::size_t i = 0; i < r.n; ++i)
        for (const auto j : r.row(i)) CHECK(q1.weight(i, j) == 1.0);
    CHECK(r.stats().symmetric);

    const auto& black = f.columns.at("BLACK");
    const auto& total = f.columns.at("TOT_POP");
    std::vector<double> x(black.size());
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = black[i] / total[i];
    hq::AutocorrOptions o;
    o.permutations = 0;
    const auto m = hq::moran(x, q1.row_standardised(), o);
    const ref::Csv g = ref::read_csv("global.csv");
    auto v = [&](const char* q) { return ref::global_value(g, "moran", "BLACK/TOT_POP", "sacramento_queen_W", q); };
    CHECK(ref::close(m.I, v("I")));
    CHECK(ref::close(m.variance_randomisation, v("variance_randomisation")));
    CHECK(ref::close(m.variance_normality, v("variance_normality")));
    CHECK(ref::close(m.z_randomisation, v("z_randomisation")));
    CHECK(ref::close(m.z_normality, v("z_normality")));
}
