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

// [SECTION] file_ops.cpp
/// After a project was loaded (App::open_project): the document, snapping targets, recovery.
void plan_project_loaded(App& app, const std::string& path);
/// Before App::open_project: true when it must wait for the unsaved-edits question.
bool plan_defer_open(App& app, const std::string& path);
/// Builds the planner (once plan mode is used) or applies a new radius, off the UI thread.
void plan_request_planner(App& app);
/// Saves to `path` (.gpkg) off the UI thread; `then` runs after a successful save.
void plan_save(App& app, const std::string& path, std::function<void()> then = {});
/// File > Save: to the project's GeoPackage, or ask for a path when it has none yet.
void plan_save_or_ask(App& app);
/// File > Save as: asks for the .gpkg path.
void plan_save_as_prompt(App& app);
/// File > New plan: an empty document on the open project (asks about unsaved edits).
void plan_new(App& app);
/// Every frame: autosave when due. Returns the seconds the idle loop may sleep.
double plan_tick(App& app, double now_s);
/// Quit requested: true when the viewer may close now (else the question is shown).
bool plan_may_quit(App& app);
/// "*name — huqian" for the window.
std::string plan_window_title(const App& app);
void draw_plan_file_items(App& app);  ///< File menu: New plan, Save, Save as
void draw_plan_file_dialogs(App& app);  ///< save-as path, recovery, unsaved-edits popups

// [SECTION] panel_plan.cpp
void draw_plan_panel(App& app);  ///< sidebar section: plan mode, tools, snapping, zone list
/// Canvas input in plan mode; true when the editor owns the mouse this frame.
bool plan_canvas_input(App& app, bool hovered);
void draw_plan_overlay(App& app, ImDrawList* dl);
void draw_plan_windows(App& app, const Layout& layout);  ///< zone window, confirm popup

// [SECTION] panel_scenarios.cpp
/// The scenarios (list, new from the zones, compare two) and suggested sites window.
void draw_plan_scenarios(App& app, const Layout& layout);
/// Ranked suggested sites and the change map of the comparison, on the canvas.
void draw_plan_scenario_overlay(App& app, ImDrawList* dl);
/// Suggested sites (PlanUi::suggest_k, suggest_source) / the comparison of PlanUi::compare_a
/// and compare_b, on the job runner with the project's planner; results in PlanUi.
void plan_request_suggest(App& app);
void plan_request_compare(App& app);
/// The scenarios the window offers: baseline, all zones, then the document's.
std::vector<plan::Scenario> plan_scenario_choices(const plan::PlanDocument& doc);

// [SECTION] panel_history.cpp
void draw_edit_menu(App& app);  ///< Edit menu + Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y / Ctrl+S keys
void draw_history(App& app, const Layout& layout);

}  // namespace hq::view
