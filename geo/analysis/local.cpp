#include "geo/analysis/local.hpp"

#include <algorithm>
#include <limits>

#include "geo/analysis/segregation.hpp"  // kMaxDistortionUnits
#include "geo/core/error.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/stats/segregation_multigroup.hpp"
#include "geo/stats/segregation_spatial.hpp"

namespace hq::analysis {

const std::vector<std::string>& local_index_ids() {
    static const std::vector<std::string> ids{"multi_local_entropy",
                                              "multi_local_diversity",
                                              "multi_local_simpson_interaction",
                                              "multi_local_simpson_concentration",
                                              "multi_location_quotient",
                                              "local_distortion",
                                              "share",
                                              "lisa_z"};
    return ids;
}

std::vector<double> local_index(const GroupCountTable& table, const std::string& id, std::size_t group,
                                const Progress& progress) {
    const std::size_t n = table.totals.size();
    std::vector<double> values;
    if (id == "share") {
        for (std::size_t i = 0; i < n; ++i)
            values.push_back(table.totals[i] > 0 ? table.counts[group][i] / table.totals[i]
                                                 : std::numeric_limits<double>::quiet_NaN());
        return values;
    }
    const std::vector<std::size_t> kept = table.with_residents();
    seg::CountMatrix m = table.matrix(kept);
    m.where = ErrorContext{table.layer ? table.layer->path() : "", "units", {}, {}, {}};
    if (id == "local_distortion") {
        // O(n² (k + log n)): `indices` leaves it out above kMaxDistortionUnits; a map of it at
        // 100k units ran for over 15 minutes (bench/bench_scale.sh) before this refusal.
        if (n > kMaxDistortionUnits)
            throw InputError("local_distortion sorts every unit by distance from every other (O(n²)): at most " +
                             std::to_string(kMaxDistortionUnits) + " units, this layer has " + std::to_string(n) +
                             " / 局部扭曲指数需两两计算距离（O(n²)），最多" + std::to_string(kMaxDistortionUnits) +
                             "个单元，本图层有" + std::to_string(n) + "个");
        std::vector<Vec2> c;
        for (const auto& gm : table.layer->metric) c.push_back(gm.empty() ? Vec2{} : centroid(gm));
        return seg::local_distortion(m, c, progress);
    }
    if (id == "multi_location_quotient") {
        const auto it = std::find(kept.begin(), kept.end(), group);
        if (it == kept.end()) throw InputError("group " + table.columns[group] + " has no residents");
        const std::size_t col = static_cast<std::size_t>(it - kept.begin());
        const auto lq = seg::multi_location_quotient(m);
        for (std::size_t i = 0; i < n; ++i) values.push_back(lq[i * kept.size() + col]);
        return values;
    }
    for (const auto& lv : seg::multigroup_local(m))
        if (lv.id == id && lv.columns == 1) return lv.values;
    std::string list;
    for (const auto& s : local_index_ids()) list += (list.empty() ? "" : ", ") + s;
    throw InputError("unknown local index \"" + id + "\" (known: " + list + ")");
}

}  // namespace hq::analysis
