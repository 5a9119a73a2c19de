// The viewer's tables through geo/privacy, without a window (issue 14): the zone panel
// protects the shown zone together with every zone of the document, as `plan evaluate`
// does (privacy::zone_reach_tables), on the synthetic project built to be hard.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <optional>
#include <string>

#include "../export/test_project.hpp"
#include "../export/test_shell.hpp"
#include "../test_support.hpp"
#include "app/carto/scene.hpp"
#include "app/view/app.hpp"
#include "app/view/inspect.hpp"
#include "geo/io/raster.hpp"
#include "view_test_support.hpp"
#include "app/view/plan_tools.hpp"
#include "geo/analysis/planning.hpp"
#include "geo/project/project.hpp"
#include "view_test_support.hpp"

#include <nlohmann/json.hpp>

using Catch::Matchers::WithinAbs;
using namespace hq;
using namespace hq::view;
namespace sh = hq::test::shell;

#ifdef HUQIAN_HAVE_VIEWER
namespace {

bool withheld(const std::string& text) { return text == "<5" || text == "x"; }

}  // namespace

TEST_CASE("zone panel: the shown zone is protected together with the document's zones, as plan evaluate prints them",
          "[view][privacy]") {
    test::TempDir t;
    test::write_test_project(t.path().string());
    test::write_test_zones(t.path().string());
    const Project project = load_project(t.path().string());
    const plan::PlanDocument doc = document_from_project(project);
    REQUIRE(doc.zones.size() == 2);
    // 100 m: the two catchments are disjoint and some reaches are published; 300 m: they
    // overlap (almost every courtyard) and the joint protection withholds more.
    std::size_t published = 0, hidden = 0;
    for (const double radius : {100.0, 300.0}) {
        plan::PlannerOptions po;
        po.radius = radius;
        const plan::Planner planner = analysis::make_planner(project, po);
        std::vector<plan::ZoneEvaluation> evals;
        for (const auto& z : doc.zones) evals.push_back(planner.evaluate(z.geometry));
        // The independent reading: `plan evaluate --json` (the CLI protects the zones jointly).
        const auto r = sh::run(sh::q(sh::exe()) + " plan evaluate --json --radius " + std::to_string(static_cast<int>(radius)) +
                               " " + sh::q(t.path().string()) + " 2>/dev/null");
        REQUIRE(r.code == 0);
        const auto j = nlohmann::json::parse(r.out.substr(r.out.find("{\n")));
        REQUIRE(j.at("zones").size() == 2);
        for (std::size_t z = 0; z < 2; ++z) {
            const ReachView v = zone_panel_reach(planner.input(), evals, z, evals[z]);
            const auto& groups = j.at("zones")[z].at("groups");
            REQUIRE(v.group_reached.size() == groups.size());
            for (std::size_t g = 0; g < groups.size(); ++g) {
                INFO("radius " << radius << ", zone " << z << ", group " << g << ": viewer " << v.group_reached[g]);
                const auto& reached = groups[g].at("reached");
                CHECK(withheld(v.group_reached[g]) == reached.is_null());
                if (reached.is_null()) {
                    ++hidden;
                    CHECK(v.group_share[g] == "—");
                } else {
                    ++published;
                    CHECK_THAT(std::stod(v.group_reached[g]), WithinAbs(reached.get<double>(), 0.5));  // a whole number
                }
                // A group's exposure is withheld as plan evaluate withholds it (its cells and
                // every unit total published, and its total: privacy::exposure_published).
                CHECK(v.exposure_withheld[g] == groups[g].at("isolation").at("before").is_null());
            }
        }
        if (radius > 200) {
            // The garden alone (one zone at a time, as the panel did before) publishes a reach
            // the hall's overlapping catchment would difference; protected together, withheld.
            const ReachView alone = zone_panel_reach(planner.input(), {}, std::nullopt, evals[1]);
            const ReachView joint = zone_panel_reach(planner.input(), evals, 1, evals[1]);
            std::size_t newly = 0;
            for (std::size_t g = 0; g < joint.group_reached.size(); ++g)
                if (withheld(joint.group_reached[g]) && !withheld(alone.group_reached[g])) ++newly;
            CHECK(newly > 0);
        } else {
            // A shape being drawn over the hall comes after the document's zones: every group
            // the hall publishes is withheld in it (the two catchments share units).
            const ReachView hall = zone_panel_reach(planner.input(), evals, 0, evals[0]);
            const ReachView drawn = zone_panel_reach(planner.input(), evals, std::nullopt, evals[0]);
            std::size_t shared = 0;
            for (std::size_t g = 0; g < hall.group_reached.size(); ++g) {
                INFO("group " << g << ": hall " << hall.group_reached[g] << ", drawn " << drawn.group_reached[g]);
                if (withheld(hall.group_reached[g])) continue;
                ++shared;
                CHECK(withheld(drawn.group_reached[g]));
            }
            CHECK(shared > 0);
            // The minority reach of all minority groups sums Gamma's withheld reach: withheld.
            CHECK(hall.minority_share == "—");
        }
    }
    CHECK(published > 0);
    CHECK(hidden > 0);
}
#endif

