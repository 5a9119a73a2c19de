#include "geo/analysis/autocorr.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <functional>
#include <limits>
#include <map>
#include <stdexcept>
#include <utility>

#include "geo/analysis/by.hpp"
#include "geo/analysis/counts.hpp"
#include "geo/core/error.hpp"
#include "geo/io/layer.hpp"
#include "geo/privacy/maps.hpp"
#include "geo/privacy/tables.hpp"
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

/// The manifest group a variable reads: its index and whether it is a share (needs the unit
/// total), or nullopt when it is no manifest group's count.
struct GroupVariable {
    std::size_t group = 0;
    bool share = false;
};
std::optional<GroupVariable> group_variable(const Project& p, const VariableRequest& v, const std::string& column) {
    const std::string& name = column.empty() ? v.column : column;
    for (std::size_t g = 0; g < p.groups.size(); ++g) {
        const GroupDef& gd = p.groups[g];
        if (name == gd.column || (column.empty() && (name == gd.name_zh || name == gd.name_en)))
            return GroupVariable{g, !column.empty()};
    }
    return std::nullopt;
}

/// The units that may enter (geo/privacy lisa_input_units) for the request's variables;
/// `in` empty when every unit enters (no guard, no group variable, another layer).
/// `group_under_k`: the printed cells of a variable's group show fewer than k residents
/// (privacy::group_printed_at_least_k; every unit is then left out).
struct InputUnits {
    std::vector<char> in;
    bool group_under_k = false;
};
InputUnits input_units(const Project& p, const Layer& l, const AutocorrRequest& rq, const Variable& v,
                       const Variable* y) {
    if (!rq.privacy || !rq.privacy->guard || units_layer(p) != &l) return {};
    std::vector<GroupVariable> vars;
    if (const auto gv = group_variable(p, rq.variable, v.group_column)) vars.push_back(*gv);
    if (rq.bivariate && y)
        if (const auto gv = group_variable(p, *rq.bivariate, y->group_column)) vars.push_back(*gv);
    if (vars.empty()) return {};
    const std::shared_ptr<const privacy::ProtectedTable> cells = rq.published ? rq.published : published_units_table(p, rq);
    if (!cells) return {};
    if (cells->rows() != l.size())
        throw std::logic_error("autocorrelation: the published table has " + std::to_string(cells->rows()) +
                               " rows for " + std::to_string(l.size()) + " units");
    InputUnits out;
    out.in.assign(l.size(), 1);
    for (const GroupVariable& gv : vars) {
        const std::vector<char> one = privacy::lisa_input_units(*cells, gv.group, gv.share);
        for (std::size_t i = 0; i < out.in.size() && i < one.size(); ++i)
            out.in[i] = static_cast<char>(out.in[i] && one[i]);
        if (!privacy::group_printed_at_least_k(*cells, gv.group)) out.group_under_k = true;
    }
    if (out.group_under_k) out.in.assign(l.size(), 0);
    return out;
}

/// Weights among the units `keep` (numbered 0..m−1) in the numbering of all n units (the
/// other rows empty).
Weights lifted(const Weights& w, const std::vector<std::size_t>& keep, std::size_t n) {
    std::vector<std::vector<std::uint32_t>> nb(n);
    std::vector<std::vector<double>> val(n);
    for (std::size_t a = 0; a < keep.size() && a < w.n; ++a) {
        const auto row = w.row(a);
        const auto rv = w.row_values(a);
        for (std::size_t k = 0; k < row.size(); ++k) {
            nb[keep[a]].push_back(static_cast<std::uint32_t>(keep[row[k]]));
            val[keep[a]].push_back(rv[k]);
        }
    }
    return Weights::from_lists(std::move(nb), std::move(val), w.style);
}

/// A local vector of the m entering units spread over all n (`fill` elsewhere).
template <class T>
std::vector<T> spread(const std::vector<T>& sub, const std::vector<std::size_t>& keep, std::size_t n, T fill) {
    std::vector<T> out(n, fill);
    for (std::size_t a = 0; a < keep.size() && a < sub.size(); ++a) out[keep[a]] = sub[a];
    return out;
}

}  // namespace

std::shared_ptr<const privacy::ProtectedTable> published_units_table(const Project& project,
                                                                     const AutocorrRequest& rq) {
    if (!rq.privacy || !rq.privacy->guard) return nullptr;
    const auto names_group = [&](const VariableRequest& v) {
        const std::string& name = v.group.empty() ? v.column : v.group;
        return !name.empty() && find_group_index(project, name) >= 0;
    };
    if (!names_group(rq.variable) && !(rq.bivariate && names_group(*rq.bivariate))) return nullptr;
    const auto table = group_count_table(project, units_layer(project));
    if (!table) return nullptr;
    return std::make_shared<const privacy::ProtectedTable>(privacy::units_by_groups_table(
        table->counts, privacy::group_totals_table(table->group_totals, *rq.privacy)));
}

