#include "app/cli/command.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "geo/core/error.hpp"

namespace hq::cli {

std::vector<CommandInfo>& registry() {
    static std::vector<CommandInfo> r;
    return r;
}

void write_output(const std::string& path, const std::string& text) {
    if (path.empty() || path == "-") {
        std::cout << text;
        std::cout.flush();
        return;
    }
    namespace fs = std::filesystem;
    const fs::path target(path);
    const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw InputError(ErrorContext{path}, "cannot write: folder does not exist");
    const fs::path tmp = dir / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()));
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw InputError(ErrorContext{path}, "cannot write: permission denied or read-only folder");
        out << text;
        out.flush();
        if (!out) {
            out.close();
            fs::remove(tmp, ec);
            throw InputError(ErrorContext{path}, "cannot write (disk full?)");
        }
    }
    fs::rename(tmp, target, ec);
    if (ec) {
        fs::remove(tmp, ec);
        throw InputError(ErrorContext{path}, "cannot replace the file: " + ec.message());
    }
}

StderrProgress::StderrProgress(std::string label) : m_label(std::move(label)), m_tty(::isatty(2) != 0) {}

StderrProgress::~StderrProgress() {
    if (m_drawn) std::fputs("\n", stderr);
}

void StderrProgress::operator()(double fraction, std::string_view stage) {
    if (!m_tty) return;
    const int permille = static_cast<int>(std::clamp(fraction, 0.0, 1.0) * 1000.0);
    if (permille / 5 == m_last_permille / 5) return;
    m_last_permille = permille;
    const int width = 30;
    const int filled = permille * width / 1000;
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(width, '.');
    std::fprintf(stderr, "\r%s [%s] %5.1f%% %.*s\033[K", m_label.c_str(), bar.c_str(), permille / 10.0,
                 static_cast<int>(stage.size()), stage.data());
    std::fflush(stderr);
    m_drawn = true;
}

std::string json_number(double v) {
    if (!std::isfinite(v)) return "null";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

}  // namespace hq::cli
