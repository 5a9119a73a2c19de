// Disclosure control (docs/privacy.md): the auditor (auditor.hpp) checked by hand, then
// turned on geo/privacy's tables and on what huqian's commands print.
// [SECTION] index
//   The auditor by hand
//   geo/privacy under the auditor
//   huqian's outputs under the auditor
//   A project built to be hard
//   Catchments, residents reached, another k
//   Exports and other outputs as their own readers
//   Tables over 50,000 cells
//   Map classes and pies as a reader measures them
//   The coarse rule against unit totals printed elsewhere (grid checker)
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <variant>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include "../export/test_shell.hpp"
#include "../test_support.hpp"
#include "app/carto/scene.hpp"
#include "auditor.hpp"
#include "geo/privacy/disclosure.hpp"
#include "geo/privacy/tables.hpp"
#include "geo/project/project.hpp"
#include "outputs.hpp"

#include <nlohmann/json.hpp>

using Catch::Matchers::WithinAbs;
using namespace hq;
namespace sh = hq::test::shell;

namespace {

/// The huqian under audit: HUQIAN_AUDIT_EXE when set (to audit another build, e.g. the code
/// before a fix: `HUQIAN_AUDIT_EXE=/path/to/old/huqian test_privacy`), else this build's.
std::string huqian_exe() {
    const char* e = std::getenv("HUQIAN_AUDIT_EXE");
    return e && *e ? std::string(e) : sh::exe();
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& l : v) s += l + "\n";
    return s;
}

/// report.pdf's text as report.md's reader reads it (outputs.hpp, pdf_text_as_report_md).
std::string pdf_report_md(const std::string& pdf) {
    const auto r = sh::run("pdftotext -layout -enc UTF-8 " + sh::q(pdf) + " -");
    REQUIRE(r.code == 0);
    return audit::pdf_text_as_report_md(r.out);
}

/// The auditor's verdict on a model: prints every leak, and how much it checked.
void require_no_leaks(const audit::Model& m, const std::string& what) {
    const auto leaks = m.leaks();
    INFO(what << ": " << m.checked() << " suppressed cells checked, " << m.variables() << " unknowns\n"
              << joined(leaks));
    CHECK(leaks.empty());
}

}  // namespace

// [SECTION] The auditor by hand ---------------------------------------------------------------

namespace {

/// The 2×2 table a b / c d with row totals r1, r2 and column totals c1, c2, as printed.
audit::Model two_by_two(const std::array<const char*, 8>& printed) {
    audit::Model m(5);
    const char* names[8] = {"a", "b", "c", "d", "r1", "r2", "c1", "c2"};
    int v[8];
    for (int i = 0; i < 8; ++i) {
        v[i] = m.var(names[i]);
        m.count(v[i], printed[static_cast<std::size_t>(i)], names[i]);
    }
    m.sum({v[0], v[1]}, v[4]);
    m.sum({v[2], v[3]}, v[5]);
    m.sum({v[0], v[2]}, v[6]);
    m.sum({v[1], v[3]}, v[7]);
    return m;
}

}  // namespace

TEST_CASE("auditor: a lone suppressed cell of a table with totals is worked out exactly", "[auditor]") {
    // a b | 10      a = 3, b = 7, c = 14, d = 16 (hand-made). With a small and c, d
    // c d | 30      withheld, a = 10 − 7 = 3.
    // 17 23 | 40
    const auto leaks = two_by_two({"<5", "7", "x", "x", "10", "30", "17", "23"}).leaks();
    REQUIRE(leaks.size() == 1);
    CHECK(leaks[0] == "a: \"<5\" is pinned to [3, 3]");
}

TEST_CASE("auditor: the knowledge that \"<5\" is 0..4 narrows a 2×2 pattern", "[auditor]") {
    // a = 3, b = 7, c = 4, d = 6; a and c "<5", b and d "x": c = 7 − a ≤ 4 gives a ≥ 3
    // (by hand: a ∈ [3, 4], c = 7 − a ∈ [3, 4]).
    const auto leaks = two_by_two({"<5", "x", "<5", "x", "10", "10", "7", "13"}).leaks();
    REQUIRE(leaks.size() == 2);
    CHECK(leaks[0] == "a: \"<5\" is pinned to [3, 4]");
    CHECK(leaks[1] == "c: \"<5\" is pinned to [3, 4]");
}

TEST_CASE("auditor: a rounded percentage gives a hidden count back (issue 14's row)", "[auditor]") {
    // "| 武侯祠横街17号院 | 226 | <5 | 2% |": 1.5 % · 226 = 3.39 ≤ n < 2.5 % · 226 = 5.65.
    audit::Model m(5);
    const int t = m.var("t"), f = m.var("f");
    m.count(t, "226", "total");
    m.count(f, "<5", "row 17");
    m.percent(f, t, "2%");
    const auto leaks = m.leaks();
    REQUIRE(leaks.size() == 1);
    CHECK(leaks[0].find("row 17: \"<5\" is pinned to [3.39, 4]") == 0);
}

TEST_CASE("auditor: a printed small count is a leak, and \"<5\" inside a wide enough table is not", "[auditor]") {
    audit::Model m(5);
    m.count(m.var("a"), "3", "Salar");
    CHECK(m.leaks() == std::vector<std::string>{"Salar: the count 3 is printed"});
    audit::Model ok(5);
    const int a = ok.var("a"), b = ok.var("b"), t = ok.var("t");
    ok.count(a, "<5", "a");
    ok.count(b, "x", "b");
    ok.count(t, "20", "t");
    ok.sum({a, b}, t);  // b = 20 − a ≥ 5: a ∈ [0, 4], as wide as "<5" says
    CHECK(ok.leaks().empty());
}

// [SECTION] geo/privacy under the auditor -------------------------------------------------------

namespace {

/// Prints a protected table the way an output would (count_text), then audits it with every
/// total published.
audit::Model audit_table(const privacy::ProtectedTable& t, bool hide_last_column = false) {
    audit::Model m(t.policy().k);
    auto name = [](std::size_t r, std::size_t c) { return std::to_string(r) + "," + std::to_string(c); };
    for (std::size_t r = 0; r <= t.rows(); ++r)
        for (std::size_t c = 0; c <= t.cols(); ++c) {
            const int v = m.var(name(r, c));
            if (hide_last_column && c + 1 == t.cols()) continue;  // never printed
            m.count(v, privacy::count_text(t.cell(r, c), t.policy()),
                    "cell " + name(r, c) + " = " + std::to_string(t.cell(r, c).value));
        }
    for (std::size_t r = 0; r <= t.rows(); ++r) {
        std::vector<int> parts;
        for (std::size_t c = 0; c < t.cols(); ++c) parts.push_back(m.var(name(r, c)));
        m.sum(parts, m.var(name(r, t.cols())));
    }
    for (std::size_t c = 0; c <= t.cols(); ++c) {
        std::vector<int> parts;
        for (std::size_t r = 0; r < t.rows(); ++r) parts.push_back(m.var(name(r, c)));
        m.sum(parts, m.var(name(t.rows(), c)));
    }
    return m;
}

}  // namespace

TEST_CASE("privacy: protect() suppresses 0..k-1 and its tables pass the auditor (random tables)", "[privacy]") {
    std::mt19937 rng(20261207);
    for (int trial = 0; trial < 150; ++trial) {
        const std::size_t R = 1 + rng() % 12, C = 1 + rng() % 8;
        privacy::Table t(R, C);
        for (std::size_t r = 0; r < R; ++r)
            for (std::size_t c = 0; c < C; ++c) {
                const unsigned u = rng() % 10;
                t.set(r, c, u < 4 ? static_cast<double>(rng() % 5) : static_cast<double>(rng() % 60));
            }
        const privacy::DisclosurePolicy policy;
        const privacy::ProtectedTable p = privacy::protect(t, policy);
        for (std::size_t r = 0; r <= R; ++r)
            for (std::size_t c = 0; c <= C; ++c) {
                const auto& cell = p.cell(r, c);
                if (cell.value < 5) CHECK(cell.state == privacy::Suppression::Primary);
                if (cell.value >= 5) CHECK(cell.state != privacy::Suppression::Primary);
            }
        INFO("trial " << trial << ": " << R << " × " << C);
        require_no_leaks(audit_table(p), "random table");
    }
}

TEST_CASE("privacy: one group per unit beside unit totals (the courtyard table) passes the auditor", "[privacy]") {
    // A group of 3 in one courtyard among 12 courtyards of 20..200 residents; the rest of
    // each courtyard is never printed.
    std::mt19937 rng(7);
    std::vector<double> part(12, 0.0), whole(12);
    for (std::size_t i = 0; i < 12; ++i) whole[i] = 20 + static_cast<double>(rng() % 180);
    part[4] = 3;
    const privacy::DisclosurePolicy policy;
    const auto p = privacy::part_of_whole_table(part, whole, policy);
    CHECK(p.cell(4, 0).state == privacy::Suppression::Primary);
    CHECK(p.col_total(0).state == privacy::Suppression::Primary);  // the group's total: 3
    require_no_leaks(audit_table(p, true), "courtyard table");
}

TEST_CASE("privacy: the guard off publishes everything, and k is checked", "[privacy]") {
    privacy::Table t(2, 2);
    t.set(0, 0, 1);
    t.set(0, 1, 9);
    t.set(1, 0, 7);
    t.set(1, 1, 8);
    privacy::DisclosurePolicy off;
    off.guard = false;
    const auto p = privacy::protect(t, off);
    CHECK(privacy::count_text(p.cell(0, 0), off) == "1");
    CHECK(off.stamp() == "含小数值 / contains small counts");
    privacy::DisclosurePolicy bad;
    bad.k = 0;
    CHECK_THROWS_WITH(privacy::protect(t, bad), "--privacy-k must be at least 1 (got 0)");
}

// [SECTION] huqian's outputs under the auditor ---------------------------------------------------

