// One vocabulary on the command line, as a user runs it (HUQIAN_EXE in a subprocess): every
// subcommand that takes --weights accepts every form of the grammar; `autocorr --group`
// takes a manifest group's zh or en name; JSON outputs carry the `weights` object; a bad
// spec is one line naming it, exit 1; a bad option value is a usage error, exit 2.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "geo/weights/spec.hpp"
#include "tests/cli_run.hpp"
#include "tests/test_support.hpp"

namespace {

std::string q(const std::string& s) { return "'" + s + "'"; }

using Run = hq::test::ShellRun;
using hq::test::huqian;

std::size_t lines(const std::string& s) {
    std::size_t n = 0;
    for (char c : s) n += c == '\n' ? 1 : 0;
    return n;
}

}  // namespace

TEST_CASE("every subcommand that takes --weights accepts every spec form", "[analysis][cli]") {
    hq::test::TempDir dir;
    const std::string shuhan = q(hq::test::shuhan());
    const std::string gal = dir.file("knn4.gal"), gwt = dir.file("knn4.gwt");
    REQUIRE(huqian("weights " + shuhan + " --weights knn:4 -o " + q(gal)).code == 0);
    REQUIRE(huqian("weights " + shuhan + " --weights knn:4 -o " + q(gwt)).code == 0);
    const std::vector<std::string> forms = {
        "queen",          "queen:0.5",           "rook",          "rook:2",
        "knn:4",          "knn4",                "distance:120",  "distance:120:inverse",
        "distance:120:inverse:2", "kernel:triangular:150", "kernel:gaussian:knn:6", "gal:" + gal,
        "gwt:" + gwt,     "file:" + gal,
    };
    const std::string png = dir.file("map.png");
    for (const std::string& w : forms) {
        INFO(w);
        const std::string spec = " --weights " + q(w);
        Run r = huqian("autocorr " + shuhan + " --group Yi --permutations 0 --json" + spec);
        INFO(r.err);
        CHECK(r.code == 0);
        if (r.code == 0) {
            const auto j = nlohmann::json::parse(r.out);
            CHECK(j["weights"]["requested"] == hq::parse_weights_spec(w).canonical());
        }
        r = huqian("indices " + shuhan + " --group Yi --json" + spec);
        INFO(r.err);
        CHECK(r.code == 0);
        if (r.code == 0) CHECK(nlohmann::json::parse(r.out)["weights"].contains("used"));
        r = huqian("weights " + shuhan + " --json" + spec);
        INFO(r.err);
        CHECK(r.code == 0);
        r = huqian("export " + shuhan + " --map lisa:Yi --permutations 0 --dpi 72 -o " + q(png) + spec);
        INFO(r.err);
        CHECK(r.code == 0);
    }
    // A spec outside the grammar: exit 1, one line naming it, every subcommand alike.
    for (const std::string& cmd : {"autocorr " + shuhan + " --group Yi", "indices " + shuhan + " --group Yi",
                                   "weights " + shuhan, "export " + shuhan + " --map lisa:Yi -o " + q(png),
                                   "report " + shuhan + " -o " + q(dir.file("pack"))}) {
        INFO(cmd);
        const Run r = huqian(cmd + " --weights hexagon");
        CHECK(r.code == 1);
        CHECK(lines(r.err) == 1);
        CHECK(r.err.find("--weights hexagon: unknown kind 'hexagon'") != std::string::npos);
    }
    // A value CLI11 cannot read is a usage error (exit 2) on every subcommand alike.
    for (const std::string& cmd : {"autocorr " + shuhan + " --group Yi", "export " + shuhan + " --map lisa:Yi -o " + q(png),
                                   "report " + shuhan + " -o " + q(dir.file("pack"))}) {
        INFO(cmd);
        const Run r = huqian(cmd + " --adjust holm");
        CHECK(r.code == 2);
        CHECK(r.err.find("--adjust") != std::string::npos);
    }
}
