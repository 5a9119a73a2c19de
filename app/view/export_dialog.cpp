// The Export dialog's GL-free part: settings -> request and page options, the preview and
// save jobs (export_dialog.hpp).
#include "app/view/export_dialog.hpp"

#include <algorithm>
#include <exception>

#include "app/view/app.hpp"
#include "app/view/inspect.hpp"
#include "geo/core/error.hpp"

namespace hq::view {
namespace {

struct PreviewResult {
    std::shared_ptr<const exporter::Image> image;
    std::string error;
};

struct SaveResult {
    std::string path;
    std::string error;
};

}  // namespace

exporter::PageOptions export_page_options(const ExportSettings& s) {
    exporter::PageOptions o;
    o.tmpl = s.tmpl;
    o.dpi = std::clamp(s.dpi, 72, 600);
    return o;
}

carto::MapRequest export_request(carto::MapRequest base, const ExportSettings& s) {
    base.lang = s.lang;
    base.title = s.title;
    return base;
}

std::shared_ptr<const std::vector<carto::OverlayZone>> overlay_zones(const plan::PlanDocument& doc) {
    if (doc.zones.empty()) return nullptr;
    auto out = std::make_shared<std::vector<carto::OverlayZone>>();
    for (const plan::Zone& z : doc.zones) out->push_back({z.geometry, z.id, z.name_zh, z.name_en});
    return out;
}

std::shared_ptr<const std::vector<carto::OverlayZone>> with_catchments(const std::vector<carto::OverlayZone>& zones,
                                                                       const plan::Planner& planner) {
    auto out = std::make_shared<std::vector<carto::OverlayZone>>(zones);
    for (carto::OverlayZone& z : *out) {
        z.catchment = planner.catchment(z.geometry).weight;
        z.catchment_radius = planner.options().radius;
    }
    return out;
}

bool overlay_current(const carto::Scene* scene, const plan::PlanDocument& doc) {
    if (!scene) return true;  // the first scene takes them
    const auto& drawn = scene->overlay_zones;
    if (!drawn) return doc.zones.empty();
    if (drawn->size() != doc.zones.size()) return false;
    for (std::size_t i = 0; i < doc.zones.size(); ++i) {
        const plan::Zone& z = doc.zones[i];
        const carto::OverlayZone& o = (*drawn)[i];
        if (o.id != z.id || o.name_zh != z.name_zh || o.name_en != z.name_en || !plan::same_geometry(o.geometry, z.geometry, 0.0))
            return false;
    }
    return true;
}

ExportInputs export_inputs(const Controller& app, const ExportSettings& s) {
    ExportInputs in;
    in.settings = s;
    if (!app.model.data) return in;
    in.project = app.model.data->project;
    in.request = export_request(app.make_request(), s);
    // The zones on screen: the scene's overlay, or plan mode's drawing of the same document.
    in.zones = overlay_zones(app.model.plan.doc());
    // The catchments on screen too: the scene's zones carry them when they are current.
    if (in.request.zone_catchments && app.model.scene && app.model.scene->overlay_zones &&
        overlay_current(app.model.scene.get(), app.model.plan.doc()))
        in.zones = app.model.scene->overlay_zones;
    in.request.zones_overlay = in.zones != nullptr;
    in.single = app.ui.mode == Mode::Single;
    in.single_color = carto::Color{app.ui.single_color[0], app.ui.single_color[1], app.ui.single_color[2], 1.0f};
    const Camera& cam = app.ui.camera;
    if (s.current_view && cam.canvas_size.x > 1 && cam.canvas_size.y > 1) in.view = cam.visible_world();
    return in;
}

carto::Scene build_export_scene(const ExportInputs& in, const Progress& progress) {
    if (!in.project) throw InputError(ErrorContext{}, "no project is open");
    carto::SceneResults results;
    results.zones = in.zones;
    carto::Scene scene = carto::build_scene(in.project, in.request, results, progress);
    // The single-colour style recolours the scene as the viewer does (legend in the UI language
    // closest to the export's: English unless the export is Chinese only).
    if (in.single) apply_single_colour(scene, in.single_color, in.settings.lang == carto::Lang::Zh ? UiLang::Zh : UiLang::En);
    if (in.view) scene.extent = *in.view;  // the page's map frame fits what the planner sees
    return scene;
}

exporter::Image render_export_preview(const ExportInputs& in, double dpi, const Progress& progress) {
    const carto::Scene scene = build_export_scene(in, progress);
    exporter::PageOptions o;
    o.tmpl = in.settings.tmpl;
    o.dpi = dpi;
    return exporter::render_page_to_image(scene, o);
}

void save_export(const ExportInputs& in, const Progress& progress) {
    const exporter::Format format = exporter::format_from_path(in.settings.path);  // before the long work
    const carto::Scene scene = build_export_scene(in, progress);
    exporter::write_map(scene, export_page_options(in.settings), in.settings.path, format);
}

void Controller::request_export_preview() {
    ExportInputs in = export_inputs(*this, ui.export_ui.settings);
    if (!in.project) return;
    jobs.submit<PreviewResult>(
        "export-preview", t(S::ExportPreview),
        [in](const JobContext& p) {
            PreviewResult r;
            try {
                r.image = std::make_shared<const exporter::Image>(render_export_preview(in, kExportPreviewDpi, p.progress));
            } catch (const Cancelled&) {
                throw;
            } catch (const std::exception& e) {
                r.error = e.what();
            }
            return r;
        },
        [this](std::shared_ptr<const PreviewResult> r) {
            ExportUi& eu = ui.export_ui;
            if (r->image) {
                eu.preview = r->image;
                ++eu.preview_generation;
            } else {
                eu.message = r->error;
                eu.message_error = true;
            }
        });
}

void Controller::request_export_save() {
    ExportInputs in = export_inputs(*this, ui.export_ui.settings);
    if (!in.project) return;
    jobs.submit<SaveResult>(
        "export-save", t(S::ExportSave),
        [in](const JobContext& p) {
            SaveResult r;
            r.path = in.settings.path;
            try {
                save_export(in, p.progress);
            } catch (const Cancelled&) {
                throw;
            } catch (const std::exception& e) {
                r.error = e.what();
            }
            return r;
        },
        [this](std::shared_ptr<const SaveResult> r) {
            ExportUi& eu = ui.export_ui;
            eu.message_error = !r->error.empty();
            eu.message = eu.message_error ? r->error : std::string(t(S::ExportSaved)) + r->path;
        });
}

}  // namespace hq::view