#ifdef HUQIAN_HAVE_VIEWER
TEST_CASE("zone panel: the catchment's diversity, redundancy and isolation are withheld as plan evaluate withholds "
          "them, and exact with the guard off",
          "[view][privacy]") {
    test::TempDir t;
    test::write_test_project(t.path().string());
    test::write_test_zones(t.path().string());
    std::size_t mix_withheld = 0;
    for (const std::string& path : {t.path().string(), test::shuhan()}) {
        INFO(path);
        const Project project = load_project(path);
        const plan::PlanDocument doc = document_from_project(project);
        plan::PlannerOptions po;
        po.lisa_permutations = 99;
        const plan::Planner planner = analysis::make_planner(project, po);
        std::vector<plan::ZoneEvaluation> evals;
        for (const auto& z : doc.zones) evals.push_back(planner.evaluate(z.geometry));
        const auto r = sh::run(sh::q(sh::exe()) + " plan evaluate --json " + sh::q(path) + " 2>/dev/null");
        REQUIRE(r.code == 0);
        const auto j = nlohmann::json::parse(r.out.substr(r.out.find("{\n")));
        REQUIRE(j.at("zones").size() == evals.size());
        // The inspector's protected units × groups table, as the panel passes it.
        std::vector<std::vector<double>> counts = planner.input().counts.by_group();
        const privacy::ProtectedTable units = units_table(counts);
        for (std::size_t z = 0; z < evals.size(); ++z) {
            const auto& jz = j.at("zones")[z];
            INFO("zone " << jz.at("id"));
            const ReachView v = zone_panel_reach(planner.input(), evals, z, evals[z], {}, &units);
            // Built from the input alone, the same.
            const ReachView w = zone_panel_reach(planner.input(), evals, z, evals[z]);
            CHECK(v.mix_withheld == jz.at("entropy").is_null());
            CHECK(v.mix_withheld == jz.at("simpson_interaction").is_null());
            mix_withheld += v.mix_withheld;
            CHECK(v.mean_isolation_withheld == jz.at("mean_isolation").at("before").is_null());
            CHECK(v.mean_isolation_withheld);  // both projects have withheld counts
            if (std::isfinite(evals[z].redundancy)) CHECK(v.redundancy_withheld == jz.at("redundancy").is_null());
            CHECK(w.mix_withheld == v.mix_withheld);
            CHECK(w.mean_isolation_withheld == v.mean_isolation_withheld);
            for (std::size_t g = 0; g < v.exposure_withheld.size(); ++g) {
                CHECK(v.exposure_withheld[g] == jz.at("groups")[g].at("isolation").at("before").is_null());
                CHECK(w.exposure_withheld[g] == v.exposure_withheld[g]);
            }
            // With the guard off nothing is withheld (the panel shows the exact values).
            privacy::DisclosurePolicy off;
            off.guard = false;
            const ReachView o = zone_panel_reach(planner.input(), evals, z, evals[z], off);
            CHECK_FALSE(o.mix_withheld);
            CHECK_FALSE(o.redundancy_withheld);
            CHECK_FALSE(o.mean_isolation_withheld);
            for (bool e : o.exposure_withheld) CHECK_FALSE(e);
        }
    }
    CHECK(mix_withheld > 0);
}
#endif

#ifdef HUQIAN_HAVE_VIEWER
#include "geo/analysis/counts.hpp"

