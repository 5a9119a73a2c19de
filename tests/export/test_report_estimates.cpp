// The meeting pack's index table under disclosure control (docs/privacy.md, "Indices from the
// published table"): on a suite result built by hand, an estimated value prints "≈", a
// withheld one "—" with its reason as the reading, an exact one as before, and the suite's
// notes are printed under the table, in Chinese, English and both.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "app/carto/scene.hpp"
#include "app/export/report.hpp"
#include "geo/analysis/segregation.hpp"
#include "tests/export/test_suite_by_hand.hpp"
#include "geo/project/project.hpp"

using namespace hq;
using namespace hq::exporter;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const std::vector<std::string>& row_of(const IndexTable& t, const std::string& symbol) {
    for (const auto& row : t.rows)
        if (row.at(0) == symbol) return row;
    FAIL("no row " << symbol);
    return t.rows.front();
}

}  // namespace

TEST_CASE("report index table: estimated values print with ≈, withheld ones — with the reason, exact ones as before",
          "[export][report][privacy]") {
    Project p;
    GroupDef tibetan;
    tibetan.column = "pop_tibetan";
    tibetan.name_zh = "藏族";
    tibetan.name_en = "Tibetan";
    const analysis::SegregationResult suite = test::suite_by_hand();
    for (const carto::Lang lang : {carto::Lang::Zh, carto::Lang::En, carto::Lang::Both}) {
        INFO(static_cast<int>(lang));
        std::vector<IndexRow> rows = suite_single_rows(p, tibetan, 0.12, suite, lang);
        const std::vector<IndexRow> multi = suite_multigroup_rows(p, suite, lang);
        rows.insert(rows.end(), multi.begin(), multi.end());
        const IndexTable t = index_table(rows, suite.notes, lang);
        REQUIRE(t.rows.size() == 11);
        const bool zh = lang != carto::Lang::En, en = lang != carto::Lang::Zh;
        // Estimated: "≈" before the value, the reading opens "D ≈" and says what share was filled.
        const auto& d = row_of(t, "D");
        CHECK(d.at(1) == "≈0.477");
        CHECK(has(d.at(3), "D ≈ 0.48"));
        CHECK_FALSE(has(d.at(3), "D = "));
        if (zh) CHECK(has(d.at(3), "由公开表估算：该值所读居民中44%位于不公开的格子"));
        if (en) CHECK(has(d.at(3), "Estimated from the published table: 44 % of the residents it reads are in withheld cells"));
        // Withheld: "—", its reason as the reading, no value anywhere in it.
        const auto& g = row_of(t, "G");
        CHECK(g.at(1) == "—");
        if (zh) CHECK(has(g.at(3), "G 不公开：该值所读居民中86%为填补值。"));
        if (en) CHECK(has(g.at(3), "G withheld: 86 % of the residents it reads are filled in."));
        CHECK_FALSE(has(g.at(3), "基尼系数"));
        CHECK_FALSE(has(g.at(3), "Gini index"));
        // Exact: as before, no "≈", no estimate sentence.
        const auto& h = row_of(t, "H");
        CHECK(h.at(1) == "0.250");
        CHECK(has(h.at(3), "H = 0.25"));
        CHECK_FALSE(has(h.at(3), "≈"));
        CHECK_FALSE(has(h.at(3), "published table"));
        CHECK_FALSE(has(h.at(3), "公开表"));
        // The multigroup rows follow the same rule.
        const auto& md = row_of(t, "D (multi)");
        CHECK(md.at(1) == "≈0.301");
        if (zh) CHECK(has(md.at(3), "多群体相异指数 D ≈ 0.30"));
        if (en) CHECK(has(md.at(3), "Multigroup D ≈ 0.30"));
        const auto& mh = row_of(t, "H (multi)");
        CHECK(mh.at(1) == "—");
        if (en) CHECK(has(mh.at(3), "H (multi) withheld: 86 % of the residents it reads are filled in."));
        CHECK(row_of(t, "E").at(1) == "0.750");
        CHECK(row_of(t, "I (Simpson)").at(1) == "0.612");
        // The suite's notes, in the pack's language(s).
        REQUIRE(t.notes.size() == 1);
        CHECK(has(t.notes[0], "指数由公开表计算") == zh);
        CHECK(has(t.notes[0], "Indices computed from the published table") == en);
    }
}

TEST_CASE("report index table: a result with no disclosure prints every value exact", "[export][report][privacy]") {
    Project p;
    GroupDef g;
    g.column = "pop_a";
    analysis::SegregationResult suite = test::suite_by_hand();
    suite.single_disclosure.clear();
    suite.multi_disclosure.clear();
    suite.notes.clear();
    const IndexTable t = index_table(suite_single_rows(p, g, 0.2, suite, carto::Lang::En), suite.notes, carto::Lang::En);
    CHECK(row_of(t, "D").at(1) == "0.477");
    CHECK(has(row_of(t, "D").at(3), "D = 0.48: 48 % of pop_a residents would have to move"));
    CHECK(row_of(t, "G").at(1) == "—");  // NaN: undefined, not withheld
    CHECK(row_of(t, "G").at(3).rfind("G = —", 0) == 0);
    CHECK(t.notes.empty());
}
