// huqian project new|import-roster: a community's project from nothing (geo/project/new_project.hpp)
// and its committee's roster (geo/project/roster.hpp); push|pull|list: a district's communities
// in one PostGIS database (geo/project/district.hpp, docs/postgis.md).
//   huqian project new DIR --name NAME --crs EPSG:n [--boundary FILE] [--units FILE] [--basemap GEOTIFF]
//   huqian project import-roster PROJECT ROSTER.xlsx|.csv [--map COLUMN=FIELD ...] [--unit-column COL]
//                                [--sheet NAME] [--dry-run] [--skip-unrecognised] [-o FILE.gpkg]
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
#include "geo/io/reader.hpp"
#include "geo/project/gpkg_project.hpp"
#include "geo/project/new_project.hpp"
#include "geo/project/roster.hpp"

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

struct NewArgs {
    NewProjectSpec spec;
    std::string name;
};

void create(NewArgs& a) {
    if (!a.name.empty()) {
        // One name for both languages unless the project gets two later (manifest name.zh/en).
        if (a.spec.name_zh.empty()) a.spec.name_zh = a.name;
        if (a.spec.name_en.empty()) a.spec.name_en = a.name;
    }
    const NewProjectFiles f = create_project_folder(a.spec);
    for (const auto& w : f.warnings) print_warning(w);
    for (const auto& file : f.files) std::cerr << "huqian: wrote " << printable((fs::path(a.spec.dir) / file).string()) << "\n";
}

struct RosterArgs {
    std::string project;
    std::string roster;
    std::string sheet;
    std::string unit_column;
    std::vector<std::string> maps;
    std::string output;
    bool dry_run = false;
    bool skip_unrecognised = false;
    LoadArgs load;
};

void import_roster(const RosterArgs& a) {
    ReadOptions ro;
    ro.layer = a.sheet;
    ro.encoding = a.load.encoding;
    const Table table = read_table(a.roster, ro);
    RosterMapping mapping = guess_roster_mapping(table);
    if (!a.unit_column.empty()) set_roster_column(mapping, table, a.unit_column, RosterField::Unit);
    for (const auto& m : a.maps) apply_roster_map_option(mapping, table, m);
    // The mapping first, always (on stderr: stdout stays for data).
    std::cerr << "huqian: roster " << printable(a.roster) << ": " << table.rows.size() << " rows, columns mapped as:\n"
              << printable_lines(mapping.describe());
    const RosterCounts counts = aggregate_roster(table, mapping);
    for (const auto& i : counts.issues) std::cerr << "huqian: roster: " << i.line() << "\n";
    std::cerr << "huqian: roster: " << counts.units.size() << " units, " << counts.groups.size() << " groups, "
              << counts.issues.size() << " rows not counted\n";
    if (a.dry_run) {
        std::cerr << "huqian: --dry-run: nothing written\n";
        return;
    }
    if (!counts.issues.empty() && !a.skip_unrecognised)
        throw InputError(ErrorContext{a.roster}, std::to_string(counts.issues.size()) +
                                                     " rows are not counted (listed above): fix them, map the columns "
                                                     "with --map, or give --skip-unrecognised to import without them");
    if (counts.units.empty()) throw InputError(ErrorContext{a.roster}, "no row of the roster was counted");

    Project project = load_for_command(a.project, a.load);
    const RosterApplied applied = apply_roster(project, counts);
    for (const auto& u : applied.rows_without_unit)
        print_warning(a.roster + ": unit " + u + " is not on the map (its rows are not counted)");
    if (!applied.rows_without_unit.empty() && !a.skip_unrecognised)
        throw InputError(ErrorContext{a.roster, {}, {}, {}, mapping.unit_column},
                         std::to_string(applied.rows_without_unit.size()) +
                             " units of the roster are not on the map (listed above): fix the ids, or give "
                             "--skip-unrecognised to import without them");
    if (!applied.units_without_rows.empty())
        print_warning(std::to_string(applied.units_without_rows.size()) +
                      " units of the map are not in the roster: their counts are 0");

    std::error_code ec;
    if (!a.output.empty()) {
        if (fs::path(a.output).extension() != ".gpkg")
            throw UsageError("project import-roster: -o names a project GeoPackage (FILE.gpkg); without -o the project folder is updated");
        std::vector<std::string> warnings;
        const plan::PlanDocument document = plan::document_from_project(project, &warnings);
        for (const auto& w : warnings) print_warning(w);
        save_gpkg_project(project, document, a.output);
        std::cerr << "huqian: wrote " << printable(a.output) << "\n";
        return;
    }
    const fs::path p(a.project);
    const fs::path dir = fs::is_directory(p, ec) ? p : (p.filename() == "project.json" ? p.parent_path() : fs::path());
    if (dir.empty())
        throw UsageError("project import-roster: " + printable(a.project) +
                         " is not a project folder: give -o FILE.gpkg to write the project with the roster's counts");
    save_roster_to_folder(dir.string(), project, mapping, counts, a.roster);
    std::cerr << "huqian: wrote " << printable((dir / "roster_counts.csv").string()) << " and "
              << printable((dir / "project.json").string()) << "\n";
}

