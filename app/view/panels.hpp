#pragma once
// The viewer's panels: one file each, each a function of the Controller (model + UI state).
#include "app/view/app.hpp"

struct ImVec2;

namespace hq::view {

/// Screen rectangles the layout hands out (window pixels).
struct Layout {
    Vec2 canvas_min, canvas_size;
    float menu_height = 0, status_height = 0, sidebar_width = 0;
};

Layout compute_layout(float window_w, float window_h);

void draw_menu(const Model& model, UiState& ui, Controller& ctl);
void draw_sidebar(const Model& model, UiState& ui, Controller& ctl, const Layout& layout);  ///< map mode, layers, legend
void draw_mode_panel(const Model& model, UiState& ui, Controller& ctl);
void draw_layers_panel(const Model& model, UiState& ui, Controller& ctl);
void draw_legend_panel(const Model& model, UiState& ui, Controller& ctl);
void draw_canvas(const Model& model, UiState& ui, Controller& ctl, const Layout& layout);
void draw_status_bar(const Model& model, UiState& ui, Controller& ctl, const Layout& layout);
void draw_inspector(const Model& model, UiState& ui, Controller& ctl, const Layout& layout);
void draw_scatter(const Model& model, UiState& ui, Controller& ctl, const Layout& layout);
void draw_indices(const Model& model, UiState& ui, Controller& ctl, const Layout& layout);
void draw_dialogs(const Model& model, UiState& ui, Controller& ctl);  ///< open / add-layer path entry, errors
void draw_export_window(const Model& model, UiState& ui, Controller& ctl);  ///< File > Export map… (panel_export.cpp)
/// A click on the map at `world` (metres per pixel `pixel_m`): the venue or micro-garden
/// project there becomes the inspector's feature (none: inspect_feature = -1).
void pick_feature_for_inspector(const Model& model, UiState& ui, Controller& ctl, Vec2 world, double pixel_m);
/// The measure tool on the canvas (panel_measure.cpp): key M toggles, clicks add points,
/// Esc clears; draws into the current window's draw list. True while the tool is active
/// (clicks then do not select).
bool update_measure(const Model& model, UiState& ui, Controller& ctl, const Layout& layout, bool hovered, bool clicked);

}  // namespace hq::view