TEST_CASE("inspector: on the hard project no unit or selection shows a count below 5, a withheld count's share, or "
          "local values beside withheld counts",
          "[view][privacy]") {
    test::TempDir t;
    test::write_test_project(t.path().string());
    const Project project = load_project(t.path().string());
    const auto counts = analysis::group_count_table(project);
    REQUIRE(counts);
    // The viewer's table (app.cpp: units_table of the counts) is geo/privacy's units × groups
    // table, which tests/privacy audits on this project (LQ and hand-off tests).
    const privacy::ProtectedTable units = units_table(counts->counts);
    const std::size_t n = counts->totals.size(), G = counts->counts.size();
    REQUIRE(n == 64);
    std::size_t printed = 0, withheld_cells = 0, values_shown = 0;
    for (std::uint32_t i = 0; i < n; ++i) {
        const Composition c = composition(units, {i});
        REQUIRE(c.rows.size() == G);
        for (const auto& r : c.rows) {
            INFO("unit " << i << ", group " << r.group << ": " << r.count << " (" << r.share << ")");
            const double v = counts->counts[r.group][i];
            if (withheld(r.count)) {
                ++withheld_cells;
                CHECK(r.share == "—");
            } else {
                ++printed;
                CHECK(v >= 5);
                CHECK_THAT(std::stod(r.count), WithinAbs(v, 0.0));
            }
        }
        // Local values (entropy, Simpson) only where every count and the total are published.
        const bool shown = unit_values_published(units, i);
        values_shown += shown;
        if (shown)
            for (const auto& r : c.rows) CHECK_FALSE(withheld(r.count));
    }
    CHECK(printed > 0);
    CHECK(withheld_cells >= 64);  // Gamma's column at least
    // Gamma's column is withheld in every unit here: no unit shows its local values ...
    CHECK(values_shown == 0);
    // ... while a table of published counts shows them in every unit.
    const privacy::ProtectedTable big = units_table({{40, 30, 20, 60}, {30, 50, 45, 25}});
    for (std::uint32_t i = 0; i < 4; ++i) CHECK(unit_values_published(big, i));
    // Gamma (3 residents, all in Cc): withheld in every selection, the whole community too.
    std::vector<std::uint32_t> all(n);
    for (std::uint32_t i = 0; i < n; ++i) all[i] = i;
    for (const auto& r : composition(units, all).rows)
        if (r.group == 2) CHECK(withheld(r.count));
}
TEST_CASE("viewer: its heatmap and mixing layers are the published-only densities of huqian heatmap, with the note",
          "[view][privacy]") {
    ViewerOptions o;
    Controller app(o, std::function<void()>{});
    app.open_project(test::shuhan());
    REQUIRE(test::settle(app));
    REQUIRE(app.model.data);
    const auto& project = app.model.data->project;
    app.ui.mode = Mode::Heatmap;
    app.ui.group = 1;  // Tibetan: published in most courtyards, withheld in some
    REQUIRE(project->groups[1].column == "pop_tibetan");
    const carto::MapRequest req = app.make_request();
    const carto::Scene s = carto::build_scene(project, req);
    REQUIRE(s.raster);
    // The same surface from the command line, guard on (the independent reading).
    test::TempDir t;
    const Box e = s.raster->request_extent;
    char extent[200];
    std::snprintf(extent, sizeof extent, "%.17g,%.17g,%.17g,%.17g", e.minx, e.miny, e.maxx, e.maxy);
    const std::string tif = t.file("tib.tif");
    const auto r = sh::run(sh::q(sh::exe()) + " heatmap " + sh::q(test::shuhan()) + " --group pop_tibetan --radius " +
                           std::to_string(req.heatmap_radius_m) + " --pixel " + std::to_string(req.heatmap_pixel_m) +
                           " --output-value per-ha --float64 --extent " + extent + " -o " + sh::q(tif) + " 2>&1");
    INFO(r.out);
    REQUIRE(r.code == 0);
    const RasterFile f = read_geotiff(tif);
    REQUIRE(f.bands[0].values.size() == s.raster->values->values.size());
    double diff = 0, sum = 0;
    for (std::size_t i = 0; i < f.bands[0].values.size(); ++i) {
        diff = std::max(diff, std::abs(f.bands[0].values[i] - s.raster->values->values[i]));
        sum += s.raster->values->values[i];
    }
    CHECK(sum > 0);
    CHECK_THAT(diff, WithinAbs(0.0, 1e-9));
    // The guard off draws more (the withheld courtyards' residents): the layers differ.
    carto::MapRequest raw = req;
    raw.privacy_guard = false;
    const carto::Scene sr = carto::build_scene(project, raw);
    double raw_sum = 0;
    for (const double v : sr.raster->values->values) raw_sum += v;
    CHECK(raw_sum > sum * 1.001);
    auto has_note = [](const carto::Scene& sc) {
        for (const auto& n : sc.notes)
            if (n.find("left out of the density") != std::string::npos || n.find("未计入密度") != std::string::npos) return true;
        return false;
    };
    CHECK(has_note(s));
    CHECK_FALSE(has_note(sr));
    app.ui.mode = Mode::Mixing;
    const carto::Scene m = carto::build_scene(project, app.make_request());
    REQUIRE(m.raster);
    CHECK(has_note(m));
}

