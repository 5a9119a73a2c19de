// Map mode panel: composition | dominant | heatmap (group, radius in metres) | mixing |
// LISA (group, weights, permutations, alpha, adjustment) | projects (timeline filter) |
// graduated units (a group's share or a local index; classification, classes, ramp) |
// single colour.
#include <imgui.h>

#include <algorithm>

#include "app/carto/ramps.hpp"
#include "app/view/inspect.hpp"
#include "app/view/mode_controls.hpp"
#include "app/view/panels.hpp"
#include "app/view/view_state.hpp"

namespace hq::view {

void draw_mode_panel(const Model& model, UiState& ui, Controller& ctl) {
    bool changed = false;
    const std::pair<Mode, S> modes[] = {{Mode::Composition, S::ModeComposition}, {Mode::Dominant, S::ModeDominant},
                                        {Mode::Heatmap, S::ModeHeatmap},         {Mode::Mixing, S::ModeMixing},
                                        {Mode::Lisa, S::ModeLisa},               {Mode::Projects, S::ModeProjects},
                                        {Mode::Graduated, S::ModeGraduated},     {Mode::Single, S::ModeSingle}};
    for (const auto& [m, s] : modes)
        if (ImGui::RadioButton(ui.t(s), ui.mode == m)) {
            ui.mode = m;
            changed = true;
        }
    const auto& ids = carto::local_index_ids();
    ui.variable = std::clamp(ui.variable, 0, static_cast<int>(ids.size()) - 1);
    const std::string& variable = ids[static_cast<std::size_t>(ui.variable)];
    if (ui.mode == Mode::Graduated) {
        ImGui::Separator();
        if (ImGui::BeginCombo(ui.t(S::Variable), variable_label(variable, ui.lang))) {
            for (std::size_t i = 0; i < ids.size(); ++i)
                if (ImGui::Selectable(variable_label(ids[i], ui.lang), static_cast<int>(i) == ui.variable)) {
                    ui.variable = static_cast<int>(i);
                    changed = true;
                }
            ImGui::EndCombo();
        }
    }
    const bool graduated_group = ui.mode == Mode::Graduated && (variable == "share" || variable == "multi_location_quotient" ||
                                                           variable == "lisa_z");
    const bool needs_group = ui.mode == Mode::Heatmap || ui.mode == Mode::Lisa || graduated_group;
    if (needs_group && model.data) {
        const auto& groups = model.data->project->groups;
        ImGui::Separator();
        if (ImGui::BeginCombo(ui.t(S::Group), ctl.group_name(static_cast<std::size_t>(ui.group)).c_str())) {
            for (std::size_t g = 0; g < groups.size(); ++g) {
                const bool sel = static_cast<int>(g) == ui.group;
                if (ImGui::Selectable(ctl.group_name(g).c_str(), sel)) {
                    ui.group = static_cast<int>(g);
                    changed = true;
                }
                if (sel) ImGui::SetItemDefaultFocus();
            }
            ImGui::EndCombo();
        }
    }
    if (ui.mode == Mode::Composition) {
        // Pie or stacked bar; groups under a share of the unit merged into "other".
        ImGui::Separator();
        const char* glyphs[] = {ui.t(S::GlyphPie), ui.t(S::GlyphBar)};
        if (ImGui::Combo(ui.t(S::GlyphStyleLabel), &ui.glyph, glyphs, 2)) changed = true;
        ImGui::SliderFloat(ui.t(S::OtherSharePct), &ui.other_share_pct, 0.0f, 50.0f, "%.0f %%");
        if (ImGui::IsItemDeactivatedAfterEdit()) changed = true;
    }
    if (ui.mode == Mode::Heatmap) {
        ImGui::SliderFloat(ui.t(S::RadiusM), &ui.radius_m, 10.0f, 500.0f, "%.0f");
        if (ImGui::IsItemDeactivatedAfterEdit()) changed = true;
    }
    // A graduated LISA z uses the LISA map's weights only: it is the analytical z of local
    // Moran (carto runs it without permutations), so the cluster map's permutations, alpha
    // and multiple-testing adjustment do not apply and are not shown (lisa_controls()).
    const LisaControls lisa =
        lisa_controls(ui.mode == Mode::Lisa, ui.mode == Mode::Graduated ? variable : std::string());
    if (lisa.weights) {
        const char* weights[] = {ui.t(S::WeightsQueen), ui.t(S::WeightsRook), ui.t(S::WeightsKnn6)};
        if (ImGui::Combo(ui.t(S::Weights), &ui.weights, weights, 3)) changed = true;
        // What the analysis used: the fallback rule may have replaced contiguity (the same
        // line the map's subtitle carries, so its glyphs are in the atlas).
        if (const LisaView* lv = model.lisa.get(); lv && !lv->weights_note.second.empty()) {
            const std::string used = ui.lang == UiLang::Zh ? "权重：" + lv->weights_note.first
                                                           : "weights used: " + lv->weights_note.second;
            ImGui::TextWrapped("%s", used.c_str());
        }
    }
    if (lisa.significance) {
        ImGui::InputInt(ui.t(S::Permutations), &ui.permutations, 100, 1000);
        ui.permutations = std::clamp(ui.permutations, 0, 99999);
        if (ImGui::IsItemDeactivatedAfterEdit()) changed = true;
        ImGui::SliderFloat(ui.t(S::Alpha), &ui.alpha, 0.001f, 0.2f, "%.3f");
        if (ImGui::IsItemDeactivatedAfterEdit()) changed = true;
        const char* adjust[] = {ui.t(S::AdjustNone), ui.t(S::AdjustBonferroni), ui.t(S::AdjustFdr)};
        if (ImGui::Combo(ui.t(S::Adjust), &ui.adjust, adjust, 3)) changed = true;
    }
    if (ui.mode == Mode::Graduated) {
        const char* cls[] = {ui.t(S::ClsQuantile), ui.t(S::ClsEqual), ui.t(S::ClsJenks), ui.t(S::ClsStdDev)};
        if (ImGui::Combo(ui.t(S::Classification), &ui.classification, cls, 4)) changed = true;
        if (ui.classification != static_cast<int>(carto::Classification::StdDev)) {
            ImGui::SliderInt(ui.t(S::Classes), &ui.classes, 2, 9);
            if (ImGui::IsItemDeactivatedAfterEdit()) changed = true;
        }
    }
    if (ui.mode == Mode::Graduated || ui.mode == Mode::Heatmap || ui.mode == Mode::Mixing) {
        if (ImGui::BeginCombo(ui.t(S::Ramp), ui.ramp.c_str())) {
            for (const std::string& name : carto::ramp_names())
                for (const std::string& n : {name, name + "_r"})
                    if (ImGui::Selectable(n.c_str(), n == ui.ramp)) {
                        ui.ramp = n;
                        changed = true;
                    }
            ImGui::EndCombo();
        }
    }
    if (ui.mode == Mode::Single) {
        ImGui::ColorEdit3(ui.t(S::Colour), ui.single_color, ImGuiColorEditFlags_NoInputs);
        if (ImGui::IsItemDeactivatedAfterEdit()) changed = true;
    }
    if (ui.mode == Mode::Projects && ui.date_max > ui.date_min) {
        if (ImGui::Checkbox(ui.t(S::AllDates), &ui.all_dates)) changed = true;
        if (!ui.all_dates) {
            const std::string label = civil_from_days(ui.date_day);
            ImGui::SliderInt(ui.t(S::Date), &ui.date_day, ui.date_min, ui.date_max, label.c_str());
            if (ImGui::IsItemDeactivatedAfterEdit()) changed = true;
        }
    }
    if (changed) {
        commit_map_settings(ctl);  // one undo step in the planning document (view_state.hpp)
        ctl.request_scene();
    }
}

}  // namespace hq::view
