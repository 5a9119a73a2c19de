// `huqian indices` as a user runs it: the executable (HUQIAN_EXE) in a subprocess.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "geo/stats/seg_inference.hpp"
#include "geo/stats/seg_profile.hpp"
#include "geo/stats/segregation.hpp"
#include "geo/stats/segregation_multigroup.hpp"
#include "geo/stats/segregation_pairwise.hpp"
#include "tests/segregation/sacramento.hpp"
#include "tests/cli_run.hpp"
#include "tests/test_support.hpp"

using Catch::Matchers::WithinAbs;

namespace seg = hq::seg;

namespace {

using Run = hq::test::ShellRun;
using hq::test::huqian;

std::string sacramento_file() { return hq::test::shared_data("segregation/sacramento_tracts_2000_epsg32610.geojson"); }

std::size_t lines(const std::string& s) {
    std::size_t n = 0;
    for (char c : s) n += c == '\n' ? 1 : 0;
    return n;
}

double num(const nlohmann::json& j) { return j.is_null() ? std::nan("") : j.get<double>(); }

}  // namespace

TEST_CASE("indices --json on Sacramento matches the library", "[cli_indices]") {
    const Run r = huqian("indices '" + sacramento_file() +
                         "' --group HISP --total TOT_POP --groups WHITE,BLACK,ASIAN,HISP --pairwise"
                         " --profile 500,1000 --json --no-privacy-guard");  // every value, to compare (tests/privacy checks the guard)
    INFO(r.err);
    REQUIRE(r.code == 0);
    const auto j = nlohmann::json::parse(r.out);
    for (const char* key : {"units", "single_group", "multigroup", "local", "inference", "pairwise", "profile"})
        CHECK(j.contains(key));
    CHECK(j["units"] == 403);
    const auto& s = hq::test::sacramento();
    const auto c = s.group("HISP", "TOT_POP");
    const auto m = s.matrix({"WHITE", "BLACK", "ASIAN", "HISP"});
    // aspatial values: the same counts, the same code, to the last digits
    CHECK_THAT(num(j["single_group"]["dissim"]), WithinAbs(seg::dissim(c), 1e-14));
    CHECK_THAT(num(j["single_group"]["gini"]), WithinAbs(seg::gini(c), 1e-14));
    CHECK_THAT(num(j["single_group"]["isolation"]), WithinAbs(seg::isolation(c), 1e-14));
    CHECK_THAT(num(j["single_group"]["dissim"]), WithinAbs(0.32184656076566864, 1e-12));  // PySAL test_dissim.py
    CHECK_THAT(num(j["multigroup"]["multi_dissim"]), WithinAbs(seg::multi_dissim(m), 1e-14));
    CHECK_THAT(num(j["multigroup"]["multi_info_theory"]), WithinAbs(seg::multi_info_theory(m), 1e-14));
    CHECK(j["single_group"].contains("spatial_dissim"));
    // pysal/segregation segregation/tests/test_spatial_prox_profile.py (97effe3): SpatialProxProf
    // on Sacramento in UTM 10N (our file), libpysal Queen weights
    CHECK_THAT(num(j["single_group"]["spatial_prox_prof"]), Catch::Matchers::WithinAbs(0.22847334404621394, 1e-9));
    // local: one value per feature, in input order
    const auto lq = j["local"]["multi_location_quotient"];
    REQUIRE(lq.size() == 403);
    const auto lib_lq = seg::multi_location_quotient(m);
    for (std::size_t i = 0; i < 403; i += 50)
        for (std::size_t k = 0; k < 4; ++k) CHECK_THAT(num(lq[i][k]), WithinAbs(lib_lq[i * 4 + k], 1e-12));
    REQUIRE(j["local"]["multi_local_entropy"].size() == 403);
    // pairwise
    const auto pw = seg::pairwise_tables(m);
    CHECK(j["pairwise"]["groups"].size() == 4);
    CHECK_THAT(num(j["pairwise"]["dissim"][1][3]), WithinAbs(pw.dissim_at(1, 3), 1e-14));
    CHECK_THAT(num(j["pairwise"]["exposure"][3][0]), WithinAbs(pw.exposure_at(3, 0), 1e-14));
    // profile: centroids from GEOS here, from the JSON coordinates in the library test
    seg::ProfileOptions po;
    po.distances = {500, 1000};
    const auto prof = seg::multiscalar_profile("multi_info_theory", m, s.centroids, po);
    const auto& pv = j["profile"]["values"]["multi_info_theory"];
    REQUIRE(pv.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) CHECK_THAT(num(pv[i]), WithinAbs(prof[i].value, 1e-9));
    CHECK(j["profile"]["distances"][2] == 1000.0);
    CHECK(j["inference"].empty());
}

