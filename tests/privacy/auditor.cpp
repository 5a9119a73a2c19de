// The disclosure auditor: a small exact LP over what an output publishes (auditor.hpp).
#include "auditor.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace hq::audit {

// [SECTION] Simplex ----------------------------------------------------------------------------

namespace {

constexpr double kEps = 1e-9;

/// Standard form: A y = b (b ≥ 0), y ≥ 0; x_j = lb_j + y_j for the first n columns.
struct Tableau {
    std::size_t m = 0, n = 0;          ///< rows, columns (without the right-hand side)
    std::vector<double> t;             ///< (m + 1) × (n + 1); row m is the objective
    std::vector<std::size_t> basis;    ///< basic column per row
    std::vector<bool> artificial;      ///< per column
    double& at(std::size_t r, std::size_t c) { return t[r * (n + 1) + c]; }
    double at(std::size_t r, std::size_t c) const { return t[r * (n + 1) + c]; }

    void pivot(std::size_t r, std::size_t c) {
        const double p = at(r, c);
        for (std::size_t j = 0; j <= n; ++j) at(r, j) /= p;
        for (std::size_t i = 0; i <= m; ++i) {
            if (i == r) continue;
            const double f = at(i, c);
            if (std::abs(f) < 1e-15) continue;
            for (std::size_t j = 0; j <= n; ++j) at(i, j) -= f * at(r, j);
        }
        basis[r] = c;
    }

    /// Minimises the objective row (reduced costs in row m, −value in at(m, n)). Returns
    /// false when unbounded. Bland's rule: no cycling.
    bool minimise() {
        for (;;) {
            std::size_t enter = n;
            for (std::size_t j = 0; j < n; ++j)
                if (!artificial[j] && at(m, j) < -kEps) {
                    enter = j;
                    break;
                }
            if (enter == n) return true;
            std::size_t leave = m;
            double best = kInf;
            for (std::size_t i = 0; i < m; ++i) {
                const double a = at(i, enter);
                if (a > kEps) {
                    const double ratio = at(i, n) / a;
                    if (ratio < best - 1e-12 || (std::abs(ratio - best) <= 1e-12 && leave < m && basis[i] < basis[leave])) {
                        best = ratio;
                        leave = i;
                    }
                }
            }
            if (leave == m) return false;
            pivot(leave, enter);
        }
    }
};

}  // namespace

