// The File menu's planning items and the dialogs of planning files (panel side of
// file_ops.cpp): save as (the file browser), the recovery offer, the unsaved-edits question
// with what is unsaved, the save-conflict dialog.
#include <imgui.h>

#include <cstring>
#include <filesystem>
#include <optional>

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
    // File > Recent projects (the same list as the Open browser's; missing ones greyed).
    if (ImGui::BeginMenu(ui.t(S::RecentProjects), !ui.recent.empty())) {
        for (const RecentEntry& r : recent_entries(ui.recent)) {
            if (ImGui::MenuItem(r.label.c_str(), nullptr, false, r.exists)) ctl.open_project(r.path);
            if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
                ImGui::SetTooltip("%s%s", r.path.c_str(), r.exists ? "" : (std::string("\n") + ui.t(S::RecentMissing)).c_str());
        }
        ImGui::EndMenu();
    }
    if (ImGui::MenuItem(ui.t(S::MenuNewPlan), "Ctrl+N", false, have)) plan_new(ctl);
    if (ImGui::MenuItem(ui.t(S::MenuSave), "Ctrl+S", false, have)) plan_save_or_ask(ctl);
    if (ImGui::MenuItem(ui.t(S::MenuSaveAs), "Ctrl+Shift+S", false, have)) plan_save_as_prompt(ctl);
}

void draw_plan_file_dialogs(const Model& model, UiState& ui, Controller& ctl) {
    PlanUi& pu = ui.plan;
    // Save as: the file browser (dialogs.cpp handles its answer), at the default target,
    // beside the project (no typed relative path).
    if (pu.save_as_popup) {
        pu.save_as_popup = false;
        browser_start(ui.browser, BrowsePurpose::SaveProject, pu.save_path_input);
    }
    // Recovery offer after opening a project with a newer recovery file.
    if (begin_modal("##plan_recovery", pu.recovery_popup)) {
        if (pu.recovery_target.empty()) ImGui::CloseCurrentPopup();  // answered elsewhere (plan_accept_recovery)
        ImGui::TextUnformatted(ui.t(S::RecoveryTitle));
        ImGui::Separator();
        ImGui::TextUnformatted(ui.t(S::RecoveryText));
        const std::string rp = recovery_path(pu.recovery_target);
        ImGui::TextDisabled("%s", rp.c_str());
        if (ImGui::Button(ui.t(S::Recover))) {
            plan_accept_recovery(ctl);  // a community's plan is recovered in place (db_plan.cpp)
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button(ui.t(S::Discard))) {
            discard_recovery(pu.recovery_target);
            pu.recovery_target.clear();
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
        const std::string what = describe_unsaved(model.plan.unsaved(), ui.lang);  // "2 zones edited, ..."
        if (!what.empty()) ImGui::BulletText("%s", what.c_str());
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
    // Another writer saved the project meanwhile: both files named, three choices.
    if (begin_modal((std::string(ui.t(S::ConflictTitle)) + "###plan_conflict").c_str(), ui.conflict.popup)) {
        const SaveConflictUi& c = ui.conflict;
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 36);
        ImGui::TextWrapped("%s", fill(ui.t(S::ConflictText), {c.path, c.saved_as}).c_str());
        ImGui::PopTextWrapPos();
        ImGui::Separator();
        ImGui::TextDisabled("%s", ui.t(S::ConflictTheirs));
        ImGui::SameLine();
        ImGui::TextUnformatted(c.path.c_str());
        ImGui::TextDisabled("%s", ui.t(S::ConflictMine));
        ImGui::SameLine();
        ImGui::TextUnformatted(c.saved_as.c_str());
        ImGui::Separator();
        std::optional<ConflictChoice> choice;
        if (ImGui::Button(ui.t(S::ConflictKeepMine))) choice = ConflictChoice::KeepMineAsCopy;
        if (ImGui::Button(ui.t(S::ConflictReload))) choice = ConflictChoice::ReloadTheirs;
        if (ImGui::Button(ui.t(S::ConflictOverwrite))) choice = ConflictChoice::Overwrite;
        if (choice) {
            ImGui::CloseCurrentPopup();
            ctl.plan_resolve_conflict(*choice);
        }
        ImGui::EndPopup();
    }
}

}  // namespace hq::view
