#include "geo/weights/spec.hpp"

#include <charconv>
#include <cmath>
#include <sstream>

#include "geo/core/error.hpp"
#include "geo/geometry/geos.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/weights/weights_io.hpp"

namespace hq {

namespace {

const char* kForms =
    "expected queen[:TOL], rook[:TOL], knn:K, distance:M[:inverse[:POWER]], kernel:NAME:M, "
    "kernel:NAME:knn:K, gal:FILE or gwt:FILE";

[[noreturn]] void bad(const std::string& text, const std::string& why) {
    throw InputError("--weights " + text + ": " + why + " (" + kForms + ")");
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

WeightsSpec parse_weights_spec(const std::string& text) {
    WeightsSpec s;
    s.text = text;
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
        s.kernel = kernel_function_from_name(parts[1]);
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

Weights build_weights(const WeightsSpec& spec, const Layer& layer, const Progress& progress, unsigned threads) {
    auto with_context = [&](auto&& f) -> Weights { return with_layer_context(layer, f); };
    switch (spec.kind) {
        case WeightsSpec::Kind::Queen:
        case WeightsSpec::Kind::Rook:
            return with_context([&] {
                return contiguity_weights(layer.metric,
                                          {.kind = spec.kind == WeightsSpec::Kind::Queen ? ContiguityKind::Queen
                                                                                         : ContiguityKind::Rook,
                                           .tolerance = spec.tolerance,
                                           .threads = threads},
                                          progress);
            });
        case WeightsSpec::Kind::Knn:
            return with_context([&] { return knn_weights(layer_points(layer), spec.k, progress, threads); });
        case WeightsSpec::Kind::Distance:
            return with_context([&] {
                return distance_band_weights(layer_points(layer),
                                             {.threshold = spec.distance, .binary = !spec.inverse, .power = spec.power},
                                             progress, threads);
            });
        case WeightsSpec::Kind::Kernel:
            return with_context([&] {
                KernelOptions o;
                o.function = spec.kernel;
                o.bandwidth = spec.adaptive ? 0.0 : spec.distance;
                o.adaptive = spec.adaptive;
                if (spec.adaptive) o.k = spec.k;
                return kernel_weights(layer_points(layer), o, progress, threads);
            });
        case WeightsSpec::Kind::File: {
            const WeightsFile f = read_weights_file(spec.file);
            return align_weights(f, layer.ids, spec.file);
        }
    }
    throw InputError("unknown weights kind");
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