TEST_CASE("privacy: the Shuhan meeting pack (report.md, report.pdf, map legends) passes the auditor",
          "[privacy][outputs]") {
    test::TempDir dir;
    const auto r = sh::run(sh::q(huqian_exe()) + " report " + sh::q(test::shuhan()) + " -o " + sh::q(dir.file("pack")));
    REQUIRE(r.code == 0);
    audit::Model m(5);
    const std::string md = slurp(dir.file("pack/report.md"));
    audit::read_report_md(m, md);
    // The map legends as the scenes describe them (the PNGs are drawn from these scenes).
    auto project = std::make_shared<const Project>(load_project(test::shuhan()));
    carto::MapRequest req;
    req.kind = carto::MapKind::Composition;
    const carto::Scene s = carto::build_scene(project, req);
    for (const auto& it : s.legend)
        if (it.kind == carto::LegendItem::Kind::Swatch) audit::read_legend_group(m, it.label);
    audit::close_legend(m);
    require_no_leaks(m, "report.md + composition legend");
    // report.pdf as its own reader: its text (pdftotext -layout) through the same tables.
    audit::Model mp(5);
    audit::read_report_md(mp, pdf_report_md(dir.file("pack/report.pdf")));
    for (const auto& it : s.legend)
        if (it.kind == carto::LegendItem::Kind::Swatch) audit::read_legend_group(mp, it.label);
    audit::close_legend(mp);
    // Every withheld cell of report.md is read from the PDF too (report.md's map headings
    // "### …" add two empty zone variables each there, so the variable counts differ).
    CHECK(mp.checked() == m.checked());
    CHECK(mp.checked() > 0);
    require_no_leaks(mp, "report.pdf text + composition legend");
}

TEST_CASE("privacy: plan evaluate (text and JSON) passes the auditor", "[privacy][outputs]") {
    const auto t = sh::run(sh::q(huqian_exe()) + " plan evaluate " + sh::q(test::shuhan()) + " 2>/dev/null");
    REQUIRE(t.code == 0);
    audit::Model mt(5);
    audit::read_plan_text(mt, t.out);
    require_no_leaks(mt, "plan evaluate");
    const auto j = sh::run(sh::q(huqian_exe()) + " plan evaluate --json " + sh::q(test::shuhan()) + " 2>/dev/null");
    REQUIRE(j.code == 0);
    audit::Model mj(5);
    audit::read_plan_json(mj, j.out);
    require_no_leaks(mj, "plan evaluate --json");
}

TEST_CASE("privacy: info (text and JSON) passes the auditor", "[privacy][outputs]") {
    const auto t = sh::run(sh::q(huqian_exe()) + " info " + sh::q(test::shuhan()) + " 2>/dev/null");
    REQUIRE(t.code == 0);
    audit::Model mt(5);
    audit::read_info_text(mt, t.out);
    REQUIRE(mt.variables() > 30);
    require_no_leaks(mt, "info");
    const auto j = sh::run(sh::q(huqian_exe()) + " info --json " + sh::q(test::shuhan()) + " 2>/dev/null");
    REQUIRE(j.code == 0);
    audit::Model mj(5);
    audit::read_info_json(mj, j.out);
    require_no_leaks(mj, "info --json");
}

// [SECTION] A project built to be hard ------------------------------------------------------------

#include "../export/test_project.hpp"

namespace {

/// Every output of one pack on the synthetic project (tests/export/test_project.hpp: 48
/// courtyards with 3 Alpha each, Gamma's 3 residents all in courtyard Cc, courtyard Hh with
/// 4 residents, two zones whose 300 m catchments hold all of Gamma), as one model.
audit::Model audit_pack(const test::TempDir& t, const std::string& lang) {
    audit::Model m(5);
    const std::string dir = t.file("pack-" + lang);
    const auto r = sh::run(sh::q(huqian_exe()) + " report " + sh::q(t.path().string()) + " -o " + sh::q(dir) + " --lang " +
                           lang + " --dpi 72 --permutations 99");
    REQUIRE(r.code == 0);
    audit::read_report_md(m, slurp(dir + "/report.md"));
    // report.pdf's text, read the same way, adds no new variable and passes alone.
    audit::Model mp(5);
    audit::read_report_md(mp, pdf_report_md(dir + "/report.pdf"));
    audit::Model mm(5);
    audit::read_report_md(mm, slurp(dir + "/report.md"));
    CHECK(mp.checked() == mm.checked());
    CHECK(mp.checked() > 0);
    require_no_leaks(mp, "hard project: report.pdf text (" + lang + ")");
    auto project = std::make_shared<const Project>(load_project(t.path().string()));
    carto::MapRequest req;
    req.kind = carto::MapKind::Composition;
    req.lang = lang == "en" ? carto::Lang::En : carto::Lang::Zh;
    for (const auto& it : carto::build_scene(project, req).legend)
        if (it.kind == carto::LegendItem::Kind::Swatch) audit::read_legend_group(m, it.label);
    audit::close_legend(m);
    return m;
}

}  // namespace

TEST_CASE("privacy: a synthetic project built to be hard passes the auditor in every output", "[privacy][outputs]") {
    test::TempDir t;
    test::write_test_project(t.path().string());
    test::write_test_zones(t.path().string());
    require_no_leaks(audit_pack(t, "zh"), "hard project: report.md (zh) + legend");
    // plan evaluate, text and JSON, audited together with info (the same group totals).
    audit::Model m(5);
    const std::string proj = sh::q(t.path().string());
    const auto pt = sh::run(sh::q(huqian_exe()) + " plan evaluate " + proj + " 2>/dev/null");
    const auto pj = sh::run(sh::q(huqian_exe()) + " plan evaluate --json " + proj + " 2>/dev/null");
    const auto it = sh::run(sh::q(huqian_exe()) + " info " + proj + " 2>/dev/null");
    const auto ij = sh::run(sh::q(huqian_exe()) + " info --json " + proj + " 2>/dev/null");
    REQUIRE(pt.code == 0);
    REQUIRE(pj.code == 0);
    REQUIRE(it.code == 0);
    REQUIRE(ij.code == 0);
    audit::read_plan_text(m, pt.out);
    audit::read_plan_json(m, pj.out);
    audit::read_info_text(m, it.out);
    audit::read_info_json(m, ij.out);
    require_no_leaks(m, "hard project: plan evaluate text + JSON + info text + JSON");
    // Gamma (3 residents, all in Cc, all inside both catchments): never "3.0 of 3 (100.0 %)".
    CHECK(pt.out.find("丙族 Gamma") == std::string::npos);  // its reach is withheld: not listed
    CHECK(it.out.find("丙族 Gamma                          3") == std::string::npos);
    // A map or single-group indices of Gamma alone are refused, naming the rule.
    const auto heat = sh::run(sh::q(huqian_exe()) + " export " + proj + " --map heatmap:pop_c -o " + sh::q(t.file("g.png")));
    CHECK(heat.code == 1);
    CHECK(heat.out.find("group pop_c has fewer than 5 residents: a map of it alone would show where they live") !=
          std::string::npos);
    const auto ind = sh::run(sh::q(huqian_exe()) + " indices " + proj + " --group pop_c");
    CHECK(ind.code == 1);
    CHECK(ind.out.find("group pop_c has fewer than 5 residents: its indices would show where they live") !=
          std::string::npos);
    // indices --json: Gamma's location quotient in Cc (it gives the 3 back) is null.
    const auto ij2 = sh::run(sh::q(huqian_exe()) + " indices --json " + proj + " 2>/dev/null");
    REQUIRE(ij2.code == 0);
    // (sh::run passes stderr on: the note that the indices come from the published estimate
    // comes before the document.)
    const auto j = nlohmann::json::parse(ij2.out.substr(ij2.out.find("{\n")));
    REQUIRE(j.at("local").contains("multi_location_quotient"));
    const auto& lq = j.at("local").at("multi_location_quotient");  // [unit][group]
    REQUIRE(lq.size() == 64);
    for (const auto& row : lq) CHECK(row.at(2).is_null());  // Gamma: 3 in Cc, 0 elsewhere: all small
    // With the guard off the data owner sees everything, stamped.
    const auto off = sh::run(sh::q(huqian_exe()) + " info --no-privacy-guard " + proj + " 2>/dev/null");
    CHECK(off.out.find("含小数值 / contains small counts\n测试社区") != std::string::npos);  // first line of the output
    CHECK(off.out.find("丙族 Gamma                          3") != std::string::npos);   // the test above can fail
}

// [SECTION] Catchments, residents reached, another k ----------------------------------------------

namespace {

std::string plan_json(const std::string& project, const std::string& extra = "") {
    const auto r =
        sh::run(sh::q(huqian_exe()) + " plan evaluate --json " + sh::q(project) + " " + extra);
    REQUIRE(r.code == 0);
    // stderr comes along (the guard-off warning): the document starts at its first line "{".
    const auto start = r.out.find("{\n");
    REQUIRE(start != std::string::npos);
    return r.out.substr(start);
}

}  // namespace

TEST_CASE("privacy: overlapping catchments cannot be differenced to a small count (plan evaluate --json)",
          "[privacy][outputs]") {
    // The reader of catchment_leaks() has every zone's units and weights, each published
    // reach and group total: per group, a unit's count behind the catchments must stay
    // unpinned. Shuhan's three zones, and the hard project's two zones over Gamma's courtyard.
    const std::string shuhan = plan_json(test::shuhan());
    const auto leaks = audit::catchment_leaks(shuhan, 5);
    INFO(leaks.size() << " finding(s)\n" << joined(leaks));
    CHECK(leaks.empty());
    test::TempDir t;
    test::write_test_project(t.path().string());
    test::write_test_zones(t.path().string());
    const auto hard = audit::catchment_leaks(plan_json(t.path().string()), 5);
    INFO(hard.size() << " finding(s)\n" << joined(hard));
    CHECK(hard.empty());
    // The auditor can fail: with the guard off the same reader pins counts.
    const auto off = audit::catchment_leaks(plan_json(t.path().string(), "--no-privacy-guard"), 5);
    CHECK_FALSE(off.empty());
}

