// `autocorr --by` under the privacy guard (docs/privacy.md, "LISA", "Parts"): each part's
// global Moran and Geary of a group enter only the part's units whose count the whole
// project's printed table publishes, with the weights among them; a part with too few of
// them, or whose printed counts show fewer than k residents of the group, is withheld.
// The auditor's check (no filling of the printed table changes a printed I) is in
// test_privacy_maps.cpp beside the LISA's.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "../test_support.hpp"
#include "app/cli/by_table.hpp"
#include "geo/analysis/autocorr.hpp"
#include "geo/analysis/by.hpp"
#include "geo/analysis/counts.hpp"
#include "geo/core/error.hpp"
#include "geo/privacy/disclosure.hpp"
#include "geo/privacy/maps.hpp"
#include "geo/privacy/tables.hpp"
#include "geo/project/project.hpp"
#include "parts.hpp"

using namespace hq;

namespace {

std::size_t column_of(const analysis::ByTable& t, const std::string& name) {
    const auto it = std::find(t.value_names.begin(), t.value_names.end(), name);
    REQUIRE(it != t.value_names.end());
    return static_cast<std::size_t>(it - t.value_names.begin());
}

/// Equal to the last bit, or both NaN (a p-value a degenerate part leaves undefined).
bool same(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

/// autocorrelation() of a project, or the message of its InputError (as a --by row's error).
struct Run {
    std::shared_ptr<const analysis::AutocorrResult> result;
    std::string error;
};
Run run(const Project& project, const analysis::AutocorrRequest& rq) {
    try {
        return {analysis::autocorrelation(project, rq), {}};
    } catch (const InputError& e) {
        return {nullptr, e.bare_message()};
    }
}

/// A copy of Shuhan's folder whose courtyards carry the `part` column (parts.hpp's split).
void write_shuhan_in_parts(const std::filesystem::path& dir) {
    namespace fs = std::filesystem;
    fs::copy(test::shuhan(), dir, fs::copy_options::recursive);
    const fs::path file = dir / "courtyards.geojson";
    nlohmann::json j = nlohmann::json::parse(test::slurp(file));
    auto& features = j.at("features");
    for (std::size_t i = 0; i < features.size(); ++i)
        features[i]["properties"]["part"] = test::part_of(i, features.size());
    std::ofstream(file) << j.dump();
}

const std::string kTooFewZh = "计数公开的单元不足3个（或其间无法构建权重），未计算（隐私保护，docs/privacy.md）";
const std::string kTooFewEn =
    "fewer than 3 units with a published count (or no weights among them): not computed (privacy guard, docs/privacy.md)";
const std::string kUnderKZh = "公开的计数显示该族群不足5人，未计算（隐私保护，docs/privacy.md）";
const std::string kUnderKEn =
    "the published counts show fewer than 5 residents of the group: not computed (privacy guard, docs/privacy.md)";

}  // namespace

// Shuhan in three parts, four groups, share and count: with the guard each part's Moran's I,
// Geary's c and permutation p are exactly those of a project of the part's units whose cell
// (and total, for a share) the whole project's printed table publishes, run without the guard;
// without the guard exactly today's (the part as a project of its own, every unit).
TEST_CASE("privacy: autocorr --by with the guard equals autocorr of each part's published units, without it today's values",
          "[privacy][by]") {
    const Project project = test::with_parts(load_project(test::shuhan()));
    const auto table = analysis::group_count_table(project);
    REQUIRE(table);
    const privacy::DisclosurePolicy policy;  // guard on, k = 5
    const privacy::ProtectedTable whole =
        privacy::units_by_groups_table(table->counts, privacy::group_totals_table(table->group_totals, policy));
    const std::vector<analysis::ByPart> parts = analysis::split_by(project, "part");
    REQUIRE(parts.size() == 3);
    std::size_t computed = 0, withheld = 0, changed = 0;
    for (const std::string group : {"pop_tibetan", "pop_yi", "pop_han", "pop_qiang"}) {
        const auto g = static_cast<std::size_t>(std::find(table->columns.begin(), table->columns.end(), group) -
                                                table->columns.begin());
        REQUIRE(g < table->columns.size());
        for (const bool share : {true, false}) {
            analysis::AutocorrRequest rq;
            if (share) rq.variable.group = group;
            else rq.variable.column = group;
            rq.permutations = 99;
            analysis::AutocorrRequest off_rq = rq;
            off_rq.privacy = privacy::DisclosurePolicy{.k = 5, .guard = false};
            analysis::AutocorrRequest on_rq = rq;
            on_rq.privacy = policy;
            const analysis::ByTable off = analysis::autocorrelation_by(project, "part", off_rq);
            const analysis::ByTable on = analysis::autocorrelation_by(project, "part", on_rq);
            REQUIRE(off.rows.size() == parts.size());
            REQUIRE(on.rows.size() == parts.size());
            const std::vector<char> enters = privacy::lisa_input_units(whole, g, share);
            analysis::AutocorrRequest plain = rq;  // no guard: the reference values
            plain.statistics = {"moran", "geary"};
            for (std::size_t k = 0; k < parts.size(); ++k) {
                INFO(group << (share ? " share" : " count") << ", part " << parts[k].key);
                // Without the guard: today's path, the part as a project of its own.
                const auto today = run(analysis::part_project(project, parts[k]), plain);
                const auto& o = off.rows[k];
                CHECK_FALSE(o.suppressed);
                CHECK(o.error == today.error);
                if (today.result) {
                    CHECK(same(o.values[column_of(off, "moran_i")], today.result->moran->I));
                    CHECK(same(o.values[column_of(off, "moran_p_permutation")], today.result->moran->p_permutation));
                    CHECK(same(o.values[column_of(off, "geary_c")], today.result->geary->C));
                }
                // With the guard: the part's units the whole table prints, as a project of their own.
                std::vector<std::size_t> rows;
                double printed = 0;
                for (const std::size_t i : parts[k].rows) {
                    if (enters[i]) rows.push_back(i);
                    if (!whole.cell(i, g).suppressed()) printed += whole.cell(i, g).value;
                }
                const auto& r = on.rows[k];
                if (printed < policy.k) {
                    CHECK(r.suppressed);
                    CHECK(r.reason.en == kUnderKEn);
                    CHECK(r.reason.zh == kUnderKZh);
                } else if (rows.size() < 3) {
                    CHECK(r.suppressed);
                    CHECK(r.reason.en == kTooFewEn);
                }
                if (r.suppressed) {
                    ++withheld;
                    CHECK(r.error.empty());
                    for (const double v : r.values) CHECK(std::isnan(v));
                    continue;
                }
                REQUIRE(rows.size() >= 3);
                const auto only = run(analysis::part_project(project, {parts[k].key, rows}), plain);
                CHECK(r.error == only.error);  // e.g. "Moran's I needs at least 4 units, got 3"
                if (!only.result) continue;
                CHECK(same(r.values[column_of(on, "moran_i")], only.result->moran->I));
                CHECK(same(r.values[column_of(on, "moran_p_randomisation")], only.result->moran->p_randomisation));
                CHECK(same(r.values[column_of(on, "moran_p_permutation")], only.result->moran->p_permutation));
                CHECK(same(r.values[column_of(on, "geary_c")], only.result->geary->C));
                CHECK(same(r.values[column_of(on, "geary_p_permutation")], only.result->geary->p_permutation));
                ++computed;
                if (today.result && r.values[column_of(on, "moran_i")] != today.result->moran->I) ++changed;
            }
        }
    }
    INFO(computed << " parts computed, " << withheld << " withheld, " << changed << " changed by the guard");
    CHECK(computed >= 6);
    CHECK(withheld >= 6);
    CHECK(changed >= 3);
}

// The CLI on a folder: the withheld rows in text ("—", one zh/en line per reason naming the
// parts) and JSON (the same keys, every value null, "suppressed": true, the reason); with
// --no-privacy-guard the old values and the stamp.
TEST_CASE("privacy: autocorr --by prints withheld parts as — with a zh and en reason, JSON null with suppressed",
          "[privacy][by]") {
    test::TempDir dir;
    const std::filesystem::path folder = dir.path() / "shuhan";
    write_shuhan_in_parts(folder);
    const std::string path = folder.string();
    // Yi's share (parts.hpp's split): in 乙 the whole table prints the count and total of too
    // few courtyards, in 甲 no count of Yi at all; Qiang's share: too few in every part.
    const auto json = test::run_huqian({"autocorr", path, "--by", "part", "--group", "pop_yi", "--permutations", "0", "--json"});
    INFO(json.out);
    REQUIRE(json.code == 0);
    const auto j = nlohmann::json::parse(json.out.substr(json.out.find('{')));
    CHECK(j.at("privacy").at("guard") == true);
    std::vector<std::string> keys, zh, en;
    std::size_t shown = 0;
    for (const auto& row : j.at("rows")) {
        std::vector<std::string> names;
        for (const auto& [name, v] : row.at("values").items()) names.push_back(name);
        if (keys.empty()) keys = names;
        CHECK(names == keys);  // the same shape in every row
        if (row.contains("suppressed")) {
            CHECK(row.at("suppressed") == true);
            for (const auto& [name, v] : row.at("values").items()) CHECK(v.is_null());
            CHECK(row.at("error").is_null());
            zh.push_back(row.at("reason").at("zh"));
            en.push_back(row.at("reason").at("en"));
        } else {
            ++shown;
            CHECK(row.at("values").at("moran_i").is_number());
        }
    }
    CHECK(shown == 1);
    CHECK(keys.size() == 7);
    CHECK(zh == std::vector<std::string>{kTooFewZh, kUnderKZh});  // 乙, 甲 (rows sorted by value)
    CHECK(en == std::vector<std::string>{kTooFewEn, kUnderKEn});

    // Text: "—" in every value column (the terminal-safe text shows a tab as \t), then one
    // line per reason naming its parts, zh then en.
    const auto text = test::run_huqian({"autocorr", path, "--by", "part", "--group", "pop_yi", "--permutations", "0"});
    INFO(text.out);
    REQUIRE(text.code == 0);
    CHECK(text.out.find("\n乙\\t11\\t—\\t—\\t—\\t—\\t—\\t—\\t—\\t\n") != std::string::npos);
    CHECK(text.out.find("\n—：" + kTooFewZh + "（乙） / —: " + kTooFewEn + " (乙)\n") != std::string::npos);
    CHECK(text.out.find("\n—：" + kUnderKZh + "（甲） / —: " + kUnderKEn + " (甲)\n") != std::string::npos);

    const auto qiang = test::run_huqian({"autocorr", path, "--by", "part", "--group", "pop_qiang", "--permutations", "0", "--csv"});
    INFO(qiang.out);
    REQUIRE(qiang.code == 0);
    CHECK(qiang.out.find("\n丙,10,—,—,—,—,—,—,—,\n") != std::string::npos);
    CHECK(qiang.out.find("\n# —：" + kTooFewZh + "（丙、乙、甲） / —: " + kTooFewEn + " (丙, 乙, 甲)\n") != std::string::npos);

    // The data owner: every part computed from every unit, stamped.
    const auto owner = test::run_huqian(
        {"autocorr", path, "--by", "part", "--group", "pop_yi", "--permutations", "0", "--no-privacy-guard"});
    INFO(owner.out);
    REQUIRE(owner.code == 0);
    CHECK(owner.out.find(privacy::DisclosurePolicy{.k = 5, .guard = false}.stamp() + "\n") != std::string::npos);
    CHECK(owner.out.find("—") == std::string::npos);
    const auto owner_json = test::run_huqian(
        {"autocorr", path, "--by", "part", "--group", "pop_yi", "--permutations", "0", "--no-privacy-guard", "--json"});
    REQUIRE(owner_json.code == 0);
    const auto jo = nlohmann::json::parse(owner_json.out.substr(owner_json.out.find('{')));
    CHECK(jo.at("privacy").at("guard") == false);
    for (const auto& row : jo.at("rows")) {
        CHECK_FALSE(row.contains("suppressed"));
        CHECK(row.at("values").at("moran_i").is_number());
    }
}
