#include "app/cli/command.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "geo/core/error.hpp"
#include "geo/core/text.hpp"
#include "geo/io/writer.hpp"

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
    write_file_atomic(path, text);
}

void write_text_output(const std::string& path, const std::string& text) { write_output(path, printable_lines(text)); }

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
