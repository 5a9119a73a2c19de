// The indices panel under disclosure control without a window (docs/privacy.md, "Indices
// from the published table"): on a suite result built by hand, an estimated value prints "≈"
// and says so, a withheld one "—" with its reason (reading and tooltip), an exact one as
// before, and the suite's notes are shown, in Chinese and English.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "app/view/inspect.hpp"
#include "app/view/strings.hpp"
#include "geo/analysis/segregation.hpp"
#include "../export/test_suite_by_hand.hpp"

using namespace hq;
using namespace hq::view;

#ifdef HUQIAN_HAVE_VIEWER
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const IndexPanelRow& row_of(const std::vector<IndexPanelRow>& rows, const std::string& id) {
    for (const auto& r : rows)
        if (r.id == id) return r;
    FAIL("no row " << id);
    return rows.front();
}

}  // namespace

TEST_CASE("indices panel: estimated values print with ≈, withheld ones — with the reason, exact ones as before",
          "[view][privacy]") {
    IndicesView v;
    set_index_values(v, test::suite_by_hand(), true);
    REQUIRE(v.single.size() == 7);
    REQUIRE(v.single_disclosure.size() == 7);
    REQUIRE(v.multi.size() == 5);
    REQUIRE(v.multi_disclosure.size() == 5);
    for (const UiLang lang : {UiLang::Zh, UiLang::En}) {
        const bool zh = lang == UiLang::Zh;
        INFO((zh ? "zh" : "en"));
        const auto single = index_panel_rows(v, true, zh ? "藏族" : "Tibetan", lang);
        REQUIRE(single.size() == 7);
        // Estimated: "≈" before the value; the reading opens "D ≈" and says what was filled.
        const auto& d = row_of(single, "dissim");
        CHECK(d.value == "≈0.4771");
        CHECK_FALSE(d.withheld);
        CHECK(d.reading.rfind("D ≈ 0.48", 0) == 0);
        CHECK(has(d.reading, zh ? "由公开表估算：该值所读居民中 44% 位于不公开的格子"
                                : "estimated from the published table: 44 % of the residents it reads are in withheld cells"));
        CHECK(has(d.tooltip, zh ? "44%" : "44 %"));
        // Withheld: "—" and the reason, in the reading and the value's tooltip.
        const auto& g = row_of(single, "gini");
        CHECK(g.value == "—");
        CHECK(g.withheld);
        CHECK(g.reading == (zh ? "不公开（隐私保护）：该值所读居民中86%为填补值"
                               : "withheld (privacy guard): 86 % of the residents it reads are filled in"));
        CHECK(g.tooltip == g.reading);
        // Exact: as before.
        const auto& h = row_of(single, "entropy");
        CHECK(h.value == "0.2500");
        CHECK(h.reading.rfind("H = 0.25", 0) == 0);
        CHECK_FALSE(has(h.reading, "≈"));
        CHECK(h.tooltip.empty());
        // Multigroup: the same rule.
        const auto multi = index_panel_rows(v, false, "", lang);
        REQUIRE(multi.size() == 5);
        CHECK(row_of(multi, "multi_dissim").value == "≈0.3012");
        CHECK(has(row_of(multi, "multi_dissim").reading, zh ? "多组相异指数 ≈ 0.30" : "Multigroup dissimilarity ≈ 0.30"));
        CHECK(row_of(multi, "multi_gini").value == "—");
        CHECK(row_of(multi, "multi_gini").withheld);
        CHECK(row_of(multi, "multi_info_theory").value == "—");
        CHECK(row_of(multi, "multi_info_theory").withheld);
        CHECK(row_of(multi, "multi_diversity").value == "0.7500");
        CHECK(row_of(multi, "simpsons_interaction").value == "0.6120");
        // The suite's notes under the tables.
        const auto notes = index_panel_notes(v, lang);
        REQUIRE(notes.size() == 1);
        CHECK(notes[0] == (zh ? "指数由公开表计算，不公开的格子按公开的总数填补"
                              : "Indices computed from the published table, withheld cells filled in from the published totals"));
    }
    // Without the single group (a small group's are refused): multigroup rows only.
    IndicesView m;
    set_index_values(m, test::suite_by_hand(), false);
    CHECK(m.single.empty());
    CHECK(index_panel_rows(m, true, "", UiLang::En).empty());
    CHECK(index_panel_rows(m, false, "", UiLang::En).size() == 5);
}
#endif
