#pragma once
// Options and helpers shared by the subcommands.
#include <CLI/CLI.hpp>

#include <string>

#include "geo/privacy/disclosure.hpp"
#include "geo/project/project.hpp"

namespace hq::cli {

/// --layer, --crs, --encoding: how to read PATH.
struct LoadArgs {
    std::string layer;
    std::string crs;
    std::string source_crs;
    std::string encoding;

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

/// Prints "huqian: warning: TEXT" on stderr, TEXT through hq::printable (one line; ids and
/// names from the data cannot act on the terminal).
void print_warning(const std::string& text);

/// Loads PATH (project folder or vector file) with a progress bar on stderr, and prints
/// the load warnings on stderr, one line each.
Project load_for_command(const std::string& path, const LoadArgs& args);

}  // namespace hq::cli
