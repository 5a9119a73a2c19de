// The map canvas: an InvisibleButton over the free region (the ImGui demo's canvas
// pattern). Pan by dragging, zoom at the cursor (wheel, +/-), fit (F / Home); hover and
// click pick units; labels, selection and title are drawn into the canvas draw list.
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <array>
#include <cmath>
#include <string>

#include "app/carto/labels.hpp"
#include "app/view/draw_util.hpp"
#include "app/view/labels.hpp"
#include "app/view/panels.hpp"
#include "app/view/view_state.hpp"
#include "app/view/plan_panels.hpp"
#include "geo/geometry/ops.hpp"

namespace hq::view {

// draw_util.hpp
void outline_polygon(ImDrawList* dl, const Camera& cam, const Geometry& g, unsigned col, float thickness) {
    std::vector<ImVec2> pts;
    for (const Polygon& poly : g.polygons)
        for (const Ring& r : poly.rings) {
            pts.clear();
            for (const Vec2& p : r) {
                const Vec2 s = cam.world_to_screen(p);
                pts.emplace_back(static_cast<float>(s.x), static_cast<float>(s.y));
            }
            if (pts.size() >= 2) dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), col, ImDrawFlags_Closed, thickness);
        }
}

namespace {

ImU32 to_imu32(const carto::Color& c, float alpha_scale = 1.0f) {
    return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, c.a * alpha_scale));
}

ImVec2 to_im(Vec2 p) { return {static_cast<float>(p.x), static_cast<float>(p.y)}; }

/// The scene polygon under a world point (units preferred), or -1.
int pick_polygon(const Model& model, Vec2 w) {
    if (!model.mesh || !model.scene) return -1;
    const auto& scene = *model.scene;
    int best = -1;
    for (const PickEntry& e : model.mesh->picks) {
        if (!e.bounds.contains(w)) continue;
        const auto& fp = scene.polygons[e.polygon];
        if (!fp.geometry || !point_in_polygon(*fp.geometry, w)) continue;
        const bool unit = model.data && fp.role == model.data->units_role;
        if (unit) return static_cast<int>(e.polygon);
        if (best < 0 && fp.role != Role::Boundary) best = static_cast<int>(e.polygon);
    }
    return best;
}


/// A label's glyphs over a halo: the text drawn in the halo colour at 8 offsets around it
/// (readable on the dark Low-Low blue as on the light fills).
void draw_label_text(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 col, ImU32 halo,
                     const std::string& text) {
    const float d = kLabelHaloPx;
    for (const auto& o : {ImVec2(-d, 0), ImVec2(d, 0), ImVec2(0, -d), ImVec2(0, d), ImVec2(-d, -d), ImVec2(d, -d),
                          ImVec2(-d, d), ImVec2(d, d)})
        dl->AddText(font, size, ImVec2(pos.x + o.x, pos.y + o.y), halo, text.c_str());
    dl->AddText(font, size, pos, col, text.c_str());
}

void draw_labels(const Model& model, UiState& ui, ImDrawList* dl) {
    const auto& scene = *model.scene;
    const Camera& cam = ui.camera;
    auto& drawn = ui.drawn_labels;
    drawn.clear();
    // Measured only near the view (the others are left out), and not at all when too many
    // would be (level of detail: a city's thousands of names at a fitted zoom).
    Box near = cam.visible_world();
    near = near.inflated(0.1 * std::max(near.width(), near.height()));
    ImFont* font = ImGui::GetFont();
    std::vector<carto::LabelSize> sizes(scene.labels.size());
    std::size_t measured = 0;
    for (std::size_t i = 0; i < scene.labels.size(); ++i) {
        const carto::Label& l = scene.labels[i];
        if (!near.contains(l.anchor) || l.text.empty()) continue;
        if (++measured > 4000) return;
        const ImVec2 ts = font->CalcTextSizeA(label_px(l), 1e9f, 0.0f, l.text.c_str());
        sizes[i] = {ts.x + 2 * kLabelHaloPx, ts.y + 2 * kLabelHaloPx};
    }
    const Box frame{cam.canvas_min.x, cam.canvas_min.y, cam.canvas_min.x + cam.canvas_size.x,
                    cam.canvas_min.y + cam.canvas_size.y};
    const auto boxes = carto::place_scene_labels(scene, [&](Vec2 p) { return cam.world_to_screen(p); }, 1.0, sizes,
                                                 frame, 2.0);
    for (std::size_t i = 0; i < scene.labels.size(); ++i) {
        if (!boxes[i]) continue;
        const carto::Label& l = scene.labels[i];
        const ImVec2 pos(static_cast<float>(boxes[i]->minx) + kLabelHaloPx, static_cast<float>(boxes[i]->miny) + kLabelHaloPx);
        draw_label_text(dl, font, label_px(l), pos, to_imu32(l.color), to_imu32(l.halo), l.text);
        drawn.push_back({l.text, static_cast<float>(boxes[i]->minx), static_cast<float>(boxes[i]->miny),
                         static_cast<float>(boxes[i]->maxx), static_cast<float>(boxes[i]->maxy)});
    }
}

