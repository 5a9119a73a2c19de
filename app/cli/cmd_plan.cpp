// huqian plan evaluate PROJECT [--zones FILE] [--radius M] [--json]
// huqian plan compare  PROJECT --scenario NAME --scenario NAME [--permutations N --seed S] [--json]
// huqian plan suggest  PROJECT --k K [--candidates LAYER] [--radius M] [--json]
// Evaluating intervention zones, comparing scenarios and suggesting sites (docs/planning.md
// defines every number and documents the JSON).
// [SECTION] index
//   Shared options and loading
//   evaluate
//   compare
//   suggest
//   Registration
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "app/cli/command.hpp"
#include "app/cli/common.hpp"
#include "app/cli/privacy_json.hpp"
#include "geo/core/text.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/analysis/planning.hpp"
#include "geo/privacy/maps.hpp"
#include "geo/privacy/tables.hpp"
#include "geo/project/edit.hpp"
#include "geo/project/gpkg_project.hpp"
#include "geo/io/writer.hpp"

namespace hq::cli {
namespace {

using nlohmann::ordered_json;
namespace fs = std::filesystem;

ordered_json num(double v) { return std::isfinite(v) ? ordered_json(v) : ordered_json(nullptr); }

std::string fixed(double v, int decimals) {
    if (!std::isfinite(v)) return "n/a";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}
/// A value derived from counts: "—" when withheld (docs/privacy.md), else as fixed() prints it.
std::string value_text(double v, bool withheld, int decimals) { return withheld ? "—" : fixed(v, decimals); }

// [SECTION] Shared options and loading ----------------------------------------------------------

struct PlanArgs {
    std::string project;
    std::string zones;
    double radius = 300.0;
    std::string distance = "auto";
    double fraction = 0.2;
    bool json = false;
    std::string output;
    LoadArgs load;
    PrivacyArgs privacy;

