// huqian indices PATH [--layer L] [--group COL --total COL] [--groups A,B,C]
//                [--weights queen|rook|knn:K|distance:M|kernel:NAME:M] [--distance M]
//                [--profile 50,100,200,...] [--permutations N --null NAME --seed S]
//                [--pairwise] [--json | --csv] [-o FILE]
// huqian indices compare PATH_A PATH_B --group COL --total COL --index ID
//                [--null NAME --permutations N --seed S] [--decompose] [--json]
// Segregation indices, their inference, pairwise tables and multiscalar profiles.
// JSON schema: docs/cli-json.md; methods: docs/segregation.md, docs/segregation-inference.md.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <sstream>

#include "app/cli/command.hpp"
#include "app/cli/common.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/privacy/tables.hpp"
#include "geo/stats/seg_decomposition.hpp"
#include "geo/stats/seg_inference.hpp"
#include "geo/stats/seg_profile.hpp"
#include "geo/stats/segregation.hpp"
#include "geo/stats/segregation_multigroup.hpp"
#include "geo/stats/segregation_pairwise.hpp"
#include "geo/stats/segregation_spatial.hpp"
#include "geo/weights/contiguity.hpp"
#include "geo/weights/distance.hpp"

namespace hq::cli {
namespace {

using nlohmann::ordered_json;

// The O(n²) indices are computed up to these sizes (a note on stderr otherwise).
constexpr std::size_t kMaxDistanceDecayUnits = 20000;
constexpr std::size_t kMaxDistortionUnits = 5000;

const std::map<std::string, std::string>& meanings() {
    static const std::map<std::string, std::string> m = {
        {"dissim", "share of the group that would have to move to match the total's spread (0 even, 1 apart)"},
        {"gini", "mean difference in group share between all pairs of units, weighted (0 even, 1 apart)"},
        {"entropy", "Theil's H: how much less mixed units are than the city (0 even, 1 apart)"},
        {"atkinson", "Atkinson index, b = 0.5: inequality of the group's shares across units (0 even)"},
        {"con_prof", "concentration profile R: how far units' shares run above the city share (0 even)"},
        {"min_max", "1 − overlap of the group's and the others' distributions over units (0 even, 1 apart)"},
        {"modified_dissim", "dissimilarity corrected for the randomness of small units (Carrington-Troske)"},
        {"modified_gini", "Gini corrected for the randomness of small units (Carrington-Troske)"},
        {"bias_corrected_dissim", "dissimilarity with its small-sample bias removed (Allen et al. 2015)"},
        {"density_corrected_dissim", "dissimilarity corrected by the folded-normal density (Allen et al. 2015)"},
        {"isolation", "share of the group among the neighbours of its average member (xPx)"},
        {"interaction", "share of the others among the neighbours of the group's average member (xPy)"},
        {"correlation_r", "isolation above the city share, scaled to 0..1 (eta², White 1986)"},
        {"spatial_dissim", "dissimilarity minus the share difference between neighbouring units (Morrill)"},
        {"boundary_spatial_dissim", "dissimilarity adjusted by shared boundary lengths (Wong)"},
        {"par_dissim", "dissimilarity adjusted by boundaries and unit compactness (Wong)"},
        {"spatial_proximity", "mean proximity within groups over proximity of everyone (1 = no clustering)"},
        {"absolute_clustering", "how much the group's units sit next to each other (0 none)"},
        {"relative_clustering", "proximity of the group to itself relative to the others' (0 equal)"},
        {"distance_decay_isolation", "isolation with distance-decayed neighbourhoods"},
        {"distance_decay_interaction", "interaction with distance-decayed neighbourhoods"},
        {"delta", "share of the group that would have to move to reach uniform density (Hoover)"},
        {"absolute_concentration", "how little space the group occupies relative to the extremes (1 most)"},
        {"relative_concentration", "space occupied by the group relative to the others (>0 more concentrated)"},
        {"absolute_centralization", "how close to the centre the group lives relative to land (>0 central)"},
        {"relative_centralization", "how close to the centre the group lives relative to the others (>0 central)"},
        {"multi_dissim", "multigroup dissimilarity: share that would have to move for every unit to match (0..1)"},
        {"multi_gini", "multigroup Gini: mean share difference between pairs of units (0..1)"},
        {"multi_norm_exposure", "variance of group shares across units, normalised (0 even, 1 apart)"},
        {"multi_info_theory", "Theil's multigroup H: loss of diversity inside units (0 even, 1 apart)"},
        {"multi_relative_diversity", "loss of Simpson diversity inside units (0 even, 1 apart)"},
        {"multi_squared_coef_var", "squared coefficient of variation of group shares (0 even)"},
        {"multi_diversity", "Theil's entropy of the city's group mix (0 one group, ln K all equal)"},
        {"simpsons_concentration", "chance two random residents are of the same group"},
        {"simpsons_interaction", "chance two random residents are of different groups"},
        {"multi_divergence", "Kullback-Leibler divergence of units' mixes from the city's, weighted (0 even)"},
        {"global_distortion", "mean distortion: how far neighbourhoods' mixes stay from the city's as they grow"},
        {"multi_location_quotient", "group share in the unit over its city share (1 = city average), per group"},
        {"multi_local_diversity", "entropy of the unit's group mix"},
        {"multi_local_entropy", "entropy of the unit's group mix over ln K (0..1)"},
        {"multi_local_simpson_concentration", "chance two residents of the unit are of the same group"},
        {"multi_local_simpson_interaction", "chance two residents of the unit are of different groups"},
        {"local_relative_centralization", "relative centralization of the group around this unit (5 neighbours)"},
        {"local_distortion", "distortion of the unit: how long its growing neighbourhood differs from the city"},
    };
    return m;
}

std::string meaning(const std::string& id) {
    const auto& m = meanings();
    const auto it = m.find(id);
    return it == m.end() ? std::string() : it->second;
}

std::string null_list() {
    std::string s;
    for (const auto& n : seg::null_names()) s += (s.empty() ? "" : ", ") + n;
    return s + " (default systematic)";
}

Progress make_progress(StderrProgress& bar) {
    return Progress([&bar](double f, std::string_view s) { bar(f, s); }, nullptr);
}

/// A count column by name: a field of the layer, or a manifest group's en/zh name.
std::string resolve_column(const Project& p, const Layer& l, const std::string& name) {
    if (l.table.field_index(name) >= 0) return name;
    for (const auto& g : p.groups)
        if (g.name_en == name || g.name_zh == name) return g.column;
    return name;  // read_counts names the missing field
}

std::vector<double> manifest_total(const Project& p, const Layer& l) {
    std::vector<double> t(l.size(), 0.0);
    for (const auto& g : p.groups) {
        const auto v = read_counts(l, g.column);
        for (std::size_t i = 0; i < t.size(); ++i) t[i] += v[i];
    }
    return t;
}

ErrorContext layer_context(const Layer& l) {
    ErrorContext c;
    c.file = l.path();
    c.layer = l.name();
    return c;
}

/// The single-group counts of --group/--total (total defaults to the manifest groups' sum).
seg::GroupCounts group_counts(const Project& p, const Layer& l, const std::string& group, const std::string& total) {
    seg::GroupCounts c;
    c.where = layer_context(l);
    c.group_name = resolve_column(p, l, group);
    c.group = read_counts(l, c.group_name);
    if (!total.empty()) {
        c.total_name = resolve_column(p, l, total);
        c.total = read_counts(l, c.total_name);
    } else if (!p.groups.empty()) {
        c.total_name = "sum of the project's groups";
        c.total = manifest_total(p, l);
    } else {
        throw InputError(layer_context(l), "--group needs --total COL (the file defines no groups)");
    }
    seg::validate(c);
    return c;
}

seg::CountMatrix group_matrix(const Project& p, const Layer& l, const std::vector<std::string>& names) {
    seg::CountMatrix m;
    m.where = layer_context(l);
    m.units = l.size();
    m.groups = names.size();
    m.data.assign(m.units * m.groups, 0.0);
    for (std::size_t k = 0; k < names.size(); ++k) {
        const std::string col = resolve_column(p, l, names[k]);
        m.names.push_back(col);
        const auto v = read_counts(l, col);
        for (std::size_t i = 0; i < m.units; ++i) m.data[i * m.groups + k] = v[i];
    }
    seg::validate(m);
    return m;
}

std::vector<Vec2> unit_centroids(const Layer& l) {
    std::vector<Vec2> c(l.size());
    for (std::size_t i = 0; i < l.size(); ++i) {
        if (l.metric[i].empty()) {
            c[i] = {std::nan(""), std::nan("")};
            continue;
        }
        c[i] = centroid(l.metric[i]);
    }
    return c;
}

bool polygonal(const Layer& l) { return l.geom_type == GeomType::Polygon || l.geom_type == GeomType::MultiPolygon; }

double parse_number(const std::string& s, const std::string& what) {
    try {
        std::size_t used = 0;
        const double v = std::stod(s, &used);
        if (used == s.size() && std::isfinite(v)) return v;
    } catch (const std::exception&) {
    }
    throw InputError(what + ": \"" + s + "\" is not a number");
}

Weights build_weights(const std::string& spec, const Layer& l, const std::vector<Vec2>& centroids,
                      const Progress& progress) {
    const auto colon = spec.find(':');
    const std::string kind = spec.substr(0, colon);
    const std::string rest = colon == std::string::npos ? "" : spec.substr(colon + 1);
    if (kind == "queen" || kind == "rook") {
        if (!polygonal(l)) throw InputError(layer_context(l), "--weights " + kind + " needs polygon units");
        ContiguityOptions o;
        o.kind = kind == "queen" ? ContiguityKind::Queen : ContiguityKind::Rook;
        return contiguity_weights(l.metric, o, progress);
    }
    if (kind == "knn") {
        const double k = parse_number(rest, "--weights knn:K");
        if (k < 1 || k != std::floor(k) || k > 1e9) throw InputError("--weights knn:K: K must be a whole number ≥ 1");
        return knn_weights(centroids, static_cast<std::size_t>(k), progress);
    }
    if (kind == "distance") {
        DistanceBandOptions o;
        o.threshold = parse_number(rest, "--weights distance:M");
        return distance_band_weights(centroids, o, progress);
    }
    if (kind == "kernel") {
        const auto c2 = rest.find(':');
        if (c2 == std::string::npos) throw InputError("--weights kernel:NAME:M, e.g. kernel:triangular:500");
        KernelOptions o;
        o.function = kernel_function_from_name(rest.substr(0, c2));
        o.bandwidth = parse_number(rest.substr(c2 + 1), "--weights kernel:NAME:M");
        if (!(o.bandwidth > 0)) throw InputError("--weights kernel:NAME:M: M must be > 0");
        o.diagonal_one = true;
        return kernel_weights(centroids, o, progress);
    }
    throw InputError("--weights \"" + spec + "\": expected queen, rook, knn:K, distance:M or kernel:NAME:M");
}

// ---------------------------------------------------------------------------------------
// huqian indices PATH
// ---------------------------------------------------------------------------------------

struct IndicesArgs {
    std::string path;
    LoadArgs load;
    std::string group;
    std::string total;
    std::vector<std::string> groups;
    std::string weights;
    double distance = 0.0;
    std::vector<double> profile;
    std::vector<std::string> profile_ids;
    std::size_t permutations = 0;
    std::string null = "systematic";
    std::uint64_t seed = 0;
    std::vector<std::string> test_ids;
    bool pairwise = false;
    bool json = false;
    bool csv = false;
    std::string output;
    unsigned threads = 0;
    PrivacyArgs privacy;
};

struct InferenceRow {
    std::string id;
    seg::SingleValueResult r;
};

struct Results {
    std::size_t units = 0;
    std::string environment;  ///< "" = aspatial; else what the local environments are
    std::vector<seg::IndexValue> single;
    std::vector<seg::IndexValue> multi;
    std::vector<seg::LocalValues> local;
    std::vector<InferenceRow> inference;
    std::optional<seg::PairwiseTables> pairwise;
    std::vector<double> profile_distances;
    std::vector<std::pair<std::string, std::vector<double>>> profile;
    std::vector<std::string> notes;  ///< printed on stderr
};

const std::vector<std::string>& default_single_tests() {
    static const std::vector<std::string> ids = {"dissim",   "gini",        "entropy",     "atkinson",
                                                 "con_prof", "min_max",     "isolation",   "interaction",
                                                 "correlation_r"};
    return ids;
}
const std::vector<std::string>& default_multi_tests() {
    static const std::vector<std::string> ids = {"multi_dissim",          "multi_gini",
                                                 "multi_norm_exposure",   "multi_info_theory",
                                                 "multi_relative_diversity", "multi_squared_coef_var",
                                                 "multi_divergence"};
    return ids;
}

/// Runs one spatially explicit index; a problem with the geometry (no neighbours, no area)
/// leaves that index out with a note instead of failing the whole command.
template <class F>
void try_index(Results& out, const std::string& id, F&& f) {
    try {
        f();
    } catch (const InputError& e) {
        out.notes.push_back(id + " left out: " + e.bare_message());
    }
}

void spatial_single(const seg::GroupCounts& c, const Layer& l, const std::vector<Vec2>& centroids,
                    const std::optional<Weights>& user_w, Results& out, const Progress& progress) {
    const bool poly = polygonal(l);
    std::vector<double> areas;
    if (poly) {
        areas.reserve(l.size());
        for (const auto& g : l.metric) areas.push_back(planar_area(g));
    }
    if (user_w || poly)
        try_index(out, "spatial_dissim", [&] {
            const Weights w = user_w ? *user_w : contiguity_weights(l.metric, ContiguityOptions{}, progress);
            out.single.push_back({"spatial_dissim", seg::spatial_dissim(c, w)});
        });
    if (poly) {
        try_index(out, "boundary_spatial_dissim and par_dissim", [&] {
            const Weights shared = seg::shared_boundary_weights(l.metric, progress);
            const double b = seg::boundary_spatial_dissim(c, shared);
            const double pa = seg::par_dissim(c, shared, seg::perimeters(l.metric), areas);
            out.single.push_back({"boundary_spatial_dissim", b});
            out.single.push_back({"par_dissim", pa});
        });
        if (c.units() <= kMaxDistanceDecayUnits) {
            try_index(out, "the distance-decay indices", [&] {
                for (auto& v : seg::distance_decay_indices(c, centroids, areas, {}, progress)) out.single.push_back(v);
            });
        } else {
            out.notes.push_back("the distance-decay indices (O(n²)) are left out above " +
                                std::to_string(kMaxDistanceDecayUnits) + " units");
        }
        try_index(out, "delta", [&] { out.single.push_back({"delta", seg::delta(c, areas)}); });
        try_index(out, "absolute_concentration", [&] {
            out.single.push_back({"absolute_concentration", seg::absolute_concentration(c, areas)});
        });
        try_index(out, "relative_concentration", [&] {
            out.single.push_back({"relative_concentration", seg::relative_concentration(c, areas)});
        });
        try_index(out, "absolute_centralization", [&] {
            out.single.push_back({"absolute_centralization", seg::absolute_centralization(c, centroids, areas)});
        });
    }
    try_index(out, "relative_centralization", [&] {
        out.single.push_back({"relative_centralization", seg::relative_centralization(c, centroids)});
    });
    try_index(out, "local_relative_centralization", [&] {
        seg::LocalValues lrc;
        lrc.id = "local_relative_centralization";
        lrc.values = seg::local_relative_centralization(c, centroids);
        out.local.push_back(std::move(lrc));
    });
}

Results compute(const IndicesArgs& a, const Project& p, const Layer& l) {
    Results out;
    out.units = l.size();
    const bool want_single = !a.group.empty();
    std::vector<std::string> group_list = a.groups;
    if (group_list.empty())
        for (const auto& g : p.groups) group_list.push_back(g.column);
    const bool want_multi = !group_list.empty();
    if (!want_single && !want_multi)
        throw InputError(layer_context(l), "nothing to compute: give --group COL --total COL, or --groups A,B,...");
    if (!a.total.empty() && !want_single) throw InputError("--total needs --group");
    if (a.distance < 0 || !std::isfinite(a.distance)) throw InputError("--distance must be a number ≥ 0");

    std::optional<seg::GroupCounts> c;
    std::optional<seg::CountMatrix> m;
    const privacy::DisclosurePolicy policy = a.privacy.policy();
    if (want_single) {
        c = group_counts(p, l, a.group, a.total);
        // Single-group indices of a small group say where its few members live (geo/privacy).
        if (policy.small(std::accumulate(c->group.begin(), c->group.end(), 0.0)))
            throw InputError(layer_context(l), "group " + c->group_name + " has fewer than " + std::to_string(policy.k) +
                                                   " residents: its indices would show where they live (privacy "
                                                   "guard; the data owner may pass --no-privacy-guard)");
    }
    if (want_multi) {
        if (group_list.size() < 2) throw InputError("--groups needs at least two groups");
        m = group_matrix(p, l, group_list);
    }
    const std::vector<Vec2> centroids = unit_centroids(l);
    auto has_centroids = [&] {
        for (const auto& v : centroids)
            if (!std::isfinite(v.x)) return false;
        return true;
    }();

    std::optional<Weights> w;
    if (!a.weights.empty()) {
        StderrProgress bar("weights");
        w = build_weights(a.weights, l, centroids, make_progress(bar));
    }

    // Local environments (PySAL's distance= / w=) for the spatially implicit values.
    seg::LocalEnvironmentOptions env;
    env.bandwidth = a.distance;
    env.threads = a.threads;
    std::optional<seg::GroupCounts> c_env;
    std::optional<seg::CountMatrix> m_env;
    if (a.distance > 0 || w) {
        if (a.distance > 0 && !has_centroids) throw InputError(layer_context(l), "--distance needs unit geometries");
        std::ostringstream e;
        if (a.distance > 0)
            e << "triangular kernel, bandwidth " << a.distance;
        else
            e << "weights " << a.weights << ", diagonal 1";
        out.environment = e.str();
        StderrProgress bar("local environments");
        const Progress progress = make_progress(bar);
        if (c) c_env = a.distance > 0 ? seg::local_environment(*c, centroids, env, progress) : seg::local_environment(*c, *w);
        if (m) m_env = a.distance > 0 ? seg::local_environment(*m, centroids, env, progress) : seg::local_environment(*m, *w);
    }
    const seg::GroupCounts* cs = c_env ? &*c_env : (c ? &*c : nullptr);
    const seg::CountMatrix* ms = m_env ? &*m_env : (m ? &*m : nullptr);

    seg::RandomOptions random;
    random.seed = a.seed;
    random.threads = a.threads;
    if (cs) {
        StderrProgress bar("single-group indices");
        const Progress progress = make_progress(bar);
        out.single = seg::single_group_aspatial(*cs, random, true, progress);
        if (has_centroids) spatial_single(*c, l, centroids, w, out, progress);
    }
    if (ms) {
        out.multi = seg::multigroup_aspatial(*ms);
        for (auto& lv : seg::multigroup_local(*m)) {
            // A location quotient per unit and group gives the count back: withheld with it.
            if (lv.id == "multi_location_quotient")
                privacy::withhold_with_cells(lv.values, m->data, m->units, m->groups, policy);
            out.local.push_back(std::move(lv));
        }
        if (has_centroids && m->units <= kMaxDistortionUnits) {
            StderrProgress bar("distortion");
            const Progress progress = make_progress(bar);
            seg::LocalValues ld;
            ld.id = "local_distortion";
            ld.values = seg::local_distortion(*m, centroids, progress, a.threads);
            double num = 0.0;
            double den = 0.0;
            for (std::size_t i = 0; i < m->units; ++i) {
                double t = 0.0;
                for (std::size_t k = 0; k < m->groups; ++k) t += m->at(i, k);
                if (std::isfinite(ld.values[i])) num += t * ld.values[i];
                den += t;
            }
            out.multi.push_back({"global_distortion", num / den});  // = seg::global_distortion, one pass
            out.local.push_back(std::move(ld));
        } else if (has_centroids) {
            out.notes.push_back("local_distortion and global_distortion (O(n²)) are left out above " +
                                std::to_string(kMaxDistortionUnits) + " units");
        }
    }

    if (a.permutations > 0) {
        const seg::NullApproach null = seg::null_from_name(a.null);
        seg::TestOptions o;
        o.permutations = a.permutations;
        o.seed = a.seed;
        o.threads = a.threads;
        seg::StatisticOptions so;
        so.random = random;
        // --distance: re-smooth each draw (PySAL's distance=); --weights alone: test the
        // aspatial formula on the smoothed counts (PySAL's w=).
        so.distance = a.distance;
        std::vector<std::string> ids = a.test_ids;
        if (ids.empty()) {
            if (cs) ids.insert(ids.end(), default_single_tests().begin(), default_single_tests().end());
            if (ms) ids.insert(ids.end(), default_multi_tests().begin(), default_multi_tests().end());
        }
        for (const auto& id : ids) {
            StderrProgress bar("inference " + id);
            const Progress progress = make_progress(bar);
            const bool single = seg::is_single_group_id(id);
            if (single && !c) throw InputError("--test " + id + " is a single-group index: give --group");
            if (!single && seg::is_multigroup_id(id) && !m) throw InputError("--test " + id + " needs --groups");
            if (!single && !seg::is_multigroup_id(id))
                throw InputError("--test " + id + ": inference is available for the aspatial and spatially "
                                 "implicit single-group and multigroup indices");
            const std::vector<Vec2> no_points;
            const auto& pts = has_centroids ? centroids : no_points;
            if (single) {
                const seg::GroupCounts& base = a.distance > 0 ? *c : *cs;
                out.inference.push_back({id, seg::single_value_test(id, base, pts, null, o, so, progress)});
            } else {
                const seg::CountMatrix& base = a.distance > 0 ? *m : *ms;
                out.inference.push_back({id, seg::single_value_test(id, base, pts, null, o, so, progress)});
            }
        }
    }

    if (a.pairwise) {
        if (!m) throw InputError("--pairwise needs --groups (or a project with groups)");
        StderrProgress bar("pairwise");
        out.pairwise = seg::pairwise_tables(*m, make_progress(bar), a.threads);
    }

    if (!a.profile.empty()) {
        if (!has_centroids) throw InputError(layer_context(l), "--profile needs unit geometries");
        std::vector<std::string> ids = a.profile_ids;
        if (ids.empty()) {
            if (m) ids.push_back("multi_info_theory");
            if (c) ids.push_back("dissim");
        }
        seg::ProfileOptions po;
        po.distances = a.profile;
        po.random = random;
        po.threads = a.threads;
        out.profile_distances.push_back(0.0);
        for (double d : a.profile) out.profile_distances.push_back(d);
        for (const auto& id : ids) {
            StderrProgress bar("profile " + id);
            const Progress progress = make_progress(bar);
            std::vector<seg::ProfilePoint> pts;
            if (seg::is_single_group_id(id)) {
                if (!c) throw InputError("--profile-index " + id + " is a single-group index: give --group");
                pts = seg::multiscalar_profile(id, *c, centroids, po, progress);
            } else {
                if (!m) throw InputError("--profile-index " + id + " needs --groups");
                pts = seg::multiscalar_profile(id, *m, centroids, po, progress);
            }
            std::vector<double> v;
            for (const auto& q : pts) v.push_back(q.value);
            out.profile.emplace_back(id, std::move(v));
        }
    }
    return out;
}

ordered_json number(double v) { return std::isfinite(v) ? ordered_json(v) : ordered_json(nullptr); }

ordered_json to_json(const Results& r, const IndicesArgs& a) {
    ordered_json j;
    j["units"] = r.units;
    ordered_json single = ordered_json::object();
    for (const auto& v : r.single) single[v.id] = number(v.value);
    j["single_group"] = single;
    ordered_json multi = ordered_json::object();
    for (const auto& v : r.multi) multi[v.id] = number(v.value);
    j["multigroup"] = multi;
    ordered_json local = ordered_json::object();
    for (const auto& lv : r.local) {
        ordered_json arr = ordered_json::array();
        const std::size_t n = lv.values.size() / std::max<std::size_t>(lv.columns, 1);
        for (std::size_t i = 0; i < n; ++i) {
            if (lv.columns == 1) {
                arr.push_back(number(lv.values[i]));
            } else {
                ordered_json row = ordered_json::array();
                for (std::size_t k = 0; k < lv.columns; ++k) row.push_back(number(lv.values[i * lv.columns + k]));
                arr.push_back(row);
            }
        }
        local[lv.id] = arr;
    }
    j["local"] = local;
    ordered_json inf = ordered_json::object();
    for (const auto& row : r.inference) {
        const auto& t = row.r;
        inf[row.id] = {{"statistic", number(t.statistic)},
                       {"p_value", number(t.p_value)},
                       {"null", t.null},
                       {"permutations", t.permutations},
                       {"two_tailed", t.two_tailed},
                       {"tested_value", number(t.tested_value)},
                       {"seed", a.seed},
                       {"valid", t.simulated.size()},
                       {"null_mean", number(t.summary.mean)},
                       {"null_sd", number(t.summary.sd)},
                       {"null_q025", number(t.summary.q025)},
                       {"null_q975", number(t.summary.q975)}};
    }
    j["inference"] = inf;
    if (r.pairwise) {
        const auto& pw = *r.pairwise;
        ordered_json ex = ordered_json::array();
        ordered_json d = ordered_json::array();
        for (std::size_t x = 0; x < pw.groups; ++x) {
            ordered_json er = ordered_json::array();
            ordered_json dr = ordered_json::array();
            for (std::size_t y = 0; y < pw.groups; ++y) {
                er.push_back(number(pw.exposure_at(x, y)));
                dr.push_back(number(pw.dissim_at(x, y)));
            }
            ex.push_back(er);
            d.push_back(dr);
        }
        j["pairwise"] = {{"groups", pw.names}, {"exposure", ex}, {"dissim", d}};
    } else {
        j["pairwise"] = ordered_json::object();
    }
    if (!r.profile.empty()) {
        ordered_json values = ordered_json::object();
        for (const auto& [id, v] : r.profile) {
            ordered_json arr = ordered_json::array();
            for (double x : v) arr.push_back(number(x));
            values[id] = arr;
        }
        j["profile"] = {{"kernel", "triangular"}, {"distances", r.profile_distances}, {"values", values}};
    } else {
        j["profile"] = ordered_json::object();
    }
    if (!r.environment.empty()) j["environment"] = r.environment;
    return j;
}

std::string fmt(double v, int decimals = 4) {
    if (!std::isfinite(v)) return "n/a";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string pad(const std::string& s, std::size_t width) {
    std::size_t cols = 0;
    for (unsigned char ch : s) cols += (ch < 0x80) ? 1 : ((ch & 0xC0) != 0x80 ? 2 : 0);
    return s + (cols < width ? std::string(width - cols, ' ') : "");
}

std::string to_text(const Results& r) {
    std::ostringstream o;
    o << "units: " << r.units << "\n";
    if (!r.environment.empty())
        o << "aspatial-formula indices below are spatially implicit: local environments, " << r.environment << "\n";
    auto table = [&](const char* title, const std::vector<seg::IndexValue>& v) {
        if (v.empty()) return;
        o << "\n" << title << "\n";
        o << "  " << pad("index", 28) << pad("value", 10) << "meaning\n";
        for (const auto& x : v) o << "  " << pad(x.id, 28) << pad(fmt(x.value), 10) << meaning(x.id) << "\n";
    };
    table("single group vs total:", r.single);
    table("multigroup:", r.multi);
    if (!r.local.empty()) {
        o << "\nlocal (one value per unit; see --json for the values):\n";
        o << "  " << pad("index", 36) << pad("min", 9) << pad("median", 9) << pad("max", 9) << pad("n/a", 6)
          << "meaning\n";
        for (const auto& lv : r.local) {
            std::vector<double> v;
            std::size_t nan = 0;
            for (double x : lv.values) {
                if (std::isfinite(x))
                    v.push_back(x);
                else
                    ++nan;
            }
            std::sort(v.begin(), v.end());
            const double mn = v.empty() ? NAN : v.front();
            const double md = v.empty() ? NAN : v[v.size() / 2];
            const double mx = v.empty() ? NAN : v.back();
            o << "  " << pad(lv.id, 36) << pad(fmt(mn, 3), 9) << pad(fmt(md, 3), 9) << pad(fmt(mx, 3), 9)
              << pad(std::to_string(nan), 6) << meaning(lv.id) << "\n";
        }
    }
    if (!r.inference.empty()) {
        const auto& t0 = r.inference.front().r;
        o << "\ninference (null " << t0.null << ", " << t0.permutations << " permutations, "
          << (t0.two_tailed ? "two-tailed" : "one-tailed") << " pseudo p-values as PySAL):\n";
        o << "  " << pad("index", 28) << pad("value", 10) << pad("p", 9) << pad("null mean", 11) << "null 95% range\n";
        for (const auto& row : r.inference) {
            const auto& t = row.r;
            const std::string p = t.p_value == 0.0 && !t.simulated.empty()
                                      ? "<" + fmt(1.0 / static_cast<double>(t.simulated.size()), 3)
                                      : fmt(t.p_value, 3);
            o << "  " << pad(row.id, 28) << pad(fmt(t.statistic), 10) << pad(p, 9)
              << pad(fmt(t.summary.mean), 11) << fmt(t.summary.q025) << " .. " << fmt(t.summary.q975) << "\n";
        }
    }
    if (r.pairwise) {
        const auto& pw = *r.pairwise;
        auto matrix = [&](const char* title, bool exposure) {
            o << "\n" << title << "\n  " << pad("", 14);
            for (std::size_t y = 0; y < pw.groups; ++y) o << pad(pw.names[y].substr(0, 9), 10);
            o << "\n";
            for (std::size_t x = 0; x < pw.groups; ++x) {
                o << "  " << pad(pw.names[x].substr(0, 13), 14);
                for (std::size_t y = 0; y < pw.groups; ++y)
                    o << pad(fmt(exposure ? pw.exposure_at(x, y) : pw.dissim_at(x, y), 3), 10);
                o << "\n";
            }
        };
        matrix("exposure (row group's average member: share of the column group in the unit):", true);
        matrix("two-group dissimilarity:", false);
    }
    if (!r.profile.empty()) {
        o << "\nmultiscalar profile (triangular kernel; distance 0 = aspatial):\n  " << pad("distance", 10);
        for (const auto& [id, v] : r.profile) o << pad(id, 20);
        o << "\n";
        for (std::size_t i = 0; i < r.profile_distances.size(); ++i) {
            o << "  " << pad(fmt(r.profile_distances[i], 0), 10);
            for (const auto& [id, v] : r.profile) o << pad(fmt(v[i]), 20);
            o << "\n";
        }
    }
    return o.str();
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
}

std::string to_csv(const Results& r) {
    std::ostringstream o;
    o << "section,id,feature,distance,value,p_value,null,permutations\n";
    auto num = [](double v) { return std::isfinite(v) ? json_number(v) : std::string(); };
    for (const auto& v : r.single) o << "single_group," << v.id << ",,," << num(v.value) << ",,,\n";
    for (const auto& v : r.multi) o << "multigroup," << v.id << ",,," << num(v.value) << ",,,\n";
    for (const auto& lv : r.local) {
        const std::size_t n = lv.values.size() / std::max<std::size_t>(lv.columns, 1);
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t k = 0; k < lv.columns; ++k) {
                const std::string id = lv.columns == 1 ? lv.id : lv.id + ":" + lv.column_names[k];
                o << "local," << csv_field(id) << "," << i << ",," << num(lv.values[i * lv.columns + k]) << ",,,\n";
            }
    }
    for (const auto& row : r.inference)
        o << "inference," << row.id << ",,," << num(row.r.statistic) << "," << num(row.r.p_value) << ","
          << row.r.null << "," << row.r.permutations << "\n";
    if (r.pairwise) {
        const auto& pw = *r.pairwise;
        for (std::size_t x = 0; x < pw.groups; ++x)
            for (std::size_t y = 0; y < pw.groups; ++y) {
                const std::string id = csv_field(pw.names[x] + "|" + pw.names[y]);
                o << "pairwise_exposure," << id << ",,," << num(pw.exposure_at(x, y)) << ",,,\n";
                o << "pairwise_dissim," << id << ",,," << num(pw.dissim_at(x, y)) << ",,,\n";
            }
    }
    for (const auto& [id, v] : r.profile)
        for (std::size_t i = 0; i < v.size(); ++i)
            o << "profile," << id << ",," << num(r.profile_distances[i]) << "," << num(v[i]) << ",,,\n";
    return o.str();
}

// ---------------------------------------------------------------------------------------
// huqian indices compare PATH_A PATH_B
// ---------------------------------------------------------------------------------------

struct CompareArgs {
    std::string path_a;
    std::string path_b;
    LoadArgs load;
    std::string group;
    std::string total;
    std::vector<std::string> groups;
    std::string index;
    std::string null = "random_label";
    std::size_t permutations = 0;
    std::uint64_t seed = 0;
    bool decompose = false;
    std::string approach = "composition";
    bool json = false;
    std::string output;
    unsigned threads = 0;
};

const Layer& analysis_layer(const Project& p, const std::string& path) {
    const Layer* l = p.analysis_layer();
    if (!l) {
        ErrorContext c;
        c.file = path;
        throw InputError(c, "no layer with counts");
    }
    return *l;
}

void run_compare(const CompareArgs& a, bool test_requested) {
    if (a.index.empty()) throw InputError("indices compare: give --index ID");
    const Project pa = load_for_command(a.path_a, a.load);
    const Project pb = load_for_command(a.path_b, a.load);
    const Layer& la = analysis_layer(pa, a.path_a);
    const Layer& lb = analysis_layer(pb, a.path_b);
    const bool multi = seg::is_multigroup_id(a.index);
    if (!multi && !seg::is_single_group_id(a.index))
        throw InputError("--index " + a.index + ": not an aspatial single-group or multigroup index id");
    seg::TestOptions o;
    o.permutations = a.permutations > 0 ? a.permutations : 500;
    o.seed = a.seed;
    o.threads = a.threads;
    ordered_json j;
    j["index"] = a.index;
    double va = 0.0;
    double vb = 0.0;
    std::optional<seg::TwoValueResult> test;
    std::optional<seg::Decomposition> dec;
    StderrProgress bar("compare");
    const Progress progress = make_progress(bar);
    if (multi) {
        if (a.groups.size() < 2) throw InputError("--index " + a.index + " is multigroup: give --groups A,B,...");
        if (a.decompose) throw InputError("--decompose is defined for single-group indices (as in PySAL)");
        const auto ma = group_matrix(pa, la, a.groups);
        const auto mb = group_matrix(pb, lb, a.groups);
        va = seg::multigroup_index_by_id(a.index, ma);
        vb = seg::multigroup_index_by_id(a.index, mb);
        if (test_requested)
            test = seg::two_value_test(a.index, ma, mb, seg::two_value_null_from_name(a.null), o, progress);
    } else {
        if (a.group.empty()) throw InputError("--index " + a.index + " is a single-group index: give --group COL");
        const auto ca = group_counts(pa, la, a.group, a.total);
        const auto cb = group_counts(pb, lb, a.group, a.total);
        seg::RandomOptions random;
        random.seed = a.seed;
        va = seg::single_group_index(a.index, ca, random);
        vb = seg::single_group_index(a.index, cb, random);
        if (test_requested)
            test = seg::two_value_test(a.index, ca, cb, seg::two_value_null_from_name(a.null), o, random, progress);
        if (a.decompose)
            dec = seg::decompose(a.index, ca, cb, seg::counterfactual_from_name(a.approach), random);
    }
    j["a"] = {{"path", a.path_a}, {"units", la.size()}, {"value", number(va)}};
    j["b"] = {{"path", a.path_b}, {"units", lb.size()}, {"value", number(vb)}};
    j["difference"] = number(va - vb);
    if (test) {
        j["test"] = {{"null", test->null},
                     {"p_value", number(test->p_value)},
                     {"permutations", test->permutations},
                     {"seed", a.seed},
                     {"valid", test->null == "bootstrap" ? test->simulated_a.size() : test->simulated.size()},
                     {"null_mean", number(test->summary.mean)},
                     {"null_sd", number(test->summary.sd)},
                     {"null_q025", number(test->summary.q025)},
                     {"null_q975", number(test->summary.q975)},
                     {"t_statistic", number(test->t_statistic)}};
    } else {
        j["test"] = nullptr;
    }
    if (dec) {
        j["decomposition"] = {{"approach", dec->approach},  {"spatial", number(dec->spatial)},
                              {"attribute", number(dec->attribute)}, {"s1_a1", number(dec->s1_a1)},
                              {"s1_a2", number(dec->s1_a2)},    {"s2_a1", number(dec->s2_a1)},
                              {"s2_a2", number(dec->s2_a2)}};
    } else {
        j["decomposition"] = nullptr;
    }
    if (a.json) {
        write_output(a.output, j.dump(2) + "\n");
        return;
    }
    std::ostringstream t;
    t << a.index << ": " << meaning(a.index) << "\n";
    t << "  A " << pad(fmt(va), 10) << a.path_a << " (" << la.size() << " units)\n";
    t << "  B " << pad(fmt(vb), 10) << a.path_b << " (" << lb.size() << " units)\n";
    t << "  A − B = " << fmt(va - vb) << "\n";
    if (test) {
        t << "  test: null " << test->null << ", " << test->permutations << " permutations, p = " << fmt(test->p_value, 3);
        if (test->null == "bootstrap") t << " (two-sample t = " << fmt(test->t_statistic, 3) << ")";
        else t << " (null differences " << fmt(test->summary.q025) << " .. " << fmt(test->summary.q975) << ")";
        t << "\n";
    }
    if (dec) {
        t << "  Shapley decomposition (" << dec->approach << "): spatial " << fmt(dec->spatial) << ", attribute "
          << fmt(dec->attribute) << "\n";
        t << "    spatial = the part of the difference from where people live given the group's mix;\n"
          << "    attribute = the part from the group's mix (composition) itself\n";
    }
    write_text_output(a.output, t.str());
}

void setup(CLI::App& app) {
    auto args = std::make_shared<IndicesArgs>();
    CLI::App* cmd = app.add_subcommand("indices", "Segregation indices, inference, pairwise tables and profiles");
    cmd->add_option("PATH", args->path, "Project folder (with project.json) or a vector file with count columns");
    args->load.add_to(cmd);
    cmd->add_option("--group", args->group, "Count column (or the manifest group's en/zh name) for single-group indices");
    args->privacy.add_to(cmd);
    cmd->add_option("--total", args->total, "Total population column (default: sum of the manifest's groups)");
    cmd->add_option("--groups", args->groups, "Count columns for the multigroup and local indices (default: manifest)")
        ->delimiter(',');
    cmd->add_option("--weights", args->weights,
                    "queen|rook|knn:K|distance:M|kernel:NAME:M: spatial_dissim's weights and, without --distance, "
                    "the local environments");
    cmd->add_option("--distance", args->distance,
                    "Spatially implicit indices on local environments of this bandwidth (m, triangular kernel)");
    cmd->add_option("--profile", args->profile, "Multiscalar profile at these distances (m), e.g. 50,100,200")
        ->delimiter(',');
    cmd->add_option("--profile-index", args->profile_ids,
                    "Indices for the profile (default: multi_info_theory and/or dissim)")
        ->delimiter(',');
    cmd->add_option("--permutations", args->permutations, "Single-value test with this many simulations");
    cmd->add_option("--null", args->null, "Null of the test: " + null_list());
    cmd->add_option("--seed", args->seed, "Random seed (the same seed gives the same result on any core count)");
    cmd->add_option("--test", args->test_ids, "Indices to test (default: every aspatial one but the randomised)")
        ->delimiter(',');
    cmd->add_flag("--pairwise", args->pairwise, "Exposure and two-group dissimilarity for every pair of groups");
    auto* json = cmd->add_flag("--json", args->json, "Print JSON (schema in docs/cli-json.md)");
    auto* csv = cmd->add_flag("--csv", args->csv, "Print CSV: section,id,feature,distance,value,p_value,null,permutations");
    json->excludes(csv);
    cmd->add_option("-o,--output", args->output, "Write to this file instead of standard output");
    cmd->add_option("--threads", args->threads, "Worker threads (0 = all cores; results do not depend on it)");

    auto cargs = std::make_shared<CompareArgs>();
    CLI::App* cmp = cmd->add_subcommand("compare", "Compare an index between two datasets (two-value test, "
                                                   "Shapley decomposition)");
    cmp->add_option("PATH_A", cargs->path_a, "First dataset")->required();
    cmp->add_option("PATH_B", cargs->path_b, "Second dataset")->required();
    cargs->load.add_to(cmp);
    cmp->add_option("--group", cargs->group, "Count column of the group (single-group index)");
    cmp->add_option("--total", cargs->total, "Total population column");
    cmp->add_option("--groups", cargs->groups, "Count columns (multigroup index)")->delimiter(',');
    cmp->add_option("--index", cargs->index, "Index id, e.g. dissim or multi_dissim")->required();
    auto* null_opt = cmp->add_option("--null", cargs->null,
                                     "random_label, counterfactual_composition, counterfactual_share, "
                                     "counterfactual_dual_composition, bootstrap, person_permutation");
    auto* perm_opt = cmp->add_option("--permutations", cargs->permutations, "Simulations of the test (default 500)");
    cmp->add_option("--seed", cargs->seed, "Random seed");
    cmp->add_flag("--decompose", cargs->decompose, "Shapley decomposition into spatial and attribute parts");
    cmp->add_option("--approach", cargs->approach, "Counterfactual for --decompose: composition, share, dual_composition");
    cmp->add_flag("--json", cargs->json, "Print JSON");
    cmp->add_option("-o,--output", cargs->output, "Write to this file instead of standard output");
    cmp->add_option("--threads", cargs->threads, "Worker threads (0 = all cores)");
    cmp->callback([cargs, null_opt, perm_opt]() {
        run_compare(*cargs, null_opt->count() > 0 || perm_opt->count() > 0);
    });

    cmd->callback([args, cmd, cmp]() {
        if (cmp->parsed()) return;
        if (args->path.empty()) throw CLI::RequiredError("PATH");
        if (args->permutations == 0 && cmd->count("--null") > 0)
            throw InputError("--null needs --permutations N");
        const Project p = load_for_command(args->path, args->load);
        const Layer* l = p.analysis_layer();
        if (!l) {
            ErrorContext c;
            c.file = args->path;
            throw InputError(c, "no layer with counts");
        }
        if (!args->weights.empty() && !l->has_geometry()) throw InputError(layer_context(*l), "--weights needs geometries");
        const Results r = compute(*args, p, *l);
        for (const auto& n : r.notes) std::cerr << "huqian: note: " << n << "\n";
        std::string text;
        if (args->json)
            text = to_json(r, *args).dump(2) + "\n";
        else if (args->csv)
            text = to_csv(r);
        else
            text = to_text(r);
        if (args->json || args->csv)
            write_output(args->output, text);
        else
            write_text_output(args->output, text);
    });
}

const Registrar reg{"indices", 30, &setup};

}  // namespace
}  // namespace hq::cli