TEST_CASE("indices inference is deterministic across thread counts", "[cli_indices]") {
    const std::string base = "indices '" + sacramento_file() +
                             "' --group HISP --total TOT_POP --permutations 40 --null evenness --seed 7 --test dissim,gini"
                             " --json --threads ";
    const Run a = huqian(base + "1");
    const Run b = huqian(base + "2");
    INFO(a.err);
    REQUIRE(a.code == 0);
    REQUIRE(b.code == 0);
    const auto ja = nlohmann::json::parse(a.out);
    const auto jb = nlohmann::json::parse(b.out);
    CHECK(ja["inference"] == jb["inference"]);
    const auto& t = ja["inference"]["dissim"];
    CHECK(t["null"] == "evenness");
    CHECK(t["permutations"] == 40);
    CHECK_THAT(num(t["statistic"]), WithinAbs(0.32184656076566864, 1e-12));
    // the library with the same seed gives the same p-value and null mean
    seg::TestOptions o;
    o.permutations = 40;
    o.seed = 7;
    const auto lib = seg::single_value_test("dissim", hq::test::sacramento().group("HISP", "TOT_POP"), {},
                                            seg::NullApproach::Evenness, o);
    CHECK(num(t["p_value"]) == lib.p_value);
    CHECK_THAT(num(t["null_mean"]), WithinAbs(lib.summary.mean, 1e-15));
}

TEST_CASE("indices text and csv output", "[cli_indices]") {
    const Run t = huqian("indices '" + sacramento_file() + "' --groups WHITE,BLACK,HISP");
    REQUIRE(t.code == 0);
    CHECK(t.out.find("multi_dissim") != std::string::npos);
    CHECK(t.out.find("meaning") != std::string::npos);
    const Run c = huqian("indices '" + sacramento_file() + "' --group BLACK --total TOT_POP --csv");
    REQUIRE(c.code == 0);
    CHECK(c.out.rfind("section,id,feature,distance,value,p_value,null,permutations,group\n", 0) == 0);
    CHECK(c.out.find("\nsingle_group,dissim,,,") != std::string::npos);
    // Every single-group row names its group (issue 16), in the last column.
    std::istringstream lines(c.out);
    std::string line;
    std::size_t single_rows = 0;
    while (std::getline(lines, line))
        if (line.rfind("single_group,", 0) == 0) {
            ++single_rows;
            CHECK(line.substr(line.rfind(',') + 1) == "BLACK");
        }
    CHECK(single_rows > 5);
    const Run m = huqian("indices '" + sacramento_file() + "' --groups WHITE,BLACK,HISP --csv");
    REQUIRE(m.code == 0);
    CHECK(m.out.find("\nmultigroup,multi_dissim,,,") != std::string::npos);
    CHECK(m.out.find(",WHITE|BLACK|HISP\n") != std::string::npos);
    CHECK(c.out.find("\nsingle_group,spatial_prox_prof,,,") != std::string::npos);
    const Run s = huqian("indices '" + sacramento_file() + "' --group BLACK --total TOT_POP");
    REQUIRE(s.code == 0);
    CHECK(s.out.find("  spatial_prox_prof ") != std::string::npos);  // listed with its meaning
    CHECK(s.out.find("spatial proximity profile") != std::string::npos);
}

TEST_CASE("indices compare with a test and the decomposition", "[cli_indices]") {
    // one file against itself: difference 0; decomposition of HISP in a vs HISP in b is 0
    const Run r = huqian("indices compare '" + sacramento_file() + "' '" + sacramento_file() +
                         "' --group HISP --total TOT_POP --index dissim --null random_label --permutations 30"
                         " --decompose --json");
    INFO(r.err);
    REQUIRE(r.code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(num(j["difference"]) == 0.0);
    CHECK(j["test"]["null"] == "random_label");
    CHECK(num(j["test"]["p_value"]) > 0.0);
    CHECK_THAT(num(j["decomposition"]["spatial"]), WithinAbs(0.0, 1e-12));
    CHECK_THAT(num(j["decomposition"]["attribute"]), WithinAbs(0.0, 1e-12));
}

TEST_CASE("indices bad input: exit 1 and one line", "[cli_indices]") {
    // a --groups list naming a missing column
    Run r = huqian("indices '" + sacramento_file() + "' --groups WHITE,NOPE");
    CHECK(r.code == 1);
    CHECK(lines(r.err) == 1);
    CHECK(r.err.find("NOPE") != std::string::npos);
    // a group that is all zero
    hq::test::TempDir dir;
    const std::string f = dir.file("zero.geojson");
    {
        std::ofstream o(f);
        o << R"({"type":"FeatureCollection","features":[)"
          << R"({"type":"Feature","properties":{"a":0,"b":5,"t":5},"geometry":{"type":"Point","coordinates":[0,0]}},)"
          << R"({"type":"Feature","properties":{"a":0,"b":3,"t":3},"geometry":{"type":"Point","coordinates":[10,0]}},)"
          << R"({"type":"Feature","properties":{"a":0,"b":7,"t":7},"geometry":{"type":"Point","coordinates":[0,10]}}]})";
    }
    r = huqian("indices '" + f + "' --group a --total t");
    CHECK(r.code == 1);
    CHECK(lines(r.err) == 1);
    CHECK(r.err.find("zero in every unit") != std::string::npos);
    r = huqian("indices '" + f + "' --groups a,b");
    CHECK(r.code == 1);
    CHECK(lines(r.err) == 1);
    CHECK(r.err.find("zero in every unit") != std::string::npos);
    // an unknown null
    r = huqian("indices '" + sacramento_file() + "' --group HISP --total TOT_POP --permutations 5 --null nope");
    CHECK(r.code == 1);
    CHECK(lines(r.err) == 1);
    CHECK(r.err.find("'nope'") != std::string::npos);
    // nothing to compute
    r = huqian("indices '" + sacramento_file() + "'");
    CHECK(r.code == 1);
    CHECK(lines(r.err) == 1);
    CHECK(r.err.find("nothing to compute") != std::string::npos);
}
