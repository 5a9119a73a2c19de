#pragma once
// The view state a planning document keeps, and the one map tool that takes clicks (issue 6
// §1: style changes and layer visibility are undoable, in the History panel, and saved in the
// project). No GL, no ImGui: tests/view/test_view_state.cpp drives it with an Controller.
//
// The map mode and style of the mode panel and the layers panel's visibility, opacity, order
// and labels are the document's key/value settings (plan::PlanDocument::settings, saved in the
// .gpkg). Panels change the UI state while the user works (a slider drags live) and, when the
// edit ends (a click, a slider released), commit the keys they own as ONE undo step. After an
// undo, a redo, a jump in the History panel or a new document, sync_view_from_document reads
// the settings back into the UI state (apply_view_settings, the one function that does).
//
// Keys (docs/viewer.md): map.mode, map.group, map.heatmap_radius, map.weights,
// map.permutations, map.alpha, map.adjust, map.variable, map.classification, map.classes,
// map.ramp, map.colour, map.date, map.glyph (pie, bar), map.other_share (%); layers.labels, layers.order; layer.KEY.visible,
// layer.KEY.opacity (KEY = the layer's key, e.g. role:units); plan.radius (the live
// evaluation's walking radius, m), plan.distance (auto, straight or network).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/view/app.hpp"

namespace hq::view {

using SettingsMap = std::map<std::string, std::string>;

inline constexpr const char* kLabelsKey = "layers.labels";
inline constexpr const char* kOrderKey = "layers.order";
inline constexpr const char* kPlanRadiusKey = "plan.radius";
inline constexpr const char* kPlanDistanceKey = "plan.distance";
/// The map extent shown when the project was saved ("minx,miny,maxx,maxy", metric CRS): not an
/// undo step, written by every save; the first view of the saved project shows it.
inline constexpr const char* kViewExtentKey = "view.extent";
inline std::string layer_visible_key(const std::string& layer) {
    return "layer." + layer + ".visible";
}
inline std::string layer_opacity_key(const std::string& layer) {
    return "layer." + layer + ".opacity";
}

/// The UI state as settings (every key above; layers: those in ui.layers).
SettingsMap view_settings(const UiState& ui, const ProjectData* data);

struct ViewChange {
    bool scene = false;   ///< a map.* value changed: the scene must be rebuilt
    bool layers = false;  ///< a layers.* / layer.* value changed: redraw
    bool planner = false; ///< a plan.* value changed: the planner must be rebuilt
};
/// Reads `settings` into `ui`. A key absent from `settings` takes its value in `baseline` (the
/// state as opened); a layer key absent from both: visible, opacity 1, and `canonical` order
/// (the layers' order as the scene builds them). Values that do not parse are ignored.
ViewChange apply_view_settings(const SettingsMap& settings, const SettingsMap& baseline, UiState& ui,
                               const ProjectData* data, const std::vector<std::string>& canonical);

/// Pushes ONE undo step named `description` setting every view key that starts with `prefix`
/// and whose UI value differs from the document's (or, absent there, the baseline's). False
/// when nothing differs (no step).
bool commit_view_settings(Controller& app, const std::string& prefix, const std::string& description);
/// The mode panel's commit: every map.* key; "Map mode" when the mode changed, else "Map style".
bool commit_map_settings(Controller& app);

/// Records the map extent on screen in the document (kViewExtentKey) before a save; nothing
/// when no canvas was laid out (tests, before the first frame).
void record_view_extent(Controller& app);
/// The extent the document was saved with (nullopt when none or malformed).
std::optional<Box> saved_view_extent(const Model& model);

/// After a project was loaded: the baseline is the UI state as it is now; the document's
/// settings are read into the view.
void view_project_loaded(Controller& app);
/// Every frame: when the document changed since the view last read it (undo, redo, History,
/// File > New), reads its settings into the view; rebuilds the scene or redraws as needed.
/// Otherwise a labels flag switched by the View menu is committed as its undo step.
void sync_view_from_document(Controller& app);
/// The layer keys of the document applied to ui.layers (Controller::sync_layers calls it when the
/// layer list changes).
void apply_layer_settings(Controller& app);

// [SECTION] The active map tool ----------------------------------------------------------------

/// What a click on the map does: measure, the plan editor (plan mode; a drawing tool or
/// select/move), or nothing special (pan, pick a unit).
enum class ActiveTool : std::uint8_t { None, Measure, Plan };
[[nodiscard]] ActiveTool active_tool(const Controller& app);
/// Measure on: a plan drawing tool falls back to Select (a shape being drawn is dropped) and
/// the plan editor leaves the map clicks to the measure tool. Off: clears the measurement.
void activate_measure(Controller& app, bool on);
/// A plan tool picked (plan mode on): the measure tool is switched off.
void activate_plan_tool(Controller& app, PlanTool tool);
/// Plan mode on or off (on: measure off, the planner is requested).
void set_plan_mode(Controller& app, bool on);
/// Once per frame, before canvas input: measure_active switched on elsewhere since the last
/// frame (View menu) counts as activate_measure(true).
void resolve_active_tool(Controller& app);

}  // namespace hq::view
