#pragma once
// The viewer's panels: one file each, each a function of the App (model + UI state).
#include "app/view/app.hpp"

struct ImVec2;

namespace hq::view {

/// Screen rectangles the layout hands out (window pixels).
struct Layout {
    Vec2 canvas_min, canvas_size;
    float menu_height = 0, status_height = 0, sidebar_width = 0;
};

Layout compute_layout(float window_w, float window_h);

void draw_menu(App& app);
void draw_sidebar(App& app, const Layout& layout);  ///< map mode, layers, legend
void draw_mode_panel(App& app);
void draw_layers_panel(App& app);
void draw_legend_panel(App& app);
void draw_canvas(App& app, const Layout& layout);
void draw_status_bar(App& app, const Layout& layout);
/// The loaded project's units × groups table as the viewer may show it (geo/privacy),
/// computed once per project (inspect.hpp: units_table).
const privacy::ProtectedTable& protected_units(const std::shared_ptr<const ProjectData>& data);
void draw_inspector(App& app, const Layout& layout);
void draw_scatter(App& app, const Layout& layout);
void draw_indices(App& app, const Layout& layout);
void draw_dialogs(App& app);  ///< open / add-layer path entry, errors
void draw_export_window(App& app);  ///< File > Export map… (panel_export.cpp)
/// A click on the map at `world` (metres per pixel `pixel_m`): the venue or micro-garden
/// project there becomes the inspector's feature (none: inspect_feature = -1).
void pick_feature_for_inspector(App& app, Vec2 world, double pixel_m);
/// The measure tool on the canvas (panel_measure.cpp): key M toggles, clicks add points,
/// Esc clears; draws into the current window's draw list. True while the tool is active
/// (clicks then do not select).
bool update_measure(App& app, const Layout& layout, bool hovered, bool clicked);

/// Rectangles of the floating windows drawn this frame (for the screenshot sidecar).
struct WindowRect {
    std::string name;
    float x = 0, y = 0, w = 0, h = 0;
};
std::vector<WindowRect>& floating_windows();
/// The title box drawn on the canvas this frame (x, y, w, h; zero when none).
std::array<float, 4>& title_rect();

}  // namespace hq::view
