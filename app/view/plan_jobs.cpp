// Planning jobs of the scenarios window (Controller members: every job is the controller's):
// suggested sites (maximal covering) and the comparison of two scenarios.
#include <algorithm>
#include <cmath>

#include "app/view/plan_panels.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/analysis/planning.hpp"

namespace hq::view {
namespace {
constexpr const char* kSuggestSources[] = {"units", "venues", "zones"};
}  // namespace

void Controller::plan_request_suggest() {
    auto planner = model.planner;
    if (!planner || !model.data) return;
    PlanUi& pu = ui.plan;
    struct Cand {
        std::string label;
        Geometry geometry;
        Vec2 point;
        Geometry zone;        ///< what "Make zone" adds
        std::string zone_id;  ///< a zone already
    };
    std::vector<Cand> cands;
    const ProjectData& d = *model.data;
    const double buffer_m = model.plan.buffer_m;
    // The zone a site becomes: a courtyard's own polygon, else a buffer around the site.
    auto zone_of = [buffer_m](const Geometry& g) {
        if (g.is_polygonal()) return g;
        try {
            return edit::buffer_feature(g, buffer_m);
        } catch (const std::exception&) {
            return Geometry{};  // "Make zone" is then disabled
        }
    };
    if (pu.suggest_source == 0 && d.units) {
        for (std::size_t i = 0; i < d.units->size(); ++i)
            if (!d.units->metric[i].empty()) {
                const Vec2 p = point_on_surface(d.units->metric[i]);
                cands.push_back({d.units->ids[i], Geometry::point(p), p, zone_of(d.units->metric[i]), {}});
            }
    } else if (pu.suggest_source == 1) {
        if (const Layer* v = d.project->layer(Role::Venues))
            for (std::size_t i = 0; i < v->size(); ++i)
                if (!v->metric[i].empty())
                    cands.push_back({v->ids[i], v->metric[i], point_on_surface(v->metric[i]), zone_of(v->metric[i]), {}});
    } else {
        for (const plan::Zone& z : model.plan.doc().zones)
            if (!z.geometry.empty())
                cands.push_back({z.name_zh.empty() ? z.id : z.name_zh + " (" + z.id + ")", z.geometry,
                                 point_on_surface(z.geometry), {}, z.id});
    }
    if (cands.empty()) {
        ui.errors.push_back(std::string(ui.t(S::SuggestSites)) + ": " + ui.t(S::NoData));
        return;
    }
    const std::size_t k = static_cast<std::size_t>(std::max(1, pu.suggest_k));
    const std::string source = kSuggestSources[std::clamp(pu.suggest_source, 0, 2)];
    jobs.submit<SuggestView>(
        "suggest", ui.t(S::Suggesting),
        [planner, cands, k, source](const JobContext& c) {
            plan::check_suggest_size(cands.size(), planner->unit_count());
            const plan::CoverageProblem prob = plan::coverage_problem(
                *planner, cands.size(),
                [&cands](std::size_t i) -> const Geometry& { return cands[i].geometry; },
                c.sub(0.0, 0.5, "coverage"));
            plan::SuggestOptions so;
            so.k = k;
            const plan::SiteSuggestion s = plan::suggest_sites(prob, so, c.sub(0.5, 1.0, "sites"));
            SuggestView v;
            v.source = source;
            v.k = k;
            v.radius = planner->options().radius;
            v.exact = s.exact;
            v.objective = s.objective;
            v.total_weight = s.total_weight;
            v.estimated = prob.estimated;
            v.filled_share = prob.filled_share;
            v.note = analysis::suggest_estimate_note(prob);
            for (const plan::SitePick& p : s.picks)
                v.picks.push_back({cands[p.candidate].label, cands[p.candidate].point, p.marginal_gain, p.cumulative,
                                   cands[p.candidate].zone, cands[p.candidate].zone_id});
            return v;
        },
        [this](std::shared_ptr<const SuggestView> v) { ui.plan.suggestions = std::move(v); });
}

std::string Controller::plan_zone_from_site(std::size_t rank) {
    const SuggestView* sv = ui.plan.suggestions.get();
    if (!sv || rank >= sv->picks.size()) return {};
    const SuggestView::Pick& pick = sv->picks[rank];
    PlanEditor& ed = model.plan;
    if (!pick.zone_id.empty()) {  // a zone already: select it
        if (!ed.doc().find_zone(pick.zone_id)) return {};
        ed.select(pick.zone_id);
        ui.plan.show_zone = true;
        return pick.zone_id;
    }
    if (pick.zone.empty()) return {};
    std::string id = ed.create_zone(pick.zone);  // one undo step ("Add zone Z-n"); selects it
    if (!id.empty()) ui.plan.show_zone = true;
    return id;
}

void Controller::plan_request_compare() {
    auto planner = model.planner;
    if (!planner || !model.data) return;
    PlanUi& pu = ui.plan;
    const std::vector<plan::Scenario> choices = plan_scenario_choices(model.plan.doc());
    const auto pick = [&](int i) { return choices[static_cast<std::size_t>(std::clamp(i, 0, static_cast<int>(choices.size()) - 1))]; };
    std::vector<plan::Scenario> chosen{pick(pu.compare_a), pick(pu.compare_b)};
    std::vector<plan::Zone> zones = model.plan.doc().zones;
    std::vector<std::vector<std::string>> keys;
    for (const GroupDef& g : model.data->project->groups) keys.push_back({g.column, g.name_en, g.name_zh});
    plan::ChangeTestOptions t;
    t.permutations = static_cast<std::size_t>(std::max(0, pu.compare_permutations));
    t.privacy = planner->options().privacy.value_or(privacy::DisclosurePolicy{});  // the viewer's guard
    jobs.submit<CompareView>(
        "compare", ui.t(S::Comparing),
        [planner, chosen, zones, keys, t](const JobContext& c) {
            CompareView v;
            v.results = plan::compare_scenarios(*planner, zones, chosen, keys, t, c.progress);
            return v;
        },
        [this](std::shared_ptr<const CompareView> v) { ui.plan.comparison = std::move(v); });
}

}  // namespace hq::view
