// Edit menu (undo / redo with the step's name, History, plan mode) and its keys, and the
// History window: the undo stack of the planning document (geo/project/undo.hpp), oldest
// first; clicking a row undoes or redoes to that state.
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>

#include "app/view/plan_panels.hpp"
#include "app/view/view_state.hpp"

namespace hq::view {

void draw_edit_menu(const Model& /*model*/, UiState& ui, Controller& ctl) {
    PlanEditor& ed = ctl.plan();
    PlanUi& pu = ui.plan;
    const UndoStack& st = ed.undo_stack();
    if (ImGui::BeginMenu(ui.t(S::MenuEdit))) {
        std::string u = ui.t(S::Undo), r = ui.t(S::Redo);
        if (st.can_undo()) u.append(" ").append(history_label(st.undo_text(), ui.lang));
        if (st.can_redo()) r.append(" ").append(history_label(st.redo_text(), ui.lang));
        if (ImGui::MenuItem((u + "###undo").c_str(), "Ctrl+Z", false, st.can_undo())) ed.undo();
        if (ImGui::MenuItem((r + "###redo").c_str(), "Ctrl+Shift+Z", false, st.can_redo())) ed.redo();
        ImGui::Separator();
        ImGui::MenuItem(ui.t(S::History), nullptr, &pu.show_history);
        ImGui::MenuItem(ui.t(S::Scenarios), nullptr, &pu.show_scenarios, pu.active);
        if (ImGui::MenuItem(ui.t(S::PlanMode), nullptr, pu.active)) set_plan_mode(ctl, !pu.active);
        ImGui::EndMenu();
    }
    // Keys (not while a text field is being edited: it has its own undo).
    ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput || !io.KeyCtrl) return;
    if (ImGui::IsKeyPressed(GLFW_KEY_Z, false)) {
        if (io.KeyShift) ed.redo();
        else ed.undo();
    }
    if (ImGui::IsKeyPressed(GLFW_KEY_Y, false)) ed.redo();
    if (ImGui::IsKeyPressed(GLFW_KEY_S, false)) {
        if (io.KeyShift) plan_save_as_prompt(ctl);
        else plan_save_or_ask(ctl);
    }
    if (ImGui::IsKeyPressed(GLFW_KEY_N, false)) plan_new(ctl);
}

void draw_history(const Model& /*model*/, UiState& ui, Controller& ctl) {
    PlanUi& pu = ui.plan;
    if (!pu.show_history) return;
    PlanEditor& ed = ctl.plan();
    if (!begin_docked_tab(ui, std::string(ui.t(S::History)) + "###history", "history", pu.show_history)) return;
    const UndoStack& st = ed.undo_stack();
    const std::vector<std::string> steps = st.history();
    const std::size_t pos = st.position();
    // Row 0 is the state as opened; row k the state after step k.
    if (ImGui::Selectable((std::string(ui.t(S::HistoryStart)) + "##h0").c_str(), pos == 0)) ed.jump_to(0);
    for (std::size_t k = 0; k < steps.size(); ++k) {
        const bool undone = k + 1 > pos;
        if (undone) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        const std::string label = std::to_string(k + 1) + ". " + history_label(steps[k], ui.lang) + "##h" +
                                  std::to_string(k + 1);
        if (ImGui::Selectable(label.c_str(), pos == k + 1)) ed.jump_to(k + 1);
        if (undone) ImGui::PopStyleColor();
    }
    if (st.can_undo() && ImGui::IsWindowAppearing()) ImGui::SetScrollHereY(1.0f);
    ImGui::EndTabItem();
}

}  // namespace hq::view