TEST_CASE("viewer map: dominant and local index modes draw the export's guarded classes (Shuhan)", "[view][privacy]") {
    // The viewer has no class path of its own: its scene is carto::build_scene with the
    // mode's request, the guard on. A unit whose largest group or entropy class a filling of
    // the withheld counts could change is hatched on screen as in the export.
    for (const std::string mode : {"dominant", "index:multi_local_entropy", "index:multi_local_simpson_concentration"}) {
        ViewerOptions o;
        o.mode = mode;
        Controller app(o, {});
        app.open_project(hq::test::shuhan());
        REQUIRE(hq::test::settle(app));
        REQUIRE(app.model.scene);
        CHECK(app.model.scene->request.privacy_guard);
        const carto::Scene exported = carto::build_scene(app.model.data->project, carto::parse_map_kind(mode));
        // Unit polygons by feature (the viewer's scene may add overlays of its own).
        auto units = [](const carto::Scene& sc) {
            std::map<std::uint32_t, std::pair<bool, carto::Color>> m;
            for (const auto& fp : sc.polygons)
                if (fp.role == Role::Units) m[fp.feature] = {fp.hatched, fp.fill};
            return m;
        };
        const auto on_screen = units(*app.model.scene), printed = units(exported);
        REQUIRE(on_screen.size() == printed.size());
        REQUIRE(on_screen.size() == 32);
        std::size_t hatched = 0, shown = 0;
        for (const auto& [feature, look] : printed) {
            INFO(mode << " unit " << feature);
            CHECK(on_screen.at(feature).first == look.first);
            CHECK(on_screen.at(feature).second == look.second);
            (look.first ? hatched : shown) += 1;
        }
        INFO(mode << ": " << shown << " units shown, " << hatched << " hatched");
        CHECK(shown > 0);
        CHECK(hatched > 0);  // Shuhan's withheld counts hide some classes (none before issue 14's maps rule)
    }
}
#endif