std::vector<std::pair<double, double>> LinearProgram::ranges(const std::vector<int>& ts) const {
    const std::size_t nx = lb.size();
    // Rows of the standard form: each constraint as one or two rows with a slack, each
    // finite upper bound as y_j + s = ub − lb.
    struct SRow {
        std::vector<std::pair<std::size_t, double>> a;
        double b;
    };
    std::vector<SRow> srows;
    std::size_t ncols = nx;
    for (const Row& r : rows) {
        double shift = 0;
        for (auto [j, a] : r.terms) shift += a * lb[static_cast<std::size_t>(j)];
        std::vector<std::pair<std::size_t, double>> a;
        for (auto [j, v] : r.terms) a.emplace_back(static_cast<std::size_t>(j), v);
        if (r.lo == r.hi) {
            srows.push_back({a, r.lo - shift});
            continue;
        }
        if (std::isfinite(r.hi)) {
            auto b = a;
            b.emplace_back(ncols++, 1.0);
            srows.push_back({b, r.hi - shift});
        }
        if (std::isfinite(r.lo)) {
            auto b = a;
            b.emplace_back(ncols++, -1.0);
            srows.push_back({b, r.lo - shift});
        }
    }
    for (std::size_t j = 0; j < nx; ++j)
        if (std::isfinite(ub[j])) srows.push_back({{{j, 1.0}, {ncols++, 1.0}}, ub[j] - lb[j]});
    Tableau T;
    T.m = srows.size();
    T.n = ncols + T.m;  // plus one artificial per row
    T.t.assign((T.m + 1) * (T.n + 1), 0.0);
    T.basis.assign(T.m, 0);
    T.artificial.assign(T.n, false);
    for (std::size_t i = 0; i < T.m; ++i) {
        const double sgn = srows[i].b < 0 ? -1.0 : 1.0;
        for (auto [j, a] : srows[i].a) T.at(i, j) += sgn * a;
        T.at(i, T.n) = sgn * srows[i].b;
        T.at(i, ncols + i) = 1.0;
        T.artificial[ncols + i] = true;
        T.basis[i] = ncols + i;
    }
    // Phase I: minimise the sum of the artificials (reduced costs = −column sums).
    for (std::size_t i = 0; i < T.m; ++i)
        for (std::size_t j = 0; j <= T.n; ++j)
            if (j == T.n || !T.artificial[j]) T.at(T.m, j) -= T.at(i, j);
    auto phase1 = T;
    for (std::size_t j = 0; j < T.n; ++j) phase1.artificial[j] = false;  // all may enter in phase I
    for (std::size_t j = ncols; j < T.n; ++j) phase1.at(T.m, j) = 0.0;
    phase1.minimise();
    std::vector<std::pair<double, double>> out;
    if (-phase1.at(T.m, T.n) > 1e-7) {
        for (std::size_t i = 0; i < ts.size(); ++i) out.emplace_back(kInf, -kInf);
        return out;
    }
    // Drive basic artificials out where possible.
    phase1.artificial = T.artificial;
    for (std::size_t i = 0; i < phase1.m; ++i) {
        if (!phase1.artificial[phase1.basis[i]]) continue;
        for (std::size_t j = 0; j < ncols; ++j)
            if (std::abs(phase1.at(i, j)) > 1e-9) {
                phase1.pivot(i, j);
                break;
            }
    }
    for (int t : ts) {
        double lohi[2];
        for (int dir = 0; dir < 2; ++dir) {
            Tableau P = phase1;
            // Objective: minimise ±y_t, expressed in the current basis.
            for (std::size_t j = 0; j <= P.n; ++j) P.at(P.m, j) = 0.0;
            const double c = dir == 0 ? 1.0 : -1.0;
            P.at(P.m, static_cast<std::size_t>(t)) = c;
            for (std::size_t i = 0; i < P.m; ++i)
                if (P.basis[i] == static_cast<std::size_t>(t))
                    for (std::size_t j = 0; j <= P.n; ++j) P.at(P.m, j) -= c * P.at(i, j);
            const bool bounded = P.minimise();
            const double y = bounded ? -P.at(P.m, P.n) * c : kInf;
            lohi[dir] = lb[static_cast<std::size_t>(t)] + y;
        }
        out.emplace_back(lohi[0], lohi[1]);
    }
    return out;
}

std::pair<double, double> LinearProgram::range(int t) const { return ranges({t}).front(); }

// [SECTION] Parsing ----------------------------------------------------------------------------

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

std::vector<std::string> split(const std::string& s, const std::string& sep) {
    std::vector<std::string> out;
    std::size_t p = 0;
    for (;;) {
        const auto q = s.find(sep, p);
        out.push_back(s.substr(p, q == std::string::npos ? std::string::npos : q - p));
        if (q == std::string::npos) return out;
        p = q + sep.size();
    }
}

bool parse_number(const std::string& text, double& value, int& decimals) {
    std::string t;
    for (char c : trim(text))
        if (c != ',') t += c;
    while (!t.empty() && (t.back() == '%' || t.back() == ' ')) t.pop_back();
    if (t.empty()) return false;
    char* end = nullptr;
    value = std::strtod(t.c_str(), &end);
    if (end != t.c_str() + t.size()) return false;
    const auto dot = t.find('.');
    decimals = dot == std::string::npos ? 0 : static_cast<int>(t.size() - dot - 1);
    return true;
}

// [SECTION] Model ------------------------------------------------------------------------------

int Model::var(const std::string& name) {
    const auto it = m_names.find(name);
    if (it != m_names.end()) return it->second;
    const int v = static_cast<int>(m_lp.lb.size());
    m_lp.lb.push_back(0.0);
    m_lp.ub.push_back(kInf);
    m_names[name] = v;
    return v;
}

