// huqian autocorr PATH [--layer L] (--var COL | --share GROUP:TOTAL)
//                [--weights queen|rook|knn:K|distance:M|kernel:NAME:M|gal:FILE]
//                [--permutations 999 --seed S] [--adjust none|bonferroni|fdr]
//                [--alpha 0.05] [--statistics moran,geary,general_g,local_moran,local_g,local_g_star]
//                [--json] [-o FILE]
// Global and local spatial autocorrelation following R spdep. Formulas, conventions and
// the JSON schema: docs/autocorrelation.md.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include "app/cli/command.hpp"
#include "app/cli/common.hpp"
#include "geo/core/error.hpp"
#include "geo/stats/autocorr.hpp"
#include "geo/stats/local_moran.hpp"
#include "geo/stats/multiple_testing.hpp"
#include "geo/weights/spec.hpp"

namespace hq::cli {
namespace {

struct AutocorrArgs {
    std::string path;
    LoadArgs load;
    std::string var;
    std::string share;
    std::string bivariate;
    std::string weights = "queen";
    std::size_t permutations = 999;
    std::uint64_t seed = 12345;
    std::string adjust = "fdr";
    double alpha = 0.05;
    std::vector<std::string> statistics;  ///< empty = all
    bool json = false;
    std::string output;
};

/// A variable: a numeric column, or GROUP:TOTAL (the ratio of two count columns).
std::vector<double> read_variable(const Layer& layer, const std::string& spec, bool share, std::string& name) {
    if (!share) {
        name = spec;
        return read_numbers(layer, spec);
    }
    const std::size_t colon = spec.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == spec.size())
        throw InputError("--share expects GROUP:TOTAL (two count columns), got '" + spec + "'");
    const std::string g = spec.substr(0, colon), t = spec.substr(colon + 1);
    name = g + "/" + t;
    const std::vector<double> gv = read_counts(layer, g), tv = read_counts(layer, t);
    std::vector<double> x(gv.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        ErrorContext c{.file = layer.path(), .layer = layer.name(), .feature = i,
                       .feature_id = i < layer.ids.size() ? layer.ids[i] : "", .field = t};
        if (tv[i] == 0)
            throw InputError(c, "the total is 0, so the share " + name +
                                    " is undefined; remove such units (or analyse counts with --var)");
        if (gv[i] > tv[i])
            throw InputError(c, "the group count " + g + " (" + std::to_string(gv[i]) + ") exceeds the total (" +
                                    std::to_string(tv[i]) + ")");
        x[i] = gv[i] / tv[i];
    }
    return x;
}

/// The statistics --statistics may name, in output order.
const std::vector<std::string>& statistic_names() {
    static const std::vector<std::string> names = {"moran", "geary", "general_g", "local_moran", "local_g",
                                                   "local_g_star"};
    return names;
}

std::set<std::string> chosen_statistics(const std::vector<std::string>& asked) {
    if (asked.empty()) return {statistic_names().begin(), statistic_names().end()};
    std::set<std::string> out;
    for (const std::string& a : asked) {
        if (std::find(statistic_names().begin(), statistic_names().end(), a) == statistic_names().end()) {
            std::string all;
            for (const auto& n : statistic_names()) all += (all.empty() ? "" : ", ") + n;
            throw InputError("--statistics: unknown statistic '" + a + "' (use any of " + all + ")");
        }
        out.insert(a);
    }
    return out;
}

using Json = nlohmann::ordered_json;  // keys in the documented order

Json num(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

/// fmt('f', 6, v) = "%.6f", fmt('g', 4, v) = "%.4g"; "n/a" for NaN.
std::string fmt(char kind, int precision, double v) {
    if (!std::isfinite(v)) return "n/a";
    char b[64];
    if (kind == 'f') std::snprintf(b, sizeof b, "%.*f", precision, v);
    else std::snprintf(b, sizeof b, "%.*g", precision, v);
    return b;
}

void run(const AutocorrArgs& a) {
    if (a.var.empty() == a.share.empty()) throw UsageError("give exactly one of --var COL and --share GROUP:TOTAL");
    if (!(a.alpha > 0 && a.alpha < 1)) throw InputError("--alpha must be between 0 and 1");
    const PAdjust adjust = p_adjust_from_name(a.adjust);
    const WeightsSpec spec = parse_weights_spec(a.weights);
    const std::set<std::string> want = chosen_statistics(a.statistics);
    auto wants = [&](const char* id) { return want.count(id) > 0; };

    const Project project = load_for_command(a.path, a.load);
    const Layer* layer = project.analysis_layer();
    if (!layer || !layer->has_geometry())
        throw InputError(ErrorContext{.file = a.path}, "no layer with geometry to analyse");

    std::string name;
    const std::vector<double> x = read_variable(*layer, a.share.empty() ? a.var : a.share, !a.share.empty(), name);
    std::string yname;
    std::vector<double> y;
    if (!a.bivariate.empty())
        y = read_variable(*layer, a.bivariate, a.bivariate.find(':') != std::string::npos, yname);

    StderrProgress bar("autocorr");
    const Progress progress([&bar](double f, std::string_view s) { bar(f, s); }, nullptr);
    const Weights raw = build_weights(spec, *layer, progress);
    // Moran, Geary, local Moran: row-standardised, no self links. G, G*: the weights as built
    // (spdep's local G z does not depend on row scaling; G* adds a self weight of 1 if none).
    const Weights base = without_self(raw);
    const Weights rowst = base.row_standardised();

    AutocorrOptions o;
    o.permutations = a.permutations;
    o.seed = a.seed;
    o.variable = name;
    auto with_layer = [&](auto&& f) {
        try {
            return f();
        } catch (const InputError& e) {
            ErrorContext c = e.context();
            if (c.file.empty()) c.file = layer->path();
            if (c.feature && c.feature_id.empty() && *c.feature < layer->ids.size()) c.feature_id = layer->ids[*c.feature];
            throw InputError(c, e.bare_message());
        }
    };
    // Only the statistics asked for (--statistics; all by default): at city scale each one
    // with 999 permutations costs seconds.
    std::optional<MoranResult> m;
    if (wants("moran")) m = with_layer([&] { return moran(x, rowst, o, progress); });
    std::optional<GearyResult> g;
    if (wants("geary")) g = with_layer([&] { return geary(x, rowst, o, progress); });
    bool negative = false;
    for (const double v : x) negative |= v < 0;
    std::unique_ptr<GeneralGResult> gg;
    if (!negative && wants("general_g"))
        gg = std::make_unique<GeneralGResult>(with_layer([&] { return general_g(x, base, o, progress); }));
    std::optional<LocalMoranResult> lm;
    if (wants("local_moran")) lm = with_layer([&] { return local_moran(x, rowst, o, progress); });
    std::optional<LocalGResult> lg;
    if (wants("local_g")) lg = with_layer([&] { return local_g(x, base, false, o, progress); });
    std::optional<LocalGResult> lgs;
    if (wants("local_g_star")) lgs = with_layer([&] { return local_g(x, raw, true, o, progress); });

    const bool perms = a.permutations > 0;
    auto sig_of = [&](const auto& r) {
        return r ? significant(perms ? r->p_permutation : r->p_analytical, adjust, a.alpha) : std::vector<bool>{};
    };
    const std::vector<bool> sig = sig_of(lm);
    const std::vector<bool> sig_g = sig_of(lg);
    const std::vector<bool> sig_gs = sig_of(lgs);
    const NeighbourStats ws = raw.stats();

    using json = Json;
    if (a.json) {
        json j;
        j["n"] = x.size();
        j["variable"] = name;
        j["layer"] = layer->path();
        j["weights"] = {{"spec", spec.text},
                        {"islands", ws.islands},
                        {"min_neighbours", ws.min_neighbours},
                        {"mean_neighbours", ws.mean_neighbours},
                        {"max_neighbours", ws.max_neighbours},
                        {"symmetric", ws.symmetric},
                        {"moran_geary_local_moran", "row-standardised, self links removed"},
                        {"general_g_local_g", "as built (binary for contiguity, knn and distance bands)"}};
        j["permutations"] = a.permutations;
        j["seed"] = a.seed;
        j["adjust"] = p_adjust_name(adjust);
        j["alpha"] = a.alpha;
        j["statistics"] = Json::array();
        for (const auto& id : statistic_names())
            if (wants(id.c_str())) j["statistics"].push_back(id);
        // Moran's I and Geary's C report the same moments and p-values (GlobalTests in spdep).
        auto global_json = [&](const char* stat, double value, const auto& r) {
            return Json{{stat, num(value)},
                        {"expected", num(r.expected)},
                        {"variance_normality", num(r.variance_normality)},
                        {"variance_randomisation", num(r.variance_randomisation)},
                        {"z_normality", num(r.z_normality)},
                        {"z_randomisation", num(r.z_randomisation)},
                        {"p_normality", num(r.p_normality)},
                        {"p_randomisation", num(r.p_randomisation)},
                        {"p_normality_two_sided", num(r.p_normality_two_sided)},
                        {"p_randomisation_two_sided", num(r.p_randomisation_two_sided)},
                        {"p_permutation", num(r.p_permutation)}};
        };
        j["moran"] = m ? global_json("I", m->I, *m) : Json(nullptr);
        j["geary"] = g ? global_json("C", g->C, *g) : Json(nullptr);
        j["general_g"] = gg ? json{{"G", num(gg->G)},
                                   {"expected", num(gg->expected)},
                                   {"variance", num(gg->variance)},
                                   {"z", num(gg->z)},
                                   {"p", num(gg->p)},
                                   {"p_two_sided", num(gg->p_two_sided)},
                                   {"p_permutation", num(gg->p_permutation)}}
                            : json(nullptr);
        json local = lm ? json::array() : json(nullptr);
        for (std::size_t i = 0; lm && i < x.size(); ++i)
            local.push_back({{"id", layer->ids[i]},
                             {"Ii", num(lm->Ii[i])},
                             {"E", num(lm->E[i])},
                             {"V", num(lm->V[i])},
                             {"z", num(lm->z[i])},
                             {"p_analytical", num(lm->p_analytical[i])},
                             {"p_permutation", num(lm->p_permutation[i])},
                             {"quadrant", quadrant_name(lm->quadrant[i])},
                             {"significant", static_cast<bool>(sig[i])}});
        j["local_moran"] = local;
        auto local_g_json = [&](const std::optional<LocalGResult>& opt, const std::vector<bool>& s) {
            if (!opt) return json(nullptr);
            const LocalGResult& r = *opt;
            json arr = json::array();
            for (std::size_t i = 0; i < x.size(); ++i)
                arr.push_back({{"id", layer->ids[i]},
                               {"z", num(r.z[i])},
                               {"p_analytical", num(r.p_analytical[i])},
                               {"p_permutation", num(r.p_permutation[i])},
                               {"significant", static_cast<bool>(s[i])}});
            return arr;
        };
        j["local_g"] = local_g_json(lg, sig_g);
        j["local_g_star"] = local_g_json(lgs, sig_gs);
        if (!y.empty()) {
            const BivariateMoranResult bv = with_layer([&] { return bivariate_moran(x, y, rowst, o, progress); });
            const LocalBivariateResult lbv =
                with_layer([&] { return local_bivariate_moran(x, y, rowst, o, progress); });
            const std::vector<bool> sb = significant(lbv.p_permutation, adjust, a.alpha);
            j["bivariate_moran"] = {{"with", yname}, {"I", num(bv.I)}, {"p_permutation", num(bv.p_permutation)}};
            json arr = json::array();
            for (std::size_t i = 0; i < x.size(); ++i)
                arr.push_back({{"id", layer->ids[i]},
                               {"Ii", num(lbv.Ii[i])},
                               {"p_permutation", num(lbv.p_permutation[i])},
                               {"quadrant", quadrant_name(lbv.quadrant[i])},
                               {"significant", static_cast<bool>(sb[i])}});
            j["local_bivariate_moran"] = arr;
        }
        write_output(a.output, j.dump(2) + "\n");
        return;
    }

    std::ostringstream out;
    out << "spatial autocorrelation of " << name << " in " << layer->path() << " (n = " << x.size() << ")\n";
    out << "weights: " << spec.text << "; neighbours min/mean/max " << ws.min_neighbours << " / "
        << fmt('f', 2, ws.mean_neighbours) << " / " << ws.max_neighbours << ", islands " << ws.islands << "\n";
    out << "permutations: " << a.permutations << " (seed " << a.seed << "); p-values: one-sided 'greater' as spdep"
        << " (two-sided in --json)\n\n";
    if (m)
        out << "Moran's I  " << fmt('f', 6, m->I) << "  E " << fmt('f', 6, m->expected) << "  z(rand) "
            << fmt('f', 4, m->z_randomisation) << "  p(rand) " << fmt('g', 4, m->p_randomisation) << "  p(perm) "
            << fmt('g', 4, m->p_permutation) << "\n";
    if (g)
        out << "Geary's C  " << fmt('f', 6, g->C) << "  E 1         z(rand) " << fmt('f', 4, g->z_randomisation)
            << "  p(rand) " << fmt('g', 4, g->p_randomisation) << "  p(perm) " << fmt('g', 4, g->p_permutation) << "\n";
    if (gg)
        out << "General G  " << fmt('g', 6, gg->G) << "  E " << fmt('g', 6, gg->expected) << "  z " << fmt('f', 4, gg->z)
            << "  p " << fmt('g', 4, gg->p) << "  p(perm) " << fmt('g', 4, gg->p_permutation) << "\n";
    else if (wants("general_g"))
        out << "General G  not computed (the variable has negative values)\n";
    auto significant_count = [](const std::vector<bool>& s) {
        std::size_t k = 0;
        for (const bool b : s) k += b ? 1 : 0;
        return k;
    };
    if (lm) {
        std::size_t counts[5] = {0, 0, 0, 0, 0};
        for (std::size_t i = 0; i < x.size(); ++i)
            if (sig[i]) ++counts[static_cast<int>(lm->quadrant[i])];
        out << "\nlocal Moran, significant at alpha " << a.alpha << " (" << p_adjust_name(adjust) << ", "
            << (perms ? "permutation" : "analytical") << " p): HH " << counts[1] << ", LL " << counts[2] << ", LH "
            << counts[3] << ", HL " << counts[4] << "\n";
    }
    if (lg) out << "local G, significant units: " << significant_count(sig_g) << "\n";
    if (lgs) {
        std::size_t hot = 0, cold = 0;
        for (std::size_t i = 0; i < x.size(); ++i)
            if (sig_gs[i]) (lgs->z[i] > 0 ? hot : cold)++;
        out << "local G*, significant: hot spots " << hot << ", cold spots " << cold << "\n";
    }
    if (!y.empty()) {
        const BivariateMoranResult bv = with_layer([&] { return bivariate_moran(x, y, rowst, o, progress); });
        out << "bivariate Moran (" << name << " vs lag of " << yname << "): " << fmt('f', 6, bv.I) << "  p(perm) "
            << fmt('g', 4, bv.p_permutation) << "\n";
    }
    write_text_output(a.output, out.str());
}

void setup(CLI::App& app) {
    auto args = std::make_shared<AutocorrArgs>();
    CLI::App* cmd = app.add_subcommand(
        "autocorr", "Global and local spatial autocorrelation (Moran, Geary, Getis-Ord), as R spdep computes it");
    cmd->add_option("PATH", args->path, "Project folder or vector file")->required();
    args->load.add_to(cmd);
    cmd->add_option("--var", args->var, "Numeric column to analyse");
    cmd->add_option("--share", args->share, "GROUP:TOTAL: analyse the share of a group (two count columns)");
    cmd->add_option("--bivariate", args->bivariate,
                    "COL or GROUP:TOTAL: also the bivariate Moran of the variable against this one's spatial lag");
    cmd->add_option("--weights", args->weights,
                    "queen[:TOL] | rook[:TOL] | knn:K | distance:M[:inverse[:P]] | kernel:NAME:M | "
                    "kernel:NAME:knn:K | gal:FILE | gwt:FILE (metres)")
        ->capture_default_str();
    cmd->add_option("--permutations", args->permutations, "Permutations for the pseudo p-values (0 = none)")
        ->capture_default_str();
    cmd->add_option("--seed", args->seed, "Random seed (results do not depend on the thread count)")
        ->capture_default_str();
    cmd->add_option("--adjust", args->adjust, "Multiple-comparison adjustment of local p-values")
        ->check(CLI::IsMember({"none", "bonferroni", "fdr"}))
        ->capture_default_str();
    cmd->add_option("--alpha", args->alpha, "Significance level")->capture_default_str();
    cmd->add_option("--statistics", args->statistics,
                    "Compute only these (comma-separated): moran, geary, general_g, local_moran, local_g, "
                    "local_g_star (default: all)")
        ->delimiter(',');
    cmd->add_flag("--json", args->json, "Print JSON (schema in docs/autocorrelation.md)");
    cmd->add_option("-o,--output", args->output, "Write to this file instead of standard output");
    cmd->callback([args]() { run(*args); });
}

const Registrar reg{"autocorr", 40, &setup};

}  // namespace
}  // namespace hq::cli