void setup(CLI::App& app) {
    auto args = std::make_shared<ProjectArgs>();
    CLI::App* cmd = app.add_subcommand(
        "project", "A project from nothing (new), a committee's roster (import-roster); a district's communities in one "
                   "PostGIS database (push, pull, list)");
    cmd->require_subcommand(1);
    auto nargs = std::make_shared<NewArgs>();
    CLI::App* nw = cmd->add_subcommand("new", "Create a project folder: name, metric CRS, boundary, units, basemap");
    nw->add_option("DIR", nargs->spec.dir, "The project folder (new, or empty)")->required();
    nw->add_option("--name", nargs->name, "The project's name (both languages; --name-zh / --name-en for one)");
    nw->add_option("--name-zh", nargs->spec.name_zh, "The project's Chinese name");
    nw->add_option("--name-en", nargs->spec.name_en, "The project's English name");
    nw->add_option("--crs", nargs->spec.crs, "Metric CRS for measuring, e.g. EPSG:4544 (CGCS2000 3-degree GK, 105E)")->required();
    nw->add_option("--boundary", nargs->spec.boundary, "Vector file with the community's boundary polygon(s)");
    nw->add_option("--units", nargs->spec.units, "Vector file with the units: polygons (courtyards, buildings) or points (households)");
    nw->add_option("--units-id", nargs->spec.units_id, "The units' id column (default: id when present, else numbered)");
    nw->add_option("--source-crs", nargs->spec.source_crs, "The files' coordinates when they do not say: GCJ-02, BD-09 or EPSG:n");
    nw->add_option("--basemap", nargs->spec.basemap, "An orthophoto GeoTIFF, copied into the folder as the project's basemap");
    nw->callback([nargs] {
        if (nargs->name.empty() && nargs->spec.name_zh.empty() && nargs->spec.name_en.empty())
            throw UsageError("project new: give --name NAME");
        create(*nargs);
    });
    auto rargs = std::make_shared<RosterArgs>();
    CLI::App* ir = cmd->add_subcommand("import-roster", "Put a committee's roster (XLSX/CSV, Chinese or English headers) on a project as counts per unit");
    ir->add_option("PROJECT", rargs->project, "Project folder (updated in place), or a units file with -o FILE.gpkg")->required();
    ir->add_option("ROSTER", rargs->roster, "The roster: .xlsx, .ods or .csv, one row per person, per household or per unit")->required();
    ir->add_option("--map", rargs->maps,
                   "COLUMN=FIELD: what a column is (unit, ethnicity, size, ignore, or a group name for a count column); repeatable");
    ir->add_option("--unit-column", rargs->unit_column, "The column of the unit ids (the same as --map COLUMN=unit)");
    ir->add_option("--sheet", rargs->sheet, "The sheet of a workbook (default: the first)");
    ir->add_flag("--dry-run", rargs->dry_run, "Show the mapping and the rows not counted; write nothing");
    ir->add_flag("--skip-unrecognised", rargs->skip_unrecognised,
                 "Import even when rows are not counted (unknown group names, empty cells, units not on the map)");
    ir->add_option("-o,--output", rargs->output, "Write a project GeoPackage instead of updating the folder");
    rargs->load.offer_groups = false;
    rargs->load.add_to(ir, false);
    ir->callback([rargs] { import_roster(*rargs); });
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
