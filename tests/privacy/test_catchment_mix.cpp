// A zone catchment's diversity and exposure values under the guard (issue 14; docs/privacy.md,
// "Catchment diversity"): the entropy and Simpson index of a catchment are exact functions of
// its reach vector, so beside a withheld reach they gave it back. A reader of `plan evaluate
// --json` (independent of geo/privacy) fills the withheld reaches every way the published
// numbers allow and keeps the fillings the printed entropy and Simpson index agree with; then
// every surface (plan evaluate text and JSON, the scenario page, the QGIS hand-off's zones, the
// viewer's zone panel in tests/view) withholds them with the guard on and prints the exact
// values with it off.
// [SECTION] index
//   The reader of plan evaluate --json
//   Every surface: withheld with the guard, exact without
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <variant>
#include <string>
#include <vector>

#include "../export/test_project.hpp"
#include "../export/test_shell.hpp"
#include "../test_support.hpp"
#include "app/carto/scene.hpp"
#include "app/export/scenario.hpp"
#include "geo/analysis/planning.hpp"
#include "geo/io/reader.hpp"
#include "geo/project/project.hpp"

#include <nlohmann/json.hpp>

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using namespace hq;
namespace sh = hq::test::shell;
using json = nlohmann::json;

namespace {

/// The huqian under audit: HUQIAN_AUDIT_EXE when set (the code before a fix), else this build's.
std::string huqian_exe() {
    const char* e = std::getenv("HUQIAN_AUDIT_EXE");
    return e && *e ? std::string(e) : sh::exe();
}

std::string plan_output(const std::string& project, const std::string& extra) {
    const auto r = sh::run(sh::q(huqian_exe()) + " plan evaluate " + sh::q(project) + " " + extra + " 2>/dev/null");
    REQUIRE(r.code == 0);
    return r.out;
}

/// The JSON document of a command's output (after any lines before it).
json json_of(const std::string& out) {
    const auto start = out.find("{\n");
    REQUIRE(start != std::string::npos);
    return json::parse(out.substr(start));
}

json plan_json(const std::string& project, const std::string& extra = "") {
    return json_of(plan_output(project, "--json " + extra));
}

double number(const json& v) { return v.is_number() ? v.get<double>() : std::numeric_limits<double>::quiet_NaN(); }

/// −Σ π ln π and Σ π (1 − π) of a reach vector with total R.
double entropy_of(const std::vector<double>& r, double R) {
    double h = 0;
    for (double v : r)
        if (v > 0) h -= v / R * std::log(v / R);
    return h;
}

/// The hard project of tests/export/test_project.hpp (48 courtyards with 3 Alpha each,
/// Gamma's 3 residents in one courtyard, two zones over it).
struct HardProject {
    test::TempDir dir;
    HardProject() {
        test::write_test_project(dir.path().string());
        test::write_test_zones(dir.path().string());
    }
    [[nodiscard]] std::string path() const { return dir.path().string(); }
};

/// What a reader of one zone of `plan evaluate --json` (guarded: `zone`) learns of its
/// withheld reaches from a printed entropy E and Simpson index Q (NaN = not printed). With
/// the residents reached R published the withheld reaches sum to S = R − Σ published; each
/// lies in [0, min(S, its group total when published)]. Two withheld reaches a + (S − a):
/// E names the pair (H is symmetric about S/2 and strictly monotone on each side), found here
/// by scanning a and refining each sign change. Three or more: Σ_W r² = (1 − Q)·R² − Σ_P r²
/// bounds each (Cauchy–Schwarz on the others: (S − v)²/(m − 1) ≤ Σ_W r² − v² ≤ (S − v)²; a
/// relaxation, so what it finds is real). One withheld reach beside a withheld R: Simpson's
/// (1 − Q)(P + w)² = A + w² is a quadratic in w; two: for each a Simpson gives b, and E then
/// names a. Returns the findings (per withheld reach: the values left when finitely many,
/// else their hull).
/// The roots of g over [lo, hi]: each sign change between `steps` + 1 grid points, refined by
/// bisection (g NaN where no filling exists: no root is taken across it).
template <class G>
std::vector<double> sign_change_roots(G g, double lo, double hi, int steps) {
    std::vector<double> roots;
    const double h = (hi - lo) / steps;
    double prev = g(lo);
    for (int s = 1; s <= steps; ++s) {
        const double v = lo + s * h, cur = g(v);
        if (std::isfinite(prev) && std::isfinite(cur) && (prev < 0) != (cur < 0)) {
            double a = v - h, b = v, ga = prev;
            for (int it = 0; it < 80; ++it) {
                const double mid = 0.5 * (a + b), gm = g(mid);
                if (!std::isfinite(gm)) break;
                if ((ga < 0) == (gm < 0)) {
                    a = mid;
                    ga = gm;
                } else {
                    b = mid;
                }
            }
            roots.push_back(0.5 * (a + b));
        }
        prev = cur;
    }
    return roots;
}

struct MixFinding {
    std::size_t group = 0;
    double lo = 0, hi = 0;        ///< the interval the published table leaves
    std::vector<double> points;   ///< the values the printed E / Q leave, when finitely many
    double new_lo = 0, new_hi = 0;  ///< else their hull
    std::string text;
};

std::vector<MixFinding> mix_findings(const json& zone, double E, double Q, int k) {
    std::vector<MixFinding> out;
    if (!std::isfinite(E) && !std::isfinite(Q)) return out;
    std::vector<double> published;
    std::vector<std::size_t> withheld;
    std::vector<double> cap;
    const auto& groups = zone.at("groups");
    for (std::size_t g = 0; g < groups.size(); ++g) {
        const json& r = groups[g].at("reached");
        if (r.is_number()) {
            published.push_back(r.get<double>());
        } else {
            withheld.push_back(g);
            const double t = number(groups[g].at("total"));
            cap.push_back(std::isfinite(t) ? t : std::numeric_limits<double>::infinity());
        }
    }
    const std::size_t m = withheld.size();
    if (m == 0) return out;
    double P = 0, A = 0;
    for (double v : published) {
        P += v;
        A += v * v;
    }
    const double R = number(zone.at("residents_reached"));
    const std::string id = zone.at("id").get<std::string>();
    if (!std::isfinite(R) && m == 2 && std::isfinite(Q) && std::isfinite(E)) {
        // Two withheld reaches a, b and a withheld total: for each a Simpson's
        // (1 − Q)(P + a + b)² = A + a² + b² is a quadratic in b; along each of its (at most
        // two) branches E(a, b(a)) − E changes sign at each filling the entropy allows.
        const double grand = number(zone.at("residents_total"));
        const double cap_a = std::isfinite(cap[0]) ? cap[0] : grand, cap_b = std::isfinite(cap[1]) ? cap[1] : grand;
        if (!std::isfinite(cap_a) || !std::isfinite(cap_b)) return out;
        const auto branch = [&](double a, double sign) {
            const double C = P + a, qa = -Q, qb = 2 * (1 - Q) * C, qc = (1 - Q) * C * C - A - a * a;
            const double d = qb * qb - 4 * qa * qc;
            if (d < 0 || std::abs(qa) < 1e-15) return std::numeric_limits<double>::quiet_NaN();
            const double b = (-qb + sign * std::sqrt(d)) / (2 * qa);
            return b >= 0 && b <= cap_b ? b : std::numeric_limits<double>::quiet_NaN();
        };
        const auto g = [&](double a, double sign) {
            const double b = branch(a, sign);
            if (!std::isfinite(b)) return std::numeric_limits<double>::quiet_NaN();
            std::vector<double> r = published;
            r.push_back(a);
            r.push_back(b);
            return entropy_of(r, P + a + b) - E;
        };
        MixFinding f;
        f.group = withheld[0];
        f.lo = 0;
        f.hi = cap_a;
        constexpr int kScan = 199999;
        for (const double sign : {-1.0, 1.0})
            for (double a : sign_change_roots([&](double v) { return g(v, sign); }, 0.0, cap_a, kScan))
                f.points.push_back(a);
        std::ostringstream o;
        o << id << ": " << groups[withheld[0]].at("en").get<std::string>() << " and "
          << groups[withheld[1]].at("en").get<std::string>() << " (residents reached withheld) pinned by the entropy "
          << "and Simpson's index to " << f.points.size() << " value(s)";
        f.text = o.str();
        if (!f.points.empty() && f.points.size() <= 4) out.push_back(f);
        return out;
    }
    if (!std::isfinite(R)) {
        // One withheld reach and a withheld total: Simpson alone, a quadratic in w.
        if (m != 1 || !std::isfinite(Q)) return out;
        const double a = -Q, b = 2 * (1 - Q) * P, c = (1 - Q) * P * P - A;  // (1−Q)(P+w)² − A − w² = 0
        const double d = b * b - 4 * a * c;
        MixFinding f;
        f.group = withheld[0];
        f.lo = 0;
        f.hi = cap[0];
        if (std::abs(a) > 1e-15 && d >= 0)
            for (double s : {-1.0, 1.0}) {
                const double w = (-b + s * std::sqrt(d)) / (2 * a);
                if (w >= -1e-9 && w <= f.hi + 1e-9) f.points.push_back(w);
            }
        f.text = id + ": " + groups[withheld[0]].at("en").get<std::string>() + " pinned by Simpson's index";
        if (!f.points.empty()) out.push_back(f);
        return out;
    }
    const double S = R - P;
    std::vector<double> hi(m), lo(m);
    double sum_hi = 0;
    for (std::size_t j = 0; j < m; ++j) {
        hi[j] = std::min(cap[j], S);
        sum_hi += hi[j];
    }
    for (std::size_t j = 0; j < m; ++j) lo[j] = std::max(0.0, S - (sum_hi - hi[j]));
    constexpr int kSteps = 19999;  // odd: no grid point falls on a round reach
    for (std::size_t j = 0; j < m; ++j) {
        MixFinding f;
        f.group = withheld[j];
        f.lo = lo[j];
        f.hi = hi[j];
        const double h = (hi[j] - lo[j]) / kSteps;
        if (!(h > 0)) continue;
        const std::string name = groups[withheld[j]].at("en").get<std::string>();
        if (m == 2 && std::isfinite(E)) {
            // The other reach is S − v: E(v) − E changes sign at each filling E allows.
            const auto g = [&](double v) {
                std::vector<double> r = published;
                r.push_back(v);
                r.push_back(S - v);
                return entropy_of(r, R) - E;
            };
            f.points = sign_change_roots(g, lo[j], hi[j], kSteps);
            std::ostringstream o;
            o << id << ": " << name << " in [" << lo[j] << ", " << hi[j] << "] pinned by the entropy to "
              << f.points.size() << " value(s):";
            for (double p : f.points) o << " " << p;
            f.text = o.str();
            if (!f.points.empty() && f.points.size() <= 2) out.push_back(f);
            continue;
        }
        if (!std::isfinite(Q)) continue;
        const double QW = (1 - Q) * R * R - A;  // Σ over the withheld reaches of r²
        if (m == 3 && std::isfinite(E)) {
            // Three withheld reaches v, b, c: the sum and Simpson give {b, c} for each v
            // (b + c = S − v, b² + c² = QW − v²), and E(v, b, c) − E changes sign at each v
            // the entropy allows: three equations in three unknowns.
            const auto g = [&](double v) {
                const double bc = S - v, D = 2 * (QW - v * v) - bc * bc;
                if (D < 0) return std::numeric_limits<double>::quiet_NaN();
                const double b = 0.5 * (bc - std::sqrt(D)), c = 0.5 * (bc + std::sqrt(D));
                if (b < 0) return std::numeric_limits<double>::quiet_NaN();
                std::vector<double> r = published;
                r.push_back(v);
                r.push_back(b);
                r.push_back(c);
                return entropy_of(r, R) - E;
            };
            f.points = sign_change_roots(g, lo[j], hi[j], kSteps);
            std::ostringstream o;
            o << id << ": " << name << " in [" << lo[j] << ", " << hi[j]
              << "] pinned by the entropy and Simpson's index to " << f.points.size() << " value(s):";
            for (double p : f.points) o << " " << p;
            f.text = o.str();
            if (!f.points.empty() && f.points.size() <= 6) out.push_back(f);
            continue;
        }
        const double tol = 1e-9 * std::max(1.0, R * R);
        f.new_lo = std::numeric_limits<double>::infinity();
        f.new_hi = -f.new_lo;
        for (int s = 0; s <= kSteps; ++s) {
            const double v = lo[j] + s * h, rest = QW - v * v, o = S - v;
            if (rest >= o * o / static_cast<double>(m - 1) - tol && rest <= o * o + tol) {
                f.new_lo = std::min(f.new_lo, v);
                f.new_hi = std::max(f.new_hi, v);
            }
        }
        // Narrower than the table leaves it and than k − 1 both ways (docs/privacy.md: a
        // withheld reach must move by k − 1 up and down).
        if (f.new_hi >= f.new_lo && f.new_hi - f.new_lo < std::min(hi[j] - lo[j] - 2 * h, 2.0 * (k - 1))) {
            std::ostringstream o;
            o << id << ": " << name << " in [" << lo[j] << ", " << hi[j] << "] narrowed by Simpson's index to ["
              << f.new_lo << ", " << f.new_hi << "]";
            f.text = o.str();
            out.push_back(f);
        }
    }
    return out;
}

std::string joined(const std::vector<MixFinding>& v) {
    std::string s;
    for (const auto& f : v) s += f.text + "\n";
    return s;
}

/// The audit of one project: what the guarded output prints gives nothing back, and the
/// values the code before this change printed beside the same table (the exact ones, which
/// --no-privacy-guard prints) pin or narrow withheld reaches to their true values.
std::size_t audit_mix(const std::string& project, const std::string& what) {
    const json on = plan_json(project), off = plan_json(project, "--no-privacy-guard");
    REQUIRE(on.at("zones").size() == off.at("zones").size());
    std::size_t old_findings = 0;
    for (std::size_t z = 0; z < on.at("zones").size(); ++z) {
        const json& zon = on.at("zones")[z];
        const json& zoff = off.at("zones")[z];
        std::ostringstream shape;  // the zone as the reader sees it, and the truth beside it
        for (std::size_t g = 0; g < zon.at("groups").size(); ++g)
            if (zon.at("groups")[g].at("reached").is_null())
                shape << " " << zon.at("groups")[g].at("en").get<std::string>() << "="
                      << zoff.at("groups")[g].at("reached").dump() << "/" << zon.at("groups")[g].at("total").dump();
        INFO(what << " zone " << zon.at("id") << ": residents reached " << zon.at("residents_reached").dump()
                  << ", withheld (true/total):" << shape.str());
        // As printed now.
        const auto now = mix_findings(zon, number(zon.at("entropy")), number(zon.at("simpson_interaction")), 5);
        INFO("printed now:\n" << joined(now));
        CHECK(now.empty());
        // As printed before (the same value with the guard on or off: the exact one).
        const auto before = mix_findings(zon, number(zoff.at("entropy")), number(zoff.at("simpson_interaction")), 5);
        INFO("printed before:\n" << joined(before));
        old_findings += before.size();
        for (const auto& f : before) {
            // The reader's answer holds the true reach (the data owner's output).
            const double truth = zoff.at("groups")[f.group].at("reached").get<double>();
            if (!f.points.empty()) {
                bool hit = false;
                for (double p : f.points) hit = hit || std::abs(p - truth) < 1e-6 * std::max(1.0, truth);
                CHECK(hit);
            } else {
                CHECK(truth >= f.new_lo - 1e-6);
                CHECK(truth <= f.new_hi + 1e-6);
            }
        }
        bool any_withheld = zon.at("residents_reached").is_null();
        for (const auto& g : zon.at("groups")) any_withheld = any_withheld || g.at("reached").is_null();
        if (any_withheld) {
            // Null with "suppressed": true; the keys stay.
            CHECK(zon.at("entropy").is_null());
            CHECK(zon.at("entropy_normalised").is_null());
            CHECK(zon.at("simpson_interaction").is_null());
            CHECK(zon.at("suppressed").get<bool>());
        } else {
            CHECK_THAT(zon.at("entropy").get<double>(), WithinAbs(zoff.at("entropy").get<double>(), 1e-12));
            CHECK_THAT(zon.at("simpson_interaction").get<double>(),
                       WithinAbs(zoff.at("simpson_interaction").get<double>(), 1e-12));
        }
    }
    return old_findings;
}

}  // namespace

