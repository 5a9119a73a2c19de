// huqian autocorr PATH [--layer L] (--group G [--total T] | --var COL | --share GROUP:TOTAL)
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

#include "app/cli/by_table.hpp"
#include "app/cli/command.hpp"
#include "app/cli/common.hpp"
#include "app/cli/privacy_json.hpp"
#include "geo/analysis/counts.hpp"
#include "geo/core/text.hpp"
#include "geo/core/error.hpp"
#include "geo/analysis/autocorr.hpp"
#include "geo/analysis/by.hpp"
#include "geo/analysis/weights.hpp"

namespace hq::cli {
namespace {

struct AutocorrArgs {
    std::string path;
    LoadArgs load;
    AnalysisArgs common;
    std::string var;
    std::string share;
    std::string bivariate;
    std::vector<std::string> statistics;  ///< empty = all
    bool json = false;
    bool csv = false;
    std::string by;  ///< --by COLUMN: one row per value (app/cli/by_table.hpp)
    std::string output;
    PrivacyArgs privacy;
};

/// The autocorrelation of one group's count or share (local Moran per unit, its quadrant,
/// G*) says where its members live: refused for a manifest group of fewer than k residents,
/// as its map is (docs/privacy.md, attribute disclosure). `name`: --group / --share's GROUP,
/// or a --var / --bivariate column that is a group's count column.
void refuse_small_group(const Project& project, const analysis::VariableRequest& v,
                        const privacy::DisclosurePolicy& policy) {
    const std::string& name = v.group.empty() ? v.column : v.group;
    if (name.empty() || !policy.guard) return;
    for (std::size_t g = 0; g < project.groups.size(); ++g) {
        const GroupDef& gd = project.groups[g];
        if (name != gd.column && name != gd.name_zh && name != gd.name_en) continue;
        const auto table = analysis::group_count_table(project);
        if (table && g < table->group_totals.size() && policy.small(table->group_totals[g]))
            throw InputError("group " + printable(gd.column) + " has fewer than " + std::to_string(policy.k) +
                             " residents: its autocorrelation would show where they live (privacy guard; the data "
                             "owner may pass --no-privacy-guard)");
        return;
    }
}

/// GROUP:TOTAL (--share, --bivariate): a group's share of a total column.
analysis::VariableRequest share_variable(const std::string& spec, const char* option) {
    const std::size_t colon = spec.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == spec.size())
        throw InputError(std::string(option) + " expects GROUP:TOTAL (two count columns), got '" + spec + "'");
    analysis::VariableRequest v;
    v.group = spec.substr(0, colon);
    v.total = spec.substr(colon + 1);
    return v;
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
    const int given = (a.var.empty() ? 0 : 1) + (a.share.empty() ? 0 : 1) + (a.common.group.empty() ? 0 : 1);
    if (given != 1) throw UsageError("give exactly one of --group GROUP, --var COL and --share GROUP:TOTAL");
    analysis::AutocorrRequest rq;
    if (!a.share.empty()) {
        if (!a.common.total.empty()) throw InputError("--share GROUP:TOTAL names the total already; drop --total");
        rq.variable = share_variable(a.share, "--share");
    } else {
        rq.variable.group = a.common.group;
        rq.variable.total = a.common.total;
        rq.variable.column = a.var;
    }
    if (!a.bivariate.empty()) {
        if (a.bivariate.find(':') != std::string::npos) rq.bivariate = share_variable(a.bivariate, "--bivariate");
        else rq.bivariate = analysis::VariableRequest{.column = a.bivariate};
    }
    rq.weights = a.common.weights;
    rq.permutations = a.common.permutations;
    rq.seed = a.common.seed;
    rq.alpha = a.common.alpha;
    rq.adjust = a.common.adjust;
    rq.statistics = {a.statistics.begin(), a.statistics.end()};
    (void)parse_weights_spec(rq.weights);  // a usage problem before the load
    const privacy::DisclosurePolicy policy = a.privacy.policy();
    const Project project = load_for_command(a.path, a.load);
    refuse_small_group(project, rq.variable, policy);
    if (rq.bivariate) refuse_small_group(project, *rq.bivariate, policy);
    StderrProgress bar("autocorr");
    const Progress progress([&bar](double f, std::string_view s) { bar(f, s); }, nullptr);
    // Published-only inputs with the guard on (docs/privacy.md, "LISA"); with --by, each
    // part's units enter by the whole project's printed table (analysis::autocorrelation_by).
    rq.privacy = policy;
    if (!a.by.empty()) {  // one row per part (app/cli/by_table.hpp)
        if (rq.bivariate || !a.statistics.empty())
            throw UsageError("--by computes global Moran and Geary of each part: --bivariate and --statistics are not "
                             "available with it");
        const auto table = analysis::autocorrelation_by(project, a.by, rq, 0, progress);
        write_by_table(project, table, a.json, a.csv, a.output, &policy);
        return;
    }
    const auto result = analysis::autocorrelation(project, rq, progress);
    const analysis::AutocorrResult& res = *result;
    for (const auto& n : res.notes) print_note(n.en);
    const Layer* layer = res.layer;
    const std::vector<double>& x = res.x;
    const std::string& name = res.variable;
    const std::string& yname = res.bivariate_variable;
    auto wants = [&](const char* id) { return res.statistics.count(id) > 0; };
    const auto& m = res.moran;
    const auto& g = res.geary;
    const auto& gg = res.general_g;
    const auto& lm = res.local_moran;
    const auto& lg = res.local_g;
    const auto& lgs = res.local_g_star;
    const std::vector<bool>& sig = res.local_moran_significant;
    const std::vector<bool>& sig_g = res.local_g_significant;
    const std::vector<bool>& sig_gs = res.local_g_star_significant;
    const analysis::WeightsProvenance& ws = res.weights;
    const bool perms = a.common.permutations > 0;
    const std::string adjust_name = res.inference.adjust;

