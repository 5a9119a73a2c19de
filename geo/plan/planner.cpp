#include "geo/plan/planner.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "geo/core/error.hpp"
#include "geo/geometry/ops.hpp"

namespace hq::plan {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double seg_dist(Vec2 p, Vec2 a, Vec2 b) {
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double len2 = dx * dx + dy * dy;
    const double t = len2 > 0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0.0, 1.0) : 0.0;
    return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

}  // namespace

const char* distance_mode_name(DistanceMode m) {
    switch (m) {
        case DistanceMode::Auto: return "auto";
        case DistanceMode::Straight: return "straight";
        case DistanceMode::Network: return "network";
    }
    return "?";
}

double detail::point_geometry_distance(const Geometry& g, Vec2 p) {
    double best = kInf;
    for (const Vec2& q : g.points) best = std::min(best, std::hypot(p.x - q.x, p.y - q.y));
    for (const Path& l : g.lines)
        for (std::size_t k = 1; k < l.size(); ++k) best = std::min(best, seg_dist(p, l[k - 1], l[k]));
    if (!g.polygons.empty()) {
        if (point_in_polygon(g, p)) return 0.0;
        for (const Polygon& poly : g.polygons)
            for (const Ring& r : poly.rings)
                for (std::size_t k = 1; k < r.size(); ++k) best = std::min(best, seg_dist(p, r[k - 1], r[k]));
    }
    return best;
}

// [SECTION] Construction -------------------------------------------------------------------

Planner::Planner(PlanInput input, const PlannerOptions& options, const Progress& progress)
    : m_in(std::move(input)), m_options(options) {
    build(progress);
}

void Planner::build(const Progress& progress) {
    const std::size_t n = m_in.unit_ids.size(), k = m_in.counts.groups;
    if (m_in.units.size() != n || m_in.counts.units != n || m_in.counts.data.size() != n * k)
        throw InputError(m_in.counts.where, "units, ids and counts disagree in size");
    if (!(m_options.radius > 0) || !std::isfinite(m_options.radius))
        throw InputError("the walking radius must be a positive number of metres");
    if (!(m_options.exposure_fraction >= 0 && m_options.exposure_fraction <= 1))
        throw InputError("the exposure fraction f must be between 0 and 1");
    if (m_in.counts.names.size() != k) {
        m_in.counts.names.resize(k);
        for (std::size_t g = 0; g < k; ++g)
            if (m_in.counts.names[g].empty()) m_in.counts.names[g] = "group " + std::to_string(g + 1);
    }
    progress.report(0.0, "preparing units");
    m_points.resize(n);
    m_areas.resize(n);
    m_boxes.resize(n);
    std::vector<Box> point_boxes(n);
    for (std::size_t i = 0; i < n; ++i) {
        m_points[i] = representative_point(m_in.units[i]);
        m_areas[i] = m_in.units[i].is_polygonal() ? planar_area(m_in.units[i]) : 0.0;
        m_boxes[i] = m_in.units[i].bounds();
        if (std::isfinite(m_points[i].x)) point_boxes[i].expand(m_points[i]);
    }
    m_unit_index = SpatialIndex(m_boxes);
    m_point_index = SpatialIndex(point_boxes);

    m_mode = m_options.distance;
    const bool has_streets = std::any_of(m_in.streets.begin(), m_in.streets.end(), [](const Geometry& g) {
        return g.is_line() && !g.empty();
    });
    if (m_mode == DistanceMode::Auto) m_mode = has_streets ? DistanceMode::Network : DistanceMode::Straight;
    if (m_mode == DistanceMode::Network) {
        if (!has_streets) throw InputError("network distance needs a streets layer with lines");
        m_graph = StreetGraph(m_in.streets, m_options.snap);
        m_access_node.assign(n, -1);
        m_access_len.assign(n, kInf);
        for (std::size_t i = 0; i < n; ++i) {
            if (!std::isfinite(m_points[i].x)) continue;
            m_access_node[i] = m_graph.nearest_node(m_points[i]);
            if (m_access_node[i] >= 0) {
                const Vec2 q = m_graph.node(static_cast<std::size_t>(m_access_node[i]));
                m_access_len[i] = std::hypot(q.x - m_points[i].x, q.y - m_points[i].y);
            }
        }
        m_node_unit_offsets.assign(m_graph.node_count() + 1, 0);
        for (std::size_t i = 0; i < n; ++i)
            if (m_access_node[i] >= 0) ++m_node_unit_offsets[static_cast<std::size_t>(m_access_node[i]) + 1];
        for (std::size_t v = 0; v < m_graph.node_count(); ++v)
            m_node_unit_offsets[v + 1] += m_node_unit_offsets[v];
        m_node_units.resize(m_node_unit_offsets.back());
        std::vector<std::size_t> fill(m_node_unit_offsets.begin(), m_node_unit_offsets.end() - 1);
        for (std::size_t i = 0; i < n; ++i)
            if (m_access_node[i] >= 0)
                m_node_units[fill[static_cast<std::size_t>(m_access_node[i])]++] =
                    static_cast<std::uint32_t>(i);
    }

    m_group_totals.assign(k, 0.0);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t g = 0; g < k; ++g) m_group_totals[g] += m_in.counts.data[i * k + g];
    m_minority.assign(k, 1);
    if (k > 0) {
        const auto big = std::max_element(m_group_totals.begin(), m_group_totals.end()) - m_group_totals.begin();
        m_minority[static_cast<std::size_t>(big)] = 0;
    }

    // LISA high-high clusters: given (geo/analysis computes them with the LISA map's request).
    m_lisa_note = m_in.lisa_note;
    m_lisa_note_zh = m_in.lisa_note_zh;
    if (m_in.hh.empty()) {
        m_hh.assign(n * k, 0);
        m_lisa_ok = false;
        if (m_lisa_note.empty()) {
            m_lisa_note = "no LISA clusters given";
            m_lisa_note_zh = "未提供 LISA 聚类";
        }
    } else {
        if (m_in.hh.size() != n * k) throw InputError(m_in.counts.where, "LISA clusters and counts disagree in size");
        m_hh = m_in.hh;
        m_lisa_ok = true;
    }

    compute_venue_coverage();
    m_exposure_before = exposure({}).before;
    progress.report(1.0);
}

