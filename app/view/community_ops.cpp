// The Controller's side of a community from nothing (issue 16 §4): create the wizard's project
// folder (geo's create_project_folder) and open it, start digitising the open project, save the
// edited project back to its folder (reopened so the map shows it) or as a project GeoPackage
// (off the UI thread).
#include <filesystem>
#include <system_error>

#include "app/view/app.hpp"
#include "geo/project/community_edit.hpp"
#include "geo/project/gpkg_project.hpp"
#include "geo/project/new_project.hpp"

namespace hq::view {

void Controller::community_create(const NewProjectWizard& wizard) {
    try {
        const NewProjectSpec spec = wizard.spec();
        create_project_folder(spec);
        model.community.reset(spec.dir, load_project(spec.dir));
        ui.community.show = true;
        ui.focus_tab = "community";
        ui.community.message.clear();
        open_project(spec.dir);  // its basemap is added once it is open (Project::basemap)
    } catch (const std::exception& e) {
        ui.errors.emplace_back(e.what());
    }
}

void Controller::community_start() {
    if (!model.data) return;
    const Project& p = *model.data->project;
    namespace fs = std::filesystem;
    std::error_code ec;
    // A folder project is edited in place; a single file or a GeoPackage gets a folder beside it.
    std::string folder = p.path;
    if (!fs::is_directory(folder, ec)) {
        const fs::path f(p.path);
        folder = (f.parent_path() / (f.stem().string() + "_project")).string();
    }
    model.community.reset(folder, p);
    ui.community.show = true;
    ui.focus_tab = "community";
}

void Controller::community_save_folder() {
    CommunityEditor& ed = model.community;
    if (!ed.active()) return;
    try {
        write_project_folder(ed.folder(), ed.project());
        ed.mark_saved();
        ui.community.message = std::string(t(S::DigSaved)) + ": " + ed.folder();
        open_project(ed.folder());
    } catch (const std::exception& e) {
        ui.community.message = e.what();
        ui.errors.emplace_back(e.what());
    }
}

void Controller::community_save_gpkg(const std::string& path) {
    CommunityEditor& ed = model.community;
    if (!ed.active()) return;
    auto project = std::make_shared<const Project>(ed.project());
    auto doc = std::make_shared<const plan::PlanDocument>(model.plan.doc());
    const std::uint64_t rev = ed.undo_stack().revision();
    jobs.submit<std::string>(
        "community-save", std::string(t(S::Saving)) + " " + path,
        [project, doc, path](const JobContext& c) {
            Project checked = *project;
            check_project(checked, path);  // what load_project would refuse is refused before writing
            save_gpkg_project(checked, *doc, path, c.progress);
            return path;
        },
        [this, rev](std::shared_ptr<const std::string> saved) {
            if (model.community.undo_stack().revision() == rev) model.community.mark_saved();
            ui.community.message = std::string(t(S::DigSaved)) + ": " + *saved;
        });
}

}  // namespace hq::view
