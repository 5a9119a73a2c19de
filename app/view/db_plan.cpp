#include "app/view/db_plan.hpp"

#include "app/view/app.hpp"
#include "geo/core/error.hpp"
#include "geo/io/postgis.hpp"
#include "geo/project/district.hpp"

namespace hq::view {

bool is_database_plan(const Controller& app) {
    const ViewerOptions& o = app.options;
    return app.model.data && !o.community.empty() && pg::is_pg_source(o.project) &&
           app.model.data->project->path == district::community_path(o.project, o.community);
}

std::optional<DatabasePlan> database_plan(const Controller& app) {
    if (!is_database_plan(app)) return std::nullopt;
    const ViewerOptions& o = app.options;
    DatabasePlan d{o.project, o.community, {}};
    try {
        d.target = district::plan_recovery_target(o.project, o.community);
    } catch (const InputError&) {
        // no HOME nor XDG_STATE_HOME: no autosave; Save asks for a file
    }
    return d;
}

bool plan_recover_database(Controller& app) {
    const auto d = database_plan(app);
    if (!d) return false;
    try {
        if (auto r = district::recovered_plan(d->source, d->community)) {
            app.model.plan.reset(std::move(r->document), d->target, true);
            app.model.plan.set_file_revision(r->base_revision);
            app.ui.plan.autosave.reset(app.model.plan.revision());
        }
    } catch (const InputError& e) {
        app.ui.errors.push_back(e.what());
    }
    return true;
}

}  // namespace hq::view
