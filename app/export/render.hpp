#pragma once
// Drawing a Scene with cairo (FreeType + the Debian CJK font): map pages as PNG at a DPI,
// PDF (vector, selectable Chinese text) and SVG; multi-page PDF documents for the report;
// and the bare map frame as an RGBA image for the viewer's export preview.
//
// Every file is written atomically: a temporary file in the same folder, then rename; on
// failure the temporary is removed and hq::InputError names the path.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "app/carto/scene.hpp"
#include "app/export/layout.hpp"

namespace hq::exporter {

/// The CJK font file used for every text (WenQuanYi Micro Hei, Debian fonts-wqy-microhei);
/// fontconfig's "WenQuanYi Micro Hei" / "sans-serif" when the file is missing.
inline constexpr const char* kFontFile = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

enum class Format : std::uint8_t { Png, Pdf, Svg };
/// From the file extension (.png, .pdf, .svg; any case); InputError otherwise.
Format format_from_path(const std::string& path);

struct PageOptions {
    Template tmpl = Template::A4Landscape;
    double dpi = 300;  ///< PNG only; 72..600
    /// PNG only: encode with cairo_surface_write_to_png (zlib's default level, no pHYs)
    /// instead of the libpng writer — the benchmark's baseline; slower.
    bool cairo_png_encoder = false;
    /// Leave out the unit polygons and glyphs that later
    /// glyphs paint over completely (PDF and SVG: on a 300 dpi grid, docs/export.md), and on
    /// raster pages (PNG, preview images) draw a pie partly under later ones inside the
    /// pixel-aligned box of its still visible pixels (raster_hidden below). Leaving out is
    /// exact; the box changes how cairo's stroker splits a pie's outline, so antialiased
    /// outline pixels may differ by a few levels (at most 12 of 255 on 0.13 % of the
    /// 100k-unit city's pixels; Shuhan's pages are identical). Off: the tests' and the
    /// benchmark's baseline.
    bool skip_hidden = true;
};

/// Writes one map page. Throws InputError (bad DPI, unwritable path).
void write_map(const carto::Scene& scene, const PageOptions& options, const std::string& path);
void write_map(const carto::Scene& scene, const PageOptions& options, const std::string& path, Format format);

/// A scenario's before/after page (app/export/scenario.hpp builds it): two map panels with
/// the same extent and scale, a table of indices, one legend, the notes.
struct ScenarioPage {
    carto::Scene before, after;  ///< same extent; `after` may draw geometries held below
    std::string title, subtitle;
    std::string before_title, after_title;        ///< panel headings
    std::vector<std::vector<std::string>> table;  ///< first row is the header
    std::vector<carto::LegendItem> legend;
    std::vector<std::string> notes;  ///< illustrative line first, privacy line, model, source, date
    std::string stamp;               ///< "contains small counts" when the guard is off
    /// Geometries the scenes point to that the project does not own (planner zones).
    std::shared_ptr<const std::vector<Geometry>> owned_geometries;
};

/// Writes a scenario page (PNG, PDF or SVG), atomically.
void write_scenario_map(const ScenarioPage& page, const PageOptions& options, const std::string& path,
                        Format format);
/// Straight (not premultiplied) RGBA, top row first, 4 bytes per pixel.
struct Image {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgba;
    [[nodiscard]] const std::uint8_t* at(int x, int y) const {
        return rgba.data() + (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)) * 4;
    }
};

/// The margin the viewer's Camera::fit uses (hq::view::Camera, 24 px).
inline constexpr double kPreviewMarginPx = 24.0;

/// The map frame only (no title, legend, notes): white background, the scene fitted to
/// width × height pixels with `margin_px` free on every side, centred, as the viewer does.
/// Scene sizes in px are taken as image pixels.
Image render_scene_to_image(const carto::Scene& scene, int width_px, int height_px,
                            double margin_px = kPreviewMarginPx);
/// The camera render_scene_to_image uses (pixels, y down).
carto::MapTransform preview_transform(const carto::Scene& scene, int width_px, int height_px,
                                      double margin_px = kPreviewMarginPx);

/// A whole page as an image at `dpi` (the export dialog's preview; the PNG writer's pixels).
Image render_page_to_image(const carto::Scene& scene, const PageOptions& options);
/// A scenario page as an image at options.dpi (tests, preview).
Image render_scenario_page_to_image(const ScenarioPage& page, const PageOptions& options);


/// Occlusion on a raster target, exactly: a pixel that a later opaque glyph slice covers
/// completely (its whole square inside the slice, by more than cairo's flattening
/// tolerance, and inside the clip) is replaced by that slice whatever lay under it, so a
/// polygon or glyph all of whose pixels are so covered cannot change one output pixel and
/// is not drawn; a glyph partly so covered is drawn inside `pie_open` only. Device pixels: `ctm_sx/sy` device pixels per user unit along x and y (an
/// axis-aligned CTM), `ctm_x0/y0` the device position of user (0, 0), `clip` the pixel-aligned part of
/// the clip every pixel of which is fully inside it, `tolerance` cairo's. `px` user units
/// per scene pixel, `t` the map's transform (to user units).
struct RasterTarget {
    double ctm_sx = 1, ctm_sy = 1, ctm_x0 = 0, ctm_y0 = 0;
    int clip_x0 = 0, clip_y0 = 0, clip_x1 = 0, clip_y1 = 0;  ///< pixels [x0, x1) × [y0, y1)
    double tolerance = 0.1;
};
/// Device pixels [x0, x1] × [y0, y1]; empty when x1 < x0.
struct PixelBox {
    int x0 = 0, y0 = 0, x1 = -1, y1 = -1;
    [[nodiscard]] bool empty() const { return x1 < x0 || y1 < y0; }
    void expand(int ax, int ay, int bx, int by) {
        if (empty()) *this = PixelBox{ax, ay, bx, by};
        else *this = PixelBox{std::min(x0, ax), std::min(y0, ay), std::max(x1, bx), std::max(y1, by)};
    }
};
struct RasterHidden {
    std::vector<bool> polygons, pies;  ///< by index in Scene::polygons / Scene::pies
    /// A pie drawn: the box of the pixels it can touch that later pies do not cover.
    std::vector<PixelBox> pie_open;
    std::size_t count = 0;
};
RasterHidden raster_hidden(const carto::Scene& scene, const carto::MapTransform& t, double px,
                           const RasterTarget& target);

/// Reads a PNG (for tests and tools). InputError if it cannot be read.
Image read_png(const std::string& path);

// [SECTION] Multi-page documents (the report) ----------------------------------------------

struct TextBlock {
    enum class Kind : std::uint8_t { Title, Heading, Paragraph, Table, Spacer };
    Kind kind = Kind::Paragraph;
    std::string text;
    std::vector<std::vector<std::string>> rows;  ///< Table: first row is the header
    std::vector<double> widths;                  ///< Table: column width fractions (sum 1)
};

/// A PDF of several pages, finished (and renamed into place) by finish().
class PdfDocument {
public:
    PdfDocument(std::string path, Template tmpl);
    ~PdfDocument();
    PdfDocument(const PdfDocument&) = delete;
    PdfDocument& operator=(const PdfDocument&) = delete;

    void add_map_page(const carto::Scene& scene);
    /// Text flowing over as many pages as it needs.
    void add_text_pages(const std::vector<TextBlock>& blocks, const std::string& footer);
    void finish();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace hq::exporter