void Planner::set_radius(double radius) {
    if (!(radius > 0) || !std::isfinite(radius)) throw InputError("the walking radius must be a positive number of metres");
    m_options.radius = radius;
    compute_venue_coverage();
}

void Planner::compute_venue_coverage() {
    m_venue_covered.assign(unit_count(), 0);
    std::vector<std::pair<std::uint32_t, double>> reached;
    for (const Vec2& v : m_in.venues) {
        reach_entries(Geometry::point(v), m_options.radius, reached);
        for (const auto& [i, d] : reached)
            if (d <= m_options.radius) m_venue_covered[i] = 1;
    }
}

// [SECTION] Catchments ---------------------------------------------------------------------

void Planner::reach_entries(const Geometry& zone, double limit,
                            std::vector<std::pair<std::uint32_t, double>>& out) const {
    out.clear();
    if (zone.empty()) return;
    const Box zb = zone.bounds();
    const double direct_limit = m_mode == DistanceMode::Network ? std::min(limit, m_options.access) : limit;
    for (std::uint32_t i : m_point_index.query(zb.inflated(direct_limit))) {
        const double di = detail::point_geometry_distance(zone, m_points[i]);
        if (di <= direct_limit) out.emplace_back(i, di);
    }
    if (m_mode == DistanceMode::Network) {
        // Entry nodes: network nodes within `access` of the zone; else the nearest within `limit`.
        std::vector<std::pair<std::uint32_t, double>> sources;
        for (std::uint32_t v : m_graph.nodes_in(zb.inflated(m_options.access))) {
            const double c = detail::point_geometry_distance(zone, m_graph.node(v));
            if (c <= m_options.access) sources.emplace_back(v, c);
        }
        if (sources.empty()) {
            double best = kInf;
            std::uint32_t best_v = 0;
            for (std::uint32_t v : m_graph.nodes_in(zb.inflated(limit))) {
                const double c = detail::point_geometry_distance(zone, m_graph.node(v));
                if (c < best || (c == best && v < best_v)) {
                    best = c;
                    best_v = v;
                }
            }
            if (best <= limit) sources.emplace_back(best_v, best);
        }
        if (!sources.empty()) {
            // Bounded by `limit`: only the nodes within it are touched (one scratch per thread).
            thread_local std::vector<double> scratch;
            std::vector<std::pair<std::uint32_t, double>> nodes;
            m_graph.shortest_paths_within(sources, limit, nodes, scratch);
            for (const auto& [v, nd] : nodes)
                for (std::size_t k = m_node_unit_offsets[v]; k < m_node_unit_offsets[v + 1]; ++k) {
                    const std::uint32_t i = m_node_units[k];
                    const double via = nd + m_access_len[i];
                    if (via <= limit) out.emplace_back(i, via);
                }
        }
    }
    // Each unit once, at its smallest distance (the direct walk or the way along the streets).
    std::sort(out.begin(), out.end());
    out.erase(
        std::unique(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first == b.first; }),
        out.end());
}

