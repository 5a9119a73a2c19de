// [SECTION] index
//   Index names, counts and helpers
//   Disclosure: local values and the published estimate
//   The suite
//   Two datasets (indices compare)
#include "geo/analysis/segregation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <sstream>

#include "geo/analysis/counts.hpp"
#include "geo/core/error.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/io/layer.hpp"
#include "geo/privacy/maps.hpp"
#include "geo/privacy/tables.hpp"
#include "geo/stats/seg_profile.hpp"
#include "geo/stats/segregation_multigroup.hpp"
#include "geo/stats/segregation_spatial.hpp"
#include "geo/weights/spec.hpp"

namespace hq::analysis {

// [SECTION] Index names, counts and helpers -----------------------------------------------------

namespace {

/// THE table of the indices' plain-language names (Chinese, English) and meanings: the
/// viewer's indices panel, the CLI and the reports read names from here (index_text), never
/// from a copy of their own.
constexpr IndexText kIndexTexts[] = {
    {"dissim", "相异指数 D", "Dissimilarity D",
     "share of the group that would have to move to match the total's spread (0 even, 1 apart)"},
    {"gini", "基尼系数 G", "Gini G",
     "mean difference in group share between all pairs of units, weighted (0 even, 1 apart)"},
    {"entropy", "信息论指数 H", "Information theory H",
     "Theil's H: how much less mixed units are than the city (0 even, 1 apart)"},
    {"atkinson", "阿特金森指数", "Atkinson index",
     "Atkinson index, b = 0.5: inequality of the group's shares across units (0 even)"},
    {"con_prof", "集中度剖面 R", "Concentration profile R",
     "concentration profile R: how far units' shares run above the city share (0 even)"},
    {"min_max", "最小-最大指数", "Min-max index",
     "1 − overlap of the group's and the others' distributions over units (0 even, 1 apart)"},
    {"modified_dissim", "修正相异指数", "Modified dissimilarity",
     "dissimilarity corrected for the randomness of small units (Carrington-Troske)"},
    {"modified_gini", "修正基尼系数", "Modified Gini",
     "Gini corrected for the randomness of small units (Carrington-Troske)"},
    {"bias_corrected_dissim", "偏差校正相异指数", "Bias-corrected dissimilarity",
     "dissimilarity with its small-sample bias removed (Allen et al. 2015)"},
    {"density_corrected_dissim", "密度校正相异指数", "Density-corrected dissimilarity",
     "dissimilarity corrected by the folded-normal density (Allen et al. 2015)"},
    {"isolation", "隔离指数 xPx", "Isolation xPx",
     "share of the group among the neighbours of its average member (xPx)"},
    {"interaction", "互动指数 xPy", "Interaction xPy",
     "share of the others among the neighbours of the group's average member (xPy)"},
    {"correlation_r", "相关比 η²", "Correlation ratio η²",
     "isolation above the city share, scaled to 0..1 (eta², White 1986)"},
    {"spatial_dissim", "空间相异指数", "Spatial dissimilarity",
     "dissimilarity minus the share difference between neighbouring units (Morrill)"},
    {"boundary_spatial_dissim", "边界空间相异指数", "Boundary spatial dissimilarity",
     "dissimilarity adjusted by shared boundary lengths (Wong)"},
    {"par_dissim", "周长面积比相异指数", "Perimeter-area dissimilarity",
     "dissimilarity adjusted by boundaries and unit compactness (Wong)"},
    {"spatial_prox_prof", "空间邻近剖面", "Spatial proximity profile",
     "spatial proximity profile: how connected the units with a high group share are"},
    {"spatial_proximity", "空间邻近指数 SP", "Spatial proximity SP",
     "mean proximity within groups over proximity of everyone (1 = no clustering)"},
    {"absolute_clustering", "绝对聚集指数", "Absolute clustering",
     "how much the group's units sit next to each other (0 none)"},
    {"relative_clustering", "相对聚集指数", "Relative clustering",
     "proximity of the group to itself relative to the others' (0 equal)"},
    {"distance_decay_isolation", "距离衰减隔离指数", "Distance-decay isolation",
     "isolation with distance-decayed neighbourhoods"},
    {"distance_decay_interaction", "距离衰减互动指数", "Distance-decay interaction",
     "interaction with distance-decayed neighbourhoods"},
    {"delta", "德尔塔指数（胡佛）", "Delta (Hoover)",
     "share of the group that would have to move to reach uniform density (Hoover)"},
    {"absolute_concentration", "绝对集中指数", "Absolute concentration",
     "how little space the group occupies relative to the extremes (1 most)"},
    {"relative_concentration", "相对集中指数", "Relative concentration",
     "space occupied by the group relative to the others (>0 more concentrated)"},
    {"absolute_centralization", "绝对向心指数", "Absolute centralization",
     "how close to the centre the group lives relative to land (>0 central)"},
    {"relative_centralization", "相对向心指数", "Relative centralization",
     "how close to the centre the group lives relative to the others (>0 central)"},
    {"multi_dissim", "多群体相异指数 D", "Multigroup dissimilarity D",
     "multigroup dissimilarity: share that would have to move for every unit to match (0..1)"},
    {"multi_gini", "多群体基尼系数 G", "Multigroup Gini G",
     "multigroup Gini: mean share difference between pairs of units (0..1)"},
    {"multi_norm_exposure", "多群体标准化暴露指数", "Multigroup normalised exposure",
     "variance of group shares across units, normalised (0 even, 1 apart)"},
    {"multi_info_theory", "多群体信息论指数 H", "Multigroup information theory H",
     "Theil's multigroup H: loss of diversity inside units (0 even, 1 apart)"},
    {"multi_relative_diversity", "多群体相对多样性", "Multigroup relative diversity",
     "loss of Simpson diversity inside units (0 even, 1 apart)"},
    {"multi_squared_coef_var", "多群体变异系数平方", "Multigroup squared coefficient of variation",
     "squared coefficient of variation of group shares (0 even)"},
    {"multi_diversity", "多样性（熵）", "Diversity (entropy)",
     "Theil's entropy of the city's group mix (0 one group, ln K all equal)"},
    {"simpsons_concentration", "辛普森集中指数", "Simpson's concentration",
     "chance two random residents are of the same group"},
    {"simpsons_interaction", "辛普森交互指数", "Simpson's interaction",
     "chance two random residents are of different groups"},
    {"multi_divergence", "多群体散度指数", "Multigroup divergence",
     "Kullback-Leibler divergence of units' mixes from the city's, weighted (0 even)"},
    {"global_distortion", "全局扭曲指数", "Global distortion",
     "mean distortion: how far neighbourhoods' mixes stay from the city's as they grow"},
    {"multi_location_quotient", "区位商", "Location quotient",
     "group share in the unit over its city share (1 = city average), per group"},
    {"multi_local_diversity", "局部多样性", "Local diversity",
     "entropy of the unit's group mix"},
    {"multi_local_entropy", "局部熵（标准化）", "Local entropy (normalised)",
     "entropy of the unit's group mix over ln K (0..1)"},
    {"multi_local_simpson_concentration", "局部辛普森集中指数", "Local Simpson's concentration",
     "chance two residents of the unit are of the same group"},
    {"multi_local_simpson_interaction", "局部辛普森交互指数", "Local Simpson's interaction",
     "chance two residents of the unit are of different groups"},
    {"local_relative_centralization", "局部相对向心指数", "Local relative centralization",
     "relative centralization of the group around this unit (5 neighbours)"},
    {"local_distortion", "局部扭曲指数", "Local distortion",
     "distortion of the unit: how long its growing neighbourhood differs from the city"},
};

ErrorContext layer_context(const Layer& l) {
    ErrorContext c;
    c.file = l.path();
    c.layer = l.name();
    return c;
}

std::vector<double> manifest_total(const Project& p, const Layer& l) {
    std::vector<double> t(l.size(), 0.0);
    for (const auto& g : p.groups) {
        const auto v = read_counts(l, g.column);
        for (std::size_t i = 0; i < t.size(); ++i) t[i] += v[i];
    }
    return t;
}

/// The single-group counts of group/total (total defaults to the manifest groups' sum).
seg::GroupCounts group_counts(const Project& p, const Layer& l, const std::string& group, const std::string& total) {
    seg::GroupCounts c;
    c.where = layer_context(l);
    c.group_name = resolve_count_column(p, l, group);
    c.group = read_counts(l, c.group_name);
    if (!total.empty()) {
        c.total_name = resolve_count_column(p, l, total);
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
        const std::string col = resolve_count_column(p, l, names[k]);
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

void add_note(SegregationResult& out, const std::string& en) { out.notes.push_back({en, en}); }

/// The spatial single-group indices (seg::single_group_spatial, the one suite) plus the
/// local relative centralization.
void spatial_single(const seg::GroupCounts& c, const Layer& l, const std::vector<Vec2>& centroids,
                    const Weights& w, SegregationResult& out, const SegregationRequest& a, const Progress& progress) {
    seg::SpatialInputs in;
    in.centroids = centroids;
    in.queen = w;
    std::vector<std::string> notes;
    if (polygonal(l)) {
        in.areas.reserve(l.size());
        for (const auto& g : l.metric) in.areas.push_back(planar_area(g));
        in.perimeters = seg::perimeters(l.metric);
        try {
            in.shared_lengths = seg::shared_boundary_weights(l.metric, progress, a.threads);
        } catch (const InputError& e) {
            notes.push_back("boundary_spatial_dissim and par_dissim left out: " + e.bare_message());
            in.areas.clear();
        }
    }
    seg::SpatialSuiteOptions so;
    so.max_quadratic_units = kMaxDistanceDecayUnits;
    so.notes = &notes;
    for (auto& v : seg::single_group_spatial(c, in, progress, so)) out.single.push_back(std::move(v));
    try {
        seg::LocalValues lrc;
        lrc.id = "local_relative_centralization";
        lrc.values = seg::local_relative_centralization(c, centroids);
        if (a.local) out.local.push_back(std::move(lrc));
    } catch (const InputError& e) {
        notes.push_back("local_relative_centralization left out: " + e.bare_message());
    }
    for (const auto& n : notes) add_note(out, n);
}

}  // namespace

const IndexText* index_text(std::string_view id) {
    for (const IndexText& t : kIndexTexts)
        if (t.id == id) return &t;
    return nullptr;
}

std::span<const IndexText> index_texts() { return kIndexTexts; }

std::string index_meaning(const std::string& id) {
    const IndexText* t = index_text(id);
    return t ? std::string(t->meaning) : std::string();
}

std::string index_name(const std::string& id, bool zh) {
    const IndexText* t = index_text(id);
    if (!t) return id;
    return std::string(zh ? t->name_zh : t->name_en);
}

double SegregationResult::value(const std::string& id) const {
    for (const auto& v : single)
        if (v.id == id) return v.value;
    for (const auto& v : multi)
        if (v.id == id) return v.value;
    return std::nan("");
}

std::string index_value_text(double v, const IndexDisclosure& d, int decimals) {
    const std::string s = privacy::derived_text(v, d.withheld, decimals);
    return d.estimated && !d.withheld && std::isfinite(v) ? "≈" + s : s;
}

IndexDisclosure SegregationResult::disclosure(const std::string& id) const {
    for (std::size_t i = 0; i < single.size() && i < single_disclosure.size(); ++i)
        if (single[i].id == id) return single_disclosure[i];
    for (std::size_t i = 0; i < multi.size() && i < multi_disclosure.size(); ++i)
        if (multi[i].id == id) return multi_disclosure[i];
    return {};
}

// [SECTION] Disclosure: local values and the published estimate --------------------------------

namespace {

/// The local indices of the suite under the disclosure rule of the per-unit table
/// (docs/privacy.md, "Exact local values"): a unit's entropy, diversity or Simpson index is
/// withheld where any of its counts or its total is (privacy::units_with_withheld_counts);
/// local distortion, which reads every unit's counts, wherever any count of the table is.
/// Withheld values become NaN and are flagged in `local_withheld`.
void withhold_exact_local(const seg::CountMatrix& m, const privacy::DisclosurePolicy& policy, SegregationResult& out) {
    const privacy::ProtectedTable cells =
        privacy::units_by_groups_table(m.by_group(), privacy::group_totals_table(m.group_totals(), policy));
    const std::vector<bool> hidden = privacy::units_with_withheld_counts(cells);
    const bool all = privacy::every_cell_published(cells);
    for (auto& lv : out.local) {
        if (lv.id == "multi_location_quotient" || lv.columns > 1 || lv.values.size() != m.units) continue;
        std::vector<bool> mask(m.units, false);
        bool any = false;
        for (std::size_t i = 0; i < m.units; ++i)
            if ((lv.id == "local_distortion" ? !all : hidden[i]) && std::isfinite(lv.values[i])) {
                lv.values[i] = std::numeric_limits<double>::quiet_NaN();
                mask[i] = true;
                any = true;
            }
        if (any) out.local_withheld.emplace_back(lv.id, std::move(mask));
    }
}

/// The manifest group (column of the published estimate) of a count column; -1 when the
/// column is not a manifest group's (analysed as given: docs/privacy.md, "Not covered yet").
int manifest_column(const Project& p, const std::string& column) {
    for (std::size_t g = 0; g < p.groups.size(); ++g)
        if (p.groups[g].column == column) return static_cast<int>(g);
    return -1;
}

/// The multigroup ids that read only the group totals (the city's mix), not the units' cells.
bool reads_group_totals_only(const std::string& id) {
    return id == "multi_diversity" || id == "simpsons_concentration" || id == "simpsons_interaction";
}

std::string percent_text(double share) {
    std::ostringstream o;
    o.setf(std::ios::fixed);
    o.precision(1);
    o << 100.0 * share << " %";
    return o.str();
}

/// How the published estimate shapes a value reading columns `cols` of it (the 0.5 rule and
/// the withheld group total: privacy::estimate_use, the one rule of every surface).
/// `estimated`: the value reads a filled cell or a filled unit total.
IndexDisclosure estimate_disclosure(const privacy::PublishedEstimate& e, const std::vector<std::size_t>& cols,
                                    bool estimated) {
    const privacy::EstimateUse u = privacy::estimate_use(e, cols);
    IndexDisclosure d;
    d.estimated = estimated || u.estimated;
    d.withheld = u.withheld;
    d.filled_share = u.filled_share;
    d.reason_zh = u.reason_zh;
    d.reason_en = u.reason_en;
    return d;
}

/// `m` without the groups whose cells all round to 0 (the permutation tests draw whole
/// residents); `m` itself when fewer than two groups would be left. `dropped`: how many.
seg::CountMatrix drop_groups_rounded_away(const seg::CountMatrix& m, std::size_t& dropped) {
    std::vector<std::size_t> keep;
    for (std::size_t k = 0; k < m.groups; ++k) {
        bool any = false;
        for (std::size_t i = 0; i < m.units && !any; ++i) any = std::llround(m.at(i, k)) > 0;
        if (any) keep.push_back(k);
    }
    dropped = 0;
    if (keep.size() == m.groups || keep.size() < 2) return m;
    dropped = m.groups - keep.size();
    seg::CountMatrix r;
    r.where = m.where;
    r.units = m.units;
    r.groups = keep.size();
    for (const std::size_t k : keep) r.names.push_back(m.name(k));
    r.data.reserve(r.units * r.groups);
    for (std::size_t i = 0; i < m.units; ++i)
        for (const std::size_t k : keep) r.data.push_back(m.at(i, k));
    return r;
}

/// Withholds (NaN) the inference rows and profile series of indices `withheld` names.
void withhold_dependents(SegregationResult& out, const std::vector<std::string>& withheld) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const auto is_withheld = [&](const std::string& id) {
        return std::find(withheld.begin(), withheld.end(), id) != withheld.end();
    };
    for (auto& row : out.inference)
        if (is_withheld(row.id)) {
            row.r.statistic = row.r.tested_value = row.r.p_value = nan;
            row.r.simulated.clear();
            row.r.summary = {};
        }
    for (auto& [id, series] : out.profile)
        if (is_withheld(id)) std::fill(series.begin(), series.end(), nan);
}

}  // namespace

std::shared_ptr<const privacy::PublishedEstimate> published_counts_estimate(const Project& p, const Layer* layer,
                                                                           const privacy::DisclosurePolicy& policy) {
    if (!policy.guard || p.groups.empty()) return nullptr;
    const auto t = group_count_table(p, layer);
    return std::make_shared<const privacy::PublishedEstimate>(privacy::published_estimate(
        privacy::units_by_groups_table(t->counts, privacy::group_totals_table(t->group_totals, policy))));
}

// [SECTION] The suite ----------------------------------------------------------------------------

std::shared_ptr<const SegregationResult> segregation(const Project& p, const SegregationRequest& a,
                                                     const Progress& progress) {
    const Layer* lp = a.layer ? a.layer : p.analysis_layer();
    if (!lp) throw InputError(ErrorContext{.file = p.path}, "no layer with counts");
    const Layer& l = *lp;
    auto result = std::make_shared<SegregationResult>();
    SegregationResult& out = *result;
    out.layer = lp;
    out.units = l.size();
    out.params.permutations = a.permutations;
    out.params.seed = a.seed;
    // Under the guard the suite reads the units × groups table the pack publishes, its
    // withheld cells filled from the published totals, never the withheld counts
    // (docs/privacy.md, "Indices from the published table"). Nothing withheld: the counts.
    std::shared_ptr<const privacy::PublishedEstimate> est;
    if (a.privacy.guard && !p.groups.empty()) {
        est = a.published ? a.published : published_counts_estimate(p, &l, a.privacy);
        if (est && (est->rows != l.size() || est->cols != p.groups.size()))
            throw std::logic_error("segregation: the published estimate is not of the layer's units and groups");
        if (est && !est->any()) est.reset();
    }
    const bool want_single = !a.group.empty();
    std::vector<std::string> group_list = a.groups;
    if (group_list.empty() && a.multigroup) {
        // The groups with residents; under the estimate, with a unit of at least one resident
        // in it (the fill spreads a small group whose total is withheld thinly: local
        // environments and tests, which round to whole residents, would find it empty).
        const auto table = group_count_table(p, &l);
        const auto in_estimate = [&](std::size_t g) {
            for (std::size_t i = 0; i < est->rows; ++i)
                if (est->at(i, g) >= 1.0) return true;
            return false;
        };
        for (std::size_t g : table->with_residents())
            if (!est || in_estimate(g)) group_list.push_back(table->columns[g]);
    }
    const bool want_multi = !group_list.empty();
    if (!want_single && !want_multi)
        throw InputError(layer_context(l), "nothing to compute: give --group COL --total COL, or --groups A,B,...");
    if (!a.total.empty() && !want_single) throw InputError("--total needs --group");
    if (a.distance < 0 || !std::isfinite(a.distance)) throw InputError("--distance must be a number ≥ 0");
    if (!a.weights.empty() && !l.has_geometry()) throw InputError(layer_context(l), "--weights needs geometries");

    std::optional<seg::GroupCounts> c;
    std::optional<seg::CountMatrix> m;
    std::optional<seg::CountMatrix> m_counts;  // the counts when m holds the estimate
    int single_col = -1;                       // the group's column of `est` when its values are estimated
    std::vector<std::size_t> multi_cols;       // the multigroup's columns of `est` when estimated
    if (want_single) {
        c = group_counts(p, l, a.group, a.total);
        refuse_split_column(p, c->group_name, "--group", a.privacy);
        if (!a.total.empty()) refuse_split_column(p, c->total_name, "--total", a.privacy);
        // Single-group indices of a small group say where its few members live (geo/privacy).
        if (a.privacy.small(std::accumulate(c->group.begin(), c->group.end(), 0.0)))
            throw InputError(layer_context(l), "group " + c->group_name + " has fewer than " +
                                                   std::to_string(a.privacy.k) +
                                                   " residents: its indices would show where they live (privacy "
                                                   "guard; the data owner may pass --no-privacy-guard)");
        const int g = est ? manifest_column(p, c->group_name) : -1;
        if (g >= 0) {
            const auto gu = static_cast<std::size_t>(g);
            const bool rows_withheld = std::any_of(est->row_total_withheld.begin(), est->row_total_withheld.end(),
                                                   [](char x) { return x != 0; });
            if (est->col_cells_filled[gu] > 0 || rows_withheld) {
                // A total other than the groups' sum beside estimated cells would give the
                // withheld cells back (total − the estimate's other groups).
                if (!a.total.empty())
                    throw InputError(layer_context(l),
                                     "--total " + c->total_name + ": group " + c->group_name +
                                         " has cells the published table withholds, so its indices are computed "
                                         "from the published estimate against the sum of the groups; another "
                                         "total beside estimated cells would give withheld counts back (privacy "
                                         "guard; leave out --total, or the data owner may pass --no-privacy-guard)");
                single_col = g;
                for (std::size_t i = 0; i < c->units(); ++i) {
                    c->group[i] = est->at(i, gu);
                    c->total[i] = est->row_totals[i];
                }
                seg::validate(*c);
            }
        }
        out.group_column = c->group_name;
        out.total_name = c->total_name;
    }
    if (want_multi) {
        if (group_list.size() < 2) throw InputError("--groups needs at least two groups");
        m = group_matrix(p, l, group_list);
        for (const auto& name : m->names) refuse_split_column(p, name, "--groups", a.privacy);
        out.group_columns = m->names;
        if (est) {
            std::vector<int> cols;
            bool filled = false;
            for (const auto& name : m->names) {
                cols.push_back(manifest_column(p, name));
                if (cols.back() >= 0) filled = filled || est->col_cells_filled[static_cast<std::size_t>(cols.back())] > 0;
            }
            if (filled) {
                m_counts = *m;
                for (std::size_t k = 0; k < m->groups; ++k) {
                    if (cols[k] < 0) continue;  // not a manifest group: analysed as given
                    const auto g = static_cast<std::size_t>(cols[k]);
                    multi_cols.push_back(g);
                    for (std::size_t i = 0; i < m->units; ++i) m->data[i * m->groups + k] = est->at(i, g);
                }
                seg::validate(*m);
            }
        }
    }
    const seg::CountMatrix* counts = m_counts ? &*m_counts : (m ? &*m : nullptr);  // what the local rules protect
    const bool spatial = a.spatial && l.has_geometry();
    const std::vector<Vec2> centroids = spatial ? unit_centroids(l) : std::vector<Vec2>{};
    const bool has_centroids = spatial && std::all_of(centroids.begin(), centroids.end(),
                                                      [](const Vec2& v) { return std::isfinite(v.x); });

    // The weights of spatial_dissim and (when asked for) the local environments: the one
    // grammar and the one fallback rule (hq::resolve_weights). Kernels get a self weight of
    // 1 here (PySAL segregation's fill_diagonal).
    std::optional<Weights> w;
    const bool user_weights = !a.weights.empty();
    if (spatial && (user_weights || c)) {
        WeightsBuildOptions wo;
        wo.threads = a.threads;
        wo.kernel_diagonal_one = true;
        BuiltWeights b = resolve_weights(parse_weights_spec(user_weights ? a.weights : "queen"), l, progress, wo);
        out.weights = weights_provenance(b);
        if (b.fallback)
            out.notes.push_back({"权重：" + b.note_zh() + "，代替" + b.requested.canonical(),
                                 "weights: " + b.note_en() + " instead of " + b.requested.canonical()});
        w = std::move(b.weights);
    }

    // Local environments (PySAL's distance= / w=) for the spatially implicit values.
    seg::LocalEnvironmentOptions env;
    env.bandwidth = a.distance;
    env.threads = a.threads;
    std::optional<seg::GroupCounts> c_env;
    std::optional<seg::CountMatrix> m_env;
    if (a.distance > 0 || user_weights) {
        if (a.distance > 0 && !has_centroids) throw InputError(layer_context(l), "--distance needs unit geometries");
        std::ostringstream e;
        if (a.distance > 0)
            e << "triangular kernel, bandwidth " << a.distance;
        else
            e << "weights " << out.weights->used << ", diagonal 1";
        out.environment = e.str();
        if (c) c_env = a.distance > 0 ? seg::local_environment(*c, centroids, env, progress) : seg::local_environment(*c, *w);
        if (m) m_env = a.distance > 0 ? seg::local_environment(*m, centroids, env, progress) : seg::local_environment(*m, *w);
    }
    const seg::GroupCounts* cs = c_env ? &*c_env : (c ? &*c : nullptr);
    const seg::CountMatrix* ms = m_env ? &*m_env : (m ? &*m : nullptr);

    seg::RandomOptions random;
    random.seed = a.seed;
    random.threads = a.threads;
    if (cs) {
        out.single = seg::single_group_aspatial(*cs, random, a.randomised, progress);
        if (has_centroids && w) spatial_single(*c, l, centroids, *w, out, a, progress);
    }
    if (ms) {
        out.multi = seg::multigroup_aspatial(*ms);
        out.diversity_normalised = out.value("multi_diversity") / std::log(static_cast<double>(ms->groups));
        if (a.local)
            for (auto& lv : seg::multigroup_local(*m)) {
                // A location quotient per unit and group gives the count back: withheld with it.
                if (lv.id == "multi_location_quotient")
                    out.local_withheld.emplace_back(lv.id, privacy::withhold_with_cells(lv.values, counts->data, m->units,
                                                                                        m->groups, a.privacy));
                out.local.push_back(std::move(lv));
            }
        if (has_centroids && m->units <= kMaxDistortionUnits) {
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
            if (a.local) out.local.push_back(std::move(ld));
        } else if (has_centroids) {
            add_note(out, "local_distortion and global_distortion (O(n²)) are left out above " +
                              std::to_string(kMaxDistortionUnits) + " units");
        }
        if (a.local && a.privacy.guard) withhold_exact_local(*counts, a.privacy, out);
    }

    // How the published estimate shaped each value (the 0.5 rule), and one note.
    std::vector<std::string> withheld_ids;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (single_col >= 0) {
        const auto g = static_cast<std::size_t>(single_col);
        const IndexDisclosure d = estimate_disclosure(*est, {g}, true);
        out.single_disclosure.assign(out.single.size(), d);
        if (d.withheld) {
            for (auto& v : out.single) {
                v.value = nan;
                withheld_ids.push_back(v.id);
            }
            for (auto& lv : out.local)
                if (lv.id == "local_relative_centralization") {
                    std::vector<bool> mask(lv.values.size(), false);
                    for (std::size_t i = 0; i < lv.values.size(); ++i)
                        if (std::isfinite(lv.values[i])) {
                            lv.values[i] = nan;
                            mask[i] = true;
                        }
                    out.local_withheld.emplace_back(lv.id, std::move(mask));
                }
        }
    }
    if (!multi_cols.empty()) {
        bool totals_withheld = false;
        for (const std::size_t g : multi_cols) totals_withheld = totals_withheld || est->col_total_withheld[g];
        const IndexDisclosure d = estimate_disclosure(*est, multi_cols, true);
        for (auto& v : out.multi) {
            // The city's mix reads the group totals only: exact where they are published.
            const bool estimated = !reads_group_totals_only(v.id) || totals_withheld;
            out.multi_disclosure.push_back(estimated ? d : IndexDisclosure{});
            if (estimated && d.withheld) {
                v.value = nan;
                withheld_ids.push_back(v.id);
            }
        }
        if (d.withheld) out.diversity_normalised = out.value("multi_diversity") / std::log(static_cast<double>(m->groups));
    }
    if (single_col >= 0 || !multi_cols.empty()) {
        std::string zh = "≈：在隐私保护下，指数由公开的单元×群体表计算，被隐去的格子按公开的合计填补（最大熵）；所读居民中填补的比例：";
        std::string en = "≈: under the privacy guard the indices are computed from the published units × groups table, "
                         "withheld cells filled from the published totals (maximum entropy); share of the residents "
                         "read that was filled: ";
        if (single_col >= 0) {
            const std::string s = percent_text(out.single_disclosure.front().filled_share);
            zh += c->group_name + " " + s;
            en += c->group_name + " " + s;
        }
        if (!multi_cols.empty()) {
            const std::string s = percent_text(privacy::filled_share(*est, multi_cols));
            zh += std::string(single_col >= 0 ? "，" : "") + "多群体 " + s;
            en += std::string(single_col >= 0 ? ", " : "") + "multigroup " + s;
        }
        zh += "。填补超过 50 % 的值不予公布（—）；检验、成对表和多尺度剖面同样由此表计算。";
        en += ". Values more than 50 % filled are withheld (—); tests, pairwise tables and profiles read the same table.";
        out.notes.push_back({zh, en});
    }

    std::optional<seg::CountMatrix> m_test;  // the estimate as the multigroup tests draw from it
    std::size_t dropped_groups = 0;
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
                if (multi_cols.empty()) {
                    out.inference.push_back({id, seg::single_value_test(id, base, pts, null, o, so, progress)});
                    continue;
                }
                // The draws are of whole residents (the cells rounded): a group the estimate
                // spreads below half a resident per unit would be empty in every draw and
                // leave the index undefined. The tests leave such groups out (a note).
                if (!m_test) m_test = drop_groups_rounded_away(base, dropped_groups);
                out.inference.push_back({id, seg::single_value_test(id, *m_test, pts, null, o, so, progress)});
            }
        }
        if (dropped_groups > 0)
            out.notes.push_back(
                {"检验不含估计中每个单元都不足半人的 " + std::to_string(dropped_groups) + " 个群体（按整人抽样）",
                 "the tests leave out " + std::to_string(dropped_groups) +
                     " groups the published estimate spreads below half a resident in every unit (draws are of "
                     "whole residents)"});
    }

    if (a.pairwise) {
        if (!m) throw InputError("--pairwise needs --groups (or a project with groups)");
        out.pairwise = seg::pairwise_tables(*m, progress, a.threads);
        if (a.privacy.guard) {
            // A pair with a small group (or one whose total the group totals withhold) says
            // where its few members live (its exposure row names their units' mix; a
            // dissimilarity of 0 or 1 with another group, whether they share any unit): as
            // plan compare withholds a small group's single-group indices, these are withheld.
            const std::size_t k = m->groups;
            const std::vector<double> totals = counts->group_totals();
            const privacy::ProtectedTable gt = privacy::group_totals_table(totals, a.privacy);
            std::vector<char> small(k, 0);
            bool any = false;
            for (std::size_t g = 0; g < k; ++g) {
                small[g] = a.privacy.small(totals[g]) || gt.col_total(g).suppressed();
                any = any || small[g];
            }
            // From the published estimate: a pair is estimated when either group has filled
            // cells, withheld when more than half of the pair's residents are filled.
            std::vector<char> too_filled(k * k, 0);
            if (!multi_cols.empty()) {
                std::vector<int> col(k, -1);
                for (std::size_t x = 0; x < k; ++x) col[x] = manifest_column(p, m->names[x]);
                out.pairwise_estimated.assign(k * k, false);
                for (std::size_t x = 0; x < k; ++x)
                    for (std::size_t y = 0; y < k; ++y) {
                        std::vector<std::size_t> pair;
                        for (const int g : {col[x], col[y]})
                            if (g >= 0) pair.push_back(static_cast<std::size_t>(g));
                        std::size_t filled_cells = 0;
                        for (const std::size_t g : pair) filled_cells += est->col_cells_filled[g];
                        out.pairwise_estimated[x * k + y] = filled_cells > 0;
                        too_filled[x * k + y] = filled_cells > 0 && privacy::too_filled(privacy::filled_share(*est, pair));
                        any = any || too_filled[x * k + y];
                    }
            }
            if (any) {
                out.pairwise_withheld.assign(k * k, false);
                for (std::size_t x = 0; x < k; ++x)
                    for (std::size_t y = 0; y < k; ++y)
                        if (small[x] || small[y] || too_filled[x * k + y]) {
                            out.pairwise_withheld[x * k + y] = true;
                            out.pairwise->exposure[x * k + y] = std::numeric_limits<double>::quiet_NaN();
                            out.pairwise->dissim[x * k + y] = std::numeric_limits<double>::quiet_NaN();
                        }
            }
        }
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
    withhold_dependents(out, withheld_ids);
    return result;
}

