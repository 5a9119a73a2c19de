#include "geo/weights/weights_io.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "geo/core/error.hpp"
#include "geo/io/reader.hpp"

namespace hq {

namespace detail {

struct Token {
    std::string text;
    std::size_t line = 0;  ///< 1-based
};

/// Splits into lines, then white-space separated tokens.
std::vector<std::vector<Token>> tokenise_lines(const std::string& text) {
    std::vector<std::vector<Token>> lines;
    std::istringstream in(text);
    std::string line;
    std::size_t no = 0;
    while (std::getline(in, line)) {
        ++no;
        std::vector<Token> toks;
        std::istringstream ls(line);
        std::string t;
        while (ls >> t) toks.push_back({t, no});
        lines.push_back(std::move(toks));
    }
    return lines;
}

[[noreturn]] void fail(const std::string& file, std::size_t line, const std::string& msg) {
    throw InputError(ErrorContext{.file = file}, (line > 0 ? "line " + std::to_string(line) + ": " : "") + msg);
}

bool parse_size(const std::string& s, std::size_t& out) {
    const char* b = s.data();
    const char* e = s.data() + s.size();
    auto [p, ec] = std::from_chars(b, e, out);
    return ec == std::errc() && p == e;
}

bool parse_double(const std::string& s, double& out) {
    const char* b = s.data();
    const char* e = s.data() + s.size();
    auto [p, ec] = std::from_chars(b, e, out);
    return ec == std::errc() && p == e;
}

/// The most units a weights file may declare (the features-per-layer limit: the file is
/// aligned to a layer).
constexpr std::size_t kMaxWeightsUnits = 2'000'000;

struct Header {
    std::size_t n = 0;
    std::string layer, key;
    std::size_t first_body_line = 1;  ///< index into lines
};

Header parse_header(const std::vector<std::vector<Token>>& lines, const std::string& file) {
    std::size_t i = 0;
    while (i < lines.size() && lines[i].empty()) ++i;
    if (i == lines.size()) fail(file, 0, "the weights file is empty");
    const auto& h = lines[i];
    Header out;
    const std::string& ntext = h.size() == 1 ? h[0].text : h[1].text;
    if (h.size() > 4 || !parse_size(ntext, out.n))
        fail(file, h[0].line, "bad header '" + [&] {
            std::string s;
            for (const auto& t : h) s += (s.empty() ? "" : " ") + t.text;
            return s;
        }() + "': expected 'n' or '0 n layer key'");
    // A .gwt names no island, so its header alone sizes the weights: without a bound, a
    // 12-byte file declaring 50 million units took minutes and gigabytes (fuzz_weights).
    if (out.n > kMaxWeightsUnits)
        fail(file, h[0].line, "the header declares " + ntext + " units, more than the " +
                                  std::to_string(kMaxWeightsUnits) + " a weights file may have");
    if (h.size() >= 3) out.layer = h[2].text;
    if (h.size() >= 4) out.key = h[3].text;
    out.first_body_line = i + 1;
    return out;
}

void index_ids(const std::vector<std::string>& ids, const std::string& file,
               std::unordered_map<std::string, std::uint32_t>& map) {
    map.clear();
    for (std::size_t i = 0; i < ids.size(); ++i)
        if (!map.emplace(ids[i], static_cast<std::uint32_t>(i)).second) fail(file, 0, "duplicate id '" + ids[i] + "'");
}

/// True when ids are exactly {base, ..., base + n - 1} as integers.
bool ids_are_range(const std::vector<std::string>& ids, std::size_t base) {
    std::vector<char> seen(ids.size(), 0);
    for (const auto& s : ids) {
        std::size_t v = 0;
        if (!parse_size(s, v) || v < base || v - base >= ids.size() || seen[v - base]) return false;
        seen[v - base] = 1;
    }
    return true;
}

void check_id_text(const std::string& id) {
    if (id.empty() || std::any_of(id.begin(), id.end(), [](unsigned char c) { return std::isspace(c); }))
        throw InputError("cannot write the weights file: the feature id '" + id +
                         "' is empty or contains white space");
}

std::string header_line(std::size_t n, const std::string& layer, const std::string& key, bool gal) {
    if (gal && layer.empty() && key.empty()) return std::to_string(n) + "\n";
    auto word = [](const std::string& s) {
        std::string t = s.empty() ? "unknown" : s;
        std::replace_if(t.begin(), t.end(), [](unsigned char c) { return std::isspace(c); }, '_');
        return t;
    };
    return "0 " + std::to_string(n) + " " + word(layer) + " " + word(key) + "\n";
}

}  // namespace detail

WeightsFile parse_gal(const std::string& text, const std::string& file) {
    const auto lines = detail::tokenise_lines(text);
    const detail::Header h = detail::parse_header(lines, file);
    // Flatten the body into tokens; records are "id count nbr...".
    std::vector<detail::Token> toks;
    for (std::size_t i = h.first_body_line; i < lines.size(); ++i)
        toks.insert(toks.end(), lines[i].begin(), lines[i].end());
    WeightsFile out;
    out.layer = h.layer;
    out.key = h.key;
    std::vector<std::vector<std::string>> nbr_ids;
    std::vector<std::size_t> record_line;
    std::size_t t = 0;
    while (t < toks.size()) {
        if (out.ids.size() == h.n)
            detail::fail(file, toks[t].line, "more records than the " + std::to_string(h.n) + " the header declares");
        const std::string& id = toks[t].text;
        if (t + 1 >= toks.size()) detail::fail(file, toks[t].line, "unit '" + id + "' has no neighbour count");
        std::size_t count = 0;
        if (!detail::parse_size(toks[t + 1].text, count))
            detail::fail(file, toks[t + 1].line, "bad neighbour count '" + toks[t + 1].text + "' for unit '" + id + "'");
        // Compared as a remainder: "t + 2 + count" wraps for a count near 2^64 and let a
        // 129-byte file read past the tokens (fuzz_weights).
        if (count > toks.size() - t - 2)
            detail::fail(file, toks[t].line, "unit '" + id + "' declares " + std::to_string(count) +
                                                 " neighbours but the file ends first");
        out.ids.push_back(id);
        record_line.push_back(toks[t].line);
        std::vector<std::string> nb;
        for (std::size_t k = 0; k < count; ++k) nb.push_back(toks[t + 2 + k].text);
        nbr_ids.push_back(std::move(nb));
        t += 2 + count;
    }
    if (out.ids.size() != h.n)
        detail::fail(file, 0, "the header declares " + std::to_string(h.n) + " units but the file has " +
                                  std::to_string(out.ids.size()));
    std::unordered_map<std::string, std::uint32_t> map;
    detail::index_ids(out.ids, file, map);
    std::vector<std::vector<std::uint32_t>> nb(h.n);
    for (std::size_t i = 0; i < h.n; ++i) {
        for (const auto& s : nbr_ids[i]) {
            const auto it = map.find(s);
            if (it == map.end())
                detail::fail(file, record_line[i], "unit '" + out.ids[i] + "' lists an unknown neighbour '" + s + "'");
            nb[i].push_back(it->second);
        }
        std::sort(nb[i].begin(), nb[i].end());
        if (std::adjacent_find(nb[i].begin(), nb[i].end()) != nb[i].end())
            detail::fail(file, record_line[i], "unit '" + out.ids[i] + "' lists a neighbour twice");
    }
    out.weights = Weights::from_lists(std::move(nb));
    return out;
}

WeightsFile parse_gwt(const std::string& text, const std::string& file) {
    const auto lines = detail::tokenise_lines(text);
    const detail::Header h = detail::parse_header(lines, file);
    WeightsFile out;
    out.layer = h.layer;
    out.key = h.key;
    struct Link {
        std::string from, to;
        double w;
        std::size_t line;
    };
    std::vector<Link> links;
    std::unordered_map<std::string, std::uint32_t> map;
    auto see = [&](const std::string& id) {
        if (map.emplace(id, static_cast<std::uint32_t>(out.ids.size())).second) out.ids.push_back(id);
    };
    for (std::size_t i = h.first_body_line; i < lines.size(); ++i) {
        const auto& l = lines[i];
        if (l.empty()) continue;
        if (l.size() != 3)
            detail::fail(file, l[0].line, "expected 'id neighbour weight', found " + std::to_string(l.size()) + " fields");
        double w = 0;
        if (!detail::parse_double(l[2].text, w) || !std::isfinite(w))
            detail::fail(file, l[0].line, "bad weight '" + l[2].text + "'");
        links.push_back({l[0].text, l[1].text, w, l[0].line});
        see(l[0].text);
    }
    for (const auto& k : links) see(k.to);
    if (out.ids.size() > h.n)
        detail::fail(file, 0, "the header declares " + std::to_string(h.n) + " units but the file names " +
                                  std::to_string(out.ids.size()) + " distinct ids");
    if (out.ids.size() < h.n) {
        // Islands have no line. Recover them only when the ids are record numbers.
        const std::size_t missing = h.n - out.ids.size();
        bool filled = false;
        for (std::size_t base : {std::size_t{1}, std::size_t{0}}) {
            std::vector<char> seen(h.n, 0);
            bool ok = true;
            for (const auto& s : out.ids) {
                std::size_t v = 0;
                // "0" and "00" are one record number: not a numbering (fuzz_weights).
                if (!detail::parse_size(s, v) || v < base || v - base >= h.n || seen[v - base]) {
                    ok = false;
                    break;
                }
                seen[v - base] = 1;
            }
            if (!ok) continue;
            for (std::size_t v = 0; v < h.n; ++v)
                if (!seen[v]) see(std::to_string(v + base));
            filled = true;
            break;
        }
        if (!filled)
            detail::fail(file, 0, "the header declares " + std::to_string(h.n) + " units but only " +
                                      std::to_string(h.n - missing) +
                                      " ids appear, and the ids are not record numbers, so the islands cannot be placed");
    }
    std::vector<std::vector<std::uint32_t>> nb(h.n);
    std::vector<std::vector<double>> w(h.n);
    for (const auto& k : links) {
        const std::uint32_t a = map.at(k.from), b = map.at(k.to);
        if (std::find(nb[a].begin(), nb[a].end(), b) != nb[a].end())
            detail::fail(file, k.line, "the link " + k.from + " -> " + k.to + " appears twice");
        nb[a].push_back(b);
        w[a].push_back(k.w);
    }
    out.weights = Weights::from_lists(std::move(nb), std::move(w), WeightsStyle::General);
    return out;
}

WeightsFile read_weights_file(const std::string& path) {
    check_local_file(path);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(ErrorContext{.file = path}, "cannot open the weights file");
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string ext = path.size() >= 4 ? path.substr(path.size() - 4) : "";
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == ".gal") return parse_gal(ss.str(), path);
    if (ext == ".gwt") return parse_gwt(ss.str(), path);
    throw InputError(ErrorContext{.file = path}, "unknown weights file type (expected .gal or .gwt)");
}

