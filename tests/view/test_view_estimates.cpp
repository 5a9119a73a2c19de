// The indices panel under disclosure control without a window (docs/privacy.md, "Indices
// from the published table"): on a suite result built by hand, an estimated value prints "≈"
// and says so, a withheld one "—" with its reason (reading and tooltip), an exact one as
// before, and the suite's notes are shown, in Chinese and English.
#include <catch2/catch.hpp>

#include <limits>
#include <string>
#include <vector>

#include "app/view/inspect.hpp"
#include "app/view/strings.hpp"
#include "geo/analysis/segregation.hpp"

using namespace hq;
using namespace hq::view;

#ifdef HUQIAN_HAVE_VIEWER
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// D estimated (44.3 % filled), G withheld with a reason, H exact; multigroup D estimated,
/// multigroup Gini withheld; one note.
analysis::SegregationResult hand_made_suite() {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    analysis::SegregationResult r;
    r.single = {{"dissim", 0.47712}, {"gini", nan}, {"entropy", 0.25}};
    analysis::IndexDisclosure est;
    est.estimated = true;
    est.filled_share = 0.443;
    analysis::IndexDisclosure held;
    held.withheld = true;
    held.filled_share = 0.862;
    held.reason_zh = "该值所读居民中86%为填补值";
    held.reason_en = "86 % of the residents it reads are filled in";
    r.single_disclosure = {est, held, {}};
    r.multi = {{"multi_dissim", 0.30123}, {"multi_gini", nan}, {"multi_info_theory", 0.2},
               {"simpsons_interaction", 0.612}};
    analysis::IndexDisclosure mest;
    mest.estimated = true;
    mest.filled_share = 0.225;
    r.multi_disclosure = {mest, held, {}, {}};
    r.diversity_normalised = 0.75;
    r.notes.push_back({"指数由公开表计算，不公开的格子按公开的总数填补",
                       "Indices computed from the published table, withheld cells filled in from the published totals"});
    return r;
}

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
    set_index_values(v, hand_made_suite(), true);
    REQUIRE(v.single.size() == 3);
    REQUIRE(v.single_disclosure.size() == 3);
    REQUIRE(v.multi.size() == 5);
    REQUIRE(v.multi_disclosure.size() == 5);
    for (const UiLang lang : {UiLang::Zh, UiLang::En}) {
        const bool zh = lang == UiLang::Zh;
        INFO((zh ? "zh" : "en"));
        const auto single = index_panel_rows(v, true, zh ? "藏族" : "Tibetan", lang);
        REQUIRE(single.size() == 3);
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
        // Multigroup: the same rule; an index the result lacks is "—" but not withheld.
        const auto multi = index_panel_rows(v, false, "", lang);
        REQUIRE(multi.size() == 5);
        CHECK(row_of(multi, "multi_dissim").value == "≈0.3012");
        CHECK(has(row_of(multi, "multi_dissim").reading, zh ? "多组相异指数 ≈ 0.30" : "Multigroup dissimilarity ≈ 0.30"));
        CHECK(row_of(multi, "multi_gini").value == "—");
        CHECK(row_of(multi, "multi_gini").withheld);
        CHECK(row_of(multi, "multi_info_theory").value == "0.2000");
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
    set_index_values(m, hand_made_suite(), false);
    CHECK(m.single.empty());
    CHECK(index_panel_rows(m, true, "", UiLang::En).empty());
    CHECK(index_panel_rows(m, false, "", UiLang::En).size() == 5);
}
#endif
