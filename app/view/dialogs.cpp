// Path entry for File > Open / Add layer, and the error list (a broken file shows its
// error here; the current project stays open).
#include <imgui.h>

#include <cstring>

#include "app/view/panels.hpp"

namespace hq::view {
namespace {

bool path_dialog(App& app, const char* id, bool& open_flag, S action, std::string& out) {
    if (open_flag) {
        ImGui::OpenPopup(id);
        open_flag = false;
    }
    bool accepted = false;
    if (ImGui::BeginPopupModal(id, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        ImGui::TextUnformatted(app.t(S::PathPrompt));
        static char buf[1024];
        if (ImGui::IsWindowAppearing()) {
            std::strncpy(buf, app.ui.path_input.c_str(), sizeof buf - 1);
            ImGui::SetKeyboardFocusHere();
        }
        ImGui::SetNextItemWidth(520);
        const bool enter = ImGui::InputText("##path", buf, sizeof buf, ImGuiInputTextFlags_EnterReturnsTrue);
        ImGui::TextDisabled("%s", app.t(S::DropHint));
        if (ImGui::Button(app.t(action)) || enter) {
            out = buf;
            app.ui.path_input = buf;
            accepted = !out.empty();
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button(app.t(S::Cancel))) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
    return accepted;
}

}  // namespace

void draw_dialogs(App& app) {
    std::string path;
    if (path_dialog(app, "##open", app.ui.open_popup, S::Open, path)) app.open_project(path);
    if (path_dialog(app, "##add", app.ui.add_popup, S::Add, path)) app.add_file(path);

    for (const JobError& e : app.jobs.take_errors()) app.ui.errors.push_back(e.label + ": " + e.message);
    if (app.ui.errors.empty()) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->Size.x * 0.5f, vp->Size.y * 0.3f), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSizeConstraints(ImVec2(360, 0), ImVec2(720, 400));
    ImGui::Begin((std::string(app.t(S::Errors)) + "###errors").c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings);
    for (const auto& e : app.ui.errors) ImGui::TextWrapped("%s", e.c_str());
    if (ImGui::Button(app.t(S::Dismiss))) app.ui.errors.clear();
    ImGui::End();
}

}  // namespace hq::view
