#include "geo/analysis/planning.hpp"

#include <algorithm>

#include "geo/analysis/counts.hpp"
#include "geo/core/error.hpp"
#include "geo/geometry/ops.hpp"

namespace hq::analysis {

namespace {

std::string text_field(const Layer& l, std::size_t i, const std::string& f) {
    const int k = l.table.field_index(f);
    return k < 0 ? std::string() : value_to_string(l.table.rows[i][static_cast<std::size_t>(k)]);
}

}  // namespace

AutocorrRequest planner_lisa_request(const std::string& group, const plan::PlannerOptions& options) {
    AutocorrRequest r = lisa_request(group, "queen", options.lisa_permutations, options.seed, options.lisa_alpha, "none");
    r.privacy = options.privacy;  // published-only inputs with the guard on (docs/privacy.md, "LISA")
    return r;
}

plan::PlanInput plan_input(const Project& p, const plan::PlannerOptions& o, const Progress& progress) {
    if (p.groups.empty())
        throw InputError(ErrorContext{p.path}, "the project defines no population groups (manifest \"groups\")");
    const Layer* units = units_layer(p);
    if (!units || units->size() == 0) throw InputError(ErrorContext{p.path}, "the project has no units layer");
    if (units->geom_type != GeomType::Polygon && units->geom_type != GeomType::Point)
        throw InputError(ErrorContext{units->path()}, "units must be polygons or points to evaluate zones");
    plan::PlanInput in;
    in.unit_ids = units->ids;
    in.units = units->metric;
    const auto table = group_count_table(p, units);
    std::vector<std::size_t> all(p.groups.size());
    for (std::size_t g = 0; g < all.size(); ++g) all[g] = g;
    in.counts = table->matrix(all);
    for (std::size_t g = 0; g < p.groups.size(); ++g) in.counts.names[g] = p.groups[g].name_en;
    if (const Layer* s = p.layer(Role::Streets)) in.streets = s->metric;
    if (const Layer* v = p.layer(Role::Venues)) {
        const bool has_kind = v->table.field_index("kind") >= 0 || v->table.field_index("category") >= 0;
        for (std::size_t i = 0; i < v->size(); ++i) {
            if (v->metric[i].empty()) continue;
            if (has_kind && !o.venue_kinds.empty()) {
                const std::string k = text_field(*v, i, "kind"), c = text_field(*v, i, "category");
                const bool match = std::any_of(o.venue_kinds.begin(), o.venue_kinds.end(),
                                               [&](const std::string& s) { return s == k || s == c; });
                if (!match) continue;
            }
            in.venues.push_back(representative_point(v->metric[i]));
        }
    }

    // LISA high-high clusters of every group's share: the LISA map's request for that group
    // (planner_lisa_request, with the output's privacy guard), the weights built once for all
    // groups. With the guard on, each group's LISA is computed from the units whose count of
    // it is published (docs/privacy.md, "LISA"): a left-out unit is never HH, and a group
    // with fewer than 3 such units has no HH unit.
    const std::size_t n = in.unit_ids.size(), k = p.groups.size();
    if (n < 3) {
        in.lisa_note = "fewer than 3 units: LISA clusters skipped";
        in.lisa_note_zh = "单元少于 3 个：未计算 LISA 聚类";
        return in;
    }
    std::vector<AutocorrRequest> requests;
    for (const GroupDef& g : p.groups) {
        requests.push_back(planner_lisa_request(g.column, o));
        requests.back().layer = units;
    }
    const std::vector<AutocorrBatchItem> lisa = autocorrelation_batch(p, requests, progress);
    std::vector<char> hh(n * k, 0);
    std::vector<std::string> skipped, withheld;
    const AutocorrResult* any = nullptr;
    const bool guarded = o.privacy && o.privacy->guard;
    for (std::size_t g = 0; g < k; ++g) {
        const AutocorrResult* r = lisa[g].result.get();
        if (!r || !r->local_moran) {
            skipped.push_back(in.counts.names[g]);
            continue;
        }
        if (!r->withheld.empty() && std::none_of(r->withheld.begin(), r->withheld.end(), [](bool w) { return !w; })) {
            withheld.push_back(in.counts.names[g]);  // fewer than 3 published units: nothing computed
            continue;
        }
        if (!any || (r->weights.fallback && !any->weights.fallback)) any = r;
        for (std::size_t i = 0; i < n; ++i)
            if (r->cluster[i] == Quadrant::HH && r->local_moran_significant[i]) hh[i * k + g] = 1;
    }
    if (any && any->withheld.empty() && any->weights.islands == n) {
        in.lisa_note = "no neighbours for LISA: clusters skipped";
        in.lisa_note_zh = "没有相邻单元：未计算 LISA 聚类";
        return in;
    }
    auto add_note = [&](const std::string& en, const std::string& zh) {
        in.lisa_note += (in.lisa_note.empty() ? "" : "; ") + en;
        in.lisa_note_zh += (in.lisa_note_zh.empty() ? "" : "；") + zh;
    };
    auto add_names = [&](const std::vector<std::string>& names) {
        for (std::size_t i = 0; i < names.size(); ++i) {
            in.lisa_note += " " + names[i];
            in.lisa_note_zh += (i ? "、" : "") + names[i];
        }
    };
    if (guarded)
        add_note("LISA computed from the units whose count is published (privacy guard, docs/privacy.md)",
                 "LISA仅用计数公开的单元计算（隐私保护）");
    if (any && any->weights.fallback) add_note("LISA uses the " + any->weights.note_en, "LISA 使用" + any->weights.note_zh);
    if (!skipped.empty()) {
        add_note("no LISA for " + std::to_string(skipped.size()) + " group(s) without variation:",
                 std::to_string(skipped.size()) + "个群体的比例没有变化，未计算 LISA：");
        add_names(skipped);
    }
    if (!withheld.empty()) {
        add_note("no LISA for " + std::to_string(withheld.size()) +
                     " group(s) with fewer than 3 units whose count is published:",
                 std::to_string(withheld.size()) + "个群体计数公开的单元少于 3 个，未计算 LISA：");
        add_names(withheld);
    }
    if (any) in.hh = std::move(hh);
    return in;
}

plan::Planner make_planner(const Project& project, const plan::PlannerOptions& options, const Progress& progress) {
    return plan::Planner(plan_input(project, options, progress), options, progress);
}

IndexDisclosure index_disclosure(const plan::IndexChange& c) {
    IndexDisclosure d;
    d.estimated = c.estimated;
    d.withheld = c.withheld;
    d.filled_share = c.filled_share;
    d.reason_zh = c.reason_zh;
    d.reason_en = c.reason_en;
    return d;
}

privacy::EstimateNote scenario_estimate_note(const plan::ScenarioResult& r) {
    double most = 0.0;
    bool any = false;
    for (const plan::IndexChange& c : r.indices)
        if (c.estimated && !c.withheld) {
            any = true;
            most = std::max(most, c.filled_share);
        }
    if (!any) return {};
    if (!r.estimate_clamped) return privacy::estimate_note(most, true);
    return privacy::estimate_note(most, true, "；迁出人数多于填补值的格按 0 计",
                                  "; where a move takes more residents than a filled cell holds, the cell is taken to 0");
}

privacy::EstimateNote suggest_estimate_note(const plan::CoverageProblem& p) {
    if (!p.estimated) return {};
    return privacy::estimate_note(p.filled_share, false, "；权重、增益与目标值均由此计算",
                                  "; the weights, gains and objective are computed from it");
}

}  // namespace hq::analysis
