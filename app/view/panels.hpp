#pragma once
// The viewer's panels: one file each, each a function of the Controller (model + UI state).
#include "app/view/app.hpp"

struct ImVec2;
struct ImDrawList;

namespace hq::view {

/// Screen rectangles the layout hands out (window pixels): the map's free central area, the
/// panels docked around it (left: map mode, plan, legend, layers; right: the tabs of
/// draw_right_panel; below the map: the Moran scatterplot in LISA mode) and the splitters
/// between them. Nothing floats over the map.
struct Layout {
    Vec2 canvas_min, canvas_size;
    float menu_height = 0, status_height = 0, sidebar_width = 0;
    float right_width = 0;   ///< 0: no right-hand panel
    float bottom_height = 0; ///< 0: no panel below the map
    static constexpr float kSplitter = 6.0f;  ///< width of a splitter bar
};

/// The docked layout of a window of that size: widths from the UI state (the splitters),
/// clamped so the map keeps at least a third of the window; the right-hand panel exists when
/// one of its tabs is open, the bottom one in LISA mode with the scatterplot on.
Layout compute_layout(float window_w, float window_h, const UiState& ui);
/// The splitters between the panels and the map (drag to resize; widths saved in UiState).
void draw_splitters(UiState& ui, const Layout& layout);
/// Every panel, window and dialog of one frame, in the viewer's order (between NewFrame and
/// Render; viewer.cpp, and the GL-free words test drives the whole UI through it).
void draw_panels(const Model& model, UiState& ui, Controller& ctl, const Layout& layout);
/// The right-hand panel: inspector, zone, scenarios, indices and history as tabs.
void draw_right_panel(const Model& model, UiState& ui, Controller& ctl, const Layout& layout);
/// Inside draw_right_panel's tab bar: the tab `label` ("Text###name") while `open`; true
/// when it is the selected tab (then draw its contents and call ImGui::EndTabItem). The
/// panel's rectangle is recorded under `name`; ui.focus_tab == name selects it once.
bool begin_docked_tab(UiState& ui, const std::string& label, const char* name, bool& open);

/// Records the current ImGui window's rectangle under `name` (the screenshot sidecar's windows).
void record_window(UiState& ui, const char* name);

void draw_menu(const Model& model, UiState& ui, Controller& ctl);
void draw_sidebar(const Model& model, UiState& ui, Controller& ctl, const Layout& layout);  ///< map mode, layers, legend
void draw_mode_panel(const Model& model, UiState& ui, Controller& ctl);
void draw_layers_panel(const Model& model, UiState& ui, Controller& ctl);
void draw_legend_panel(const Model& model, UiState& ui, Controller& ctl);
void draw_canvas(const Model& model, UiState& ui, Controller& ctl, const Layout& layout);
void draw_status_bar(const Model& model, UiState& ui, Controller& ctl, const Layout& layout);
void draw_inspector(const Model& model, UiState& ui, Controller& ctl);
void draw_scatter(const Model& model, UiState& ui, Controller& ctl, const Layout& layout);  ///< below the map
void draw_indices(const Model& model, UiState& ui, Controller& ctl);
void draw_dialogs(const Model& model, UiState& ui, Controller& ctl);  ///< open / add-layer path entry, errors
void draw_export_window(const Model& model, UiState& ui, Controller& ctl);  ///< File > Export map… (panel_export.cpp)
/// A click on the map at `world` (metres per pixel `pixel_m`): the venue or micro-garden
/// project there becomes the inspector's feature (none: inspect_feature = -1).
void pick_feature_for_inspector(const Model& model, UiState& ui, Controller& ctl, Vec2 world, double pixel_m);
/// The measure tool on the canvas (panel_measure.cpp): key M toggles, clicks add points,
/// Esc clears; draws into the current window's draw list. True while the tool is active
/// (clicks then do not select).
// A community from nothing (panel_community.cpp, community.hpp): File menu items, the Digitise
// tab of the right-hand panel, the wizard and roster dialogs, and the digitising tools on the map.
void draw_community_menu_items(const Model& model, UiState& ui, Controller& ctl);
void draw_community_tab(const Model& model, UiState& ui, Controller& ctl);
void draw_community_dialogs(const Model& model, UiState& ui, Controller& ctl);
/// True when the digitising tools take the mouse (the canvas must not pan or select).
bool community_canvas_input(const Model& model, UiState& ui, Controller& ctl, bool hovered);
void draw_community_overlay(const Model& model, UiState& ui, Controller& ctl, ImDrawList* dl);
bool update_measure(const Model& model, UiState& ui, Controller& ctl, const Layout& layout, bool hovered, bool clicked);

}  // namespace hq::view
