// plan compare's residential indices and plan suggest's weights under the guard (issue 14;
// docs/privacy.md, "Indices from the published table"): computed from the published estimate
// of the units × groups table (geo/plan published_counts), never from the withheld counts.
// Two projects that publish the same table but hold different withheld counts give the same
// output with the guard on and different output with it off; on the hand-worked 3 × 3 table of
// tests/privacy/test_estimate.cpp the values equal the formulas worked here from the fill; and
// a move of more residents than a unit has is refused without printing the count.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "../export/test_shell.hpp"
#include "geo/analysis/planning.hpp"
#include "geo/core/error.hpp"
#include "geo/project/project.hpp"
#include "tests/row_project.hpp"
#include "tests/test_support.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using namespace hq;
namespace sh = hq::test::shell;
using json = nlohmann::json;

namespace {

/// The 3 × 3 table of tests/privacy/test_estimate.cpp, counts[g][i]: A = (100, 80, 60)
/// published; B and C withheld in every unit; unit totals 152, 113, 145 and group totals
/// 240, 72, 98 published. Its fill: B = (4, 29, 39), C = (48, 4, 46).
const std::vector<std::vector<double>> kTable = {{100, 80, 60}, {2, 30, 40}, {50, 3, 45}};
/// The same published table with other withheld values (B0 and C1 still under 5; every unit
/// and group total the same).
const std::vector<std::vector<double>> kTwin = {{100, 80, 60}, {3, 31, 38}, {49, 2, 47}};
const std::vector<std::vector<double>> kFill = {{100, 80, 60}, {4, 29, 39}, {48, 4, 46}};

/// A project of three 40 m courtyards in a row (u0, u1, u2) with groups A, B, C of `counts`.
void write_project(const std::string& dir, const std::vector<std::vector<double>>& counts) {
    test::write_row_project(dir, counts);
    // 10 A from u0 to u1 (published cells), 30 B out of u1 (true 30 or 31, filled 29: the
    // estimate after the move is clamped at 0 there).
    std::ofstream(dir + "/scenarios.json") << R"({"scenarios": [{"name": "mix", "moves": [
        {"group": "pop_a", "from": "u0", "to": "u1", "count": 10},
        {"group": "pop_b", "from": "u1", "to": "u2", "count": 30}]}]})";
}

std::string run_ok(const std::string& args) {
    const auto r = sh::run("{ " + sh::q(sh::exe()) + " " + args + " 2>/dev/null; }");  // stdout only
    INFO(args);
    REQUIRE(r.code == 0);
    return r.out;
}

/// A command's JSON without its "project" (the folder's path, the one thing that differs).
json output_json(const std::string& args) {
    json j = json::parse(run_ok(args));
    j.erase("project");
    return j;
}

std::string compare_args(const std::string& dir, const std::string& extra) {
    return "plan compare " + sh::q(dir) + " --scenarios " + sh::q(dir + "/scenarios.json") +
           " --scenario mix --permutations 19 --seed 3 --json " + extra;
}

std::string suggest_args(const std::string& dir, const std::string& extra) {
    return "plan suggest " + sh::q(dir) + " --k 2 --radius 60 --json " + extra;
}

const json& index_of(const json& scenario, const std::string& id) {
    for (const json& c : scenario.at("indices"))
        if (c.at("id") == id) return c;
    FAIL("no index " << id);
    static const json none;
    return none;
}

}  // namespace

