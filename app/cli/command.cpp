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

std::string escape_json_format_controls(const std::string& json) {
    std::string out;
    out.reserve(json.size());
    for (std::size_t i = 0; i < json.size(); ++i) {
        const auto b = static_cast<unsigned char>(json[i]);
        // U+2000..U+206F are E2 80 xx / E2 81 xx in UTF-8.
        if (b == 0xE2 && i + 2 < json.size()) {
            const auto b1 = static_cast<unsigned char>(json[i + 1]), b2 = static_cast<unsigned char>(json[i + 2]);
            const unsigned cp = 0x2000u + ((b1 & 0x3Fu) << 6) + (b2 & 0x3Fu);
            const bool format = (b1 == 0x80 || b1 == 0x81) &&
                                (cp == 0x200E || cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069));
            if (format) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", cp);
                out += buf;
                i += 2;
                continue;
            }
        }
        out += json[i];
    }
    return out;
}

void write_json_output(const std::string& path, const std::string& json) { write_output(path, escape_json_format_controls(json)); }

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
