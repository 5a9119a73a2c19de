#include "geo/weights/spec.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "geo/core/error.hpp"
#include "geo/geometry/geos.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/weights/lisa_weights.hpp"
#include "geo/weights/weights_io.hpp"

namespace hq {

namespace {

const char* kForms =
    "queen[:TOL], rook[:TOL], knn:K, distance:M[:inverse[:POWER]], kernel:NAME:M, "
    "kernel:NAME:knn:K, gal:FILE or gwt:FILE";

[[noreturn]] void bad(const std::string& text, const std::string& why) {
    throw InputError("--weights " + text + ": " + why + " (expected " + kForms + ")");
}

/// The shortest decimal that reads back exactly: 2 -> "2", 100 -> "100", 0.5 -> "0.5".
std::string num_text(double v) {
    char b[64];
    if (v == std::floor(v) && std::abs(v) < 1e15) {
        std::snprintf(b, sizeof b, "%.0f", v);
        return b;
    }
    for (int digits = 1; digits <= 17; ++digits) {
        std::snprintf(b, sizeof b, "%.*g", digits, v);
        if (std::strtod(b, nullptr) == v) break;
    }
    return b;
}

std::vector<std::string> split_colon(const std::string& s, std::size_t max_parts) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (out.size() + 1 < max_parts) {
        const std::size_t p = s.find(':', start);
        if (p == std::string::npos) break;
        out.push_back(s.substr(start, p - start));
        start = p + 1;
    }
    out.push_back(s.substr(start));
    return out;
}

double number(const std::string& text, const std::string& s, const char* what) {
    double v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v))
        bad(text, std::string("bad ") + what + " '" + s + "'");
    return v;
}

std::size_t count(const std::string& text, const std::string& s, const char* what) {
    std::size_t v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v == 0) bad(text, std::string("bad ") + what + " '" + s + "'");
    return v;
}

}  // namespace

const char* weights_spec_forms() { return kForms; }

std::string WeightsSpec::canonical() const {
    switch (kind) {
        case Kind::Queen:
        case Kind::Rook: {
            std::string s = kind == Kind::Queen ? "queen" : "rook";
            return tolerance > 0 ? s + ":" + num_text(tolerance) : s;
        }
        case Kind::Knn: return "knn:" + std::to_string(k);
        case Kind::Distance: {
            std::string s = "distance:";
            s.append(num_text(distance));
            if (inverse) s.append(":inverse");
            if (inverse && power != 1.0) s.append(":").append(num_text(power));
            return s;
        }
        case Kind::Kernel:
            return std::string("kernel:") + kernel_function_name(kernel) + ":" +
                   (adaptive ? "knn:" + std::to_string(k) : num_text(distance));
        case Kind::File: {
            const std::string head = text.substr(0, text.find(':'));
            const bool gwt = head == "gwt" || (head == "file" && file.size() > 4 &&
                                               (file.compare(file.size() - 4, 4, ".gwt") == 0 ||
                                                file.compare(file.size() - 4, 4, ".GWT") == 0));
            return (gwt ? "gwt:" : "gal:") + file;
        }
    }
    return text;
}

WeightsSpec parse_weights_spec(const std::string& text) {
    WeightsSpec s;
    s.text = text;
    // The alias knnK (knn6): the viewer's and the export's old spelling.
    if (text.size() > 3 && text.compare(0, 3, "knn") == 0 && text[3] != ':') {
        s.kind = WeightsSpec::Kind::Knn;
        s.k = count(text, text.substr(3), "K");
        return s;
    }
    const std::size_t colon = text.find(':');
    const std::string head = text.substr(0, colon);
    const std::string rest = colon == std::string::npos ? "" : text.substr(colon + 1);
    if (head == "gal" || head == "gwt" || head == "file") {
        if (rest.empty()) bad(text, "no file name");
        s.kind = WeightsSpec::Kind::File;
        s.file = rest;  // may itself contain ':'
        return s;
    }
    const auto parts = split_colon(text, 8);
    if (head == "queen" || head == "rook") {
        s.kind = head == "queen" ? WeightsSpec::Kind::Queen : WeightsSpec::Kind::Rook;
        if (parts.size() > 2) bad(text, "too many fields");
        if (parts.size() == 2) {
            s.tolerance = number(text, parts[1], "tolerance");
            if (s.tolerance < 0) bad(text, "the tolerance must be >= 0");
        }
        return s;
    }
    if (head == "knn") {
        if (parts.size() != 2) bad(text, "knn needs K");
        s.kind = WeightsSpec::Kind::Knn;
        s.k = count(text, parts[1], "K");
        return s;
    }
    if (head == "distance") {
        if (parts.size() < 2 || parts.size() > 4) bad(text, "distance needs M");
        s.kind = WeightsSpec::Kind::Distance;
        s.distance = number(text, parts[1], "distance");
        if (s.distance < 0) bad(text, "the distance must be >= 0");
        if (parts.size() >= 3) {
            if (parts[2] != "inverse") bad(text, "expected 'inverse' after the distance");
            s.inverse = true;
            if (parts.size() == 4) {
                s.power = number(text, parts[3], "power");
                if (s.power <= 0) bad(text, "the power must be > 0");
            }
        }
        return s;
    }
    if (head == "kernel") {
        if (parts.size() < 3 || parts.size() > 4) bad(text, "kernel needs NAME:M or NAME:knn:K");
        s.kind = WeightsSpec::Kind::Kernel;
        try {
            s.kernel = kernel_function_from_name(parts[1]);
        } catch (const InputError& e) {
            bad(text, e.bare_message());
        }
        if (parts.size() == 4) {
            if (parts[2] != "knn") bad(text, "expected kernel:NAME:knn:K");
            s.adaptive = true;
            s.k = count(text, parts[3], "K");
        } else {
            s.distance = number(text, parts[2], "bandwidth");
            if (s.distance <= 0) bad(text, "the bandwidth must be > 0");
        }
        return s;
    }
    bad(text, "unknown kind '" + head + "'");
}

