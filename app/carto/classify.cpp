#include "app/carto/classify.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace hq::carto {

std::vector<std::size_t> jenks_run_ends(const std::vector<double>& v, int k) {
    const std::size_t n = v.size();
    if (n == 0 || k <= 0) return {};
    const std::size_t kk = std::min<std::size_t>(static_cast<std::size_t>(k), n);
    // Prefix sums, relative to v[0] for numerical stability.
    std::vector<double> s1(n + 1, 0.0), s2(n + 1, 0.0);
    const double base = v[0];
    for (std::size_t i = 0; i < n; ++i) {
        const double x = v[i] - base;
        s1[i + 1] = s1[i] + x;
        s2[i + 1] = s2[i] + x * x;
    }
    auto ssd = [&](std::size_t a, std::size_t b) {  // values [a, b)
        const double m = static_cast<double>(b - a);
        const double s = s1[b] - s1[a];
        return std::max(0.0, (s2[b] - s2[a]) - s * s / m);
    };
    const double inf = std::numeric_limits<double>::infinity();
    // cost[c][j]: best cost of the first j values in c + 1 runs; from[c][j]: start of run c.
    std::vector<std::vector<double>> cost(kk, std::vector<double>(n + 1, inf));
    std::vector<std::vector<std::size_t>> from(kk, std::vector<std::size_t>(n + 1, 0));
    for (std::size_t j = 1; j <= n; ++j) cost[0][j] = ssd(0, j);
    for (std::size_t c = 1; c < kk; ++c) {
        for (std::size_t j = c + 1; j <= n; ++j) {
            double best = inf;
            std::size_t arg = c;
            for (std::size_t i = c; i < j; ++i) {  // run c is [i, j)
                const double t = cost[c - 1][i] + ssd(i, j);
                if (t < best) {
                    best = t;
                    arg = i;
                }
            }
            cost[c][j] = best;
            from[c][j] = arg;
        }
    }
    std::vector<std::size_t> ends(kk);
    std::size_t j = n;
    for (std::size_t c = kk; c-- > 0;) {
        ends[c] = j;
        if (c > 0) j = from[c][j];
    }
    return ends;
}

namespace {

double quantile7(const std::vector<double>& s, double p) {
    const double h = (static_cast<double>(s.size()) - 1.0) * p;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, s.size() - 1);
    return s[lo] + (h - static_cast<double>(lo)) * (s[hi] - s[lo]);
}

std::vector<double> dedupe(std::vector<double> e) {
    std::vector<double> out;
    for (double x : e)
        if (out.empty() || x > out.back()) out.push_back(x);
    if (out.size() == 1) out.push_back(out[0]);  // one distinct value: one class
    return out;
}

}  // namespace

std::vector<double> class_breaks(std::span<const double> values, Classification method, int classes) {
    std::vector<double> s;
    s.reserve(values.size());
    for (double x : values)
        if (std::isfinite(x)) s.push_back(x);
    if (s.empty()) return {};
    std::sort(s.begin(), s.end());
    const double lo = s.front(), hi = s.back();
    const int k = std::max(1, classes);
    std::vector<double> e;
    switch (method) {
        case Classification::Quantile:
            for (int c = 0; c <= k; ++c) e.push_back(quantile7(s, static_cast<double>(c) / k));
            break;
        case Classification::EqualInterval:
            for (int c = 0; c <= k; ++c) e.push_back(c == k ? hi : lo + (hi - lo) * c / k);
            break;
        case Classification::NaturalBreaks: {
            std::vector<double> v = s;
            if (v.size() > kJenksExactLimit) {
                std::vector<double> sample(kJenksExactLimit);
                for (std::size_t i = 0; i < kJenksExactLimit; ++i)
                    sample[i] = s[i * (s.size() - 1) / (kJenksExactLimit - 1)];
                v = std::move(sample);
            }
            e.push_back(lo);
            for (std::size_t end : jenks_run_ends(v, k)) e.push_back(v[end - 1]);
            e.back() = hi;
            break;
        }
        case Classification::StdDev: {
            double mean = 0;
            for (double x : s) mean += x;
            mean /= static_cast<double>(s.size());
            double ss = 0;
            for (double x : s) ss += (x - mean) * (x - mean);
            const double sd = s.size() > 1 ? std::sqrt(ss / static_cast<double>(s.size() - 1)) : 0.0;
            e.push_back(lo);
            if (sd > 0) {
                // Edges at mean + (j + 0.5) sd for every j whose edge lies strictly inside (lo, hi).
                const int jlo = static_cast<int>(std::ceil((lo - mean) / sd - 0.5));
                const int jhi = static_cast<int>(std::floor((hi - mean) / sd - 0.5));
                for (int j = jlo; j <= jhi; ++j) {
                    const double b = mean + (j + 0.5) * sd;
                    if (b > lo && b < hi) e.push_back(b);
                }
            }
            e.push_back(hi);
            break;
        }
    }
    return dedupe(std::move(e));
}

int class_of(double v, const std::vector<double>& edges) {
    if (!std::isfinite(v) || edges.size() < 2) return -1;
    const int m = static_cast<int>(edges.size()) - 1;
    for (int c = 0; c < m; ++c)
        if (v <= edges[static_cast<std::size_t>(c) + 1]) return c;
    return m - 1;
}

const char* classification_name(Classification c) {
    switch (c) {
        case Classification::Quantile: return "quantile";
        case Classification::EqualInterval: return "equal";
        case Classification::NaturalBreaks: return "jenks";
        case Classification::StdDev: return "stddev";
    }
    return "quantile";
}

std::optional<Classification> classification_from_name(const std::string& s) {
    if (s == "quantile") return Classification::Quantile;
    if (s == "equal" || s == "equal-interval") return Classification::EqualInterval;
    if (s == "jenks" || s == "natural-breaks") return Classification::NaturalBreaks;
    if (s == "stddev" || s == "sd") return Classification::StdDev;
    return std::nullopt;
}

}  // namespace hq::carto
