// The illustrative Shuhan dataset matches the study's published facts
// (../shared/context/README.md: 0.28 km², 32 courtyards, 7,460 registered + 4,600
// temporary residents of 36 groups, 6 venues, 17 work units, 12 liaison offices,
// 284 shops, 14 Party branches).
#include <catch2/catch.hpp>

#include <map>
#include <numeric>
#include <set>

#include "geo/geometry/ops.hpp"
#include "geo/geometry/spatial_index.hpp"
#include "geo/project/project.hpp"
#include "tests/test_support.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

using namespace hq;

namespace {

const Project& shuhan() {
    static const Project p = load_project(test::shuhan());
    return p;
}

double total(const Layer& l, const std::string& col) {
    const auto v = read_counts(l, col);
    return std::accumulate(v.begin(), v.end(), 0.0);
}

std::string text(const Layer& l, std::size_t i, const std::string& col) {
    const int j = l.table.field_index(col);
    REQUIRE(j >= 0);
    return value_to_string(l.table.rows[i][static_cast<std::size_t>(j)]);
}

}  // namespace

TEST_CASE("Shuhan loads cleanly in UTM 48N with every role") {
    const Project& p = shuhan();
    REQUIRE(p.illustrative);
    REQUIRE(p.metric_crs.epsg == 32648);
    for (Role r : {Role::Boundary, Role::Units, Role::Buildings, Role::Venues, Role::Projects, Role::Streets})
        REQUIRE(p.layer(r) != nullptr);
    REQUIRE(p.warnings.empty());
    REQUIRE(p.groups.size() == 36);
}

TEST_CASE("Shuhan boundary: one polygon of 0.28 km² (±1 %) near 104.04 E, 30.64 N, not a rectangle") {
    const Layer& b = *shuhan().layer(Role::Boundary);
    REQUIRE(b.size() == 1);
    const double a = area(b.metric[0]);
    REQUIRE_THAT(a, WithinRel(280000.0, 0.01));
    const Vec2 c = centroid(b.display[0]);
    REQUIRE_THAT(c.x, WithinAbs(104.04, 0.02));
    REQUIRE_THAT(c.y, WithinAbs(30.64, 0.02));
    // A street block, not a square: the polygon fills clearly less than its bounding box
    // or has more than 4 corners.
    const Box bb = b.metric[0].bounds();
    REQUIRE((b.metric[0].polygons[0].rings[0].size() > 5 || a < 0.95 * bb.width() * bb.height()));
}

TEST_CASE("Shuhan courtyards: 32, inside the boundary, not overlapping") {
    const Project& p = shuhan();
    const Layer& cy = *p.layer(Role::Units);
    const Geometry& boundary = p.layer(Role::Boundary)->metric[0];
    REQUIRE(cy.size() == 32);
    for (std::size_t i = 0; i < cy.size(); ++i) {
        INFO("courtyard " << cy.ids[i]);
        REQUIRE(covers(buffer(boundary, 0.01), cy.metric[i]));
        for (std::size_t j = i + 1; j < cy.size(); ++j) REQUIRE(area(intersection(cy.metric[i], cy.metric[j])) < 0.01);
    }
}

TEST_CASE("Shuhan buildings: at least 150, each inside its courtyard, counts sum to the courtyard's") {
    const Project& p = shuhan();
    const Layer& cy = *p.layer(Role::Units);
    const Layer& bl = *p.layer(Role::Buildings);
    REQUIRE(bl.size() >= 150);
    std::map<std::string, std::size_t> cy_index;
    for (std::size_t i = 0; i < cy.size(); ++i) cy_index[cy.ids[i]] = i;
    for (std::size_t i = 0; i < bl.size(); ++i) {
        const std::string parent = text(bl, i, "cy_id");
        INFO("building " << bl.ids[i] << " in " << parent);
        REQUIRE(cy_index.count(parent) == 1);
        REQUIRE(covers(buffer(cy.metric[cy_index[parent]], 0.01), bl.metric[i]));
    }
    for (const auto& g : p.groups) {
        const auto by_building = read_counts(bl, g.column);
        const auto by_courtyard = read_counts(cy, g.column);
        std::vector<double> sums(cy.size(), 0.0);
        for (std::size_t i = 0; i < bl.size(); ++i) sums[cy_index[text(bl, i, "cy_id")]] += by_building[i];
        REQUIRE(sums == by_courtyard);
    }
}