    using json = Json;
    if (a.json) {
        json j;
        j["privacy"] = policy_json(policy);
        j["n"] = x.size();
        j["variable"] = name;
        j["layer"] = layer->path();
        json w = weights_json(ws);
        w["spec"] = a.common.weights;  // as given (kept from the first schema)
        w["moran_geary_local_moran"] = "row-standardised, self links removed";
        w["general_g_local_g"] = "as built (binary for contiguity, knn and distance bands)";
        j["weights"] = w;
        j["permutations"] = a.common.permutations;
        j["seed"] = a.common.seed;
        j["adjust"] = adjust_name;
        j["alpha"] = a.common.alpha;
        j["statistics"] = Json::array();
        for (const auto& id : analysis::autocorr_statistic_names())
            if (wants(id.c_str())) j["statistics"].push_back(id);
        if (lm) {
            const analysis::ClusterCounts cc = res.cluster_counts();
            j["clusters"] = {{"island", cc[0]}, {"HH", cc[1]}, {"LL", cc[2]},
                             {"LH", cc[3]}, {"HL", cc[4]}, {"not_significant", cc[5]},
                             {"withheld", std::count(res.withheld.begin(), res.withheld.end(), true)}};
        }
        json notes = json::array();
        for (const auto& n : res.notes) notes.push_back({{"zh", n.zh}, {"en", n.en}});
        j["notes"] = notes;
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
        // A unit the guard left out keeps its keys: null values, "suppressed": true.
        auto withheld = [&](json o, std::size_t i) {
            if (!res.is_withheld(i)) return o;
            for (auto& [key, value] : o.items())
                if (key != "id") value = nullptr;
            o["suppressed"] = true;
            return o;
        };
        json local = lm ? json::array() : json(nullptr);
        for (std::size_t i = 0; lm && i < x.size(); ++i)
            local.push_back(withheld({{"id", layer->ids[i]},
                             {"Ii", num(lm->Ii[i])},
                             {"E", num(lm->E[i])},
                             {"V", num(lm->V[i])},
                             {"z", num(lm->z[i])},
                             {"p_analytical", num(lm->p_analytical[i])},
                             {"p_permutation", num(lm->p_permutation[i])},
                             {"quadrant", quadrant_name(lm->quadrant[i])},
                             {"significant", static_cast<bool>(sig[i])}}, i));
        j["local_moran"] = local;
        auto local_g_json = [&](const std::optional<LocalGResult>& opt, const std::vector<bool>& s) {
            if (!opt) return json(nullptr);
            const LocalGResult& r = *opt;
            json arr = json::array();
            for (std::size_t i = 0; i < x.size(); ++i)
                arr.push_back(withheld({{"id", layer->ids[i]},
                                        {"z", num(r.z[i])},
                                        {"p_analytical", num(r.p_analytical[i])},
                                        {"p_permutation", num(r.p_permutation[i])},
                                        {"significant", static_cast<bool>(s[i])}}, i));
            return arr;
        };
        j["local_g"] = local_g_json(lg, sig_g);
        j["local_g_star"] = local_g_json(lgs, sig_gs);
        if (res.bivariate_moran) {
            const BivariateMoranResult& bv = *res.bivariate_moran;
            const LocalBivariateResult& lbv = *res.local_bivariate;
            const std::vector<bool>& sb = res.local_bivariate_significant;
            j["bivariate_moran"] = {{"with", yname}, {"I", num(bv.I)}, {"p_permutation", num(bv.p_permutation)}};
            json arr = json::array();
            for (std::size_t i = 0; i < x.size(); ++i)
                arr.push_back(withheld({{"id", layer->ids[i]},
                                        {"Ii", num(lbv.Ii[i])},
                                        {"p_permutation", num(lbv.p_permutation[i])},
                                        {"quadrant", quadrant_name(lbv.quadrant[i])},
                                        {"significant", static_cast<bool>(sb[i])}}, i));
            j["local_bivariate_moran"] = arr;
        }
        write_json_output(a.output, j.dump(2) + "\n");
        return;
    }

