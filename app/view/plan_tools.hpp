#pragma once
// The viewer's planning tools without GL (issue 6 §1–§3): the planning document with its undo
// stack (geo/project/undo.hpp), the drawing tools as a state machine fed with map coordinates
// (metres) and the current metres-per-pixel (so every tolerance is in screen pixels), the
// bilingual history labels, the autosave timer and the window title. The canvas
// (panel_plan.cpp) turns mouse and keys into these calls and draws what the editor says;
// tests/view/test_view_plan.cpp drives it directly.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "app/view/strings.hpp"
#include "geo/analysis/planning.hpp"
#include "geo/project/edit.hpp"
#include "geo/project/project.hpp"
#include "geo/project/undo.hpp"

namespace hq::view {

struct ReachView;  // inspect.hpp

enum class PlanTool : std::uint8_t { Select, Polygon, Rectangle, Circle, Buffer };

/// What Esc did (the UI shows the confirmation popup on NeedsConfirmation).
enum class PlanEscape : std::uint8_t { Nothing, CancelledDrag, CancelledShape, NeedsConfirmation, Deselected };

/// The zones of a project's zones layer as a planning document (empty when there is none or
/// it cannot be read; the reason goes to `warnings`).
plan::PlanDocument document_from_project(const Project& project, std::vector<std::string>* warnings = nullptr);

/// What differs between the document as saved and as it is: zones and scenarios added,
/// edited (any attribute or the geometry) or deleted, matched by id / name.
struct UnsavedChanges {
    int zones_added = 0, zones_edited = 0, zones_deleted = 0;
    int scenarios_added = 0, scenarios_edited = 0, scenarios_deleted = 0;
    bool recovered = false;  ///< the document came from a recovery file and is not saved yet
    [[nodiscard]] bool any() const {
        return recovered || zones_added || zones_edited || zones_deleted || scenarios_added || scenarios_edited ||
               scenarios_deleted;
    }
};
UnsavedChanges unsaved_changes(const plan::PlanDocument& saved, const plan::PlanDocument& now);
/// "2 zones edited, 1 scenario added" / "编辑了 2 个分区，新增 1 个情景" ("" when nothing).
std::string describe_unsaved(const UnsavedChanges& c, UiLang lang);

class PlanEditor {
public:
    PlanEditor() = default;
    // Commands on the undo stack refer to m_doc: the editor never moves.
    PlanEditor(const PlanEditor&) = delete;
    PlanEditor& operator=(const PlanEditor&) = delete;

    // [SECTION] Document ------------------------------------------------------------------
    /// Replaces the document (project opened, File > New): clears the undo stack, the
    /// selection and any drawing; the state is "saved" unless `recovered`.
    void reset(plan::PlanDocument doc, std::string path, bool recovered = false);
    [[nodiscard]] const plan::PlanDocument& doc() const { return m_doc; }
    [[nodiscard]] const UndoStack& undo_stack() const { return m_undo; }
    /// The project GeoPackage the document is saved to ("" = not saved yet).
    [[nodiscard]] const std::string& path() const { return m_path; }
    /// Unsaved PLAN edits: zones or scenarios differ from the state opened or last saved (or
    /// the document was recovered). View settings (map mode, styles, layers; the document's
    /// settings) are saved with the project but are not plan edits: changing them alone marks
    /// nothing unsaved, writes no recovery file and asks nothing at quit (issue 13 item 5).
    [[nodiscard]] bool modified() const;
    /// What is unsaved, for the quit / open / new question (unsaved_changes below).
    [[nodiscard]] UnsavedChanges unsaved() const;
    /// The view settings differ from the state opened or last saved (a save would write them).
    [[nodiscard]] bool view_modified() const { return m_doc.settings != m_saved.settings; }
    /// After a save of the state at `revision` to `path`: not modified any more when nothing
    /// changed since (the save ran off the UI thread).
    void mark_saved(const std::string& path, std::uint64_t revision);
    /// The revision of path() on disk the document was opened at or last saved as; a save
    /// to path() requires it (geo/project/gpkg_project.hpp). nullopt: not known (a new or
    /// recovered document), the save replaces the file. reset() clears it.
    [[nodiscard]] const std::optional<std::string>& file_revision() const { return m_file_revision; }
    void set_file_revision(std::optional<std::string> r) { m_file_revision = std::move(r); }
    /// Changes with every edit, undo, redo and reset (cache key for drawing and evaluation).
    [[nodiscard]] std::uint64_t revision() const { return m_undo.revision() + m_resets * 1000003ULL; }

