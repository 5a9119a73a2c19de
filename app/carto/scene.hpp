#pragma once
// One backend-neutral description of a map. Built from the project and an analysis
// request by build_scene(); drawn by the viewer (OpenGL, app/view) and by the exporter
// (cairo, app/export) from the same values, so what planners approve is what prints.
//
// Coordinates are the project's metric CRS (metres; planar data: as given), drawn with
// equal x/y scale. Sizes in *_px are screen/print pixels at 96 dpi ("CSS pixels"); the
// exporter scales them by dpi/96 so a map looks the same on screen and on paper.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "geo/analysis/autocorr.hpp"
#include "geo/geometry/grid.hpp"
#include "geo/geometry/types.hpp"
#include "geo/io/layer.hpp"
#include "geo/analysis/surfaces.hpp"
#include "geo/privacy/disclosure.hpp"
#include "geo/project/project.hpp"

namespace hq::carto {

// [SECTION] Basics ---------------------------------------------------------------------

struct Color {
    float r = 0, g = 0, b = 0, a = 1;  ///< 0..1, not premultiplied
    static Color rgb(int r8, int g8, int b8, float a = 1.0f) {
        return {static_cast<float>(r8) / 255.0f, static_cast<float>(g8) / 255.0f, static_cast<float>(b8) / 255.0f, a};
    }
    /// "#rrggbb" or "#rrggbbaa"; black on a malformed string.
    static Color hex(const std::string& s);
    [[nodiscard]] std::string to_hex() const;  ///< "#rrggbb"
    friend bool operator==(const Color&, const Color&) = default;
};

enum class Lang : std::uint8_t { Zh, En, Both };
/// Picks the text for a language; Both gives "中文 / English" (or one if they are equal).
std::string pick(Lang lang, const std::string& zh, const std::string& en);
std::optional<Lang> lang_from_name(const std::string& s);  ///< "zh", "en", "both"

// [SECTION] What to show -----------------------------------------------------------------

enum class MapKind : std::uint8_t {
    Composition,  ///< pie glyph of group shares per unit over a light fill
    Dominant,     ///< unit filled by its largest group's colour
    Heatmap,      ///< KDE of one group (raster overlay) over the units
    Mixing,       ///< local mixing surface (entropy / Simpson) of the smoothed counts
    Lisa,         ///< LISA cluster map of a group's share (GeoDa colours)
    Index,        ///< a local index per unit, graduated
    Zones,        ///< intervention zones with their catchments
    Projects,     ///< micro-garden projects by status
};

enum class Classification : std::uint8_t { Quantile, EqualInterval, NaturalBreaks, StdDev };

/// The composition glyph drawn per unit.
enum class GlyphStyle : std::uint8_t {
    Pie,  ///< a pie of group shares, area ∝ residents
    Bar,  ///< a vertical stacked bar of group shares (largest at the bottom), height ∝ √residents
};
const char* glyph_style_name(GlyphStyle g);  ///< "pie", "bar"
std::optional<GlyphStyle> glyph_style_from_name(const std::string& name);

/// The most raster cells a heatmap or mixing map computes along the longer side of its extent:
/// a finer requested cell is coarsened to fit (the subtitle says the cell used).
inline constexpr double kMapRasterSide = 4096;

struct MapRequest {
    MapKind kind = MapKind::Dominant;
    std::string group;     ///< group column (or its en/zh name) for Heatmap, Lisa, Index
    std::string index_id;  ///< local index id for Index (e.g. "multi_local_entropy")
    Lang lang = Lang::Zh;
    std::string title;     ///< "" = a default title for the kind
    // Analysis parameters (defaults are the documented ones).
    double heatmap_radius_m = 80;
    double heatmap_pixel_m = 2;
    /// At most this many raster cells along the longer side (a finer cell is coarsened).
    double max_raster_side = kMapRasterSide;
    std::string weights = "queen";
    int permutations = 999;
    std::uint64_t seed = 12345;
    double alpha = 0.05;
    std::string adjust = "fdr";  ///< none | bonferroni | fdr
    Classification classification = Classification::Quantile;
    int classes = 5;
    std::string ramp = "viridis";
    std::string date;            ///< Projects: show those active at this ISO date ("" = all)
    // Composition: pie or stacked bar; groups whose share in a unit is below other_share are
    // merged into one grey "other" slice (0 = never merge).
    GlyphStyle glyph = GlyphStyle::Pie;
    double other_share = 0.03;
    // Privacy guard (on by default, geo/privacy and docs/privacy.md): counts 0..k−1 print
    // as "<k"; units with fewer than k residents show no shares (hatched); maps of one group
    // with fewer than k residents are refused.
    bool privacy_guard = true;
    int privacy_k = 5;
    /// Intervention zones over any map kind (outlined, tinted, labelled, one legend line):
    /// SceneResults::zones when given (the viewer's plan), else the project's zones layer.
    bool zones_overlay = false;
    /// The overlay zones' catchments (OverlayZone::catchment: the units each zone reaches, as
    /// the planner computes them), drawn even when zones_overlay is off (the viewer's plan
    /// mode draws the zones itself).
    bool zone_catchments = false;
};

/// "composition", "dominant", "heatmap:GROUP", "mixing", "lisa:GROUP", "index:ID",
/// "zones", "projects" -> kind (+ group / index id). Throws InputError otherwise.
MapRequest parse_map_kind(const std::string& text);

// [SECTION] The scene ---------------------------------------------------------------------

struct FillPolygon {
    const Geometry* geometry = nullptr;  ///< metric CRS; owned by Scene::project
    Color fill;
    Color stroke;
    float stroke_px = 0.5f;
    bool hatched = false;  ///< privacy-suppressed or no data: drawn with diagonal hatching
    Role role = Role::Units;
    std::uint32_t feature = 0;  ///< index in its layer (for picking and linking)
};

struct LineFeature {
    const Geometry* geometry = nullptr;
    Color color;
    float width_px = 1.0f;
    bool dashed = false;
};

enum class Shape : std::uint8_t { Circle, Square, Triangle, Diamond, Star };

struct PointSymbol {
    Vec2 position;
    Color fill;
    Color stroke;
    float radius_px = 3.0f;
    Shape shape = Shape::Circle;
    Role role = Role::Venues;
    std::uint32_t feature = 0;
};

struct PieGlyph {
    Vec2 center;
    float radius_px = 10.0f;  ///< pie radius; a bar is 2r tall and r wide
    GlyphStyle style = GlyphStyle::Pie;
    std::vector<std::pair<float, Color>> slices;  ///< shares summing to 1, in drawing order
    std::uint32_t feature = 0;
};

struct Label {
    Vec2 anchor;        ///< metric CRS
    std::string text;   ///< UTF-8, already in the chosen language
    float size_pt = 8;
    Color color;
    Color halo = Color::rgb(255, 255, 255, 0.85f);
    int priority = 0;   ///< higher wins when labels would overlap
    double rank = 0;    ///< within a priority, larger wins (a unit's area: big courtyards keep their names)
};

/// A raster over the map (heatmap), already coloured.
struct RasterOverlay {
    Box extent;  ///< metric CRS, outer edges of the cells
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgba;  ///< row-major from the top row, 4 bytes per cell
    float opacity = 0.75f;
    std::shared_ptr<const Grid> values;  ///< the geo/analysis surface the colours show
    Box request_extent;                  ///< the extent the surface was requested on
    // The colours' ramp `ramp` spans lo..hi of `values` (a GeoTIFF hand-off is styled like
    // the map); with fade_low, values at lo are transparent, fading in over the lowest 8 %.
    double lo = 0, hi = 0;
    std::string ramp;
    bool fade_low = false;
    std::string unit;  ///< of the values, in the chosen language
};

/// The styling of one layer as data: which attribute is classified, the classes with their
/// colours, and each feature's value. The map's fills come from the same classes; a GIS
/// hand-off (QGIS styles, docs/export.md) writes them as a renderer.
struct ThematicClass {
    std::string value;            ///< Categorized: the value as text ("" = null: the hatched class)
    double lower = 0, upper = 0;  ///< Graduated: values in (lower, upper], the first class also lower
    std::string label;            ///< in the chosen language
    Color color;
    bool hatched = false;         ///< privacy-suppressed or no data
    float radius_px = 0;          ///< points: the symbol's radius (0 = the thematic's)
};

struct Thematic {
    enum class Renderer : std::uint8_t { Single, Categorized, Graduated };
    Renderer renderer = Renderer::Single;
    Role role = Role::Units;
    std::string field;              ///< the attribute classified ("" for Single)
    FieldType type = FieldType::String;
    std::vector<Value> values;      ///< per feature of the role's layer (null = hatched)
    std::vector<ThematicClass> classes;
    Color fill;                     ///< Single: the fill
    Color stroke;
    float stroke_px = 0.6f;
    bool dashed = false;            ///< lines
    float radius_px = 3.0f;         ///< points
};

struct LegendItem {
    enum class Kind : std::uint8_t { Header, Swatch, Hatch, Line, Point, Ramp };
    Kind kind = Kind::Swatch;
    std::string label;           ///< in the chosen language
    Color color;
    Shape shape = Shape::Circle; ///< for Point
    std::vector<Color> ramp;     ///< for Ramp: stops, low to high
    std::string ramp_low, ramp_high, ramp_unit;  ///< for Ramp
};

/// The note of an illustrative project, in both languages on every map (a stamp for every
/// reader of an export); the viewer shows it in the UI language instead.
inline constexpr const char* kIllustrativeNote = "示意数据，非实测 / Illustrative data, not surveyed";

/// A zone the overlay draws that the project does not hold (the viewer's plan being edited).
struct OverlayZone {
    Geometry geometry;  ///< metric CRS
    std::string id, name_zh, name_en;
    /// The zone's catchment: weight in [0, 1] of every unit of analysis::units_layer (the
    /// planner's plan::Catchment::weight); empty when not computed.
    std::vector<double> catchment;
    double catchment_radius = 0;  ///< walking radius of the catchment (m)
};

struct Scene {
    std::shared_ptr<const Project> project;  ///< keeps the geometries alive
    MapRequest request;
    Crs crs;                  ///< the metric CRS the scene is drawn in
    bool planar = false;
    Box extent;               ///< what to fit (the boundary, else all data), metric CRS
    Vec2 center_lonlat;       ///< for the scale bar check and the status bar

