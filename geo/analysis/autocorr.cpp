#include "geo/analysis/autocorr.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <functional>
#include <map>
#include <utility>

#include "geo/analysis/counts.hpp"
#include "geo/core/error.hpp"
#include "geo/io/layer.hpp"
#include "geo/weights/spec.hpp"

namespace hq::analysis {

namespace {

struct Variable {
    std::string name;
    std::string group_column;
    std::vector<double> x;
};

Variable read_variable(const Project& p, const Layer& l, const VariableRequest& v, std::vector<Note>& notes) {
    if (v.group.empty() == v.column.empty()) throw InputError("give exactly one of --group GROUP and --var COL");
    Variable out;
    if (!v.column.empty()) {
        if (!v.total.empty()) throw InputError("--total needs --group (it is the denominator of the group's share)");
        out.name = v.column;
        out.x = read_numbers(l, v.column);
        return out;
    }
    std::string col;
    if (l.table.field_index(v.group) >= 0) col = v.group;
    else if (p.groups.empty()) col = v.group;  // read_counts names the missing field
    else col = find_group(p, v.group).column;
    out.group_column = col;
    const std::vector<double> g = read_counts(l, col);
    std::vector<double> t;
    std::string total_name;
    if (!v.total.empty()) {
        total_name = resolve_count_column(p, l, v.total);
        t = read_counts(l, total_name);
    } else if (!p.groups.empty()) {
        total_name = "the sum of the project's groups";
        t.assign(l.size(), 0.0);
        for (const auto& gd : p.groups) {
            const std::vector<double> c = read_counts(l, gd.column);
            for (std::size_t i = 0; i < t.size(); ++i) t[i] += c[i];
        }
    } else {
        throw InputError(ErrorContext{.file = l.path(), .layer = l.name()},
                         "--group needs --total COL (the file defines no groups)");
    }
    out.name = col + " share";
    out.x.assign(g.size(), 0.0);
    std::size_t empty = 0;
    for (std::size_t i = 0; i < g.size(); ++i) {
        if (g[i] > t[i])
            throw InputError(ErrorContext{.file = l.path(), .layer = l.name(), .feature = i,
                                          .feature_id = i < l.ids.size() ? l.ids[i] : "", .field = total_name},
                             "the group count " + col + " (" + std::to_string(g[i]) + ") exceeds the total (" +
                                 std::to_string(t[i]) + ")");
        if (t[i] > 0) out.x[i] = g[i] / t[i];
        else ++empty;
    }
    if (empty > 0)
        notes.push_back({std::to_string(empty) + "个单元无居民，其占比记为0",
                         std::to_string(empty) + " units have no residents; their share counts as 0"});
    return out;
}

/// Runs f, adding the layer's file and the feature's id to an InputError.
template <class F>
auto with_layer(const Layer& l, F&& f) {
    try {
        return f();
    } catch (const InputError& e) {
        throw in_layer(l, e);
    }
}

std::set<std::string> chosen(const std::set<std::string>& asked) {
    const auto& names = autocorr_statistic_names();
    if (asked.empty()) return {names.begin(), names.end()};
    for (const std::string& a : asked)
        if (std::find(names.begin(), names.end(), a) == names.end()) {
            std::string all;
            for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
            throw InputError("--statistics: unknown statistic '" + a + "' (use any of " + all + ")");
        }
    return asked;
}

}  // namespace

const std::vector<std::string>& autocorr_statistic_names() {
    static const std::vector<std::string> names = {"moran", "geary", "general_g", "local_moran", "local_g",
                                                   "local_g_star"};
    return names;
}

ClusterCounts AutocorrResult::cluster_counts(const std::vector<bool>* include) const {
    ClusterCounts c{};
    for (std::size_t i = 0; i < cluster.size(); ++i) {
        if (include && !(*include)[i]) continue;
        const auto q = static_cast<std::size_t>(cluster[i]);
        const std::size_t slot = q == 0 ? 0 : (local_moran_significant[i] ? q : 5);
        ++c[slot];
    }
    return c;
}

MoranScatter moran_scatter(const AutocorrResult& r) {
    MoranScatter v;
    if (!r.local_moran) return v;
    const std::vector<double>& x = r.x;
    const std::size_t n = x.size();
    double mean = 0;
    for (double xi : x) mean += xi;
    mean /= static_cast<double>(n);
    double m2 = 0;
    for (double xi : x) m2 += (xi - mean) * (xi - mean);
    const double sd = std::sqrt(m2 / static_cast<double>(n));
    v.z.assign(n, 0.0);
    v.lag.assign(n, 0.0);
    double sxy = 0, sxx = 0;
    for (std::size_t i = 0; i < n; ++i) {
        v.z[i] = sd > 0 ? (x[i] - mean) / sd : 0.0;
        v.lag[i] = sd > 0 ? r.local_moran->lag[i] / sd : 0.0;
        sxy += v.z[i] * v.lag[i];
        sxx += v.z[i] * v.z[i];
    }
    v.slope = sxx > 0 ? sxy / sxx : 0.0;
    return v;
}

AutocorrRequest lisa_request(const std::string& group, const std::string& weights, std::size_t permutations,
                             std::uint64_t seed, double alpha, const std::string& adjust) {
    AutocorrRequest r;
    r.variable.group = group;
    r.weights = weights;
    r.permutations = permutations;
    r.seed = seed;
    r.alpha = alpha;
    r.adjust = adjust;
    r.statistics = {"local_moran"};
    return r;
}

namespace {

/// The weights of a request as every statistic uses them: as built (G, G*), without self
/// links, row-standardised (Moran, Geary, local Moran).
struct PreparedWeights {
    WeightsProvenance provenance;
    bool fallback = false;
    std::string note_zh, note_en;
    std::shared_ptr<const Weights> raw, rowst;
    Weights base;
};

PreparedWeights prepare_weights(const WeightsSpec& spec, const Layer& l, const Progress& progress) {
    PreparedWeights w;
    BuiltWeights built = resolve_weights(spec, l, progress);
    w.provenance = weights_provenance(built);
    w.fallback = built.fallback;
    w.note_zh = built.note_zh();
    w.note_en = built.note_en();
    // Moran, Geary, local Moran: row-standardised, no self links. G, G*: the weights as built
    // (spdep's local G z does not depend on row scaling; G* adds a self weight of 1 if none).
    w.raw = std::make_shared<const Weights>(std::move(built.weights));
    w.base = without_self(*w.raw);
    w.rowst = std::make_shared<const Weights>(w.base.row_standardised());
    return w;
}

/// Where a request's weights come from: built for it, or shared within a batch.
using WeightsFor = std::function<const PreparedWeights&(const WeightsSpec&, const Layer&, const Progress&)>;

std::shared_ptr<const AutocorrResult> run_autocorrelation(const Project& project, const AutocorrRequest& rq,
                                                          const WeightsFor& weights_for, const Progress& progress) {
    if (!(rq.alpha > 0 && rq.alpha < 1)) throw InputError("--alpha must be between 0 and 1");
    const PAdjust adjust = p_adjust_from_name(rq.adjust);
    const WeightsSpec spec = parse_weights_spec(rq.weights);
    auto out = std::make_shared<AutocorrResult>();
    AutocorrResult& r = *out;
    r.statistics = chosen(rq.statistics);
    auto wants = [&](const char* id) { return r.statistics.count(id) > 0; };
    const Layer* layer = rq.layer ? rq.layer : units_layer(project);
    if (!layer || !layer->has_geometry())
        throw InputError(ErrorContext{.file = project.path}, "no layer with geometry to analyse");
    const Layer& l = *layer;
    r.layer = layer;
    Variable v = read_variable(project, l, rq.variable, r.notes);
    r.variable = v.name;
    r.group_column = v.group_column;
    r.x = std::move(v.x);
    Variable y;
    if (rq.bivariate) {
        std::vector<Note> ignored;
        y = read_variable(project, l, *rq.bivariate, ignored);
        r.bivariate_variable = y.name;
    }

    progress.report(0.02, "weights");
    const PreparedWeights& pw = weights_for(spec, l, progress);
    r.weights = pw.provenance;
    if (pw.fallback) r.notes.push_back({"权重：" + pw.note_zh + "，代替" + spec.canonical(),
                                        "weights: " + pw.note_en + " instead of " + spec.canonical()});
    const std::shared_ptr<const Weights>& raw = pw.raw;
    const Weights& base = pw.base;
    const std::shared_ptr<const Weights>& rowst = pw.rowst;
    r.raw = raw;
    r.rowst = rowst;
    r.inference = {rq.permutations, rq.seed, rq.alpha, p_adjust_name(adjust)};

    AutocorrOptions o;
    o.permutations = rq.permutations;
    o.seed = rq.seed;
    o.variable = r.variable;
    const Progress& stats = progress;
    const std::span<const double> x(r.x);
    if (wants("moran")) r.moran = with_layer(l, [&] { return moran(x, *rowst, o, stats); });
    if (wants("geary")) r.geary = with_layer(l, [&] { return geary(x, *rowst, o, stats); });
    const bool negative = std::any_of(r.x.begin(), r.x.end(), [](double value) { return value < 0; });
    if (wants("general_g")) {
        if (negative)
            r.notes.push_back({"变量含负值，未计算General G", "General G not computed (the variable has negative values)"});
        else
            r.general_g = with_layer(l, [&] { return general_g(x, base, o, stats); });
    }
    const bool perms = rq.permutations > 0;
    auto sig_of = [&](const auto& res) {
        return significant(perms ? res.p_permutation : res.p_analytical, adjust, rq.alpha);
    };
    if (wants("local_moran")) {
        r.local_moran = with_layer(l, [&] { return local_moran(x, *rowst, o, stats); });
        r.local_moran_significant = sig_of(*r.local_moran);
        r.cluster = r.local_moran->quadrant;
        for (std::size_t i = 0; i < r.cluster.size(); ++i)
            if (rowst->cardinality(i) == 0) r.cluster[i] = Quadrant::Island;
    }
    if (wants("local_g")) {
        r.local_g = with_layer(l, [&] { return local_g(x, base, false, o, stats); });
        r.local_g_significant = sig_of(*r.local_g);
    }
    if (wants("local_g_star")) {
        r.local_g_star = with_layer(l, [&] { return local_g(x, *raw, true, o, stats); });
        r.local_g_star_significant = sig_of(*r.local_g_star);
    }
    if (rq.bivariate) {
        const std::span<const double> yv(y.x);
        r.bivariate_moran = with_layer(l, [&] { return bivariate_moran(x, yv, *rowst, o, stats); });
        r.local_bivariate = with_layer(l, [&] { return local_bivariate_moran(x, yv, *rowst, o, stats); });
        r.local_bivariate_significant = significant(r.local_bivariate->p_permutation, adjust, rq.alpha);
    }
    progress.report(1.0, "statistics");
    return out;
}

}  // namespace

std::shared_ptr<const AutocorrResult> autocorrelation(const Project& project, const AutocorrRequest& request,
                                                      const Progress& progress) {
    PreparedWeights own;
    const WeightsFor build = [&own](const WeightsSpec& spec, const Layer& l, const Progress& p) -> const PreparedWeights& {
        own = prepare_weights(spec, l, p);
        return own;
    };
    return run_autocorrelation(project, request, build, progress);
}

std::vector<AutocorrBatchItem> autocorrelation_batch(const Project& project, const std::vector<AutocorrRequest>& requests,
                                                     const Progress& progress) {
    // Weights per (layer, canonical spec); a spec whose weights fail keeps its message.
    std::map<std::pair<const Layer*, std::string>, PreparedWeights> cache;
    std::map<std::pair<const Layer*, std::string>, std::exception_ptr> failed;
    const WeightsFor shared = [&](const WeightsSpec& spec, const Layer& l, const Progress& p) -> const PreparedWeights& {
        const auto key = std::make_pair(&l, spec.canonical());
        if (const auto f = failed.find(key); f != failed.end()) std::rethrow_exception(f->second);
        if (const auto c = cache.find(key); c != cache.end()) return c->second;
        try {
            return cache.emplace(key, prepare_weights(spec, l, p)).first->second;
        } catch (const InputError&) {
            failed.emplace(key, std::current_exception());
            throw;
        }
    };
    std::vector<AutocorrBatchItem> out(requests.size());
    for (std::size_t k = 0; k < requests.size(); ++k) {
        progress.check();
        try {
            out[k].result = run_autocorrelation(project, requests[k], shared, {});
        } catch (const InputError& e) {
            out[k].error = e.what();
        }
        progress.report(static_cast<double>(k + 1) / static_cast<double>(requests.size()), "statistics");
    }
    return out;
}

}  // namespace hq::analysis
