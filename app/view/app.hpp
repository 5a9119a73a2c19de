#pragma once
// The viewer's model (data, one shared selection) and UI state, and the Controller that owns them
// with the job runner and the renderer. Panels are free functions of Controller (panels.hpp), one
// file each; ImGui is called only on the main thread.
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/carto/scene.hpp"
#include "app/view/camera.hpp"
#include "app/view/community.hpp"
#include "app/view/export_dialog.hpp"
#include "app/view/file_browser.hpp"
#include "app/view/format.hpp"
#include "app/view/inspect.hpp"
#include "app/view/labels.hpp"
#include "app/view/jobs.hpp"
#include "app/view/measure.hpp"
#include "app/view/mesh.hpp"
#include "app/view/plan_tools.hpp"
#include "app/view/renderer.hpp"
#include "app/view/strings.hpp"
#include "app/view/user_settings.hpp"
#include "geo/analysis/autocorr.hpp"
#include "geo/analysis/segregation.hpp"

namespace hq::view {

/// The weights the LISA controls offer (the WeightsSpec grammar; the fallback rule applies).
inline constexpr const char* kLisaWeights[] = {"queen", "rook", "knn:6"};

struct ViewerOptions {
    std::string project;       ///< folder or vector file
    std::string screenshot;    ///< PNG path: render the first complete frame, save, exit
    int width = 1280, height = 800;
    UiLang lang = UiLang::Zh;
    std::string mode = "composition";
    int bench_frames = 0;      ///< > 0: print frame timings as JSON and exit
    std::vector<std::string> basemaps;  ///< raster basemaps to add once the project is open
    std::string community;     ///< with a PG: project: this community of the district database
    float ui_scale = 0;         ///< --ui-scale; 0: the saved one (interactive) or 1 (screenshot, bench)
    std::string settings_path;  ///< the user's viewer settings (user_settings.hpp); "" = none
    std::optional<Box> extent;          ///< --extent (WGS 84 lon/lat): the first view shows it
    bool new_project = false;           ///< --new: open File > New project at start
    std::string script;                 ///< --script FILE: actions run in the real process (script.hpp)
};

/// A loaded project with its per-unit group counts (read once, off the UI thread).
struct ProjectData {
    std::shared_ptr<const Project> project;
    const Layer* units = nullptr;   ///< the analysis layer (owned by project)
    Role units_role = Role::Units;
    std::vector<std::vector<double>> counts;  ///< [group][unit], from analysis::group_count_table
    Box extent;                                ///< metric CRS: boundary, else all layers
    std::string names_text;                    ///< every name the UI may show (glyph ranges)
    std::shared_ptr<const plan::PlanDocument> document;  ///< planning: a .gpkg project's, or its zones layer
    bool gpkg = false;                         ///< opened from a project GeoPackage
    std::string revision;                      ///< gpkg: the file's revision when opened
    /// The units × groups table as the viewer may show it (geo/privacy) and the local indices
    /// of every unit: computed once per project by the load job (inspect.hpp).
    std::shared_ptr<const privacy::ProtectedTable> protected_units;
    std::shared_ptr<const LocalIndexTable> local_indices;
};

/// The LISA of one group's share as the scatterplot and the inspector show it: a view of
/// the one result the map shows (geo/analysis, computed once by the scene job).
struct LisaView {
    std::shared_ptr<const analysis::AutocorrResult> result;
    std::string weights_used;          ///< canonical spec ("knn:6" after the fallback)
    std::pair<std::string, std::string> weights_note;  ///< zh, en ("" without a fallback)
    std::string group;
    std::vector<double> z, lag;  ///< standardised share and its spatial lag (row-standardised W)
    std::vector<Quadrant> quadrant;
    std::vector<bool> significant;
    std::vector<double> ii, ii_z, p;  ///< local Moran I_i, its z ((I_i − E)/√V) and the p the map uses
    double slope = 0;  ///< Moran's I (slope of lag on z)
    /// Units the privacy guard left out of the LISA (published-only inputs, docs/privacy.md
    /// "LISA"): no point in the scatterplot (z, lag NaN), "不公开 / withheld" in the inspector.
    std::vector<bool> withheld;
    [[nodiscard]] bool is_withheld(std::size_t u) const { return u < withheld.size() && withheld[u]; }
};

/// The inspector's LISA rows of unit `u` (I_i, z, p of `group_label`): the values, or
/// "不公开 / withheld" for a unit the guard left out. GL-free (tests/view).
std::vector<InfoRow> lisa_inspector_rows(const LisaView& lisa, std::size_t u, const std::string& group_label, UiLang lang);

/// p-values of the indices panel (single-value tests run on demand, docs/segregation-inference.md).
struct InferenceView {
    std::string group;                 ///< group column the single-group tests used
    std::string null;                  ///< PySAL null name
    std::size_t permutations = 0;
    std::vector<std::pair<std::string, double>> p;  ///< index id -> p-value (single and multi)
};

struct FileLayer {
    std::string path;
    std::shared_ptr<const Layer> layer;
    std::shared_ptr<const MeshBatch> batch;
};

struct Model {
    std::shared_ptr<const ProjectData> data;
    carto::MapRequest request;
    std::shared_ptr<const carto::Scene> scene;
    std::shared_ptr<const MapMesh> mesh;
    std::vector<FileLayer> files;
    std::set<std::uint32_t> selection;  ///< unit feature indices: the one shared selection
    std::shared_ptr<const LisaView> lisa;
    std::shared_ptr<const IndicesView> indices;
    PlanEditor plan;                               ///< planning document + undo stack (plan_tools.hpp)
    std::shared_ptr<const plan::Planner> planner;  ///< zone evaluation, built off the UI thread
    std::shared_ptr<const InferenceView> inference;
    CommunityEditor community;  ///< digitised units, boundary and counts with their undo stack (community.hpp)
};

struct LayerState {
    std::string key;
    bool visible = true;
    float opacity = 1.0f;
};

/// A window's rectangle drawn this frame (window pixels; for the screenshot sidecar).
struct WindowRect {
    std::string name;
    float x = 0, y = 0, w = 0, h = 0;
};

/// A text entry's buffer (ImGui edits char arrays in place).
using TextBuffer = std::array<char, 1024>;

enum class Mode : int { Composition, Dominant, Heatmap, Mixing, Lisa, Projects, Graduated, Single };

/// A save that met another writer's save (geo's SaveConflict): this writer's version is in
/// `saved_as`; the dialog (panel_file.cpp) asks what to do (Controller::plan_resolve_conflict).
struct SaveConflictUi {
    bool popup = false;
    std::string path;      ///< the project file the other writer saved
    std::string saved_as;  ///< this writer's version, saved beside it
    std::uint64_t revision = 0;  ///< the document revision that was saved (as saved_as)
    std::string file_revision;   ///< saved_as's revision on disk
    std::function<void()> then;  ///< what was to follow the save (quit, open...)
};
/// The choices of the save-conflict dialog.
enum class ConflictChoice : std::uint8_t {
    KeepMineAsCopy,  ///< the document goes on in saved_as (saved there); then what was to follow
    ReloadTheirs,    ///< opens path (their version); mine stays in saved_as
    Overwrite,       ///< saves mine over path regardless (the copy is removed once that worked)
};

/// Every UI-only value: the camera, layer states, panel toggles, mode controls, text buffers of
/// the dialogs, per-frame outputs of the layout (no function-local statics in app/view).
struct UiState {
    UiLang lang = UiLang::Zh;
    [[nodiscard]] const char* t(S id) const { return tr(id, lang); }
    Camera camera;
    bool fitted = false;
    std::vector<LayerState> layers;  ///< bottom to top
    bool show_labels = true;
    bool show_inspector = true, show_scatter = true, show_indices = false, show_legend = true;
    float ui_scale = 1.0f;  ///< text and widget size (Ctrl +/−; saved per user, user_settings.hpp)
    // Docked layout (layout.cpp): the splitters' positions, and a tab of the right-hand panel
    // to bring to the front once ("inspector", "plan_zone", "plan_scenarios", "indices", "history").
    float left_width = 300, right_width = 360, bottom_height = 280;
    std::string focus_tab;
    bool open_popup = false, add_popup = false;  ///< File > Open / Add layer asked: the file browser opens (dialogs.cpp)
    std::vector<std::string> errors;
    std::vector<DrawnLabel> drawn_labels;  ///< the map labels of the last frame (the screenshot sidecar lists them)
    int hovered_polygon = -1;  ///< index in scene polygons
    bool dragging = false;
    /// Zooming (wheel, +/−) until this ImGui time: the map may show a scaled preview until
    /// then, and the main loop wakes at that moment to draw it afresh.
    double zoom_settle_at = -1;
    bool zooming = false;
    bool ignore_mouse = false;  ///< screenshot / bench runs: no hover from the parked pointer
    Vec2 cursor_world;
    bool cursor_in_canvas = false;
    // Map mode controls.
    Mode mode = Mode::Composition;
    int group = 1;
    float radius_m = 80;
    int weights = 0;  ///< index in kLisaWeights
    int permutations = 999;
    std::uint64_t seed = 12345;  ///< of the permutations (the CLI's --seed)
    float alpha = 0.05f;
    int adjust = 2;   ///< 0 none, 1 bonferroni, 2 fdr
    bool all_dates = true;
    int date_day = 0;  ///< days since 1970-01-01
    int date_min = 0, date_max = 0;
    // Scatterplot brushing.
    bool brushing = false;
    Vec2 brush_start;
    double frame_ms = 0;
    PlanUi plan;  ///< planning tools, popups, autosave (plan_tools.hpp)
    // Unit styles (issue 5 §3; panel_mode.cpp): graduated and single colour.
    int variable = 0;        ///< graduated: index in carto::local_index_ids() ("share" needs the group)
    int classification = 0; ///< carto::Classification
    int classes = 5;
    std::string ramp = "viridis";  ///< graduated classes, heatmap and mixing rasters
    int glyph = 0;                 ///< composition: 0 pie, 1 stacked bar (carto::GlyphStyle)
    float other_share_pct = 3.0f;  ///< composition: groups under this % of a unit merge into "other"
    float single_color[3] = {0.55f, 0.71f, 0.84f};
    // Inspector: a venue or micro-garden project clicked on the map (feature -1 = none).
    Role inspect_role = Role::Venues;
    int inspect_feature = -1;
    // Indices panel: inference on demand.
    int inference_null = 0;  ///< index in kInferenceNulls (panel_indices.cpp)
    int inference_permutations = 199;
    // Measure tool (measure.hpp) and the basemap path entry.
    bool measure_active = false;
    MeasureState measure;
    CommunityUi community;  ///< new-project wizard, Digitise tab, roster import (panel_community.cpp)
    bool basemap_popup = false;  ///< Add basemap asked: the file browser opens (dialogs.cpp)
    ExportUi export_ui;  ///< File > Export map… (export_dialog.hpp, panel_export.cpp)
    // Files (issue 13 item 5): the one file browser of File > Open, Add layer, Add basemap,
    // Save as and the export path (file_browser.hpp); the recent projects (user settings);
    // the save-conflict dialog.
    FileBrowserState browser;
    std::vector<std::string> recent;
    SaveConflictUi conflict;
    std::array<char, 256> unit_filter{};  ///< the scenarios window's unit filter (panel_scenarios.cpp)
    // Status bar: the frame time shown (refreshed once a second) and the cursor's metric -> WGS 84
    // transformation of the open project.
    double shown_frame_ms = 0, shown_frame_at = -10;
    const Project* cursor_project = nullptr;
    std::shared_ptr<Transformer> cursor_transform;
    // Outputs of the frame being drawn: the windows' rectangles and the title box on the
    // canvas (x, y, w, h; zero when none), for the screenshot sidecar and the layout tests.
    std::vector<WindowRect> frame_windows;
    std::array<float, 4> title_rect{};
    std::array<float, 4> scale_bar_rect{};  ///< the scale bar's box (x, y, w, h) in the last frame
};

/// A GL texture the controller keeps for a panel (the export preview; main thread only).
struct TextureSlot {
    unsigned tex = 0;  ///< GLuint, 0 = none yet
    std::uint64_t generation = 0;
    int width = 0, height = 0;
};

/// Owns the model, the UI state, the job runner (every job is submitted by a member of this
/// class: JobRunner::submit is private to it) and the renderer. Panels get
/// `(const Model&, UiState&, Controller&)` and change the model only through it.
class Controller {
public:
    /// `wake` is called from job threads when a job finishes (wakes the idle main loop).
    Controller(const ViewerOptions& options, std::function<void()> wake);
    ~Controller();
    Controller(const Controller&) = delete;
    Controller& operator=(const Controller&) = delete;