std::vector<double> Planner::reach_distances(const Geometry& zone, double limit) const {
    std::vector<double> d(unit_count(), kInf);
    std::vector<std::pair<std::uint32_t, double>> reached;
    reach_entries(zone, limit, reached);
    for (const auto& [i, di] : reached) d[i] = di;
    return d;
}

std::vector<std::pair<std::uint32_t, double>> Planner::overlaps(const Geometry& zone) const {
    std::vector<std::pair<std::uint32_t, double>> out;
    if (!zone.is_polygonal()) return out;
    Geometry valid_zone;
    bool repaired = false;
    for (std::uint32_t i : m_unit_index.query(zone.bounds())) {
        if (m_areas[i] <= 0) continue;
        double a = 0;
        try {
            a = area(intersection(repaired ? valid_zone : zone, m_in.units[i]));
        } catch (const std::exception&) {
            if (!repaired) {
                try {
                    valid_zone = make_valid(zone);
                    repaired = true;
                    a = area(intersection(valid_zone, m_in.units[i]));
                } catch (const std::exception&) {
                    a = 0;
                }
            }
        }
        out.emplace_back(i, std::clamp(a / m_areas[i], 0.0, 1.0));
    }
    return out;
}

Catchment Planner::catchment(const Geometry& zone) const {
    const std::size_t n = unit_count();
    Catchment c;
    c.weight.assign(n, 0.0);
    c.overlap.assign(n, 0.0);
    c.distance.assign(n, kInf);
    if (zone.empty() || !(zone.is_polygonal() || zone.is_point())) return c;
    std::vector<std::pair<std::uint32_t, double>> reached;
    reach_entries(zone, m_options.radius, reached);
    for (const auto& [i, d] : reached) c.distance[i] = d;
    for (const auto& [i, a] : overlaps(zone)) c.overlap[i] = a;
    for (std::size_t i = 0; i < n; ++i) c.weight[i] = c.distance[i] <= m_options.radius ? 1.0 : c.overlap[i];
    return c;
}

SparseCatchment Planner::sparse_catchment(const Geometry& zone) const {
    SparseCatchment c;
    if (zone.empty() || !(zone.is_polygonal() || zone.is_point())) return c;
    std::vector<std::pair<std::uint32_t, double>> reached;
    reach_entries(zone, m_options.radius, reached);
    // weight = 1 within the radius, else the overlapped share (catchment()'s rule), merged by unit.
    std::vector<std::pair<std::uint32_t, double>> w;
    w.reserve(reached.size());
    for (const auto& [i, d] : reached)
        if (d <= m_options.radius) w.emplace_back(i, 1.0);
    for (const auto& [i, a] : overlaps(zone))
        if (a > 0) w.emplace_back(i, a);
    std::sort(w.begin(), w.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first < b.first : a.second > b.second;  // the weight 1 first
    });
    c.units.reserve(w.size());
    c.weight.reserve(w.size());
    for (std::size_t j = 0; j < w.size(); ++j) {
        if (j > 0 && w[j].first == w[j - 1].first) continue;
        c.units.push_back(w[j].first);
        c.weight.push_back(w[j].second);
    }
    return c;
}

ZoneEvaluation Planner::evaluate(const Geometry& zone) const { return evaluate(catchment(zone)); }