void draw_title(const Model& model, UiState& ui, ImDrawList* dl, const Layout& layout) {
    auto& rect = ui.title_rect;
    rect = {0, 0, 0, 0};
    if (!model.scene || model.scene->title.empty()) return;
    const auto& scene = *model.scene;
    ImFont* font = ImGui::GetFont();
    const float ts = 22.0f, ss = 14.0f;
    const ImVec2 a = font->CalcTextSizeA(ts, 1e9f, 0, scene.title.c_str());
    const ImVec2 b = scene.subtitle.empty() ? ImVec2(0, 0) : font->CalcTextSizeA(ss, 1e9f, 0, scene.subtitle.c_str());
    const float x = static_cast<float>(layout.canvas_min.x) + 12, y = static_cast<float>(layout.canvas_min.y) + 10;
    const float w = std::max(a.x, b.x) + 16, h = a.y + (b.y > 0 ? b.y + 4 : 0) + 12;
    dl->AddRectFilled(ImVec2(x, y), ImVec2(x + w, y + h), IM_COL32(255, 255, 255, 225), 4.0f);
    dl->AddText(font, ts, ImVec2(x + 8, y + 6), IM_COL32(20, 20, 20, 255), scene.title.c_str());
    if (b.y > 0) dl->AddText(font, ss, ImVec2(x + 8, y + 8 + a.y), IM_COL32(70, 70, 70, 255), scene.subtitle.c_str());
    rect = {x, y, w, h};
    if (!scene.stamp.empty()) {  // privacy guard off: say so across the top, in red
        const ImVec2 st = font->CalcTextSizeA(ss, 1e9f, 0, scene.stamp.c_str());
        const float sx = static_cast<float>(layout.canvas_min.x + layout.canvas_size.x * 0.5) - st.x * 0.5f;
        dl->AddRectFilled(ImVec2(sx - 6, y + h + 6), ImVec2(sx + st.x + 6, y + h + 10 + st.y), IM_COL32(255, 255, 255, 230), 3.0f);
        dl->AddText(font, ss, ImVec2(sx, y + h + 8), IM_COL32(200, 0, 0, 255), scene.stamp.c_str());
    }
}

void draw_scale_bar(UiState& ui, ImDrawList* dl, const Layout& layout) {
    const Camera& cam = ui.camera;
    const double len = nice_scale_length(cam.scale, 140);
    ui.scale_bar_rect = {0, 0, 0, 0};
    if (!(len > 0)) return;
    const float px = static_cast<float>(len * cam.scale);
    const float x = static_cast<float>(layout.canvas_min.x) + 16;
    const float y = static_cast<float>(layout.canvas_min.y + layout.canvas_size.y) - 20;
    dl->AddRectFilled(ImVec2(x - 4, y - 18), ImVec2(x + px + 50, y + 8), IM_COL32(255, 255, 255, 200), 3.0f);
    ui.scale_bar_rect = {x - 4, y - 18, px + 54, 26};
    dl->AddLine(ImVec2(x, y), ImVec2(x + px, y), IM_COL32(30, 30, 30, 255), 2.0f);
    dl->AddLine(ImVec2(x, y - 5), ImVec2(x, y + 1), IM_COL32(30, 30, 30, 255), 2.0f);
    dl->AddLine(ImVec2(x + px, y - 5), ImVec2(x + px, y + 1), IM_COL32(30, 30, 30, 255), 2.0f);
    char buf[64];
    if (len >= 1000) std::snprintf(buf, sizeof buf, "%g km", len / 1000);
    else std::snprintf(buf, sizeof buf, "%g m", len);
    dl->AddText(ImVec2(x + px + 6, y - 14), IM_COL32(30, 30, 30, 255), buf);
}

