// The file browser's requests and answers (File > Open / Add layer, Add basemap, Save as,
// the export path: one FileBrowserState in the UI state), and the error list (a broken file
// shows its error here; the current project stays open).
#include <imgui.h>

#include <filesystem>

#include "app/view/panels.hpp"
#include "app/view/plan_panels.hpp"

namespace hq::view {
namespace {

/// Where the browser starts for a file beside the project: the project's folder (a folder
/// project itself; the folder of a file project); else the current folder.
std::string project_folder(const Model& model) {
    if (!model.data) return {};
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path p(model.data->project->path);
    if (p.filename() == "project.json") p = p.parent_path();
    if (fs::is_directory(p, ec)) return p.string();
    return p.parent_path().string();
}

}  // namespace

void draw_dialogs(const Model& model, UiState& ui, Controller& ctl) {
    // Requests of the menus and panels (a flag each) start the one browser.
    if (ui.open_popup) {
        ui.open_popup = false;
        // Open: the folder holding the open project (its siblings), else the current folder.
        namespace fs = std::filesystem;
        std::string start = project_folder(model);
        std::error_code ec;
        if (!start.empty() && fs::exists(fs::path(start) / "project.json", ec)) {  // a folder project: its siblings
            fs::path p = fs::absolute(start, ec).lexically_normal();
            if (!p.has_filename()) p = p.parent_path();  // "DIR/"
            start = p.parent_path().string();
        }
        browser_start(ui.browser, BrowsePurpose::OpenProject, start);
    }
    if (ui.add_popup) {
        ui.add_popup = false;
        browser_start(ui.browser, BrowsePurpose::AddLayer, project_folder(model));
    }
    if (ui.basemap_popup) {
        ui.basemap_popup = false;
        if (model.data) browser_start(ui.browser, BrowsePurpose::AddBasemap, project_folder(model));
    }
    std::string path;
    const bool chosen = file_browser(ui, ui.browser, ui.recent, path);
    if (ui.browser.glyphs_changed) {  // new names (a Chinese file name): into the font atlas
        ui.browser.glyphs_changed = false;
        ctl.fonts_dirty = true;
    }
    if (chosen) {
        switch (ui.browser.purpose) {
        case BrowsePurpose::OpenProject: ctl.open_project(path); break;
        case BrowsePurpose::AddLayer: ctl.add_file(path); break;
        case BrowsePurpose::AddBasemap: ctl.add_basemap(path); break;
        case BrowsePurpose::SaveProject: {
            auto then = std::move(ui.plan.after_unsaved);
            ui.plan.after_unsaved = {};
            ctl.plan_save(path, std::move(then));
            break;
        }
        case BrowsePurpose::ExportMap:
            ui.export_ui.settings.path = path;
            ctl.fonts_dirty = true;
            break;
        }
    } else if (ui.browser.cancelled) {
        ui.browser.cancelled = false;
        if (ui.browser.purpose == BrowsePurpose::SaveProject) ui.plan.after_unsaved = {};  // no quit after a cancelled save
    }

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
