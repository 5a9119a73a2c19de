#include "geo/plan/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "geo/core/error.hpp"
#include "geo/core/text.hpp"
#include "geo/stats/seg_inference.hpp"
#include "geo/stats/segregation_multigroup.hpp"

namespace hq::plan {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// The matrix without its all-zero groups (the multigroup indices reject them).
seg::CountMatrix without_empty_groups(const seg::CountMatrix& m) {
    std::vector<std::size_t> keep;
    for (std::size_t g = 0; g < m.groups; ++g) {
        double s = 0;
        for (std::size_t i = 0; i < m.units; ++i) s += m.at(i, g);
        if (s > 0) keep.push_back(g);
    }
    if (keep.size() == m.groups) return m;
    seg::CountMatrix r;
    r.units = m.units;
    r.groups = keep.size();
    r.where = m.where;
    r.data.reserve(r.units * r.groups);
    for (std::size_t i = 0; i < m.units; ++i)
        for (std::size_t g : keep) r.data.push_back(m.at(i, g));
    for (std::size_t g : keep) r.names.push_back(m.name(g));
    return r;
}

std::size_t group_by_name(const seg::CountMatrix& m, const std::string& name) {
    for (std::size_t g = 0; g < m.groups; ++g)
        if (m.name(g) == name) return g;
    throw InputError("unknown group \"" + name + "\" in index id");
}

}  // namespace

seg::CountMatrix apply_moves(const seg::CountMatrix& counts, const std::vector<std::string>& unit_ids,
                             const std::vector<std::vector<std::string>>& group_keys,
                             const std::vector<HouseholdMove>& moves, const std::string& scenario, Overdraw overdraw,
                             bool* clamped) {
    seg::CountMatrix m = counts;
    std::unordered_map<std::string, std::size_t> unit;
    for (std::size_t i = 0; i < unit_ids.size(); ++i) unit.emplace(unit_ids[i], i);
    for (std::size_t k = 0; k < moves.size(); ++k) {
        const HouseholdMove& mv = moves[k];
        ErrorContext where;
        where.layer = scenario.empty() ? "scenario" : "scenario \"" + scenario + "\"";
        where.feature = k;
        where.feature_id = "move " + std::to_string(k + 1);
        std::size_t g = m.groups;
        for (std::size_t j = 0; j < group_keys.size() && g == m.groups; ++j)
            for (const auto& key : group_keys[j])
                if (key == mv.group) g = j;
        if (g == m.groups)
            for (std::size_t j = 0; j < m.groups; ++j)
                if (m.name(j) == mv.group) g = j;
        if (g >= m.groups) throw InputError(where, "unknown group \"" + mv.group + "\"");
        auto from = unit.find(mv.from), to = unit.find(mv.to);
        if (from == unit.end()) throw InputError(where, "unknown unit \"" + mv.from + "\"");
        if (to == unit.end()) throw InputError(where, "unknown unit \"" + mv.to + "\"");
        if (from->second == to->second) throw InputError(where, "moves residents from unit " + mv.from + " to itself");
        if (!(mv.count > 0) || std::floor(mv.count) != mv.count || !std::isfinite(mv.count) || mv.count > 1e9)
            throw InputError(where, "the number of residents moved must be a positive whole number up to 10^9");
        double& src = m.data[from->second * m.groups + g];
        double take = mv.count;
        if (src < mv.count) {
            const std::string what =
                "moves " + whole_number_text(mv.count) + " " + m.name(g) + " residents out of " + mv.from;
            if (overdraw == Overdraw::Error) throw InputError(where, what + ", which has only " + whole_number_text(src));
            if (overdraw == Overdraw::ErrorNoCount)
                throw InputError(where, what + ", more than it has at that point (the count is not printed under the "
                                               "privacy guard, docs/privacy.md)");
            take = std::max(0.0, src);
            if (clamped) *clamped = true;
        }
        src -= take;
        m.data[to->second * m.groups + g] += take;
    }
    return m;
}

std::vector<seg::IndexValue> global_indices(const seg::CountMatrix& full) {
    const seg::CountMatrix m = without_empty_groups(full);
    std::vector<seg::IndexValue> out;
    if (m.groups >= 2) out = seg::multigroup_aspatial(m);
    for (std::size_t g = 0; g < m.groups; ++g) {
        const seg::GroupCounts c = seg::group_vs_rest(m, g);
        out.push_back({"dissim:" + m.name(g), seg::dissim(c)});
        out.push_back({"isolation:" + m.name(g), seg::isolation(c)});
        out.push_back({"interaction:" + m.name(g), seg::interaction(c)});
    }
    return out;
}

