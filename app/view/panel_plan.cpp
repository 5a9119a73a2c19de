// The planning tools in the viewer (issue 6 §1–§3): the sidebar section (plan mode, tools,
// snapping, the zone list), canvas input routed to the PlanEditor (plan_tools.hpp), the zones
// drawn as a translucent overlay with outlines, and the zone window: attributes (each change
// one undo step) and the live evaluation of the selected or in-progress zone.
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "app/view/inspect.hpp"
#include "app/view/plan_panels.hpp"
#include "app/view/tessellate.hpp"
#include "app/view/tool_input.hpp"
#include "app/view/view_state.hpp"
#include "geo/geometry/ops.hpp"

namespace hq::view {
namespace {

ImVec2 to_im(Vec2 p) { return {static_cast<float>(p.x), static_cast<float>(p.y)}; }

// Overlay colours (tests/view/test_view_plan.cpp checks the fill blend and the outline).
constexpr ImU32 kZoneFill = IM_COL32(230, 81, 0, 80);
constexpr ImU32 kZoneOutline = IM_COL32(230, 81, 0, 255);
constexpr ImU32 kSelectedFill = IM_COL32(255, 145, 0, 110);
constexpr ImU32 kSelectedOutline = IM_COL32(255, 109, 0, 255);
constexpr ImU32 kInvalid = IM_COL32(211, 47, 47, 255);
constexpr ImU32 kDrawing = IM_COL32(21, 101, 192, 255);
constexpr ImU32 kDrawingFill = IM_COL32(21, 101, 192, 60);

/// "n/a" for NaN (never a silent NaN), else printf with `fmt`.
std::string num(const UiState& ui, double v, int decimals = 3) {
    if (!std::isfinite(v)) return ui.t(S::NotAvailable);
    char b[64];
    std::snprintf(b, sizeof b, "%.*f", decimals, v);
    return b;
}

void fill_geometry(ImDrawList* dl, const Camera& cam, const Geometry& g, ImU32 col) {
    const std::vector<float> tri = tessellate(g, cam.center);
    if (tri.empty()) return;
    const ImDrawListFlags flags = dl->Flags;
    dl->Flags &= ~ImDrawListFlags_AntiAliasedFill;  // no seams between adjacent triangles
    const Vec2 c = cam.canvas_center();
    auto at = [&](std::size_t k) {
        return ImVec2(static_cast<float>(c.x + tri[k] * cam.scale), static_cast<float>(c.y - tri[k + 1] * cam.scale));
    };
    for (std::size_t k = 0; k + 5 < tri.size(); k += 6) dl->AddTriangleFilled(at(k), at(k + 2), at(k + 4), col);
    dl->Flags = flags;
}

void outline_geometry(ImDrawList* dl, const Camera& cam, const Geometry& g, ImU32 col, float thickness) {
    std::vector<ImVec2> pts;
    for (const Polygon& poly : g.polygons)
        for (const Ring& r : poly.rings) {
            pts.clear();
            for (std::size_t k = 0; k + 1 < r.size(); ++k) pts.push_back(to_im(cam.world_to_screen(r[k])));
            if (pts.size() >= 2) dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), col, ImDrawFlags_Closed, thickness);
        }
}

/// A reached group's name in the UI language (the planner's own name when the project has
/// fewer groups than the evaluation, which cannot happen for the open project's planner).
std::string reach_group_name(const Model& model, const Controller& ctl, std::size_t k, const plan::GroupReach& gr) {
    const std::size_t groups = model.data ? model.data->project->groups.size() : 0;
    return k < groups ? ctl.group_name(k) : gr.name;
}

std::string zone_title(const UiState& ui, const plan::Zone& z) {
    const std::string& n = ui.lang == UiLang::Zh ? (z.name_zh.empty() ? z.name_en : z.name_zh)
                                                     : (z.name_en.empty() ? z.name_zh : z.name_en);
    return n.empty() ? z.id : n + " (" + z.id + ")";
}

// [SECTION] Attribute editing ---------------------------------------------------------------------