ZoneEvaluation Planner::evaluate(const Catchment& c) const {
    const std::size_t n = unit_count(), k = group_count();
    const auto& x = m_in.counts.data;
    ZoneEvaluation e;
    e.radius = m_options.radius;
    e.distance = m_mode;
    e.exposure_fraction = m_options.exposure_fraction;
    e.lisa_available = m_lisa_ok;
    e.lisa_note = m_lisa_note;
    e.lisa_note_zh = m_lisa_note_zh;
    e.venues_available = !m_in.venues.empty();

    std::vector<double> reached(k, 0.0);
    double covered = 0, weighted_total = 0;
    for (std::size_t i = 0; i < n; ++i) {
        double t = 0;
        for (std::size_t g = 0; g < k; ++g) t += x[i * k + g];
        e.residents_total += t;
        const double w = c.weight[i];
        if (w <= 0) continue;
        for (std::size_t g = 0; g < k; ++g) reached[g] += w * x[i * k + g];
        e.units.push_back({i, m_in.unit_ids[i], w, c.distance[i], c.overlap[i], t});
        weighted_total += w * t;
        if (m_venue_covered[i]) covered += w * t;
    }
    e.residents_reached = weighted_total;
    e.redundancy = e.venues_available && weighted_total > 0 ? covered / weighted_total : kNaN;

    if (weighted_total > 0) {
        for (std::size_t g = 0; g < k; ++g) {
            const double pi = reached[g] / weighted_total;
            if (pi > 0) e.entropy -= pi * std::log(pi);
            e.simpson_interaction += pi * (1 - pi);
        }
        e.entropy_normalised = k > 1 ? e.entropy / std::log(static_cast<double>(k)) : kNaN;
    } else {
        e.entropy = e.entropy_normalised = e.simpson_interaction = kNaN;
    }

    const Exposure ex = exposure({c});
    double hh_all = 0, hh_hit = 0, iso_b = 0, iso_a = 0, all = 0;
    for (std::size_t g = 0; g < k; ++g) {
        GroupReach r;
        r.name = m_in.counts.names[g];
        r.total = m_group_totals[g];
        r.reached = reached[g];
        r.share = r.total > 0 ? r.reached / r.total : kNaN;
        r.minority = m_minority[g] != 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (!m_hh[i * k + g]) continue;
            r.hh_total += x[i * k + g];
            r.hh_reached += c.weight[i] * x[i * k + g];
        }
        hh_all += r.hh_total;
        hh_hit += r.hh_reached;
        if (r.total > 0) {
            r.isolation_before = ex.before[g * k + g];
            r.isolation_after = ex.after[g * k + g];
            r.interaction_before = r.interaction_after = 0;
            for (std::size_t h = 0; h < k; ++h) {
                if (h == g) continue;
                r.interaction_before += ex.before[g * k + h];
                r.interaction_after += ex.after[g * k + h];
            }
            iso_b += r.total * r.isolation_before;
            iso_a += r.total * r.isolation_after;
            all += r.total;
        } else {
            r.isolation_before = r.isolation_after = r.interaction_before = r.interaction_after = kNaN;
        }
        e.groups.push_back(std::move(r));
    }
    e.hh_share = hh_all > 0 ? hh_hit / hh_all : kNaN;
    e.mean_isolation_before = all > 0 ? iso_b / all : kNaN;
    e.mean_isolation_after = all > 0 ? iso_a / all : kNaN;
    return e;
}

// [SECTION] Activity-space exposure ----------------------------------------------------------

