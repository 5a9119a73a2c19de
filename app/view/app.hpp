#pragma once
// The viewer's model (data, one shared selection) and UI state, and the App that owns them
// with the job runner and the renderer. Panels are free functions of App (panels.hpp), one
// file each; ImGui is called only on the main thread.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/carto/scene.hpp"
#include "app/view/camera.hpp"
#include "app/view/export_dialog.hpp"
#include "app/view/format.hpp"
#include "app/view/jobs.hpp"
#include "app/view/measure.hpp"
#include "app/view/mesh.hpp"
#include "app/view/plan_tools.hpp"
#include "app/view/renderer.hpp"
#include "app/view/strings.hpp"
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
    std::optional<Box> extent;          ///< --extent (WGS 84 lon/lat): the first view shows it
};

/// A loaded project with its per-unit group counts (read once, off the UI thread).
struct ProjectData {
    std::shared_ptr<const Project> project;
    const Layer* units = nullptr;   ///< the analysis layer (owned by project)
    Role units_role = Role::Units;
    std::vector<std::vector<double>> counts;  ///< [group][unit]
    std::vector<double> totals;                ///< per unit, sum of the groups
    Box extent;                                ///< metric CRS: boundary, else all layers
    std::string names_text;                    ///< every name the UI may show (glyph ranges)
    std::shared_ptr<const plan::PlanDocument> document;  ///< planning: a .gpkg project's, or its zones layer
    bool gpkg = false;                         ///< opened from a project GeoPackage
    std::string revision;                      ///< gpkg: the file's revision when opened
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
};

struct IndicesView {
    std::string group;
    std::size_t group_index = 0;
    std::vector<seg::IndexValue> single;
    std::vector<seg::IndexValue> multi;
};

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
};

struct LayerState {
    std::string key;
    bool visible = true;
    float opacity = 1.0f;
};

enum class Mode : int { Composition, Dominant, Heatmap, Mixing, Lisa, Projects, Graduated, Single };

struct UiState {
    UiLang lang = UiLang::Zh;
    Camera camera;
    bool fitted = false;
    std::vector<LayerState> layers;  ///< bottom to top
    bool show_labels = true;
    bool show_inspector = true, show_scatter = true, show_indices = false, show_legend = true;
    bool open_popup = false, add_popup = false;
    std::string path_input;
    std::vector<std::string> errors;
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
    bool basemap_popup = false;
    ExportUi export_ui;  ///< File > Export map… (export_dialog.hpp, panel_export.cpp)
};

class App {
public:
    /// `wake` is called from job threads when a job finishes (wakes the idle main loop).
    App(const ViewerOptions& options, std::function<void()> wake);
    ~App();
    App(const App&) = delete;
    App& operator=(const App&) = delete;

    Model model;
    UiState ui;
    JobRunner jobs;
    std::shared_ptr<TessCache> tess;  ///< one per project (geometry addresses are its keys)
    MapRenderer renderer;
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