/// Text buffers of the selected zone's attributes, refreshed when the zone or the document
/// changes while no field is being edited.
void copy_to(char* dst, std::size_t cap, const std::string& s) {
    std::strncpy(dst, s.c_str(), cap - 1);
    dst[cap - 1] = 0;
}

void refresh(AttrBuffers& b, const plan::Zone& z, std::uint64_t revision) {
    b.zone = z.id;
    b.revision = revision;
    copy_to(b.name_zh, sizeof b.name_zh, z.name_zh);
    copy_to(b.name_en, sizeof b.name_en, z.name_en);
    copy_to(b.status, sizeof b.status, z.status);
    copy_to(b.owner, sizeof b.owner, z.owner);
    char tmp[64] = "";
    if (z.budget) std::snprintf(tmp, sizeof tmp, "%.2f", *z.budget);
    copy_to(b.budget, sizeof b.budget, tmp);
    copy_to(b.start, sizeof b.start, z.start_date);
    copy_to(b.end, sizeof b.end, z.end_date);
    copy_to(b.notes, sizeof b.notes, z.notes);
}

void draw_attributes(UiState& ui, Controller& ctl, const plan::Zone& zone) {
    AttrBuffers& b = ui.plan.attr_buffers;
    PlanEditor& ed = ctl.plan();
    if ((b.zone != zone.id || b.revision != ed.revision()) && !ImGui::IsAnyItemActive()) refresh(b, zone, ed.revision());
    auto commit = [&](S field, auto&& set) {
        plan::Zone v = zone;
        set(v);
        if (ed.set_attributes(v, attribute_description(field))) ctl.fonts_dirty = true;  // new characters
    };
    auto text = [&](S field, char* buf, std::size_t cap, std::string plan::Zone::*member) {
        ImGui::InputText(ui.t(field), buf, cap);
        if (ImGui::IsItemDeactivatedAfterEdit() && zone.*member != buf) commit(field, [&](plan::Zone& v) { v.*member = buf; });
    };
    text(S::ZoneNameZh, b.name_zh, sizeof b.name_zh, &plan::Zone::name_zh);
    text(S::ZoneNameEn, b.name_en, sizeof b.name_en, &plan::Zone::name_en);
    const char* kind_label = ui.lang == UiLang::Zh ? plan::zone_kind_zh(zone.kind) : plan::zone_kind_en(zone.kind);
    if (ImGui::BeginCombo(ui.t(S::ZoneKindLabel), kind_label)) {
        for (plan::ZoneKind k : plan::all_zone_kinds) {
            const char* l = ui.lang == UiLang::Zh ? plan::zone_kind_zh(k) : plan::zone_kind_en(k);
            if (ImGui::Selectable(l, k == zone.kind) && k != zone.kind) commit(S::ZoneKindLabel, [k](plan::Zone& v) { v.kind = k; });
        }
        ImGui::EndCombo();
    }
    // Status: the known statuses in the UI language; a status of the data's own stays as written.
    if (ImGui::BeginCombo(ui.t(S::ZoneStatus), translate_status(zone.status, ui.lang).c_str())) {
        for (const auto& [key, label] : kStatusLabels)
            if (ImGui::Selectable(ui.t(label), zone.status == key) && zone.status != key)
                commit(S::ZoneStatus, [key = std::string(key)](plan::Zone& v) { v.status = key; });
        ImGui::EndCombo();
    }
    auto date = [&](S field, char* buf, std::size_t cap, std::string plan::Zone::*member) {
        const bool ok = plan::is_iso_date(buf);
        if (!ok) ImGui::PushStyleColor(ImGuiCol_FrameBg, ImVec4(1.0f, 0.8f, 0.8f, 1.0f));
        ImGui::InputText(ui.t(field), buf, cap);
        if (!ok) ImGui::PopStyleColor();
        if (ImGui::IsItemDeactivatedAfterEdit() && plan::is_iso_date(buf) && zone.*member != buf)
            commit(field, [&](plan::Zone& v) { v.*member = buf; });
    };
    date(S::ZoneStartDate, b.start, sizeof b.start, &plan::Zone::start_date);
    date(S::ZoneEndDate, b.end, sizeof b.end, &plan::Zone::end_date);
    if (!plan::is_iso_date(b.start) || !plan::is_iso_date(b.end)) ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "%s", ui.t(S::BadDate));
    ImGui::InputText(ui.t(S::ZoneBudget), b.budget, sizeof b.budget, ImGuiInputTextFlags_CharsScientific);
    if (ImGui::IsItemDeactivatedAfterEdit()) {
        std::optional<double> budget;
        char* end = nullptr;
        const double v = std::strtod(b.budget, &end);
        if (b.budget[0] && end != b.budget && std::isfinite(v) && v >= 0) budget = v;
        if (budget != zone.budget && (budget || !b.budget[0])) commit(S::ZoneBudget, [budget](plan::Zone& z) { z.budget = budget; });
        else refresh(b, zone, ed.revision());
    }
    text(S::ZoneOwner, b.owner, sizeof b.owner, &plan::Zone::owner);
    ImGui::InputTextMultiline(ui.t(S::ZoneNotes), b.notes, sizeof b.notes, ImVec2(0, ImGui::GetTextLineHeight() * 3));
    if (ImGui::IsItemDeactivatedAfterEdit() && zone.notes != b.notes)
        commit(S::ZoneNotes, [&](plan::Zone& v) { v.notes = b.notes; });
}