std::vector<Vec2> layer_points(const Layer& layer) {
    std::vector<Vec2> out(layer.metric.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
        const Geometry& g = layer.metric[i];
        if (g.empty())
            throw InputError(ErrorContext{.file = layer.path(), .layer = layer.name(), .feature = i,
                                          .feature_id = i < layer.ids.size() ? layer.ids[i] : ""},
                             "the feature has no geometry, so it has no point for distance-based weights");
        out[i] = (g.type == GeomType::Point && g.points.size() == 1)
                     ? g.points[0]
                     : with_layer_context(layer, [&] { return geos::at_feature(i, [&] { return centroid(g); }); });
    }
    return out;
}

namespace {

/// The point-based kinds and files, exactly as asked.
Weights build_exact(const WeightsSpec& spec, const Layer& layer, const Progress& progress,
                    const WeightsBuildOptions& options) {
    const unsigned threads = options.threads;
    switch (spec.kind) {
        case WeightsSpec::Kind::Queen:
        case WeightsSpec::Kind::Rook:
            break;  // resolve_weights: the fallback rule
        case WeightsSpec::Kind::Knn:
            return knn_weights(layer_points(layer), spec.k, progress, threads);
        case WeightsSpec::Kind::Distance:
            return distance_band_weights(layer_points(layer),
                                         {.threshold = spec.distance, .binary = !spec.inverse, .power = spec.power},
                                         progress, threads);
        case WeightsSpec::Kind::Kernel: {
            KernelOptions o;
            o.function = spec.kernel;
            o.bandwidth = spec.adaptive ? 0.0 : spec.distance;
            o.adaptive = spec.adaptive;
            if (spec.adaptive) o.k = spec.k;
            o.diagonal_one = options.kernel_diagonal_one;
            return kernel_weights(layer_points(layer), o, progress, threads);
        }
        case WeightsSpec::Kind::File: {
            const WeightsFile f = read_weights_file(spec.file);
            return align_weights(f, layer.ids, spec.file);
        }
    }
    throw InputError("unknown weights kind");
}

}  // namespace

std::string BuiltWeights::note_en() const {
    if (!fallback) return {};
    const std::string why = points ? "the units are not polygons"
                                   : std::to_string(contiguity_islands) + " units have no contiguity neighbour";
    return std::to_string(used.k) + " nearest neighbours (" + why + ")";
}

std::string BuiltWeights::note_zh() const {
    if (!fallback) return {};
    const std::string why = points ? "单元不是多边形" : std::to_string(contiguity_islands) + "个单元无相邻单元";
    return std::to_string(used.k) + "近邻（" + why + "）";
}

BuiltWeights resolve_weights(const WeightsSpec& spec, const Layer& layer, const Progress& progress,
                             const WeightsBuildOptions& options) {
    BuiltWeights b;
    b.requested = spec;
    b.used = spec;
    if (!spec.contiguity()) {
        b.weights = with_layer_context(layer, [&] { return build_exact(spec, layer, progress, options); });
        return b;
    }
    ContiguityOptions o;
    o.kind = spec.kind == WeightsSpec::Kind::Queen ? ContiguityKind::Queen : ContiguityKind::Rook;
    o.tolerance = spec.tolerance;
    o.threads = options.threads;
    LisaWeights lw;
    b.weights = with_layer_context(layer, [&] {
        lw = lisa_weights(layer.metric, o, progress);
        return std::move(lw.weights);
    });
    b.fallback = lw.nearest;
    b.contiguity_islands = lw.contiguity_islands;
    b.points = lw.points;
    if (lw.nearest) {
        b.used = WeightsSpec{};
        b.used.kind = WeightsSpec::Kind::Knn;
        b.used.k = lw.k;
        b.used.text = b.used.canonical();
    }
    return b;
}

Weights without_self(const Weights& w) {
    if (!w.has_self_neighbours()) return w;
    std::vector<std::vector<std::uint32_t>> nb(w.n);
    std::vector<std::vector<double>> v(w.n);
    for (std::size_t i = 0; i < w.n; ++i) {
        const auto r = w.row(i);
        const auto val = w.row_values(i);
        for (std::size_t k = 0; k < r.size(); ++k) {
            if (r[k] == i) continue;
            nb[i].push_back(r[k]);
            v[i].push_back(val[k]);
        }
    }
    return Weights::from_lists(std::move(nb), std::move(v), w.style);
}

}  // namespace hq
