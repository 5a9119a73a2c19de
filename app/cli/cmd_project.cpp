// huqian project push|pull|list: a district's communities in one PostGIS database
// (geo/project/district.hpp, docs/postgis.md).
//   huqian project push PROJECT PG:... --community NAME
//   huqian project pull PG:... --community NAME -o DIR|FILE.gpkg
//   huqian project list PG:...
#include <filesystem>
#include <iostream>
#include <memory>

#include "app/cli/command.hpp"
#include "app/cli/common.hpp"
#include "geo/core/text.hpp"
#include "geo/io/postgis.hpp"
#include "geo/project/district.hpp"
#include "geo/project/gpkg_project.hpp"

namespace hq::cli {
namespace {

namespace fs = std::filesystem;

struct ProjectArgs {
    std::string project;
    std::string database;
    std::string community;
    std::string output;
    LoadArgs load;
};

void check_database(const std::string& source) {
    if (!pg::is_pg_source(source))
        throw UsageError("the database must be a PostgreSQL connection string (PG:service=NAME or PG:host=... dbname=...)");
    pg::allow_database(source);
}

void push(const ProjectArgs& a) {
    check_database(a.database);
    plan::PlanDocument document;
    Project project;
    if (fs::path(a.project).extension() == ".gpkg" && is_gpkg_project(a.project)) {
        GpkgProject gp = open_gpkg_project(a.project);
        for (const auto& w : gp.project.warnings) print_warning(w);
        project = std::move(gp.project);
        document = std::move(gp.document);
    } else {
        project = load_for_command(a.project, a.load);
        std::vector<std::string> warnings;
        document = plan::document_from_project(project, &warnings);  // its zones layer is the plan
        for (const auto& w : warnings) print_warning(w);
    }
    StderrProgress bar("pushing");
    const Progress progress([&bar](double f, std::string_view s) { bar(f, s); }, nullptr);
    const std::size_t n = district::push(a.database, a.community, project, document, progress);
    std::cerr << "huqian: pushed " << n << " features of community " << printable(a.community) << " to "
              << printable(pg::redact(a.database)) << "\n";
}

void pull(const ProjectArgs& a) {
    check_database(a.database);
    std::string out = a.output;
    if (fs::path(out).extension() != ".gpkg") {
        // A folder: the community's project file inside it.
        std::error_code ec;
        fs::create_directories(out, ec);
        if (!fs::is_directory(out, ec)) throw InputError(ErrorContext{out}, "-o: not a folder and not a .gpkg file");
        out = (fs::path(out) / (safe_file_name(a.community) + ".gpkg")).string();
    }
    StderrProgress bar("pulling");
    const Progress progress([&bar](double f, std::string_view s) { bar(f, s); }, nullptr);
    district::pull(a.database, a.community, out, progress);
    std::cerr << "huqian: wrote " << printable(out) << "\n";
}

void setup(CLI::App& app) {
    auto args = std::make_shared<ProjectArgs>();
    CLI::App* cmd = app.add_subcommand("project", "A district's communities in one PostGIS database: push, pull, list");
    cmd->require_subcommand(1);
    CLI::App* ps = cmd->add_subcommand("push", "Write a project (folder or .gpkg) into the database as a community");
    ps->add_option("PROJECT", args->project, "Project folder, project .gpkg or vector file")->required();
    ps->add_option("DATABASE", args->database, "PG:service=NAME or PG:host=... dbname=...")->required();
    args->load.add_to(ps, false);  // --community: the community's name (its key in the database)
    ps->callback([args] {
        if (args->load.community.empty()) throw UsageError("project push: give --community NAME");
        args->community = args->load.community;
        args->load.community.clear();  // it names the community to write, not one to read
        push(*args);
    });
    CLI::App* pl = cmd->add_subcommand("pull", "Write a community of the database as a project GeoPackage");
    pl->add_option("DATABASE", args->database, "PG:service=NAME or PG:host=... dbname=...")->required();
    pl->add_option("--community", args->community, "The community to pull")->required();
    pl->add_option("-o,--output", args->output, "FILE.gpkg, or a folder (the file is then FOLDER/COMMUNITY.gpkg)")->required();
    pl->callback([args] { pull(*args); });
    CLI::App* ls = cmd->add_subcommand("list", "Print the communities of the database, one per line");
    ls->add_option("DATABASE", args->database, "PG:service=NAME or PG:host=... dbname=...")->required();
    ls->callback([args] {
        check_database(args->database);
        for (const auto& c : district::communities(args->database)) std::cout << printable(c) << "\n";
    });
}

const Registrar reg{"project", 88, &setup};

}  // namespace
}  // namespace hq::cli
