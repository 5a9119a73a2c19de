#pragma once
// The disclosure auditor (docs/privacy.md): what a reader with a calculator can work out
// from everything one output (or one pack of outputs) publishes. Independent of
// geo/privacy: it reads the printed text and JSON, never the module's tables.
//
// A Model holds unknown counts (variables ≥ 0) and what the output says of them: exact
// numbers (to their printed rounding), "<k" (0..k−1), "x" (withheld, any value), percentages
// ("2%" of a printed or unknown whole: [1.5, 2.5) %), and sums (table totals, group totals
// printed elsewhere). For every "<k" it computes by linear programming the interval of
// values consistent with all of it; the output passes when no count 1..k−1 is printed
// outright and no withheld count is pinned inside 0..k−1 more narrowly than 0..k−1 (a
// "<k" must still span 0..k−1; an "x" may be anything but a small range).
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace hq::audit {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

/// Bounds of each variable of min/max x_t subject to lo_i ≤ Σ a_ij x_j ≤ hi_i and
/// lb_j ≤ x_j ≤ ub_j (lb finite). A dense two-phase simplex with Bland's rule.
struct LinearProgram {
    struct Row {
        std::vector<std::pair<int, double>> terms;
        double lo = -kInf, hi = kInf;
    };
    std::vector<double> lb, ub;
    std::vector<Row> rows;
    /// {min, max} of variable t; {+inf, -inf} when the constraints are infeasible.
    [[nodiscard]] std::pair<double, double> range(int t) const;
    /// Ranges of several variables (one phase I).
    [[nodiscard]] std::vector<std::pair<double, double>> ranges(const std::vector<int>& ts) const;
};

class Model {
public:
    explicit Model(int k) : m_k(k) {}
    /// The variable called `name` (created ≥ 0, unbounded above).
    int var(const std::string& name);
    [[nodiscard]] bool has(const std::string& name) const { return m_names.count(name) > 0; }
    /// The names (without the prefix) of the variables whose name starts with `prefix`.
    [[nodiscard]] std::vector<std::string> names_with_prefix(const std::string& prefix) const;
    /// What the output printed for a count: a number (whole numbers exact, decimals as
    /// rounded), "<k" (0..k−1), "x" (withheld, any value), "—"/"n/a"/"" (nothing). `where`
    /// names the place for the report.
    void count(int v, const std::string& text, const std::string& where);
    /// JSON: a number, or null (nothing known; flagged suppressed or not).
    void json_count(int v, const double* value, const std::string& where);
    /// A printed percentage of part in whole ("2%", "37.5 %", "100.0 %"; "—" = nothing).
    void percent(int part, int whole, const std::string& text);
    /// Σ parts = total.
    void sum(const std::vector<int>& parts, int total);
    void le(int a, int b);  ///< a ≤ b
    /// A count the output never prints (a group's count in one unit behind a catchment):
    /// checked like "<k" — it must not be pinned inside 0..k−1 more narrowly than 0..k−1.
    void hidden(int v, const std::string& where) { m_checks.emplace_back(v, where); }
    /// Σ coefficient·variable = value (± tol: a value printed with full double precision).
    void weighted_sum(const std::vector<std::pair<int, double>>& terms, double value, double tol = 0.0);
    /// v ≤ value.
    void at_most(int v, double value) { bound(v, 0.0, value); }

    /// One line per leak ("" list = the output passes).
    [[nodiscard]] std::vector<std::string> leaks() const;
    [[nodiscard]] std::size_t checked() const { return m_checks.size(); }
    [[nodiscard]] std::size_t variables() const { return m_lp.lb.size(); }

private:
    int m_k;
    LinearProgram m_lp;
    std::map<std::string, int> m_names;
    std::vector<std::pair<int, std::string>> m_checks;  ///< "<k" cells and withheld totals, and where
    std::vector<std::string> m_direct;                  ///< small counts printed outright
    void bound(int v, double lo, double hi);
};

/// A printed number: "12", "12.4", "1,234", "12 %" → value and decimals; false otherwise.
bool parse_number(const std::string& text, double& value, int& decimals);
std::string trim(const std::string& s);
std::vector<std::string> split(const std::string& s, const std::string& sep);

}  // namespace hq::audit