TEST_CASE("plan compare and plan suggest: the same published table gives the same output under the guard",
          "[plan][privacy][estimate]") {
    test::TempDir one, two;
    write_project(one.path().string(), kTable);
    write_project(two.path().string(), kTwin);
    const std::string d1 = one.path().string(), d2 = two.path().string();
    // Guard on: every number of both outputs is a function of the published table.
    const json c1 = output_json(compare_args(d1, "")), c2 = output_json(compare_args(d2, ""));
    CHECK(c1 == c2);
    const json s1 = output_json(suggest_args(d1, "")), s2 = output_json(suggest_args(d2, ""));
    CHECK(s1 == s2);
    // Not vacuous: the indices that read B and C are estimated, and the two projects differ
    // without the guard (the data owner's exact values).
    const json& mix = c1.at("scenarios")[0];
    CHECK(index_of(mix, "multi_dissim").at("estimated").get<bool>());
    CHECK(index_of(mix, "multi_dissim").at("before").is_number());
    CHECK(mix.at("estimate_clamped").get<bool>());
    CHECK(s1.at("estimated").get<bool>());
    CHECK_THAT(s1.at("filled_share").get<double>(), WithinAbs(170.0 / 410.0, 1e-9));
    const json o1 = output_json(compare_args(d1, "--no-privacy-guard")),
               o2 = output_json(compare_args(d2, "--no-privacy-guard"));
    // (A dissimilarity is piecewise linear: here both tables give the same; isolation is not.)
    CHECK(index_of(o1.at("scenarios")[0], "isolation:B").at("before").is_number());
    CHECK(index_of(o1.at("scenarios")[0], "isolation:B").at("before") !=
          index_of(o2.at("scenarios")[0], "isolation:B").at("before"));
    CHECK_FALSE(index_of(o1.at("scenarios")[0], "multi_dissim").at("estimated").get<bool>());
    CHECK(o1 != o2);
    const json t1 = output_json(suggest_args(d1, "--no-privacy-guard")),
               t2 = output_json(suggest_args(d2, "--no-privacy-guard"));
    CHECK(t1.at("total_weight") != t2.at("total_weight"));
    CHECK_FALSE(t1.at("estimated").get<bool>());
    // The text marks estimated values and says how they were made.
    const std::string text = run_ok("plan suggest " + sh::q(d1) + " --k 2 --radius 60");
    CHECK_THAT(text, Contains("covered isolation weight ≈"));
    CHECK_THAT(text, Contains("computed from the published table with withheld cells filled from the published "
                              "totals; 41.5 % of the residents it reads were filled"));
    const std::string ctext = run_ok("plan compare " + sh::q(d1) + " --scenarios " + sh::q(d1 + "/scenarios.json") +
                                     " --scenario mix");
    CHECK_THAT(ctext, Contains("  multi_dissim: ≈"));
    CHECK_THAT(ctext, Contains("where a move takes more residents than a filled cell holds, the cell is taken to 0"));
    CHECK_THAT(ctext, Contains("single-group indices (dissim, isolation, interaction) withheld (a group under k, its "
                               "total withheld, or more than half of what it reads filled): B, C\n"));
}

TEST_CASE("plan suggest and plan compare under the guard: values of the hand-worked published estimate",
          "[plan][privacy][estimate]") {
    test::TempDir dir;
    const std::string d = dir.path().string();
    write_project(d, kTable);
    const double t[3] = {152, 113, 145};
    // Σ_i Σ_g x̂_ig² / t_i from the fill worked by hand (tests/privacy/test_estimate.cpp).
    double total_weight = 0;
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t g = 0; g < 3; ++g) total_weight += kFill[g][i] * kFill[g][i] / t[i];
    const json s = output_json(suggest_args(d, ""));
    CHECK_THAT(s.at("total_weight").get<double>(), WithinAbs(total_weight, 1e-9));
    // Not the exact value (Σ x²/t of the true counts).
    double exact = 0;
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t g = 0; g < 3; ++g) exact += kTable[g][i] * kTable[g][i] / t[i];
    CHECK(std::abs(exact - total_weight) > 1.0);
    CHECK_THAT(output_json(suggest_args(d, "--no-privacy-guard")).at("total_weight").get<double>(),
               WithinAbs(exact, 1e-9));

    // isolation:B = Σ_i (x̂_iB / X_B)(x̂_iB / t_i), X_B = 72: the value compare_scenarios reads ...
    double iso_b = 0;
    for (std::size_t i = 0; i < 3; ++i) iso_b += kFill[1][i] / 72.0 * (kFill[1][i] / t[i]);
    const Project project = load_project(d);
    plan::PlannerOptions po;
    po.lisa_permutations = 99;
    const plan::Planner planner = analysis::make_planner(project, po);
    const privacy::DisclosurePolicy guard;
    const plan::PublishedCounts pub = plan::published_counts(planner.input(), guard);
    REQUIRE(pub.estimate.any());
    CHECK_THAT(plan::global_index("isolation:B", pub.counts), WithinAbs(iso_b, 1e-9));
    // ... but every cell of B is a fill (share 1 > 0.5): plan compare withholds it, with the reason.
    const json c = output_json(compare_args(d, ""));
    const json& ib = index_of(c.at("scenarios")[0], "isolation:B");
    CHECK(ib.at("before").is_null());
    CHECK(ib.at("suppressed").get<bool>());
    CHECK_THAT(ib.at("filled_share").get<double>(), WithinAbs(1.0, 1e-12));
    CHECK(ib.at("reason").at("en") ==
          "100.0 % of the residents it reads are in withheld cells (more than half): the estimate would mostly be the fill");
    // A's cells and the unit totals are all published: exact.
    const json& ia = index_of(c.at("scenarios")[0], "isolation:A");
    CHECK_FALSE(ia.at("estimated").get<bool>());
    double iso_a = 0;
    for (std::size_t i = 0; i < 3; ++i) iso_a += kTable[0][i] / 240.0 * (kTable[0][i] / t[i]);
    CHECK_THAT(ia.at("before").get<double>(), WithinAbs(iso_a, 1e-9));
    // The multigroup dissimilarity reads every group: 170 of 410 residents filled (< 0.5), so
    // estimated: Σ_i Σ_m t_i |π_im − π_m| / (2 T I), I = Σ_m π_m (1 − π_m), from the fill.
    const double T = 410, P[3] = {240 / T, 72 / T, 98 / T};
    double I = 0, sum = 0;
    for (double p : P) I += p * (1 - p);
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t g = 0; g < 3; ++g) sum += t[i] * std::abs(kFill[g][i] / t[i] - P[g]);
    const json& md = index_of(c.at("scenarios")[0], "multi_dissim");
    CHECK(md.at("estimated").get<bool>());
    CHECK_THAT(md.at("filled_share").get<double>(), WithinAbs(170.0 / 410.0, 1e-12));
    CHECK_THAT(md.at("before").get<double>(), WithinAbs(sum / (2 * T * I), 1e-9));
}

