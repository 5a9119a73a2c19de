// Planning documents as files (issue 6 §1): the document of an opened project, the planner
// job, Save / Save As to a project GeoPackage (atomic, off the UI thread), autosave to the
// recovery file, the recovery offer, the unsaved-edits question (New, Open, Quit), the title.
#include <imgui.h>

#include <algorithm>
#include <filesystem>

#include "app/view/db_plan.hpp"
#include "app/view/plan_panels.hpp"
#include "app/view/view_state.hpp"
#include "geo/core/error.hpp"
#include "geo/analysis/planning.hpp"
#include "geo/project/district.hpp"
#include "geo/project/gpkg_project.hpp"

namespace hq::view {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Where a project that is not a GeoPackage yet is saved (and autosaved) by default, beside
/// the project file: "DIR/NAME.gpkg" inside a project folder DIR/NAME (beside its
/// project.json; its recovery file DIR/NAME/NAME.recovery.gpkg stays in the folder too),
/// "NAME.gpkg" beside a file NAME.ext.
std::string default_target(const Controller& app) {
    if (!app.model.data) return {};
    std::string p = app.model.data->project->path;
    while (p.size() > 1 && (p.back() == '/' || p.back() == '\\')) p.pop_back();
    namespace fs = std::filesystem;
    std::error_code ec;
    if (ends_with(p, "project.json")) p = fs::path(p).parent_path().string();
    if (p.empty()) return "project.gpkg";
    if (fs::is_directory(p, ec)) {
        std::string name = fs::path(p).filename().string();
        if (name.empty() || name == "." || name == "..")
            name = fs::weakly_canonical(fs::path(p), ec).filename().string();
        if (name.empty()) name = "project";
        return (fs::path(p) / (name + ".gpkg")).string();
    }
    fs::path f(p);
    if (f.extension() == ".gpkg") return (f.parent_path() / (f.stem().string() + ".project.gpkg")).string();
    return (f.parent_path() / (f.stem().string() + ".gpkg")).string();
}


struct PlannerBox {
    std::shared_ptr<const plan::Planner> planner;
    std::string error;
};

}  // namespace

std::string plan_save_target(const Controller& app) {
    return app.model.plan.path().empty() ? app.ui.plan.default_target : app.model.plan.path();
}

void plan_project_loaded(Controller& app, const std::string& path) {
    PlanUi& pu = app.ui.plan;
    const ProjectData& d = *app.model.data;
    plan::PlanDocument doc = d.document ? *d.document : plan::PlanDocument{};
    std::string target = d.gpkg ? path : std::string();
    pu.default_target = d.gpkg ? path : default_target(app);
    const auto dbp = database_plan(app);  // a community's plan: saved to its database (db_plan.cpp)
    const bool database = dbp.has_value();
    if (database) target = pu.default_target = dbp->target;
    bool recovered = false;
    if (!pu.recovering.empty()) {  // opened a recovery file: it belongs to the project it recovers
        recovered = true;
        pu.default_target = pu.recovering;
        // A project GeoPackage's own recovery saves back to it; a folder's (DIR.gpkg, never
        // written yet) leaves the document without a file: Save asks, suggesting DIR.gpkg.
        target = pu.recovery_is_project ? pu.recovering : std::string();
        pu.recovering.clear();
    }
    app.model.plan.reset(std::move(doc), target, recovered);
    if ((d.gpkg || database) && !recovered) app.model.plan.set_file_revision(d.revision);
    view_project_loaded(app);  // the document's styles and layer visibility into the view
    pu.streets_available = false;
    if (const Layer* st = d.project->layer(Role::Streets))
        pu.streets_available = std::any_of(st->metric.begin(), st->metric.end(),
                                           [](const Geometry& g) { return g.is_line() && !g.empty(); });
    app.model.planner.reset();
    pu.planner_requested = false;
    pu.planner_error.clear();
    pu.eval.reset();
    pu.eval_planner = nullptr;
    pu.autosave.reset(app.model.plan.revision());
    std::vector<Geometry> snap, venues, courtyards;
    const Project& p = *d.project;
    if (d.units)
        for (const auto& g : d.units->metric)
            if (g.is_polygonal()) {
                snap.push_back(g);
                courtyards.push_back(g);
            }
    if (const Layer* b = p.layer(Role::Buildings); b && b != d.units)
        for (const auto& g : b->metric)
            if (g.is_polygonal()) snap.push_back(g);
    if (const Layer* v = p.layer(Role::Venues)) venues = v->metric;
    app.model.plan.set_snap_targets(std::move(snap));
    app.model.plan.set_buffer_targets(std::move(venues), std::move(courtyards));
    if (!pu.select_on_load.empty()) {
        app.model.plan.select(pu.select_on_load);
        pu.select_on_load.clear();
    }
    if (pu.active) app.plan_request_planner();
    const bool interactive = app.options.screenshot.empty() && app.options.bench_frames <= 0;
    if (!recovered && interactive) {
        const std::string t = plan_save_target(app);
        if (has_recovery(t)) {
            pu.recovery_target = t;
            pu.recovery_is_project = !app.model.plan.path().empty();
            pu.recovery_popup = true;
        }
    }
}