    Model model;
    UiState ui;
    JobRunner jobs;
    std::shared_ptr<TessCache> tess;  ///< one per project (geometry addresses are its keys)
    MapRenderer renderer;
    TextureSlot export_preview;  ///< the export dialog's preview (panel_export.cpp)
    ViewerOptions options;

    // Requests (main thread); work runs on the job runner.
    void open_project(const std::string& path);
    void add_file(const std::string& path);
    void request_scene();
    void request_indices();
    /// p-values of the indices panel's indices for the chosen group (single-value tests).
    void request_inference(const std::string& null_name, std::size_t permutations);
    /// A raster basemap (GeoTIFF, MBTiles) warped to the metric CRS, drawn beneath the data.
    void add_basemap(const std::string& path);
    // Planning jobs (file_ops.cpp, plan_jobs.cpp) and the export dialog's (export_dialog.cpp).
    /// Builds the planner (once plan mode is used) or applies a new radius, off the UI thread.
    void plan_request_planner();
    /// Saves to `path` (.gpkg) off the UI thread; `then` runs after a successful save. A save
    /// over the document's own file that finds another writer's save there opens the
    /// save-conflict dialog (ui.conflict); `overwrite` replaces the file regardless.
    void plan_save(const std::string& path, std::function<void()> then = {}, bool overwrite = false);
    /// The save-conflict dialog's answer (ConflictChoice).
    void plan_resolve_conflict(ConflictChoice choice);
    /// A project opened (not a recovery file): first in the user's recent projects.
    void remember_project(const std::string& path);
    /// Every frame: autosave when due. Returns the seconds the idle loop may sleep.
    double plan_tick(double now_s);
    /// Suggested sites (PlanUi::suggest_k, suggest_source) / the comparison of PlanUi::compare_a
    /// and compare_b, on the job runner with the project's planner; results in PlanUi.
    void plan_request_suggest();
    /// Suggested site `rank` (0-based, SuggestView::picks) becomes a zone: one undo step of the
    /// plan document, the new zone selected; a site that is a zone already is selected. Returns
    /// the zone's id ("" when there is no such site or the zone could not be added).
    std::string plan_zone_from_site(std::size_t rank);
    void plan_request_compare();
    /// The export preview job (slot "export-preview"); the result lands in ui.export_ui.
    void request_export_preview();
    /// The export save job (slot "export-save"); "saved: PATH" or the error in export_ui.message.
    void request_export_save();

