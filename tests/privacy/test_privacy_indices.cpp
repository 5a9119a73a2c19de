// The segregation indices under the guard (docs/privacy.md, "Indices from the published
// table"): every value is computed from the published units × groups table with its withheld
// cells filled from the published totals (privacy::published_estimate), so it is a function of
// printed numbers. Before, the indices read the true counts: a group's isolation is an
// equation in its withheld cells and, where they leave one degree of freedom, gives them back
// (shown below on the old behaviour, which --no-privacy-guard still computes).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "../row_project.hpp"
#include "../test_support.hpp"
#include "geo/analysis/segregation.hpp"
#include "geo/core/error.hpp"
#include "geo/privacy/tables.hpp"
#include "geo/project/project.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using namespace hq;
using json = nlohmann::json;

namespace {

/// `huqian indices DIR ARGS --json`, written to a file (notes go to stderr) and parsed.
json indices_json(const std::string& dir, std::vector<std::string> args) {
    const std::string out = dir + "/out.json";
    args.insert(args.begin(), {"indices", dir});
    args.insert(args.end(), {"--json", "-o", out});
    const auto r = test::run_huqian(args);
    INFO(r.out);
    REQUIRE(r.code == 0);
    return json::parse(test::slurp(out));
}

/// The protected units × groups table the pack prints of counts[g][i].
privacy::ProtectedTable published_table(const std::vector<std::vector<double>>& counts) {
    std::vector<double> totals(counts.size(), 0.0);
    for (std::size_t g = 0; g < counts.size(); ++g)
        for (const double v : counts[g]) totals[g] += v;
    return privacy::units_by_groups_table(counts, privacy::group_totals_table(totals, privacy::DisclosurePolicy{}));
}

/// Three units × three groups: A = (100, 80, 200), B = (b, 32 − b, 100), C = (52 − b, 1 + b,
/// 100). For b = 1..3, B0 = b and C1 = 1 + b are under 5 and every cell of u0 and u1 is
/// withheld (the block {A, B, C} × {u0, u1}); u2's cells, every unit total (152, 113, 400) and
/// group total (380, 132, 153) are published: the same printed table for every b. B's
/// withheld cells leave it one degree of freedom, b (B1 = 32 − b).
std::vector<std::vector<double>> one_degree(double b) {
    return {{100, 80, 200}, {b, 32 - b, 100}, {52 - b, 1 + b, 100}};
}

}  // namespace

TEST_CASE("privacy indices: the exact isolation of a group gives its withheld cell back", "[privacy][indices]") {
    test::TempDir t;
    const std::string dir = t.path().string();
    const double b_true = 2;
    test::write_row_project(dir, one_degree(b_true));
    const privacy::ProtectedTable table = published_table(one_degree(b_true));
    for (std::size_t i = 0; i < 3; ++i) {
        REQUIRE(table.cell(i, 1).suppressed() == (i < 2));
        REQUIRE_FALSE(table.row_total(i).suppressed());
    }
    REQUIRE_FALSE(table.col_total(1).suppressed());
    const double t0 = table.row_total(0).value, t1 = table.row_total(1).value, t2 = table.row_total(2).value;
    const double X = table.col_total(1).value, S = X - table.cell(2, 1).value;  // b + B1 = S
    REQUIRE(t0 == 152);
    REQUIRE(t1 == 113);
    REQUIRE(S == 32);
    // What the guard printed before (the counts, as --no-privacy-guard computes them still).
    const json exact = indices_json(dir, {"--group", "pop_b", "--no-privacy-guard"});
    const double iso = exact["single_group"]["isolation"].get<double>();
    // A reader: isolation = (b²/t0 + (S − b)²/t1 + 100²/t2) / X, a quadratic in b; "<5" keeps
    // b ≤ 4.
    const double qa = 1 / t0 + 1 / t1, qb = -2 * S / t1, qc = S * S / t1 + 100.0 * 100.0 / t2 - iso * X;
    const double disc = qb * qb - 4 * qa * qc;
    REQUIRE(disc >= 0);
    const double r1 = (-qb - std::sqrt(disc)) / (2 * qa), r2 = (-qb + std::sqrt(disc)) / (2 * qa);
    const double recovered = r1 >= 0 && r1 <= 4 ? r1 : r2;
    CHECK_THAT(recovered, WithinAbs(b_true, 1e-6));  // the withheld cell, given back

    // Under the guard the value is computed from the published table and marked: 32 of B's
    // 132 residents are in filled cells.
    const json guarded = indices_json(dir, {"--group", "pop_b"});
    CHECK(guarded["single_group"]["isolation"].is_number());
    CHECK(guarded["estimated"]["single_group"]["isolation"]["estimated"] == true);
    CHECK_THAT(guarded["estimated"]["single_group"]["isolation"]["filled_share"].get<double>(),
               WithinAbs(32.0 / 132.0, 1e-12));
    CHECK(guarded["single_group"]["isolation"].get<double>() != iso);
}