TEST_CASE("privacy: a zone's residents reached is published with the guard on and passes the auditor",
          "[privacy][outputs]") {
    const std::string text = plan_json(test::shuhan());
    const auto j = nlohmann::json::parse(text);
    REQUIRE(j.at("zones").size() == 3);
    for (const auto& z : j.at("zones")) {
        INFO(z.at("id"));
        REQUIRE(z.at("residents_reached").is_number());  // every unit of the catchment is published anyway
        // It is the catchment's published units: Σ weight · residents.
        double sum = 0;
        for (const auto& u : z.at("units")) sum += u.at("weight").get<double>() * u.at("residents").get<double>();
        CHECK_THAT(z.at("residents_reached").get<double>(), Catch::Matchers::WithinRel(sum, 1e-12));
    }
    audit::Model m(5);
    audit::read_plan_json(m, text);
    require_no_leaks(m, "plan evaluate --json (guarded)");
    CHECK(audit::catchment_leaks(text, 5).empty());
}

TEST_CASE("privacy: --privacy-k 10 end to end (report, plan evaluate, info) passes an auditor with k = 10",
          "[privacy][outputs]") {
    test::TempDir dir;
    const std::string k = " --privacy-k 10";
    const auto r = sh::run(sh::q(huqian_exe()) + " report " + sh::q(test::shuhan()) + " -o " + sh::q(dir.file("pack")) + k +
                           " --dpi 72");
    REQUIRE(r.code == 0);
    audit::Model m(10);
    const std::string md = slurp(dir.file("pack/report.md"));
    CHECK(md.find("<10") != std::string::npos);  // the rule as stated, and used
    CHECK(md.find("| <5 |") == std::string::npos);
    audit::read_report_md(m, md);
    const auto pt = sh::run(sh::q(huqian_exe()) + " plan evaluate " + sh::q(test::shuhan()) + k + " 2>/dev/null");
    const auto it = sh::run(sh::q(huqian_exe()) + " info " + sh::q(test::shuhan()) + k + " 2>/dev/null");
    REQUIRE(pt.code == 0);
    REQUIRE(it.code == 0);
    audit::read_plan_text(m, pt.out);
    audit::read_info_text(m, it.out);
    const std::string pj = plan_json(test::shuhan(), k);
    audit::read_plan_json(m, pj);
    require_no_leaks(m, "k = 10: report.md + plan evaluate text/JSON + info");
    const auto leaks = audit::catchment_leaks(pj, 10);
    INFO(leaks.size() << " finding(s)\n" << joined(leaks));
    CHECK(leaks.empty());
    CHECK(it.out.find("<10") != std::string::npos);
}

TEST_CASE("privacy: plan compare's unit totals beside info's community total pass the auditor", "[privacy][outputs]") {
    // The hard project's courtyard Hh has 4 residents: alone among published unit totals,
    // the community total would give it back by subtraction.
    test::TempDir t;
    test::write_test_project(t.path().string());
    test::write_test_zones(t.path().string());
    const std::string proj = sh::q(t.path().string());
    const auto c = sh::run(sh::q(huqian_exe()) + " plan compare --json --scenario all_zones " + proj + " 2>/dev/null");
    const auto i = sh::run(sh::q(huqian_exe()) + " info --json " + proj + " 2>/dev/null");
    REQUIRE(c.code == 0);
    REQUIRE(i.code == 0);
    audit::Model m(5);
    audit::read_compare_json(m, c.out);
    audit::read_info_json(m, i.out);
    REQUIRE(m.variables() > 64);
    require_no_leaks(m, "plan compare --json + info --json");
}

#include "geo/analysis/counts.hpp"
#include "geo/analysis/segregation.hpp"

// Before the fix (protect() gave up when a "<5" had no hypercube and its totals were
// published elsewhere) the auditor found 2 leaks here: on courtyards 58 and 59 (Alpha 3,
// Beta 30, Gamma 0; total 33 published) Beta's LQ was published, so the two withheld cells
// summed to 3 and were pinned to [0, 3]. Now protect() lets the hypercube's "<5" partners
// print "x" as a last resort; 0 leaks.
TEST_CASE("privacy: indices' location quotients, read with every published unit total, pass the auditor",
          "[privacy][outputs]") {
    // A strong reader: the unit totals (the report's courtyard table prints those ≥ 5), info's
    // group and community totals, and every LQ = (x/t)/(T_g/T) of `indices --json`.
    test::TempDir t;
    test::write_test_project(t.path().string());
    const std::string proj = sh::q(t.path().string());
    const auto ij = sh::run(sh::q(huqian_exe()) + " indices --json " + proj + " 2>/dev/null");
    const auto info = sh::run(sh::q(huqian_exe()) + " info --json " + proj + " 2>/dev/null");
    REQUIRE(ij.code == 0);
    REQUIRE(info.code == 0);
    const Project project = load_project(t.path().string());
    const std::vector<double> unit_totals = analysis::group_count_table(project)->totals;
    const auto ji = nlohmann::json::parse(info.out.substr(info.out.find("{\n")));
    std::vector<std::string> names;
    std::vector<double> group_totals;
    for (const auto& g : ji.at("groups")) {
        names.push_back(g.at("zh").get<std::string>());
        group_totals.push_back(g.at("total").is_number() ? g.at("total").get<double>()
                                                         : std::numeric_limits<double>::quiet_NaN());
    }
    REQUIRE(ji.at("totals").at("total").is_number());
    const double grand = ji.at("totals").at("total").get<double>();
    // The unit totals as published (plan compare --json lists every unit; the report's
    // courtyard table pins the same cells).
    const auto cmp = sh::run(sh::q(huqian_exe()) + " plan compare --json --scenario baseline " + proj + " 2>/dev/null");
    REQUIRE(cmp.code == 0);
    const auto jc = nlohmann::json::parse(cmp.out.substr(cmp.out.find("{\n")));
    std::vector<double> published;
    for (const auto& u : jc.at("scenarios")[0].at("units"))
        published.push_back(u.at("total_before").is_number() ? u.at("total_before").get<double>()
                                                             : std::numeric_limits<double>::quiet_NaN());
    REQUIRE(published.size() == unit_totals.size());
    audit::Model m(5);
    audit::read_indices_lq(m, ij.out.substr(ij.out.find("{\n")), published, names, group_totals, grand);
    std::vector<int> units;
    for (std::size_t i = 0; i < published.size(); ++i) {
        units.push_back(m.var("lq:unit:" + std::to_string(i)));
        if (!std::isfinite(published[i])) m.count(units.back(), unit_totals[i] < 5 ? "<5" : "x", "unit total " + std::to_string(i));
    }
    m.sum(units, m.var("grand"));
    audit::read_info_json(m, info.out.substr(info.out.find("{\n")));
    require_no_leaks(m, "indices --json LQ + unit totals + info --json");
    // The same reader on the guard-off output pins the small cells (the test can fail).
    const auto off = sh::run(sh::q(huqian_exe()) + " indices --json --no-privacy-guard " + proj + " 2>/dev/null");
    REQUIRE(off.code == 0);
    audit::Model mo(5);
    audit::read_indices_lq(mo, off.out.substr(off.out.find("{\n")), published, names, group_totals, grand);
    CHECK_FALSE(mo.leaks().empty());
}

TEST_CASE("privacy: indices --json flags every null it withholds with \"suppressed\": true, keeping its shape",
          "[privacy][outputs]") {
    test::TempDir t;
    test::write_test_project(t.path().string());
    const std::string proj = sh::q(t.path().string());
    const auto r = sh::run(sh::q(huqian_exe()) + " indices --json " + proj + " 2>/dev/null");
    REQUIRE(r.code == 0);
    const auto j = nlohmann::json::parse(r.out.substr(r.out.find("{\n")));
    REQUIRE(j.at("privacy").at("guard").get<bool>());
    CHECK(j.at("privacy").at("k").get<int>() == 5);
    const auto& lq = j.at("local").at("multi_location_quotient");  // [unit][group], numbers or null
    const auto& flags = j.at("suppressed").at("local").at("multi_location_quotient");  // the same shape
    REQUIRE(lq.size() == 64);
    REQUIRE(flags.size() == lq.size());
    std::size_t withheld = 0, nulls = 0;
    for (std::size_t i = 0; i < lq.size(); ++i) {
        REQUIRE(lq[i].size() == 3);
        REQUIRE(flags[i].size() == 3);
        for (std::size_t g = 0; g < 3; ++g) {
            INFO("unit " << i << ", group " << g);
            // Every value of this project is defined (no empty unit): a null is a suppression.
            CHECK(lq[i][g].is_null() == flags[i][g].get<bool>());
            nulls += lq[i][g].is_null();
            withheld += flags[i][g].get<bool>();
        }
    }
    CHECK(nulls > 64);  // Gamma's column at least, and Alpha's small cells
    CHECK(withheld == nulls);
    // The exact per-unit indices (entropy, diversity, Simpson's two) are withheld in every
    // unit with a withheld count, local distortion wherever any count is (privacy/maps:
    // units_with_withheld_counts): null exactly where flagged, in the same shape.
    std::size_t flagged_units = 0;
    for (const char* id : {"multi_local_entropy", "multi_local_diversity", "multi_local_simpson_interaction",
                           "multi_local_simpson_concentration", "local_distortion"}) {
        INFO(id);
        const auto& v = j.at("local").at(id);
        REQUIRE(v.size() == 64);
        REQUIRE(j.at("suppressed").at("local").contains(id));
        const auto& f = j.at("suppressed").at("local").at(id);
        REQUIRE(f.size() == 64);
        for (std::size_t i = 0; i < 64; ++i) {
            CHECK(v[i].is_null() == f[i].get<bool>());
            flagged_units += f[i].get<bool>();
        }
    }
    // Every unit with a withheld location quotient has its exact indices withheld too.
    for (std::size_t i = 0; i < 64; ++i) {
        bool any = false;
        for (std::size_t g = 0; g < 3; ++g) any = any || flags[i][g].get<bool>();
        if (any) CHECK(j.at("suppressed").at("local").at("multi_local_entropy")[i].get<bool>());
    }
    CHECK(flagged_units > 0);
    // With the guard off nothing is withheld, and the document is stamped.
    const auto off = sh::run(sh::q(huqian_exe()) + " indices --json --no-privacy-guard " + proj + " 2>/dev/null");
    REQUIRE(off.code == 0);
    const auto jo = nlohmann::json::parse(off.out.substr(off.out.find("{\n")));
    CHECK_FALSE(jo.at("privacy").at("guard").get<bool>());
    CHECK(jo.at("privacy").at("stamp").get<std::string>() == "含小数值 / contains small counts");
    for (const auto& row : jo.at("local").at("multi_location_quotient"))
        for (const auto& v : row) CHECK(v.is_number());
    for (const auto& row : jo.at("suppressed").at("local").at("multi_location_quotient"))
        for (const auto& f : row) CHECK_FALSE(f.get<bool>());
    CHECK(jo.at("suppressed").at("local").size() == 1);  // nothing else flagged with the guard off
    for (const auto& v : jo.at("local").at("multi_local_entropy")) CHECK(v.is_number());
    // Text and CSV with the guard off: the stamp is the first line.
    // (stdout alone: the subshell drops the guard-off warning on stderr)
    const auto csv = sh::run("(" + sh::q(huqian_exe()) + " indices --csv --no-privacy-guard " + proj + " 2>/dev/null)");
    REQUIRE(csv.code == 0);
    CHECK(csv.out.rfind("# 含小数值 / contains small counts\nsection,", 0) == 0);
    const auto text = sh::run("(" + sh::q(huqian_exe()) + " indices --no-privacy-guard " + proj + " 2>/dev/null)");
    REQUIRE(text.code == 0);
    CHECK(text.out.rfind("含小数值 / contains small counts\nunits: 64", 0) == 0);
}