std::string weights_file_key(const Layer& layer) { return layer.id_field.empty() ? "FID" : layer.id_field; }

std::vector<std::string> default_ids(std::size_t n) {
    std::vector<std::string> ids(n);
    for (std::size_t i = 0; i < n; ++i) ids[i] = std::to_string(i + 1);
    return ids;
}

std::string format_gal(const Weights& w, const std::vector<std::string>& ids, const std::string& layer,
                       const std::string& key) {
    if (ids.size() != w.n) throw std::logic_error("format_gal: ids size mismatch");
    for (const auto& id : ids) detail::check_id_text(id);
    std::string out = detail::header_line(w.n, layer, key, true);
    for (std::size_t i = 0; i < w.n; ++i) {
        out += ids[i] + " " + std::to_string(w.cardinality(i)) + "\n";
        bool first = true;
        for (const auto j : w.row(i)) {
            if (!first) out += ' ';
            out += ids[j];
            first = false;
        }
        out += '\n';
    }
    return out;
}

std::string format_gwt(const Weights& w, const std::vector<std::string>& ids, const std::string& layer,
                       const std::string& key) {
    if (ids.size() != w.n) throw std::logic_error("format_gwt: ids size mismatch");
    for (const auto& id : ids) detail::check_id_text(id);
    std::string out = detail::header_line(w.n, layer, key, false);
    char buf[64];
    for (std::size_t i = 0; i < w.n; ++i) {
        const auto r = w.row(i);
        const auto v = w.row_values(i);
        for (std::size_t k = 0; k < r.size(); ++k) {
            std::snprintf(buf, sizeof buf, "%.17g", v[k]);
            out += ids[i] + " " + ids[r[k]] + " " + buf + "\n";
        }
    }
    return out;
}