// [SECTION] Two datasets (indices compare) --------------------------------------------------------

CompareResult compare_indices(const Project& pa, const Project& pb, const CompareRequest& a, const Progress& progress) {
    if (a.index.empty()) throw InputError("indices compare: give --index ID");
    auto layer_of = [](const Project& p) -> const Layer& {
        const Layer* l = p.analysis_layer();
        if (!l) throw InputError(ErrorContext{.file = p.path}, "no layer with counts");
        return *l;
    };
    const Layer& la = layer_of(pa);
    const Layer& lb = layer_of(pb);
    const bool multi = seg::is_multigroup_id(a.index);
    if (!multi && !seg::is_single_group_id(a.index))
        throw InputError("--index " + a.index + ": not an aspatial single-group or multigroup index id");
    seg::TestOptions o;
    o.permutations = a.permutations > 0 ? a.permutations : 500;
    o.seed = a.seed;
    o.threads = a.threads;
    CompareResult r;
    r.units_a = la.size();
    r.units_b = lb.size();
    // Under the guard each dataset's counts are its published estimate where it withholds
    // cells (docs/privacy.md, "Indices from the published table"), exactly as the suite's.
    auto estimate = [&](const Project& p, const Layer& l) {
        return a.privacy.guard ? published_counts_estimate(p, &l, a.privacy) : nullptr;
    };
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (multi) {
        if (a.groups.size() < 2) throw InputError("--index " + a.index + " is multigroup: give --groups A,B,...");
        if (a.decompose) throw InputError("--decompose is defined for single-group indices (as in PySAL)");
        auto matrix = [&](const Project& p, const Layer& l, IndexDisclosure& d) {
            seg::CountMatrix m = group_matrix(p, l, a.groups);
            for (const auto& name : m.names) refuse_split_column(p, name, "--groups", a.privacy);
            const auto est = estimate(p, l);
            if (!est || !est->any()) return m;
            std::vector<std::size_t> cols;
            for (std::size_t k = 0; k < m.groups; ++k) {
                const int g = manifest_column(p, m.name(k));
                if (g < 0) continue;  // not a manifest group: analysed as given
                cols.push_back(static_cast<std::size_t>(g));
                for (std::size_t i = 0; i < m.units; ++i) m.data[i * m.groups + k] = est->at(i, cols.back());
            }
            if (cols.empty()) return m;
            seg::validate(m);
            d = estimate_disclosure(*est, cols, false);
            return m;
        };
        const auto ma = matrix(pa, la, r.disclosure_a);
        const auto mb = matrix(pb, lb, r.disclosure_b);
        r.a = r.disclosure_a.withheld ? nan : seg::multigroup_index_by_id(a.index, ma);
        r.b = r.disclosure_b.withheld ? nan : seg::multigroup_index_by_id(a.index, mb);
        if (a.test && !r.disclosure_a.withheld && !r.disclosure_b.withheld)
            r.test = seg::two_value_test(a.index, ma, mb, seg::two_value_null_from_name(a.null), o, progress);
    } else {
        if (a.group.empty()) throw InputError("--index " + a.index + " is a single-group index: give --group COL");
        auto counts = [&](const Project& p, const Layer& l, IndexDisclosure& d) {
            seg::GroupCounts c = group_counts(p, l, a.group, a.total);
            refuse_split_column(p, c.group_name, "--group", a.privacy);
            if (!a.total.empty()) refuse_split_column(p, c.total_name, "--total", a.privacy);
            if (a.privacy.small(std::accumulate(c.group.begin(), c.group.end(), 0.0)))
                throw InputError(layer_context(l), "group " + c.group_name + " has fewer than " +
                                                       std::to_string(a.privacy.k) +
                                                       " residents: its indices would show where they live (privacy "
                                                       "guard; the data owner may pass --no-privacy-guard)");
            const auto est = estimate(p, l);
            const int g = est && est->any() ? manifest_column(p, c.group_name) : -1;
            if (g < 0) return c;
            const auto gu = static_cast<std::size_t>(g);
            const bool rows_withheld = std::any_of(est->row_total_withheld.begin(), est->row_total_withheld.end(),
                                                   [](char x) { return x != 0; });
            if (est->col_cells_filled[gu] == 0 && !rows_withheld) return c;
            if (!a.total.empty())
                throw InputError(layer_context(l),
                                 "--total " + c.total_name + ": group " + c.group_name +
                                     " has cells the published table withholds, so its indices are computed from "
                                     "the published estimate against the sum of the groups; another total beside "
                                     "estimated cells would give withheld counts back (privacy guard; leave out "
                                     "--total, or the data owner may pass --no-privacy-guard)");
            for (std::size_t i = 0; i < c.units(); ++i) {
                c.group[i] = est->at(i, gu);
                c.total[i] = est->row_totals[i];
            }
            seg::validate(c);
            d = estimate_disclosure(*est, {gu}, true);
            return c;
        };
        const auto ca = counts(pa, la, r.disclosure_a);
        const auto cb = counts(pb, lb, r.disclosure_b);
        seg::RandomOptions random;
        random.seed = a.seed;
        r.a = r.disclosure_a.withheld ? nan : seg::single_group_index(a.index, ca, random);
        r.b = r.disclosure_b.withheld ? nan : seg::single_group_index(a.index, cb, random);
        const bool both = !r.disclosure_a.withheld && !r.disclosure_b.withheld;
        if (a.test && both)
            r.test = seg::two_value_test(a.index, ca, cb, seg::two_value_null_from_name(a.null), o, random, progress);
        if (a.decompose && both)
            r.decomposition = seg::decompose(a.index, ca, cb, seg::counterfactual_from_name(a.approach), random);
    }
    return r;
}

}  // namespace hq::analysis
