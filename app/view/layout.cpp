// The fixed layout (menu bar, sidebar, canvas, status bar), the main menu and the sidebar.
#include <imgui.h>

#include "app/view/panels.hpp"
#include "app/view/plan_panels.hpp"

namespace hq::view {

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

void draw_menu(const Model& model, UiState& ui, Controller& ctl) {
    if (!ImGui::BeginMainMenuBar()) return;
    if (ImGui::BeginMenu(ui.t(S::MenuFile))) {
        if (ImGui::MenuItem(ui.t(S::MenuOpen), "Ctrl+O")) ui.open_popup = true;
        if (ImGui::MenuItem(ui.t(S::MenuAddLayer), nullptr, false, model.data != nullptr)) ui.add_popup = true;
        draw_plan_file_items(model, ui, ctl);  // New plan, Save, Save as (file_ops.cpp)
        if (ImGui::MenuItem(ui.t(S::ExportMenu), nullptr, false, model.data != nullptr)) ui.export_ui.open = true;
        ImGui::Separator();
        if (ImGui::MenuItem(ui.t(S::MenuQuit), "Ctrl+Q")) ctl.quit = true;
        ImGui::EndMenu();
    }
    draw_edit_menu(model, ui, ctl);  // undo / redo / history (panel_history.cpp)
    if (ImGui::BeginMenu(ui.t(S::MenuView))) {
        if (ImGui::MenuItem(ui.t(S::MenuFit), "F") && model.data) ui.camera.fit(model.data->extent);
        ImGui::MenuItem(ui.t(S::Labels), nullptr, &ui.show_labels);
        if (ImGui::MenuItem(ui.t(S::Measure), "M", ui.measure_active)) {
            ui.measure_active = !ui.measure_active;
            ui.measure = {};
        }
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu(ui.t(S::MenuWindows))) {
        ImGui::MenuItem(ui.t(S::Inspector), nullptr, &ui.show_inspector);
        ImGui::MenuItem(ui.t(S::Scatter), nullptr, &ui.show_scatter);
        ImGui::MenuItem(ui.t(S::Indices), nullptr, &ui.show_indices);
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu(ui.t(S::MenuLanguage))) {
        UiLang before = ui.lang;
        if (ImGui::MenuItem(tr(S::Chinese, ui.lang), nullptr, ui.lang == UiLang::Zh)) ui.lang = UiLang::Zh;
        if (ImGui::MenuItem(tr(S::English, ui.lang), nullptr, ui.lang == UiLang::En)) ui.lang = UiLang::En;
        if (before != ui.lang) ctl.request_scene();  // labels and legend follow the language
        ImGui::EndMenu();
    }
    ImGuiIO& io = ImGui::GetIO();
    if (io.KeyCtrl && ImGui::IsKeyPressed('O')) ui.open_popup = true;
    if (io.KeyCtrl && ImGui::IsKeyPressed('Q')) ctl.quit = true;
    ImGui::EndMainMenuBar();
}

void draw_sidebar(const Model& model, UiState& ui, Controller& ctl, const Layout& layout) {
    ImGui::SetNextWindowPos(ImVec2(0, layout.menu_height));
    ImGui::SetNextWindowSize(ImVec2(layout.sidebar_width, static_cast<float>(layout.canvas_size.y)));
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                   ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoSavedSettings |
                                   ImGuiWindowFlags_NoBringToFrontOnFocus;
    ImGui::Begin("##sidebar", nullptr, flags);
    if (model.data) {
        const Project& p = *model.data->project;
        ImGui::TextUnformatted((ui.lang == UiLang::Zh ? p.name_zh : p.name_en).c_str());
        if (p.illustrative) ImGui::TextColored(ImVec4(0.75f, 0.3f, 0.1f, 1), "%s", ui.t(S::Illustrative));
    } else {
        ImGui::TextDisabled("%s", ui.t(S::NoProject));
    }
    if (ImGui::CollapsingHeader(ui.t(S::MapMode), ImGuiTreeNodeFlags_DefaultOpen)) draw_mode_panel(model, ui, ctl);
    if (ImGui::CollapsingHeader(ui.t(S::Plan), ImGuiTreeNodeFlags_DefaultOpen)) draw_plan_panel(model, ui, ctl);
    if (ImGui::CollapsingHeader(ui.t(S::Legend), ImGuiTreeNodeFlags_DefaultOpen)) draw_legend_panel(model, ui, ctl);
    if (ImGui::CollapsingHeader(ui.t(S::Layers), ImGuiTreeNodeFlags_DefaultOpen)) draw_layers_panel(model, ui, ctl);
    ImGui::End();
}

}  // namespace hq::view
