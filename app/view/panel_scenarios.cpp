// Scenarios and suggested sites (issue 6 §4–§5) in the viewer: the document's scenarios (a
// new one from the current zones, delete, and each one's household moves added, edited and
// removed, checked against the project's counts first — each an undo step), two of them compared against the
// baseline with geo/plan/scenario.hpp (global indices, mean isolation, residents reached, and
// the change in reach per unit drawn on the map), and the k sites of the maximal covering
// problem (geo/plan/suggest.hpp) ranked with their marginal contribution, numbered on the map.
// Both computations run on the job runner with the project's planner.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <span>

#include "app/view/inspect.hpp"
#include "app/view/plan_panels.hpp"
#include "app/view/tessellate.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/analysis/planning.hpp"

namespace hq::view {
namespace {

std::string scenario_label(const UiState& ui, const std::string& name) {
    if (name == "baseline") return ui.t(S::ScenarioBaseline);
    if (name == "all_zones") return ui.t(S::ScenarioAllZones);
    return name;
}
std::string scenario_label(const UiState& ui, const plan::Scenario& s) { return scenario_label(ui, s.name); }

MoveContext move_context(const Model& model, const Controller& ctl) {
    MoveContext c;
    const ProjectData& d = *model.data;
    c.counts = d.counts;
    if (d.units) c.unit_ids = d.units->ids;
    for (std::size_t g = 0; g < d.project->groups.size(); ++g) {
        const GroupDef& gd = d.project->groups[g];
        c.group_keys.push_back({gd.column, gd.name_en, gd.name_zh});
        c.group_names.push_back(ctl.group_name(g));
    }
    c.cells = d.protected_units.get();  // no withheld count in the move form (geo/privacy)
    return c;
}

std::string move_group_name(const Model& model, const Controller& ctl, const std::string& group) {
    const auto& groups = model.data->project->groups;
    for (std::size_t g = 0; g < groups.size(); ++g)
        if (groups[g].column == group || groups[g].name_en == group || groups[g].name_zh == group) return ctl.group_name(g);
    return group;
}

std::string move_description(S what, const std::string& scenario) {
    return std::string(tr(what, UiLang::En)) + " (" + scenario + ")";
}

/// A scenario's household moves: one row each (edit, remove) and "add".
void draw_moves(const Model& model, UiState& ui, Controller& ctl, const plan::Scenario& sc) {
    PlanUi& pu = ui.plan;
    ImGui::Indent();
    if (sc.moves.empty()) ImGui::TextDisabled("%s", ui.t(S::NoMoves));
    for (std::size_t k = 0; k < sc.moves.size(); ++k) {
        const plan::HouseholdMove& m = sc.moves[k];
        ImGui::PushID(static_cast<int>(k));
        ImGui::Text("%zu. %s: %s → %s, %.0f", k + 1, move_group_name(model, ctl, m.group).c_str(), m.from.c_str(), m.to.c_str(),
                    m.count);
        ImGui::SameLine();
        if (ImGui::SmallButton(ui.t(S::EditItem))) {
            pu.move_scenario = sc.name;
            pu.move_index = static_cast<int>(k);
            pu.move_group = 0;
            const auto& groups = model.data->project->groups;
            for (std::size_t g = 0; g < groups.size(); ++g)
                if (groups[g].column == m.group || groups[g].name_en == m.group || groups[g].name_zh == m.group)
                    pu.move_group = static_cast<int>(g);
            pu.move_from = m.from;
            pu.move_to = m.to;
            pu.move_count = static_cast<int>(m.count);
        }
        ImGui::SameLine();
        if (ImGui::SmallButton(ui.t(S::RemoveItem))) {
            plan::Scenario after = sc;
            after.moves.erase(after.moves.begin() + static_cast<std::ptrdiff_t>(k));
            // A later move may need residents this one brought: refuse with the reason.
            const std::string problem = check_moves(move_context(model, ctl), after.moves, ui.lang);
            if (!problem.empty()) ui.errors.push_back(problem);
            else ctl.plan().set_scenario(sc.name, after, move_description(S::HistRemoveMove, sc.name));
            if (pu.move_scenario == sc.name) pu.move_scenario.clear();
        }
        ImGui::PopID();
    }
    if (ImGui::SmallButton(ui.t(S::HistAddMove))) {
        pu.move_scenario = sc.name;
        pu.move_index = -1;
        pu.move_from.clear();
        pu.move_to.clear();
        pu.move_count = 1;
    }
    ImGui::Unindent();
}

/// A unit id picked from a combo with a filter box (thousands of units at city scale).
void unit_combo(UiState& ui, S label, std::string& value, std::span<const std::string> ids) {
    if (ImGui::BeginCombo(ui.t(label), value.empty() ? "–" : value.c_str())) {
        if (ImGui::IsWindowAppearing()) ui.unit_filter[0] = 0;
        ImGui::SetNextItemWidth(160);
        ImGui::InputText(ui.t(S::Filter), ui.unit_filter.data(), ui.unit_filter.size());
        const ImGuiTextFilter filter(ui.unit_filter.data());
        int shown = 0;
        for (const std::string& id : ids) {
            if (!filter.PassFilter(id.c_str())) continue;
            if (++shown > 500) {  // a city's units: narrow them with the filter
                ImGui::TextDisabled("…");
                break;
            }
            if (ImGui::Selectable(id.c_str(), id == value)) value = id;
        }
        ImGui::EndCombo();
    }
}

/// The move being added or edited: group, from, to, count; checked live, OK only when valid.
void draw_move_form(const Model& model, UiState& ui, Controller& ctl) {
    PlanUi& pu = ui.plan;
    if (pu.move_scenario.empty()) return;
    const plan::PlanDocument& doc = model.plan.doc();
    const auto it = std::find_if(doc.scenarios.begin(), doc.scenarios.end(),
                                 [&](const plan::Scenario& s) { return s.name == pu.move_scenario; });
    if (it == doc.scenarios.end() || pu.move_index >= static_cast<int>(it->moves.size())) {
        pu.move_scenario.clear();  // undone meanwhile
        return;
    }
    const plan::Scenario sc = *it;
    const auto& groups = model.data->project->groups;
    if (groups.empty()) return;
    ImGui::Separator();
    const std::string title = std::string(ui.t(pu.move_index < 0 ? S::HistAddMove : S::HistEditMove)) + " · " + sc.name;
    ImGui::TextUnformatted(title.c_str());
    pu.move_group = std::clamp(pu.move_group, 0, static_cast<int>(groups.size()) - 1);
    if (ImGui::BeginCombo(ui.t(S::Group), ctl.group_name(static_cast<std::size_t>(pu.move_group)).c_str())) {
        for (std::size_t g = 0; g < groups.size(); ++g)
            if (ImGui::Selectable(ctl.group_name(g).c_str(), static_cast<int>(g) == pu.move_group))
                pu.move_group = static_cast<int>(g);
        ImGui::EndCombo();
    }
    const MoveContext ctx = move_context(model, ctl);
    unit_combo(ui, S::MoveFrom, pu.move_from, ctx.unit_ids);
    unit_combo(ui, S::MoveTo, pu.move_to, ctx.unit_ids);
    ImGui::SetNextItemWidth(120);
    ImGui::InputInt(ui.t(S::MoveCount), &pu.move_count, 1, 10);
    plan::HouseholdMove m{groups[static_cast<std::size_t>(pu.move_group)].column, pu.move_from, pu.move_to,
                          static_cast<double>(pu.move_count)};
    plan::Scenario after = sc;
    const std::size_t at = pu.move_index < 0 ? after.moves.size() : static_cast<std::size_t>(pu.move_index);
    if (pu.move_index < 0) after.moves.push_back(m);
    else after.moves[at] = m;
    if (!pu.move_from.empty()) {
        const double before = residents_before_move(ctx, after.moves, at, m.group, m.from);
        if (std::isfinite(before))
            ImGui::TextDisabled("%s", fill(ui.t(S::MoveResidentsHint),
                                           {m.from, ctl.group_name(static_cast<std::size_t>(pu.move_group)),
                                            residents_before_move_text(ctx, after.moves, at, m.group, m.from)})
                                          .c_str());
    }
    const std::string problem = pu.move_from.empty() || pu.move_to.empty() ? std::string("–")
                                                                           : check_moves(ctx, after.moves, ui.lang);
    if (!problem.empty() && problem != "–") ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "%s", problem.c_str());
    ImGui::BeginDisabled(!problem.empty() || after == sc);
    if (ImGui::Button(ui.t(S::Ok))) {
        ctl.plan().set_scenario(sc.name, after,
                                    move_description(pu.move_index < 0 ? S::HistAddMove : S::HistEditMove, sc.name));
        pu.move_scenario.clear();
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button(ui.t(S::Cancel))) pu.move_scenario.clear();
}

}  // namespace

