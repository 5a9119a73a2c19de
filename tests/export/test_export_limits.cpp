// Map kinds whose cost grows faster than the units refuse a city with one clear line instead
// of running for hours (bench/bench_scale.sh found `index:local_distortion` at 100k units still
// running after 15 minutes).
#include <catch2/catch.hpp>

#include <string>

#include "geo/analysis/segregation.hpp"
#include "tests/cli_support.hpp"
#include "tests/test_support.hpp"

TEST_CASE("export: a local_distortion map above kMaxDistortionUnits is refused, naming the limit", "[export][cli]") {
    hq::test::TempDir dir;
    const std::string city = dir.file("city.gpkg");
    const std::size_t n = hq::analysis::kMaxDistortionUnits + 1;
    REQUIRE(hq::test::run_huqian({"synth", "--units", std::to_string(n), "--groups", "3", "--seed", "3", "-o", city}).code == 0);
    hq::test::check_cli_error({"export", city, "--groups", "pop_g01,pop_g02,pop_g03", "--map", "index:local_distortion", "-o",
                               dir.file("d.pdf")},
                              1,
                              "local_distortion sorts every unit by distance from every other (O(n²)): at most 5000 units, "
                              "this layer has 5001");
    // At the limit it is computed (a smaller city keeps the test quick: the rule is the count).
    const std::string town = dir.file("town.gpkg");
    REQUIRE(hq::test::run_huqian({"synth", "--units", "300", "--groups", "3", "--seed", "3", "-o", town}).code == 0);
    const auto ok = hq::test::run_huqian({"export", town, "--groups", "pop_g01,pop_g02,pop_g03", "--map",
                                          "index:local_distortion", "--no-privacy-guard", "-o", dir.file("t.pdf")});
    INFO(ok.out);
    CHECK(ok.code == 0);
}
