#pragma once
// Options and helpers shared by the subcommands.
#include <CLI/CLI.hpp>

#include <string>

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

/// Loads PATH (project folder or vector file) with a progress bar on stderr, and prints
/// the load warnings on stderr, one line each.
Project load_for_command(const std::string& path, const LoadArgs& args);

/// `s` padded with spaces to `width` display columns (a CJK character is 3 bytes, 2 columns).
std::string pad_columns(const std::string& s, std::size_t width);

}  // namespace hq::cli
