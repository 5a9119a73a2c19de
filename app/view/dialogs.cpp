// Path entry for File > Open / Add layer, and the error list (a broken file shows its
// error here; the current project stays open).
#include <imgui.h>

#include <cstring>

#include "app/view/panels.hpp"

namespace hq::view {
namespace {

bool path_dialog(UiState& ui, const char* id, bool& open_flag, S action, std::string& out) {
    if (open_flag) {
        ImGui::OpenPopup(id);
        open_flag = false;
    }
    bool accepted = false;
    if (ImGui::BeginPopupModal(id, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        ImGui::TextUnformatted(ui.t(S::PathPrompt));
        char* buf = ui.path_buf.data();
        const std::size_t cap = ui.path_buf.size();
        if (ImGui::IsWindowAppearing()) {
            std::strncpy(buf, ui.path_input.c_str(), cap - 1);
            ImGui::SetKeyboardFocusHere();
        }
        ImGui::SetNextItemWidth(520);
        const bool enter = ImGui::InputText("##path", buf, cap, ImGuiInputTextFlags_EnterReturnsTrue);
        ImGui::TextDisabled("%s", ui.t(S::DropHint));
        if (ImGui::Button(ui.t(action)) || enter) {
            out = buf;
            ui.path_input = buf;
            accepted = !out.empty();
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button(ui.t(S::Cancel))) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
    return accepted;
}

}  // namespace

void draw_dialogs(const Model& /*model*/, UiState& ui, Controller& ctl) {
    std::string path;
    if (path_dialog(ui, "##open", ui.open_popup, S::Open, path)) ctl.open_project(path);
    if (path_dialog(ui, "##add", ui.add_popup, S::Add, path)) ctl.add_file(path);

    for (const JobError& e : ctl.jobs.take_errors()) ui.errors.push_back(e.label + ": " + e.message);
    if (ui.errors.empty()) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->Size.x * 0.5f, vp->Size.y * 0.3f), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSizeConstraints(ImVec2(360, 0), ImVec2(720, 400));
    ImGui::Begin((std::string(ui.t(S::Errors)) + "###errors").c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings);
    for (const auto& e : ui.errors) ImGui::TextWrapped("%s", e.c_str());
    if (ImGui::Button(ui.t(S::Dismiss))) ui.errors.clear();
    ImGui::End();
}

}  // namespace hq::view
