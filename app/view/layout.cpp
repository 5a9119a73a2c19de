// The fixed layout (menu bar, sidebar, canvas, status bar), the main menu and the sidebar.
#include <imgui.h>

#include <algorithm>

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include "app/view/panels.hpp"
#include "app/view/plan_panels.hpp"

namespace hq::view {

Layout compute_layout(float window_w, float window_h, const UiState& ui) {
    Layout l;
    l.menu_height = ImGui::GetFontSize() + ImGui::GetStyle().FramePadding.y * 2;
    l.status_height = ImGui::GetFontSize() + ImGui::GetStyle().WindowPadding.y * 2;
    const float body_h = std::max(1.0f, window_h - l.menu_height - l.status_height);
    const float s = Layout::kSplitter;
    const bool right = ui.show_inspector || ui.show_indices || ui.plan.show_history || ui.community.show ||
                       (ui.plan.active && (ui.plan.show_zone || ui.plan.show_scenarios));
    const bool bottom = ui.show_scatter && ui.mode == Mode::Lisa;
    // The map keeps at least a third of the width and half of the height.
    // Widths are kept at 100 % and scale with the text (Ctrl +/−).
    const float k = ui.ui_scale;
    const float side_max = std::max(120.0f, window_w / 3.0f);
    l.sidebar_width = std::clamp(ui.left_width * k, 120.0f, side_max);
    l.right_width = right ? std::clamp(ui.right_width * k, 160.0f, side_max) : 0.0f;
    l.bottom_height = bottom ? std::clamp(ui.bottom_height * k, 100.0f, body_h * 0.5f) : 0.0f;
    const float x0 = l.sidebar_width + s;
    const float x1 = window_w - (right ? l.right_width + s : 0.0f);
    const float h = body_h - (bottom ? l.bottom_height + s : 0.0f);
    l.canvas_min = {x0, l.menu_height};
    l.canvas_size = {std::max(1.0f, x1 - x0), std::max(1.0f, h)};
    return l;
}

void record_window(UiState& ui, const char* name) {
    const ImVec2 p = ImGui::GetWindowPos(), sz = ImGui::GetWindowSize();
    ui.frame_windows.push_back({name, p.x, p.y, sz.x, sz.y});
}

namespace {

constexpr ImGuiWindowFlags kDocked = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                     ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoSavedSettings |
                                     ImGuiWindowFlags_NoBringToFrontOnFocus;

/// A splitter bar at (x, y, w, h); dragging moves it by the mouse's delta along `vertical`
/// (x for a vertical bar) and adds `sign` × delta to `value`.
void splitter(UiState& ui, const char* id, float x, float y, float w, float h, bool vertical, float sign, float& value) {
    ImGui::SetNextWindowPos(ImVec2(x, y));
    ImGui::SetNextWindowSize(ImVec2(w, h));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowMinSize, ImVec2(1, 1));
    ImGui::Begin(id, nullptr, kDocked | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoBackground);
    ImGui::InvisibleButton("##bar", ImVec2(w, h));
    const bool active = ImGui::IsItemActive();
    if (ImGui::IsItemHovered() || active)
        ImGui::SetMouseCursor(vertical ? ImGuiMouseCursor_ResizeEW : ImGuiMouseCursor_ResizeNS);
    if (active) {
        const ImVec2 d = ImGui::GetIO().MouseDelta;
        value += sign * (vertical ? d.x : d.y) / ui.ui_scale;  // kept at 100 %
    }
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(x, y), ImVec2(x + w, y + h),
                                              ImGui::GetColorU32(active ? ImGuiCol_SeparatorActive : ImGuiCol_Separator));
    record_window(ui, id);
    ImGui::End();
    ImGui::PopStyleVar(2);
}

}  // namespace

void draw_splitters(UiState& ui, const Layout& layout) {
    // A width dragged past its limit stays at the limit (no slack to drag back first).
    const float k = ui.ui_scale;
    ui.left_width = layout.sidebar_width / k;
    if (layout.right_width > 0) ui.right_width = layout.right_width / k;
    if (layout.bottom_height > 0) ui.bottom_height = layout.bottom_height / k;
    const float s = Layout::kSplitter;
    const float top = layout.menu_height;
    const float body_h = static_cast<float>(layout.canvas_size.y) + (layout.bottom_height > 0 ? layout.bottom_height + s : 0.0f);
    const float cx = static_cast<float>(layout.canvas_min.x), cw = static_cast<float>(layout.canvas_size.x);
    splitter(ui, "splitter_left", layout.sidebar_width, top, s, body_h, true, 1.0f, ui.left_width);
    if (layout.right_width > 0) splitter(ui, "splitter_right", cx + cw, top, s, body_h, true, -1.0f, ui.right_width);
    if (layout.bottom_height > 0)
        splitter(ui, "splitter_bottom", cx, top + static_cast<float>(layout.canvas_size.y), cw, s, false, -1.0f,
                 ui.bottom_height);
}