#ifdef HUQIAN_HAVE_VIEWER
TEST_CASE("indices panel: a small group's single-group indices are not shown, as indices refuses them",
          "[view][privacy]") {
    test::TempDir t;
    test::write_test_project(t.path().string());
    const std::string proj = sh::q(t.path().string());
    const Project project = load_project(t.path().string());
    // Gamma (pop_c): 3 residents. The CLI refuses its single-group indices ...
    const auto cli = sh::run(sh::q(sh::exe()) + " indices " + proj + " --group pop_c");
    CHECK(cli.code == 1);
    CHECK(cli.out.find("group pop_c has fewer than 5 residents: its indices would show where they live") !=
          std::string::npos);
    // ... and the panel's model shows none of them, only the multigroup ones.
    const IndicesView gamma = compute_indices(project, nullptr, 2);
    CHECK(gamma.single.empty());
    CHECK(gamma.single_withheld);
    CHECK(gamma.multi.size() == 5);
    CHECK(gamma.stamp.empty());
    CHECK(std::string(tr(S::IndicesSmallGroup, UiLang::Zh)).find("少于5人") != std::string::npos);
    // Alpha (pop_a) is shown, with the values `indices --group pop_a --json` prints.
    const IndicesView alpha = compute_indices(project, nullptr, 0);
    CHECK_FALSE(alpha.single_withheld);
    REQUIRE_FALSE(alpha.single.empty());
    const auto aj = sh::run(sh::q(sh::exe()) + " indices --json " + proj + " --group pop_a 2>/dev/null");
    REQUIRE(aj.code == 0);
    // (sh::run passes stderr on: the note on the published estimate comes before the document.)
    const auto j = nlohmann::json::parse(aj.out.substr(aj.out.find("{\n")));
    // Alpha's residents are all in withheld cells of the published table (3 in most courtyards):
    // both withhold its values by the 0.5 rule (docs/privacy.md, "Indices from the published
    // table"); where a value is printed it is the same.
    std::size_t matched = 0;
    for (const auto& iv : alpha.single) {
        const auto& single = j.at("single_group");
        if (!single.contains(iv.id)) continue;
        INFO(iv.id);
        if (single.at(iv.id).is_null())
            CHECK(std::isnan(iv.value));
        else
            CHECK_THAT(iv.value, WithinAbs(single.at(iv.id).get<double>(), 1e-9));
        ++matched;
    }
    CHECK(matched >= 5);
    // The data owner (guard off): Gamma's indices shown, stamped; the CLI prints them too.
    const privacy::DisclosurePolicy off{5, false};
    const IndicesView owner = compute_indices(project, nullptr, 2, off);
    CHECK_FALSE(owner.single_withheld);
    CHECK_FALSE(owner.single.empty());
    CHECK(owner.stamp == off.stamp());
    CHECK_FALSE(owner.stamp.empty());
    const auto cli_off = sh::run("(" + sh::q(sh::exe()) + " indices " + proj + " --group pop_c --no-privacy-guard 2>/dev/null)");
    CHECK(cli_off.code == 0);
    CHECK(cli_off.out.rfind(off.stamp() + "\n", 0) == 0);
}

