#include "geo/stats/multiple_testing.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

#include "geo/core/error.hpp"

namespace hq {

PAdjust p_adjust_from_name(const std::string& name) {
    if (name == "none") return PAdjust::None;
    if (name == "bonferroni") return PAdjust::Bonferroni;
    if (name == "fdr" || name == "bh" || name == "BH") return PAdjust::BenjaminiHochberg;
    throw InputError("unknown p-value adjustment '" + name + "' (expected none, bonferroni or fdr)");
}

const char* p_adjust_name(PAdjust a) {
    switch (a) {
        case PAdjust::None: return "none";
        case PAdjust::Bonferroni: return "bonferroni";
        case PAdjust::BenjaminiHochberg: return "fdr";
    }
    return "none";
}

std::vector<double> adjust_p_values(std::span<const double> p, PAdjust method) {
    std::vector<double> out(p.begin(), p.end());
    std::vector<std::size_t> idx;
    for (std::size_t i = 0; i < p.size(); ++i)
        if (!std::isnan(p[i])) idx.push_back(i);
    const auto m = static_cast<double>(idx.size());
    switch (method) {
        case PAdjust::None: break;
        case PAdjust::Bonferroni:
            for (const auto i : idx) out[i] = std::min(1.0, m * p[i]);
            break;
        case PAdjust::BenjaminiHochberg: {
            // Sorted decreasingly; running minimum of m/k · p_(k) from the largest k down.
            std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return p[a] > p[b]; });
            double running = 1.0;
            for (std::size_t r = 0; r < idx.size(); ++r) {
                const double k = m - static_cast<double>(r);  // rank of this p among the sorted ascending
                running = std::min(running, m / k * p[idx[r]]);
                out[idx[r]] = std::min(1.0, running);
            }
            break;
        }
    }
    return out;
}

std::vector<bool> significant(std::span<const double> p, PAdjust method, double alpha) {
    const auto adj = adjust_p_values(p, method);
    std::vector<bool> out(p.size(), false);
    for (std::size_t i = 0; i < p.size(); ++i) out[i] = !std::isnan(adj[i]) && adj[i] <= alpha;
    return out;
}

}  // namespace hq
