#pragma once
// The viewer's planning UI (issue 6): the hooks the shared viewer files call, implemented in
// panel_plan.cpp (tools, canvas input and overlay, zone window), panel_history.cpp (Edit
// menu, History window) and file_ops.cpp (project documents, planner job, save, autosave,
// recovery, unsaved-edits questions, title).
#include <functional>
#include <string>
#include <vector>

#include "app/view/panels.hpp"

struct ImDrawList;

namespace hq::view {

// [SECTION] file_ops.cpp (controller side) and panel_file.cpp (its menu items and dialogs)
/// After a project was loaded (Controller::open_project): the document, snapping targets, recovery.
void plan_project_loaded(Controller& app, const std::string& path);
/// The recovery offer's "Recover": opens the offered recovery file (pu.recovery_target's);
/// saving then writes to the project it belongs to. Nothing when no recovery is offered.
void plan_accept_recovery(Controller& app);
/// Before Controller::open_project: true when it must wait for the unsaved-edits question.
bool plan_defer_open(Controller& app, const std::string& path);
/// File > Save: to the project's GeoPackage, or ask for a path when it has none yet.
void plan_save_or_ask(Controller& app);
/// File > Save as: asks for the .gpkg path.
void plan_save_as_prompt(Controller& app);
/// File > New plan: an empty document on the open project (asks about unsaved edits).
void plan_new(Controller& app);
/// Where Save writes (the document's .gpkg) or, before it has one, where autosave's recovery
/// file goes and what Save As suggests.
std::string plan_save_target(const Controller& app);
/// Quit requested: true when the viewer may close now (else the question is shown).
bool plan_may_quit(Controller& app);
/// "*name — huqian" for the window.
std::string plan_window_title(const Controller& app);
void draw_plan_file_items(const Model& model, UiState& ui, Controller& ctl);  ///< File menu: New plan, Save, Save as
void draw_plan_file_dialogs(const Model& model, UiState& ui, Controller& ctl);  ///< save-as path, recovery, unsaved-edits popups

// [SECTION] panel_plan.cpp
void draw_plan_panel(const Model& model, UiState& ui, Controller& ctl);  ///< sidebar section: plan mode, tools, snapping, zone list
/// Canvas input in plan mode; true when the editor owns the mouse this frame.
bool plan_canvas_input(const Model& model, UiState& ui, Controller& ctl, bool hovered);
void draw_plan_overlay(const Model& model, UiState& ui, Controller& ctl, ImDrawList* dl);
void draw_plan_windows(const Model& model, UiState& ui, Controller& ctl);  ///< the confirm-discard popup
/// The zone tab of the right-hand panel: the selected zone (or the shape being drawn), its
/// attributes and its live evaluation.
void draw_zone_tab(const Model& model, UiState& ui, Controller& ctl);

// [SECTION] panel_scenarios.cpp
/// The scenarios (list, new from the zones, compare two) and suggested sites window.
void draw_plan_scenarios(const Model& model, UiState& ui, Controller& ctl);
/// Ranked suggested sites and the change map of the comparison, on the canvas.
void draw_plan_scenario_overlay(const Model& model, UiState& ui, Controller& ctl, ImDrawList* dl);
/// The scenarios the window offers: baseline, all zones, then the document's.
std::vector<plan::Scenario> plan_scenario_choices(const plan::PlanDocument& doc);

// [SECTION] panel_history.cpp
void draw_edit_menu(const Model& model, UiState& ui, Controller& ctl);  ///< Edit menu + Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y / Ctrl+S keys
void draw_history(const Model& model, UiState& ui, Controller& ctl);

}  // namespace hq::view
