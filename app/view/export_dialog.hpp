#pragma once
// The viewer's Export dialog without GL (issue 7 §1): the dialog's settings, the map
// request they make from the viewer's current request (same map, the dialog's language and
// title), and the preview / save jobs. The preview is drawn by the exporter's cairo code
// (exporter::render_page_to_image), the file by exporter::write_map: what prints is what
// the preview shows. panel_export.cpp draws the window and uploads the preview texture.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "app/carto/scene.hpp"
#include "app/export/layout.hpp"
#include "app/export/render.hpp"
#include "geo/core/progress.hpp"
#include "geo/analysis/planning.hpp"

namespace hq::view {

class Controller;

/// Resolution of the on-screen preview: the exporter's lowest (an A4 page is 842 × 595 px).
inline constexpr double kExportPreviewDpi = 72;

struct ExportSettings {
    exporter::Template tmpl = exporter::Template::A4Landscape;
    carto::Lang lang = carto::Lang::Zh;
    int dpi = 300;                ///< PNG only; clamped to 72..600
    std::string title;            ///< "" = the map kind's default title
    std::string path = "map.pdf"; ///< .png, .pdf or .svg (relative: the current folder)
    bool current_view = true;     ///< map frame: the viewer's current view (what is on screen), else fit to the boundary
};

/// The dialog's state (UiState::export_ui).
struct ExportUi {
    bool open = false;
    bool initialised = false;  ///< language taken from the UI the first time the window opens
    ExportSettings settings;
    std::shared_ptr<const exporter::Image> preview;  ///< the last preview (RGBA, whole page)
    std::uint64_t preview_generation = 0;           ///< bumped when `preview` changes
    std::string message;                            ///< "saved: PATH" or the error line
    bool message_error = false;
};

/// The page options for a settings' file: its template, its DPI clamped to 72..600.
exporter::PageOptions export_page_options(const ExportSettings& s);
/// The viewer's request with the dialog's language and title.
carto::MapRequest export_request(carto::MapRequest base, const ExportSettings& s);

/// Everything a job needs, copied on the main thread from the Controller.
struct ExportInputs {
    std::shared_ptr<const Project> project;
    carto::MapRequest request;
    bool single = false;  ///< Mode::Single: recoloured as the viewer does
    carto::Color single_color;
    ExportSettings settings;
    std::optional<Box> view;  ///< settings.current_view: the canvas's visible area (metric CRS)
    /// The plan's zones, drawn over the map as on screen (request.zones_overlay).
    std::shared_ptr<const std::vector<carto::OverlayZone>> zones;
};

/// The planning document's zones as the scene's overlay draws them (null without zones).
std::shared_ptr<const std::vector<carto::OverlayZone>> overlay_zones(const plan::PlanDocument& doc);
/// The same zones with their catchments as `planner` computes them (OverlayZone::catchment:
/// plan::Catchment::weight over the planner's units, analysis::units_layer's). Long for many
/// zones: off the UI thread.
std::shared_ptr<const std::vector<carto::OverlayZone>> with_catchments(const std::vector<carto::OverlayZone>& zones,
                                                                       const plan::Planner& planner);
/// True when `scene` draws the document's zones as they are now (ids, names, geometry).
bool overlay_current(const carto::Scene* scene, const plan::PlanDocument& doc);
/// Null project when none is loaded.
ExportInputs export_inputs(const Controller& app, const ExportSettings& s);
/// The scene the export draws (off the UI thread; InputError for a bad group or index).
carto::Scene build_export_scene(const ExportInputs& in, const Progress& progress = {});
/// The whole page as an image at `dpi` (the preview).
exporter::Image render_export_preview(const ExportInputs& in, double dpi, const Progress& progress = {});
/// Writes the file (PNG / PDF / SVG by extension), atomically. Throws InputError.
void save_export(const ExportInputs& in, const Progress& progress = {});

}  // namespace hq::view