    /// Ctrl +/−: the UI scale, clamped, saved in the user's settings (not in screenshot or
    /// bench runs). An error writing the file becomes a line in the error window.
    void set_ui_scale(float scale);

    // Model changes the panels ask for (panels get the model const).
    /// The planning document and its undo stack: every edit through it is an undo step.
    PlanEditor& plan() { return model.plan; }
    // A community from nothing (community_ops.cpp, issue 16 §4).
    CommunityEditor& community() { return model.community; }
    /// Writes the wizard's project folder, opens it (with its basemap) and starts digitising.
    void community_create(const NewProjectWizard& wizard);
    /// Starts digitising the open project: its units, boundary and group columns.
    void community_start();
    /// Writes the edited units and boundary to the project folder and reopens it.
    void community_save_folder();
    /// The same, then the project saved as a GeoPackage at `path` (off the UI thread).
    void community_save_gpkg(const std::string& path);
    void clear_selection() { model.selection.clear(); }
    void select(std::uint32_t feature) { model.selection.insert(feature); }
    /// Adds the unit, or removes it when it is selected already.
    void toggle_selection(std::uint32_t feature) {
        if (!model.selection.erase(feature)) model.selection.insert(feature);
    }
    void apply_mode_from_text(const std::string& mode);
    [[nodiscard]] carto::MapRequest make_request() const;

    // State changes the main loop acts on.
    bool mesh_dirty = false;    ///< upload to the GPU
    bool fonts_dirty = false;   ///< rebuild the font atlas (new names)
    bool fit_pending = false;   ///< fit the camera once the canvas size is known
    bool quit = false;
    std::uint64_t scene_generation = 0;  ///< published scenes
    [[nodiscard]] std::vector<DrawItem> draw_items() const;
    [[nodiscard]] std::vector<const MeshBatch*> all_batches() const;
    [[nodiscard]] const char* t(S id) const { return tr(id, ui.lang); }
    [[nodiscard]] std::string group_name(std::size_t g) const;
    /// Polygon index of a unit feature in the current scene (-1 if none).
    [[nodiscard]] int polygon_of_unit(std::uint32_t feature) const;
    /// The text the glyph ranges must cover (UI strings, names, labels, legend).
    [[nodiscard]] std::string glyph_text() const;
    void sync_layers();

private:
    std::vector<int> m_unit_polygon;  ///< feature -> polygon index in the current scene
};

}  // namespace hq::view
