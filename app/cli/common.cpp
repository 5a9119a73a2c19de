#include "app/cli/common.hpp"

#include "app/carto/ramps.hpp"

#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <vector>

#include "app/cli/command.hpp"
#include "geo/analysis/weights.hpp"
#include "geo/core/text.hpp"
#include "geo/io/postgis.hpp"

namespace hq::cli {

void LoadArgs::add_to(CLI::App* cmd, bool with_layer) {
    if (with_layer) cmd->add_option("--layer", layer, "Layer name inside a multi-layer file (e.g. a GeoPackage)");
    cmd->add_option("--crs", crs,
                    "Metric CRS for measuring, e.g. EPSG:4544 (default: the data's own projected CRS in metres when "
                    "it fits the data, else the UTM zone of its centroid)");
    cmd->add_option("--source-crs", source_crs,
                    "The data's coordinates when the file does not say: GCJ-02 (AMap/Gaode, Tencent), BD-09 (Baidu) "
                    "or a CRS such as EPSG:4544 that replaces the file's own");
    cmd->add_option("--encoding", encoding, "Source text encoding of legacy Shapefile/CSV files, e.g. GBK");
    cmd->add_option("--community", community,
                    "With a PG: source, open this community of the district database (docs/postgis.md)");
    cmd->add_option("--db", databases,
                    "A PostGIS database (PG:...) the project's manifest may name; repeatable (docs/postgis.md)");
    if (offer_groups)
        cmd->add_option("--groups", groups,
                        "A single vector file: its count columns, which become the groups (a manifest's groups win)")
            ->delimiter(',');
}

LoadOptions LoadArgs::options() const {
    LoadOptions o;
    o.layer = layer;
    o.crs = crs;
    o.source_crs = source_crs;
    o.encoding = encoding;
    o.community = community;
    return o;
}

void PrivacyArgs::add_to(CLI::App* cmd) {
    cmd->add_option("--privacy-k", k, "Privacy threshold: counts 0..k-1 print as \"<k\" (docs/privacy.md)")
        ->capture_default_str();
    cmd->add_flag("--no-privacy-guard", no_guard,
                  "Print every count (for the data owner; the output is stamped \"contains small counts\")");
}

privacy::DisclosurePolicy PrivacyArgs::policy() const {
    privacy::DisclosurePolicy p;
    p.k = k;
    p.guard = !no_guard;
    p.check();
    if (!p.guard) std::cerr << "huqian: warning: privacy guard off; the output is stamped \"" << p.stamp() << "\"\n";
    return p;
}

void AnalysisArgs::add_to(CLI::App* cmd, Use use) {
    if (use.group)
        cmd->add_option("--group", group,
                        "Group: a count column or the manifest group's zh/en name (its share of --total)");
    if (use.total)
        cmd->add_option("--total", total, "Denominator of the group's share: a count column (default: the sum of the "
                                          "manifest's groups)");
    if (use.groups)
        cmd->add_option("--groups", groups, "Groups for the multigroup indices, comma-separated (default: the manifest's)")
            ->delimiter(',');
    if (use.weights)
        cmd->add_option("--weights", weights,
                        std::string("Spatial weights: ") + weights_spec_forms() +
                            " (metres); contiguity falls back to the 6 nearest neighbours when more than a quarter "
                            "of the units touch no other")
            ->capture_default_str();
    if (use.inference) {
        cmd->add_option("--permutations", permutations, "Permutations for the pseudo p-values (0 = none)")
            ->capture_default_str();
        cmd->add_option("--seed", seed, "Random seed (results do not depend on the thread count)")->capture_default_str();
    }
    if (use.significance) {
        cmd->add_option("--alpha", alpha, "Significance level")->capture_default_str();
        cmd->add_option("--adjust", adjust, "Multiple-comparison adjustment of local p-values: none | bonferroni | fdr")
            ->check(CLI::IsMember({"none", "bonferroni", "fdr"}))
            ->capture_default_str();
    }
}

nlohmann::ordered_json weights_json(const analysis::WeightsProvenance& w) {
    nlohmann::ordered_json j;
    j["requested"] = w.requested;
    j["used"] = w.used;
    j["fallback"] = w.fallback ? nlohmann::ordered_json{{"rule", "contiguity leaves more than a quarter of the units "
                                                                 "without a neighbour: k nearest points on surface"},
                                                        {"contiguity_islands", w.contiguity_islands},
                                                        {"note_en", w.note_en},
                                                        {"note_zh", w.note_zh}}
                               : nlohmann::ordered_json(nullptr);
    j["islands"] = w.islands;
    j["min_neighbours"] = w.min_neighbours;
    j["mean_neighbours"] = w.mean_neighbours;
    j["max_neighbours"] = w.max_neighbours;
    j["symmetric"] = w.symmetric;
    return j;
}

void keep_until_exit(Project&& project) {
    static std::mutex m;
    static auto* kept = new std::vector<std::unique_ptr<Project>>();  // never destroyed: see the header
    const std::lock_guard lock(m);
    kept->push_back(std::make_unique<Project>(std::move(project)));
}

Project load_for_command(const std::string& path, const LoadArgs& args) {
    // The databases the user named on the command line, and only those, may be opened.
    if (pg::is_pg_source(path)) pg::allow_database(path);
    for (const auto& d : args.databases) {
        if (!pg::is_pg_source(d)) throw UsageError("--db: \"" + pg::redact(d) + "\" is not a PG: connection string");
        pg::allow_database(d);
    }
    if (!args.community.empty() && !pg::is_pg_source(path))
        throw UsageError("--community: the source must be a PostGIS database (PG:...), not " + path);
    StderrProgress bar("loading");
    Progress progress([&bar](double f, std::string_view s) { bar(f, s); }, nullptr);
    Project p = load_project(path, args.options(), progress);
    for (const auto& w : p.warnings) print_warning(w);
    adopt_groups(p, args.groups);
    return p;
}

std::size_t display_columns(const std::string& s) {
    std::size_t cols = 0;
    for (unsigned char c : s) cols += (c < 0x80) ? 1 : ((c & 0xC0) != 0x80 ? 2 : 0);
    return cols;
}

std::string pad_columns(const std::string& s, std::size_t width) {
    const std::size_t cols = display_columns(s);
    return s + (cols < width ? std::string(width - cols, ' ') : "");
}

std::string shown_path(const Project& p, const std::string& path) {
    if (p.path.empty()) return path;
    const std::filesystem::path base = std::filesystem::path(p.path).lexically_normal();
    const std::filesystem::path rel = std::filesystem::path(path).lexically_normal().lexically_relative(base);
    if (rel.empty() || *rel.begin() == "..") return path;
    return rel.string();
}

void adopt_groups(Project& project, const std::vector<std::string>& columns) {
    if (!project.groups.empty() || columns.empty()) return;
    const Layer* units = project.analysis_layer();
    if (!units) throw InputError(ErrorContext{project.path}, "--groups: the file has no layer of units");
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (units->table.field_index(columns[i]) < 0)
            throw InputError(ErrorContext{units->path(), units->name(), {}, {}, columns[i]},
                             "--groups: no such count column");
        GroupDef g;
        g.column = columns[i];
        g.name_zh = g.name_en = columns[i];
        g.color = carto::categorical_color(i).to_hex();
        project.groups.push_back(std::move(g));
    }
}

void print_warning(const std::string& text) { std::cerr << "huqian: warning: " << printable(text) << "\n"; }
void print_note(const std::string& text) { std::cerr << "huqian: note: " << printable(text) << "\n"; }

}  // namespace hq::cli