std::vector<std::string> Model::names_with_prefix(const std::string& prefix) const {
    std::vector<std::string> out;
    for (auto it = m_names.lower_bound(prefix); it != m_names.end() && it->first.rfind(prefix, 0) == 0; ++it)
        out.push_back(it->first.substr(prefix.size()));
    return out;
}

void Model::bound(int v, double lo, double hi) {
    auto& l = m_lp.lb[static_cast<std::size_t>(v)];
    auto& u = m_lp.ub[static_cast<std::size_t>(v)];
    l = std::max(l, lo);
    u = std::min(u, hi);
}

void Model::count(int v, const std::string& text, const std::string& where) {
    const std::string t = trim(text);
    if (t == "<" + std::to_string(m_k)) {
        bound(v, 0, m_k - 1);
        m_checks.emplace_back(v, where);
        return;
    }
    if (t == "x") {  // withheld, any value: checked for being pinned small
        m_checks.emplace_back(v, where);
        return;
    }
    double x = 0;
    int d = 0;
    if (!parse_number(t, x, d)) return;  // "—", "n/a": nothing
    // Whole numbers are taken as exact (a count; a rounded weighted count is then treated
    // as if exact, which only helps the reader); decimals as rounded.
    const double half = d == 0 ? 0.0 : 0.5 * std::pow(10.0, -d);
    bound(v, std::max(0.0, x - half), x + half);
    if (x > 0 && x < m_k) m_direct.push_back(where + ": the count " + t + " is printed");
}

void Model::json_count(int v, const double* value, const std::string& where) {
    if (!value) return;
    bound(v, *value, *value);
    if (*value > 0 && *value < m_k) {
        std::ostringstream o;
        o << where << ": the count " << *value << " is printed";
        m_direct.push_back(o.str());
    }
}

void Model::percent(int part, int whole, const std::string& text) {
    double p = 0;
    int d = 0;
    if (!parse_number(text, p, d)) return;
    const double half = 0.5 * std::pow(10.0, -d);
    // (p − half) % · whole ≤ part ≤ (p + half) % · whole
    m_lp.rows.push_back({{{part, 1.0}, {whole, -(p - half) / 100.0}}, 0.0, kInf});
    m_lp.rows.push_back({{{part, 1.0}, {whole, -(p + half) / 100.0}}, -kInf, 0.0});
}

void Model::sum(const std::vector<int>& parts, int total) {
    LinearProgram::Row r;
    for (int p : parts) r.terms.emplace_back(p, 1.0);
    r.terms.emplace_back(total, -1.0);
    r.lo = r.hi = 0.0;
    m_lp.rows.push_back(r);
}

void Model::weighted_sum(const std::vector<std::pair<int, double>>& terms, double value, double tol) {
    LinearProgram::Row r;
    r.terms = terms;
    r.lo = value - tol;
    r.hi = value + tol;
    m_lp.rows.push_back(r);
}

void Model::le(int a, int b) { m_lp.rows.push_back({{{a, 1.0}, {b, -1.0}}, -kInf, 0.0}); }

std::vector<std::string> Model::leaks() const {
    std::vector<std::string> out = m_direct;
    std::vector<int> vars;
    for (const auto& c : m_checks) vars.push_back(c.first);
    const auto r = m_lp.ranges(vars);
    for (std::size_t i = 0; i < r.size(); ++i) {
        const auto [lo, hi] = r[i];
        if (lo > hi) {
            out.push_back(m_checks[i].second + ": the published numbers contradict each other (auditor model error)");
            continue;
        }
        if (hi <= m_k - 1 + 1e-6 && (lo > 1e-6 || hi < m_k - 1 - 1e-6)) {
            std::ostringstream o;
            o << m_checks[i].second << ": \"<" << m_k << "\" is pinned to [" << lo << ", " << hi << "]";
            out.push_back(o.str());
        }
    }
    return out;
}

}  // namespace hq::audit