    // [SECTION] Settings -------------------------------------------------------------------
    [[nodiscard]] PlanTool tool() const { return m_tool; }
    /// Switches the tool; a shape being drawn is dropped, a drag is finished.
    void set_tool(PlanTool t);
    bool snap = true;
    double snap_px = 10.0;        ///< snapping tolerance in pixels
    double hit_px = 7.0;          ///< vertex / edge grab tolerance in pixels
    double circle_radius_m = 60.0;
    double buffer_m = 50.0;
    plan::ZoneKind new_kind = plan::ZoneKind::SharedActivityVenue;
    /// Snapping targets: courtyard and building geometries (metric).
    void set_snap_targets(std::vector<Geometry> targets);
    /// Buffer targets: venues (points, picked within hit_px) and courtyards (picked inside).
    void set_buffer_targets(std::vector<Geometry> venues, std::vector<Geometry> courtyards);

    // [SECTION] Input (map coordinates; mpp = metres per pixel) ----------------------------
    /// Left button down. True when the editor takes the press (the canvas must not pan).
    bool press(Vec2 w, double mpp, bool double_click = false);
    /// Mouse moved with the button held (after a taken press).
    void drag(Vec2 w, double mpp);
    /// Button released (after a taken press).
    void release(Vec2 w, double mpp);
    /// Cursor moved (rubber band, hovered vertex, snapping hint).
    void hover(Vec2 w, double mpp);
    /// Right click: deletes the vertex of the selected zone under the cursor. True if taken.
    bool right_click(Vec2 w, double mpp);
    /// Enter: finishes the polygon (true when a zone was created).
    bool key_enter();
    /// Backspace: removes the polygon's last vertex.
    bool key_backspace();
    PlanEscape key_escape();
    /// Delete: the hovered vertex of the selected zone, else the selected zone.
    bool key_delete();
    /// Answers to the "discard the polygon?" question.
    void confirm_discard();
    void keep_drawing();

    // [SECTION] Edits through the undo stack ----------------------------------------------
    /// Adds a zone with the next id, the default kind and status "proposed"; selects it.
    std::string create_zone(Geometry g);
    bool delete_selected();
    /// One attribute change (the description names the field: one step in the history).
    bool set_attributes(const plan::Zone& values, const std::string& description);
    /// Adds or replaces a scenario (nullopt value: removes it); one undo step ("" description:
    /// "Edit scenario NAME" / "Delete scenario NAME").
    bool set_scenario(const std::string& name, std::optional<plan::Scenario> value, const std::string& description = {});
    /// Sets (nullopt: removes) document settings, all in ONE undo step named `description`
    /// (view state: styles, layer visibility; view_state.hpp). False when `changes` is empty.
    bool set_settings(const std::vector<std::pair<std::string, std::optional<std::string>>>& changes,
                      const std::string& description);
    /// Sets a view setting that is no undo step (the map extent, written when saving; view_state.hpp).
    void set_setting_quietly(const std::string& key, std::string value) { m_doc.settings[key] = std::move(value); }
    /// Replaces an invalid zone's geometry with its repair (InputError when nothing is left).
    bool repair_selected();
    bool undo();
    bool redo();
    /// Undoes or redoes to `position` steps applied (History panel).
    bool jump_to(std::size_t position);
    /// Error of the last action that failed (e.g. a vertex that cannot be deleted); cleared by take.
    std::string take_error();