void tooltip(const Model& model, UiState& ui, Controller& ctl, int polygon) {
    const auto& scene = *model.scene;
    const auto& fp = scene.polygons[static_cast<std::size_t>(polygon)];
    const ProjectData* d = model.data.get();
    ImGui::BeginTooltip();
    if (d && fp.role == d->units_role && d->units && fp.feature < d->units->size()) {
        ImGui::Text("%s %s", ui.t(S::Unit), d->units->ids[fp.feature].c_str());
        std::size_t best = 0;
        for (std::size_t g = 1; g < d->counts.size(); ++g)
            if (d->counts[g][fp.feature] > d->counts[best][fp.feature]) best = g;
        const privacy::ProtectedTable& t = *model.data->protected_units;  // geo/privacy
        ImGui::Text("%s: %s", ui.t(S::Total), privacy::count_text(t.row_total(fp.feature), t.policy()).c_str());
        if (!d->counts.empty() && !t.cell(fp.feature, best).suppressed() && !t.row_total(fp.feature).suppressed())
            ImGui::Text("%s: %s (%s)", ui.t(S::Group), ctl.group_name(best).c_str(),
                        privacy::percent_text(t.cell(fp.feature, best), t.row_total(fp.feature), 1).c_str());
        ImGui::TextDisabled("%s", ui.t(S::HoverHint));
    } else {
        ImGui::Text("%s #%u", role_name(fp.role), fp.feature);
    }
    ImGui::EndTooltip();
}

}  // namespace

