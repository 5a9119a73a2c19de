// The fixed layout (menu bar, sidebar, canvas, status bar), the main menu and the sidebar.
#include <imgui.h>

#include <array>

#include "app/view/panels.hpp"
#include "app/view/plan_panels.hpp"

namespace hq::view {

std::vector<WindowRect>& floating_windows() {
    static std::vector<WindowRect> w;
    return w;
}

std::array<float, 4>& title_rect() {
    static std::array<float, 4> r{};
    return r;
}

Layout compute_layout(float window_w, float window_h) {
    Layout l;
    l.menu_height = ImGui::GetFontSize() + ImGui::GetStyle().FramePadding.y * 2;
    l.status_height = ImGui::GetFontSize() + ImGui::GetStyle().WindowPadding.y * 2;
    l.sidebar_width = std::min(320.0f, window_w * 0.35f);
    l.canvas_min = {l.sidebar_width, l.menu_height};
    l.canvas_size = {std::max(1.0f, window_w - l.sidebar_width),
                     std::max(1.0f, window_h - l.menu_height - l.status_height)};
    return l;
}

void draw_menu(App& app) {
    if (!ImGui::BeginMainMenuBar()) return;
    if (ImGui::BeginMenu(app.t(S::MenuFile))) {
        if (ImGui::MenuItem(app.t(S::MenuOpen), "Ctrl+O")) app.ui.open_popup = true;
        if (ImGui::MenuItem(app.t(S::MenuAddLayer), nullptr, false, app.model.data != nullptr)) app.ui.add_popup = true;
        draw_plan_file_items(app);  // New plan, Save, Save as (file_ops.cpp)
        if (ImGui::MenuItem(app.t(S::ExportMenu), nullptr, false, app.model.data != nullptr)) app.ui.export_ui.open = true;
        ImGui::Separator();
        if (ImGui::MenuItem(app.t(S::MenuQuit), "Ctrl+Q")) app.quit = true;
        ImGui::EndMenu();
    }
    draw_edit_menu(app);  // undo / redo / history (panel_history.cpp)
    if (ImGui::BeginMenu(app.t(S::MenuView))) {
        if (ImGui::MenuItem(app.t(S::MenuFit), "F") && app.model.data) app.ui.camera.fit(app.model.data->extent);
        ImGui::MenuItem(app.t(S::Labels), nullptr, &app.ui.show_labels);
        if (ImGui::MenuItem(app.t(S::Measure), "M", app.ui.measure_active)) {
            app.ui.measure_active = !app.ui.measure_active;
            app.ui.measure = {};
        }
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu(app.t(S::MenuWindows))) {
        ImGui::MenuItem(app.t(S::Inspector), nullptr, &app.ui.show_inspector);
        ImGui::MenuItem(app.t(S::Scatter), nullptr, &app.ui.show_scatter);
        ImGui::MenuItem(app.t(S::Indices), nullptr, &app.ui.show_indices);
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu(app.t(S::MenuLanguage))) {
        UiLang before = app.ui.lang;
        if (ImGui::MenuItem(tr(S::Chinese, app.ui.lang), nullptr, app.ui.lang == UiLang::Zh)) app.ui.lang = UiLang::Zh;
        if (ImGui::MenuItem(tr(S::English, app.ui.lang), nullptr, app.ui.lang == UiLang::En)) app.ui.lang = UiLang::En;
        if (before != app.ui.lang) app.request_scene();  // labels and legend follow the language
        ImGui::EndMenu();
    }
    ImGuiIO& io = ImGui::GetIO();
    if (io.KeyCtrl && ImGui::IsKeyPressed('O')) app.ui.open_popup = true;
    if (io.KeyCtrl && ImGui::IsKeyPressed('Q')) app.quit = true;
    ImGui::EndMainMenuBar();
}

void draw_sidebar(App& app, const Layout& layout) {
    ImGui::SetNextWindowPos(ImVec2(0, layout.menu_height));
    ImGui::SetNextWindowSize(ImVec2(layout.sidebar_width, static_cast<float>(layout.canvas_size.y)));
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                   ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoSavedSettings |
                                   ImGuiWindowFlags_NoBringToFrontOnFocus;
    ImGui::Begin("##sidebar", nullptr, flags);
    if (app.model.data) {
        const Project& p = *app.model.data->project;
        ImGui::TextUnformatted((app.ui.lang == UiLang::Zh ? p.name_zh : p.name_en).c_str());
        if (p.illustrative) ImGui::TextColored(ImVec4(0.75f, 0.3f, 0.1f, 1), "%s", app.t(S::Illustrative));
    } else {
        ImGui::TextDisabled("%s", app.t(S::NoProject));
    }
    if (ImGui::CollapsingHeader(app.t(S::MapMode), ImGuiTreeNodeFlags_DefaultOpen)) draw_mode_panel(app);
    if (ImGui::CollapsingHeader(app.t(S::Plan), ImGuiTreeNodeFlags_DefaultOpen)) draw_plan_panel(app);
    if (ImGui::CollapsingHeader(app.t(S::Legend), ImGuiTreeNodeFlags_DefaultOpen)) draw_legend_panel(app);
    if (ImGui::CollapsingHeader(app.t(S::Layers), ImGuiTreeNodeFlags_DefaultOpen)) draw_layers_panel(app);
    ImGui::End();
}

}  // namespace hq::view
