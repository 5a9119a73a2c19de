#pragma once
// The subcommand registry. Each app/cli/cmd_*.cpp registers itself with
//   static const hq::cli::Registrar reg{"name", order, &setup};
// where setup adds a CLI11 subcommand and sets its callback.
#include <CLI/CLI.hpp>

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace hq::cli {

/// Exit codes (documented in README.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitBadInput = 1;
inline constexpr int kExitUsage = 2;

/// A usage error found after parsing (a missing choice between options): run() prints
/// "huqian: MESSAGE" and exits with kExitUsage (2), like CLI11's own usage errors.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct CommandInfo {
    std::string name;
    int order = 0;  ///< position in --help
    std::function<void(CLI::App& parent)> setup;
};

std::vector<CommandInfo>& registry();

struct Registrar {
    Registrar(std::string name, int order, std::function<void(CLI::App&)> setup) {
        registry().push_back({std::move(name), order, std::move(setup)});
    }
};

/// Runs huqian with the given arguments; returns the exit code. Never throws.
/// Used by main() and by the in-process CLI tests.
int run(int argc, const char* const* argv);

/// Writes text to `path` atomically (temp file in the same folder, then rename), or to
/// stdout when path is "" or "-". Throws InputError if the file cannot be written.
void write_output(const std::string& path, const std::string& text);

/// write_output for text meant to be read (not JSON, CSV or a weights file): every line goes
/// through hq::printable, so ids and names from the data cannot act on the terminal.
void write_text_output(const std::string& path, const std::string& text);
/// write_output for a JSON document (nlohmann's dump): strings keep the data's exact value,
/// but the characters that reorder or break the display of the text around them (bidi
/// controls U+200E/F, U+202A–U+202E, U+2066–U+2069; U+2028/9) are written as \uXXXX
/// escapes, so a JSON file shown in a terminal or editor is not reordered and a parser reads
/// the same string back (C0 controls nlohmann escapes already; docs/untrusted-input.md).
void write_json_output(const std::string& path, const std::string& json);
/// `json` with those characters as \uXXXX escapes (only valid inside JSON strings, where
/// they can only occur).
std::string escape_json_format_controls(const std::string& json);

/// A progress printer for stderr: draws a bar when stderr is a terminal, else nothing.
class StderrProgress {
public:
    explicit StderrProgress(std::string label);
    ~StderrProgress();
    StderrProgress(const StderrProgress&) = delete;
    StderrProgress& operator=(const StderrProgress&) = delete;
    void operator()(double fraction, std::string_view stage);

private:
    std::string m_label;
    bool m_tty = false;
    int m_last_permille = -1;
    bool m_drawn = false;
};

/// Formats a double at full precision for JSON (%.17g); NaN/inf become null.
std::string json_number(double v);

}  // namespace hq::cli