TEST_CASE("privacy: indices --pairwise withholds every pair with a small group or a withheld total (Shuhan)",
          "[privacy][outputs]") {
    // Shuhan's 黎族 Li (6) and 土族 Tu (5) each live in one courtyard, and several groups
    // have fewer than 5 residents. Before this rule the exposure row of a group of 2 gave
    // its members' courtyard mix, and a two-group dissimilarity of 1.000 or 0.000 said
    // whether two tiny groups share a courtyard. The reader's side: `info --json` prints the
    // group totals ("<5" / "x" as null with "suppressed": true).
    const std::string shuhan = sh::q(test::shuhan());
    const auto info = sh::run(sh::q(huqian_exe()) + " info --json " + shuhan + " 2>/dev/null");
    REQUIRE(info.code == 0);
    const auto ji = nlohmann::json::parse(info.out.substr(info.out.find('{')));
    const auto r = sh::run(sh::q(huqian_exe()) + " indices --pairwise --json " + shuhan + " 2>/dev/null");
    REQUIRE(r.code == 0);
    const auto j = nlohmann::json::parse(r.out.substr(r.out.find("{\n")));
    const auto& names = j.at("pairwise").at("groups");
    const std::size_t k = names.size();
    REQUIRE(k >= 10);  // the groups with a unit of at least one resident in the published estimate
    REQUIRE(j.at("suppressed").contains("pairwise"));
    // And, since the values come from the published estimate (docs/privacy.md, "Indices from
    // the published table"), a pair with more than half of its residents in filled cells.
    const Project project = load_project(test::shuhan());
    const auto est = analysis::published_counts_estimate(project, nullptr, privacy::DisclosurePolicy{});
    REQUIRE(est);
    const auto pair_mostly_filled = [&](const std::string& a, const std::string& b) {
        double filled = 0, total = 0;
        for (std::size_t g = 0; g < project.groups.size(); ++g)
            for (const std::string& name : {a, b})
                if (project.groups[g].column == name) {
                    filled += est->col_filled[g];
                    total += est->col_totals[g];
                }
        return filled > 0.5 * total;
    };
    const auto& flags = j.at("suppressed").at("pairwise");
    // Which groups' totals info prints (the same policy, the same totals).
    std::map<std::string, bool> printed;
    for (const auto& g : ji.at("groups")) printed[g.at("column").get<std::string>()] = g.at("total").is_number();
    REQUIRE(printed.size() == 36);
    std::size_t withheld = 0, published = 0;
    for (std::size_t x = 0; x < k; ++x)
        for (std::size_t y = 0; y < k; ++y) {
            const std::string a = names[x].get<std::string>(), b = names[y].get<std::string>();
            INFO(a << " × " << b);
            const bool expect = !printed.at(a) || !printed.at(b) || pair_mostly_filled(a, b);
            CHECK(flags[x][y].get<bool>() == expect);
            CHECK(j.at("pairwise").at("exposure")[x][y].is_null() == expect);
            CHECK(j.at("pairwise").at("dissim")[x][y].is_null() == expect);
            (expect ? withheld : published) += 1;
        }
    CHECK(withheld > 0);
    CHECK(published >= 4);  // Han and Tibetan at least
    // The text marks them "—" and says why, in both languages.
    const auto text = sh::run(sh::q(huqian_exe()) + " indices --pairwise " + shuhan + " 2>/dev/null");
    REQUIRE(text.code == 0);
    CHECK_THAT(text.out, Catch::Matchers::Contains("人或合计被隐去的群体的组对不公开") &&
                             Catch::Matchers::Contains("pairs with a group of fewer than 5 residents or a withheld "
                                                       "total are withheld"));
    // The data owner's run publishes every pair, stamped.
    const auto off = sh::run(sh::q(huqian_exe()) + " indices --pairwise --json --no-privacy-guard " + shuhan + " 2>/dev/null");
    REQUIRE(off.code == 0);
    const auto jo = nlohmann::json::parse(off.out.substr(off.out.find("{\n")));
    CHECK_FALSE(jo.at("suppressed").contains("pairwise"));
    for (const auto& row : jo.at("pairwise").at("dissim"))
        for (const auto& v : row) CHECK(v.is_number());
}

TEST_CASE("privacy: plan compare --json withholds a unit's Simpson index where its counts are withheld (Shuhan)",
          "[privacy][outputs][plan]") {
    // An exact Simpson index of a unit's counts beside its published total gives withheld
    // cells back; every Shuhan courtyard has a withheld count (1,074 of 1,152 cells).
    const std::string shuhan = sh::q(test::shuhan());
    const auto on = sh::run(sh::q(huqian_exe()) + " plan compare --scenario all_zones --json " + shuhan + " 2>/dev/null");
    REQUIRE(on.code == 0);
    const auto j = nlohmann::json::parse(on.out.substr(on.out.find('{')));
    const auto& units = j.at("scenarios").at(0).at("units");
    REQUIRE(units.size() == 32);
    for (const auto& u : units) {
        INFO(u.at("id"));
        CHECK(u.at("simpson_before").is_null());
        CHECK(u.at("simpson_after").is_null());
        CHECK(u.at("suppressed").get<bool>());
    }
    const auto off =
        sh::run(sh::q(huqian_exe()) + " plan compare --scenario all_zones --json --no-privacy-guard " + shuhan + " 2>/dev/null");
    REQUIRE(off.code == 0);
    const auto jo = nlohmann::json::parse(off.out.substr(off.out.find('{')));
    for (const auto& u : jo.at("scenarios").at(0).at("units")) {
        CHECK(u.at("simpson_before").is_number());
        CHECK_FALSE(u.at("suppressed").get<bool>());
    }
}

// [SECTION] Exports and other outputs as their own readers ---------------------------------------

#include "geo/io/reader.hpp"

namespace {

/// A double column value of a layer row (nullptr for null / absent).
const double* real_at(const Layer& l, std::size_t row, const std::string& field, std::vector<double>& store) {
    const int f = l.table.field_index(field);
    if (f < 0) return nullptr;
    const Value& v = l.table.rows[row][static_cast<std::size_t>(f)];
    if (const auto* d = std::get_if<double>(&v)) store[row] = *d;
    else if (const auto* i = std::get_if<std::int64_t>(&v)) store[row] = static_cast<double>(*i);
    else return nullptr;
    return &store[row];
}

Layer gpkg_layer(const std::string& path, const std::string& name) {
    ReadOptions o;
    o.layer = name;
    return read_layer_raw(path, o);
}

/// The info --json of a project: group names (zh) and totals (NaN = withheld), the grand total.
struct InfoTotals {
    std::vector<std::string> names, columns;
    std::vector<double> totals;
    double grand = 0;
    std::string text;
};
InfoTotals info_totals(const std::string& project) {
    const auto info = sh::run(sh::q(huqian_exe()) + " info --json " + sh::q(project) + " 2>/dev/null");
    REQUIRE(info.code == 0);
    InfoTotals it;
    it.text = info.out.substr(info.out.find("{\n"));
    const auto ji = nlohmann::json::parse(it.text);
    for (const auto& g : ji.at("groups")) {
        it.names.push_back(g.at("zh").get<std::string>());
        it.columns.push_back(g.at("column").get<std::string>());
        it.totals.push_back(g.at("total").is_number() ? g.at("total").get<double>() : std::numeric_limits<double>::quiet_NaN());
    }
    it.grand = ji.at("totals").at("total").get<double>();
    return it;
}

/// The hand-off's units layer into `m` (read_units_table); the unit totals it publishes.
std::vector<double> read_handoff_units(audit::Model& m, const Layer& units, const InfoTotals& info) {
    const std::size_t n = units.table.rows.size(), G = info.columns.size();
    std::vector<std::vector<double>> store(2 * G + 1, std::vector<double>(n));
    std::vector<std::vector<const double*>> counts(G, std::vector<const double*>(n)), shares = counts;
    std::vector<const double*> totals(n);
    std::vector<double> published(n, std::numeric_limits<double>::quiet_NaN());
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t g = 0; g < G; ++g) {
            counts[g][i] = real_at(units, i, info.columns[g], store[g]);
            shares[g][i] = real_at(units, i, "share_" + info.columns[g], store[G + g]);
        }
        totals[i] = real_at(units, i, "total", store[2 * G]);
        if (totals[i]) published[i] = *totals[i];
    }
    audit::read_units_table(m, info.columns, info.names, counts, totals, shares);
    return published;
}

/// The QGIS hand-off of a project's composition map (`export --map composition -o F.gpkg`): its
/// units layer.
Layer handoff_units(const std::string& project, const std::string& gpkg) {
    const auto r = sh::run(sh::q(huqian_exe()) + " export " + sh::q(project) + " --map composition -o " + sh::q(gpkg) +
                           " --permutations 99 2>/dev/null");
    REQUIRE(r.code == 0);
    return gpkg_layer(gpkg, "units");
}

}  // namespace