// [SECTION] Live evaluation ------------------------------------------------------------------------

void draw_evaluation(const Model& model, UiState& ui, Controller& ctl, const Geometry* g) {
    PlanUi& pu = ui.plan;
    ImGui::SetNextItemWidth(160);
    ImGui::SliderFloat(ui.t(S::CatchmentRadius), &pu.radius_m, 50.0f, 1000.0f, "%.0f");
    if (ImGui::IsItemDeactivatedAfterEdit()) {
        // One undo step, saved in the project (view_state.hpp); the planner follows.
        commit_view_settings(ctl, kPlanRadiusKey, tr(S::HistPlanRadius, UiLang::En));
        if (model.planner || pu.planner_requested) ctl.plan_request_planner();
    }
    // Straight-line or along the streets: the network needs the project's streets layer.
    const bool network = pu.distance == plan::DistanceMode::Network ||
                         (pu.distance == plan::DistanceMode::Auto && pu.streets_available);
    if (ImGui::RadioButton(ui.t(S::DistStraight), !network) && network) {
        pu.distance = plan::DistanceMode::Straight;
        commit_view_settings(ctl, kPlanDistanceKey, tr(S::HistPlanDistance, UiLang::En));
        if (model.planner || pu.planner_requested) ctl.plan_request_planner();
    }
    ImGui::BeginDisabled(!pu.streets_available);
    if (ImGui::RadioButton(ui.t(S::DistNetwork), network) && !network) {
        pu.distance = plan::DistanceMode::Network;
        commit_view_settings(ctl, kPlanDistanceKey, tr(S::HistPlanDistance, UiLang::En));
        if (model.planner || pu.planner_requested) ctl.plan_request_planner();
    }
    ImGui::EndDisabled();
    if (!pu.streets_available && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("%s", ui.t(S::NetworkNeedsStreets));
    const plan::Planner* planner = model.planner.get();
    if (!planner) {
        if (!pu.planner_error.empty()) ImGui::TextWrapped("%s", pu.planner_error.c_str());
        else ImGui::TextDisabled("%s…", ui.t(S::PlannerPreparing));
        if (!pu.planner_requested && !ctl.jobs.busy("planner")) ctl.plan_request_planner();
        return;
    }
    if (!g) {
        ImGui::TextDisabled("%s", ui.t(S::NothingToEvaluate));
        return;
    }
    bool changed = !pu.reach;
    if (!pu.eval || pu.eval_planner != planner || !plan::same_geometry(pu.eval_geometry, *g)) {
        const auto t0 = std::chrono::steady_clock::now();
        pu.eval = planner->evaluate(*g);  // well under a millisecond on Shuhan (bench/README.md)
        pu.eval_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        pu.eval_planner = planner;
        pu.eval_geometry = *g;
        changed = true;
    }
    // The document's zones are published together with the shown one (as `plan evaluate`
    // prints them): its counts are protected with theirs (zone_panel_reach).
    const PlanEditor& ed = ctl.plan();
    if (pu.zone_evals_planner != planner || pu.zone_evals_revision != ed.revision()) {
        pu.zone_evals.clear();
        for (const plan::Zone& z : ed.doc().zones) pu.zone_evals.push_back(planner->evaluate(z.geometry));
        pu.zone_evals_planner = planner;
        pu.zone_evals_revision = ed.revision();
        changed = true;
    }
    std::optional<std::size_t> selected;
    if (const plan::Zone* zone = ed.selected_zone(); zone && g == &zone->geometry)
        for (std::size_t i = 0; i < ed.doc().zones.size(); ++i)
            if (&ed.doc().zones[i] == zone) selected = i;
    if (changed || !pu.reach) {
        // The inspector's protected units × groups table when it matches the planner's units.
        const privacy::ProtectedTable* units = model.data ? model.data->protected_units.get() : nullptr;
        if (units && units->rows() != planner->unit_count()) units = nullptr;
        pu.reach = std::make_shared<const ReachView>(
            zone_panel_reach(planner->input(), pu.zone_evals, selected, *pu.eval, {}, units));
    }
    const plan::ZoneEvaluation& e = *pu.eval;
    ImGui::TextDisabled("%s, r = %.0f m · %.2f ms",
                        ui.t(e.distance == plan::DistanceMode::Network ? S::DistNetwork : S::DistStraight), e.radius,
                        pu.eval_ms);
    const ReachView& rv = *pu.reach;  // counts through geo/privacy, as `plan evaluate` prints them
    ImGui::Text("%s: %s / %s (%s)", ui.t(S::ResidentsReached), rv.reached.c_str(), rv.total.c_str(), rv.share.c_str());
    bool any_minority = false;
    for (const plan::GroupReach& gr : e.groups) any_minority = any_minority || gr.minority;
    // Exact functions of withheld counts: "—" as in plan evaluate (ReachView says which).
    ImGui::Text("%s: %s", ui.t(S::Diversity), rv.mix_withheld ? "—" : num(ui, e.entropy_normalised).c_str());
    ImGui::Text("%s: %s", ui.t(S::SimpsonInteraction), rv.mix_withheld ? "—" : num(ui, e.simpson_interaction).c_str());
    ImGui::Text("%s: %s", ui.t(S::MinorityReach), any_minority ? rv.minority_share.c_str() : ui.t(S::NotAvailable));
    ImGui::Text("%s: %s", ui.t(S::HhReach), rv.hh_share ? format_share(*rv.hh_share).c_str() : ui.t(S::NotAvailable));
    ImGui::Text("%s: %s", ui.t(S::Redundancy),
                rv.redundancy_withheld                                ? "—"
                : e.venues_available && std::isfinite(e.redundancy) ? format_share(e.redundancy).c_str()
                                                                      : ui.t(S::NotAvailable));
    if (ImGui::BeginTable("##reach", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn(ui.t(S::Group));
        ImGui::TableSetupColumn(ui.t(S::Reached));
        ImGui::TableSetupColumn(ui.t(S::ShareOfGroup));
        ImGui::TableHeadersRow();
        for (std::size_t k = 0; k < e.groups.size(); ++k) {
            const plan::GroupReach& gr = e.groups[k];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            const std::string name = reach_group_name(model, ctl, k, gr);
            ImGui::Text("%s%s", name.c_str(), gr.minority ? (std::string(" · ") + ui.t(S::Minority)).c_str() : "");
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(rv.group_reached[k].c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(rv.group_share[k].c_str());
        }
        ImGui::EndTable();
    }
    ImGui::Separator();
    ImGui::TextUnformatted(ui.t(S::Exposure));
    if (ImGui::BeginTable("##exposure", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn(ui.t(S::Group));
        ImGui::TableSetupColumn(ui.t(S::Isolation));
        ImGui::TableSetupColumn(ui.t(S::Interaction));
        ImGui::TableHeadersRow();
        for (std::size_t k = 0; k < e.groups.size(); ++k) {
            const plan::GroupReach& gr = e.groups[k];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            const std::string name = reach_group_name(model, ctl, k, gr);
            ImGui::TextUnformatted(name.c_str());
            // A group's exposure reads its counts and the unit totals: withheld unless published.
            const bool hidden = k < rv.exposure_withheld.size() && rv.exposure_withheld[k];
            ImGui::TableNextColumn();
            if (hidden) ImGui::TextUnformatted("—");
            else ImGui::Text("%s → %s", num(ui, gr.isolation_before).c_str(), num(ui, gr.isolation_after).c_str());
            ImGui::TableNextColumn();
            if (hidden) ImGui::TextUnformatted("—");
            else ImGui::Text("%s → %s", num(ui, gr.interaction_before).c_str(), num(ui, gr.interaction_after).c_str());
        }
        ImGui::EndTable();
    }
    if (rv.mean_isolation_withheld) ImGui::Text("%s: —", ui.t(S::MeanIsolation));
    else ImGui::Text("%s: %s → %s", ui.t(S::MeanIsolation), num(ui, e.mean_isolation_before, 4).c_str(),
                     num(ui, e.mean_isolation_after, 4).c_str());
    if (const std::string& note = ui.lang == UiLang::Zh ? e.lisa_note_zh : e.lisa_note; !note.empty())
        ImGui::TextDisabled("%s: %s", ui.t(S::LisaNoteLabel), note.c_str());
}

}  // namespace

// [SECTION] Sidebar section -------------------------------------------------------------------------

void draw_plan_panel(const Model& /*model*/, UiState& ui, Controller& ctl) {
    PlanUi& pu = ui.plan;
    PlanEditor& ed = ctl.plan();
    bool active = pu.active;
    if (ImGui::Checkbox(ui.t(S::PlanMode), &active)) set_plan_mode(ctl, active);
    if (!pu.active) return;
    if (ui.measure_active) ImGui::TextColored(ImVec4(0.85f, 0.4f, 0.0f, 1.0f), "%s", ui.t(S::MeasureHasClicks));
    const std::pair<PlanTool, S> tools[] = {{PlanTool::Select, S::ToolSelect},
                                            {PlanTool::Polygon, S::ToolPolygon},
                                            {PlanTool::Rectangle, S::ToolRectangle},
                                            {PlanTool::Circle, S::ToolCircle},
                                            {PlanTool::Buffer, S::ToolBuffer}};
    for (std::size_t i = 0; i < std::size(tools); ++i) {
        if (i % 3) ImGui::SameLine();
        if (ImGui::RadioButton(ui.t(tools[i].second), ed.tool() == tools[i].first && !ui.measure_active))
            activate_plan_tool(ctl, tools[i].first);
    }
    const S hints[] = {S::HintSelect, S::HintPolygon, S::HintRectangle, S::HintCircle, S::HintBuffer};
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", ui.t(hints[static_cast<int>(ed.tool())]));
    ImGui::PopStyleColor();
    if (ed.tool() == PlanTool::Circle) {
        ImGui::SetNextItemWidth(120);
        ImGui::InputDouble(ui.t(S::CircleRadius), &ed.circle_radius_m, 10, 50, "%.0f");
        ed.circle_radius_m = std::clamp(ed.circle_radius_m, 1.0, 5000.0);
    }
    if (ed.tool() == PlanTool::Buffer) {
        ImGui::SetNextItemWidth(120);
        ImGui::InputDouble(ui.t(S::BufferDistance), &ed.buffer_m, 5, 25, "%.0f");
        ed.buffer_m = std::clamp(ed.buffer_m, 1.0, 5000.0);
    }
    if (ed.tool() != PlanTool::Select) {
        const char* kind = ui.lang == UiLang::Zh ? plan::zone_kind_zh(ed.new_kind) : plan::zone_kind_en(ed.new_kind);
        if (ImGui::BeginCombo(ui.t(S::ZoneKindLabel), kind)) {
            for (plan::ZoneKind k : plan::all_zone_kinds)
                if (ImGui::Selectable(ui.lang == UiLang::Zh ? plan::zone_kind_zh(k) : plan::zone_kind_en(k), k == ed.new_kind))
                    ed.new_kind = k;
            ImGui::EndCombo();
        }
    }
    ImGui::Checkbox(ui.t(S::Snap), &ed.snap);
    if (ed.snap) {
        float px = static_cast<float>(ed.snap_px);
        ImGui::SetNextItemWidth(120);
        if (ImGui::SliderFloat(ui.t(S::SnapTolerance), &px, 2.0f, 30.0f, "%.0f")) ed.snap_px = px;
    }
    float interval = static_cast<float>(pu.autosave.interval_s);
    ImGui::SetNextItemWidth(120);
    if (ImGui::InputFloat(ui.t(S::AutosaveInterval), &interval, 5.0f, 30.0f, "%.0f"))
        pu.autosave.interval_s = std::clamp(static_cast<double>(interval), 5.0, 3600.0);
    ImGui::Separator();
    ImGui::TextUnformatted(ui.t(S::Zones));
    if (ed.doc().zones.empty()) ImGui::TextDisabled("%s", ui.t(S::NoZones));
    for (const plan::Zone& z : ed.doc().zones) {
        const bool invalid = !ed.validity(z.id).valid;
        std::string label = zone_title(ui, z);
        if (invalid) label += "  ⚠";
        if (ImGui::Selectable((label + "##" + z.id).c_str(), ed.selected() == z.id)) {
            ed.select(z.id);
            pu.show_zone = true;
        }
    }
    if (ImGui::Button(ui.t(S::Scenarios))) pu.show_scenarios = !pu.show_scenarios;
    ImGui::SameLine();
    if (ImGui::Button(ui.t(S::History))) pu.show_history = !pu.show_history;
    if (!pu.status.empty()) ImGui::TextDisabled("%s", pu.status.c_str());
}

// [SECTION] Canvas ------------------------------------------------------------------------------

bool plan_canvas_input(const Model& /*model*/, UiState& ui, Controller& ctl, bool hovered) {
    PlanUi& pu = ui.plan;
    resolve_active_tool(ctl);  // measure switched on from the View menu: it takes the clicks
    if (!pu.active || active_tool(ctl) != ActiveTool::Plan) {
        pu.owns_mouse = false;
        return false;
    }
    PlanEditor& ed = ctl.plan();
    const bool owned = route_tool_input(
        ed, pu.owns_mouse, ui.camera, hovered,
        [&](Vec2 w, double mpp) { return ed.press(w, mpp, ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)); },
        [&] {
            if (ed.key_escape() == PlanEscape::NeedsConfirmation) pu.confirm_discard_popup = true;
        });
    if (const std::string e = ed.take_error(); !e.empty()) ui.errors.push_back(e);
    return owned;
}

void draw_plan_overlay(const Model& model, UiState& ui, Controller& ctl, ImDrawList* dl) {
    const PlanUi& pu = ui.plan;
    if (!pu.active) return;
    const PlanEditor& ed = ctl.plan();
    const Camera& cam = ui.camera;
    const Box vis = cam.visible_world();
    draw_plan_scenario_overlay(model, ui, ctl, dl);  // change map and suggested sites beneath the zones
    // The catchment of the evaluated zone (selected or being drawn): reached units outlined
    // in teal, more opaque the larger their weight.
    if (pu.eval && model.data && model.data->units && (ed.preview() || ed.selected_zone())) {
        const Layer& units = *model.data->units;
        for (const plan::ReachedUnit& r : pu.eval->units)
            if (r.index < units.size() && units.metric[r.index].is_polygonal())
                outline_geometry(dl, cam, units.metric[r.index],
                                 IM_COL32(0, 137, 123, static_cast<int>(60 + 195 * std::clamp(r.weight, 0.0, 1.0))), 2.0f);
    }
    for (const plan::Zone& z : ed.doc().zones) {
        const Box b = z.geometry.bounds();
        if (b.empty() || b.maxx < vis.minx || b.minx > vis.maxx || b.maxy < vis.miny || b.miny > vis.maxy) continue;
        const bool sel = z.id == ed.selected();
        const bool invalid = !ed.validity(z.id).valid;
        fill_geometry(dl, cam, z.geometry, sel ? kSelectedFill : kZoneFill);
        outline_geometry(dl, cam, z.geometry, invalid ? kInvalid : sel ? kSelectedOutline : kZoneOutline, sel ? 3.5f : 2.5f);
        if (invalid) {
            const Vec2 s = cam.world_to_screen({b.minx, b.maxy});
            dl->AddText(ImVec2(static_cast<float>(s.x), static_cast<float>(s.y) - 18), kInvalid, "⚠");
        }
        if (sel && ed.tool() == PlanTool::Select)
            for (const Polygon& poly : z.geometry.polygons)
                for (const Ring& r : poly.rings)
                    for (std::size_t k = 0; k + 1 < r.size(); ++k) {
                        const ImVec2 p = to_im(cam.world_to_screen(r[k]));
                        const bool hot = ed.hot_vertex() && ed.hot_vertex()->index == k;
                        const float h = hot ? 5.0f : 3.5f;
                        dl->AddRectFilled(ImVec2(p.x - h, p.y - h), ImVec2(p.x + h, p.y + h), IM_COL32(255, 255, 255, 255));
                        dl->AddRect(ImVec2(p.x - h, p.y - h), ImVec2(p.x + h, p.y + h), kSelectedOutline, 0, 0, 1.5f);
                    }
    }
    // Zone labels (issue 13 §6): the name in the UI language at a point on the zone, dark on a
    // white halo, above the fills and outlines; with the map's labels on, and recorded with
    // them (UiState::drawn_labels, the screenshot sidecar's "labels").
    for (const ZoneLabel& l : zone_labels(ed.doc(), ui.lang)) {
        if (!ui.show_labels || !vis.contains(l.at)) continue;
        const Vec2 s = cam.world_to_screen(l.at);
        const ImVec2 ts = ImGui::CalcTextSize(l.text.c_str());
        const ImVec2 p(std::round(static_cast<float>(s.x) - ts.x * 0.5f), std::round(static_cast<float>(s.y) - ts.y * 0.5f));
        for (const ImVec2 d : {ImVec2(-1, -1), ImVec2(1, -1), ImVec2(-1, 1), ImVec2(1, 1), ImVec2(0, -1.5f), ImVec2(0, 1.5f),
                               ImVec2(-1.5f, 0), ImVec2(1.5f, 0)})
            dl->AddText(ImVec2(p.x + d.x, p.y + d.y), IM_COL32(255, 255, 255, 230), l.text.c_str());
        dl->AddText(p, IM_COL32(120, 40, 0, 255), l.text.c_str());
        ui.drawn_labels.push_back({l.text, p.x - 2, p.y - 2, p.x + ts.x + 2, p.y + ts.y + 2});
    }
    // The shape being drawn: fill preview, the open polyline with a rubber band to the cursor.
    if (auto g = ed.preview()) {
        fill_geometry(dl, cam, *g, kDrawingFill);
        if (ed.tool() != PlanTool::Polygon) outline_geometry(dl, cam, *g, kDrawing, 2.0f);
    }
    const auto& v = ed.polygon_vertices();
    if (!v.empty()) {
        std::vector<ImVec2> pts;
        for (const Vec2& p : v) pts.push_back(to_im(cam.world_to_screen(p)));
        pts.push_back(to_im(cam.world_to_screen(ed.cursor())));
        dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), kDrawing, 0, 2.0f);
        for (std::size_t k = 0; k + 1 < pts.size(); ++k) dl->AddCircleFilled(pts[k], 3.5f, kDrawing);
    }
    if (const auto& s = ed.snap_hint(); s && ed.tool() != PlanTool::Select) {
        const ImVec2 p = to_im(cam.world_to_screen(s->point));
        if (s->kind == edit::SnapResult::Kind::Vertex)
            dl->AddRect(ImVec2(p.x - 6, p.y - 6), ImVec2(p.x + 6, p.y + 6), IM_COL32(216, 27, 96, 255), 0, 0, 2.0f);
        else
            dl->AddCircle(p, 6, IM_COL32(216, 27, 96, 255), 16, 2.0f);
    }
}

