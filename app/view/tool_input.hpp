#pragma once
// The map's drawing tools take the mouse and keys the same way, whichever editor they drive
// (plan mode's PlanEditor, panel_plan.cpp; the Digitise tab's CommunityEditor,
// panel_community.cpp): hover, a press the editor takes or not, drag, release, right click,
// and Enter, Backspace, Delete and Esc while no text field or popup has the keyboard.
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>

#include "app/view/camera.hpp"

namespace hq::view {

/// Routes this frame's input on the canvas to `ed`. `press(w, mpp)` forwards a left press
/// (true: the editor takes it); `owns_mouse` stays true from a taken press to its release;
/// `on_escape()` runs for Esc (after which the mouse is released). True when the tools took
/// the mouse this frame (the canvas must not pan or select).
template <class Editor, class Press, class OnEscape>
bool route_tool_input(Editor& ed, bool& owns_mouse, const Camera& cam, bool hovered, Press&& press, OnEscape&& on_escape) {
    ImGuiIO& io = ImGui::GetIO();
    const Vec2 w = cam.screen_to_world({io.MousePos.x, io.MousePos.y});
    const double mpp = 1.0 / cam.scale;
    bool owned = owns_mouse;
    if (hovered && !owns_mouse) ed.hover(w, mpp);
    if (hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
        if (press(w, mpp)) owns_mouse = owned = true;
    } else if (owns_mouse && ImGui::IsMouseDown(ImGuiMouseButton_Left) && (io.MouseDelta.x != 0 || io.MouseDelta.y != 0)) {
        ed.drag(w, mpp);
    }
    if (owns_mouse && ImGui::IsMouseReleased(ImGuiMouseButton_Left)) {
        ed.release(w, mpp);
        owns_mouse = false;
        owned = true;
    }
    if (hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Right) && ed.right_click(w, mpp)) owned = true;
    if (!io.WantTextInput && !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel)) {
        if (ImGui::IsKeyPressed(GLFW_KEY_ENTER) || ImGui::IsKeyPressed(GLFW_KEY_KP_ENTER)) ed.key_enter();
        if (ImGui::IsKeyPressed(GLFW_KEY_BACKSPACE)) ed.key_backspace();
        if (ImGui::IsKeyPressed(GLFW_KEY_DELETE)) ed.key_delete();
        if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE)) {
            on_escape();
            owns_mouse = false;
        }
    }
    return owned;
}

}  // namespace hq::view