TEST_CASE("privacy: the QGIS hand-off GeoPackage (units and zones layers) passes the auditor", "[privacy][outputs]") {
    // The hand-off carries per unit every group's count, the total, the shares and the
    // location quotients, and per zone each group's reach: read as a GIS user reads them,
    // with info's totals and plan evaluate's catchments (units and weights) beside them.
    test::TempDir t;
    test::write_test_project(t.path().string());
    test::write_test_zones(t.path().string());
    const std::string proj = t.path().string();
    // Units: counts, totals, shares, LQs (lq_COLUMN) as one table, with info's totals.
    const Layer units = handoff_units(proj, t.file("handoff.gpkg"));
    const InfoTotals info = info_totals(proj);
    REQUIRE(units.table.rows.size() == 64);
    audit::Model m(5);
    const std::vector<double> published = read_handoff_units(m, units, info);
    nlohmann::json lq = nlohmann::json::array();
    std::vector<double> store(64);
    for (std::size_t i = 0; i < 64; ++i) {
        nlohmann::json row = nlohmann::json::array();
        for (const auto& c : info.columns) {
            const double* v = real_at(units, i, "lq_" + c, store);
            row.push_back(v ? nlohmann::json(*v) : nlohmann::json(nullptr));
        }
        lq.push_back(row);
    }
    audit::read_indices_lq(m, nlohmann::json{{"local", {{"multi_location_quotient", lq}}}}.dump(), published, info.names,
                           info.totals, info.grand);
    audit::read_info_json(m, info.text);
    INFO(m.checked() << " cells checked");
    REQUIRE(m.checked() >= 192);
    require_no_leaks(m, "hand-off units layer (counts, totals, shares, LQ) + info --json");
    // Zones: each group's reach per zone, read with plan evaluate's catchments (the
    // reader who differences overlapping catchments, catchment_leaks). At 300 m the two
    // catchments overlap (the hand-off protected one zone at a time before and published
    // Beta's 1864 in the garden's; now the zones are protected together, as in `plan
    // evaluate`); at 100 m they are disjoint. Guard off, the same reader pins Gamma.
    std::size_t published_reach = 0;
    for (const int radius : {300, 100, -100}) {
        const bool off = radius < 0;
        const std::string r = std::to_string(off ? -radius : radius);
        const std::string file = t.file("handoff-" + std::to_string(radius) + ".gpkg");
        const auto e = sh::run(sh::q(huqian_exe()) + " export " + sh::q(proj) + " --map composition --catchment-radius " +
                               r + " -o " + sh::q(file) + (off ? " --no-privacy-guard" : "") + " 2>/dev/null");
        REQUIRE(e.code == 0);
        const Layer zones = gpkg_layer(file, "zones");
        REQUIRE(zones.table.rows.size() == 2);
        auto pj = nlohmann::json::parse(plan_json(proj, "--radius " + r));
        std::vector<double> zs(2);
        for (std::size_t z = 0; z < 2; ++z)
            for (std::size_t g = 0; g < info.columns.size(); ++g) {
                const double* v = real_at(zones, z, "reached_" + info.columns[g], zs);
                pj["zones"][z]["groups"][g]["reached"] = v ? nlohmann::json(*v) : nlohmann::json(nullptr);
                if (!off) published_reach += v != nullptr;
            }
        const auto leaks = audit::catchment_leaks(pj.dump(), 5);
        INFO("radius " << radius << ": " << leaks.size() << " finding(s)\n" << joined(leaks));
        if (off) CHECK_FALSE(leaks.empty());  // the auditor can fail on this reader
        else CHECK(leaks.empty());
    }
    CHECK(published_reach > 0);
}

TEST_CASE("privacy: Shuhan's hand-off units layer passes the auditor (a group living in one courtyard)",
          "[privacy][outputs]") {
    // Shuhan's 黎族 Li (6) and 土族 Tu (5) each live in one courtyard. The hypercube search
    // used to look for partners from k + need_up up, skipped that one cell, and published
    // "Li 6" beside info's total of 6: the other 31 courtyards' Li pinned to 0 ("all Li live
    // here"), found by this reader (HUQIAN_AUDIT_EXE of the build before the fix: 62 leaks).
    test::TempDir t;
    const std::string proj = test::shuhan();
    const Layer units = handoff_units(proj, t.file("handoff.gpkg"));
    const InfoTotals info = info_totals(proj);
    REQUIRE(units.table.rows.size() == 32);
    REQUIRE(info.columns.size() == 36);
    audit::Model m(5);
    (void)read_handoff_units(m, units, info);
    audit::read_info_json(m, info.text);
    INFO(m.checked() << " cells checked");
    REQUIRE(m.checked() >= 1000);
    require_no_leaks(m, "Shuhan hand-off units layer + info --json");
    // The cell itself: Li's only courtyard is withheld.
    std::vector<double> store(32);
    std::size_t li_published = 0;
    for (std::size_t i = 0; i < 32; ++i) li_published += real_at(units, i, "pop_li", store) != nullptr;
    CHECK(li_published == 0);
}

TEST_CASE("privacy: indices --csv's location quotients pass the auditor (the JSON's reader)", "[privacy][outputs]") {
    test::TempDir t;
    test::write_test_project(t.path().string());
    const std::string proj = t.path().string();
    const InfoTotals info = info_totals(proj);
    const auto csv = sh::run(sh::q(huqian_exe()) + " indices --csv " + sh::q(proj) + " 2>/dev/null");
    REQUIRE(csv.code == 0);
    const std::string lq = audit::indices_csv_lq_as_json(csv.out, info.columns);
    INFO(lq.substr(0, 400));
    REQUIRE(info.columns.size() == 3);
    const auto lq_rows = nlohmann::json::parse(lq).at("local").at("multi_location_quotient");
    REQUIRE(lq_rows.size() == 64);
    for (const auto& row : lq_rows) REQUIRE(row.size() == 3);
    // The unit totals as published (plan compare --json lists every unit).
    const auto cmp = sh::run(sh::q(huqian_exe()) + " plan compare --json --scenario baseline " + sh::q(proj) + " 2>/dev/null");
    REQUIRE(cmp.code == 0);
    std::vector<double> published;
    const auto jc = nlohmann::json::parse(cmp.out.substr(cmp.out.find("{\n")));
    for (const auto& u : jc.at("scenarios")[0].at("units"))
        published.push_back(u.at("total_before").is_number() ? u.at("total_before").get<double>()
                                                             : std::numeric_limits<double>::quiet_NaN());
    REQUIRE(published.size() == 64);
    audit::Model m(5);
    audit::read_indices_lq(m, lq, published, info.names, info.totals, info.grand);
    audit::read_info_json(m, info.text);
    require_no_leaks(m, "indices --csv LQ + unit totals + info --json");
    // The same reader on the guard-off CSV pins the small cells (the test can fail).
    const auto off = sh::run(sh::q(huqian_exe()) + " indices --csv --no-privacy-guard " + sh::q(proj) + " 2>/dev/null");
    REQUIRE(off.code == 0);
    audit::Model mo(5);
    audit::read_indices_lq(mo, audit::indices_csv_lq_as_json(off.out, info.columns), published, info.names, info.totals,
                           info.grand);
    CHECK_FALSE(mo.leaks().empty());
}

TEST_CASE("privacy: autocorr of a group of fewer than k residents is refused, and its JSON states the policy",
          "[privacy][outputs]") {
    test::TempDir t;
    test::write_test_project(t.path().string());
    const std::string proj = sh::q(t.path().string());
    // Gamma (3 residents, all in Cc): local Moran's quadrant and G* per unit would say where.
    for (const std::string spec : {"--group pop_c", "--share pop_c:pop_b", "--var pop_c", "--group 丙族",
                                   "--var pop_b --bivariate pop_c"}) {
        INFO(spec);
        const auto r = sh::run(sh::q(huqian_exe()) + " autocorr " + proj + " " + spec + " --permutations 0");
        CHECK(r.code == 1);
        CHECK(r.out.find("group pop_c has fewer than 5 residents: its autocorrelation would show where they live") !=
              std::string::npos);
    }
    const auto ok = sh::run(sh::q(huqian_exe()) + " autocorr " + proj + " --group pop_a --permutations 0 --json 2>/dev/null");
    REQUIRE(ok.code == 0);
    const auto j = nlohmann::json::parse(ok.out.substr(ok.out.find("{\n")));
    CHECK(j.at("privacy").at("guard").get<bool>());
    // The data owner may (stamped).
    const auto off = sh::run("(" + sh::q(huqian_exe()) + " autocorr " + proj +
                             " --group pop_c --permutations 0 --statistics moran --no-privacy-guard 2>/dev/null)");
    CHECK(off.code == 0);
    CHECK(off.out.rfind("含小数值 / contains small counts\n", 0) == 0);
}

// [SECTION] Tables over 50,000 cells ----------------------------------------------------------------

#include <chrono>

