// The File menu's planning items and the dialogs of planning files (panel side of
// file_ops.cpp): the save-as path entry, the recovery offer, the unsaved-edits question.
#include <imgui.h>

#include <cstring>
#include <filesystem>

#include "app/view/db_plan.hpp"
#include "app/view/draw_util.hpp"
#include "app/view/plan_panels.hpp"
#include "geo/project/gpkg_project.hpp"

namespace hq::view {
/// A modal popup centred on the window (draw_util.hpp).
bool begin_modal(const char* id, bool& open_flag) {
    if (open_flag) {
        ImGui::OpenPopup(id);
        open_flag = false;
    }
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->Size.x * 0.5f, vp->Size.y * 0.4f), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    return ImGui::BeginPopupModal(id, nullptr, ImGuiWindowFlags_AlwaysAutoResize);
}


void draw_plan_file_items(const Model& model, UiState& ui, Controller& ctl) {
    const bool have = model.data != nullptr;
    if (ImGui::MenuItem(ui.t(S::MenuNewPlan), "Ctrl+N", false, have)) plan_new(ctl);
    if (ImGui::MenuItem(ui.t(S::MenuSave), "Ctrl+S", false, have)) plan_save_or_ask(ctl);
    if (ImGui::MenuItem(ui.t(S::MenuSaveAs), "Ctrl+Shift+S", false, have)) plan_save_as_prompt(ctl);
}

void draw_plan_file_dialogs(const Model& model, UiState& ui, Controller& ctl) {
    PlanUi& pu = ui.plan;
    // Save as: a path entry (like File > Open).
    if (begin_modal("##plan_save_as", pu.save_as_popup)) {
        char* buf = ui.save_path_buf.data();
        const std::size_t cap = ui.save_path_buf.size();
        if (ImGui::IsWindowAppearing()) {
            std::strncpy(buf, pu.save_path_input.c_str(), cap - 1);
            buf[cap - 1] = 0;
            ImGui::SetKeyboardFocusHere();
        }
        ImGui::TextUnformatted(ui.t(S::SavePrompt));
        ImGui::SetNextItemWidth(520);
        const bool enter = ImGui::InputText("##gpkg", buf, cap, ImGuiInputTextFlags_EnterReturnsTrue);
        std::error_code ec;
        if (buf[0] && std::string(buf) != model.plan.path() && std::filesystem::exists(buf, ec))
            ImGui::TextColored(ImVec4(0.8f, 0.35f, 0.0f, 1.0f), "%s", ui.t(S::FileWillBeReplaced));
        if ((ImGui::Button(ui.t(S::MenuSave)) || enter) && buf[0]) {
            auto then = std::move(pu.after_unsaved);
            pu.after_unsaved = {};
            ctl.plan_save(buf, std::move(then));
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button(ui.t(S::Cancel)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
            pu.after_unsaved = {};
            ImGui::CloseCurrentPopup();
        }
        ImGui::EndPopup();
    }
    // Recovery offer after opening a project with a newer recovery file.
    if (begin_modal("##plan_recovery", pu.recovery_popup)) {
        ImGui::TextUnformatted(ui.t(S::RecoveryTitle));
        ImGui::Separator();
        ImGui::TextUnformatted(ui.t(S::RecoveryText));
        const std::string rp = recovery_path(pu.recovery_target);
        ImGui::TextDisabled("%s", rp.c_str());
        if (ImGui::Button(ui.t(S::Recover))) {
            if (!plan_recover_database(ctl)) {  // a community's plan is recovered in place (db_plan.cpp)
                pu.recovering = pu.recovery_target;
                pu.open_confirmed = rp;
                ctl.open_project(rp);
            }
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button(ui.t(S::Discard))) {
            discard_recovery(pu.recovery_target);
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button(ui.t(S::Cancel))) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
    // Unsaved edits before New, Open or Quit: save, don't save, cancel.
    if (begin_modal("##plan_unsaved", pu.unsaved_popup)) {
        ImGui::TextUnformatted(ui.t(S::UnsavedTitle));
        ImGui::Separator();
        ImGui::TextUnformatted(ui.t(S::UnsavedText));
        if (ImGui::Button(ui.t(S::MenuSave))) {
            if (model.plan.path().empty()) {  // ask where, then continue
                pu.save_path_input = pu.default_target;
                pu.save_as_popup = true;
            } else {
                auto then = std::move(pu.after_unsaved);
                pu.after_unsaved = {};
                ctl.plan_save(model.plan.path(), std::move(then));
            }
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button(ui.t(S::DontSave))) {
            discard_recovery(plan_save_target(ctl));  // the edits are dropped on purpose
            auto then = std::move(pu.after_unsaved);
            pu.after_unsaved = {};
            ImGui::CloseCurrentPopup();
            if (then) then();
        }
        ImGui::SameLine();
        if (ImGui::Button(ui.t(S::Cancel))) {
            pu.after_unsaved = {};
            ImGui::CloseCurrentPopup();
        }
        ImGui::EndPopup();
    }
}

}  // namespace hq::view
