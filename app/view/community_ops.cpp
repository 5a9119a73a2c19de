// The Controller's side of a community from nothing (issue 16 §4): create the wizard's project
// folder and open it, start digitising the open project, save the units and boundary to the
// folder (reopened so the map shows them) or as a project GeoPackage (off the UI thread).
#include <filesystem>
#include <system_error>

#include "app/view/app.hpp"
#include "geo/project/gpkg_project.hpp"
#include "geo/project/unit_table.hpp"

namespace hq::view {

void Controller::community_create(const NewProjectWizard& wizard) {
    try {
        CommunitySpec spec = wizard.spec();
        write_community_folder(wizard.folder, spec, {});
        model.community.reset(wizard.folder, std::move(spec), {});
        if (!wizard.basemap.empty()) options.basemaps.push_back(wizard.basemap);  // added once it opens
        ui.community.show = true;
        ui.focus_tab = "community";
        ui.community.message.clear();
        open_project(wizard.folder);
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
    CommunitySpec spec;
    spec.name_zh = p.name_zh;
    spec.name_en = p.name_en;
    spec.metric = p.metric_crs;
    spec.groups = p.groups;
    if (const Layer* b = p.layer(Role::Boundary); b && b->size() > 0) spec.boundary = b->metric[0];
    UnitTable units;
    try {
        if (const Layer* u = p.layer(Role::Units); u && u->geom_type != GeomType::Point && u->geom_type != GeomType::MultiPoint) {
            std::vector<std::string> columns;
            for (const GroupDef& g : p.groups) columns.push_back(g.column);
            units = unit_table_from_layer(*u, columns);
        }
    } catch (const std::exception& e) {
        ui.errors.emplace_back(e.what());
        return;
    }
    model.community.reset(folder, std::move(spec), std::move(units));
    ui.community.show = true;
    ui.focus_tab = "community";
}

void Controller::community_save_folder() {
    CommunityEditor& ed = model.community;
    if (!ed.active()) return;
    try {
        write_community_folder(ed.folder(), ed.current_spec(), ed.units());
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
    const std::string folder = ed.folder();
    const CommunitySpec spec = ed.current_spec();
    const UnitTable units = ed.units();
    auto doc = std::make_shared<const plan::PlanDocument>(model.plan.doc());
    const std::uint64_t rev = ed.undo_stack().revision();
    jobs.submit<std::string>(
        "community-save", std::string(t(S::Saving)) + " " + path,
        [folder, spec, units, doc, path](const JobContext& c) {
            write_community_folder(folder, spec, units);
            const Project p = load_project(folder, {}, c.progress);
            save_gpkg_project(p, *doc, path, c.progress);
            return path;
        },
        [this, rev](std::shared_ptr<const std::string> saved) {
            if (model.community.undo_stack().revision() == rev) model.community.mark_saved();
            ui.community.message = std::string(t(S::DigSaved)) + ": " + *saved;
        });
}

}  // namespace hq::view