Exposure Planner::exposure(const std::vector<Catchment>& zones, const seg::CountMatrix* counts) const {
    const std::size_t n = unit_count(), k = group_count();
    const seg::CountMatrix& m = counts ? *counts : m_in.counts;
    if (m.units != n || m.groups != k || m.data.size() != n * k)
        throw InputError(m.where, "counts do not match the planner's units and groups");
    const auto& x = m.data;
    const double f = m_options.exposure_fraction;
    std::vector<double> t(n, 0.0), X(k, 0.0);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t g = 0; g < k; ++g) {
            t[i] += x[i * k + g];
            X[g] += x[i * k + g];
        }
    Exposure ex;
    ex.groups = k;
    if (!counts && m_exposure_before.size() == k * k) {
        ex.before = m_exposure_before;  // the project's counts: computed once
    } else {
        ex.before.assign(k * k, 0.0);
        for (std::size_t i = 0; i < n; ++i) {
            if (t[i] <= 0) continue;
            for (std::size_t g = 0; g < k; ++g) {
                const double xg = x[i * k + g];
                if (xg <= 0) continue;
                for (std::size_t h = 0; h < k; ++h) ex.before[g * k + h] += xg * x[i * k + h] / t[i];
            }
        }
        for (std::size_t g = 0; g < k; ++g)
            for (std::size_t h = 0; h < k; ++h) ex.before[g * k + h] = X[g] > 0 ? ex.before[g * k + h] / X[g] : kNaN;
    }
    ex.after = ex.before;
    if (zones.empty() || f == 0) return ex;

    // tau[z][i]: share of unit i's residents' interaction time spent at zone z.
    const std::size_t nz = zones.size();
    std::vector<double> s(n, 0.0);
    for (const Catchment& c : zones) {
        if (c.weight.size() != n) throw InputError("a catchment does not match the planner's units");
        for (std::size_t i = 0; i < n; ++i) s[i] += c.weight[i];
    }
    std::vector<std::vector<double>> tau(nz, std::vector<double>(n, 0.0));
    std::vector<std::vector<double>> mix(nz, std::vector<double>(k, 0.0));
    for (std::size_t z = 0; z < nz; ++z) {
        double sum = 0;
        for (std::size_t i = 0; i < n; ++i) {
            tau[z][i] = f * zones[z].weight[i] / std::max(1.0, s[i]);
            if (tau[z][i] <= 0) continue;
            for (std::size_t h = 0; h < k; ++h) mix[z][h] += tau[z][i] * x[i * k + h];
        }
        for (double v : mix[z]) sum += v;
        for (double& v : mix[z]) v = sum > 0 ? v / sum : 0.0;
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (t[i] <= 0) continue;
        for (std::size_t z = 0; z < nz; ++z) {
            const double tz = tau[z][i];
            if (tz <= 0) continue;
            for (std::size_t g = 0; g < k; ++g) {
                const double xg = x[i * k + g];
                if (xg <= 0 || X[g] <= 0) continue;
                for (std::size_t h = 0; h < k; ++h)
                    ex.after[g * k + h] += xg / X[g] * tz * (mix[z][h] - x[i * k + h] / t[i]);
            }
        }
    }
    return ex;
}

std::vector<privacy::ProtectedTable> zone_reach_tables(const PlanInput& input, const std::vector<ZoneEvaluation>& zones,
                                                       const privacy::DisclosurePolicy& policy) {
    const seg::CountMatrix& m = input.counts;
    const std::vector<std::vector<double>> counts = m.by_group();
    const std::vector<double> totals = m.group_totals();
    std::vector<std::vector<double>> weights;
    for (const auto& e : zones) {
        std::vector<double> w(m.units, 0.0);
        for (const auto& u : e.units)
            if (u.index < m.units) w[u.index] = u.weight;
        weights.push_back(std::move(w));
    }
    return privacy::zone_reach_tables(weights, counts, privacy::group_totals_table(totals, policy));
}

privacy::ExposurePublished exposure_published(const PlanInput& input, const privacy::DisclosurePolicy& policy) {
    if (!policy.guard) return {true, std::vector<char>(input.counts.groups, 1)};
    const seg::CountMatrix& m = input.counts;
    return privacy::exposure_published(
        privacy::units_by_groups_table(m.by_group(), privacy::group_totals_table(m.group_totals(), policy)));
}

PublishedCounts published_counts(const PlanInput& input, const privacy::DisclosurePolicy& policy) {
    PublishedCounts p;
    p.counts = input.counts;
    if (!policy.guard) return p;
    const seg::CountMatrix& m = input.counts;
    p.cells = privacy::units_by_groups_table(m.by_group(), privacy::group_totals_table(m.group_totals(), policy));
    p.estimate = privacy::published_estimate(p.cells);
    if (p.estimate.any())
        for (std::size_t i = 0; i < m.units; ++i)
            for (std::size_t g = 0; g < m.groups; ++g) p.counts.data[i * m.groups + g] = p.estimate.at(i, g);
    return p;
}

bool redundancy_published(const ZoneEvaluation& e, const privacy::DisclosurePolicy& policy) {
    std::vector<double> residents;
    residents.reserve(e.units.size());
    for (const auto& u : e.units) residents.push_back(u.residents);
    return privacy::catchment_units_published(residents, policy);
}

}  // namespace hq::plan
