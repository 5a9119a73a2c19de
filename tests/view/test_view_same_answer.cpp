// Issue 12's "Done when": one request — the LISA of the Yi share with queen weights (which
// fall back to the 6 nearest neighbours on Shuhan, whose courtyards do not touch), 999
// permutations, seed 1, and the segregation suite — gives the same numbers through the CLI
// JSON (the real executable), the viewer's model (no GL), the report and an export legend:
// LISA cluster counts, index values and the weights used. All four reach geo/analysis.
#include <catch2/catch.hpp>

#ifdef HUQIAN_HAVE_VIEWER
#include <array>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "app/carto/scene.hpp"
#include "app/export/report.hpp"
#include "app/view/app.hpp"
#include "geo/project/project.hpp"
#include "tests/cli_run.hpp"
#include "tests/test_support.hpp"
#include "tests/view/view_test_support.hpp"

using Catch::Matchers::WithinAbs;

namespace {

nlohmann::json cli_json(const std::string& args) {
    const hq::test::ShellRun r = hq::test::huqian(args + " --json");
    INFO(r.err);
    REQUIRE(r.code == 0);
    return nlohmann::json::parse(r.out);
}

/// HH, LL, LH, HL, not significant, neighbourless from an English LISA legend.
std::array<long, 6> legend_counts(const hq::carto::Scene& s) {
    const std::map<std::string, std::size_t> slot{{"High-High", 0}, {"Low-Low", 1},         {"Low-High", 2},
                                                  {"High-Low", 3},  {"Not significant", 4}, {"Neighbourless", 5}};
    std::array<long, 6> c{0, 0, 0, 0, 0, 0};
    const std::regex re(R"(^(.*) \((\d+)\)$)");
    for (const auto& it : s.legend) {
        std::smatch m;
        if (it.kind == hq::carto::LegendItem::Kind::Swatch && std::regex_match(it.label, m, re) && slot.count(m[1]))
            c[slot.at(m[1])] = std::stol(m[2]);
    }
    return c;
}

}  // namespace

TEST_CASE("one request, the same answer on every surface (issue 12)", "[view][analysis]") {
    const std::string shuhan = hq::test::shuhan();
    // --- the CLI (the executable, as a user runs it) --------------------------------------
    const auto a = cli_json("autocorr '" + shuhan + "' --group Yi --weights queen --permutations 999 --seed 1");
    const auto ix = cli_json("indices '" + shuhan + "' --group 彝族");
    CHECK(a["variable"] == "pop_yi share");
    CHECK(a["weights"]["requested"] == "queen");
    CHECK(a["weights"]["used"] == "knn:6");  // Shuhan's courtyards do not touch: the fallback rule
    // No courtyard touches another: the fallback among the units the LISA enters (with the
    // guard on, those whose Yi count and total are printed; docs/privacy.md "LISA").
    CHECK(a["weights"]["fallback"]["contiguity_islands"].get<long>() == 32 - a["clusters"]["withheld"].get<long>());
    const std::array<long, 6> cli{a["clusters"]["HH"].get<long>(), a["clusters"]["LL"].get<long>(),
                                  a["clusters"]["LH"].get<long>(), a["clusters"]["HL"].get<long>(),
                                  a["clusters"]["not_significant"].get<long>(), a["clusters"]["island"].get<long>()};
    long total = 0;
    for (long v : cli) total += v;
    // With the guard on the LISA is computed from published-only inputs (docs/privacy.md,
    // "LISA"): the units whose Yi count or total is withheld are counted apart.
    CHECK(total + a["clusters"]["withheld"].get<long>() == 32);
    CHECK(total > 0);
    CHECK(ix["weights"]["used"] == "knn:6");

    // --- the viewer's model (no window, no GL) -------------------------------------------
    hq::view::ViewerOptions vo;
    vo.mode = "lisa:Yi";
    vo.lang = hq::view::UiLang::En;
    hq::view::Controller app(vo, {});
    app.ui.permutations = 999;
    app.ui.seed = 1;
    app.open_project(shuhan);
    REQUIRE(hq::test::settle(app));
    REQUIRE(app.model.lisa);
    REQUIRE(app.model.lisa->result);
    const auto& vr = *app.model.lisa->result;
    CHECK(vr.weights.used == "knn:6");
    const auto vc = vr.cluster_counts();
    const std::array<long, 6> viewer{static_cast<long>(vc[1]), static_cast<long>(vc[2]), static_cast<long>(vc[3]),
                                     static_cast<long>(vc[4]), static_cast<long>(vc[5]), static_cast<long>(vc[0])};
    CHECK(viewer == cli);
    // The map on screen, its legend and the scatterplot share the one result.
    REQUIRE(app.model.scene);
    REQUIRE(app.model.scene->suppressed_units.empty());  // every courtyard has ≥ 5 residents
    CHECK(legend_counts(*app.model.scene) == cli);
    const auto& local = a["local_moran"];
    for (std::size_t i = 0; i < 32; ++i) {
        INFO("unit " << i);
        CHECK(app.model.lisa->is_withheld(i) == local[i].value("suppressed", false));
        if (app.model.lisa->is_withheld(i)) continue;
        CHECK_THAT(app.model.lisa->ii[i], WithinAbs(local[i]["Ii"].get<double>(), 1e-15));
        CHECK(app.model.lisa->significant[i] == local[i]["significant"].get<bool>());
    }
    app.request_indices();
    REQUIRE(hq::test::settle(app));
    REQUIRE(app.model.indices);

    // --- an export legend (the scene `huqian export --map lisa:Yi` draws) ----------------
    auto project = std::make_shared<const hq::Project>(hq::load_project(shuhan));
    hq::carto::MapRequest r = hq::carto::parse_map_kind("lisa:Yi");
    r.lang = hq::carto::Lang::En;
    r.permutations = 999;
    r.seed = 1;
    const hq::carto::Scene exported = hq::carto::build_scene(project, r);
    CHECK(legend_counts(exported) == cli);
    CHECK(exported.subtitle.find("6 nearest neighbours") != std::string::npos);

    // --- the report -----------------------------------------------------------------------
    hq::exporter::ReportOptions ro;
    ro.permutations = 999;
    ro.seed = 1;
    const auto rows = hq::exporter::global_index_rows(*project, "pop_yi", ro);
    std::map<std::string, double> report;
    for (const auto& row : rows) report[row.id] = row.value;
    const auto m = cli_json("autocorr '" + shuhan + "' --group Yi --weights queen --permutations 999 --seed 1"
                            " --statistics moran");
    REQUIRE(report.count("moran_i"));
    CHECK(report.at("moran_i") == m["moran"]["I"].get<double>());
    for (const char* id : {"dissim", "gini", "entropy", "atkinson", "isolation", "interaction", "correlation_r"}) {
        INFO(id);
        REQUIRE(report.count(id));
        const double cli_value = ix["single_group"][id].get<double>();
        CHECK(report.at(id) == cli_value);
        bool in_viewer = false;
        for (const auto& v : app.model.indices->single)
            if (v.id == id) {
                CHECK(v.value == cli_value);
                in_viewer = true;
            }
        CHECK(in_viewer);
    }
    for (const char* id : {"multi_dissim", "multi_info_theory", "simpsons_interaction"}) {
        INFO(id);
        const double cli_value = ix["multigroup"][id].get<double>();
        CHECK(report.at(id) == cli_value);
        for (const auto& v : app.model.indices->multi)
            if (v.id == id) CHECK(v.value == cli_value);
    }
}

#endif
