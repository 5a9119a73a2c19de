// `huqian autocorr` and `huqian weights` end to end, running the built executable
// (HUQIAN_EXE) as a user does, on the committed Columbus file. The GeoJSON has no CRS member, so it is read as lon/lat and
// projected to UTM; queen neighbours and everything computed from them (row-standardised
// Moran, local Moran) do not depend on that, so spdep's values still apply.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include <sys/wait.h>

#include <cstdlib>
#include "geo/project/project.hpp"
#include "geo/weights/spec.hpp"
#include "geo/weights/weights_io.hpp"
#include "tests/reference/spdep/reference_data.hpp"
#include "tests/cli_support.hpp"
#include "tests/test_support.hpp"

namespace ref = hq::test::ref;

namespace {

/// Runs the huqian executable; returns its exit code. Arguments are single-quoted.
int run(const std::vector<std::string>& args) {
    std::string cmd = std::string("'") + HUQIAN_EXE + "'";
    for (const auto& a : args) cmd += " '" + a + "'";
    cmd += " >/dev/null 2>&1";
    const int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}


std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

const std::string kColumbus = ref::dir() + "columbus.geojson";

}  // namespace

TEST_CASE("huqian autocorr --json on Columbus matches spdep", "[cli]") {
    hq::test::TempDir dir;
    const std::string out = dir.file("a.json");
    REQUIRE(run({"autocorr", kColumbus, "--var", "CRIME", "--weights", "queen", "--permutations", "99", "--seed", "4",
                 "--json", "-o", out}) == 0);
    const auto j = nlohmann::json::parse(slurp(out));
    CHECK(j["n"] == 49);
    const ref::Csv g = ref::read_csv("global.csv");
    CHECK(ref::close(j["moran"]["I"].get<double>(), ref::global_value(g, "moran", "CRIME", "queen_W", "I")));
    CHECK(ref::close(j["moran"]["z_randomisation"].get<double>(),
                     ref::global_value(g, "moran", "CRIME", "queen_W", "z_randomisation")));
    CHECK(ref::close(j["geary"]["C"].get<double>(), ref::global_value(g, "geary", "CRIME", "queen_W", "C")));
    CHECK(ref::close(j["general_g"]["G"].get<double>(), ref::global_value(g, "general_g", "CRIME", "queen_B", "G")));
    CHECK_THAT(j["moran"]["p_permutation"].get<double>(), Catch::Matchers::WithinRel(0.01, 1e-12));  // I = 0.50: nothing beats it in 99
    REQUIRE(j["local_moran"].size() == 49);
    const ref::Csv lm = ref::read_csv("local_moran_CRIME_queen_W.csv");
    const auto Ii = lm.numbers("Ii");
    for (std::size_t i = 0; i < 49; ++i) CHECK(ref::close(j["local_moran"][i]["Ii"].get<double>(), Ii[i]));
    const ref::Csv gs = ref::read_csv("local_gstar_CRIME_queen_B.csv");
    const auto zs = gs.numbers("z");
    REQUIRE(j["local_g_star"].size() == 49);
    for (std::size_t i = 0; i < 49; ++i) CHECK(ref::close(j["local_g_star"][i]["z"].get<double>(), zs[i]));
    CHECK(j["local_g"].size() == 49);
    CHECK(j["local_moran"][0].contains("quadrant"));
    CHECK(j["local_moran"][0]["significant"].is_boolean());
}

TEST_CASE("huqian autocorr: islands are null in JSON, bad input exits 1", "[cli]") {
    hq::test::TempDir dir;
    const std::string out = dir.file("a.json");
    // Read as lon/lat, Columbus's units are tens of km apart: a 50 km band leaves some alone.
    REQUIRE(run({"autocorr", kColumbus, "--var", "INC", "--weights", "distance:50000", "--permutations", "0",
                 "--json", "-o", out}) == 0);
    const auto j = nlohmann::json::parse(slurp(out));
    CHECK(j["moran"]["p_permutation"].is_null());
    CHECK(j["local_moran"][0]["p_permutation"].is_null());
    std::size_t islands = 0;
    for (const auto& e : j["local_moran"]) {
        if (e["quadrant"] != "island") continue;
        ++islands;
        CHECK(e["z"].is_null());
        CHECK(e["p_analytical"].is_null());
        CHECK(e["significant"] == false);
    }
    CHECK(islands > 0);
    CHECK(j["weights"]["islands"] == islands);
    hq::test::check_cli_error({"autocorr", kColumbus, "--var", "NOPE", "--json", "-o", out}, 1, "field NOPE");
    hq::test::check_cli_error({"autocorr", kColumbus, "--var", "CRIME", "--weights", "knn:49", "-o", out}, 1,
                              "k = 49");
    hq::test::check_cli_error({"autocorr", kColumbus, "--var", "CRIME", "--weights", "distance:1", "-o", out}, 1,
                "island");  // all alone
    hq::test::check_cli_error({"autocorr", kColumbus, "--var", "CRIME", "--weights", "hexagon", "-o", out}, 1, "'hexagon'");
    hq::test::check_cli_error({"autocorr", kColumbus, "--var", "CRIME", "--share", "CRIME:INC", "-o", out}, 2,
                              "give exactly one of --group GROUP, --var COL and --share");  // usage error (issue 15)
    hq::test::check_cli_error({"autocorr", kColumbus, "--var", "CRIME", "--adjust", "holm", "-o", out}, 2, "holm");  // usage error
}