TEST_CASE("scenarios panel: residents reached prints as plan compare prints it, withheld there withheld here",
          "[view][privacy]") {
    test::TempDir t;
    test::write_test_project(t.path().string());
    test::write_test_zones(t.path().string());
    const std::string proj = sh::q(t.path().string());
    const Project project = load_project(t.path().string());
    const plan::PlanDocument doc = document_from_project(project);
    REQUIRE(doc.zones.size() == 2);
    plan::PlannerOptions po;
    po.radius = 100;
    const plan::Planner planner = analysis::make_planner(project, po);
    plan::Scenario baseline{"baseline", "", {}, {}}, all{"all_zones", "", {}, {}};
    for (const auto& z : doc.zones) all.zone_ids.push_back(z.id);
    std::vector<std::vector<std::string>> keys;
    for (const auto& g : project.groups) keys.push_back({g.column, g.name_en, g.name_zh});
    // `plan compare` text: "scenario NAME: Z zone(s), M move(s), R residents reached; mean isolation B -> A".
    auto reached_of = [](const std::string& text, const std::string& name) {
        const std::string head = "scenario " + name + ": ";
        const auto at = text.find(head);
        REQUIRE(at != std::string::npos);
        const auto moves = text.find("move(s), ", at);
        const auto end = text.find(" residents reached", moves);
        REQUIRE(end != std::string::npos);
        return text.substr(moves + 9, end - moves - 9);
    };
    for (const bool guard : {true, false}) {
        const privacy::DisclosurePolicy policy{5, guard};
        plan::ChangeTestOptions options;
        options.privacy = policy;
        const auto results = plan::compare_scenarios(planner, doc.zones, {baseline, all}, keys, options);
        REQUIRE(results.size() == 2);
        const auto cli = sh::run("(" + sh::q(sh::exe()) + " plan compare " + proj +
                                 " --radius 100 --scenario baseline --scenario all_zones" +
                                 (guard ? "" : " --no-privacy-guard") + " 2>/dev/null)");
        REQUIRE(cli.code == 0);
        const ScenarioTable st = scenario_table(results[0], results[1], UiLang::En, &project, policy);
        REQUIRE(st.rows.size() >= 2);
        INFO("guard " << guard << "\n" << cli.out);
        CHECK(st.rows[0][0] == "Residents reached");
        // The baseline reaches nobody: plan compare withholds its 0 ("<5"), so does the panel.
        CHECK(st.rows[0][1] == reached_of(cli.out, "baseline"));
        CHECK(st.rows[0][2] == reached_of(cli.out, "baseline"));
        CHECK(st.rows[0][3] == reached_of(cli.out, "all_zones"));
        CHECK(st.rows[0][1] == (guard ? "<5" : "0"));
        CHECK(st.stamp == policy.stamp());
        if (!guard) CHECK(cli.out.rfind(policy.stamp() + "\n", 0) == 0);
        // Mean isolation as plan compare prints it.
        CHECK(cli.out.find("mean isolation " + st.rows[1][1] + " -> " + st.rows[1][2]) != std::string::npos);  // baseline
        // Gamma's (3 residents) single-group indices: withheld in the panel ("—") and in
        // `plan compare --json` (null, "suppressed": true), as `indices --group` refuses them.
        const auto js = sh::run("(" + sh::q(sh::exe()) + " plan compare --json " + proj +
                                " --radius 100 --scenario baseline --scenario all_zones" +
                                (guard ? "" : " --no-privacy-guard") + " 2>/dev/null)");
        REQUIRE(js.code == 0);
        const auto j = nlohmann::json::parse(js.out);
        const auto& jidx = j.at("scenarios")[1].at("indices");
        REQUIRE(jidx.size() == results[1].indices.size());
        REQUIRE(st.rows.size() == 2 + results[1].indices.size());
        std::size_t gamma = 0;
        for (std::size_t i = 0; i < results[1].indices.size(); ++i) {
            const plan::IndexChange& c = results[1].indices[i];
            INFO(c.id);
            CHECK(jidx[i].at("id") == c.id);
            const std::string who = c.id.find(':') == std::string::npos ? "" : c.id.substr(c.id.find(':') + 1);
            const bool is_gamma = who == "pop_c" || who == "Gamma" || who == "丙族";
            gamma += is_gamma;
            // Also withheld under the guard: an index estimated from the published table that
            // reads more than half of its residents in filled cells (docs/privacy.md).
            CHECK(c.withheld == (guard && (is_gamma || c.filled_share > privacy::kMaxFilledShare)));
            if (!guard) CHECK_FALSE(c.estimated);
            CHECK(jidx[i].at("suppressed").get<bool>() == c.withheld);
            CHECK(jidx[i].at("after").is_null() == c.withheld);
            // The panel prints it as the index surfaces do (analysis::index_value_text): "—", "≈".
            CHECK((st.rows[2 + i][3] == "—") == c.withheld);
            CHECK((st.rows[2 + i][3].rfind("≈", 0) == 0) == (c.estimated && !c.withheld));
        }
        CHECK(gamma == 3);  // dissim, isolation, interaction
    }
}
#endif

#ifdef HUQIAN_HAVE_VIEWER
TEST_CASE("viewer LISA mode: the map, the scatterplot and the inspector withhold the units the export map hatches",
          "[view][privacy][lisa]") {
    // Published-only inputs (docs/privacy.md, "LISA"): a unit whose Tibetan count or total is
    // withheld has no LISA value: hatched on the map as in the export, no point in the
    // scatterplot, "不公开 / withheld" in the inspector; the others keep their values.
    ViewerOptions o;
    o.mode = "lisa:pop_tibetan";
    Controller app(o, {});
    app.open_project(hq::test::shuhan());
    REQUIRE(hq::test::settle(app));
    REQUIRE(app.model.lisa);
    REQUIRE(app.model.scene);
    const LisaView& l = *app.model.lisa;
    const carto::Scene exported = carto::build_scene(app.model.data->project, carto::parse_map_kind("lisa:pop_tibetan"));
    std::vector<bool> hatched(32, false);
    for (const auto& fp : exported.polygons)
        if (fp.role == Role::Units && fp.feature < 32) hatched[fp.feature] = fp.hatched;
    std::map<std::uint32_t, bool> on_screen;
    for (const auto& fp : app.model.scene->polygons)
        if (fp.role == Role::Units) on_screen[fp.feature] = fp.hatched;
    REQUIRE(l.z.size() == 32);
    std::size_t withheld = 0;
    for (std::size_t u = 0; u < 32; ++u) {
        INFO("unit " << u);
        CHECK(l.is_withheld(u) == hatched[u]);
        CHECK(on_screen.at(static_cast<std::uint32_t>(u)) == hatched[u]);
        CHECK(std::isfinite(l.z[u]) == !hatched[u]);  // no scatterplot point where withheld
        const auto zh = lisa_inspector_rows(l, u, "藏族", UiLang::Zh);
        const auto en = lisa_inspector_rows(l, u, "Tibetan", UiLang::En);
        REQUIRE(zh.size() == 3);
        REQUIRE(en.size() == 3);
        if (hatched[u]) {
            ++withheld;
            CHECK(zh[0].value.find("不公开") == 0);
            CHECK(en[1].value.find("withheld") == 0);
        } else {
            CHECK(en[0].value.find("withheld") == std::string::npos);
            CHECK_THAT(std::stod(en[0].value), WithinAbs(l.ii[u], 5e-4));  // "%.3f" of I_i
        }
    }
    CHECK(withheld > 0);
    CHECK(withheld < 32);
}
#endif