Weights align_weights(const WeightsFile& file, const std::vector<std::string>& layer_ids,
                      const std::string& display_name) {
    const std::size_t n = layer_ids.size();
    if (file.weights.n != n)
        throw InputError(ErrorContext{.file = display_name},
                         "the weights file has " + std::to_string(file.weights.n) + " units but the layer has " +
                             std::to_string(n));
    // perm[file row] = layer index
    std::vector<std::uint32_t> perm(n);
    std::unordered_map<std::string, std::uint32_t> layer_map;
    for (std::size_t i = 0; i < n; ++i) layer_map.emplace(layer_ids[i], static_cast<std::uint32_t>(i));
    bool by_id = true;
    for (std::size_t r = 0; r < n && by_id; ++r) {
        const auto it = layer_map.find(file.ids[r]);
        if (it == layer_map.end()) by_id = false;
        else perm[r] = it->second;
    }
    if (!by_id) {
        std::size_t base = 2;
        if (detail::ids_are_range(file.ids, 1)) base = 1;
        else if (detail::ids_are_range(file.ids, 0)) base = 0;
        if (base == 2)
            throw InputError(ErrorContext{.file = display_name},
                             "the weights file's ids match neither the layer's feature ids nor record numbers 1..n");
        for (std::size_t r = 0; r < n; ++r) {
            std::size_t v = 0;
            detail::parse_size(file.ids[r], v);
            perm[r] = static_cast<std::uint32_t>(v - base);
        }
    }
    std::vector<std::vector<std::uint32_t>> nb(n);
    std::vector<std::vector<double>> w(n);
    for (std::size_t r = 0; r < n; ++r) {
        const auto row = file.weights.row(r);
        const auto val = file.weights.row_values(r);
        for (std::size_t k = 0; k < row.size(); ++k) {
            nb[perm[r]].push_back(perm[row[k]]);
            w[perm[r]].push_back(val[k]);
        }
    }
    return Weights::from_lists(std::move(nb), std::move(w), file.weights.style);
}

}  // namespace hq