TEST_CASE("privacy: a 60,000-cell units x groups table (the coarse rule) passes the auditor, group by group",
          "[privacy][large]") {
    // 2,000 units × 30 groups, above 50,000 cells (the coarse rule). Without the unit totals
    // a reader of this table has, per group, its column and its published total: one LP per
    // group is the whole LP. (The unit totals, which this table prints as every other output
    // does, couple the groups; the grid checker below reads them too.) Within a group the withheld cells of one symbol are interchangeable (same bounds, same
    // single sum), so the LP interval of each is that of a model with the cell, the sum of
    // the group's other "<5" cells (in [0, 4·(a−1)]) and the sum of its "x" cells (≥ 0):
    // exact, and small enough for the dense auditor (a 60,000-variable dense LP is not).
    constexpr std::size_t n = 2000, G = 30;
    std::mt19937 rng(60000);
    std::vector<std::vector<double>> counts(G, std::vector<double>(n));
    std::vector<double> totals(G, 0.0);
    for (std::size_t g = 0; g < G; ++g)
        for (std::size_t i = 0; i < n; ++i) {
            // Groups 0..9 large, 10..24 with some small cells, 25..29 all small (0..4 per unit).
            const unsigned u = rng() % 100;
            counts[g][i] = g < 10 ? 5 + rng() % 80 : g < 25 ? (u < 30 ? rng() % 5 : 5 + rng() % 40) : rng() % 5;
            totals[g] += counts[g][i];
        }
    const privacy::DisclosurePolicy policy;
    const privacy::ProtectedTable groups = privacy::group_totals_table(totals, policy);
    const auto t0 = std::chrono::steady_clock::now();
    const privacy::ProtectedTable t = privacy::units_by_groups_table(counts, groups);
    const double protect_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    REQUIRE(t.rows() == n);
    REQUIRE(t.cols() == G);
    // The unit totals as every output prints them (unit_totals_table: all ≥ 5 here).
    for (std::size_t i = 0; i < n; ++i) REQUIRE_FALSE(t.row_total(i).suppressed());
    std::size_t withheld = 0, audited_groups = 0;
    for (std::size_t g = 0; g < G; ++g) {
        double published = 0;
        std::size_t small = 0, any = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const std::string text = privacy::count_text(t.cell(i, g), policy);
            if (text == "<5") ++small;
            else if (text == "x") ++any;
            else published += std::stod(text);  // a published count: the reader subtracts it
        }
        withheld += small + any;
        if (small + any == 0) continue;
        ++audited_groups;
        const std::string total_text = privacy::count_text(t.col_total(g), policy);
        for (const std::string& symbol : {std::string("<5"), std::string("x")}) {
            if ((symbol == "<5" ? small : any) == 0) continue;
            audit::Model m(5);
            const int cell = m.var("cell"), others_small = m.var("others <5"), others_x = m.var("others x");
            const int rest = m.var("rest"), total = m.var("total");
            m.count(cell, symbol, "group " + std::to_string(g) + ", a " + symbol + " cell");
            m.at_most(others_small, 4.0 * static_cast<double>(symbol == "<5" ? small - 1 : small));
            if ((symbol == "x" ? any - 1 : any) == 0) m.at_most(others_x, 0.0);
            m.count(total, total_text, "group total " + std::to_string(g));
            m.weighted_sum({{rest, 1.0}}, published);
            m.sum({cell, others_small, others_x, rest}, total);
            require_no_leaks(m, "60k table, group " + std::to_string(g) + ", " + symbol);
        }
    }
    WARN("60,000-cell table: protected in " << protect_ms << " ms; " << withheld << " withheld cells in "
                                            << audited_groups << " groups audited");
    CHECK(audited_groups == 21);  // 20 with small cells, and the smallest of groups 0..9
    CHECK(withheld > 20000);
}

// [SECTION] Map classes and pies as a reader measures them ------------------------------------------

namespace {

/// Adds to `m` what an index map shows of group g: each unit's class (its fill) bounds its
/// value, and with the unit's published total `t` (and info's totals for an LQ) the count
/// (share: lo·t ≤ x ≤ hi·t; LQ: x = lq·t·T_g/T). Returns how many units show a class.
std::size_t read_index_map(audit::Model& m, const carto::Scene& s, std::size_t g, bool lq,
                           const std::vector<double>& unit_totals, const InfoTotals& info) {
    std::size_t shown = 0;
    for (const auto& t : s.thematic) {
        if (t.role != Role::Units || t.renderer != carto::Thematic::Renderer::Graduated) continue;
        for (std::size_t i = 0; i < t.values.size() && i < unit_totals.size(); ++i) {
            const auto* v = std::get_if<double>(&t.values[i]);
            const int x = m.var("lq:cell:" + std::to_string(i) + ":" + std::to_string(g));
            m.hidden(x, "index map unit " + std::to_string(i) + " group " + std::to_string(g));
            if (!v || !std::isfinite(unit_totals[i])) continue;
            for (const auto& c : t.classes) {
                if (c.hatched || *v < c.lower - 1e-12 || *v > c.upper + 1e-12) continue;
                double scale = unit_totals[i];
                if (lq) scale *= info.totals[g] / info.grand;
                m.weighted_sum({{x, 1.0}}, 0.5 * (c.lower + c.upper) * scale, 0.5 * (c.upper - c.lower) * scale + 1e-9);
                ++shown;
                break;
            }
        }
    }
    return shown;
}

}  // namespace

TEST_CASE("privacy: index maps' classes (share, location quotient), read with the unit totals, pass the auditor",
          "[privacy][outputs]") {
    // A reader of the PNG/PDF/SVG matches each unit's fill to its class in the legend: the
    // class bounds the unit's share (or LQ); with the unit's published total (the report's
    // courtyard table, plan compare) that bounds the count. Before the fix a unit whose
    // cell was withheld kept its class: Alpha's 3 of 33 sat in [0.0909, 0.571], so ≥ 3.
    test::TempDir t;
    test::write_test_project(t.path().string());
    const std::string proj = t.path().string();
    const InfoTotals info = info_totals(proj);
    auto project = std::make_shared<const Project>(load_project(proj));
    const std::vector<double> totals = analysis::group_count_table(*project)->totals;
    std::vector<double> published(totals.size());
    for (std::size_t i = 0; i < totals.size(); ++i)
        published[i] = totals[i] >= 5 ? totals[i] : std::numeric_limits<double>::quiet_NaN();
    for (const bool guard : {true, false}) {
        audit::Model m(5);
        std::size_t shown = 0;
        for (const char* spec : {"index:share:pop_a", "index:share:pop_b", "index:multi_location_quotient:pop_a",
                                 "index:multi_location_quotient:pop_b"}) {
            carto::MapRequest req = carto::parse_map_kind(spec);
            req.privacy_guard = guard;
            const carto::Scene s = carto::build_scene(project, req);
            const std::size_t g = std::string(spec).back() == 'a' ? 0 : 1;
            shown += read_index_map(m, s, g, std::string(spec).find("quotient") != std::string::npos, published, info);
        }
        // The composition's pies: a slice in a group's colour is its share of the unit
        // (float precision in a vector file), so with the published total it is the count.
        carto::MapRequest pr = carto::parse_map_kind("composition");
        pr.privacy_guard = guard;
        const carto::Scene ps = carto::build_scene(project, pr);
        std::size_t slices = 0;
        for (const auto& pie : ps.pies) {
            const std::size_t i = pie.feature;
            if (i >= published.size() || !std::isfinite(published[i])) continue;
            for (const auto& [share, color] : pie.slices)
                for (std::size_t g = 0; g < project->groups.size(); ++g) {
                    const carto::Color c = carto::Color::hex(project->groups[g].color);
                    if (c.r != color.r || c.g != color.g || c.b != color.b) continue;
                    const int x = m.var("lq:cell:" + std::to_string(i) + ":" + std::to_string(g));
                    m.hidden(x, "pie unit " + std::to_string(i) + " group " + std::to_string(g));
                    m.weighted_sum({{x, 1.0}}, share * published[i], 1e-5 * published[i]);
                    ++slices;
                }
        }
        audit::read_info_json(m, info.text);
        INFO("guard " << guard << ": " << shown << " unit classes and " << slices << " pie slices read");
        CHECK(slices > 0);
        CHECK(shown > 0);
        if (guard) require_no_leaks(m, "index maps' classes + unit totals");
        else CHECK_FALSE(m.leaks().empty());  // the data owner's map pins them: the reader can fail
    }
}

// [SECTION] The coarse rule against unit totals printed elsewhere (grid checker) --------------------

#include "geo/synth/synth.hpp"
#include "grid_checker.hpp"

namespace {

/// What a reader of a large project has of its units × groups table: each cell as the
/// viewer's inspector, the hand-off GeoPackage and the composition map print it, each unit
/// total as the report's courtyard table and `plan compare` print it (unit_totals_table),
/// and each group total as `info` prints it.
audit::GridPublication publication(const std::vector<std::vector<double>>& counts, const privacy::ProtectedTable& t,
                                   const privacy::ProtectedTable& groups, const privacy::ProtectedTable& units) {
    const privacy::DisclosurePolicy& policy = groups.policy();
    audit::GridPublication p;
    p.groups = counts.size();
    p.units = counts[0].size();
    p.k = policy.k;
    p.cells.resize(p.units * p.groups);
    for (std::size_t i = 0; i < p.units; ++i)
        for (std::size_t g = 0; g < p.groups; ++g) p.cells[i * p.groups + g] = privacy::count_text(t.cell(i, g), policy);
    for (std::size_t i = 0; i < p.units; ++i) {
        // Every output prints a unit's total the same way (or not at all): the union.
        const std::string elsewhere = privacy::count_text(units.col_total(i), policy);
        const std::string here = privacy::count_text(t.row_total(i), policy);
        p.unit_totals.push_back(t.row_total(i).suppressed() ? elsewhere : here);
    }
    for (std::size_t g = 0; g < p.groups; ++g) p.group_totals.push_back(privacy::count_text(groups.col_total(g), policy));
    return p;
}

std::string first_leaks(const audit::GridCheck& c, std::size_t m = 5) {
    std::ostringstream s;
    for (std::size_t j = 0; j < c.leaks.size() && j < m; ++j)
        s << "unit " << c.leaks[j].unit << " group " << c.leaks[j].group << ": " << c.leaks[j].what << "\n";
    return s.str();
}

}  // namespace

TEST_CASE("privacy: the grid checker finds what a reader works out from unit and group totals", "[privacy][large]") {
    // By hand: 3 units × 3 groups, group 2 withheld whole, unit totals and group totals
    // printed. Unit 0's only withheld cell is its group-2 cell: 20 − 12 − 6 = 2.
    audit::GridPublication p;
    p.units = 3;
    p.groups = 3;
    p.cells = {"12", "6", "<5", "10", "9", "x", "30", "7", "<5"};
    p.unit_totals = {"20", "26", "40"};
    p.group_totals = {"52", "22", "12"};
    const audit::GridCheck c = audit::check_grid(p);
    REQUIRE(c.leaks.size() == 2);
    CHECK(c.leaks[0].unit == 0);
    CHECK(c.leaks[0].group == 2);
    CHECK_THAT(c.leaks[0].lo, WithinAbs(2.0, 0.0));
    CHECK_THAT(c.leaks[0].hi, WithinAbs(2.0, 0.0));
    CHECK(c.leaks[0].what == "\"<5\" narrowed to [2, 2]");
    CHECK(c.leaks[1].unit == 2);  // 40 − 30 − 7 = 3
    CHECK_THAT(c.leaks[1].lo, WithinAbs(3.0, 0.0));
    // Without the unit totals nothing narrows: each "<5" spans 0..4 beside the "x".
    p.unit_totals = {"", "", ""};
    CHECK(audit::check_grid(p).leaks.empty());
    // A count below k printed outright.
    p.cells[1] = "3";
    const audit::GridCheck d = audit::check_grid(p);
    REQUIRE_FALSE(d.leaks.empty());
    CHECK(d.leaks[0].what == "a count below k printed");
}