    std::ostringstream out;
    if (!policy.guard) out << policy.stamp() << "\n";
    out << "spatial autocorrelation of " << printable(name) << " in " << printable(layer->path()) << " (n = " << x.size() << ")\n";
    out << "weights: " << ws.used << (ws.fallback ? " (" + ws.note_en + ", instead of " + ws.requested + ")" : "")
        << "; neighbours min/mean/max " << ws.min_neighbours << " / "
        << fmt('f', 2, ws.mean_neighbours) << " / " << ws.max_neighbours << ", islands " << ws.islands << "\n";
    out << "permutations: " << a.common.permutations << " (seed " << a.common.seed << "); p-values: one-sided 'greater' as spdep"
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
        out << "\nlocal Moran, significant at alpha " << a.common.alpha << " (" << adjust_name << ", "
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
    if (res.bivariate_moran) {
        const BivariateMoranResult& bv = *res.bivariate_moran;
        out << "bivariate Moran (" << printable(name) << " vs lag of " << printable(yname) << "): " << fmt('f', 6, bv.I) << "  p(perm) "
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
    cmd->add_option("--share", args->share, "GROUP:TOTAL: the share of a group (two count columns); the same as "
                                            "--group GROUP --total TOTAL");
    cmd->add_option("--bivariate", args->bivariate,
                    "COL or GROUP:TOTAL: also the bivariate Moran of the variable against this one's spatial lag");
    args->common.weights = "queen";
    args->common.add_to(cmd, {.groups = false});
    cmd->add_option("--statistics", args->statistics,
                    "Compute only these (comma-separated): moran, geary, general_g, local_moran, local_g, "
                    "local_g_star (default: all)")
        ->delimiter(',');
    cmd->add_flag("--json", args->json, "Print JSON (schema in docs/autocorrelation.md)");
    cmd->add_option("--by", args->by,
                    "One row per value of this column (e.g. community): global Moran and Geary of each part, in "
                    "parallel; CSV with --csv, a GeoPackage with -o FILE.gpkg (docs/postgis.md). With the privacy "
                    "guard a group's count or share enters only from the part's units whose count the whole "
                    "project's table prints; a part with fewer than 3 of them, or whose printed counts show fewer "
                    "than k residents of the group, is withheld (\"—\", JSON null with \"suppressed\": true; "
                    "docs/privacy.md, \"LISA\")");
    cmd->add_flag("--csv", args->csv, "With --by: print CSV");
    cmd->add_option("-o,--output", args->output, "Write to this file instead of standard output");
    args->privacy.add_to(cmd);
    cmd->callback([args]() { run(*args); });
}

const Registrar reg{"autocorr", 40, &setup};

}  // namespace
}  // namespace hq::cli