// [SECTION] The reader of plan evaluate --json --------------------------------------------------

TEST_CASE("catchment diversity: the entropy printed beside withheld reaches pinned them, now null (plan evaluate "
          "--json, hard project and Shuhan)",
          "[privacy][outputs]") {
    // The reader by hand: reaches (10, 20, a, b) of R = 40, a + b = 10 and the entropy of
    // (10, 20, 3, 7): the printed entropy leaves a ∈ {3, 7}; Simpson alone does too.
    json zone = {{"id", "Z"}, {"residents_reached", 40.0}, {"groups", json::array()}};
    for (const double r : {10.0, 20.0})
        zone["groups"].push_back({{"en", "P"}, {"reached", r}, {"total", 100.0}});
    for (int i = 0; i < 2; ++i) zone["groups"].push_back({{"en", "W"}, {"reached", nullptr}, {"total", 100.0}});
    const double E = entropy_of({10, 20, 3, 7}, 40);
    const auto by_hand = mix_findings(zone, E, std::numeric_limits<double>::quiet_NaN(), 5);
    REQUIRE(by_hand.size() == 2);
    REQUIRE(by_hand[0].points.size() == 2);
    CHECK_THAT(by_hand[0].points[0], WithinAbs(3.0, 1e-9));
    CHECK_THAT(by_hand[0].points[1], WithinAbs(7.0, 1e-9));
    CHECK(mix_findings(zone, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN(), 5)
              .empty());

    const HardProject hard;
    const std::size_t hard_before = audit_mix(hard.path(), "hard project");
    const std::size_t shuhan_before = audit_mix(test::shuhan(), "Shuhan");
    INFO("findings from the values printed before: hard " << hard_before << ", Shuhan " << shuhan_before);
    // The reader can fail: beside the same table the values printed before give reaches back.
    CHECK(hard_before > 0);
}