TEST_CASE("privacy indices: the same published table gives the same indices whatever the withheld cells hold",
          "[privacy][indices]") {
    // b = 1, 2, 3: one printed table. Under the guard every number of `indices --json` (the
    // multigroup indices, pairwise tables, single-group indices of A and B) is the same;
    // --no-privacy-guard reads the counts and differs.
    std::vector<std::string> guarded, owner;
    std::string printed_first;
    for (const double b : {1.0, 2.0, 3.0}) {
        test::TempDir t;
        const std::string dir = t.path().string();
        test::write_row_project(dir, one_degree(b));
        // The printed table: which cells and totals are withheld, and the published values.
        const privacy::ProtectedTable table = published_table(one_degree(b));
        std::string printed;
        for (std::size_t r = 0; r <= table.rows(); ++r)
            for (std::size_t c = 0; c <= table.cols(); ++c) {
                const privacy::Cell& x = table.cell(r, c);
                printed += x.suppressed() ? std::string("-,") : std::to_string(x.value) + ",";
            }
        if (printed_first.empty()) printed_first = printed;
        REQUIRE(printed == printed_first);
        REQUIRE(table.cell(0, 1).suppressed());
        json on_multi = indices_json(dir, {"--pairwise"});
        json on_a = indices_json(dir, {"--group", "pop_a"});
        json on_b = indices_json(dir, {"--group", "pop_b"});
        CHECK(on_multi["estimated"]["multigroup"]["multi_dissim"]["estimated"] == true);
        CHECK(on_multi["multigroup"]["multi_dissim"].is_number());
        guarded.push_back(on_multi.dump() + on_a.dump() + on_b.dump());
        owner.push_back(indices_json(dir, {"--pairwise", "--no-privacy-guard"}).dump() +
                        indices_json(dir, {"--group", "pop_b", "--no-privacy-guard"}).dump());
    }
    CHECK(guarded[0] == guarded[1]);
    CHECK(guarded[1] == guarded[2]);
    CHECK(owner[0] != owner[1]);
    CHECK(owner[1] != owner[2]);
}

