#include "geo/core/text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>

namespace hq {

namespace {

/// Decodes one UTF-8 character at s[i]; returns its length, or 0 when the bytes there are not
/// valid UTF-8 (overlong, surrogate, out of range, truncated).
std::size_t decode(std::string_view s, std::size_t i, std::uint32_t& cp) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    if (c < 0x80) {
        cp = c;
        return 1;
    }
    if ((c & 0xE0) == 0xC0) {
        len = 2;
        cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (i + len > s.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/// Characters that change how a terminal or an editor shows the text around them.
bool is_control(std::uint32_t cp) {
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
}

void append_escape(std::string& out, std::uint32_t cp) {
    char buf[16];
    switch (cp) {
        case '\n': out += "\\n"; return;
        case '\r': out += "\\r"; return;
        case '\t': out += "\\t"; return;
        default: break;
    }
    if (cp < 0x80)
        std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(cp));
    else
        std::snprintf(buf, sizeof buf, "\\u{%04x}", static_cast<unsigned>(cp));
    out += buf;
}

}  // namespace

std::size_t invalid_utf8_at(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            ++i;
            continue;
        }
        std::uint32_t cp = 0;
        const std::size_t len = decode(s, i, cp);
        if (len == 0) return i;
        i += len;
    }
    return std::string_view::npos;
}

std::string printable(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        std::uint32_t cp = 0;
        const std::size_t len = decode(s, i, cp);
        if (len == 0) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(static_cast<unsigned char>(s[i])));
            out += buf;
            ++i;
            continue;
        }
        if (is_control(cp))
            append_escape(out, cp);
        else
            out.append(s.substr(i, len));
        i += len;
    }
    return out;
}

std::string printable_lines(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t start = 0; start <= s.size();) {
        const std::size_t nl = s.find('\n', start);
        out += printable(s.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start));
        if (nl == std::string_view::npos) break;
        out += '\n';
        start = nl + 1;
    }
    return out;
}

std::string one_line(std::string_view s) {
    std::string folded;
    folded.reserve(s.size());
    bool space = false;
    for (const char c : s) {
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f') {
            space = !folded.empty();
            continue;
        }
        if (space) folded += ' ';
        space = false;
        folded += c;
    }
    return printable(folded);
}

std::string whole_number_text(double v) {
    char buf[40];
    if (std::abs(v) < 1e15)
        std::snprintf(buf, sizeof buf, "%.0f", v);
    else
        std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
}

std::string safe_file_name(std::string_view name) {
    std::string out;
    out.reserve(name.size());
    for (std::size_t i = 0; i < name.size();) {
        std::uint32_t cp = 0;
        const std::size_t len = decode(name, i, cp);
        if (len == 0 || is_control(cp)) {
            out += '_';
            i += len == 0 ? 1 : len;
            continue;
        }
        static constexpr std::string_view kRefused = "/\\<>:\"|?*";
        if (len == 1 && kRefused.find(static_cast<char>(cp)) != std::string_view::npos)
            out += '_';
        else
            out.append(name.substr(i, len));
        i += len;
    }
    // Leading dots and spaces (hidden files, "..") and trailing ones (Windows drops them).
    const auto first = out.find_first_not_of(". ");
    out = first == std::string::npos ? std::string() : out.substr(first);
    while (!out.empty() && (out.back() == '.' || out.back() == ' ')) out.pop_back();
    // At most 120 bytes, cut before a UTF-8 continuation byte never inside a character.
    if (out.size() > 120) {
        std::size_t cut = 120;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
        out.resize(cut);
    }
    if (out.empty()) return "_";
    // Windows' device names, with or without an extension ("nul.png" is the device too).
    std::string stem = out.substr(0, out.find('.'));
    std::transform(stem.begin(), stem.end(), stem.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    static const std::array<std::string_view, 22> kReserved{"CON",  "PRN",  "AUX",  "NUL",  "COM1", "COM2",
                                                            "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
                                                            "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5",
                                                            "LPT6", "LPT7", "LPT8", "LPT9"};
    if (std::find(kReserved.begin(), kReserved.end(), stem) != kReserved.end()) out.insert(out.begin(), '_');
    return out;
}

std::string UniqueFileNames::make(std::string_view stem, std::string_view ext) {
    const std::string base = safe_file_name(stem);
    auto lower = [](std::string s) {
        std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return s;
    };
    std::string name = base + std::string(ext);
    for (int k = 2; std::find(m_taken.begin(), m_taken.end(), lower(name)) != m_taken.end(); ++k)
        name = base + "_" + std::to_string(k) + std::string(ext);
    m_taken.push_back(lower(name));
    return name;
}

std::string xml_escape(std::string_view s) {
    std::string o;
    o.reserve(s.size());
    for (const char c : s) {
        switch (c) {
            case '&': o += "&amp;"; break;
            case '<': o += "&lt;"; break;
            case '>': o += "&gt;"; break;
            case '"': o += "&quot;"; break;
            case '\'': o += "&apos;"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') o += ' ';
                else o += c;
        }
    }
    return o;
}

}  // namespace hq