TEST_CASE("apply_moves under the guard: a move of more residents than the unit has names no count",
          "[plan][privacy][scenario]") {
    seg::CountMatrix m;
    m.units = 2;
    m.groups = 1;
    m.data = {3, 50};
    m.names = {"B"};
    const std::vector<std::string> ids{"u0", "u1"};
    const std::vector<plan::HouseholdMove> moves{{"B", "u0", "u1", 4}};
    try {
        (void)plan::apply_moves(m, ids, {{"B"}}, moves, "mix", plan::Overdraw::ErrorNoCount);
        FAIL("expected an error");
    } catch (const InputError& e) {
        const std::string what = e.what();
        CHECK(what == "layer scenario \"mix\": feature 0 (id \"move 1\"): moves 4 B residents out of u0, more than it has "
                      "at that point (the count is not printed under the privacy guard, docs/privacy.md)");
        CHECK(what.find('3') == std::string::npos);
    }
    // The data owner (guard off) sees the count.
    try {
        (void)plan::apply_moves(m, ids, {{"B"}}, moves, "mix");
        FAIL("expected an error");
    } catch (const InputError& e) {
        CHECK_THAT(std::string(e.what()), Contains("moves 4 B residents out of u0, which has only 3"));
    }
    // Clamped on an estimate: takes what there is.
    bool clamped = false;
    const seg::CountMatrix c = plan::apply_moves(m, ids, {{"B"}}, moves, "mix", plan::Overdraw::Clamp, &clamped);
    CHECK(clamped);
    CHECK(c.data == std::vector<double>{0, 53});

    // plan compare under the guard: the same message, no count.
    test::TempDir dir;
    const std::string d = dir.path().string();
    write_project(d, kTable);
    std::ofstream(d + "/over.json") << R"([{"name": "over", "moves": [{"group": "pop_b", "from": "u0", "to": "u1", "count": 3}]}])";
    const auto r = sh::run(sh::q(sh::exe()) + " plan compare " + sh::q(d) + " --scenarios " + sh::q(d + "/over.json") +
                           " --scenario over");
    CHECK(r.code == 1);
    CHECK_THAT(r.out, Contains("moves 3 B residents out of u0, more than it has at that point"));
    CHECK_THAT(r.out, !Contains("has only"));
    const auto o = sh::run(sh::q(sh::exe()) + " plan compare " + sh::q(d) + " --scenarios " + sh::q(d + "/over.json") +
                           " --scenario over --no-privacy-guard");
    CHECK(o.code == 1);
    CHECK_THAT(o.out, Contains("which has only 2"));
}