double global_index(const std::string& id, const seg::CountMatrix& full) {
    const auto colon = id.find(':');
    if (colon == std::string::npos) {
        const seg::CountMatrix m = without_empty_groups(full);
        for (const auto& v : seg::multigroup_aspatial(m))
            if (v.id == id) return v.value;
        throw InputError("unknown index \"" + id + "\"");
    }
    const std::string kind = id.substr(0, colon);
    const seg::GroupCounts c = seg::group_vs_rest(full, group_by_name(full, id.substr(colon + 1)));
    if (kind == "dissim") return seg::dissim(c);
    if (kind == "isolation") return seg::isolation(c);
    if (kind == "interaction") return seg::interaction(c);
    throw InputError("unknown index \"" + id + "\"");
}

std::vector<ScenarioResult> compare_scenarios(const Planner& planner, const std::vector<Zone>& zones,
                                              const std::vector<Scenario>& scenarios,
                                              const std::vector<std::vector<std::string>>& group_keys,
                                              const ChangeTestOptions& test, const Progress& progress) {
    const seg::CountMatrix& base = planner.input().counts;
    const std::size_t n = base.units, k = base.groups;
    // Under the guard the global indices read the published estimate (the moves are public).
    const PublishedCounts published = published_counts(planner.input(), test.privacy);
    const seg::CountMatrix& base_read = published.counts;
    const Overdraw overdraw = test.privacy.guard ? Overdraw::ErrorNoCount : Overdraw::Error;
    const auto base_indices = global_indices(base_read);
    // How each index id may be printed (privacy::estimate_use: the columns it reads).
    const auto use_of = [&](const std::string& id) {
        if (!published.estimate.any()) return privacy::EstimateUse{};
        const auto colon = id.find(':');
        if (colon == std::string::npos) {
            std::vector<std::size_t> read;  // the multigroup indices read every non-empty group
            for (std::size_t g = 0; g < k; ++g) {
                double Xg = 0;
                for (std::size_t i = 0; i < n; ++i) Xg += base_read.at(i, g);
                if (Xg > 0) read.push_back(g);
            }
            return privacy::estimate_use(published.cells, published.estimate, read);
        }
        return privacy::estimate_use(published.cells, published.estimate, {group_by_name(base, id.substr(colon + 1))});
    };
    const auto base_simpson = seg::multi_local_simpson_interaction(without_empty_groups(base));
    const Exposure base_ex = planner.exposure({});
    const privacy::ExposurePublished exposure = exposure_published(planner.input(), test.privacy);
    double base_tot = 0, base_iso = 0;
    for (std::size_t g = 0; g < k; ++g) {
        double Xg = 0;
        for (std::size_t i = 0; i < n; ++i) Xg += base.at(i, g);
        if (Xg <= 0) continue;
        base_tot += Xg;
        base_iso += Xg * base_ex.before[g * k + g];
    }
    std::vector<ScenarioResult> out;
    for (std::size_t s = 0; s < scenarios.size(); ++s) {
        progress.check();
        progress.report(static_cast<double>(s) / static_cast<double>(scenarios.size()), scenarios[s].name);
        const Scenario& sc = scenarios[s];
        ScenarioResult r;
        r.name = sc.name;
        r.moves = sc.moves.size();
        std::vector<Catchment> catchments;
        for (const std::string& zid : sc.zone_ids) {
            auto it = std::find_if(zones.begin(), zones.end(), [&](const Zone& z) { return z.id == zid; });
            if (it == zones.end())
                throw InputError(ErrorContext{{}, "scenario \"" + sc.name + "\"", {}, zid, {}},
                                 "names a zone that does not exist");
            catchments.push_back(planner.catchment(it->geometry));
        }
        r.zones = catchments.size();
        const seg::CountMatrix after =
            apply_moves(base, planner.input().unit_ids, group_keys, sc.moves, sc.name, overdraw);
        const seg::CountMatrix after_read =
            published.estimate.any() ? apply_moves(base_read, planner.input().unit_ids, group_keys, sc.moves, sc.name,
                                                   Overdraw::Clamp, &r.estimate_clamped)
                                     : after;
        const auto idx = global_indices(after_read);
        // Groups of fewer than k residents, before or after the (public) moves.
        std::vector<std::string> small_groups;
        for (std::size_t g = 0; g < k; ++g) {
            double xb = 0, xa = 0;
            for (std::size_t i = 0; i < n; ++i) {
                xb += base.at(i, g);
                xa += after.at(i, g);
            }
            if (test.privacy.small(xb) || test.privacy.small(xa)) small_groups.push_back(base.name(g));
        }
        for (const auto& b : base_indices) {
            IndexChange c;
            c.id = b.id;
            const auto colon = b.id.find(':');
            if (colon != std::string::npos &&
                std::find(small_groups.begin(), small_groups.end(), b.id.substr(colon + 1)) != small_groups.end()) {
                c.before = c.after = c.difference = c.p_value = kNaN;
                c.withheld = true;
                c.reason_zh = "该群体少于 " + std::to_string(test.privacy.k) + " 人";
                c.reason_en = "the group has fewer than " + std::to_string(test.privacy.k) + " residents";
                r.indices.push_back(c);
                continue;
            }
            const privacy::EstimateUse use = use_of(b.id);
            c.estimated = use.estimated;
            c.filled_share = use.filled_share;
            if (use.withheld) {
                c.before = c.after = c.difference = c.p_value = kNaN;
                c.withheld = true;
                c.reason_zh = use.reason_zh;
                c.reason_en = use.reason_en;
                r.indices.push_back(c);
                continue;
            }
            c.before = b.value;
            c.after = kNaN;
            for (const auto& a : idx)
                if (a.id == b.id) c.after = a.value;
            c.difference = c.after - c.before;
            c.permutations = test.permutations;
            c.p_value = kNaN;
            if (test.permutations > 0 && !sc.moves.empty()) {
                seg::TestOptions to;
                to.permutations = test.permutations;
                to.seed = test.seed;
                to.threads = test.threads;
                const std::string id = b.id;
                const auto statistic = [id](const seg::CountMatrix& m) { return global_index(id, m); };
                c.p_value = seg::two_value_test(base_read, after_read, statistic, seg::two_value_null_from_name(test.null), to,
                                                progress, id)
                                .p_value;
            } else if (test.permutations > 0) {
                c.p_value = 1.0;  // identical counts: the change is exactly 0
            }
            r.indices.push_back(c);
        }
        const auto simpson_after = seg::multi_local_simpson_interaction(without_empty_groups(after));
        std::vector<double> reach(n, 0.0);
        for (const auto& c : catchments)
            for (std::size_t i = 0; i < n; ++i) reach[i] = std::max(reach[i], c.weight[i]);
        for (std::size_t i = 0; i < n; ++i) {
            UnitChange u;
            u.id = planner.input().unit_ids[i];
            u.delta.resize(k);
            for (std::size_t g = 0; g < k; ++g) {
                u.delta[g] = after.at(i, g) - base.at(i, g);
                u.total_before += base.at(i, g);
                u.total_after += after.at(i, g);
                r.residents_reached += reach[i] * after.at(i, g);
            }
            u.simpson_before = base_simpson[i];
            u.simpson_after = simpson_after[i];
            u.reach = reach[i];
            r.units.push_back(std::move(u));
        }
        const Exposure ex = planner.exposure(catchments, &after);
        double tot = 0, ia = 0;
        for (std::size_t g = 0; g < k; ++g) {
            double Xg = 0;
            for (std::size_t i = 0; i < n; ++i) Xg += after.at(i, g);
            r.isolation_after.push_back(Xg > 0 ? ex.after[g * k + g] : kNaN);
            if (Xg <= 0) continue;
            tot += Xg;
            ia += Xg * ex.after[g * k + g];
        }
        r.mean_isolation_before = base_tot > 0 ? base_iso / base_tot : kNaN;
        r.mean_isolation_after = tot > 0 ? ia / tot : kNaN;
        // The exposure values `plan evaluate` withholds are withheld here too (one rule).
        if (!exposure.mean) {
            r.mean_isolation_before = r.mean_isolation_after = kNaN;
            r.mean_isolation_withheld = true;
        }
        for (std::size_t g = 0; g < k && g < exposure.group.size(); ++g)
            if (!exposure.group[g]) r.isolation_after[g] = kNaN;
        out.push_back(std::move(r));
    }
    progress.report(1.0);
    return out;
}

}  // namespace hq::plan