const std::vector<std::string>& autocorr_statistic_names() {
    static const std::vector<std::string> names = {"moran", "geary", "general_g", "local_moran", "local_g",
                                                   "local_g_star"};
    return names;
}

ClusterCounts AutocorrResult::cluster_counts(const std::vector<bool>* include) const {
    ClusterCounts c{};
    for (std::size_t i = 0; i < cluster.size(); ++i) {
        if ((include && !(*include)[i]) || is_withheld(i)) continue;
        const auto q = static_cast<std::size_t>(cluster[i]);
        const std::size_t slot = q == 0 ? 0 : (local_moran_significant[i] ? q : 5);
        ++c[slot];
    }
    return c;
}

MoranScatter moran_scatter(const AutocorrResult& r) {
    MoranScatter v;
    if (!r.local_moran) return v;
    // Over the units that entered (a withheld unit has no value: NaN, not drawn).
    const std::vector<double>& x = r.x;
    const std::size_t n = x.size();
    double mean = 0, m = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (!r.is_withheld(i)) mean += x[i], m += 1;
    mean /= std::max(1.0, m);
    double m2 = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (!r.is_withheld(i)) m2 += (x[i] - mean) * (x[i] - mean);
    const double sd = std::sqrt(m2 / std::max(1.0, m));
    v.z.assign(n, 0.0);
    v.lag.assign(n, 0.0);
    double sxy = 0, sxx = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (r.is_withheld(i)) {
            v.z[i] = v.lag[i] = std::numeric_limits<double>::quiet_NaN();
            continue;
        }
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
    // A group's registered / temporary count column never enters under the guard.
    if (rq.privacy)
        for (const VariableRequest* vr : {&rq.variable, rq.bivariate ? &*rq.bivariate : nullptr})
            if (vr) {
                refuse_split_column(project, vr->column, "--var", *rq.privacy);
                refuse_split_column(project, vr->group, "--group", *rq.privacy);
                refuse_split_column(project, vr->total, "--total", *rq.privacy);
            }
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
    std::shared_ptr<const Weights> raw = pw.raw;
    Weights base_sub;
    const Weights* basep = &pw.base;
    std::shared_ptr<const Weights> rowst = pw.rowst;
    r.inference = {rq.permutations, rq.seed, rq.alpha, p_adjust_name(adjust)};

    // The privacy guard: published-only inputs (docs/privacy.md, "LISA"). The statistics run
    // on the entering units alone, with the weights among them; the result is spread back
    // over every unit, the others withheld.
    const std::size_t n_all = r.x.size();
    const InputUnits entering = input_units(project, l, rq, v, rq.bivariate ? &y : nullptr);
    const std::vector<char>& in = entering.in;
    std::vector<std::size_t> keep;
    for (std::size_t i = 0; i < in.size(); ++i)
        if (in[i]) keep.push_back(i);
    const bool subset = !in.empty() && keep.size() < n_all;
    r.published_only = rq.privacy && rq.privacy->guard;
    std::vector<double> xs = r.x, ys = y.x;
    if (subset) {
        r.withheld.assign(n_all, true);
        for (std::size_t i : keep) r.withheld[i] = false;
        xs.clear();
        ys.clear();
        for (std::size_t i : keep) {
            xs.push_back(r.x[i]);
            if (rq.bivariate) ys.push_back(y.x[i]);
        }
        for (std::size_t i = 0; i < n_all; ++i)
            if (r.withheld[i]) r.x[i] = std::numeric_limits<double>::quiet_NaN();
        r.notes.push_back({privacy::lisa_input_note_zh(keep.size(), n_all), privacy::lisa_input_note_en(keep.size(), n_all)});
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    // Too few entering units to compute anything (or to build their weights): every unit
    // withheld, the local values NaN, no global statistic.
    auto nothing = [&]() {
        const int k = rq.privacy->k;
        r.suppressed = entering.group_under_k
                           ? Note{"公开的计数显示该族群不足" + std::to_string(k) + "人，未计算（隐私保护，docs/privacy.md）",
                                  "the published counts show fewer than " + std::to_string(k) +
                                      " residents of the group: not computed (privacy guard, docs/privacy.md)"}
                           : Note{"计数公开的单元不足3个（或其间无法构建权重），未计算（隐私保护，docs/privacy.md）",
                                  "fewer than 3 units with a published count (or no weights among them): not computed "
                                  "(privacy guard, docs/privacy.md)"};
        r.withheld.assign(n_all, true);
        r.x.assign(n_all, nan);
        r.weights.islands = n_all;
        r.rowst = r.raw = std::make_shared<const Weights>(Weights::from_lists(std::vector<std::vector<std::uint32_t>>(n_all)));
        if (r.statistics.count("local_moran")) {
            LocalMoranResult lm;
            lm.Ii = lm.E = lm.V = lm.z = lm.p_analytical = lm.p_permutation = lm.lag = std::vector<double>(n_all, nan);
            lm.quadrant.assign(n_all, Quadrant::Island);
            lm.permutations = rq.permutations;
            r.local_moran = std::move(lm);
            r.local_moran_significant.assign(n_all, false);
            r.cluster.assign(n_all, Quadrant::Island);
        }
        progress.report(1.0, "statistics");
        return out;
    };
    if (subset && keep.size() < 3) return nothing();
    if (subset) {
        // The weights are built among the entering units alone, by the same rule (the
        // fallback included: contiguity among them, else their nearest neighbours), so that a
        // withheld unit's place says nothing either; published in the full numbering.
        const Layer sub = layer_rows(l, keep);
        BuiltWeights built;
        try {
            built = resolve_weights(spec, sub, progress);
        } catch (const InputError&) {  // e.g. knn:6 among 4 units
            return nothing();
        }
        r.weights = weights_provenance(built);
        if (built.fallback)
            r.notes.push_back({"权重（公开单元）：" + built.note_zh() + "，代替" + spec.canonical(),
                               "weights (published units): " + built.note_en() + " instead of " + spec.canonical()});
        raw = std::make_shared<const Weights>(std::move(built.weights));
        base_sub = without_self(*raw);
        basep = &base_sub;
        rowst = std::make_shared<const Weights>(base_sub.row_standardised());
        r.raw = std::make_shared<const Weights>(lifted(*raw, keep, n_all));
        r.rowst = std::make_shared<const Weights>(lifted(*rowst, keep, n_all));
    } else {
        if (pw.fallback) r.notes.push_back({"权重：" + pw.note_zh + "，代替" + spec.canonical(),
                                            "weights: " + pw.note_en + " instead of " + spec.canonical()});
        r.raw = raw;
        r.rowst = rowst;
    }

    const Weights& base = *basep;
    AutocorrOptions o;
    o.permutations = rq.permutations;
    o.seed = rq.seed;
    o.variable = r.variable;
    const Progress& stats = progress;
    const std::span<const double> x(xs);
    if (wants("moran")) r.moran = with_layer(l, [&] { return moran(x, *rowst, o, stats); });
    if (wants("geary")) r.geary = with_layer(l, [&] { return geary(x, *rowst, o, stats); });
    const bool negative = std::any_of(xs.begin(), xs.end(), [](double value) { return value < 0; });
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
    // Spreads a local vector of the entering units over every unit.
    auto wide = [&](auto& vec, auto fill) {
        if (subset) vec = spread(vec, keep, n_all, fill);
    };
    if (wants("local_moran")) {
        r.local_moran = with_layer(l, [&] { return local_moran(x, *rowst, o, stats); });
        r.local_moran_significant = sig_of(*r.local_moran);
        r.cluster = r.local_moran->quadrant;
        for (std::size_t i = 0; i < r.cluster.size(); ++i)
            if (rowst->cardinality(i) == 0) r.cluster[i] = Quadrant::Island;
        LocalMoranResult& lm = *r.local_moran;
        for (auto* f : {&lm.Ii, &lm.E, &lm.V, &lm.z, &lm.p_analytical, &lm.p_permutation, &lm.lag}) wide(*f, nan);
        wide(lm.quadrant, Quadrant::Island);
        wide(r.cluster, Quadrant::Island);
        wide(r.local_moran_significant, false);
    }
    auto wide_g = [&](LocalGResult& g, std::vector<bool>& sig) {
        for (auto* f : {&g.z, &g.p_analytical, &g.p_permutation, &g.G}) wide(*f, nan);
        wide(sig, false);
    };
    if (wants("local_g")) {
        r.local_g = with_layer(l, [&] { return local_g(x, base, false, o, stats); });
        r.local_g_significant = sig_of(*r.local_g);
        wide_g(*r.local_g, r.local_g_significant);
    }
    if (wants("local_g_star")) {
        r.local_g_star = with_layer(l, [&] { return local_g(x, *raw, true, o, stats); });
        r.local_g_star_significant = sig_of(*r.local_g_star);
        wide_g(*r.local_g_star, r.local_g_star_significant);
    }
    if (rq.bivariate) {
        const std::span<const double> yv(ys);
        r.bivariate_moran = with_layer(l, [&] { return bivariate_moran(x, yv, *rowst, o, stats); });
        r.local_bivariate = with_layer(l, [&] { return local_bivariate_moran(x, yv, *rowst, o, stats); });
        r.local_bivariate_significant = significant(r.local_bivariate->p_permutation, adjust, rq.alpha);
        for (auto* f : {&r.local_bivariate->Ii, &r.local_bivariate->p_permutation}) wide(*f, nan);
        wide(r.local_bivariate->quadrant, Quadrant::Island);
        wide(r.local_bivariate_significant, false);
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