TEST_CASE("privacy: the coarse rule over 100,000 units holds against the unit totals other outputs print",
          "[privacy][large]") {
    // A city built here: 100,000 units × 8 groups; groups 0..2 hold at least 5 in every unit,
    // groups 3..7 are minorities absent from most units. Above 50,000 cells the units × groups
    // table uses the coarse rule. The rule before this test withheld only the minorities'
    // columns: the report's courtyard table prints every unit total (all ≥ 15 here), so a
    // unit with none of any minority had its five "<5" pinned to 0 (and one with 2 Hui and
    // nothing else its Hui cell to 2). The checker found 405,760 such cells there.
    constexpr std::size_t n = 100000, G = 8;
    std::mt19937 rng(140014);
    std::vector<std::vector<double>> counts(G, std::vector<double>(n));
    std::vector<double> totals(G, 0.0), unit_totals(n, 0.0);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t g = 0; g < G; ++g) {
            const unsigned u = rng() % 100;
            const double v = g == 0 ? 5 + rng() % 200 : g < 3 ? 5 + rng() % 40 : (u < 6 ? rng() % 12 : 0);
            counts[g][i] = v;
            totals[g] += v;
            unit_totals[i] += v;
        }
    const privacy::DisclosurePolicy policy;
    const privacy::ProtectedTable groups = privacy::group_totals_table(totals, policy);
    const privacy::ProtectedTable units = privacy::unit_totals_table(unit_totals, groups);
    const auto t0 = std::chrono::steady_clock::now();
    const privacy::ProtectedTable t = privacy::units_by_groups_table(counts, groups);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    for (std::size_t i = 0; i < n; ++i) REQUIRE_FALSE(units.col_total(i).suppressed());  // all ≥ 15: printed

    // The rule before, rebuilt here (the minorities' columns withheld, the rest printed):
    // the checker finds the leak, so it can fail.
    audit::GridPublication before = publication(counts, t, groups, units);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t g = 0; g < G; ++g)
            if (g < 3) before.cells[i * G + g] = std::to_string(static_cast<long long>(counts[g][i]));
            else before.cells[i * G + g] = counts[g][i] < 5 ? "<5" : "x";
    const audit::GridCheck old = audit::check_grid(before);
    INFO(first_leaks(old));
    CHECK(old.leaks.size() > 90000);

    // Today's rule: a second column withheld (the smallest group without a small cell).
    const audit::GridCheck now = audit::check_grid(publication(counts, t, groups, units));
    INFO("now: " << first_leaks(now));
    CHECK(now.leaks.empty());
    CHECK(now.withheld == n * 6);  // the five minorities and one of groups 1..2
    WARN("100,000 x 8 coarse table: " << ms << " ms; checker " << now.rounds << " rounds, " << now.withheld
                                      << " withheld cells, " << old.leaks.size() << " leaks under the rule before");
    // The unit totals the table prints are those every other output prints.
    for (std::size_t i = 0; i < n; ++i)
        REQUIRE(privacy::count_text(t.row_total(i), policy) == privacy::count_text(units.col_total(i), policy));
    // `indices`' location quotients withhold exactly the table's withheld cells.
    std::vector<double> flat(n * G), lq(n * G, 1.0);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t g = 0; g < G; ++g) flat[i * G + g] = counts[g][i];
    const std::vector<bool> lq_withheld = privacy::withhold_with_cells(lq, flat, n, G, policy);
    std::size_t mismatch = 0;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t g = 0; g < G; ++g) mismatch += lq_withheld[i * G + g] != t.cell(i, g).suppressed();
    CHECK(mismatch == 0);
}

TEST_CASE("privacy: the coarse rule on a 100,000-unit synthetic city, unit totals printed, passes the grid checker",
          "[privacy][large]") {
    // geo's synth_city (seed 1, 12 groups): 1% of its units are empty, so every group has a
    // small cell and the coarse rule withholds every cell; the reader then has only the unit
    // and group totals. The checker finds nothing to narrow (evidence, not proof: see
    // docs/privacy.md, "Large tables").
    SynthOptions o;
    o.units = 100000;
    o.groups = 12;
    const Layer city = synth_city(o);
    std::vector<std::vector<double>> counts;
    for (int g = 0; g < o.groups; ++g) counts.push_back(read_counts(city, synth_group_column(g)));
    const std::size_t n = counts[0].size(), G = counts.size();
    std::vector<double> totals(G, 0.0), unit_totals(n, 0.0);
    for (std::size_t g = 0; g < G; ++g)
        for (std::size_t i = 0; i < n; ++i) {
            totals[g] += counts[g][i];
            unit_totals[i] += counts[g][i];
        }
    const privacy::DisclosurePolicy policy;
    const privacy::ProtectedTable groups = privacy::group_totals_table(totals, policy);
    const privacy::ProtectedTable units = privacy::unit_totals_table(unit_totals, groups);
    const privacy::ProtectedTable t = privacy::units_by_groups_table(counts, groups);
    const audit::GridCheck c = audit::check_grid(publication(counts, t, groups, units));
    INFO(first_leaks(c));
    CHECK(c.leaks.empty());
    CHECK(c.withheld == n * G);
    std::size_t printed_totals = 0;
    for (std::size_t i = 0; i < n; ++i) printed_totals += !units.col_total(i).suppressed();
    CHECK(printed_totals > n / 2);
    // The condition of docs/privacy.md ("Large tables", every cell withheld), counted here: a
    // small cell (i, g) spans 0..k−1 against every unit and group total when its unit and its
    // group each hold ≥ k−1 and together not the whole community (moves through a
    // transportation plan over the other units and groups). The rest lie in units of fewer
    // than k−1 residents, whose totals print "<5" (moved as the unit-totals table allows).
    double community = 0;
    for (double v : totals) community += v;
    std::size_t small = 0, covered = 0, small_units_cells = 0;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t g = 0; g < G; ++g) {
            if (counts[g][i] >= policy.k) continue;
            ++small;
            const double ti = unit_totals[i], tg = totals[g];
            if (ti < policy.k - 1) ++small_units_cells;
            else covered += tg >= policy.k - 1 && community >= ti + tg;
        }
    WARN("synth city 100,000 x 12: " << small << " small cells, " << covered << " meet the condition, "
                                     << small_units_cells << " lie in units of fewer than 4 residents");
    CHECK(covered + small_units_cells == small);
    CHECK(small_units_cells * 20 < small);
}

TEST_CASE("privacy: a large project's report prints its courtyard table from the coarse units x groups table",
          "[privacy][large]") {
    // 2,000 units × 30 groups (60,000 cells: the coarse rule), written by `huqian synth`, with
    // a manifest naming the groups. The report's courtyard table must print the focus group's
    // cells as the units × groups table does (the maps, the viewer, the hand-off), and the
    // unit totals as unit_totals_table does (plan compare): before, it protected the column
    // on its own (the hypercube) and published cells the coarse table withholds.
    test::TempDir t;
    const std::string dir = t.path().string();
    REQUIRE(sh::run(sh::q(huqian_exe()) + " synth --units 2000 --groups 30 --seed 3 -o " + sh::q(dir + "/city.gpkg")).code == 0);
    {
        std::ofstream m(dir + "/project.json");
        m << R"({"huqian_manifest": 1, "name": {"zh": "合成城市", "en": "Synthetic city"}, "illustrative": true,
  "source": {"zh": "合成", "en": "synthetic"}, "crs": "EPSG:32648",
  "layers": {"units": {"path": "city.gpkg", "id": "id"}}, "groups": [)";
        for (int g = 0; g < 30; ++g)
            m << (g ? "," : "") << R"({"column": ")" << synth_group_column(g) << R"(", "zh": "群)" << g + 1
              << R"(", "en": "G)" << g + 1 << R"(", "color": "#336699"})";
        m << "]}";
    }
    const auto r = sh::run(sh::q(huqian_exe()) + " report " + sh::q(dir) + " -o " + sh::q(dir + "/out") +
                           " --lang en --permutations 0 --group pop_g05 2>&1");
    REQUIRE(r.code == 0);
    const std::string md = slurp(dir + "/out/report.md");
    const Project project = load_project(dir);
    const auto c = analysis::group_count_table(project);
    REQUIRE(c);
    const privacy::DisclosurePolicy policy;
    const privacy::ProtectedTable groups = privacy::group_totals_table(c->group_totals, policy);
    const privacy::ProtectedTable units = privacy::unit_totals_table(c->totals, groups);
    const privacy::ProtectedTable table = privacy::units_by_groups_table(c->counts, groups);
    const std::size_t n = c->totals.size();
    REQUIRE(n == 2000);
    // The courtyard section's rows: "| id | residents | G05 | share |", in unit order.
    std::istringstream in(md.substr(md.find("## Residents by courtyard")));
    std::string line;
    std::size_t row = 0, withheld = 0;
    while (std::getline(in, line) && row < n) {
        const auto cells = audit::split(line, "|");
        if (cells.size() < 6 || audit::trim(cells[1]) != project.analysis_layer()->ids[row]) continue;
        INFO("unit " << row << ": " << line);
        CHECK(audit::trim(cells[2]) == privacy::count_text(units.col_total(row), policy));
        CHECK(audit::trim(cells[3]) == privacy::count_text(table.cell(row, 4), policy));
        withheld += table.cell(row, 4).suppressed();
        ++row;
    }
    CHECK(row == n);
    CHECK(withheld > 0);
}

// [SECTION] LISA: every surface withholds the same units (issue 14) -------------------------------

#include "app/export/report.hpp"
#include "geo/analysis/autocorr.hpp"

