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

void draw_mode_panel(App& app) {
    UiState& ui = app.ui;
    bool changed = false;
    const std::pair<Mode, S> modes[] = {{Mode::Composition, S::ModeComposition}, {Mode::Dominant, S::ModeDominant},
                                        {Mode::Heatmap, S::ModeHeatmap},         {Mode::Mixing, S::ModeMixing},
                                        {Mode::Lisa, S::ModeLisa},               {Mode::Projects, S::ModeProjects},
                                        {Mode::Graduated, S::ModeGraduated},     {Mode::Single, S::ModeSingle}};
    for (const auto& [m, s] : modes)
        if (ImGui::RadioButton(app.t(s), ui.mode == m)) {
            ui.mode = m;
            changed = true;
        }
    const auto& ids = carto::local_index_ids();
    ui.variable = std::clamp(ui.variable, 0, static_cast<int>(ids.size()) - 1);
    const std::string& variable = ids[static_cast<std::size_t>(ui.variable)];
    if (ui.mode == Mode::Graduated) {
        ImGui::Separator();
        if (ImGui::BeginCombo(app.t(S::Variable), variable_label(variable, ui.lang))) {
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
    if (needs_group && app.model.data) {
        const auto& groups = app.model.data->project->groups;
        ImGui::Separator();
        if (ImGui::BeginCombo(app.t(S::Group), app.group_name(static_cast<std::size_t>(ui.group)).c_str())) {
            for (std::size_t g = 0; g < groups.size(); ++g) {
                const bool sel = static_cast<int>(g) == ui.group;
                if (ImGui::Selectable(app.group_name(g).c_str(), sel)) {
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
        const char* glyphs[] = {app.t(S::GlyphPie), app.t(S::GlyphBar)};
        if (ImGui::Combo(app.t(S::GlyphStyleLabel), &ui.glyph, glyphs, 2)) changed = true;
        ImGui::SliderFloat(app.t(S::OtherSharePct), &ui.other_share_pct, 0.0f, 50.0f, "%.0f %%");
        if (ImGui::IsItemDeactivatedAfterEdit()) changed = true;
    }
    if (ui.mode == Mode::Heatmap) {
        ImGui::SliderFloat(app.t(S::RadiusM), &ui.radius_m, 10.0f, 500.0f, "%.0f");
        if (ImGui::IsItemDeactivatedAfterEdit()) changed = true;
    }
    // A graduated LISA z uses the LISA map's weights only: it is the analytical z of local
    // Moran (carto runs it without permutations), so the cluster map's permutations, alpha
    // and multiple-testing adjustment do not apply and are not shown (lisa_controls()).
    const LisaControls lisa =
        lisa_controls(ui.mode == Mode::Lisa, ui.mode == Mode::Graduated ? variable : std::string());
    if (lisa.weights) {
        const char* weights[] = {"queen", "rook", "knn 6"};
        if (ImGui::Combo(app.t(S::Weights), &ui.weights, weights, 3)) changed = true;
        // What the analysis used: the fallback rule may have replaced contiguity (the same
        // line the map's subtitle carries, so its glyphs are in the atlas).
        if (const LisaView* lv = app.model.lisa.get(); lv && !lv->weights_note.second.empty()) {
            const std::string used = ui.lang == UiLang::Zh ? "权重：" + lv->weights_note.first
                                                           : "weights used: " + lv->weights_note.second;
            ImGui::TextWrapped("%s", used.c_str());
        }
    }
    if (lisa.significance) {
        ImGui::InputInt(app.t(S::Permutations), &ui.permutations, 100, 1000);
        ui.permutations = std::clamp(ui.permutations, 0, 99999);
        if (ImGui::IsItemDeactivatedAfterEdit()) changed = true;
        ImGui::SliderFloat(app.t(S::Alpha), &ui.alpha, 0.001f, 0.2f, "%.3f");
        if (ImGui::IsItemDeactivatedAfterEdit()) changed = true;
        const char* adjust[] = {"none", "bonferroni", "fdr"};
        if (ImGui::Combo(app.t(S::Adjust), &ui.adjust, adjust, 3)) changed = true;
    }
    if (ui.mode == Mode::Graduated) {
        const char* cls[] = {app.t(S::ClsQuantile), app.t(S::ClsEqual), app.t(S::ClsJenks), app.t(S::ClsStdDev)};
        if (ImGui::Combo(app.t(S::Classification), &ui.classification, cls, 4)) changed = true;
        if (ui.classification != static_cast<int>(carto::Classification::StdDev)) {
            ImGui::SliderInt(app.t(S::Classes), &ui.classes, 2, 9);
            if (ImGui::IsItemDeactivatedAfterEdit()) changed = true;
        }
    }
    if (ui.mode == Mode::Graduated || ui.mode == Mode::Heatmap || ui.mode == Mode::Mixing) {
        if (ImGui::BeginCombo(app.t(S::Ramp), ui.ramp.c_str())) {
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
        ImGui::ColorEdit3(app.t(S::Colour), ui.single_color, ImGuiColorEditFlags_NoInputs);
        if (ImGui::IsItemDeactivatedAfterEdit()) changed = true;
    }
    if (ui.mode == Mode::Projects && ui.date_max > ui.date_min) {
        if (ImGui::Checkbox(app.t(S::AllDates), &ui.all_dates)) changed = true;
        if (!ui.all_dates) {
            const std::string label = civil_from_days(ui.date_day);
            ImGui::SliderInt(app.t(S::Date), &ui.date_day, ui.date_min, ui.date_max, label.c_str());
            if (ImGui::IsItemDeactivatedAfterEdit()) changed = true;
        }
    }
    if (changed) {
        commit_map_settings(app);  // one undo step in the planning document (view_state.hpp)
        app.request_scene();
    }
}

}  // namespace hq::view
