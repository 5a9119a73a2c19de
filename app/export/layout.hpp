#pragma once
// The page layout of an exported map: templates, the map frame and its transform, legend
// and notes boxes, the scale bar and the north arrow. Pure arithmetic (no cairo), so tests
// can check where things land. Page units are millimetres, origin top-left, y down.
#include <optional>
#include <string>

#include "app/carto/scene.hpp"

namespace hq::exporter {

enum class Template : std::uint8_t { A4Landscape, A4Portrait, A3Landscape, A3Portrait, Slide16x9 };
/// "a4-landscape", "a4-portrait", "a3-landscape", "a3-portrait", "slide-16x9".
std::optional<Template> template_from_name(const std::string& s);
const char* template_name(Template t);

struct PaperSize {
    double width_mm = 0, height_mm = 0;
};
/// ISO 216 A4 297 × 210 mm, A3 420 × 297 mm; the slide is 13.333 × 7.5 in (338.67 × 190.5 mm),
/// PowerPoint's 16:9.
PaperSize paper_size(Template t);

struct Rect {
    double x = 0, y = 0, w = 0, h = 0;
    [[nodiscard]] double right() const { return x + w; }
    [[nodiscard]] double bottom() const { return y + h; }
};

inline constexpr double kMmPerInch = 25.4;
inline constexpr double kMmPerPx = 25.4 / 96.0;  ///< scene sizes in px are CSS pixels (96 dpi)
inline constexpr double kMmPerPt = 25.4 / 72.0;

/// Raster size of a page at a DPI: round(paper mm / 25.4 × dpi).
int pixels_for(double mm, double dpi);

struct ScaleBar {
    double ground_m = 0;         ///< the length its label states (metres on the ground; CRS units when planar)
    double length_mm = 0;        ///< its length on the page
    int segments = 4;
    std::string label;           ///< "200 m", "1 km"
    Rect bar;                    ///< the bar itself (page mm)
    double scale_denominator = 0;  ///< the map scale 1 : N (ground)
    double ground_per_grid = 1;  ///< ground metres per CRS metre at the map centre (UTM: ≈ 0.9996..1.0010)
};

struct Layout {
    Template tmpl = Template::A4Landscape;
    PaperSize paper;
    double margin_mm = 10;
    Rect title_box, map_frame, legend_box, notes_box;
    Rect furniture_box;       ///< beside the legend, off the map: scale bar and north arrow
    carto::MapTransform map;  ///< metric CRS -> page mm
    ScaleBar scale_bar;
    Rect north_arrow;         ///< box holding the arrow and its "N"
    bool portrait = false;

    [[nodiscard]] Vec2 to_page_mm(Vec2 metric) const { return map.apply(metric); }
    /// Where a metric point lands in a PNG of this page written at `dpi`.
    [[nodiscard]] Vec2 to_pixels(Vec2 metric, double dpi) const;
    /// Page mm -> PNG pixels at `dpi` (the writer scales x and y by pixels / mm separately).
    [[nodiscard]] Vec2 page_to_pixels(Vec2 mm, double dpi) const;
};

/// The largest 1, 2 or 5 × 10^n not above `max_length` (0 for a non-positive input).
double nice_length(double max_length);

/// Ground metres per CRS metre at the extent's centre, from the scene's CRS (1 for planar
/// data or when the CRS cannot be transformed): the two grid steps of 100 m east and north
/// are measured on the WGS 84 ellipsoid (local radii of curvature) and averaged.
double ground_per_grid(const carto::Scene& scene);

Layout make_layout(const carto::Scene& scene, Template t);

/// A scenario page: two map panels side by side (before | after) of the same size, so the
/// same extent is drawn at the same scale in both; a table of indices under them; legend,
/// scale bar and north arrow as on a single map (landscape: right column; portrait: under
/// the table). `map_frame` / `map` are the "before" panel; the scale bar holds for both.
struct ScenarioLayout : Layout {
    Rect after_frame;
    carto::MapTransform after_map;       ///< metric CRS -> page mm in the "after" panel
    Rect before_heading, after_heading;  ///< panel titles, above each frame
    Rect table_box;
    [[nodiscard]] Vec2 to_page_mm_after(Vec2 metric) const { return after_map.apply(metric); }
    [[nodiscard]] Vec2 to_pixels_after(Vec2 metric, double dpi) const {
        return page_to_pixels(to_page_mm_after(metric), dpi);
    }
};

/// `table_rows` (header included) sizes the table box (3.6 mm per row, at most 40 % of the
/// space between title and notes).
ScenarioLayout make_scenario_layout(const carto::Scene& scene, Template t, std::size_t table_rows);

}  // namespace hq::exporter