TEST_CASE("Shuhan residents: 7,460 registered + 4,600 temporary, 36 groups each present, Han majority") {
    const Project& p = shuhan();
    for (Role r : {Role::Units, Role::Buildings}) {
        const Layer& l = *p.layer(r);
        double reg = 0, tmp = 0, all = 0;
        std::map<std::string, double> by_group;
        for (const auto& g : p.groups) {
            reg += total(l, g.registered_column);
            tmp += total(l, g.temporary_column);
            by_group[g.name_en] = total(l, g.column);
            all += by_group[g.name_en];
            REQUIRE(by_group[g.name_en] >= 1);
        }
        REQUIRE(reg == 7460);
        REQUIRE(tmp == 4600);
        REQUIRE(all == 12060);
        REQUIRE(by_group.at("Han") > all / 2);
        // The Tibetan quarter: Tibetans are the second group.
        for (const auto& [name, n] : by_group)
            if (name != "Han" && name != "Tibetan") REQUIRE(n < by_group.at("Tibetan"));
    }
}

TEST_CASE("Shuhan clustering is built in: minority groups concentrate in few courtyards") {
    const Project& p = shuhan();
    const Layer& cy = *p.layer(Role::Units);
    // Share of each large minority living in its 3 most-populated courtyards vs the share
    // of all residents in those 3: clustering means clearly more (here at least twice).
    for (const auto& g : p.groups) {
        if (g.name_en == "Han") continue;
        const auto v = read_counts(cy, g.column);
        const double n = std::accumulate(v.begin(), v.end(), 0.0);
        if (n < 100) continue;
        std::vector<std::size_t> order(v.size());
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(), [&](auto a, auto b) { return v[a] > v[b]; });
        std::vector<double> all(cy.size(), 0.0);
        for (const auto& h : p.groups) {
            const auto w = read_counts(cy, h.column);
            for (std::size_t i = 0; i < w.size(); ++i) all[i] += w[i];
        }
        const double total_all = std::accumulate(all.begin(), all.end(), 0.0);
        const double top_g = v[order[0]] + v[order[1]] + v[order[2]];
        const double top_all = all[order[0]] + all[order[1]] + all[order[2]];
        INFO(g.name_en);
        REQUIRE(top_g / n > 2.0 * top_all / total_all);
    }
}

TEST_CASE("Shuhan venues: 6 activity venues, 17 work units, 12 liaison offices, 284 shops, a Party centre") {
    const Project& p = shuhan();
    const Layer& v = *p.layer(Role::Venues);
    const Geometry& boundary = p.layer(Role::Boundary)->metric[0];
    std::map<std::string, int> n;
    for (std::size_t i = 0; i < v.size(); ++i) {
        n[text(v, i, "category")]++;
        REQUIRE(covers(boundary, v.metric[i]));
    }
    REQUIRE(n["activity_venue"] == 6);
    REQUIRE(n["work_unit"] == 17);
    REQUIRE(n["liaison_office"] == 12);
    REQUIRE(n["shop"] == 284);
    REQUIRE(n["party_service_center"] == 1);
    const Layer& cy = *p.layer(Role::Units);
    int branches = 0;
    for (std::size_t i = 0; i < cy.size(); ++i)
        if (!text(cy, i, "party_branch").empty()) ++branches;
    REQUIRE(branches == 14);
}

TEST_CASE("Shuhan micro-garden projects lie inside their courtyards with valid statuses and dates") {
    const Project& p = shuhan();
    const Layer& cy = *p.layer(Role::Units);
    const Layer& mg = *p.layer(Role::Projects);
    REQUIRE(mg.size() >= 5);
    std::map<std::string, std::size_t> cy_index;
    for (std::size_t i = 0; i < cy.size(); ++i) cy_index[cy.ids[i]] = i;
    const std::set<std::string> statuses{"planned", "under_construction", "completed"};
    for (std::size_t i = 0; i < mg.size(); ++i) {
        INFO("project " << mg.ids[i]);
        REQUIRE(statuses.count(text(mg, i, "status")) == 1);
        REQUIRE(covers(buffer(cy.metric[cy_index.at(text(mg, i, "cy_id"))], 0.01), mg.metric[i]));
        REQUIRE(text(mg, i, "start_date") <= text(mg, i, "end_date"));
    }
}

TEST_CASE("Shuhan streets form one connected network") {
    const Layer& s = *shuhan().layer(Role::Streets);
    REQUIRE(s.size() >= 5);
    std::vector<Box> boxes;
    for (const auto& g : s.metric) boxes.push_back(g.bounds().inflated(0.01));
    const SpatialIndex index(boxes);
    std::vector<int> seen(s.size(), 0);
    std::vector<std::size_t> stack{0};
    seen[0] = 1;
    while (!stack.empty()) {
        const std::size_t i = stack.back();
        stack.pop_back();
        for (auto j : index.query(boxes[i]))
            if (!seen[j] && distance(s.metric[i], s.metric[j]) < 0.01) {
                seen[j] = 1;
                stack.push_back(j);
            }
    }
    REQUIRE(std::accumulate(seen.begin(), seen.end(), 0) == static_cast<int>(s.size()));
}