void plan_accept_recovery(Controller& app) {
    PlanUi& pu = app.ui.plan;
    if (pu.recovery_target.empty()) return;
    const std::string rp = recovery_path(pu.recovery_target);
    pu.recovery_popup = false;
    if (plan_recover_database(app)) {  // a community's plan is recovered in place (db_plan.cpp)
        pu.recovery_target.clear();
        return;
    }
    pu.recovering = pu.recovery_target;
    pu.open_confirmed = rp;
    pu.recovery_target.clear();  // answered (the dialog closes)
    app.open_project(rp);
}

bool plan_defer_open(Controller& app, const std::string& path) {
    PlanUi& pu = app.ui.plan;
    if (!app.model.plan.modified() || pu.open_confirmed == path) {
        pu.open_confirmed.clear();
        return false;
    }
    pu.after_unsaved = [&app, path]() {
        app.ui.plan.open_confirmed = path;
        app.open_project(path);
    };
    pu.unsaved_popup = true;
    return true;
}

void Controller::plan_request_planner() {
    if (!model.data) return;
    PlanUi& pu = ui.plan;
    pu.planner_requested = true;
    auto project = model.data->project;
    auto base = model.planner;
    const double radius = pu.radius_m;
    const plan::DistanceMode distance = pu.distance;
    // Another distance mode needs another street graph (or none): a new planner.
    if (base && distance != plan::DistanceMode::Auto && base->distance_mode() != distance) base.reset();
    if (base && distance == plan::DistanceMode::Auto && base->options().distance != plan::DistanceMode::Auto) base.reset();
    auto data = model.data;
    jobs.submit<PlannerBox>(
        "planner", t(S::PlannerPreparing),
        [project, base, radius, distance](const JobContext& c) {
            PlannerBox b;
            try {
                if (base) {  // a new radius: the venues' coverage is recomputed, nothing else
                    plan::Planner p = *base;
                    p.set_radius(radius);
                    b.planner = std::make_shared<const plan::Planner>(std::move(p));
                } else {
                    const plan::PlannerOptions o = viewer_planner_options(radius, distance);
                    b.planner = std::make_shared<const plan::Planner>(analysis::make_planner(*project, o, c.progress));
                }
            } catch (const Cancelled&) {
                throw;
            } catch (const std::exception& e) {
                b.error = e.what();  // e.g. a project without groups: shown in the zone window
            }
            return b;
        },
        [this, data](std::shared_ptr<const PlannerBox> b) {
            if (model.data != data) return;  // another project was opened meanwhile
            model.planner = b->planner;
            ui.plan.planner_error = b->error;
            ui.plan.eval_planner = nullptr;  // re-evaluate
        });
}

void Controller::plan_save(const std::string& path, std::function<void()> then, bool overwrite) {
    if (!model.data) return;
    if (!ends_with(path, ".gpkg")) {
        ui.errors.push_back(std::string(t(S::NotGpkg)) + ": " + path);
        return;
    }
    struct Saved {
        std::string path;
        std::uint64_t revision = 0;
        std::string file_revision;
        std::string conflict_copy;  ///< another writer saved `path`: ours went here
    };
    record_view_extent(*this);  // the map extent goes with the project (no undo step)
    auto project = model.data->project;
    auto doc = std::make_shared<const plan::PlanDocument>(model.plan.doc());
    const std::uint64_t rev = model.plan.revision();
    const std::string previous = plan_save_target(*this);
    // Saving over the file the document came from: only while nobody else saved it since.
    const std::optional<std::string> base =
        path == model.plan.path() && !overwrite ? model.plan.file_revision() : std::nullopt;
    const std::string old_copy = overwrite && ui.conflict.path == path ? ui.conflict.saved_as : std::string();
    // A community's plan goes back to its database (db_plan.hpp): the revision check, a
    // conflict (zh and en, both versions kept) shown as this job's error.
    std::optional<DatabasePlan> dbp = database_plan(*this);
    if (dbp && (dbp->target.empty() || path != dbp->target)) dbp.reset();  // Save As a file
    jobs.submit<Saved>(
        "save", std::string(t(S::Saving)) + " " + (dbp ? dbp->community : path),
        [project, doc, path, rev, previous, base, old_copy, dbp](const JobContext& c) {
            Saved s{path, rev, {}, {}};
            if (dbp) {
                s.file_revision =
                    district::save_plan_and_discard_recovery(dbp->source, dbp->community, *project, *doc, base);
                return s;
            }
            try {
                s.file_revision = save_gpkg_project(*project, *doc, path, c.progress, base);
            } catch (const SaveConflict& e) {  // ours is saved beside: the dialog asks what next
                s.conflict_copy = e.saved_as;
                s.file_revision = gpkg_project_revision(e.saved_as);
                discard_recovery(previous);  // nothing is lost: the copy holds the edits
                return s;
            }
            discard_recovery(path);
            if (previous != path) discard_recovery(previous);
            if (!old_copy.empty()) {  // overwritten with the same document: the conflict copy goes
                std::error_code ec;
                std::filesystem::remove(old_copy, ec);
            }
            return s;
        },
        [this, then = std::move(then)](std::shared_ptr<const Saved> s) mutable {
            if (!s->conflict_copy.empty()) {
                ui.conflict = SaveConflictUi{true, s->path, s->conflict_copy, s->revision, s->file_revision, std::move(then)};
                return;
            }
            if (ui.conflict.path == s->path) ui.conflict = {};
            model.plan.mark_saved(s->path, s->revision);
            model.plan.set_file_revision(s->file_revision);
            ui.plan.autosave.reset(s->revision);
            ui.plan.status = std::string(t(S::MenuSave)) + ": " + s->path;
            if (then) then();
        });
}

