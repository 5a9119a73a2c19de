#include "geo/plan/suggest.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "geo/core/error.hpp"
#include "geo/core/parallel.hpp"
#include "geo/plan/planner.hpp"

namespace hq::plan {

std::vector<double> unit_isolation_weights(const seg::CountMatrix& m, const std::vector<double>& alpha) {
    if (!alpha.empty() && alpha.size() != m.groups)
        throw InputError("group weights: " + std::to_string(alpha.size()) + " given for " + std::to_string(m.groups) +
                         " groups");
    std::vector<double> v(m.units, 0.0);
    for (std::size_t i = 0; i < m.units; ++i) {
        double t = 0;
        for (std::size_t g = 0; g < m.groups; ++g) t += m.at(i, g);
        if (t <= 0) continue;
        for (std::size_t g = 0; g < m.groups; ++g) {
            const double x = m.at(i, g);
            v[i] += (alpha.empty() ? 1.0 : alpha[g]) * x * (x / t);
        }
    }
    return v;
}

double binomial(std::size_t n, std::size_t k) {
    if (k > n) return 0;
    k = std::min(k, n - k);
    double r = 1;
    for (std::size_t j = 1; j <= k; ++j) r = r * static_cast<double>(n - k + j) / static_cast<double>(j);
    return std::round(r);
}

CoverageRow coverage_row(const std::vector<double>& dense) {
    CoverageRow r;
    for (std::size_t i = 0; i < dense.size(); ++i)
        if (dense[i] > 0 || !(dense[i] >= 0)) {  // NaN and negatives kept: check() refuses them
            r.units.push_back(static_cast<std::uint32_t>(i));
            r.weight.push_back(dense[i]);
        }
    return r;
}

std::size_t CoverageProblem::entries() const {
    std::size_t e = 0;
    for (const CoverageRow& r : coverage) e += r.units.size();
    return e;
}

namespace {

/// The union of rows as (unit, max a) in ascending unit order: `base` merged with row `r`.
void merge_max(const std::vector<std::pair<std::uint32_t, double>>& base, const CoverageRow& r,
               std::vector<std::pair<std::uint32_t, double>>& out) {
    out.clear();
    std::size_t a = 0, b = 0;
    while (a < base.size() || b < r.units.size()) {
        if (b == r.units.size() || (a < base.size() && base[a].first < r.units[b])) {
            out.push_back(base[a++]);
        } else if (a == base.size() || r.units[b] < base[a].first) {
            out.emplace_back(r.units[b], r.weight[b]);
            ++b;
        } else {
            out.emplace_back(base[a].first, std::max(base[a].second, r.weight[b]));
            ++a;
            ++b;
        }
    }
}

/// F over a merged cover, summed in ascending unit order: the units a dense sum adds as 0
/// leave it unchanged, so the value is bit-identical to Σ_i over every unit.
double cover_value(const CoverageProblem& p, const std::vector<std::pair<std::uint32_t, double>>& cover) {
    double f = 0;
    for (const auto& [i, a] : cover) f += p.unit_weight[i] * a;
    return f;
}

/// Marginal gain of row r over the current cover `cov` (dense over the units), in ascending
/// unit order (the dense sum's order: its skipped terms are those with a <= cov).
double gain_of(const CoverageProblem& p, const CoverageRow& r, const std::vector<double>& cov) {
    double g = 0;
    for (std::size_t j = 0; j < r.units.size(); ++j) {
        const std::uint32_t i = r.units[j];
        if (r.weight[j] > cov[i]) g += p.unit_weight[i] * (r.weight[j] - cov[i]);
    }
    return g;
}

void cover_with(const CoverageRow& r, std::vector<double>& cov) {
    for (std::size_t j = 0; j < r.units.size(); ++j) cov[r.units[j]] = std::max(cov[r.units[j]], r.weight[j]);
}

}  // namespace

double coverage_objective(const CoverageProblem& p, const std::vector<std::size_t>& sites) {
    std::vector<std::pair<std::uint32_t, double>> cover, next;
    for (std::size_t c : sites) {
        merge_max(cover, p.coverage[c], next);
        cover.swap(next);
    }
    return cover_value(p, cover);
}

namespace {

void check(const CoverageProblem& p, const SuggestOptions& o) {
    if (o.k == 0) throw InputError("k must be at least 1");
    for (double v : p.unit_weight)
        if (!(v >= 0) || !std::isfinite(v)) throw InputError("unit weights must be finite and non-negative");
    const std::size_t u = p.unit_weight.size();
    for (std::size_t c = 0; c < p.coverage.size(); ++c) {
        const CoverageRow& r = p.coverage[c];
        if (r.weight.size() != r.units.size())
            throw InputError("candidate " + std::to_string(c) +
                             ": coverage units and weights disagree in size");
        for (std::size_t j = 0; j < r.units.size(); ++j)
            if (r.units[j] >= u || (j > 0 && r.units[j] <= r.units[j - 1]))
                throw InputError("candidate " + std::to_string(c) + ": coverage does not match the units");
        for (double a : r.weight)
            if (!(a >= 0 && a <= 1)) throw InputError("candidate " + std::to_string(c) + ": coverage outside [0, 1]");
    }
}

/// Orders `sites` greedily by marginal gain and fills picks.
std::vector<SitePick> rank(const CoverageProblem& p, std::vector<std::size_t> sites) {
    std::vector<SitePick> picks;
    std::vector<double> cov(p.unit_weight.size(), 0.0);
    double total = 0;
    while (!sites.empty()) {
        std::size_t best_j = 0;
        double best_gain = -1;
        for (std::size_t j = 0; j < sites.size(); ++j) {
            const double gain = gain_of(p, p.coverage[sites[j]], cov);
            if (gain > best_gain || (gain == best_gain && sites[j] < sites[best_j])) {
                best_gain = gain;
                best_j = j;
            }
        }
        const std::size_t c = sites[best_j];
        cover_with(p.coverage[c], cov);
        total += best_gain;
        picks.push_back({c, best_gain, total});
        sites.erase(sites.begin() + static_cast<std::ptrdiff_t>(best_j));
    }
    return picks;
}

}  // namespace

void check_suggest_size(std::size_t candidates, std::size_t units) {
    if (candidates <= kMaxSuggestEntries) return;
    const std::string c = std::to_string(candidates), u = std::to_string(units),
                      lim = std::to_string(kMaxSuggestEntries);
    throw InputError(
        "候选点 " + c + " 个（单元 " + u + " 个）超过选址上限 " + lim +
        " 个（候选点，单元）对：每个候选点至少覆盖一个单元；请用较少的候选点（--candidates zones、venues、"
        "projects 或文件） / " +
        c + " candidates (" + u + " units) exceed the site-suggestion limit of " + lim +
        " (candidate, unit) pairs, as each candidate covers at least one unit: give fewer candidates "
        "(--candidates zones, venues, projects or a file)");
}

void check_suggest_entries(std::size_t entries, std::size_t done, std::size_t candidates, std::size_t units) {
    if (entries <= kMaxSuggestEntries) return;
    const std::string e = std::to_string(entries), d = std::to_string(done), c = std::to_string(candidates),
                      u = std::to_string(units), lim = std::to_string(kMaxSuggestEntries);
    throw InputError(
        "候选点 " + c + " 个 × 单元 " + u + " 个：前 " + d + " 个候选点的步行范围已含 " + e +
        " 个（候选点，单元）对，超过选址上限 " + lim +
        "（覆盖表过大）；请缩小 --radius 或用较少的候选点（--candidates zones、venues、projects 或文件） / " +
        c + " candidates × " + u + " units: the catchments of the first " + d + " candidates already hold " +
        e + " (candidate, unit) pairs, more than the site-suggestion limit of " + lim +
        " (the coverage would not fit): give a smaller --radius or fewer candidates (--candidates zones, "
        "venues, projects or a file)");
}

CoverageProblem coverage_problem(const Planner& planner, std::size_t count,
                                 const std::function<const Geometry&(std::size_t)>& candidate,
                                 const Progress& progress, unsigned threads) {
    CoverageProblem p;
    const PublishedCounts published =
        published_counts(planner.input(), planner.options().privacy.value_or(privacy::DisclosurePolicy{}));
    p.unit_weight = unit_isolation_weights(published.counts);
    if (published.estimate.any()) {
        const privacy::EstimateUse use = privacy::estimate_use(published.cells, published.estimate);
        p.estimated = use.estimated;
        p.filled_share = use.filled_share;
    }
    p.coverage.reserve(count);
    const std::size_t units = planner.unit_count();
    constexpr std::size_t kBlock = 4096;
    std::size_t entries = 0;
    std::vector<CoverageRow> block;
    for (std::size_t start = 0; start < count; start += kBlock) {
        progress.check();
        const std::size_t m = std::min(kBlock, count - start);
        block.assign(m, {});
        parallel_for(
            m,
            [&](std::size_t j) {
                SparseCatchment sc = planner.sparse_catchment(candidate(start + j));
                block[j] = {std::move(sc.units), std::move(sc.weight)};
            },
            {}, threads);
        for (CoverageRow& r : block) {
            entries += r.units.size();
            p.coverage.push_back(std::move(r));
        }
        check_suggest_entries(entries, start + m, count, units);
        progress.report(static_cast<double>(start + m) / static_cast<double>(count), "coverage");
    }
    return p;
}

SiteSuggestion suggest_sites(const CoverageProblem& p, const SuggestOptions& o, const Progress& progress) {
    check_suggest_size(p.coverage.size(), p.unit_weight.size());
    check_suggest_entries(p.entries(), p.coverage.size(), p.coverage.size(), p.unit_weight.size());
    check(p, o);
    SiteSuggestion s;
    for (double v : p.unit_weight) s.total_weight += v;
    const std::size_t n = p.coverage.size(), u = p.unit_weight.size();
    const std::size_t k = std::min(o.k, n);
    if (k == 0) return s;
    const double combos = binomial(n, k);
    if (!o.force_greedy && combos <= o.exact_limit) {
        // Exact: depth-first over subsets in lexicographic order, split by the first site. The
        // cover of the first d + 1 sites is kept merged (sparse, by unit) per depth.
        s.exact = true;
        struct Best {
            double f = -1;
            std::vector<std::size_t> set;
            std::size_t count = 0;
        };
        std::vector<Best> best(n - k + 1);
        parallel_for(
            n - k + 1,
            [&](std::size_t first) {
                Best& b = best[first];
                using Cover = std::vector<std::pair<std::uint32_t, double>>;
                std::vector<Cover> cov(k);
                std::vector<std::size_t> idx(k, first);  // idx[d] > idx[d-1] is set as the search goes
                merge_max({}, p.coverage[first], cov.front());
                if (k == 1) {
                    b.f = cover_value(p, cov[0]);
                    b.set = idx;
                    b.count = 1;
                    return;
                }
                // Iterative DFS: position d chooses idx[d] > idx[d-1]; idx[1] starts at
                // `first`: incremented before use.
                std::size_t d = 1;
                while (d >= 1) {
                    ++idx[d];
                    if (idx[d] > n - (k - d)) {
                        --d;
                        continue;
                    }
                    merge_max(cov[d - 1], p.coverage[idx[d]], cov[d]);
                    if (d + 1 == k) {
                        const double f = cover_value(p, cov[d]);
                        ++b.count;
                        if (f > b.f) {
                            b.f = f;
                            b.set = idx;
                        }
                    } else {
                        ++d;
                        idx[d] = idx[d - 1];
                    }
                }
            },
            progress, o.threads, 1);
        const Best* win = nullptr;
        for (const auto& b : best) {
            s.evaluated += b.count;
            if (!b.set.empty() && (!win || b.f > win->f)) win = &b;
        }
        s.objective = win ? win->f : 0;
        if (win) s.picks = rank(p, win->set);
        return s;
    }
    // Greedy, lazy (CELF, Minoux 1978). Every gain is computed once at the start; then the
    // queue's head (largest gain, lower index on ties) is recomputed against the current cover
    // unless it was computed at this step already, in which case it is the step's pick: every
    // other entry's gain is at most its stored one (submodularity; in floating point too, as
    // each term of the ascending-order sum can only shrink or drop out), so no candidate beats
    // it or ties it with a lower index.
    std::vector<double> cov(u, 0.0);
    struct Entry {
        double gain;
        std::size_t candidate;
        std::size_t step;  ///< the step whose cover `gain` was computed against
    };
    auto after = [](const Entry& a, const Entry& b) {  // heap order: a comes after b
        return a.gain != b.gain ? a.gain < b.gain : a.candidate > b.candidate;
    };
    std::vector<Entry> heap(n);
    progress.report(0.0, "greedy site choice");
    parallel_for(
        n,
        [&](std::size_t c) {
            heap[c] = {gain_of(p, p.coverage[c], cov), c, 0};
        },
        {}, o.threads);
    s.evaluated = n;
    std::make_heap(heap.begin(), heap.end(), after);
    double total = 0;
    for (std::size_t step = 0; step < k; ++step) {
        progress.check();
        progress.report(static_cast<double>(step) / static_cast<double>(k), "greedy site choice");
        while (heap.front().step != step) {
            std::pop_heap(heap.begin(), heap.end(), after);
            Entry& e = heap.back();
            e.gain = gain_of(p, p.coverage[e.candidate], cov);
            e.step = step;
            ++s.evaluated;
            std::push_heap(heap.begin(), heap.end(), after);
        }
        std::pop_heap(heap.begin(), heap.end(), after);
        const Entry pick = heap.back();
        heap.pop_back();
        cover_with(p.coverage[pick.candidate], cov);
        total += pick.gain;
        s.picks.push_back({pick.candidate, pick.gain, total});
    }
    s.objective = coverage_objective(p, [&] {
        std::vector<std::size_t> v;
        for (const auto& pk : s.picks) v.push_back(pk.candidate);
        return v;
    }());
    progress.report(1.0);
    return s;
}

}  // namespace hq::plan
