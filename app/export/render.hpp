#pragma once
// Drawing a Scene with cairo (FreeType + the Debian CJK font): map pages as PNG at a DPI,
// PDF (vector, selectable Chinese text) and SVG; multi-page PDF documents for the report;
// and the bare map frame as an RGBA image for the viewer's export preview.
//
// Every file is written atomically: a temporary file in the same folder, then rename; on
// failure the temporary is removed and hq::InputError names the path.
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