void Controller::plan_resolve_conflict(ConflictChoice choice) {
    SaveConflictUi c = std::move(ui.conflict);
    ui.conflict = {};
    if (c.path.empty()) return;
    switch (choice) {
    case ConflictChoice::KeepMineAsCopy:  // the document now lives in the copy, saved
        model.plan.mark_saved(c.saved_as, c.revision);
        model.plan.set_file_revision(c.file_revision);
        ui.plan.autosave.reset(c.revision);
        ui.plan.default_target = c.saved_as;
        ui.plan.status = std::string(t(S::MenuSave)) + ": " + c.saved_as;
        if (c.then) c.then();
        break;
    case ConflictChoice::ReloadTheirs:  // mine stays in the copy; no question about unsaved edits
        ui.plan.open_confirmed = c.path;
        open_project(c.path);
        break;
    case ConflictChoice::Overwrite:
        ui.conflict.path = c.path;  // plan_save removes the copy once the overwrite worked
        ui.conflict.saved_as = c.saved_as;
        plan_save(c.path, std::move(c.then), /*overwrite=*/true);
        break;
    }
}

void plan_save_or_ask(Controller& app) {
    if (!app.model.data) return;
    if (app.model.plan.path().empty()) {  // not a project GeoPackage yet: Save is Save As
        app.ui.plan.save_path_input = app.ui.plan.default_target;
        app.ui.plan.save_as_popup = true;
    } else {
        app.plan_save(app.model.plan.path());
    }
}

void plan_save_as_prompt(Controller& app) {
    if (!app.model.data) return;
    app.ui.plan.save_path_input = plan_save_target(app);
    app.ui.plan.save_as_popup = true;
}

void plan_new(Controller& app) {
    if (!app.model.data) return;
    auto fresh = [&app]() { app.model.plan.reset({}, {}); };
    if (!app.model.plan.modified()) {
        fresh();
        return;
    }
    app.ui.plan.after_unsaved = fresh;
    app.ui.plan.unsaved_popup = true;
}

double Controller::plan_tick(double now_s) {
    PlanUi& pu = ui.plan;
    PlanEditor& ed = model.plan;
    sync_view_from_document(*this);  // undo / redo / History / New: the view follows the document
    if (!model.data || jobs.busy("autosave") || jobs.busy("save")) return 1.0;
    if (pu.autosave.due(now_s, ed.modified(), ed.revision())) {
        auto project = model.data->project;
        auto doc = std::make_shared<const plan::PlanDocument>(ed.doc());
        const std::uint64_t rev = ed.revision();
        const std::string target = plan_save_target(*this);
        auto data = model.data;
        const std::optional<std::string> base = ed.file_revision();
        std::optional<DatabasePlan> dbp = database_plan(*this);
        if (dbp && (dbp->target.empty() || target != dbp->target)) dbp.reset();
        jobs.submit<std::uint64_t>(
            "autosave", t(S::Autosaving),
            [project, doc, rev, target, dbp, base](const JobContext& c) {
                if (dbp)  // the base revision recorded with it (db_plan.hpp)
                    district::autosave_plan(dbp->source, dbp->community, *project, *doc, base, c.progress);
                else
                    autosave(*project, *doc, target, c.progress);
                return rev;
            },
            [this, data, target](std::shared_ptr<const std::uint64_t> r) {
                if (model.data != data) return;
                ui.plan.autosave.saved(*r);
                ui.plan.status = std::string(t(S::Autosaving)) + ": " + recovery_path(target);
            });
        return 1.0;
    }
    return pu.autosave.wait_s(now_s);
}

bool plan_may_quit(Controller& app) {
    PlanUi& pu = app.ui.plan;
    if (!app.model.plan.modified() || pu.quit_confirmed) return true;
    pu.after_unsaved = [&app]() {
        app.ui.plan.quit_confirmed = true;
        app.quit = true;
    };
    pu.unsaved_popup = true;
    return false;
}

std::string plan_window_title(const Controller& app) {
    std::string name;
    if (app.model.data)
        name = app.ui.lang == UiLang::Zh ? app.model.data->project->name_zh : app.model.data->project->name_en;
    // A community's plan is named by the community, not by its recovery file (db_plan.hpp).
    const std::string path = is_database_plan(app) ? std::string() : app.model.plan.path();
    return window_title(app.t(S::AppTitle), name, path, app.model.plan.modified(), app.ui.lang);
}

}  // namespace hq::view