TEST_CASE("privacy indices: values from a hand-worked published estimate, marked estimated, and the 0.5 rule",
          "[privacy][indices]") {
    // tests/privacy/test_estimate.cpp's 3 × 3 table: A = (100, 80, 60) published, B and C
    // withheld in every unit, filled B = (4, 29, 39), C = (48, 4, 46); unit totals 152, 113,
    // 145. A has no filled cell (exact); B is all fill (72 of 72: withheld by the 0.5 rule);
    // the multigroup indices read 170 filled of 410 residents; the pair (A, B) 72 of 312.
    const std::vector<std::vector<double>> counts = {{100, 80, 60}, {2, 30, 40}, {50, 3, 45}};
    test::TempDir t;
    const std::string dir = t.path().string();
    test::write_row_project(dir, counts, true);
    const Project project = load_project(dir);
    analysis::SegregationRequest rq;
    rq.pairwise = true;
    rq.local = false;
    rq.spatial = false;
    const auto r = analysis::segregation(project, rq);
    const std::vector<double> A = {100, 80, 60}, B = {4, 29, 39}, C = {48, 4, 46}, T = {152, 113, 145};
    // By hand from the filled numbers: pairwise dissimilarity ½ Σ |a_i/240 − b_i/72|, exposure
    // of A to B Σ (a_i/240)(b_i/t_i), multigroup dissimilarity Σ t_i |π_ig − π_g| / (2 T I),
    // I = Σ π_g (1 − π_g).
    double d_ab = 0, x_ab = 0;
    for (std::size_t i = 0; i < 3; ++i) {
        d_ab += 0.5 * std::abs(A[i] / 240 - B[i] / 72);
        x_ab += A[i] / 240 * B[i] / T[i];
    }
    const double Tt = 410, pa = 240 / Tt, pb = 72 / Tt, pc = 98 / Tt;
    const double I = pa * (1 - pa) + pb * (1 - pb) + pc * (1 - pc);
    double md = 0;
    for (std::size_t i = 0; i < 3; ++i)
        md += T[i] * (std::abs(A[i] / T[i] - pa) + std::abs(B[i] / T[i] - pb) + std::abs(C[i] / T[i] - pc));
    md /= 2 * Tt * I;
    REQUIRE(r->pairwise);
    CHECK_THAT(r->pairwise->dissim_at(0, 1), WithinAbs(d_ab, 1e-9));
    CHECK_THAT(r->pairwise->exposure_at(0, 1), WithinAbs(x_ab, 1e-9));
    REQUIRE(r->pairwise_estimated.size() == 9);
    CHECK(r->pairwise_estimated[0 * 3 + 1]);
    CHECK_FALSE(r->pairwise_estimated[0 * 3 + 0]);  // A with A: no filled cell
    REQUIRE_FALSE(r->pairwise_withheld.empty());
    CHECK(r->pairwise_withheld[1 * 3 + 2]);  // B and C: 170 of 170 filled
    CHECK_FALSE(r->pairwise_withheld[0 * 3 + 1]);
    CHECK_THAT(r->value("multi_dissim"), WithinAbs(md, 1e-9));
    const analysis::IndexDisclosure dm = r->disclosure("multi_dissim");
    CHECK(dm.estimated);
    CHECK_FALSE(dm.withheld);
    CHECK_THAT(dm.filled_share, WithinAbs(170.0 / 410.0, 1e-9));
    CHECK(analysis::index_value_text(r->value("multi_dissim"), dm, 3).starts_with("≈"));

    // B: all fill, withheld, with its reason; A: exact.
    rq.group = "pop_b";
    rq.multigroup = false;
    rq.pairwise = false;
    const auto rb = analysis::segregation(project, rq);
    const analysis::IndexDisclosure db = rb->disclosure("dissim");
    CHECK(db.withheld);
    CHECK(std::isnan(rb->value("dissim")));
    CHECK(std::isnan(rb->value("isolation")));
    CHECK_THAT(db.filled_share, WithinAbs(1.0, 1e-12));
    CHECK(db.reason_en == "100.0 % of the residents it reads are in withheld cells (more than half): the estimate "
                          "would mostly be the fill");
    CHECK(analysis::index_value_text(rb->value("dissim"), db, 3) == "—");
    rq.group = "pop_a";
    const auto ra = analysis::segregation(project, rq);
    CHECK(ra->single_disclosure.empty());
    double d_a = 0;
    for (std::size_t i = 0; i < 3; ++i) d_a += 0.5 * std::abs(A[i] / 240 - (T[i] - A[i]) / 170);
    CHECK_THAT(ra->value("dissim"), WithinAbs(d_a, 1e-12));

    // A custom total beside B's estimated cells would give them back: refused.
    rq.group = "pop_b";
    rq.total = "pop_all";
    try {
        (void)analysis::segregation(project, rq);
        FAIL("expected an InputError");
    } catch (const InputError& e) {
        CHECK_THAT(std::string(e.what()),
                   Contains("--total pop_all: group pop_b has cells the published table withholds, so its indices are "
                            "computed from the published estimate against the sum of the groups; another total beside "
                            "estimated cells would give withheld counts back"));
    }
}