std::vector<plan::Scenario> plan_scenario_choices(const plan::PlanDocument& doc) {
    std::vector<plan::Scenario> out;
    out.push_back({"baseline", "no zones, no household moves", {}, {}});
    plan::Scenario all{"all_zones", "every zone, no household moves", {}, {}};
    for (const auto& z : doc.zones) all.zone_ids.push_back(z.id);
    out.push_back(all);
    for (const auto& s : doc.scenarios) out.push_back(s);
    return out;
}

void draw_plan_scenarios(const Model& model, UiState& ui, Controller& ctl) {
    PlanUi& pu = ui.plan;
    if (!pu.active || !pu.show_scenarios || !model.data) return;
    PlanEditor& ed = ctl.plan();
    if (!begin_docked_tab(ui, std::string(ui.t(S::Scenarios)) + "###plan_scenarios", "plan_scenarios", pu.show_scenarios)) return;
    const bool have_planner = model.planner != nullptr;
    if (!have_planner) ImGui::TextDisabled("%s…", ui.t(S::PlannerPreparing));

    // Scenarios of the document, each with its household moves.
    const std::vector<plan::Scenario> choices = plan_scenario_choices(ed.doc());
    for (std::size_t i = 2; i < choices.size(); ++i) {
        const plan::Scenario& sc = choices[i];
        ImGui::PushID(static_cast<int>(i));
        ImGui::BulletText("%s: %zu %s, %zu %s", sc.name.c_str(), sc.zone_ids.size(), ui.t(S::Zones), sc.moves.size(),
                          ui.t(S::HouseholdMoves));
        ImGui::SameLine();
        if (ImGui::SmallButton(ui.t(S::HistDeleteScenario))) {
            if (pu.move_scenario == sc.name) pu.move_scenario.clear();
            ed.set_scenario(sc.name, std::nullopt);
        }
        draw_moves(model, ui, ctl, sc);
        ImGui::PopID();
    }
    draw_move_form(model, ui, ctl);
    if (ImGui::Button(ui.t(S::NewScenario)) && !ed.doc().zones.empty()) {
        std::string name;
        for (int n = static_cast<int>(ed.doc().scenarios.size()) + 1;; ++n) {
            name = "S-" + std::to_string(n);
            bool used = false;
            for (const auto& s : ed.doc().scenarios) used = used || s.name == name;
            if (!used) break;
        }
        plan::Scenario s{name, "", {}, {}};
        for (const auto& z : ed.doc().zones) s.zone_ids.push_back(z.id);
        ed.set_scenario(name, s);
    }

    // Compare two.
    ImGui::Separator();
    auto combo = [&](S label, int& index) {
        index = std::clamp(index, 0, static_cast<int>(choices.size()) - 1);
        if (ImGui::BeginCombo(ui.t(label), scenario_label(ui, choices[static_cast<std::size_t>(index)]).c_str())) {
            for (std::size_t i = 0; i < choices.size(); ++i)
                if (ImGui::Selectable((scenario_label(ui, choices[i]) + "##" + std::to_string(i)).c_str(),
                                      static_cast<int>(i) == index))
                    index = static_cast<int>(i);
            ImGui::EndCombo();
        }
    };
    combo(S::ScenarioA, pu.compare_a);
    combo(S::ScenarioB, pu.compare_b);
    ImGui::SetNextItemWidth(120);
    ImGui::InputInt(ui.t(S::Permutations), &pu.compare_permutations, 100, 1000);
    pu.compare_permutations = std::clamp(pu.compare_permutations, 0, 9999);
    if (ImGui::Button((std::string(ui.t(S::Compute)) + "##compare").c_str()) && have_planner) ctl.plan_request_compare();
    ImGui::SameLine();
    ImGui::Checkbox(ui.t(S::ChangeMap), &pu.show_change_map);
    if (const CompareView* cv = pu.comparison.get(); cv && cv->results.size() == 2) {
        const plan::ScenarioResult &a = cv->results[0], &b = cv->results[1];
        if (ImGui::BeginTable("##cmp", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchProp)) {
            ImGui::TableSetupColumn(ui.t(S::Index));
            ImGui::TableSetupColumn(ui.t(S::ScenarioBaseline));
            const std::string an = scenario_label(ui, a.name), bn = scenario_label(ui, b.name);
            ImGui::TableSetupColumn(an.c_str());
            ImGui::TableSetupColumn(bn.c_str());
            ImGui::TableHeadersRow();
            auto row = [&](const std::string& label, const std::string& v0, const std::string& v1, const std::string& v2) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(label.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(v0.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(v1.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(v2.c_str());
            };
            // GL-free (inspect.hpp): counts as `plan compare` prints them (geo/privacy).
            const ScenarioTable st =
                scenario_table(a, b, ui.lang, model.data ? model.data->project.get() : nullptr,
                               model.planner->options().privacy.value_or(privacy::DisclosurePolicy{}));
            for (const auto& r : st.rows) row(r[0], r[1], r[2], r[3]);
            ImGui::EndTable();
            for (const auto& n : st.notes) ImGui::TextWrapped("%s", n.c_str());
        }
    }

    // Suggested sites.
    ImGui::Separator();
    ImGui::TextUnformatted(ui.t(S::SuggestSites));
    const char* sources[] = {ui.t(S::CandCourtyards), ui.t(S::CandVenues), ui.t(S::Zones)};
    ImGui::SetNextItemWidth(140);
    ImGui::Combo(ui.t(S::Candidates), &pu.suggest_source, sources, 3);
    ImGui::SetNextItemWidth(120);
    ImGui::InputInt(ui.t(S::SitesK), &pu.suggest_k, 1, 1);
    pu.suggest_k = std::clamp(pu.suggest_k, 1, 50);
    if (ImGui::Button((std::string(ui.t(S::Compute)) + "##suggest").c_str()) && have_planner) ctl.plan_request_suggest();
    if (const SuggestView* sv = pu.suggestions.get()) {
        // Under the guard the weights come from the published estimate (geo/plan coverage_problem): "≈".
        const std::string approx = sv->estimated ? "≈" : "";
        ImGui::TextDisabled("r = %.0f m · %s · %s %s", sv->radius, ui.t(sv->exact ? S::MethodExact : S::MethodGreedy),
                            ui.t(S::Cumulative),
                            sv->total_weight > 0 ? (approx + format_share(sv->objective / sv->total_weight)).c_str() : "–");
        if (!sv->note.empty()) ImGui::TextWrapped("%s", (ui.lang == UiLang::Zh ? sv->note.zh : sv->note.en).c_str());
        if (ImGui::BeginTable("##sites", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
            ImGui::TableSetupColumn("#");
            ImGui::TableSetupColumn(ui.t(S::Site));
            ImGui::TableSetupColumn(ui.t(S::Marginal));
            ImGui::TableSetupColumn(ui.t(S::Cumulative));
            ImGui::TableSetupColumn("");
            ImGui::TableHeadersRow();
            for (std::size_t i = 0; i < sv->picks.size(); ++i) {
                const auto& p = sv->picks[i];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::Text("%zu", i + 1);
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(p.label.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted((approx + fixed_text(p.marginal, 1)).c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(sv->total_weight > 0 ? (approx + format_share(p.cumulative / sv->total_weight)).c_str()
                                                            : "–");
                // One click: the site becomes a zone (one undo step), or a zone site is selected.
                ImGui::TableNextColumn();
                ImGui::BeginDisabled(p.zone_id.empty() && p.zone.empty());
                const std::string button = std::string(ui.t(p.zone_id.empty() ? S::MakeZone : S::SelectZone)) + "##site" +
                                           std::to_string(i);
                if (ImGui::SmallButton(button.c_str())) ctl.plan_zone_from_site(i);
                ImGui::EndDisabled();
                if (p.zone_id.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", ui.t(S::MakeZoneTip));
            }
            ImGui::EndTable();
        }
    }
    if (const std::string e = ed.take_error(); !e.empty()) ui.errors.push_back(e);
    ImGui::EndTabItem();
}

void draw_plan_scenario_overlay(const Model& model, UiState& ui, Controller& /*ctl*/, ImDrawList* dl) {
    const PlanUi& pu = ui.plan;
    if (!pu.active || !pu.show_scenarios) return;
    const Camera& cam = ui.camera;
    const ProjectData* d = model.data.get();
    // Change in reach per unit, B − A: green where B reaches more, purple where A does.
    if (const CompareView* cv = pu.comparison.get(); cv && pu.show_change_map && d && d->units && cv->results.size() == 2) {
        const auto &ua = cv->results[0].units, &ub = cv->results[1].units;
        const std::size_t n = std::min({ua.size(), ub.size(), d->units->size()});
        for (std::size_t i = 0; i < n; ++i) {
            const double delta = ub[i].reach - ua[i].reach;
            if (std::fabs(delta) < 0.01 || !d->units->metric[i].is_polygonal()) continue;
            const int alpha = static_cast<int>(40 + 120 * std::min(1.0, std::fabs(delta)));
            const ImU32 col = delta > 0 ? IM_COL32(27, 158, 119, alpha) : IM_COL32(117, 112, 179, alpha);
            const std::vector<float> tri = tessellate(d->units->metric[i], cam.center);
            const Vec2 c = cam.canvas_center();
            auto at = [&](std::size_t k) {
                return ImVec2(static_cast<float>(c.x + tri[k] * cam.scale), static_cast<float>(c.y - tri[k + 1] * cam.scale));
            };
            const ImDrawListFlags flags = dl->Flags;
            dl->Flags &= ~ImDrawListFlags_AntiAliasedFill;
            for (std::size_t k = 0; k + 5 < tri.size(); k += 6) dl->AddTriangleFilled(at(k), at(k + 2), at(k + 4), col);
            dl->Flags = flags;
        }
    }
    // Suggested sites, numbered by rank.
    if (const SuggestView* sv = pu.suggestions.get())
        for (std::size_t i = 0; i < sv->picks.size(); ++i) {
            const Vec2 s = cam.world_to_screen(sv->picks[i].point);
            const ImVec2 c(static_cast<float>(s.x), static_cast<float>(s.y));
            dl->AddCircleFilled(c, 11, IM_COL32(106, 27, 154, 235));
            dl->AddCircle(c, 11, IM_COL32(255, 255, 255, 255), 0, 2.0f);
            const std::string t = std::to_string(i + 1);
            const ImVec2 ts = ImGui::CalcTextSize(t.c_str());
            dl->AddText(ImVec2(c.x - ts.x / 2, c.y - ts.y / 2), IM_COL32(255, 255, 255, 255), t.c_str());
        }
}

}  // namespace hq::view
