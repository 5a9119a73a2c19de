#pragma once
// Options and helpers shared by the subcommands.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "geo/privacy/disclosure.hpp"
#include "geo/analysis/provenance.hpp"
#include "geo/project/project.hpp"

namespace hq::cli {

/// --layer, --crs, --encoding, --community, --db: how to read PATH.
struct LoadArgs {
    std::string layer;
    std::string crs;
    std::string source_crs;
    std::string encoding;
    std::string community;               ///< --community: a community of a PG: district database
    std::vector<std::string> databases;  ///< --db: PG: sources a manifest may name
    std::vector<std::string> groups;  ///< --groups of a single vector file (adopt_groups)
    bool offer_groups = true;         ///< false where --groups means something else (indices)

    void add_to(CLI::App* cmd, bool with_layer = true);
    [[nodiscard]] LoadOptions options() const;
};

/// --privacy-k, --no-privacy-guard (geo/privacy, docs/privacy.md).
struct PrivacyArgs {
    int k = 5;
    bool no_guard = false;
    void add_to(CLI::App* cmd);
    /// The policy (InputError for k < 1); with the guard off, a warning on stderr.
    [[nodiscard]] privacy::DisclosurePolicy policy() const;
};

/// The analysis vocabulary every analysis subcommand shares, with one meaning each
/// (docs/cli-json.md "Shared options"):
///   --group G        a count column, or a manifest group's zh or en name
///   --total T        the denominator of G's share (default: the sum of the manifest's groups)
///   --groups A,B,..  the groups of the multigroup indices (default: the manifest's)
///   --weights SPEC   the one weights grammar (geo/weights/spec.hpp) and its fallback rule
///   --permutations N, --seed S, --alpha A, --adjust none|bonferroni|fdr
/// (--crs is LoadArgs'.) Defaults differ per subcommand only where documented.
struct AnalysisArgs {
    std::string group;
    std::string total;
    std::vector<std::string> groups;
    std::string weights;
    std::size_t permutations = 999;
    std::uint64_t seed = 12345;
    double alpha = 0.05;
    std::string adjust = "fdr";

    /// Which of the options a subcommand registers (all by default).
    struct Use {
        bool group = true, total = true, groups = true, weights = true, inference = true, significance = true;
    };
    void add_to(CLI::App* cmd, Use use);
    void add_to(CLI::App* cmd) { add_to(cmd, Use{}); }
};

/// The `weights` object of every JSON output (docs/cli-json.md): requested and used specs,
/// the fallback and its note, islands and neighbour counts.
nlohmann::ordered_json weights_json(const analysis::WeightsProvenance& w);

/// Prints "huqian: warning: TEXT" on stderr, TEXT through hq::printable (one line; ids and
/// names from the data cannot act on the terminal).
void print_warning(const std::string& text);
/// Prints "huqian: note: TEXT" on stderr, TEXT through hq::printable (notes of geo/analysis
/// results name groups and columns from the manifest).
void print_note(const std::string& text);

/// Loads PATH (project folder or vector file) with a progress bar on stderr, and prints
/// the load warnings on stderr, one line each.
Project load_for_command(const std::string& path, const LoadArgs& args);

/// Hands a project the command is done with to the end of the process: its memory is
/// reclaimed by the operating system at exit instead of feature by feature (a district of
/// 300,000 units spends a tenth of `indices --by` freeing it; bench/README.md). It stays
/// reachable from a global, so leak checkers do not report it. Only for the last use of a
/// project in a command (the process exits soon after).
void keep_until_exit(Project&& project);

/// A single vector file has no manifest: `--groups A,B,C` names its count columns, which
/// become the project's groups (names = the columns, colours from the map palette) so that
/// every subcommand (maps, reports, plans) can use them. A project with groups is left as
/// it is. InputError naming the file and field when a column is missing.
void adopt_groups(Project& project, const std::vector<std::string>& columns);

/// `s` padded with spaces to `width` display columns (a CJK character is 3 bytes, 2 columns).
std::string pad_columns(const std::string& s, std::size_t width);
/// Terminal columns of UTF-8 text (ASCII 1, anything else 2: CJK is wide).
std::size_t display_columns(const std::string& s);
/// A layer's path as a person reads it: relative to the project folder when inside it.
std::string shown_path(const Project& p, const std::string& path);

}  // namespace hq::cli