TEST_CASE("privacy indices: indices compare reads each dataset's published table under the guard",
          "[privacy][indices]") {
    // `indices compare A B` printed the exact index of each dataset, so the leak above held
    // there too. Datasets with b = 1 and b = 3 print one table: under the guard both values,
    // their difference and the test read the published estimate (identical, difference 0,
    // marked ≈); the data owner's values differ and equal the exact isolation of each.
    test::TempDir t1, t3;
    const std::string d1 = t1.path().string(), d3 = t3.path().string();
    test::write_row_project(d1, one_degree(1));
    test::write_row_project(d3, one_degree(3));
    const auto compare = [&](std::vector<std::string> extra) {
        std::vector<std::string> args = {"indices", "compare", d1, d3, "--index", "isolation", "--group", "pop_b",
                                         "--permutations", "20", "--seed", "7"};
        args.insert(args.end(), extra.begin(), extra.end());
        const std::string out = d1 + "/compare.out";
        args.insert(args.end(), {"-o", out});
        const auto r = test::run_huqian(args);
        INFO(r.out);
        REQUIRE(r.code == 0);
        return test::slurp(out);
    };
    const json on = json::parse(compare({"--json"}));
    CHECK(on["a"]["estimated"] == true);
    CHECK_THAT(on["a"]["filled_share"].get<double>(), WithinAbs(32.0 / 132.0, 1e-12));
    CHECK(on["a"]["value"].get<double>() == on["b"]["value"].get<double>());
    CHECK(on["difference"].get<double>() == 0.0);
    CHECK(on["privacy"]["guard"] == true);
    // The guarded value is the suite's (one rule): `indices --group pop_b` of either dataset.
    CHECK(on["a"]["value"].get<double>() == indices_json(d1, {"--group", "pop_b"})["single_group"]["isolation"].get<double>());
    const std::string text = compare({});
    CHECK_THAT(text, Contains("≈") && Contains("estimated from the published table"));

    const json off = json::parse(compare({"--json", "--no-privacy-guard"}));
    CHECK_FALSE(off["a"].contains("estimated"));
    // The exact isolation (b²/152 + (32 − b)²/113 + 100²/400) / 132 of each dataset.
    const auto exact = [](double b) { return (b * b / 152 + (32 - b) * (32 - b) / 113 + 100.0 * 100.0 / 400) / 132; };
    CHECK_THAT(off["a"]["value"].get<double>(), WithinAbs(exact(1), 1e-12));
    CHECK_THAT(off["b"]["value"].get<double>(), WithinAbs(exact(3), 1e-12));
    CHECK(off["a"]["value"].get<double>() != off["b"]["value"].get<double>());
}

TEST_CASE("privacy indices: a group's registered or temporary count column is refused under the guard",
          "[privacy][indices]") {
    // Shuhan's manifest names reg_tibetan (registered Tibetans) and reg_yi: their per-unit
    // counts are published nowhere, so an index, autocorrelation or density of them would read
    // unpublished counts of an ethnic group. Before, `indices --group reg_tibetan --total
    // pop_tibetan` printed its exact dissimilarity (0.1397) against Tibetan cells the
    // published table withholds.
    const std::string shuhan = test::source_dir() + "/data/shuhan";
    test::TempDir out;
    const auto refused = [&](const std::vector<std::string>& args, const std::string& option, const std::string& what) {
        const auto r = test::run_huqian(args);
        INFO(r.out);
        CHECK(r.code != 0);
        CHECK_THAT(r.out, Contains(option) && Contains(what) && Contains("never published") && Contains("常住"));
    };
    refused({"indices", shuhan, "--group", "reg_tibetan", "--total", "pop_tibetan"}, "--group reg_tibetan",
            "registered count of group Tibetan");
    refused({"indices", shuhan, "--groups", "pop_han,reg_tibetan"}, "--groups reg_tibetan",
            "registered count of group Tibetan");
    refused({"autocorr", shuhan, "--var", "reg_yi"}, "--var reg_yi", "registered count of group Yi");
    refused({"heatmap", shuhan, "--group", "reg_yi", "--radius", "200", "--pixel", "10", "-o", out.path().string() + "/never.tif"}, "--group reg_yi",
            "registered count of group Yi");
    // The data owner still has them.
    const auto owner = test::run_huqian({"indices", shuhan, "--group", "reg_tibetan", "--total", "pop_tibetan",
                                         "--no-privacy-guard", "--json", "-o", out.path().string() + "/reg.json"});
    INFO(owner.out);
    CHECK(owner.code == 0);
    CHECK(test::slurp(out.path().string() + "/reg.json").find("\"dissim\"") != std::string::npos);
}