    // [SECTION] Queries -------------------------------------------------------------------
    [[nodiscard]] const std::string& selected() const { return m_selected; }
    void select(const std::string& id);
    [[nodiscard]] const plan::Zone* selected_zone() const { return m_doc.find_zone(m_selected); }
    /// The topmost zone containing w (or with its outline within hit_px); "" if none.
    [[nodiscard]] std::string zone_at(Vec2 w, double mpp) const;
    /// The shape being drawn, closed (a polygon with >= 3 vertices, the rubber-band
    /// rectangle or circle); nullopt when none.
    [[nodiscard]] std::optional<Geometry> preview() const;
    [[nodiscard]] const std::vector<Vec2>& polygon_vertices() const { return m_polygon.vertices(); }
    [[nodiscard]] bool confirming() const { return m_polygon.needs_confirmation(); }
    [[nodiscard]] bool drawing() const { return m_polygon.drawing() || m_anchor.has_value(); }
    [[nodiscard]] bool dragging() const { return m_drag != Drag::None; }
    /// The (snapped) cursor position and what it snapped to.
    [[nodiscard]] Vec2 cursor() const { return m_cursor; }
    [[nodiscard]] const std::optional<edit::SnapResult>& snap_hint() const { return m_snap_hint; }
    [[nodiscard]] const std::optional<edit::VertexRef>& hot_vertex() const { return m_hot_vertex; }
    /// GEOS validity of a zone ("" reason when valid), cached per revision.
    [[nodiscard]] Validity validity(const std::string& id) const;

private:
    enum class Drag : std::uint8_t { None, Move, Vertex, Shape };
    Vec2 snapped(Vec2 w, double mpp);
    void finish_drag();
    std::optional<Geometry> shape_from(Vec2 a, Vec2 b, double mpp, bool click) const;

