#include "geo/io/postgis.hpp"

#include <cpl_error.h>
#include <gdal.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <set>
#include <utility>
#include <vector>

#include "geo/core/error.hpp"
#include "geo/core/text.hpp"
#include "geo/io/reader.hpp"

namespace hq::pg {

namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

/// libpq's keyword/value form: `key = value` pairs separated by spaces; a value is a word or
/// a single-quoted string, with \' and \\ escapes. Throws InputError for anything else.
Pairs parse(const std::string& source, const std::string& display) {
    const auto fail = [&](const std::string& why) -> void {
        throw InputError(ErrorContext{display}, "not a PostgreSQL connection string (" + why +
                                                    "); write PG:key=value ..., e.g. PG:service=wuhou or "
                                                    "PG:host=HOST dbname=DB user=USER");
    };
    if (!is_pg_source(source)) fail("it does not start with PG:");
    const std::string s = source.substr(3);
    Pairs out;
    std::size_t i = 0;
    const auto skip = [&] {
        while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    };
    for (;;) {
        skip();
        if (i >= s.size()) break;
        std::string key;
        while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) key += s[i++];
        skip();
        if (key.empty() || i >= s.size() || s[i] != '=') fail("expected key=value at \"" + s.substr(i, 20) + "\"");
        ++i;
        skip();
        std::string value;
        if (i < s.size() && s[i] == '\'') {
            ++i;
            bool closed = false;
            while (i < s.size()) {
                if (s[i] == '\\' && i + 1 < s.size()) {
                    value += s[i + 1];
                    i += 2;
                } else if (s[i] == '\'') {
                    ++i;
                    closed = true;
                    break;
                } else {
                    value += s[i++];
                }
            }
            if (!closed) fail("unterminated quoted value of " + key);
        } else {
            while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) {
                if (s[i] == '\\' && i + 1 < s.size()) ++i;
                value += s[i++];
            }
        }
        out.emplace_back(lower(key), value);
    }
    if (out.empty()) fail("it names no database");
    return out;
}

std::string quoted_value(const std::string& v) {
    const bool plain = !v.empty() && std::none_of(v.begin(), v.end(), [](char c) {
        return std::isspace(static_cast<unsigned char>(c)) || c == '\'' || c == '\\';
    });
    if (plain) return v;
    std::string q = "'";
    for (char c : v) {
        if (c == '\'' || c == '\\') q += '\\';
        q += c;
    }
    return q + "'";
}

std::mutex g_mutex;
std::set<std::string>& allowed() {
    static std::set<std::string> s;
    return s;
}

}  // namespace

bool is_pg_source(const std::string& source) noexcept {
    return source.size() >= 3 && (source[0] == 'P' || source[0] == 'p') && (source[1] == 'G' || source[1] == 'g') &&
           source[2] == ':';
}

std::string redact(const std::string& source) {
    Pairs pairs;
    try {
        pairs = parse(source, "PG:");
    } catch (const InputError&) {
        return "PG:(unreadable connection string)";  // it might hold a password in any form
    }
    std::string out = "PG:";
    for (const auto& [k, v] : pairs) {
        if (out.size() > 3) out += ' ';
        out += k + "=" + (k == "password" ? std::string("***") : quoted_value(v));
    }
    return out;
}

std::string scrub(const std::string& message, const std::string& source) {
    std::string out = message;
    Pairs pairs;
    try {
        pairs = parse(source, "PG:");
    } catch (const InputError&) {
        return out;
    }
    for (const auto& [k, v] : pairs) {
        if (k != "password" || v.empty()) continue;
        for (std::size_t at = out.find(v); at != std::string::npos; at = out.find(v, at + 3)) out.replace(at, v.size(), "***");
    }
    return out;
}

std::string database_key(const std::string& source, const std::string& display) {
    Pairs pairs = parse(source, display.empty() ? redact(source) : display);
    static const std::set<std::string> identity{"host", "hostaddr", "port", "dbname", "service", "user"};
    Pairs key;
    for (const auto& p : pairs)
        if (identity.count(p.first)) key.push_back(p);
    std::sort(key.begin(), key.end());
    std::string out;
    for (const auto& [k, v] : key) out += (out.empty() ? "" : " ") + k + "=" + quoted_value(v);
    return out;
}

void allow_database(const std::string& source) {
    const std::string key = database_key(source);
    const std::lock_guard lock(g_mutex);
    allowed().insert(key);
}

void clear_allowed_databases() {
    const std::lock_guard lock(g_mutex);
    allowed().clear();
}

void check_allowed(const std::string& source, const std::string& display) {
    const std::string key = database_key(source, display);
    const std::lock_guard lock(g_mutex);
    if (!allowed().count(key))
        throw InputError(ErrorContext{display}, "names a database that was not given on the command line; huqian "
                                                "connects only to the database you name (docs/postgis.md)");
}

detail::GdalDatasetPtr open_database(const std::string& source, bool update) {
    init_gdal();
    const std::string shown = redact(source);
    check_allowed(source, shown);
    const char* drivers[] = {"PostgreSQL", nullptr};
    CPLErrorReset();
    const unsigned flags = GDAL_OF_VECTOR | (update ? GDAL_OF_UPDATE : GDAL_OF_READONLY);
    detail::GdalDatasetPtr ds(GDALDataset::FromHandle(GDALOpenEx(source.c_str(), flags, drivers, nullptr, nullptr)));
    if (!ds) {
        std::string why = one_line(CPLGetLastErrorMsg());
        why = scrub(why, source);
        throw InputError(ErrorContext{shown}, "cannot open the database" + (why.empty() ? std::string() : ": " + why));
    }
    return ds;
}

std::string sql_identifier(const std::string& name) {
    std::string q = "\"";
    for (char c : name) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

std::string sql_literal(const std::string& value) {
    std::string q = "'";
    for (char c : value) q += c == '\'' ? std::string("''") : std::string(1, c);
    return q + "'";
}

}  // namespace hq::pg