// [SECTION] Every surface: withheld with the guard, exact without --------------------------------

namespace {

/// The exact evaluations of a project's zones (the planner in-process, as every surface
/// builds it), keyed by zone id.
std::map<std::string, plan::ZoneEvaluation> exact_evaluations(const Project& p) {
    plan::PlannerOptions o;
    o.lisa_permutations = 99;  // the HH clusters play no part here
    const plan::Planner planner = analysis::make_planner(p, o);
    std::map<std::string, plan::ZoneEvaluation> out;
    for (const auto& z : exporter::project_zones(p)) out.emplace(z.id, planner.evaluate(z.geometry));
    return out;
}

bool has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

std::string fixed_text(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

/// A zone's guarded JSON: whether a reach or the residents reached is withheld, and whether
/// a reached unit's residents are.
bool reach_withheld(const json& z) {
    bool w = z.at("residents_reached").is_null();
    for (const auto& g : z.at("groups")) w = w || g.at("reached").is_null();
    return w;
}
bool unit_withheld(const json& z) {
    bool w = false;
    for (const auto& u : z.at("units")) w = w || u.at("residents").is_null();
    return w;
}

}  // namespace

TEST_CASE("catchment diversity: plan evaluate text and JSON withhold the mix, redundancy and isolation with the "
          "guard and print the exact values without it",
          "[privacy][outputs]") {
    const HardProject hard;
    std::size_t mix_withheld = 0, redundancy_checked = 0;
    for (const std::string& path : {hard.path(), test::shuhan()}) {
        INFO(path);
        const Project project = load_project(path);
        const auto exact = exact_evaluations(project);
        const json on = plan_json(path), off = plan_json(path, "--no-privacy-guard");
        const std::string text_on = plan_output(path, ""), text_off = plan_output(path, "--no-privacy-guard");
        REQUIRE(on.at("zones").size() == exact.size());
        for (std::size_t z = 0; z < on.at("zones").size(); ++z) {
            const json &zon = on.at("zones")[z], &zoff = off.at("zones")[z];
            const plan::ZoneEvaluation& e = exact.at(zon.at("id").get<std::string>());
            INFO("zone " << zon.at("id"));
            // Guard off: the exact values (stamped as before).
            CHECK_THAT(zoff.at("entropy").get<double>(), WithinAbs(e.entropy, 1e-12));
            CHECK_THAT(zoff.at("entropy_normalised").get<double>(), WithinAbs(e.entropy_normalised, 1e-12));
            CHECK_THAT(zoff.at("simpson_interaction").get<double>(), WithinAbs(e.simpson_interaction, 1e-12));
            CHECK_THAT(zoff.at("mean_isolation").at("before").get<double>(), WithinAbs(e.mean_isolation_before, 1e-12));
            CHECK_THAT(zoff.at("mean_isolation").at("after").get<double>(), WithinAbs(e.mean_isolation_after, 1e-12));
            for (std::size_t g = 0; g < e.groups.size(); ++g) {
                const json& iso = zoff.at("groups")[g].at("isolation");
                if (std::isfinite(e.groups[g].isolation_before))
                    CHECK_THAT(iso.at("before").get<double>(), WithinAbs(e.groups[g].isolation_before, 1e-12));
                // Guard on: every group of both projects has a withheld cell, so its
                // exposure (its cells and every unit total) is withheld.
                CHECK(zon.at("groups")[g].at("isolation").at("before").is_null());
                CHECK(zon.at("groups")[g].at("interaction").at("after").is_null());
                CHECK(zon.at("groups")[g].at("suppressed").get<bool>());
            }
            if (std::isfinite(e.redundancy)) {
                CHECK_THAT(zoff.at("redundancy").get<double>(), WithinAbs(e.redundancy, 1e-12));
                ++redundancy_checked;
                if (unit_withheld(zon)) CHECK(zon.at("redundancy").is_null());
                else CHECK_THAT(zon.at("redundancy").get<double>(), WithinAbs(e.redundancy, 1e-12));
            }
            // Guard on: the mean isolation reads every count, and some are withheld.
            CHECK(zon.at("mean_isolation").at("before").is_null());
            CHECK(zon.at("mean_isolation").at("after").is_null());
            CHECK(zon.at("suppressed").get<bool>());
            if (reach_withheld(zon)) {
                ++mix_withheld;
                CHECK(zon.at("entropy").is_null());
                CHECK(zon.at("simpson_interaction").is_null());
            }
            // The text as the guard-off output prints it: exact, to its decimals.
            CHECK(has(text_off, "catchment diversity: entropy " + fixed_text(e.entropy, 3) + " (normalised " +
                                    fixed_text(e.entropy_normalised, 3) + "), Simpson interaction " +
                                    fixed_text(e.simpson_interaction, 3)));
            CHECK(has(text_off, "-> " + fixed_text(e.mean_isolation_after, 4)));
        }
        // Guard on: "—" with the reasons in zh / en.
        CHECK(has(text_on, "catchment diversity: entropy — (normalised —), Simpson interaction —\n    多样性不公开："
                           "有群体的可达人数不公开，熵与辛普森指数可推算出它 / diversity withheld: a group's reach is "
                           "withheld and the entropy and Simpson index would give it back (docs/privacy.md)\n"));
        CHECK(has(text_on, "): — -> —\n    平均隔离度不公开：它读取每个计数，而有计数不公开 / mean isolation withheld: "
                           "it reads every count and some are withheld (docs/privacy.md)\n"));
        CHECK_FALSE(has(text_on, "catchment diversity: entropy 0."));
        CHECK(has(text_off, "含小数值 / contains small counts"));
    }
    CHECK(mix_withheld > 0);
    CHECK(redundancy_checked > 0);
}

TEST_CASE("catchment diversity: the scenario page's zone tables withhold the mix and the mean isolation with the "
          "guard and print the exact values without it",
          "[privacy][outputs]") {
    const HardProject hard;
    std::size_t mix_withheld = 0;
    for (const std::string& path : {hard.path(), test::shuhan()}) {
        INFO(path);
        const Project project = load_project(path);
        const auto exact = exact_evaluations(project);
        const json on = plan_json(path);
        for (const bool guard : {true, false}) {
            carto::MapRequest en;
            en.lang = carto::Lang::En;
            en.privacy_guard = guard;
            plan::PlannerOptions o;
            o.lisa_permutations = 99;
            const auto zones = exporter::zone_reports(project, exporter::project_zones(project), en, o);
            REQUIRE(zones.size() == on.at("zones").size());
            for (std::size_t z = 0; z < zones.size(); ++z) {
                const plan::ZoneEvaluation& e = exact.at(zones[z].id);
                const json& zon = on.at("zones")[z];
                REQUIRE(zon.at("id").get<std::string>() == zones[z].id);
                auto value = [&](const std::string& measure) {
                    for (const auto& row : zones[z].rows)
                        if (row[0] == measure) return row[1];
                    return std::string("(missing)");
                };
                INFO("guard " << guard << ", zone " << zones[z].id);
                if (guard && reach_withheld(zon)) {
                    ++mix_withheld;
                    CHECK(value("Diversity (normalised entropy)") == "—");
                    CHECK(value("Simpson's interaction") == "—");
                    CHECK(value("Why the diversity is withheld") ==
                          "a group's reach is withheld and the entropy and Simpson index would give it back");
                    CHECK_FALSE(has(zones[z].summary, "belong to different groups with probability"));
                } else if (!guard) {
                    CHECK(value("Diversity (normalised entropy)") == fixed_text(e.entropy_normalised, 2));
                    CHECK(value("Simpson's interaction") == fixed_text(e.simpson_interaction, 2));
                    CHECK(value("Why the diversity is withheld") == "(missing)");
                }
                if (guard) {
                    CHECK(value("Mean isolation (activity-space model)") == "—");
                    CHECK(value("Why the mean isolation is withheld") == "it reads every count and some are withheld");
                    CHECK_FALSE(has(zones[z].summary, "own-group contacts"));
                    if (unit_withheld(zon) && e.venues_available)
                        CHECK(value("Already covered by existing venues") == "—");
                } else {
                    CHECK(value("Mean isolation (activity-space model)") ==
                          fixed_text(e.mean_isolation_before, 3) + " → " + fixed_text(e.mean_isolation_after, 3));
                    CHECK(has(zones[z].summary, "own-group contacts at " + fixed_text(e.mean_isolation_after, 3)));
                }
            }
        }
        // In Chinese, the reason in Chinese.
        carto::MapRequest zh;
        zh.lang = carto::Lang::Zh;
        plan::PlannerOptions o;
        o.lisa_permutations = 99;
        bool reason = false;
        for (const auto& zr : exporter::zone_reports(project, exporter::project_zones(project), zh, o))
            for (const auto& row : zr.rows)
                reason = reason || (row[0] == "平均隔离度不公开的原因" && row[1] == "它读取每个计数，而有计数不公开");
        CHECK(reason);
    }
    CHECK(mix_withheld > 0);
}

TEST_CASE("catchment diversity: the QGIS hand-off's zones layer has NULL mix and mean isolation with the guard and "
          "the exact values without it",
          "[privacy][outputs]") {
    const HardProject hard;
    const test::TempDir out;
    std::size_t mix_withheld = 0;
    for (const std::string& path : {hard.path(), test::shuhan()}) {
        INFO(path);
        const Project project = load_project(path);
        const auto exact = exact_evaluations(project);
        const json on = plan_json(path);
        for (const bool guard : {true, false}) {
            const std::string file = out.file(std::string("zones-") + (guard ? "on" : "off") + "-" +
                                                   std::to_string(exact.size()) + ".gpkg");
            const auto r = sh::run(sh::q(huqian_exe()) + " export " + sh::q(path) + " --map composition -o " +
                                   sh::q(file) + " --permutations 99" + (guard ? "" : " --no-privacy-guard") +
                                   " 2>/dev/null");
            REQUIRE(r.code == 0);
            ReadOptions ro;
            ro.layer = "zones";
            const Layer zones = read_layer_raw(file, ro);
            REQUIRE(zones.table.rows.size() == exact.size());
            const int id = zones.table.field_index("id");
            REQUIRE(id >= 0);
            for (std::size_t z = 0; z < zones.table.rows.size(); ++z) {
                const std::string zid = value_to_string(zones.table.rows[z][static_cast<std::size_t>(id)]);
                const plan::ZoneEvaluation& e = exact.at(zid);
                const json* zon = nullptr;
                for (const auto& x : on.at("zones"))
                    if (x.at("id").get<std::string>() == zid) zon = &x;
                REQUIRE(zon != nullptr);
                auto field = [&](const std::string& name) -> std::optional<double> {
                    const int f = zones.table.field_index(name);
                    REQUIRE(f >= 0);
                    const Value& v = zones.table.rows[z][static_cast<std::size_t>(f)];
                    if (const auto* d = std::get_if<double>(&v)) return *d;
                    return std::nullopt;
                };
                INFO("guard " << guard << ", zone " << zid);
                if (guard) {
                    const bool mix = reach_withheld(*zon);
                    mix_withheld += mix;
                    CHECK(field("entropy_normalised").has_value() == !mix);
                    CHECK(field("simpson_interaction").has_value() == !mix);
                    CHECK_FALSE(field("mean_isolation_before").has_value());
                    CHECK_FALSE(field("mean_isolation_after").has_value());
                    // The same as plan evaluate --json prints.
                    CHECK(field("redundancy").has_value() == zon->at("redundancy").is_number());
                } else {
                    REQUIRE(field("entropy_normalised").has_value());
                    CHECK_THAT(*field("entropy_normalised"), WithinAbs(e.entropy_normalised, 1e-12));
                    CHECK_THAT(*field("simpson_interaction"), WithinAbs(e.simpson_interaction, 1e-12));
                    CHECK_THAT(*field("mean_isolation_before"), WithinAbs(e.mean_isolation_before, 1e-12));
                    CHECK_THAT(*field("mean_isolation_after"), WithinAbs(e.mean_isolation_after, 1e-12));
                    if (std::isfinite(e.redundancy)) CHECK_THAT(*field("redundancy"), WithinAbs(e.redundancy, 1e-12));
                }
            }
        }
    }
    CHECK(mix_withheld > 0);
}

// The scenario's mean isolation (plan compare, the scenario page's comparison table, the
// viewer's scenarios panel) is the same value as plan evaluate's: withheld by the same rule
// in geo/plan compare_scenarios. Before the moves and zones it is Σ_i Σ_g x_ig² / t_i / T,
// computed here from the project's counts (independent of geo/plan).
TEST_CASE("catchment diversity: plan compare withholds the scenario's mean isolation with the guard and prints the "
          "exact value without it",
          "[privacy][outputs]") {
    const HardProject hard;
    for (const std::string& path : {hard.path(), test::shuhan()}) {
        INFO(path);
        const Project project = load_project(path);
        const auto table = analysis::group_count_table(project);
        double sum = 0, total = 0;
        const std::size_t n = table->counts.empty() ? 0 : table->counts.front().size();
        for (std::size_t i = 0; i < n; ++i) {
            double t = 0, sq = 0;
            for (const auto& col : table->counts) {
                t += col[i];
                sq += col[i] * col[i];
            }
            if (t > 0) sum += sq / t;
            total += t;
        }
        REQUIRE(total > 0);
        const double exact_before = sum / total;
        const auto run = [&](const std::string& extra) {
            const auto r = sh::run(sh::q(huqian_exe()) + " plan compare " + sh::q(path) + " --scenario all_zones " +
                                   extra + " 2>/dev/null");
            REQUIRE(r.code == 0);
            return r.out;
        };
        const json on = json_of(run("--json")), off = json_of(run("--json --no-privacy-guard"));
        const json &son = on.at("scenarios")[0].at("mean_isolation"), &soff = off.at("scenarios")[0].at("mean_isolation");
        CHECK_THAT(soff.at("before").get<double>(), WithinAbs(exact_before, 1e-12));
        CHECK(soff.at("after").is_number());
        CHECK_FALSE(soff.at("suppressed").get<bool>());
        // Both projects have withheld counts: withheld, the keys kept.
        CHECK(son.at("before").is_null());
        CHECK(son.at("after").is_null());
        CHECK(son.at("suppressed").get<bool>());
        const std::string text_on = run(""), text_off = run("--no-privacy-guard");
        CHECK(has(text_on, " residents reached; mean isolation — -> —\n  平均隔离度不公开：它读取每个计数，而有计数不公开 / "
                           "mean isolation withheld: it reads every count and some are withheld (docs/privacy.md)\n"));
        CHECK(has(text_off, "; mean isolation " + fixed_text(exact_before, 4) + " -> "));
        // The library: a group's activity-space isolation after follows exposure_published.
        plan::PlannerOptions po;
        po.lisa_permutations = 99;  // the HH clusters play no part here
        const plan::Planner planner = analysis::make_planner(project, po);
        const plan::Scenario all{"all", "", {}, {}};
        std::vector<std::vector<std::string>> keys;
        for (const auto& g : project.groups) keys.push_back({g.column, g.name_en, g.name_zh});
        plan::ChangeTestOptions guarded, open;
        open.privacy.guard = false;
        const auto rg = plan::compare_scenarios(planner, {}, {all}, keys, guarded);
        const auto ro = plan::compare_scenarios(planner, {}, {all}, keys, open);
        const privacy::ExposurePublished pub = plan::exposure_published(planner.input(), guarded.privacy);
        REQUIRE(rg.front().isolation_after.size() == project.groups.size());
        for (std::size_t g = 0; g < project.groups.size(); ++g) {
            INFO("group " << project.groups[g].column);
            CHECK(std::isnan(rg.front().isolation_after[g]) == (pub.group[g] == 0 || std::isnan(ro.front().isolation_after[g])));
        }
        CHECK(rg.front().mean_isolation_withheld);
        CHECK(std::isnan(rg.front().mean_isolation_before));
        CHECK_FALSE(ro.front().mean_isolation_withheld);
        CHECK_THAT(ro.front().mean_isolation_before, WithinAbs(exact_before, 1e-12));
    }
}