void draw_canvas(const Model& model, UiState& ui, Controller& ctl, const Layout& layout) {
    ImGuiIO& io = ImGui::GetIO();
    Camera& cam = ui.camera;
    cam.set_canvas(layout.canvas_min, layout.canvas_size);
    if (ctl.fit_pending && model.data && !model.data->extent.empty()) {
        cam.fit(model.data->extent);
        if (const auto saved = saved_view_extent(model); saved && !ctl.options.extent) cam.fit(*saved, 0.0);  // as saved
        if (ctl.options.extent) {  // --extent: the first view shows that box (checked by `view`)
            try {
                cam.fit(carto::lonlat_extent_to_metric(*model.data->project, *ctl.options.extent), 0.0);
            } catch (const std::exception& e) {
                ui.errors.emplace_back(e.what());
            }
        }
        ctl.fit_pending = false;
    }
    ImGui::SetNextWindowPos(to_im(layout.canvas_min));
    ImGui::SetNextWindowSize(to_im(layout.canvas_size));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground |
                                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoScrollWithMouse |
                                   ImGuiWindowFlags_NoFocusOnAppearing;
    ImGui::Begin("##canvas", nullptr, flags);
    ImGui::InvisibleButton("map", to_im(layout.canvas_size),
                           ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
    const bool hovered = ImGui::IsItemHovered() && !ui.ignore_mouse;
    const bool active = ImGui::IsItemActive();
    // Plan mode or the Digitise tab: the drawing tools take the mouse.
    const bool plan_owns = plan_canvas_input(model, ui, ctl, hovered) || community_canvas_input(model, ui, ctl, hovered);
    ui.dragging = !plan_owns && active && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 2.0f);
    if (ui.dragging) cam.pan_pixels(io.MouseDelta.x, io.MouseDelta.y);
    const Vec2 mouse{io.MousePos.x, io.MousePos.y};
    const double zoom_scale = cam.scale;
    if (hovered && io.MouseWheel != 0) cam.zoom_at(mouse, std::pow(1.25, io.MouseWheel));
    if (!io.WantTextInput && !io.KeyCtrl) {  // Ctrl +/− is the UI scale (layout.cpp)
        const Vec2 c = cam.canvas_center();
        if (ImGui::IsKeyPressed(GLFW_KEY_EQUAL) || ImGui::IsKeyPressed(GLFW_KEY_KP_ADD))
            cam.zoom_at(hovered ? mouse : c, 1.25);
        if (ImGui::IsKeyPressed(GLFW_KEY_MINUS) || ImGui::IsKeyPressed(GLFW_KEY_KP_SUBTRACT))
            cam.zoom_at(hovered ? mouse : c, 1 / 1.25);
    }
    // A zoom step keeps the zoom "in progress" for a moment: a slow map (city scale) shows a
    // scaled preview meanwhile, and is drawn afresh once the steps stop.
    if (cam.scale != zoom_scale) ui.zoom_settle_at = ImGui::GetTime() + 0.2;
    ui.zooming = ImGui::GetTime() < ui.zoom_settle_at;
    if (!io.WantTextInput) {
        if ((ImGui::IsKeyPressed(GLFW_KEY_F) || ImGui::IsKeyPressed(GLFW_KEY_HOME)) && model.data)
            cam.fit(model.data->extent);
    }
    ui.cursor_in_canvas = hovered;
    if (hovered) ui.cursor_world = cam.screen_to_world(mouse);

    // Picking and selection.
    ui.hovered_polygon = (hovered && !ui.dragging) ? pick_polygon(model, ui.cursor_world) : -1;
    const bool clicked = ImGui::IsItemDeactivated() && io.MouseDragMaxDistanceSqr[0] < 9.0f;
    if (!plan_owns && !ui.measure_active && clicked) {
        pick_feature_for_inspector(model, ui, ctl, ui.cursor_world, 1.0 / cam.scale);  // venues, projects
        const int p = ui.hovered_polygon;
        const bool add = io.KeyCtrl || io.KeyShift;
        if (!add) ctl.clear_selection();
        if (p >= 0 && model.data && model.scene->polygons[static_cast<std::size_t>(p)].role == model.data->units_role) {
            const std::uint32_t f = model.scene->polygons[static_cast<std::size_t>(p)].feature;
            if (add) ctl.toggle_selection(f);
            else ctl.select(f);
            ui.show_inspector = true;
        }
    }
    if (hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Right)) ctl.clear_selection();

    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->PushClipRect(to_im(layout.canvas_min),
                     ImVec2(static_cast<float>(layout.canvas_min.x + layout.canvas_size.x),
                            static_cast<float>(layout.canvas_min.y + layout.canvas_size.y)), true);
    if (model.scene) {
        const auto& scene = *model.scene;
        ui.drawn_labels.clear();
        if (ui.show_labels) draw_labels(model, ui, dl);
        draw_plan_overlay(model, ui, ctl, dl);
        draw_community_overlay(model, ui, ctl, dl);
        update_measure(model, ui, ctl, layout, hovered, !plan_owns && clicked);
        for (std::uint32_t f : model.selection) {
            const int p = ctl.polygon_of_unit(f);
            if (p >= 0 && scene.polygons[static_cast<std::size_t>(p)].geometry)
                outline_polygon(dl, cam, *scene.polygons[static_cast<std::size_t>(p)].geometry, IM_COL32(0, 230, 255, 255), 3.0f);
        }
        if (ui.hovered_polygon >= 0) {
            const auto& fp = scene.polygons[static_cast<std::size_t>(ui.hovered_polygon)];
            if (fp.geometry) outline_polygon(dl, cam, *fp.geometry, IM_COL32(255, 255, 255, 230), 2.0f);
            tooltip(model, ui, ctl, ui.hovered_polygon);
        }
        draw_title(model, ui, dl, layout);
        draw_scale_bar(ui, dl, layout);
    } else {
        const char* msg = ctl.jobs.busy() ? ui.t(S::Loading) : ui.t(S::NoProject);
        const ImVec2 ts = ImGui::CalcTextSize(msg);
        const Vec2 c = cam.canvas_center();
        dl->AddText(ImVec2(static_cast<float>(c.x) - ts.x / 2, static_cast<float>(c.y) - ts.y / 2), IM_COL32(90, 90, 90, 255), msg);
    }
    dl->PopClipRect();
    ImGui::End();
    ImGui::PopStyleVar(2);
}

}  // namespace hq::view
