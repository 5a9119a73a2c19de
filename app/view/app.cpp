// Controller: the model's requests (project loading, scene building, LISA, indices) as jobs, and
// the bookkeeping that keeps the layer list and the unit -> polygon map in step.
#include "app/view/app.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <utility>

#include "app/view/inspect.hpp"
#include "app/view/plan_panels.hpp"
#include "app/view/view_state.hpp"
#include "geo/io/postgis.hpp"
#include "geo/project/district.hpp"
#include "geo/project/gpkg_project.hpp"
#include "geo/io/reader.hpp"
#include "geo/analysis/autocorr.hpp"
#include "geo/analysis/counts.hpp"
#include "geo/analysis/segregation.hpp"
#include "geo/geometry/ops.hpp"

namespace hq::view {
namespace {

/// Two paths name the same file or folder (canonical where they exist).
bool same_path(const std::string& a, const std::string& b) {
    std::error_code ea, eb;
    const auto ca = std::filesystem::weakly_canonical(a, ea), cb = std::filesystem::weakly_canonical(b, eb);
    return (!ea && !eb) ? ca == cb : a == b;
}

constexpr const char* kAdjust[] = {"none", "bonferroni", "fdr"};
/// Colours of added vector files, in turn.
const carto::Color kFilePalette[] = {carto::Color::rgb(31, 119, 180), carto::Color::rgb(214, 39, 40),
                                     carto::Color::rgb(44, 160, 44), carto::Color::rgb(148, 103, 189)};

struct SceneResult {
    std::shared_ptr<const carto::Scene> scene;
    std::shared_ptr<const MapMesh> mesh;
    carto::SceneResults results;  ///< computed once: the map, scatterplot, inspector and legend share them
};

/// The scatterplot's and the inspector's view of the LISA result the map shows.
std::shared_ptr<const LisaView> lisa_view(std::shared_ptr<const analysis::AutocorrResult> result) {
    const analysis::AutocorrResult& r = *result;
    auto v = std::make_shared<LisaView>();
    const LocalMoranResult& lm = *r.local_moran;
    v->result = result;
    v->group = r.group_column;
    analysis::MoranScatter sc = analysis::moran_scatter(r);
    v->z = std::move(sc.z);
    v->lag = std::move(sc.lag);
    v->slope = sc.slope;
    v->quadrant = r.cluster;
    v->ii = lm.Ii;
    v->ii_z = lm.z;
    v->p = r.inference.permutations > 0 ? lm.p_permutation : lm.p_analytical;
    v->significant = r.local_moran_significant;
    v->weights_used = r.weights.used;
    v->weights_note = {r.weights.note_zh, r.weights.note_en};
    v->withheld = r.withheld;
    return v;
}

ProjectData load_data(const std::string& path, const std::string& community, const JobContext& job) {
    const Progress& progress = job.progress;
    ProjectData d;
    std::shared_ptr<Project> project;
    if (!community.empty() && pg::is_pg_source(path)) {  // a community of a district database, with its plan
        GpkgProject gp = district::open_community(path, community, job.sub(0, 0.8, "load"));
        project = std::make_shared<Project>(std::move(gp.project));
        d.document = std::make_shared<const plan::PlanDocument>(std::move(gp.document));
        d.revision = gp.revision;
    } else if (is_gpkg_project(path)) {  // a project GeoPackage: its planning document too (issue 6)
        GpkgProject gp = open_gpkg_project(path, job.sub(0, 0.8, "load"));
        project = std::make_shared<Project>(std::move(gp.project));
        d.document = std::make_shared<const plan::PlanDocument>(std::move(gp.document));
        d.gpkg = true;
        d.revision = gp.revision;
    } else {
        project = std::make_shared<Project>(load_project(path, {}, job.sub(0, 0.8, "load")));
        d.document = std::make_shared<const plan::PlanDocument>(document_from_project(*project, &project->warnings));
    }
    d.units = analysis::units_layer(*project);
    for (const auto& e : project->layers)
        if (&e.layer == d.units) d.units_role = e.role;
    if (d.units) {  // the one group count table every surface reads (geo/analysis)
        progress.check();
        d.counts = analysis::group_count_table(*project, d.units)->counts;
    }
    if (const Layer* b = project->layer(Role::Boundary))
        for (const auto& g : b->metric) d.extent.expand(g.bounds());
    if (d.extent.empty())
        for (const auto& e : project->layers)
            for (const auto& g : e.layer.metric) d.extent.expand(g.bounds());
    std::string& n = d.names_text;
    n += project->name_zh + project->name_en;
    for (const auto& g : project->groups) n += g.name_zh + g.name_en;
    for (const auto& e : project->layers) n += e.layer.name();
    d.protected_units = std::make_shared<const privacy::ProtectedTable>(units_table(d.counts));
    d.local_indices = std::make_shared<const LocalIndexTable>(local_index_table(d.counts));
    d.project = std::move(project);
    return d;
}

}  // namespace

Controller::Controller(const ViewerOptions& opts, std::function<void()> wake) : jobs(std::move(wake)), options(opts) {
    ui.community.wizard_popup = opts.new_project;  // --new
    ui.lang = opts.lang;
    const bool headless = !opts.screenshot.empty() || opts.bench_frames > 0;
    if (opts.ui_scale > 0) ui.ui_scale = clamp_ui_scale(opts.ui_scale);
    else if (!headless) ui.ui_scale = load_user_settings(opts.settings_path).ui_scale;
    if (!headless) ui.recent = load_user_settings(opts.settings_path).recent;
    apply_mode_from_text(opts.mode);
}

void Controller::remember_project(const std::string& path) {
    if (!options.screenshot.empty() || options.bench_frames > 0 || options.settings_path.empty()) return;
    if (pg::is_pg_source(path)) return;  // a database connection is no file (and may hold a password)
    std::error_code ec;
    const std::string abs = std::filesystem::absolute(path, ec).lexically_normal().string();
    try {
        UserSettings us = load_user_settings(options.settings_path);
        remember_recent(us.recent, abs.empty() ? path : abs);
        save_user_settings(options.settings_path, us);
        ui.recent = us.recent;
    } catch (const std::exception& e) {
        ui.errors.push_back(e.what());
    }
}

Controller::~Controller() { jobs.cancel_all(); }

void Controller::set_ui_scale(float scale) {
    const float s = clamp_ui_scale(scale);
    if (s == ui.ui_scale) return;
    ui.ui_scale = s;
    if (!options.screenshot.empty() || options.bench_frames > 0 || options.settings_path.empty()) return;
    try {
        UserSettings us = load_user_settings(options.settings_path);
        us.ui_scale = s;
        save_user_settings(options.settings_path, us);
    } catch (const std::exception& e) {
        ui.errors.push_back(e.what());
    }
}

std::string Controller::group_name(std::size_t g) const {
    if (!model.data || g >= model.data->project->groups.size()) return {};
    const GroupDef& d = model.data->project->groups[g];
    return ui.lang == UiLang::Zh ? d.name_zh : d.name_en;
}

void Controller::apply_mode_from_text(const std::string& mode) {
    std::string kind = mode, group;
    if (auto c = mode.find(':'); c != std::string::npos) {
        kind = mode.substr(0, c);
        group = mode.substr(c + 1);
    }
    if (kind == "composition") ui.mode = Mode::Composition;
    else if (kind == "dominant") ui.mode = Mode::Dominant;
    else if (kind == "heatmap") ui.mode = Mode::Heatmap;
    else if (kind == "mixing") ui.mode = Mode::Mixing;
    else if (kind == "lisa") ui.mode = Mode::Lisa;
    else if (kind == "projects") ui.mode = Mode::Projects;
    else if (kind == "zones") {  // planning: the zones over the dominant-group map, plan mode on
        ui.mode = Mode::Dominant;
        ui.plan.active = true;
        ui.plan.select_on_load = group;  // zones:Z-1 selects that zone (its evaluation shows)
        group.clear();
    }
    else if (kind == "single") ui.mode = Mode::Single;
    else if (kind == "share" || kind == "index") {  // share:GROUP, index:ID[:GROUP]
        ui.mode = Mode::Graduated;
        std::string id = "share";
        if (kind == "index") {
            id = group;
            group.clear();
            if (auto c2 = id.find(':'); c2 != std::string::npos) {
                group = id.substr(c2 + 1);
                id = id.substr(0, c2);
            }
        }
        const auto& ids = carto::local_index_ids();
        for (std::size_t i = 0; i < ids.size(); ++i)
            if (ids[i] == id) ui.variable = static_cast<int>(i);
    }
    if (!group.empty() && model.data) {
        const auto& gs = model.data->project->groups;
        for (std::size_t i = 0; i < gs.size(); ++i)
            if (gs[i].column == group || gs[i].name_en == group || gs[i].name_zh == group)
                ui.group = static_cast<int>(i);
    }
}

carto::MapRequest Controller::make_request() const {
    carto::MapRequest r;
    switch (ui.mode) {
        case Mode::Composition: r.kind = carto::MapKind::Composition; break;
        case Mode::Dominant: r.kind = carto::MapKind::Dominant; break;
        case Mode::Heatmap: r.kind = carto::MapKind::Heatmap; break;
        case Mode::Mixing: r.kind = carto::MapKind::Mixing; break;
        case Mode::Lisa: r.kind = carto::MapKind::Lisa; break;
        case Mode::Projects: r.kind = carto::MapKind::Projects; break;
        case Mode::Graduated: {
            r.kind = carto::MapKind::Index;
            const auto& ids = carto::local_index_ids();
            r.index_id = ids[static_cast<std::size_t>(std::clamp(ui.variable, 0, static_cast<int>(ids.size()) - 1))];
            break;
        }
        case Mode::Single: r.kind = carto::MapKind::Composition; break;  // recoloured by apply_single_colour
    }
    r.classification = static_cast<carto::Classification>(std::clamp(ui.classification, 0, 3));
    r.classes = std::clamp(ui.classes, 2, 9);
    r.ramp = ui.ramp;
    r.glyph = ui.glyph == 1 ? carto::GlyphStyle::Bar : carto::GlyphStyle::Pie;
    r.other_share = std::clamp(static_cast<double>(ui.other_share_pct), 0.0, 50.0) / 100.0;
    if (model.data && ui.group >= 0 && static_cast<std::size_t>(ui.group) < model.data->project->groups.size())
        r.group = model.data->project->groups[static_cast<std::size_t>(ui.group)].column;
    r.lang = ui.lang == UiLang::Zh ? carto::Lang::Zh : carto::Lang::En;
    r.heatmap_radius_m = ui.radius_m;
    r.weights = kLisaWeights[std::clamp(ui.weights, 0, 2)];
    r.permutations = ui.permutations;
    r.seed = ui.seed;
    r.alpha = ui.alpha;
    r.adjust = kAdjust[std::clamp(ui.adjust, 0, 2)];
    if (ui.mode == Mode::Projects && !ui.all_dates) r.date = civil_from_days(ui.date_day);
    r.zones_overlay = !ui.plan.active;  // in plan mode the editor draws the zones
    r.zone_catchments = ui.plan.show_catchments && model.planner != nullptr;
    return r;
}

void Controller::open_project(const std::string& path) {
    if (plan_defer_open(*this, path)) return;  // unsaved planning edits: ask first
    const std::string label = std::string(t(S::Loading)) + " " + (pg::is_pg_source(path) ? pg::redact(path) : path);
    const std::string community = path == options.project ? options.community : std::string();
    jobs.submit<ProjectData>(
        "project", label, [path, community](const JobContext& p) { return load_data(path, community, p); },
        [this, path](std::shared_ptr<const ProjectData> d) {
            model.data = std::move(d);
            // Another project: the Digitise tab stops editing the old one unless it holds
            // unsaved edits (kept, and saved to its own folder: nothing is dropped silently).
            if (model.community.active() && !model.community.modified() && !same_path(path, model.community.folder())) {
                model.community.reset({}, Project{});
                ui.community.show = false;
            }
            model.scene.reset();
            model.mesh.reset();
            model.files.clear();
            model.selection.clear();
            model.lisa.reset();
            model.indices.reset();
            model.inference.reset();
            ui.inspect_feature = -1;
            ui.measure = {};
            ui.hovered_polygon = -1;
            const auto& proj = *model.data->project;
            const Vec2 origin = model.data->extent.empty() ? Vec2{} : model.data->extent.center();
            tess = std::make_shared<TessCache>();
            tess->reset_for(model.data->project, origin);
            if (ui.group >= static_cast<int>(proj.groups.size())) ui.group = 0;
            apply_mode_from_text(options.mode);  // a --mode group name can be resolved now
            options.mode = {};
            // Timeline range from the projects layer's date fields.
            ui.date_min = ui.date_max = 0;
            if (const Layer* pl = proj.layer(Role::Projects)) {
                int lo = 1 << 30, hi = -(1 << 30);
                for (std::size_t f = 0; f < pl->table.fields.size(); ++f) {
                    if (pl->table.fields[f].type != FieldType::Date) continue;
                    for (const auto& row : pl->table.rows) {
                        int day = 0;
                        if (const auto* s = std::get_if<std::string>(&row[f]); s && parse_iso_date(*s, day)) {
                            lo = std::min(lo, day);
                            hi = std::max(hi, day);
                        }
                    }
                }
                if (lo <= hi) {
                    ui.date_min = lo;
                    ui.date_max = hi;
                    ui.date_day = hi;
                }
            }
            fit_pending = true;
            fonts_dirty = true;
            mesh_dirty = true;
            if (ui.plan.recovering.empty()) remember_project(path);  // not a recovery file
            plan_project_loaded(*this, path);
            request_scene();
            for (const std::string& b : options.basemaps) add_basemap(b);  // --basemap
            options.basemaps.clear();
            if (!proj.basemap.empty()) add_basemap(proj.basemap);  // the manifest's "basemap" (a new community's orthophoto)
        });
}

void Controller::add_file(const std::string& path) {
    if (!model.data) {
        open_project(path);
        return;
    }
    auto project = model.data->project;
    auto cache = tess;
    const std::size_t n = model.files.size();
    const carto::Color color = kFilePalette[n % 4];
    jobs.submit<FileLayer>(
        "file:" + path, std::string(t(S::Loading)) + " " + path,
        [path, project, cache, color](const JobContext& p) {
            p.progress.report(0.1, "read");
            auto layer = std::make_shared<Layer>(read_layer_raw(path));
            std::vector<std::string> warnings;
            georeference_layer(*layer, project->planar ? Crs{} : project->metric_crs, warnings);
            p.progress.check();
            FileLayer f;
            f.path = path;
            f.batch = std::make_shared<const MeshBatch>(build_file_batch(*layer, cache->origin(), "file:" + path, color));
            f.layer = std::move(layer);
            return f;
        },
        [this](std::shared_ptr<const FileLayer> f) {
            model.files.erase(std::remove_if(model.files.begin(), model.files.end(),
                                             [&](const FileLayer& x) { return x.path == f->path; }),
                              model.files.end());
            model.files.push_back(*f);
            mesh_dirty = true;
            fonts_dirty = true;
            sync_layers();
        });
}

void Controller::request_scene() {
    if (!model.data || !tess) return;
    model.request = make_request();
    auto project = model.data->project;
    auto request = model.request;
    auto cache = tess;
    const bool single = ui.mode == Mode::Single;
    const carto::Color single_color{ui.single_color[0], ui.single_color[1], ui.single_color[2], 1.0f};
    const UiLang lang = ui.lang;
    auto zones = overlay_zones(model.plan.doc());  // the plan's zones over every map mode
    // Their catchments on demand, as the planner computes them (off the UI thread below).
    std::shared_ptr<const plan::Planner> planner = request.zone_catchments ? model.planner : nullptr;
    ui.plan.catchments_planner = planner.get();
    jobs.submit<SceneResult>(
        "scene", t(S::BuildingMap),
        [project, request, cache, single, single_color, lang, zones, planner](const JobContext& p) {
            // The analyses the map needs, once (geo/analysis): the map, the scatterplot, the
            // inspector and the legend all show this one result.
            carto::SceneResults results = carto::scene_results(*project, request, p.sub(0, 0.5, "analysis"));
            results.zones = zones;
            if (planner && zones) results.zones = with_catchments(*zones, *planner);
            carto::Scene built = carto::build_scene(project, request, results, p.sub(0.5, 0.7, "scene"));
            if (single) apply_single_colour(built, single_color, lang);
            auto scene = std::make_shared<const carto::Scene>(std::move(built));
            auto mesh = std::make_shared<const MapMesh>(build_mesh(*scene, *cache, p.sub(0.7, 1.0, "mesh")));
            return SceneResult{std::move(scene), std::move(mesh), std::move(results)};
        },
        [this](std::shared_ptr<const SceneResult> r) {
            model.scene = r->scene;
            if (r->results.lisa && r->results.lisa->local_moran) model.lisa = lisa_view(r->results.lisa);
            model.mesh = r->mesh;
            ++scene_generation;
            m_unit_polygon.assign(model.data && model.data->units ? model.data->units->size() : 0, -1);
            for (std::size_t i = 0; i < model.scene->polygons.size(); ++i) {
                const auto& fp = model.scene->polygons[i];
                if (fp.role == model.data->units_role && fp.feature < m_unit_polygon.size())
                    m_unit_polygon[fp.feature] = static_cast<int>(i);
            }
            ui.hovered_polygon = -1;
            mesh_dirty = true;
            fonts_dirty = true;
            sync_layers();
        });
}

void Controller::request_indices() {
    if (!model.data || model.data->counts.size() < 2) return;
    auto data = model.data;
    const auto g = static_cast<std::size_t>(std::clamp(ui.group, 0, static_cast<int>(data->counts.size()) - 1));
    jobs.submit<IndicesView>(
        "indices", t(S::Indices), [data, g](const JobContext& p) {
            // GL-free (inspect.hpp): a small group's single-group indices are refused there.
            return compute_indices(*data->project, data->units, g, privacy::DisclosurePolicy{}, p.progress);
        },
        [this](std::shared_ptr<const IndicesView> v) { model.indices = std::move(v); });
}

std::vector<const MeshBatch*> Controller::all_batches() const {
    // Canonical order, bottom to top: raster basemaps, the map's own layers, added vector
    // files. sync_layers and the saved-order fallback (view_state) both follow it, so a
    // basemap stays beneath the data whichever job publishes first.
    std::vector<const MeshBatch*> out;
    for (const auto& f : model.files)
        if (f.batch->image) out.push_back(f.batch.get());
    if (model.mesh)
        for (const auto& b : model.mesh->batches) out.push_back(&b);
    for (const auto& f : model.files)
        if (!f.batch->image) out.push_back(f.batch.get());
    return out;
}

std::vector<DrawItem> Controller::draw_items() const {
    std::vector<DrawItem> out;
    const auto batches = all_batches();
    for (const LayerState& l : ui.layers) {
        if (!l.visible) continue;
        for (const MeshBatch* b : batches)
            if (b->key == l.key) out.push_back({b, l.opacity});
    }
    return out;
}

void Controller::sync_layers() {
    std::vector<std::string> canonical;
    for (const MeshBatch* b : all_batches()) canonical.push_back(b->key);
    std::vector<LayerState> result;
    for (const LayerState& l : ui.layers)
        if (std::find(canonical.begin(), canonical.end(), l.key) != canonical.end()) result.push_back(l);
    for (std::size_t i = 0; i < canonical.size(); ++i) {
        const std::string& key = canonical[i];
        if (std::any_of(result.begin(), result.end(), [&](const LayerState& l) { return l.key == key; })) continue;
        std::size_t at = 0;  // after the nearest canonical predecessor already present
        for (std::size_t j = i; j-- > 0;) {
            auto it = std::find_if(result.begin(), result.end(), [&](const LayerState& l) { return l.key == canonical[j]; });
            if (it != result.end()) {
                at = static_cast<std::size_t>(it - result.begin()) + 1;
                break;
            }
        }
        result.insert(result.begin() + static_cast<std::ptrdiff_t>(at), LayerState{key, true, 1.0f});
    }
    ui.layers = std::move(result);
    apply_layer_settings(*this);  // visibility, opacity and order saved in the planning document
    renderer.invalidate();
}

int Controller::polygon_of_unit(std::uint32_t feature) const {
    return feature < m_unit_polygon.size() ? m_unit_polygon[feature] : -1;
}

std::string Controller::glyph_text() const {
    std::string s;
    for (const auto& e : kStrings) {
        s += e.zh;
        s += e.en;
    }
    if (model.data) s += model.data->names_text;
    for (const auto& z : model.plan.doc().zones) s += z.name_zh + z.name_en + z.status + z.owner + z.notes;
    if (const auto* sc = model.scene.get()) {
        s += sc->title + sc->subtitle + sc->stamp;
        for (const auto& n : sc->notes) s += n;
        for (const auto& l : sc->legend) s += l.label + l.ramp_low + l.ramp_high + l.ramp_unit;
        for (const auto& l : sc->labels) s += l.text;
    }
    for (const auto& f : model.files) s += f.batch->name_zh;
    s += ui.export_ui.settings.title + ui.export_ui.settings.path;  // typed in File > Export map…
    s += ui.browser.glyphs + ui.browser.dir + ui.browser.name.data();  // the file browser's names
    for (const auto& r : ui.recent) s += r;
    s += ui.conflict.path + ui.conflict.saved_as;
    return s;
}

std::vector<InfoRow> lisa_inspector_rows(const LisaView& l, std::size_t u, const std::string& group_label, UiLang lang) {
    std::vector<InfoRow> rows;
    if (u >= l.ii.size()) return rows;
    const std::string gname = " (" + group_label + ")";
    auto num = [](double v, const char* f) {
        if (!std::isfinite(v)) return std::string("—");
        char buf[64];
        std::snprintf(buf, sizeof buf, f, v);
        return std::string(buf);
    };
    if (l.is_withheld(u)) {  // published-only inputs: this unit did not enter (docs/privacy.md, "LISA")
        const std::string w = tr(S::LisaWithheld, lang);
        for (const char* name : {"LISA I_i", "LISA z", "LISA p"}) rows.push_back({name + gname, w});
        return rows;
    }
    rows.push_back({"LISA I_i" + gname, num(l.ii[u], "%.3f")});
    if (u < l.ii_z.size()) rows.push_back({"LISA z" + gname, num(l.ii_z[u], "%.2f")});
    if (u < l.p.size())
        rows.push_back({"LISA p" + gname, format_p(l.p[u], l.result ? l.result->inference.permutations : 0, lang)});
    return rows;
}

}  // namespace hq::view
