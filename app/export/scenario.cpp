#include "app/export/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>

#include <nlohmann/json.hpp>

#include "geo/core/error.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/analysis/segregation.hpp"
#include "geo/privacy/tables.hpp"

namespace hq::exporter {

using carto::Color;
using carto::Lang;
using carto::LegendItem;
using carto::pick;

namespace {

/// v with `decimals` decimals ("—" when not finite); `sign` prints "+" on positives.
std::string fixed(double v, int decimals, bool sign = false) {
    if (!std::isfinite(v)) return "—";
    char buf[64];
    std::snprintf(buf, sizeof buf, sign ? "%+.*f" : "%.*f", decimals, v);
    return buf;
}
std::string num3(double v) {
    return fixed(v, 3);
}
std::string pct(double v) {
    return fixed(100.0 * v, 0) + (std::isfinite(v) ? "%" : "");
}
std::string pval(double p) {
    if (!std::isfinite(p)) return "—";
    if (p < 0.001) return "< 0.001";
    return fixed(p, 3);
}

/// Zone colours: ColorBrewer Set1 (as the zones map uses for its first zones).
Color zone_color(std::size_t i) {
    static const Color c[] = {Color::rgb(228, 26, 28),   Color::rgb(55, 126, 184), Color::rgb(77, 175, 74),
                              Color::rgb(152, 78, 163),  Color::rgb(255, 127, 0),  Color::rgb(166, 86, 40),
                              Color::rgb(247, 129, 191), Color::rgb(153, 153, 153)};
    return c[i % (sizeof c / sizeof c[0])];
}

const Color kReach = Color::rgb(0, 137, 123);  // teal: units in a zone's catchment

bool is_all_zones_alias(const std::string& n) {
    return n == kAllZonesScenario || n == "zones" || n == "all-zones" || n == "all zones";
}

std::vector<std::vector<std::string>> group_keys(const Project& p) {
    std::vector<std::vector<std::string>> keys;
    for (const auto& g : p.groups) keys.push_back({g.column, g.name_en, g.name_zh});
    return keys;
}

/// Index of the group a move names (column, English or Chinese name); npos if none.
std::size_t move_group(const Project& p, const std::string& name) {
    for (std::size_t g = 0; g < p.groups.size(); ++g)
        if (p.groups[g].column == name || p.groups[g].name_en == name || p.groups[g].name_zh == name)
            return g;
    return static_cast<std::size_t>(-1);
}

Layer* analysis_layer(Project& p) {
    if (Layer* l = p.layer(Role::Units)) return l;
    if (Layer* l = p.layer(Role::Buildings)) return l;
    return p.layers.empty() ? nullptr : &p.layers.front().layer;
}

std::string zone_name(const plan::Zone& z, Lang lang) {
    std::string n = pick(lang == Lang::Both ? Lang::Zh : lang, z.name_zh, z.name_en);
    return n.empty() ? z.id : n;
}

}  // namespace

// [SECTION] Scenario sources ------------------------------------------------------------------

ScenarioSet make_scenario_set(std::vector<plan::Zone> zones, const std::vector<plan::Scenario>& stored) {
    ScenarioSet set;
    set.zones = std::move(zones);
    if (!set.zones.empty()) {
        plan::Scenario all{kAllZonesScenario, "every zone, no household moves", {}, {}};
        for (const auto& z : set.zones) all.zone_ids.push_back(z.id);
        set.scenarios.push_back(std::move(all));
    }
    for (const auto& s : stored) {
        auto it = std::find_if(set.scenarios.begin(), set.scenarios.end(),
                               [&](const plan::Scenario& o) { return o.name == s.name; });
        if (it != set.scenarios.end())
            *it = s;
        else
            set.scenarios.push_back(s);
    }
    return set;
}

std::vector<plan::Zone> project_zones(const Project& project, std::vector<std::string>* warnings) {
    return plan::document_from_project(project, warnings).zones;
}

const plan::Scenario& find_scenario(const ScenarioSet& set, const std::string& name) {
    for (const auto& s : set.scenarios)
        if (s.name == name) return s;
    if (is_all_zones_alias(name))
        for (const auto& s : set.scenarios)
            if (s.name == kAllZonesScenario) return s;
    if (set.scenarios.empty())
        throw InputError("unknown scenario \"" + name +
                         "\": the project has no zones and no stored scenarios (add a zones layer, or pass "
                         "--scenarios FILE)");
    std::string names;
    for (const auto& s : set.scenarios) names += (names.empty() ? "" : ", ") + s.name;
    throw InputError("unknown scenario \"" + name + "\" (available: " + names + ")");
}

// [SECTION] The before/after page -----------------------------------------------------------------

ScenarioPage build_scenario_page(std::shared_ptr<const Project> project, const ScenarioSet& set,
                                 const std::string& name, const carto::MapRequest& request,
                                 const ScenarioOptions& options, const Progress& progress) {
    if (!project) throw InputError("no project loaded");
    const plan::Scenario& sc = find_scenario(set, name);
    using carto::MapKind;
    if (request.kind != MapKind::Composition && request.kind != MapKind::Dominant &&
        request.kind != MapKind::Lisa)
        throw InputError(
            std::string("--scenario draws --map composition, dominant or lisa:GROUP (got ") +
            carto::map_kind_name(request.kind) +
            "): their colours do not depend on the data's range, so the two panels are comparable");
    if (sc.zone_ids.empty() && sc.moves.empty())
        throw InputError("scenario \"" + sc.name +
                         "\" has no zones and no household moves: nothing to compare");
    const Project& p = *project;
    const Lang lang = request.lang;
    auto L = [&](const std::string& zh, const std::string& en) { return pick(lang, zh, en); };
    // Index names from geo/analysis's one table (analysis::index_name).
    auto index_l = [&](const std::string& id) { return L(analysis::index_name(id, true), analysis::index_name(id, false)); };

    plan::PlannerOptions po;
    po.radius = options.radius;
    po.exposure_fraction = options.fraction;
    po.lisa_permutations = 99;  // LISA clusters are not shown on this page
    po.privacy = carto::disclosure_policy(request);  // the planner's LISA follows the page's guard
    progress.report(0.02, "planner");
    const plan::Planner planner = analysis::make_planner(p, po);
    const auto keys = group_keys(p);
    progress.report(0.15, "scenario");
    plan::ChangeTestOptions t;
    t.privacy = po.privacy.value_or(privacy::DisclosurePolicy{});  // withholds as `plan compare` does
    const auto results = plan::compare_scenarios(planner, set.zones, {sc}, keys, t);
    const plan::ScenarioResult& r = results.front();
    const seg::CountMatrix& base = planner.input().counts;
    const seg::CountMatrix after_counts =
        plan::apply_moves(base, planner.input().unit_ids, keys, sc.moves, sc.name);
    // The counts the residential indices and their test read: under the guard the published
    // estimate with the (public) moves, as compare_scenarios computes the values (docs/privacy.md).
    const plan::PublishedCounts published = plan::published_counts(planner.input(), t.privacy);
    const seg::CountMatrix after_read =
        published.estimate.any() ? plan::apply_moves(published.counts, planner.input().unit_ids, keys, sc.moves,
                                                     sc.name, plan::Overdraw::Clamp)
                                 : after_counts;

    // The "after" project: the analysis layer's counts after the moves.
    std::shared_ptr<const Project> after_project = project;
    if (!sc.moves.empty()) {
        auto moved = std::make_shared<Project>(p);
        Layer* ul = analysis_layer(*moved);
        if (!ul || ul->size() != after_counts.units)
            throw InputError("the project has no units layer to move households in");
        for (std::size_t g = 0; g < p.groups.size(); ++g) {
            const int fi = ul->table.field_index(p.groups[g].column);
            if (fi < 0) continue;
            const auto f = static_cast<std::size_t>(fi);
            const bool real = ul->table.fields[f].type == FieldType::Real;
            for (std::size_t i = 0; i < ul->size(); ++i) {
                const double v = after_counts.at(i, g);
                if (v == base.at(i, g)) continue;
                ul->table.rows[i][f] = real ? Value(v) : Value(static_cast<std::int64_t>(std::llround(v)));
            }
        }
        after_project = std::move(moved);
    }

    progress.report(0.3, "maps");
    ScenarioPage page;
    page.before = carto::build_scene(project, request);
    progress.report(0.6, "maps");
    page.after = carto::build_scene(after_project, request);
    page.after.extent = page.before.extent;
    page.stamp = page.before.stamp;

    // Zones and their catchments on the "after" panel.
    std::vector<const plan::Zone*> zones;
    for (const auto& id : sc.zone_ids)
        for (const auto& z : set.zones)
            if (z.id == id) zones.push_back(&z);
    auto owned = std::make_shared<std::vector<Geometry>>();
    owned->reserve(zones.size());
    for (const auto* z : zones) owned->push_back(z->geometry);
    page.owned_geometries = owned;
    bool any_full = false, any_part = false;
    if (!zones.empty()) {
        const Layer* ul = after_project->analysis_layer();
        std::vector<carto::FillPolygon> overlay;
        for (std::size_t i = 0; ul && i < r.units.size() && i < ul->size(); ++i) {
            const double w = r.units[i].reach;
            if (!(w > 0) || ul->metric[i].polygons.empty()) continue;
            const bool full = w >= 1.0 - 1e-9;
            (full ? any_full : any_part) = true;
            carto::FillPolygon f;
            f.geometry = &ul->metric[i];
            f.fill = Color{kReach.r, kReach.g, kReach.b, full ? 0.30f : 0.13f};
            f.stroke = Color{kReach.r, kReach.g, kReach.b, 0.9f};
            f.stroke_px = 0.8f;
            f.role = Role::Units;
            f.feature = static_cast<std::uint32_t>(i);
            overlay.push_back(f);
        }
        auto& polys = page.after.polygons;
        const auto first_context = std::find_if(
            polys.begin(), polys.end(), [](const carto::FillPolygon& f) { return f.role != Role::Units; });
        polys.insert(first_context, overlay.begin(), overlay.end());
        for (std::size_t k = 0; k < zones.size(); ++k) {
            const Color c = zone_color(k);
            carto::FillPolygon f;
            f.geometry = &(*owned)[k];
            f.fill = Color{c.r, c.g, c.b, 0.45f};
            f.stroke = c;
            f.stroke_px = 1.8f;
            f.role = Role::Zones;
            f.feature = static_cast<std::uint32_t>(k);
            polys.push_back(f);
            if (!(*owned)[k].empty())
                page.after.labels.push_back({point_on_surface((*owned)[k]), zone_name(*zones[k], lang), 8.0f,
                                             Color::rgb(20, 20, 20), Color::rgb(255, 255, 255, 0.85f), 20});
        }
    }

    // Titles.
    const std::string radius = fixed(options.radius, 0);
    const bool network = planner.distance_mode() == plan::DistanceMode::Network;
    page.title = request.title.empty() ? L("情景“" + sc.name + "”：实施前后对比",
                                           "Scenario \"" + sc.name + "\": before and after")
                                       : request.title;
    std::string sub = L(p.name_zh, p.name_en);
    std::string what = L(
        std::to_string(zones.size()) + "个分区，" + std::to_string(sc.moves.size()) + "项搬迁",
        std::to_string(zones.size()) + " zone(s), " + std::to_string(sc.moves.size()) + " household move(s)");
    const privacy::DisclosurePolicy policy = carto::disclosure_policy(request);
    // Lone counts: no published total contains them (geo/privacy).
    const auto lone = [&](double v) { return privacy::count_text(privacy::lone_cell(v, policy), policy); };
    if (!zones.empty())
        what += L("；服务范围内居民约" + lone(r.residents_reached) + "人（步行" +
                      radius + "米）",
                  "; about " + lone(r.residents_reached) + " residents within a " +
                      radius + " m walk");
    sub += (sub.empty() ? "" : " · ") + what;
    for (const auto& m : sc.moves) {
        const std::size_t g = move_group(p, m.group);
        const std::string gz = g < p.groups.size() ? p.groups[g].name_zh : m.group;
        const std::string ge = g < p.groups.size() ? p.groups[g].name_en : m.group;
        sub += L("；" + m.from + "的" + lone(m.count) + "名" + gz + "居民迁至" + m.to,
                 "; move " + lone(m.count) + " " + ge + " residents from " + m.from +
                     " to " + m.to);
    }
    page.subtitle = sub;
    page.before_title = L("实施前（现状）", "Before (current)");
    if (sc.moves.empty())
        page.after_title =
            L("实施后：分区与服务范围（居住不变）", "After: zones and catchments (homes unchanged)");
    else if (zones.empty())
        page.after_title = L("实施后（搬迁后）", "After (with the household moves)");
    else
        page.after_title =
            L("实施后：搬迁后的居住、分区与服务范围", "After: homes after the moves, zones and catchments");

    // Table: residential indices (moves change them; zones do not), then the activity-space exposure.
    page.table.push_back(
        {L("指标", "Index"), L("实施前", "Before"), L("实施后", "After"), L("变化", "Change"), "p"});
    std::vector<std::pair<std::string, std::string>> rows{
        {"multi_dissim", index_l("multi_dissim")},
        {"multi_info_theory", index_l("multi_info_theory")},
        {"multi_gini", index_l("multi_gini")}};
    std::vector<std::size_t> moved_groups;
    for (const auto& m : sc.moves) {
        const std::size_t g = move_group(p, m.group);
        if (g < p.groups.size() &&
            std::find(moved_groups.begin(), moved_groups.end(), g) == moved_groups.end() &&
            moved_groups.size() < 3)
            moved_groups.push_back(g);
    }
    for (std::size_t g : moved_groups) {
        const GroupDef& gd = p.groups[g];
        rows.push_back(
            {"dissim:" + gd.name_en, L(gd.name_zh + analysis::index_name("dissim", true),
                                       analysis::index_name("dissim", false) + ", " + gd.name_en)});
        rows.push_back({"isolation:" + gd.name_en, L(gd.name_zh + analysis::index_name("isolation", true) + "（居住）",
                                                     analysis::index_name("isolation", false) + ", " + gd.name_en +
                                                         " (residential)")});
    }
    const bool test = !sc.moves.empty() && options.permutations > 0;
    std::vector<std::string> withheld_reasons;  // "—" rows of the indices, with their reason
    for (const auto& [id, label] : rows) {
        const auto it = std::find_if(r.indices.begin(), r.indices.end(),
                                     [&](const plan::IndexChange& c) { return c.id == id; });
        if (it == r.indices.end()) continue;
        double pv = std::numeric_limits<double>::quiet_NaN();
        const analysis::IndexDisclosure d = analysis::index_disclosure(*it);
        if (d.withheld) withheld_reasons.push_back(label + L("：", ": ") + L(d.reason_zh, d.reason_en));
        if (test && !d.withheld) {
            progress.check();
            seg::TestOptions to;
            to.permutations = options.permutations;
            to.seed = options.seed;
            const std::string sid = id;
            pv = seg::two_value_test(
                     published.counts, after_read,
                     [sid](const seg::CountMatrix& m) { return plan::global_index(sid, m); },
                     seg::TwoValueNull::RandomLabel, to, {}, id)
                     .p_value;
        }
        const std::string change = fixed(it->difference, 3, true);
        page.table.push_back({label, analysis::index_value_text(it->before, d, 3),
                              analysis::index_value_text(it->after, d, 3),
                              d.estimated && !d.withheld && std::isfinite(it->difference) ? "≈" + change : change,
                              pval(pv)});
    }
    const std::string f = fixed(options.fraction, 2);
    page.table.push_back({L("平均隔离度（活动空间模型，f = " + f + "）",
                            "Mean isolation (activity-space model, f = " + f + ")"),
                          r.mean_isolation_withheld ? "—" : num3(r.mean_isolation_before),
                          r.mean_isolation_withheld ? "—" : num3(r.mean_isolation_after),
                          r.mean_isolation_withheld ? "—" : fixed(r.mean_isolation_after - r.mean_isolation_before, 3, true),
                          "—"});

    // The groups whose activity-space isolation changes most (groups of at least k residents).
    const plan::Exposure ex0 = planner.exposure({});
    const std::size_t K = base.groups;
    std::vector<std::pair<double, std::size_t>> change;
    for (std::size_t g = 0; g < K && g < r.isolation_after.size(); ++g) {
        double Xg = 0;
        for (std::size_t i = 0; i < base.units; ++i) Xg += base.at(i, g);
        if (Xg < std::max(request.privacy_k, 1) || !std::isfinite(r.isolation_after[g])) continue;
        const double d = r.isolation_after[g] - ex0.before[g * K + g];
        if (std::abs(d) > 1e-12) change.emplace_back(std::abs(d), g);
    }
    std::stable_sort(change.begin(), change.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t k = 0; k < change.size() && k < 3; ++k) {
        const std::size_t g = change[k].second;
        const double b = ex0.before[g * K + g], a = r.isolation_after[g];
        page.table.push_back({L(p.groups[g].name_zh + analysis::index_name("isolation", true) + "（活动空间）",
                                analysis::index_name("isolation", false) + ", " + p.groups[g].name_en + " (activity space)"),
                              num3(b), num3(a), fixed(a - b, 3, true), "—"});
    }

    // Legend: the map's (both panels), then the scenario's.
    page.legend = page.before.legend;
    for (const auto& it : page.after.legend) {
        const bool seen = std::any_of(page.legend.begin(), page.legend.end(), [&](const LegendItem& o) {
            return o.kind == it.kind &&
                   (it.kind == LegendItem::Kind::Header ? o.label == it.label : o.color == it.color);
        });
        if (!seen) page.legend.push_back(it);
    }
    if (!zones.empty()) {
        LegendItem h;
        h.kind = LegendItem::Kind::Header;
        h.label = L("情景（实施后）", "Scenario (after)");
        page.legend.push_back(h);
        for (std::size_t k = 0; k < zones.size() && k < 8; ++k) {
            LegendItem s;
            s.label = zone_name(*zones[k], lang);
            const Color c = zone_color(k);
            s.color = Color{c.r, c.g, c.b, 0.45f};
            page.legend.push_back(s);
        }
        const std::string mode_zh = network ? "沿街道步行" : "直线距离",
                          mode_en = network ? "walk along streets" : "straight line";
        if (any_full) {
            LegendItem s;
            s.label = L(mode_zh + radius + "米内（全部计入）",
                        "Within " + radius + " m (" + mode_en + "): reached");
            s.color = Color{kReach.r, kReach.g, kReach.b, 0.30f};
            page.legend.push_back(s);
        }
        if (any_part) {
            LegendItem s;
            s.label = L("部分计入（分区覆盖部分面积）", "Partly reached (zone covers part of it)");
            s.color = Color{kReach.r, kReach.g, kReach.b, 0.13f};
            page.legend.push_back(s);
        }
    }

    // Notes: the map's, with the model and the test stated after the privacy line.
    page.notes = page.before.notes;
    std::vector<std::string> extra;
    if (!zones.empty())
        extra.push_back(L(
            "“实施后”的暴露度来自活动空间模型（f = " + f + "，半径" + radius + "米）：服务范围内的居民把" +
                pct(options.fraction) + "的交往时间用于分区并在那里随机相遇；" +
                (sc.moves.empty() ? "分区不改变居住，居住隔离指数因此不变。"
                                  : "分区不改变居住，居住指数的变化来自搬迁。") +
                "这是假设情景的上限估计，不是预测（见 docs/planning.md）。",
            "Exposure \"after\": activity-space model (f = " + f + ", radius " + radius +
                " m): residents in a catchment spend " + pct(options.fraction) +
                " of their contact time at the zone and meet at random there; zones do not move homes, so " +
                (sc.moves.empty() ? "residential indices do not change."
                                  : "residential indices change by the household moves only.") +
                " A what-if upper bound, not a prediction (docs/planning.md)."));
    if (const auto note = analysis::scenario_estimate_note(r); !note.empty()) extra.push_back(L(note.zh, note.en));
    for (const auto& w : withheld_reasons) extra.push_back(L("“—”不公开：", "\"—\" withheld: ") + w);
    if (r.mean_isolation_withheld)
        extra.push_back(L("平均隔离度“—”不公开：它读取每个计数，而有计数不公开（见 docs/privacy.md）",
                          "Mean isolation \"—\" withheld: it reads every count and some are withheld (docs/privacy.md)"));
    if (test)
        extra.push_back(L("p：两值随机标签置换检验（" + std::to_string(options.permutations) + "次置换）",
                          "p: two-value random-label permutation test (" +
                              std::to_string(options.permutations) + " permutations)"));
    const std::string privacy = carto::privacy_note(request);
    auto pos = std::find(page.notes.begin(), page.notes.end(), privacy);
    pos = pos == page.notes.end() ? page.notes.end() : pos + 1;
    page.notes.insert(pos, extra.begin(), extra.end());
    progress.report(1.0, "scenario");
    return page;
}

// [SECTION] Zone evaluations ------------------------------------------------------------------

std::vector<ZoneReport> zone_reports(const Project& project, const std::vector<plan::Zone>& zones,
                                     const carto::MapRequest& request, const plan::PlannerOptions& options,
                                     const Progress& progress) {
    std::vector<ZoneReport> out;
    if (zones.empty()) return out;
    const Lang lang = request.lang;
    auto L = [&](const std::string& zh, const std::string& en) { return pick(lang, zh, en); };
    const privacy::DisclosurePolicy policy = carto::disclosure_policy(request);
    // The HH clusters from the LISA under the same guard (docs/privacy.md, "LISA").
    plan::PlannerOptions po = options;
    po.privacy = policy;
    const plan::Planner planner = analysis::make_planner(project, po, progress);
    const bool network = planner.distance_mode() == plan::DistanceMode::Network;
    const std::string radius = fixed(options.radius, 0);
    std::vector<plan::ZoneEvaluation> evals;
    for (const auto& z : zones) {
        progress.check();
        evals.push_back(planner.evaluate(z.geometry));
    }
    // Reach per group, protected with the group totals every output prints and against
    // differencing between the zones' catchments (geo/privacy).
    const std::vector<privacy::ProtectedTable> reaches = plan::zone_reach_tables(planner.input(), evals, policy);
    // Values exact in withheld counts print "—" with a line saying why, as in plan evaluate
    // (docs/privacy.md, "Catchment diversity").
    const bool mean_published = plan::exposure_published(planner.input(), policy).mean;
    for (std::size_t zi = 0; zi < zones.size(); ++zi) {
        const plan::Zone& z = zones[zi];
        const plan::ZoneEvaluation& e = evals[zi];
        const privacy::ProtectedTable& reach = reaches[zi];
        const auto count = [&](const privacy::Cell& c) { return privacy::count_text(c, policy); };
        ZoneReport zr;
        zr.id = z.id;
        zr.name = zone_name(z, lang);
        if (lang == Lang::Both && !z.name_en.empty() && z.name_en != zr.name) zr.name += " / " + z.name_en;
        auto& rows = zr.rows;
        rows.push_back({L("指标", "Measure"), L("数值", "Value")});
        rows.push_back({L("类型", "Kind"), L(plan::zone_kind_zh(z.kind), plan::zone_kind_en(z.kind))});
        rows.push_back({L("步行半径", "Walking radius"),
                        L(radius + (network ? " 米（沿街道）" : " 米（直线）"),
                          radius + (network ? " m (along streets)" : " m (straight line)"))});
        rows.push_back({L("可达居民（加权）", "Residents reached (weighted)"),
                        count(reach.col_total(0)) + " / " + count(reach.grand_total())});
        const bool mix = privacy::catchment_mix_published(reach);
        const bool covered = plan::redundancy_published(e, policy);
        rows.push_back({L("多样性（归一化熵）", "Diversity (normalised entropy)"),
                        mix ? fixed(e.entropy_normalised, 2) : "—"});
        rows.push_back({L("辛普森交互指数", "Simpson's interaction"), mix ? fixed(e.simpson_interaction, 2) : "—"});
        if (!mix)
            rows.push_back({L("多样性不公开的原因", "Why the diversity is withheld"),
                            L("有群体的可达人数不公开，熵与辛普森指数可推算出它",
                              "a group's reach is withheld and the entropy and Simpson index would give it back")});
        // Minority groups reached, most reached first (at most 5); only published counts are
        // listed, so that the choice of rows reveals nothing about a withheld one.
        std::vector<std::size_t> mg;
        for (std::size_t g = 0; g < e.groups.size(); ++g)
            if (e.groups[g].minority && e.groups[g].reached > 0 && !reach.cell(g, 0).suppressed()) mg.push_back(g);
        std::stable_sort(mg.begin(), mg.end(), [&](std::size_t a, std::size_t b) {
            return e.groups[a].reached > e.groups[b].reached;
        });
        std::string top_zh, top_en;
        for (std::size_t j = 0; j < mg.size() && j < 5; ++j) {
            const GroupDef& gd = project.groups[mg[j]];
            const privacy::Cell& r = reach.cell(mg[j], 0);
            const privacy::Cell& t = reach.row_total(mg[j]);
            const std::string share = privacy::percent_text(r, t);
            rows.push_back({L("可达：" + gd.name_zh, "Reached: " + gd.name_en),
                            count(r) + " / " + count(t) + (share != "—" ? " (" + share + ")" : "")});
            if (j == 0) {
                top_zh = gd.name_zh + "：" + count(r) + "人" +
                         (share != "—" ? "（占全社区" + gd.name_zh + "的" + share + "）" : "");
                top_en = count(r) + " " + gd.name_en + " residents" +
                         (share != "—" ? " (" + share + " of all " + gd.name_en + " residents)" : "") +
                         ", the minority group it reaches most";
            }
        }
        rows.push_back({L("可达的高-高聚类居民", "Residents in high-high clusters reached"),
                        e.lisa_available && std::isfinite(e.hh_share) ? pct(e.hh_share) : "—"});
        rows.push_back({L("已被现有活动场所覆盖", "Already covered by existing venues"),
                        covered && e.venues_available && std::isfinite(e.redundancy) ? pct(e.redundancy) : "—"});
        if (!covered)
            rows.push_back({L("覆盖比例不公开的原因", "Why the coverage is withheld"),
                            L("服务范围内有单元的居民数不公开，该比例可推算出它",
                              "a reached unit's residents are withheld and the share would give them back")});
        rows.push_back({L("平均隔离度（活动空间模型）", "Mean isolation (activity-space model)"),
                        mean_published ? num3(e.mean_isolation_before) + " → " + num3(e.mean_isolation_after) : "—"});
        if (!mean_published)
            rows.push_back({L("平均隔离度不公开的原因", "Why the mean isolation is withheld"),
                            L("它读取每个计数，而有计数不公开", "it reads every count and some are withheld")});
        const std::string f = pct(e.exposure_fraction);
        std::string zh = "该分区在" + std::string(network ? "沿街道步行" : "直线") + radius +
                         "米范围内可服务约" + count(reach.col_total(0)) + "名居民" +
                         (top_zh.empty() ? "" : "，其中覆盖最多的少数民族为" + top_zh) + "。";
        std::string en = "Within a " + radius + " m " +
                         (network ? "walk along the streets" : "straight-line distance") +
                         ", the zone reaches about " + count(reach.col_total(0)) + " residents" +
                         (top_en.empty() ? "" : ", among them " + top_en) + ".";
        if (mix && std::isfinite(e.simpson_interaction)) {
            zh += "在服务范围内随机相遇的两位居民属于不同民族的概率为" + pct(e.simpson_interaction) + "。";
            en +=
                " Two residents met at random in its catchment belong to different groups with probability " +
                pct(e.simpson_interaction) + ".";
        }
        if (mean_published) {
            zh += "若这些居民把" + f + "的交往时间用于该分区，按活动空间模型，居民平均与同族接触的比例将从" +
                  num3(e.mean_isolation_before) + "变为" + num3(e.mean_isolation_after) +
                  "（假设情景，不是预测）。";
            en += " If they spent " + f +
                  " of their contact time there, the activity-space model puts the average share of "
                  "own-group contacts at " +
                  num3(e.mean_isolation_after) + " instead of " + num3(e.mean_isolation_before) +
                  " (a what-if, not a prediction).";
        }
        zr.summary = L(zh, en);
        out.push_back(std::move(zr));
    }
    return out;
}

}  // namespace hq::exporter