TEST_CASE("huqian autocorr --statistics computes only the statistics named", "[cli]") {
    hq::test::TempDir dir;
    const std::string out = dir.file("a.json");
    REQUIRE(run({"autocorr", kColumbus, "--var", "CRIME", "--weights", "queen", "--permutations", "99", "--seed", "4",
                 "--statistics", "geary,local_g_star", "--json", "-o", out}) == 0);
    const auto j = nlohmann::json::parse(slurp(out));
    CHECK(j["statistics"] == nlohmann::json::array({"geary", "local_g_star"}));  // in output order
    CHECK(j["moran"].is_null());
    CHECK(j["general_g"].is_null());
    CHECK(j["local_moran"].is_null());
    CHECK(j["local_g"].is_null());
    // The ones computed are spdep's values, as in the full run.
    const ref::Csv g = ref::read_csv("global.csv");
    CHECK(ref::close(j["geary"]["C"].get<double>(), ref::global_value(g, "geary", "CRIME", "queen_W", "C")));
    const auto zs = ref::read_csv("local_gstar_CRIME_queen_B.csv").numbers("z");
    REQUIRE(j["local_g_star"].size() == 49);
    for (std::size_t i = 0; i < 49; ++i) CHECK(ref::close(j["local_g_star"][i]["z"].get<double>(), zs[i]));
    hq::test::check_cli_error({"autocorr", kColumbus, "--var", "CRIME", "--statistics", "moran,lisa", "-o", out}, 1, "'lisa'");
}

TEST_CASE("huqian weights writes .gal/.gwt that read back as the same neighbours", "[cli]") {
    hq::test::TempDir dir;
    const std::string gal = dir.file("q.gal");
    REQUIRE(run({"weights", kColumbus, "--weights", "queen", "-o", gal}) == 0);
    const hq::WeightsFile f = hq::read_weights_file(gal);
    REQUIRE(f.weights.n == 49);
    std::vector<std::string> ids = f.ids;  // the layer's feature ids, as written
    const hq::Weights spdep = ref::read_edges("nb_queen.csv", 49);
    CHECK(hq::align_weights(f, ids, gal) == spdep);
    const std::string gwt = dir.file("k.gwt");
    REQUIRE(run({"weights", kColumbus, "--weights", "knn:4", "-o", gwt}) == 0);
    CHECK(hq::read_weights_file(gwt).weights.neighbours.size() == 49 * 4);
    // And autocorr reads the .gal back.
    const std::string out = dir.file("a.json");
    REQUIRE(run({"autocorr", kColumbus, "--var", "CRIME", "--weights", "gal:" + gal, "--permutations", "0", "--json",
                 "-o", out}) == 0);
    const auto j = nlohmann::json::parse(slurp(out));
    const ref::Csv g = ref::read_csv("global.csv");
    CHECK(ref::close(j["moran"]["I"].get<double>(), ref::global_value(g, "moran", "CRIME", "queen_W", "I")));
    hq::test::check_cli_error({"weights", kColumbus, "--weights", "queen", "-o", dir.file("q.txt")}, 1, ".gal or .gwt");
}

TEST_CASE("weights files name the layer's id field, and files naming 'id' still read", "[cli]") {
    // GeoDa's header is "0 n layer key" and GeoDa matches `key` against the table's fields
    // (spdep's read.gal and libpysal read the same four words). Shuhan's units take their ids
    // from cy_id (data/shuhan/project.json), so the key must be cy_id, not "id".
    hq::test::TempDir dir;
    const std::string gal = dir.file("s.gal");
    const std::string gwt = dir.file("s.gwt");
    REQUIRE(run({"weights", hq::test::shuhan(), "--weights", "knn:4", "-o", gal}) == 0);
    REQUIRE(run({"weights", hq::test::shuhan(), "--weights", "kernel:triangular:120", "-o", gwt}) == 0);
    for (const std::string& path : {gal, gwt}) {
        INFO(path);
        const std::string text = slurp(path);
        const std::string header = text.substr(0, text.find('\n'));
        CHECK(header == "0 32 courtyards cy_id");
        const hq::WeightsFile f = hq::read_weights_file(path);
        CHECK(f.key == "cy_id");
        CHECK(f.layer == "courtyards");
    }
    // The ids written are the layer's; read back and aligned they give the same weights.
    const hq::Project p = hq::load_project(hq::test::shuhan());
    const hq::Layer& units = *p.layer(hq::Role::Units);
    CHECK(units.id_field == "cy_id");
    const hq::Weights knn = hq::resolve_weights(hq::parse_weights_spec("knn:4"), units).weights;
    CHECK(hq::align_weights(hq::read_weights_file(gal), units.ids, gal) == knn);
    // A file written before the fix names the key "id": it reads the same (ids are matched, the
    // key is informational), and autocorr accepts it.
    std::string old_text = slurp(gal);
    old_text.replace(0, old_text.find('\n'), "0 32 courtyards id");
    const std::string old_gal = dir.file("old.gal");
    std::ofstream(old_gal) << old_text;
    const hq::WeightsFile old = hq::read_weights_file(old_gal);
    CHECK(old.key == "id");
    CHECK(hq::align_weights(old, units.ids, old_gal) == knn);
    CHECK(run({"autocorr", hq::test::shuhan(), "--var", "pop_yi", "--weights", "gal:" + old_gal, "--permutations",
               "0", "-o", dir.file("a.json"), "--json"}) == 0);
    // A layer whose ids are GDAL's feature ids: the key says so.
    hq::Layer fid = units;
    fid.id_field.clear();
    CHECK(hq::weights_file_key(fid) == "FID");
}