    // Draw order: raster under polygons? No: polygons, raster, lines, pies, points, labels.
    std::vector<FillPolygon> polygons;
    std::optional<RasterOverlay> raster;
    std::vector<LineFeature> lines;
    std::vector<PieGlyph> pies;
    /// Composition: the manifest groups with a slice of their own (legend order), the colour
    /// of "other" (smaller, withheld and unlisted groups) and the largest unit total, which
    /// sizes the largest pie (pie_radius_px): for the QGIS hand-off's pie diagrams.
    struct PieKey {
        std::vector<std::size_t> groups;
        bool with_other = false;  ///< some pie has an "other" slice (the legend lists it)
        Color other;
        double max_total = 0;
        float max_radius_px = 16.0f;
    };
    PieKey pie_key;
    std::vector<PointSymbol> points;
    std::vector<Label> labels;

    std::string title, subtitle;
    std::vector<LegendItem> legend;
    std::vector<std::string> notes;  ///< illustrative-data line, privacy note, source, date
    /// Non-empty when the privacy guard is off: "含小数值 / contains small counts", stamped
    /// across the export (red, top of the map frame).
    std::string stamp;
    /// Units whose total is below the privacy threshold (hatched, no shares), by feature index.
    std::vector<std::uint32_t> suppressed_units;
    /// The zones the overlay draws when they came with the results (polygons point into them).
    std::shared_ptr<const std::vector<OverlayZone>> overlay_zones;
    /// The thematic layers' styling as data (units, zones, projects), for a GIS hand-off.
    std::vector<Thematic> thematic;
};

/// The analysis results a scene shows, computed by geo/analysis (never by carto). A surface
/// that shows the same result elsewhere (the viewer's scatterplot and inspector) computes
/// it once with scene_results() and passes it to build_scene.
struct SceneResults {
    /// The LISA of request.group's share (MapKind::Lisa, and Index "lisa_z").
    std::shared_ptr<const analysis::AutocorrResult> lisa;
    /// MapRequest::zones_overlay draws these instead of the project's zones layer; the scene
    /// keeps them alive (Scene::overlay_zones).
    std::shared_ptr<const std::vector<OverlayZone>> zones;
};

/// The request geo/analysis gets for the LISA of a map request (its group, weights,
/// permutations, seed, alpha and adjustment).
analysis::AutocorrRequest lisa_request(const MapRequest& request);

/// The results `request` needs (empty for kinds that need none). Long: off the UI thread.
SceneResults scene_results(const Project& project, const MapRequest& request, const Progress& progress = {});

/// Styles the project and the results into a scene; results missing from `results` are
/// computed with scene_results(). Throws InputError for an unknown group or index. Long:
/// call it off the UI thread.
Scene build_scene(std::shared_ptr<const Project> project, const MapRequest& request, const SceneResults& results,
                  const Progress& progress = {});
Scene build_scene(std::shared_ptr<const Project> project, const MapRequest& request, const Progress& progress = {});

// [SECTION] Shared helpers (added by the exporter; both backends use them) ---------------

/// Both backends fit a scene the same way: the extent grows by kFitMargin of its larger
/// side on every side, then is scaled with equal x/y scale to fit the target rectangle,
/// centred.
inline constexpr double kFitMargin = 0.03;

/// Metric CRS -> a y-down target (pixels, millimetres on the page, ...).
struct MapTransform {
    double scale = 1.0;         ///< target units per CRS unit
    double cx = 0.0, cy = 0.0;  ///< CRS point drawn at the target centre
    double ox = 0.0, oy = 0.0;  ///< the target centre
    [[nodiscard]] Vec2 apply(Vec2 p) const { return {ox + (p.x - cx) * scale, oy - (p.y - cy) * scale}; }
    [[nodiscard]] Vec2 inverse(Vec2 q) const { return {cx + (q.x - ox) / scale, cy - (q.y - oy) / scale}; }
};

/// "LON0,LAT0,LON1,LAT1" in WGS 84 degrees (west, south, east, north) -> a box (x = lon,
/// y = lat). InputError saying what is wrong: not four numbers, out of range, empty.
Box parse_lonlat_extent(const std::string& text);
/// The metric-CRS box that covers a WGS 84 box (its edges densified) for `project`.
/// InputError for planar data (no CRS) or a failed transform.
Box lonlat_extent_to_metric(const Project& project, const Box& lonlat);

/// The camera that fits `extent` into the rectangle (x, y, w, h) of a y-down target.
MapTransform fit_extent(const Box& extent, double x, double y, double w, double h, double margin = kFitMargin);

/// The disclosure policy of a request (k, guard).
privacy::DisclosurePolicy disclosure_policy(const MapRequest& request);
/// The privacy line for the notes (states k), or the "guard off" line.
std::string privacy_note(const MapRequest& request);
/// The group a user names by column, English name (any case) or Chinese name; InputError
/// listing the groups when none matches.
const GroupDef& find_group(const Project& project, const std::string& name);
/// A group's name in the language ("藏族 / Tibetan" for Both).
std::string group_label(const GroupDef& g, Lang lang);
/// Today's date (UTC) as the maps' notes print it: "2026-12-07".
std::string today();
/// The notes' source line: "数据来源：…" / "Source: …", or that none is stated (never empty).
std::string source_note(Lang lang, const Project& project);
/// The local index ids build_scene accepts for MapKind::Index.
const std::vector<std::string>& local_index_ids();
const char* map_kind_name(MapKind k);

}  // namespace hq::carto