    plan::PlanDocument m_doc;
    UndoStack m_undo;
    std::string m_path;
    std::optional<std::string> m_file_revision;
    plan::PlanDocument m_saved;  ///< the document as opened or last saved (modified(), unsaved())
    mutable std::uint64_t m_modified_rev = ~0ULL;
    mutable bool m_modified_cache = false;
    bool m_recovered = false;
    std::uint64_t m_resets = 0;
    PlanTool m_tool = PlanTool::Select;
    std::string m_selected;
    edit::PolygonDrawing m_polygon;
    std::optional<Vec2> m_anchor;  ///< rectangle corner / circle centre
    Vec2 m_cursor;
    std::optional<edit::SnapResult> m_snap_hint;
    std::optional<edit::VertexRef> m_hot_vertex;
    edit::Snapper m_snapper;
    std::vector<Geometry> m_venues, m_courtyards;
    Drag m_drag = Drag::None;
    Vec2 m_drag_origin;
    Geometry m_drag_base;
    edit::VertexRef m_drag_vertex;
    bool m_drag_moved = false;
    std::string m_error;
    mutable std::uint64_t m_validity_rev = ~0ULL;
    mutable std::vector<std::pair<std::string, Validity>> m_validity;
};

// [SECTION] Labels, autosave, title ----------------------------------------------------------

/// An undo-step description (geo's English) in the UI language: the known English phrases
/// of the strings table (HistCreateZone ... and the attribute names) become Chinese.
std::string history_label(const std::string& description, UiLang lang);

/// The description of an attribute change of one field ("Edit zone attributes: Status").
std::string attribute_description(S field);

/// Autosave every `interval` seconds while there are unsaved edits: due when the oldest
/// edit not yet in the recovery file is at least `interval` old.
class AutosaveTimer {
public:
    double interval_s = 30.0;
    /// Call every frame; true when an autosave should start now.
    bool due(double now_s, bool modified, std::uint64_t revision);
    /// An autosave of `revision` finished.
    void saved(std::uint64_t revision) { m_saved_revision = revision; m_pending_since.reset(); }
    /// Seconds until due() becomes true (a large number when nothing is pending).
    [[nodiscard]] double wait_s(double now_s) const;
    void reset(std::uint64_t revision) { m_saved_revision = revision; m_pending_since.reset(); }

private:
    std::optional<std::uint64_t> m_saved_revision;
    std::optional<double> m_pending_since;
};

/// "*name — app title" ("*" when modified); name = the .gpkg file name, else the project name,
/// else "untitled".
std::string window_title(const std::string& app_title, const std::string& project_name, const std::string& path,
                         bool modified, UiLang lang);

/// `text` with "{1}", "{2}", ... replaced by args[0], args[1], ... (the bilingual messages of
/// the strings table put their values in different orders).
std::string fill(const char* text, const std::vector<std::string>& args);

// [SECTION] Household moves (scenarios window) --------------------------------------------------

/// What the scenarios window checks a scenario's household moves against: the project's
/// counts per group and unit, the unit ids, and per group the names a move may use (column,
/// English, Chinese) and the name shown.
/// The counts and unit ids are views of the project's data (no copy per frame): they must
/// outlive the context.
struct MoveContext {
    std::span<const std::vector<double>> counts;     ///< [group][unit]
    std::span<const std::string> unit_ids;
    std::vector<std::vector<std::string>> group_keys;
    std::vector<std::string> group_names;            ///< shown in messages
    /// The protected units × groups table of `counts` (the viewer's guard; nullptr = none):
    /// with its guard on no count that it withholds is printed (check_moves refuses a move of
    /// too many without the count, as geo's apply_moves does; residents_before_move_text).
    const privacy::ProtectedTable* cells = nullptr;
};
/// Residents of group `group` in unit `unit` after moves [0, upto) have been applied (moves
/// naming unknown groups or units are skipped); NaN for an unknown group or unit.
double residents_before_move(const MoveContext& c, const std::vector<plan::HouseholdMove>& moves, std::size_t upto,
                             const std::string& group, const std::string& unit);
/// residents_before_move as the move form prints it: the count when the unit's cell is
/// published (or there is no guard), else the cell as its table prints it ("<5", "x") and
/// the public change of the earlier moves ("x +6"); "—" for an unknown group or unit.
std::string residents_before_move_text(const MoveContext& c, const std::vector<plan::HouseholdMove>& moves,
                                       std::size_t upto, const std::string& group, const std::string& unit);
/// The first problem of a list of moves applied in order, as a message in `lang` ("Move 2:
/// ..."): an unknown group or unit, from and to the same unit, a count that is not a positive
/// whole number, more residents than the from-unit has of that group at that point. "" when
/// every move is valid (then geo's apply_moves accepts the list too).
std::string check_moves(const MoveContext& c, const std::vector<plan::HouseholdMove>& moves, UiLang lang);

/// A zone's label on the map in plan mode (the scene labels the zones in the other modes the
/// same way): its name in the UI language, else the other name, else its id, at a point on
/// its surface (metric).
struct ZoneLabel {
    std::string id, text;
    Vec2 at;
};
std::vector<ZoneLabel> zone_labels(const plan::PlanDocument& doc, UiLang lang);

/// Suggested sites (issue 6 §5), for the Scenarios window and the map.
struct SuggestView {
    std::string source;            ///< "units", "venues" or "zones"
    std::size_t k = 0;
    double radius = 0;
    bool exact = false;
    double objective = 0, total_weight = 0;
    /// Under the guard the weights come from the published estimate (plan::CoverageProblem):
    /// the numbers print "≈" with `note` (analysis::suggest_estimate_note).
    bool estimated = false;
    double filled_share = 0;
    privacy::EstimateNote note;
    struct Pick {
        std::string label;
        Vec2 point;                ///< metric, where the map draws its rank
        double marginal = 0, cumulative = 0;
        /// The zone "Make zone" adds (Controller::plan_zone_from_site): the courtyard's polygon,
        /// else the buffer of the venue or point at the editor's buffer distance; empty for a
        /// candidate that is a zone already (zone_id).
        Geometry zone;
        std::string zone_id;
    };
    std::vector<Pick> picks;       ///< ranked
};

/// Two scenarios compared against the baseline (issue 6 §4).
struct CompareView {
    std::vector<plan::ScenarioResult> results;  ///< as compare_scenarios returns them
};

/// The planning part of the UI state (UiState::plan): mode, popups, the autosave timer and the
/// live evaluation cache. Plain data; the panels in panel_plan.cpp / file_ops.cpp act on it.
/// The zone window's text fields (ImGui edits them in place), refreshed from the zone when
/// another zone is selected or the document changed.
struct AttrBuffers {
    std::string zone;
    std::uint64_t revision = ~0ULL;
    char name_zh[256]{}, name_en[256]{}, status[128]{}, owner[256]{}, budget[64]{}, start[32]{}, end[32]{};
    char notes[2048]{};
};

struct PlanUi {
    AttrBuffers attr_buffers;  ///< the zone window's fields (panel_plan.cpp)
    bool active = false;            ///< plan mode: zones drawn, canvas input goes to the editor first
    bool owns_mouse = false;        ///< the editor took the current press (no pan, no unit pick)
    bool show_zone = true, show_history = false;
    float radius_m = 300.0f;        ///< walking radius of the live evaluation
    AutosaveTimer autosave;
    std::uint64_t autosave_started = 0;  ///< revision being autosaved
    bool confirm_discard_popup = false;  ///< "discard the polygon being drawn?"
    bool save_as_popup = false;
    std::string save_path_input;
    bool recovery_popup = false;
    std::string recovery_target;    ///< project file whose newer recovery file is offered
    std::string recovering;         ///< project file a recovery being opened will be saved to
    bool unsaved_popup = false;
    std::function<void()> after_unsaved;  ///< run once the user saved or discarded the edits
    bool quit_confirmed = false;
    std::string open_confirmed;     ///< path whose open was confirmed (open_project asks no more)
    bool planner_requested = false;
    std::string planner_error;
    // Live evaluation cache (recomputed when the evaluated geometry or the planner changes).
    const plan::Planner* eval_planner = nullptr;
    Geometry eval_geometry;
    std::optional<plan::ZoneEvaluation> eval;
    double eval_ms = 0;
    // The document's zones, evaluated (the zone panel protects the shown zone together with
    // them: inspect.hpp, zone_panel_reach), and the panel's numbers; recomputed when the
    // planner, the document or the live evaluation changes.
    const plan::Planner* zone_evals_planner = nullptr;
    std::uint64_t zone_evals_revision = 0;
    std::vector<plan::ZoneEvaluation> zone_evals;
    std::shared_ptr<const ReachView> reach;
    std::string status;             ///< last save / autosave message
    // Scenarios and suggestions (panel_scenarios.cpp).
    bool show_scenarios = false;
    int suggest_k = 3;
    int suggest_source = 0;         ///< 0 courtyards, 1 venues, 2 zones
    std::shared_ptr<const SuggestView> suggestions;
    int compare_a = 0, compare_b = 1;  ///< indices in the scenario list (baseline, all zones, document's)
    int compare_permutations = 0;
    std::shared_ptr<const CompareView> comparison;
    bool show_change_map = true;
    std::string select_on_load;     ///< zone id to select once the project is loaded (--mode zones:ID)
    // Straight-line or network distance for the live evaluation (Auto: network when the
    // project has streets); the network choice is offered only when it has street lines.
    plan::DistanceMode distance = plan::DistanceMode::Auto;
    bool streets_available = false;
    // Save target of a project that is no GeoPackage yet (DIR.gpkg for a folder DIR): what
    // Save As suggests and where autosave's recovery file goes; Save never writes it unasked.
    std::string default_target;
    bool recovery_is_project = false;  ///< the offered recovery file belongs to the open .gpkg itself
    // View state in the document (view_state.hpp): the state as opened (keys absent from the
    // document's settings take these values) and the document revision last read into the view.
    std::map<std::string, std::string> view_baseline;
    std::uint64_t view_synced = ~0ULL;
    bool measure_seen = false;      ///< UiState::measure_active last frame (view_state.hpp)
    // Household move being added or edited in the scenarios window.
    std::string move_scenario;      ///< scenario name ("" = no form open)
    int move_index = -1;            ///< move being edited; -1 = a new move
    int move_group = 0;
    std::string move_from, move_to;
    int move_count = 1;
    // The zone tab: the zone it last showed, and whether a shape was being drawn (a newly
    // selected zone or a new shape brings the tab to the front).
    std::string zone_window_for;
    bool was_drawing = false;
    // Zone catchments on demand (Layers panel): the scene draws every zone's catchment as the
    // planner computes it, in every map mode; the planner the shown scene used (nullptr: none).
    bool show_catchments = false;
    const plan::Planner* catchments_planner = nullptr;
};

}  // namespace hq::view