    void add_to(CLI::App* cmd) {
        cmd->add_option("PROJECT", project, "Project folder (project.json), project GeoPackage (.gpkg) or vector file")
            ->required();
        cmd->add_option("--radius", radius, "Walking radius in metres (default 300)")->check(CLI::PositiveNumber);
        cmd->add_option("--distance", distance, "auto (streets when the project has them), straight or network")
            ->check(CLI::IsMember({"auto", "straight", "network"}));
        cmd->add_option("--fraction", fraction,
                        "Activity-space model: share f of interaction time spent at a zone (default 0.2)")
            ->check(CLI::Range(0.0, 1.0));
        cmd->add_flag("--json", json, "Print JSON (schema in docs/planning.md)");
        cmd->add_option("-o,--output", output, "Write to this file instead of standard output");
        load.add_to(cmd, false);
        privacy.add_to(cmd);
    }
    [[nodiscard]] plan::PlannerOptions planner_options() const {
        plan::PlannerOptions o;
        o.radius = radius;
        o.exposure_fraction = fraction;
        o.distance = distance == "straight"  ? plan::DistanceMode::Straight
                     : distance == "network" ? plan::DistanceMode::Network
                                             : plan::DistanceMode::Auto;
        o.privacy = privacy.policy();  // the HH clusters follow the output's guard (docs/privacy.md, "LISA")
        return o;
    }
};

struct Loaded {
    Project project;
    plan::PlanDocument document;
};

bool is_gpkg(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext == ".gpkg";
}

/// A vector file of zones (any polygon file), in the project's metric CRS.
std::vector<plan::Zone> read_zone_file(const std::string& path, const Project& p, std::vector<std::string>& warnings) {
    ReadOptions ro;
    ro.display_name = path;
    Layer l = read_layer_raw(path, ro);
    if (l.size() == 0) throw InputError(ErrorContext{path}, "has no zones (no features)");
    if (l.geom_type != GeomType::Polygon && l.geom_type != GeomType::MultiPolygon)
        throw InputError(ErrorContext{path}, std::string("zones must be polygons; this file has ") +
                                                 geom_type_name(l.geom_type) + " geometry");
    georeference_layer(l, p.metric_crs, warnings);
    return plan::zones_from_layer(l, &warnings);
}

Loaded load(const PlanArgs& a) {
    Loaded out;
    if (is_gpkg(a.project) && is_gpkg_project(a.project)) {
        GpkgProject g = open_gpkg_project(a.project);
        out.project = std::move(g.project);
        out.document = std::move(g.document);
        for (const auto& w : out.project.warnings) print_warning(w);
    } else {
        out.project = load_for_command(a.project, a.load);
        out.document = plan::document_from_project(out.project, &out.project.warnings);
    }
    if (!a.zones.empty()) {
        std::vector<std::string> w;
        out.document.zones = read_zone_file(a.zones, out.project, w);
        for (const auto& s : w) print_warning(s);
    }
    return out;
}

plan::Planner make_planner(const Project& p, const plan::PlannerOptions& o) {
    StderrProgress bar("preparing");
    Progress progress([&bar](double f, std::string_view s) { bar(f, s); }, nullptr);
    return analysis::make_planner(p, o, progress);
}

ordered_json group_json(const GroupDef& g) { return {{"column", g.column}, {"zh", g.name_zh}, {"en", g.name_en}}; }

// [SECTION] evaluate --------------------------------------------------------------------------

/// A zone's counts as they may be published (geo/privacy): reach per group with the group
/// totals, and the residents of their group's high-high clusters reached.
struct ZoneCounts {
    privacy::ProtectedTable groups, reach, hh;
    privacy::DisclosurePolicy policy;
    bool mix = true;         ///< entropy and Simpson printed (privacy::catchment_mix_published)
    bool redundancy = true;  ///< every reached unit's residents published (catchment_units_published)
    privacy::ExposurePublished exposure;  ///< mean and per-group isolation (privacy::exposure_published)
};

ZoneCounts zone_counts(const plan::ZoneEvaluation& e, const privacy::DisclosurePolicy& policy,
                       privacy::ProtectedTable reach, privacy::ExposurePublished exposure) {
    std::vector<double> totals, hh_total, hh_reached;
    for (const auto& r : e.groups) {
        totals.push_back(r.total);
        hh_total.push_back(r.hh_total);
        hh_reached.push_back(r.hh_reached);
    }
    ZoneCounts c;
    c.policy = policy;
    c.groups = privacy::group_totals_table(totals, policy);
    c.reach = std::move(reach);
    c.hh = privacy::part_of_whole_table(hh_reached, hh_total, policy);
    c.mix = privacy::catchment_mix_published(c.reach);
    c.redundancy = plan::redundancy_published(e, policy);
    c.exposure = std::move(exposure);
    return c;
}

ordered_json evaluation_json(const plan::Zone& z, const plan::ZoneEvaluation& e, const Project& p, const ZoneCounts& c) {
    ordered_json j;
    j["id"] = z.id;
    j["name"] = {{"zh", z.name_zh}, {"en", z.name_en}};
    j["kind"] = plan::zone_kind_id(z.kind);
    j["status"] = z.status;
    j["area_m2"] = num(p.planar ? planar_area(z.geometry) : area(z.geometry));
    const Validity v = edit::check_zone(z.geometry);
    j["valid"] = v.valid;
    if (!v.valid) j["invalid_reason"] = v.reason;
    j["residents_total"] = count_json(c.reach.grand_total());
    j["residents_reached"] = count_json(c.reach.col_total(0));
    j["suppressed"] = c.reach.grand_total().suppressed() || c.reach.col_total(0).suppressed() || !c.mix ||
                      !c.redundancy || !c.exposure.mean;
    // Exact functions of withheld counts are null (docs/privacy.md, "Catchment diversity").
    const auto value = [](bool published, double x) { return published ? num(x) : ordered_json(nullptr); };
    j["entropy"] = value(c.mix, e.entropy);
    j["entropy_normalised"] = value(c.mix, e.entropy_normalised);
    j["simpson_interaction"] = value(c.mix, e.simpson_interaction);
    j["hh_share"] = num(e.hh_share);
    j["redundancy"] = value(c.redundancy, e.redundancy);
    j["mean_isolation"] = {{"before", value(c.exposure.mean, e.mean_isolation_before)},
                           {"after", value(c.exposure.mean, e.mean_isolation_after)}};
    ordered_json groups = ordered_json::array();
    for (std::size_t g = 0; g < e.groups.size(); ++g) {
        const auto& r = e.groups[g];
        const privacy::Cell &reached = c.reach.cell(g, 0), &total = c.reach.row_total(g);
        const privacy::Cell &hh_r = c.hh.cell(g, 0), &hh_t = c.hh.row_total(g);
        // A group's exposure reads its cells and every unit total: withheld unless they are
        // all published (privacy::exposure_published), and with its total.
        const bool small_group =
            total.suppressed() || (g < c.exposure.group.size() && !c.exposure.group[g]);
        ordered_json gj = group_json(p.groups[g]);
        gj["total"] = count_json(total);
        gj["reached"] = count_json(reached);
        gj["share"] = share_json(reached, total);
        gj["minority"] = r.minority;
        gj["hh_total"] = count_json(hh_t);
        gj["hh_reached"] = count_json(hh_r);
        gj["isolation"] = {{"before", small_group ? ordered_json(nullptr) : num(r.isolation_before)},
                           {"after", small_group ? ordered_json(nullptr) : num(r.isolation_after)}};
        gj["interaction"] = {{"before", small_group ? ordered_json(nullptr) : num(r.interaction_before)},
                             {"after", small_group ? ordered_json(nullptr) : num(r.interaction_after)}};
        gj["suppressed"] =
            reached.suppressed() || total.suppressed() || hh_r.suppressed() || hh_t.suppressed() || small_group;
        groups.push_back(gj);
    }
    j["groups"] = groups;
    ordered_json units = ordered_json::array();
    for (const auto& u : e.units) {
        const privacy::Cell residents = privacy::lone_cell(u.residents, c.policy);
        units.push_back({{"id", u.id}, {"weight", num(u.weight)}, {"distance_m", num(u.distance)},
                         {"overlap", num(u.overlap)}, {"residents", count_json(residents)},
                         {"suppressed", residents.suppressed()}});
    }
    j["units"] = units;
    return j;
}

std::string evaluation_text(const plan::Zone& z, const plan::ZoneEvaluation& e, const Project& p, double ms,
                            const ZoneCounts& c) {
    std::ostringstream o;
    const auto& pol = c.policy;
    o << "zone " << printable(z.id) << "  " << printable(z.name_zh) << (z.name_en.empty() ? "" : " / " + printable(z.name_en)) << "  ["
      << plan::zone_kind_id(z.kind) << "]  evaluated in " << fixed(ms, 1) << " ms\n";
    o << "  reaches " << privacy::count_text(c.reach.col_total(0), pol) << " of "
      << privacy::count_text(c.reach.grand_total(), pol) << " residents in " << e.units.size() << " unit(s)\n";
    o << "  catchment diversity: entropy " << value_text(e.entropy, !c.mix, 3) << " (normalised "
      << value_text(e.entropy_normalised, !c.mix, 3) << "), Simpson interaction "
      << value_text(e.simpson_interaction, !c.mix, 3) << "\n";
    if (!c.mix)
        o << "    多样性不公开：有群体的可达人数不公开，熵与辛普森指数可推算出它 / diversity withheld: a group's "
             "reach is withheld and the entropy and Simpson index would give it back (docs/privacy.md)\n";
    o << "  residents of their group's LISA high-high clusters reached: " << fixed(100 * e.hh_share, 1) << " %"
      << (e.lisa_available ? "" : " (LISA unavailable)") << "\n";
    o << "  redundancy with existing activity venues: "
      << (c.redundancy ? fixed(100 * e.redundancy, 1) + " %" : std::string("—")) << "\n";
    if (!c.redundancy)
        o << "    覆盖比例不公开：服务范围内有单元的居民数不公开 / redundancy withheld: a reached unit's residents "
             "are withheld and the share would give them back (docs/privacy.md)\n";
    o << "  mean isolation (activity-space model, f = " << fixed(e.exposure_fraction, 2) << "): "
      << value_text(e.mean_isolation_before, !c.exposure.mean, 4) << " -> "
      << value_text(e.mean_isolation_after, !c.exposure.mean, 4) << "\n";
    if (!c.exposure.mean)
        o << "    平均隔离度不公开：它读取每个计数，而有计数不公开 / mean isolation withheld: it reads every count "
             "and some are withheld (docs/privacy.md)\n";
    o << "  minority groups reached (share of the group):\n";
    std::size_t withheld = 0;
    bool isolation_withheld = false;
    for (std::size_t g = 0; g < e.groups.size(); ++g) {
        const auto& r = e.groups[g];
        if (!r.minority) continue;
        const privacy::Cell &reached = c.reach.cell(g, 0), &total = c.reach.row_total(g);
        // Only published counts are listed: which rows appear must not reveal a withheld one.
        if (reached.suppressed()) {
            ++withheld;
            continue;
        }
        if (r.reached <= 0) continue;
        const bool hidden = total.suppressed() || (g < c.exposure.group.size() && !c.exposure.group[g]);
        isolation_withheld = isolation_withheld || hidden;
        o << "    " << printable(p.groups[g].name_zh + " " + p.groups[g].name_en) << ": " << privacy::count_text(reached, pol, 1)
          << " of " << privacy::count_text(total, pol) << " (" << privacy::percent_text(reached, total, 1, " %")
          << "), isolation "
          << (hidden ? "—" : fixed(r.isolation_before, 4) + " -> " + fixed(r.isolation_after, 4)) << "\n";
    }
    if (isolation_withheld)
        o << "    隔离度“—”不公开：它读取该群体的每个计数，而有计数不公开 / isolation \"—\" withheld: it reads "
             "all the group's counts and some are withheld (docs/privacy.md)\n";
    if (withheld > 0)
        o << "    " << withheld << " other minority group(s): counts withheld (\"" << pol.small_symbol() << "\" or \""
          << privacy::kSecondarySymbol << "\", docs/privacy.md)\n";
    return o.str();
}

void run_evaluate(const PlanArgs& a) {
    const Loaded L = load(a);
    if (L.document.zones.empty())
        throw InputError(ErrorContext{a.project}, "no zones to evaluate: the project has no zones layer; pass --zones FILE");
    const privacy::DisclosurePolicy policy = a.privacy.policy();
    const plan::Planner planner = make_planner(L.project, a.planner_options());
    ordered_json j;
    j["project"] = a.project;
    j["privacy"] = policy_json(policy);
    j["radius"] = num(a.radius);
    j["distance"] = plan::distance_mode_name(planner.distance_mode());
    j["exposure_fraction"] = num(a.fraction);
    j["units"] = planner.unit_count();
    j["lisa"] = {{"available", planner.lisa_available()},
                 {"alpha", planner.options().lisa_alpha},
                 {"permutations", planner.options().lisa_permutations},
                 {"note", planner.lisa_note()}};
    ordered_json zones = ordered_json::array();
    std::string text = policy.guard ? "" : policy.stamp() + "\n";
    std::vector<plan::ZoneEvaluation> evals;
    std::vector<double> ms;
    for (const auto& z : L.document.zones) {
        const auto t0 = std::chrono::steady_clock::now();
        evals.push_back(planner.evaluate(z.geometry));
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    // The zones' reach tables together: one output must not let catchments be differenced.
    std::vector<privacy::ProtectedTable> reach = plan::zone_reach_tables(planner.input(), evals, policy);
    const privacy::ExposurePublished exposure = plan::exposure_published(planner.input(), policy);
    for (std::size_t i = 0; i < evals.size(); ++i) {
        const plan::Zone& z = L.document.zones[i];
        const ZoneCounts counts = zone_counts(evals[i], policy, std::move(reach[i]), exposure);
        zones.push_back(evaluation_json(z, evals[i], L.project, counts));
        text += evaluation_text(z, evals[i], L.project, ms[i], counts);
    }
    j["zones"] = zones;
    if (a.json)
        write_json_output(a.output, j.dump(2) + "\n");
    else
        write_text_output(a.output, text);
}

// [SECTION] compare ---------------------------------------------------------------------------

struct CompareArgs {
    PlanArgs plan;
    std::vector<std::string> scenarios;
    std::string scenario_file;
    std::size_t permutations = 0;
    std::uint64_t seed = 12345;
    std::string null = "random_label";
};

void run_compare(const CompareArgs& a) {
    const Loaded L = load(a.plan);
    std::vector<plan::Scenario> available;
    available.push_back({"baseline", "no zones, no household moves", {}, {}});
    plan::Scenario all{"all_zones", "every zone, no household moves", {}, {}};
    for (const auto& z : L.document.zones) all.zone_ids.push_back(z.id);
    available.push_back(all);
    for (const auto& s : L.document.scenarios) available.push_back(s);
    if (!a.scenario_file.empty())
        for (auto& s : plan::read_scenario_file(a.scenario_file)) available.push_back(std::move(s));
    std::vector<plan::Scenario> chosen;
    for (const auto& name : a.scenarios) {
        const plan::Scenario* found = nullptr;
        for (const auto& s : available)
            if (s.name == name) found = &s;  // later definitions (files) win
        if (!found) {
            std::string names;
            for (const auto& s : available) names += (names.empty() ? "" : ", ") + s.name;
            throw InputError("unknown scenario \"" + name + "\" (available: " + names + ")");
        }
        chosen.push_back(*found);
    }
    const privacy::DisclosurePolicy policy = a.plan.privacy.policy();
    // Lone counts (a scenario's reach, a unit's residents): primary suppression (geo/privacy).
    const auto lone = [&](double v) { return privacy::lone_cell(v, policy); };
    const plan::Planner planner = make_planner(L.project, a.plan.planner_options());
    const privacy::ProtectedTable group_totals =
        privacy::group_totals_table(planner.input().counts.group_totals(), policy);
    std::vector<std::vector<std::string>> keys;
    for (const auto& g : L.project.groups) keys.push_back({g.column, g.name_en, g.name_zh});
    plan::ChangeTestOptions t;
    t.permutations = a.permutations;
    t.seed = a.seed;
    t.null = a.null;
    t.privacy = policy;
    StderrProgress bar("comparing");
    Progress progress([&bar](double f, std::string_view s) { bar(f, s); }, nullptr);
    const auto results = plan::compare_scenarios(planner, L.document.zones, chosen, keys, t, progress);

    ordered_json j;
    j["project"] = a.plan.project;
    j["privacy"] = policy_json(policy);
    j["radius"] = num(a.plan.radius);
    j["distance"] = plan::distance_mode_name(planner.distance_mode());
    j["exposure_fraction"] = num(a.plan.fraction);
    j["test"] = {{"null", a.null}, {"permutations", a.permutations}, {"seed", a.seed}};
    ordered_json arr = ordered_json::array();
    std::ostringstream text;
    if (!policy.guard) text << policy.stamp() << "\n";
    for (std::size_t s = 0; s < results.size(); ++s) {
        const auto& r = results[s];
        ordered_json sj;
        sj["name"] = r.name;
        sj["description"] = chosen[s].description;
        sj["zones"] = chosen[s].zone_ids;
        sj["moves"] = r.moves;
        sj["residents_reached"] = count_json(lone(r.residents_reached));
        // Withheld as `plan evaluate` withholds it (geo/plan compare_scenarios, exposure_published).
        sj["mean_isolation"] = {{"before", num(r.mean_isolation_before)},
                                {"after", num(r.mean_isolation_after)},
                                {"suppressed", r.mean_isolation_withheld}};
        ordered_json idx = ordered_json::array();
        text << "scenario " << printable(r.name) << ": " << r.zones << " zone(s), " << r.moves << " move(s), "
             << privacy::count_text(lone(r.residents_reached), policy) << " residents reached; mean isolation "
             << value_text(r.mean_isolation_before, r.mean_isolation_withheld, 4) << " -> "
             << value_text(r.mean_isolation_after, r.mean_isolation_withheld, 4) << "\n";
        if (r.mean_isolation_withheld)
            text << "  平均隔离度不公开：它读取每个计数，而有计数不公开 / mean isolation withheld: it reads every count "
                    "and some are withheld (docs/privacy.md)\n";
        // Under the guard the indices read the published estimate (geo/plan compare_scenarios):
        // "≈" with the share filled, "—" with the reason above privacy::kMaxFilledShare.
        std::vector<std::string> withheld_single;
        for (const auto& c : r.indices) {
            ordered_json cj{{"id", c.id}, {"before", num(c.before)}, {"after", num(c.after)},
                            {"difference", num(c.difference)}, {"p_value", num(c.p_value)},
                            {"permutations", c.permutations}, {"suppressed", c.withheld},
                            {"estimated", c.estimated}, {"filled_share", num(c.filled_share)}};
            if (c.withheld) cj["reason"] = {{"zh", c.reason_zh}, {"en", c.reason_en}};
            idx.push_back(cj);
            const analysis::IndexDisclosure d = analysis::index_disclosure(c);
            const bool single = c.id.find(':') != std::string::npos;
            if (c.withheld && single) {  // the group's three indices read the same cells: listed once
                const std::string group = c.id.substr(c.id.find(':') + 1);
                if (std::find(withheld_single.begin(), withheld_single.end(), group) == withheld_single.end())
                    withheld_single.push_back(group);
            } else if (c.withheld) {
                text << "  " << c.id << ": —  (" << c.reason_zh << " / " << c.reason_en << ")\n";
            } else if (!single || c.difference != 0) {
                text << "  " << c.id << ": " << analysis::index_value_text(c.before, d, 4) << " -> "
                     << analysis::index_value_text(c.after, d, 4)
                     << (std::isfinite(c.p_value) ? "  (p = " + fixed(c.p_value, 3) + ")" : "")
                     << (c.estimated ? "  [" + fixed(100 * c.filled_share, 1) + " % filled]" : "") << "\n";
            }
        }
        if (!withheld_single.empty()) {
            std::string groups;
            for (const auto& g : withheld_single) groups += (groups.empty() ? "" : ", ") + g;
            text << "  以下群体的单群体指数不公开（群体少于 k 人、群体总数不公开或所读居民过半为填补值）/ single-group "
                    "indices (dissim, isolation, interaction) withheld (a group under k, its total withheld, or more "
                    "than half of what it reads filled): "
                 << printable(groups) << "\n";
        }
        if (const auto note = analysis::scenario_estimate_note(r); !note.empty()) text << "  " << note.both() << "\n";
        sj["indices"] = idx;
        sj["estimate_clamped"] = r.estimate_clamped;
        ordered_json units = ordered_json::array();
        // The unit totals beside the community total other outputs print (geo/privacy); a
        // total after the scenario's moves is before + the (public) moves: withheld with it.
        std::vector<double> before;
        for (const auto& u : r.units) before.push_back(u.total_before);
        const privacy::ProtectedTable unit_totals = privacy::unit_totals_table(before, group_totals);
        // A unit's Simpson index is an exact value of its counts: withheld wherever one of
        // them is (the rule of `indices` and the per-unit table; privacy/maps), and after the
        // (public) moves likewise.
        const std::vector<bool> mixed_withheld =
            policy.guard ? privacy::units_with_withheld_counts(
                               privacy::units_by_groups_table(planner.input().counts.by_group(), group_totals))
                         : std::vector<bool>(planner.unit_count(), false);
        for (std::size_t i = 0; i < r.units.size(); ++i) {
            const auto& u = r.units[i];
            ordered_json delta = ordered_json::object();
            for (std::size_t g = 0; g < u.delta.size(); ++g)
                if (u.delta[g] != 0) delta[L.project.groups[g].column] = u.delta[g];
            const privacy::Cell& tb = unit_totals.col_total(i);
            privacy::Cell ta = lone(u.total_after);
            if (tb.suppressed()) ta.state = privacy::Suppression::Secondary;
            const bool mix = i < mixed_withheld.size() && mixed_withheld[i];
            units.push_back({{"id", u.id}, {"total_before", count_json(tb)}, {"total_after", count_json(ta)},
                             {"delta", delta},
                             {"simpson_before", tb.suppressed() || mix ? ordered_json(nullptr) : num(u.simpson_before)},
                             {"simpson_after", ta.suppressed() || mix ? ordered_json(nullptr) : num(u.simpson_after)},
                             {"reach", num(u.reach)}, {"suppressed", tb.suppressed() || ta.suppressed() || mix}});
        }
        sj["units"] = units;
        arr.push_back(sj);
    }
    j["scenarios"] = arr;
    if (a.plan.json)
        write_json_output(a.plan.output, j.dump(2) + "\n");
    else
        write_text_output(a.plan.output, text.str());
}

// [SECTION] suggest ---------------------------------------------------------------------------

struct SuggestArgs {
    PlanArgs plan;
    std::size_t k = 3;
    std::string candidates = "units";
};

struct Candidate {
    std::string id, name;
    Geometry geometry;  ///< metric
    Vec2 lonlat;        ///< display point (lon/lat, or planar coordinates)
};

std::vector<Candidate> candidates_from_layer(const Layer& l, bool as_points) {
    std::vector<Candidate> out;
    const int nz = l.table.field_index("name_zh"), ne = l.table.field_index("name_en");
    for (std::size_t i = 0; i < l.size(); ++i) {
        if (l.metric[i].empty()) continue;
        Candidate c;
        c.id = l.ids[i];
        if (nz >= 0) c.name = value_to_string(l.table.rows[i][static_cast<std::size_t>(nz)]);
        if (c.name.empty() && ne >= 0) c.name = value_to_string(l.table.rows[i][static_cast<std::size_t>(ne)]);
        const bool poly = l.metric[i].is_polygonal();
        c.geometry = (as_points && poly) ? Geometry::point(point_on_surface(l.metric[i])) : l.metric[i];
        c.lonlat = poly ? point_on_surface(l.display[i]) : l.display[i].points.empty() ? Vec2{} : l.display[i].points.front();
        out.push_back(std::move(c));
    }
    return out;
}

bool is_vector_output(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext == ".gpkg" || ext == ".geojson";
}

/// plan suggest -o FILE.gpkg|.geojson: the chosen sites, ranked, with their gains (the
/// candidates' own geometry: unit points on surface, zones' polygons, venues' points); under the guard
/// "estimated" 1 and the share filled (the gains come from the published estimate).
void write_picks(const std::vector<Candidate>& cands, const plan::SiteSuggestion& s, const plan::CoverageProblem& prob,
                 const Project& p, const std::string& path) {
    Layer l;
    l.table.name = "suggested_sites";
    l.table.fields = {{"rank", FieldType::Integer},      {"site_id", FieldType::String},
                      {"name", FieldType::String},       {"marginal_gain", FieldType::Real},
                      {"cumulative", FieldType::Real},   {"method", FieldType::String},
                      {"estimated", FieldType::Integer}, {"filled_share", FieldType::Real}};
    l.planar = p.planar;
    std::vector<std::string> warnings;
    for (std::size_t r = 0; r < s.picks.size(); ++r) {
        const auto& pk = s.picks[r];
        const Candidate& c = cands[pk.candidate];
        l.table.rows.push_back({Value(static_cast<std::int64_t>(r + 1)), Value(c.id), Value(c.name),
                                Value(pk.marginal_gain), Value(pk.cumulative),
                                Value(std::string(s.exact ? "exact" : "greedy")),
                                Value(static_cast<std::int64_t>(prob.estimated ? 1 : 0)), Value(prob.filled_share)});
        l.ids.push_back(std::to_string(r + 1));
        l.metric.push_back(c.geometry);
    }
    l.geom_type = l.metric.empty() ? GeomType::Point : l.metric.front().type;
    // Display geometry (WGS 84 for GeoJSON) from the metric one.
    l.display = l.metric;
    if (!p.planar && p.metric_crs.known()) {
        const Transformer t(p.metric_crs, Crs::wgs84());
        for (auto& g : l.display) t.apply(g);
    }
    WriteOptions wo;
    wo.metric_crs = p.planar ? Crs{} : p.metric_crs;
    wo.id_field = "";
    write_layer(l, path, wo);
}

void run_suggest(const SuggestArgs& a) {
    const Loaded L = load(a.plan);
    std::vector<Candidate> cands;
    const std::string& src = a.candidates;
    if (src == "units") {
        const Layer* u = L.project.analysis_layer();
        if (u) cands = candidates_from_layer(*u, true);
    } else if (src == "zones") {
        const Layer zl = plan::zones_to_layer(L.document.zones, L.project.planar ? Crs{} : L.project.metric_crs);
        cands = candidates_from_layer(zl, false);
        for (std::size_t i = 0; i < cands.size(); ++i) cands[i].name = L.document.zones[i].name_zh;
    } else if (auto role = role_from_name(src)) {
        const Layer* l = L.project.layer(*role);
        if (!l) throw InputError(ErrorContext{a.plan.project}, "the project has no " + src + " layer");
        cands = candidates_from_layer(*l, false);
    } else {
        std::error_code ec;
        if (!fs::exists(src, ec))
            throw InputError("--candidates: \"" + src + "\" is neither units, zones, a layer role nor a file");
        ReadOptions ro;
        ro.display_name = src;
        Layer l = read_layer_raw(src, ro);
        std::vector<std::string> w;
        georeference_layer(l, L.project.metric_crs, w);
        cands = candidates_from_layer(l, false);
    }
    if (cands.empty()) throw InputError("no candidate sites in " + src);
    // Before the (slow) planner; the (candidate, unit) pairs are checked while they are built.
    const Layer* units = L.project.analysis_layer();
    plan::check_suggest_size(cands.size(), units ? units->size() : 0);
    const plan::Planner planner = make_planner(L.project, a.plan.planner_options());
    StderrProgress cover_bar("coverage");
    const plan::CoverageProblem prob = plan::coverage_problem(
        planner, cands.size(), [&cands](std::size_t c) -> const Geometry& { return cands[c].geometry; },
        Progress([&cover_bar](double f, std::string_view s) { cover_bar(f, s); }, nullptr));
    plan::SuggestOptions so;
    so.k = a.k;
    StderrProgress bar("choosing sites");
    Progress progress([&bar](double f, std::string_view s) { bar(f, s); }, nullptr);
    const plan::SiteSuggestion s = plan::suggest_sites(prob, so, progress);
    const privacy::DisclosurePolicy policy = a.plan.privacy.policy();
    // Under the guard the weights come from the published estimate (geo/plan coverage_problem).
    const std::string approx = prob.estimated ? "≈" : "";

    ordered_json j;
    j["project"] = a.plan.project;
    j["privacy"] = policy_json(policy);
    j["k"] = a.k;
    j["radius"] = num(a.plan.radius);
    j["distance"] = plan::distance_mode_name(planner.distance_mode());
    j["candidates"] = {{"source", src}, {"count", cands.size()}, {"pairs", prob.entries()}};
    j["method"] = s.exact ? "exact" : "greedy";
    j["guarantee"] = s.exact ? "optimal" : "at least (1 - 1/e) of the optimum";
    j["objective"] = num(s.objective);
    j["total_weight"] = num(s.total_weight);
    j["coverage_share"] = num(s.total_weight > 0 ? s.objective / s.total_weight : NAN);
    j["estimated"] = prob.estimated;
    j["filled_share"] = num(prob.filled_share);
    ordered_json picks = ordered_json::array();
    std::ostringstream text;
    if (!policy.guard) text << policy.stamp() << "\n";
    text << "k = " << a.k << ", " << cands.size() << " candidate(s) from " << src << " (" << prob.entries()
         << " (candidate, unit) pairs), radius " << fixed(a.plan.radius, 0) << " m ("
         << plan::distance_mode_name(planner.distance_mode()) << "), "
         << (s.exact ? "exact (optimal)" : "greedy (at least 63 % of the optimum)") << "\n"
         << "covered isolation weight " << approx << fixed(s.objective, 1) << " of " << approx
         << fixed(s.total_weight, 1) << " (" << approx
         << fixed(s.total_weight > 0 ? 100 * s.objective / s.total_weight : NAN, 1) << " %)\n";
    for (std::size_t r = 0; r < s.picks.size(); ++r) {
        const auto& pk = s.picks[r];
        const Candidate& c = cands[pk.candidate];
        picks.push_back({{"rank", r + 1}, {"id", c.id}, {"name", c.name}, {"lon", num(c.lonlat.x)}, {"lat", num(c.lonlat.y)},
                         {"marginal_gain", num(pk.marginal_gain)}, {"cumulative", num(pk.cumulative)}});
        text << "  " << r + 1 << ". " << printable(c.id) << " " << printable(c.name) << ": " << approx << "+"
             << fixed(pk.marginal_gain, 1) << " (cumulative " << approx << fixed(pk.cumulative, 1) << ")\n";
    }
    if (const auto note = analysis::suggest_estimate_note(prob); !note.empty()) text << note.both() << "\n";
    j["picks"] = picks;
    if (is_vector_output(a.plan.output)) {
        write_picks(cands, s, prob, L.project, a.plan.output);
        std::cerr << text.str();
        return;
    }
    if (a.plan.json)
        write_json_output(a.plan.output, j.dump(2) + "\n");
    else
        write_text_output(a.plan.output, text.str());
}

// [SECTION] Registration ----------------------------------------------------------------------

void setup(CLI::App& app) {
    CLI::App* cmd = app.add_subcommand("plan", "Evaluate intervention zones, compare scenarios, suggest sites");
    cmd->require_subcommand(1);

    auto ev = std::make_shared<PlanArgs>();
    CLI::App* e = cmd->add_subcommand("evaluate", "Whom each zone reaches and what it does to exposure");
    ev->add_to(e);
    e->add_option("--zones", ev->zones, "Polygon file of zones (default: the project's zones)");
    e->callback([ev]() { run_evaluate(*ev); });

    auto cmp = std::make_shared<CompareArgs>();
    CLI::App* c = cmd->add_subcommand("compare", "Global indices before and after scenarios, with a two-value test");
    cmp->plan.add_to(c);
    c->add_option("--zones", cmp->plan.zones, "Polygon file of zones (default: the project's zones)");
    c->add_option("--scenario", cmp->scenarios,
                  "Scenario name (repeatable): baseline, all_zones, the project's scenarios or --scenarios ones")
        ->required();
    c->add_option("--scenarios", cmp->scenario_file, "JSON file of scenarios (format in docs/planning.md)");
    c->add_option("--permutations", cmp->permutations, "Permutations of the two-value test (default 0: no test)");
    c->add_option("--seed", cmp->seed, "Random seed of the test");
    c->add_option("--null", cmp->null, "Two-value null: random_label (default), bootstrap, person_permutation")
        ->check(CLI::IsMember({"random_label", "bootstrap", "person_permutation"}));
    c->callback([cmp]() { run_compare(*cmp); });

    auto sg = std::make_shared<SuggestArgs>();
    CLI::App* s = cmd->add_subcommand(
        "suggest",
        "Choose k sites covering the most isolated residents (MCLP; sparse: every unit may be a candidate)");
    sg->plan.add_to(s);
    s->add_option("--zones", sg->plan.zones, "Polygon file of zones (for --candidates zones)");
    s->add_option("--k", sg->k, "Number of sites to choose")->required()->check(CLI::PositiveNumber);
    s->add_option("--candidates", sg->candidates,
                  "units (default: unit points on surface), zones, venues, projects, or a vector file");
    s->callback([sg]() { run_suggest(*sg); });
}

const Registrar reg{"plan", 60, &setup};

}  // namespace
}  // namespace hq::cli
