#include "geo/plan/suggest.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "geo/core/error.hpp"
#include "geo/core/parallel.hpp"

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

double coverage_objective(const CoverageProblem& p, const std::vector<std::size_t>& sites) {
    double f = 0;
    for (std::size_t i = 0; i < p.unit_weight.size(); ++i) {
        double best = 0;
        for (std::size_t c : sites) best = std::max(best, p.coverage[c][i]);
        f += p.unit_weight[i] * best;
    }
    return f;
}

namespace {

void check(const CoverageProblem& p, const SuggestOptions& o) {
    if (o.k == 0) throw InputError("k must be at least 1");
    for (double v : p.unit_weight)
        if (!(v >= 0) || !std::isfinite(v)) throw InputError("unit weights must be finite and non-negative");
    for (std::size_t c = 0; c < p.coverage.size(); ++c) {
        if (p.coverage[c].size() != p.unit_weight.size())
            throw InputError("candidate " + std::to_string(c) + ": coverage does not match the units");
        for (double a : p.coverage[c])
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
            double gain = 0;
            const auto& a = p.coverage[sites[j]];
            for (std::size_t i = 0; i < cov.size(); ++i)
                if (a[i] > cov[i]) gain += p.unit_weight[i] * (a[i] - cov[i]);
            if (gain > best_gain || (gain == best_gain && sites[j] < sites[best_j])) {
                best_gain = gain;
                best_j = j;
            }
        }
        const std::size_t c = sites[best_j];
        for (std::size_t i = 0; i < cov.size(); ++i) cov[i] = std::max(cov[i], p.coverage[c][i]);
        total += best_gain;
        picks.push_back({c, best_gain, total});
        sites.erase(sites.begin() + static_cast<std::ptrdiff_t>(best_j));
    }
    return picks;
}

}  // namespace

void check_suggest_size(std::size_t candidates, std::size_t units) {
    const double cells = static_cast<double>(candidates) * static_cast<double>(units);
    if (cells <= kMaxSuggestCells) return;
    const std::string c = std::to_string(candidates), u = std::to_string(units),
                      lim = std::to_string(static_cast<long long>(kMaxSuggestCells));
    throw InputError("候选点 " + c + " 个 × 单元 " + u + " 个超过选址上限 " + lim +
                     "（覆盖矩阵过大）；请用较少的候选点（--candidates zones、venues、projects 或文件） / " + c +
                     " candidates × " + u + " units exceed the site-suggestion limit of " + lim +
                     " (the coverage matrix would not fit): give fewer candidates (--candidates zones, venues, "
                     "projects or a file)");
}

SiteSuggestion suggest_sites(const CoverageProblem& p, const SuggestOptions& o, const Progress& progress) {
    check_suggest_size(p.coverage.size(), p.unit_weight.size());
    check(p, o);
    SiteSuggestion s;
    for (double v : p.unit_weight) s.total_weight += v;
    const std::size_t n = p.coverage.size(), u = p.unit_weight.size();
    const std::size_t k = std::min(o.k, n);
    if (k == 0) return s;
    const double combos = binomial(n, k);
    if (!o.force_greedy && combos <= o.exact_limit) {
        // Exact: depth-first over subsets in lexicographic order, split by the first site.
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
                std::vector<std::vector<double>> cov(k, std::vector<double>(u));
                std::vector<std::size_t> idx(k, first);  // idx[d] > idx[d-1] is set as the search goes
                cov.front() = p.coverage[first];
                // Iterative DFS: position d chooses idx[d] > idx[d-1].
                std::size_t d = 1;
                if (k == 1) {
                    double f = 0;
                    for (std::size_t i = 0; i < u; ++i) f += p.unit_weight[i] * cov[0][i];
                    b.f = f;
                    b.set = idx;
                    b.count = 1;
                    return;
                }
                // idx[1] starts at `first`: incremented before use.
                while (d >= 1) {
                    ++idx[d];
                    if (idx[d] > n - (k - d)) {
                        --d;
                        continue;
                    }
                    const auto& a = p.coverage[idx[d]];
                    for (std::size_t i = 0; i < u; ++i) cov[d][i] = std::max(cov[d - 1][i], a[i]);
                    if (d + 1 == k) {
                        double f = 0;
                        for (std::size_t i = 0; i < u; ++i) f += p.unit_weight[i] * cov[d][i];
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
    // Greedy.
    std::vector<double> cov(u, 0.0);
    std::vector<char> used(n, 0);
    double total = 0;
    for (std::size_t step = 0; step < k; ++step) {
        progress.check();
        progress.report(static_cast<double>(step) / static_cast<double>(k), "greedy site choice");
        std::vector<double> gain(n, -1.0);
        parallel_for(
            n,
            [&](std::size_t c) {
                if (used[c]) return;
                double g = 0;
                const auto& a = p.coverage[c];
                for (std::size_t i = 0; i < u; ++i)
                    if (a[i] > cov[i]) g += p.unit_weight[i] * (a[i] - cov[i]);
                gain[c] = g;
            },
            {}, o.threads);
        s.evaluated += n - step;
        std::size_t best = n;
        for (std::size_t c = 0; c < n; ++c)
            if (!used[c] && (best == n || gain[c] > gain[best])) best = c;
        used[best] = 1;
        for (std::size_t i = 0; i < u; ++i) cov[i] = std::max(cov[i], p.coverage[best][i]);
        total += gain[best];
        s.picks.push_back({best, gain[best], total});
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