bool begin_docked_tab(UiState& ui, const std::string& label, const char* name, bool& open) {
    if (!open) return false;
    ImGuiTabItemFlags flags = 0;
    if (ui.focus_tab == name) {
        flags |= ImGuiTabItemFlags_SetSelected;
        ui.focus_tab.clear();
    }
    if (!ImGui::BeginTabItem(label.c_str(), &open, flags)) return false;
    record_window(ui, name);
    return true;
}

void draw_right_panel(const Model& model, UiState& ui, Controller& ctl, const Layout& layout) {
    if (layout.right_width <= 0) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float h = vp->Size.y - layout.menu_height - layout.status_height;
    ImGui::SetNextWindowPos(ImVec2(vp->Size.x - layout.right_width, layout.menu_height));
    ImGui::SetNextWindowSize(ImVec2(layout.right_width, h));
    ImGui::Begin("##right", nullptr, kDocked);
    record_window(ui, "right_panel");
    if (ImGui::BeginTabBar("##right_tabs", ImGuiTabBarFlags_FittingPolicyScroll)) {
        draw_inspector(model, ui, ctl);
        draw_zone_tab(model, ui, ctl);
        draw_plan_scenarios(model, ui, ctl);
        draw_indices(model, ui, ctl);
        draw_history(model, ui, ctl);
        draw_community_tab(model, ui, ctl);
        ImGui::EndTabBar();
    }
    ImGui::End();
}

void draw_menu(const Model& model, UiState& ui, Controller& ctl) {
    if (!ImGui::BeginMainMenuBar()) return;
    if (ImGui::BeginMenu(ui.t(S::MenuFile))) {
        draw_community_menu_items(model, ui, ctl);  // New project, Digitise, Import roster
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
        ImGui::Separator();
        if (ImGui::MenuItem(ui.t(S::UiLarger), "Ctrl+=")) ctl.set_ui_scale(ui.ui_scale * kUiScaleStep);
        if (ImGui::MenuItem(ui.t(S::UiSmaller), "Ctrl+-")) ctl.set_ui_scale(ui.ui_scale / kUiScaleStep);
        if (ImGui::MenuItem(ui.t(S::UiReset), "Ctrl+0")) ctl.set_ui_scale(1.0f);
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
    if (io.KeyCtrl && !io.WantTextInput) {  // the UI scale (the map's own +/− zoom takes no Ctrl)
        if (ImGui::IsKeyPressed(GLFW_KEY_EQUAL) || ImGui::IsKeyPressed(GLFW_KEY_KP_ADD))
            ctl.set_ui_scale(ui.ui_scale * kUiScaleStep);
        if (ImGui::IsKeyPressed(GLFW_KEY_MINUS) || ImGui::IsKeyPressed(GLFW_KEY_KP_SUBTRACT))
            ctl.set_ui_scale(ui.ui_scale / kUiScaleStep);
        if (ImGui::IsKeyPressed(GLFW_KEY_0)) ctl.set_ui_scale(1.0f);
    }
    ImGui::EndMainMenuBar();
}

void draw_sidebar(const Model& model, UiState& ui, Controller& ctl, const Layout& layout) {
    ImGui::SetNextWindowPos(ImVec2(0, layout.menu_height));
    ImGui::SetNextWindowSize(
        ImVec2(layout.sidebar_width, ImGui::GetMainViewport()->Size.y - layout.menu_height - layout.status_height));
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                   ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoSavedSettings |
                                   ImGuiWindowFlags_NoBringToFrontOnFocus;
    ImGui::Begin("##sidebar", nullptr, flags);
    record_window(ui, "sidebar");
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

void draw_panels(const Model& model, UiState& ui, Controller& ctl, const Layout& layout) {
    draw_menu(model, ui, ctl);
    draw_sidebar(model, ui, ctl, layout);
    draw_canvas(model, ui, ctl, layout);
    draw_status_bar(model, ui, ctl, layout);
    draw_right_panel(model, ui, ctl, layout);
    draw_scatter(model, ui, ctl, layout);
    draw_splitters(ui, layout);
    draw_dialogs(model, ui, ctl);
    draw_community_dialogs(model, ui, ctl);
    draw_export_window(model, ui, ctl);
    draw_plan_windows(model, ui, ctl);
    draw_plan_file_dialogs(model, ui, ctl);
}

}  // namespace hq::view
