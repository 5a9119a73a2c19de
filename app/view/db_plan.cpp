#include "app/view/db_plan.hpp"

#include "app/view/app.hpp"
#include "geo/core/error.hpp"
#include "geo/io/postgis.hpp"
#include "geo/project/district.hpp"

namespace hq::view {

std::string plan_database_target(const ProjectData& data) {
    if (data.db_community.empty()) return {};
    try {
        return district::plan_recovery_target(data.db_source, data.db_community);
    } catch (const InputError&) {
        return {};  // no HOME nor XDG_STATE_HOME: no autosave, Save still goes to the database
    }
}

std::string plan_database_target(const Controller& app) {
    return app.model.data ? plan_database_target(*app.model.data) : std::string();
}

bool plan_recover_database(Controller& app) {
    if (!app.model.data || app.model.data->db_community.empty()) return false;
    const ProjectData& d = *app.model.data;
    try {
        if (auto r = district::recovered_plan(d.db_source, d.db_community)) {
            app.model.plan.reset(std::move(r->document), plan_database_target(d), true);
            app.model.plan.set_file_revision(r->base_revision);
            app.ui.plan.autosave.reset(app.model.plan.revision());
        }
    } catch (const InputError& e) {
        app.ui.errors.push_back(e.what());
    }
    return true;
}

void Controller::plan_save_database(std::function<void()> then) {
    if (!model.data || model.data->db_community.empty()) return;
    struct Saved {
        std::uint64_t revision = 0;
        std::string plan_revision;
    };
    auto data = model.data;
    auto doc = std::make_shared<const plan::PlanDocument>(model.plan.doc());
    const std::uint64_t rev = model.plan.revision();
    const std::optional<std::string> base = model.plan.file_revision();
    const std::string shown = pg::redact(data->db_source) + " · " + data->db_community;
    jobs.submit<Saved>(
        "save", std::string(t(S::Saving)) + " " + shown,
        [data, doc, rev, base](const JobContext&) {
            // A conflict throws district::PlanConflict (zh and en, naming the copy kept):
            // shown as the job's error; the edits stay unsaved here and in the recovery file.
            return Saved{rev, district::save_plan_and_discard_recovery(data->db_source, data->db_community,
                                                                       *data->project, *doc, base)};
        },
        [this, data, shown, then = std::move(then)](std::shared_ptr<const Saved> s) {
            if (model.data != data) return;
            model.plan.mark_saved(plan_database_target(*data), s->revision);
            model.plan.set_file_revision(s->plan_revision);
            ui.plan.autosave.reset(s->revision);
            ui.plan.status = std::string(t(S::MenuSave)) + ": " + shown;
            if (then) then();
        });
}

}  // namespace hq::view