// [SECTION] Zone window, confirmation -------------------------------------------------------------

void draw_plan_windows(const Model& /*model*/, UiState& ui, Controller& ctl) {
    PlanUi& pu = ui.plan;
    PlanEditor& ed = ctl.plan();
    // "Discard the polygon being drawn?" (Esc with more than 3 vertices).
    if (pu.confirm_discard_popup) {
        ImGui::OpenPopup("##plan_discard");
        pu.confirm_discard_popup = false;
    }
    if (ImGui::BeginPopupModal("##plan_discard", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        char question[256];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        std::snprintf(question, sizeof question, ui.t(S::ConfirmDiscard), static_cast<int>(ed.polygon_vertices().size()));
#pragma GCC diagnostic pop
        ImGui::TextUnformatted(question);
        if (ImGui::Button(ui.t(S::Discard))) {
            ed.confirm_discard();
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button(ui.t(S::KeepDrawing)) || ImGui::IsKeyPressed(GLFW_KEY_ESCAPE)) {
            ed.keep_drawing();
            ImGui::CloseCurrentPopup();
        }
        ImGui::EndPopup();
    }
}

void draw_zone_tab(const Model& model, UiState& ui, Controller& ctl) {
    PlanUi& pu = ui.plan;
    PlanEditor& ed = ctl.plan();
    if (!pu.active || !pu.show_zone || !model.data) return;
    // A newly selected zone, or a shape being drawn, brings the zone tab to the front.
    const bool reselected = ed.selected() != pu.zone_window_for;
    pu.zone_window_for = ed.selected();
    if ((reselected && ed.selected_zone()) || (ed.preview() && !pu.was_drawing)) ui.focus_tab = "plan_zone";
    pu.was_drawing = ed.preview().has_value();
    if (!begin_docked_tab(ui, std::string(ui.t(S::Zones)) + "###plan_zone", "plan_zone", pu.show_zone)) return;
    const std::optional<Geometry> drawing = ed.preview();
    const plan::Zone* zone = ed.selected_zone();
    const Geometry* g = drawing ? &*drawing : zone ? &zone->geometry : nullptr;
    if (drawing) {
        ImGui::TextUnformatted(ui.t(S::EvalDrawing));
    } else if (zone) {
        ImGui::TextUnformatted(zone_title(ui, *zone).c_str());
        const Validity v = ed.validity(zone->id);
        if (!v.valid) {
            ImGui::TextColored(ImVec4(0.83f, 0.18f, 0.18f, 1), "%s: %s", ui.t(S::InvalidZone), v.reason.c_str());
            ImGui::SameLine();
            if (ImGui::SmallButton(ui.t(S::Repair))) ed.repair_selected();
        }
        if (ImGui::SmallButton(ui.t(S::DeleteZone))) ed.delete_selected();
        zone = ed.selected_zone();  // may have been deleted
        g = zone ? &zone->geometry : nullptr;
    }
    if (const std::string e = ed.take_error(); !e.empty()) ui.errors.push_back(e);
    // What a planner edits first at the top (name, kind, status, dates, budget; issue 13 §6),
    // the evaluation (the long isolation table) below; both sections fold.
    if (!drawing && zone &&
        ImGui::CollapsingHeader((std::string(ui.t(S::ZoneAttributes)) + "###attrs").c_str(), ImGuiTreeNodeFlags_DefaultOpen))
        draw_attributes(ui, ctl, *zone);
    if (ImGui::CollapsingHeader((std::string(ui.t(S::Evaluation)) + "###eval").c_str(), ImGuiTreeNodeFlags_DefaultOpen))
        draw_evaluation(model, ui, ctl, g);
    ImGui::EndTabItem();
}

}  // namespace hq::view