TEST_CASE("LISA under the guard: the export map, the hand-off fields, autocorr JSON and the report's LISA withhold "
          "the same units, and the guard off withholds none",
          "[privacy][lisa]") {
    test::TempDir t;
    const std::string proj = test::shuhan();
    const Project project = load_project(proj);
    const std::size_t n = analysis::units_layer(project)->size();
    for (const bool guard : {true, false}) {
        const std::string flag = guard ? "" : " --no-privacy-guard";
        INFO("guard " << guard);
        // The export map's scene: lisa_cluster null where hatched; its legend counts.
        carto::MapRequest req = carto::parse_map_kind("lisa:pop_tibetan");
        req.privacy_guard = guard;
        const carto::Scene scene = carto::build_scene(std::make_shared<const Project>(project), req);
        std::vector<bool> map_withheld(n, true);
        for (const auto& th : scene.thematic)
            if (th.field == "lisa_cluster")
                for (std::size_t i = 0; i < n; ++i) map_withheld[i] = std::holds_alternative<std::monostate>(th.values[i]);
        std::size_t legend_sum = 0;
        for (const auto& item : scene.legend)
            if (item.kind == carto::LegendItem::Kind::Swatch) {
                const auto open = item.label.rfind('('), close = item.label.rfind(')');
                REQUIRE(open != std::string::npos);
                legend_sum += std::stoul(item.label.substr(open + 1, close - open - 1));
            }
        const auto shown = static_cast<std::size_t>(std::count(map_withheld.begin(), map_withheld.end(), false));
        CHECK(legend_sum == shown);  // the legend counts only the units it draws
        // The QGIS hand-off of the same map: every lisa_* field null exactly there.
        const std::string gpkg = t.file(std::string("lisa") + (guard ? "1" : "0") + ".gpkg");
        const auto e = sh::run(sh::q(huqian_exe()) + " export " + sh::q(proj) + " --map lisa:pop_tibetan -o " + sh::q(gpkg) +
                               flag + " 2>/dev/null");
        REQUIRE(e.code == 0);
        const Layer units = gpkg_layer(gpkg, "units");
        REQUIRE(units.table.rows.size() == n);
        for (const char* field : {"lisa_i", "lisa_z", "lisa_p", "lisa_sig", "lisa_cluster", "lisa_label"}) {
            const int f = units.table.field_index(field);
            REQUIRE(f >= 0);
            for (std::size_t i = 0; i < n; ++i) {
                INFO(field << " unit " << i);
                CHECK(std::holds_alternative<std::monostate>(units.table.rows[i][static_cast<std::size_t>(f)]) ==
                      map_withheld[i]);
            }
        }
        // autocorr --json: null values and "suppressed": true exactly there.
        const auto a = sh::run(sh::q(huqian_exe()) + " autocorr " + sh::q(proj) +
                               " --group pop_tibetan --statistics local_moran --json" + flag + " 2>/dev/null");
        REQUIRE(a.code == 0);
        const auto j = nlohmann::json::parse(a.out.substr(a.out.find("{\n")));
        REQUIRE(j.at("local_moran").size() == n);
        for (std::size_t i = 0; i < n; ++i) {
            const auto& u = j.at("local_moran")[i];
            INFO("autocorr unit " << i);
            CHECK(u.value("suppressed", false) == map_withheld[i]);
            CHECK(u.at("quadrant").is_null() == map_withheld[i]);
            CHECK(u.at("Ii").is_null() == map_withheld[i]);
        }
        // The report's LISA (its map and Moran row share this request).
        exporter::ReportOptions ro;
        ro.privacy_guard = guard;
        const auto rl = analysis::autocorrelation(project, exporter::focus_lisa_request("pop_tibetan", ro));
        for (std::size_t i = 0; i < n; ++i) CHECK(rl->is_withheld(i) == map_withheld[i]);
        if (guard) {
            CHECK(shown > 0);           // Tibetan keeps 13 of Shuhan's 32 courtyards
            CHECK(shown < n);
        } else {
            CHECK(shown == n);          // today's map: every unit (Shuhan has no unit under k)
            CHECK(scene.stamp.size() > 0);
        }
    }
}

#include "geo/analysis/planning.hpp"

// Issue 14: the planner's HH clusters follow the guard. A unit is HH of group g for the
// planner exactly when `autocorr --group G --json` with the planner's request (queen, 999
// permutations, seed 12345, alpha 0.05, no adjustment) prints quadrant HH and significant,
// under the same guard (published-only with it, every unit with --no-privacy-guard); a group
// that autocorr refuses (fewer than k residents) has no HH unit. plan evaluate --json's
// hh_share, hh_total and hh_reached are re-derived here from those clusters, the true counts
// and the catchment weights the JSON prints (not pasted from an earlier run).
TEST_CASE("LISA under the guard: the planner's high-high clusters and plan evaluate's hh values follow the guarded "
          "LISA (Shuhan, hard project)",
          "[privacy][lisa][plan]") {
    test::TempDir t;
    test::write_test_project(t.path().string());
    test::write_test_zones(t.path().string());
    for (const std::string& proj : {test::shuhan(), t.path().string()}) {
        const Project project = load_project(proj);
        const Layer& units = *analysis::units_layer(project);
        const std::size_t n = units.size(), G = project.groups.size();
        const auto table = analysis::group_count_table(project);
        std::map<std::string, std::size_t> index;
        for (std::size_t i = 0; i < n; ++i) index[units.ids[i]] = i;
        std::size_t hh_on = 0, hh_off = 0, differ = 0;
        std::vector<std::vector<char>> raw_hh;
        for (const bool guard : {true, false}) {
            const std::string flag = guard ? "" : " --no-privacy-guard";
            INFO(proj << " guard " << guard);
            plan::PlannerOptions o;
            o.privacy = privacy::DisclosurePolicy{5, guard};
            const plan::Planner planner = analysis::make_planner(project, o);
            REQUIRE(planner.unit_count() == n);
            std::vector<std::vector<char>> hh(G, std::vector<char>(n, 0));
            for (std::size_t g = 0; g < G; ++g) {
                const std::string& col = project.groups[g].column;
                INFO("group " << col);
                const auto a = sh::run(sh::q(huqian_exe()) + " autocorr " + sh::q(proj) + " --group " + col +
                                       " --statistics local_moran --weights queen --permutations 999 --seed 12345"
                                       " --alpha 0.05 --adjust none --json" +
                                       flag + " 2>&1");
                if (guard && table->group_totals[g] < 5) {  // refused, as its map is: no HH unit
                    CHECK(a.code == 1);
                    CHECK(a.out.find("has fewer than 5 residents: its autocorrelation would show where they live") !=
                          std::string::npos);
                } else {
                    REQUIRE(a.code == 0);
                    const auto start = a.out.find("{\n");
                    REQUIRE(start != std::string::npos);
                    const auto j = nlohmann::json::parse(a.out.substr(start, a.out.rfind("\n}") + 2 - start));
                    const auto& lm = j.at("local_moran");
                    if (lm.is_array()) {
                        REQUIRE(lm.size() == n);
                        for (std::size_t i = 0; i < n; ++i)
                            hh[g][i] = lm[i].at("quadrant") == "HH" && lm[i].at("significant") == true ? 1 : 0;
                    }
                }
                for (std::size_t i = 0; i < n; ++i) {
                    INFO("unit " << units.ids[i]);
                    CHECK(planner.hh(i, g) == (hh[g][i] != 0));  // exact set equality
                    (guard ? hh_on : hh_off) += hh[g][i];
                }
            }
            if (guard) raw_hh = hh;
            else
                for (std::size_t g = 0; g < G; ++g)
                    for (std::size_t i = 0; i < n; ++i) differ += raw_hh[g][i] != hh[g][i] ? 1 : 0;
            // plan evaluate --json: every HH-derived value from these clusters.
            const auto pe = sh::run(sh::q(huqian_exe()) + " plan evaluate --json " + sh::q(proj) + flag + " 2>/dev/null");
            REQUIRE(pe.code == 0);
            const auto pj = nlohmann::json::parse(pe.out.substr(pe.out.find("{\n")));
            REQUIRE(pj.at("zones").size() > 0);
            std::vector<double> hh_total(G, 0.0);
            for (std::size_t g = 0; g < G; ++g)
                for (std::size_t i = 0; i < n; ++i) hh_total[g] += hh[g][i] ? table->counts[g][i] : 0.0;
            const double all_total = std::accumulate(hh_total.begin(), hh_total.end(), 0.0);
            for (const auto& z : pj.at("zones")) {
                INFO("zone " << z.at("id").get<std::string>());
                std::vector<double> reached(G, 0.0);
                for (const auto& u : z.at("units")) {
                    const std::size_t i = index.at(u.at("id").get<std::string>());
                    const double w = u.at("weight").get<double>();
                    for (std::size_t g = 0; g < G; ++g) reached[g] += hh[g][i] ? w * table->counts[g][i] : 0.0;
                }
                const double all_reached = std::accumulate(reached.begin(), reached.end(), 0.0);
                if (all_total > 0)
                    CHECK_THAT(z.at("hh_share").get<double>(), WithinAbs(all_reached / all_total, 1e-9));
                else
                    CHECK(z.at("hh_share").is_null());  // no HH unit: "n/a", not 0 %
                for (std::size_t g = 0; g < G; ++g) {
                    const auto& gj = z.at("groups")[g];
                    // Published values are these sums; a withheld one is null, flagged.
                    if (gj.at("hh_total").is_number())
                        CHECK_THAT(gj.at("hh_total").get<double>(), WithinAbs(hh_total[g], 1e-6));
                    else
                        CHECK(gj.at("suppressed") == true);
                    if (gj.at("hh_reached").is_number())
                        CHECK_THAT(gj.at("hh_reached").get<double>(), WithinAbs(reached[g], 0.05));
                    else
                        CHECK(gj.at("suppressed") == true);
                }
            }
        }
        if (proj == test::shuhan()) {
            CHECK(hh_on > 0);   // Shuhan keeps HH clusters under the guard (not a vacuous comparison)
            CHECK(differ > 0);  // and they are not the raw ones
        } else {
            CHECK(hh_on == 0);  // the hard project publishes no LISA (at most one printed cell per group)
            CHECK(hh_off > 0);  // while the raw LISA has HH units
        }
    }
}