#ifdef HUQIAN_HAVE_VIEWER
TEST_CASE("zone panel: the HH share comes from the LISA under the viewer's guard (Shuhan)", "[view][privacy][lisa]") {
    // The viewer builds its planner with viewer_planner_options (the guard of its tables, on):
    // the zone panel's "residents of their group's LISA high-high clusters reached" is then
    // re-derived here from the LISA mode's request of each group (published-only inputs, the
    // planner's adjustment: none), the true counts and the catchment weights. The guard off
    // gives the raw LISA's value, which differs (the comparison can fail).
    const Project project = load_project(hq::test::shuhan());
    const plan::PlanDocument doc = document_from_project(project);
    REQUIRE_FALSE(doc.zones.empty());
    const auto table = analysis::group_count_table(project);
    const std::size_t n = analysis::units_layer(project)->size(), G = project.groups.size();
    std::vector<std::vector<double>> shares(2);
    for (const bool guard : {true, false}) {
        const privacy::DisclosurePolicy policy{5, guard};
        const plan::Planner planner =
            analysis::make_planner(project, viewer_planner_options(300.0, plan::DistanceMode::Auto, policy));
        std::vector<std::vector<char>> hh(G, std::vector<char>(n, 0));
        double den = 0;
        for (std::size_t g = 0; g < G; ++g) {
            carto::MapRequest req = carto::parse_map_kind("lisa:" + project.groups[g].column);
            req.privacy_guard = guard;
            req.adjust = "none";
            std::shared_ptr<const analysis::AutocorrResult> r;
            try {
                r = analysis::autocorrelation(project, carto::lisa_request(req));
            } catch (const InputError&) {  // a share that does not vary: no LISA, no HH unit
                continue;
            }
            for (std::size_t i = 0; i < n; ++i) {
                hh[g][i] = r->cluster[i] == Quadrant::HH && r->local_moran_significant[i] ? 1 : 0;
                den += hh[g][i] ? table->counts[g][i] : 0.0;
            }
        }
        REQUIRE(den > 0);
        std::vector<plan::ZoneEvaluation> evals;
        for (const auto& z : doc.zones) evals.push_back(planner.evaluate(z.geometry));
        for (std::size_t z = 0; z < evals.size(); ++z) {
            INFO("guard " << guard << " zone " << doc.zones[z].id);
            const ReachView v = zone_panel_reach(planner.input(), evals, z, evals[z], policy);
            double num = 0;
            for (const plan::ReachedUnit& u : evals[z].units)
                for (std::size_t g = 0; g < G; ++g) num += hh[g][u.index] ? u.weight * table->counts[g][u.index] : 0.0;
            REQUIRE(v.hh_share.has_value());
            CHECK_THAT(*v.hh_share, WithinAbs(num / den, 1e-12));
            shares[guard ? 0 : 1].push_back(*v.hh_share);
        }
    }
    bool differ = false;
    for (std::size_t z = 0; z < shares[0].size(); ++z) differ = differ || std::fabs(shares[0][z] - shares[1][z]) > 1e-9;
    CHECK(differ);
}
#endif
