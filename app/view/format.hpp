#pragma once
// Small display helpers without GL or ImGui (tested directly): a lone count through
// disclosure control (geo/privacy), shares, and ISO dates <-> day numbers for the timeline.
#include <cmath>
#include <cstdio>
#include <string>

#include "app/view/strings.hpp"
#include "geo/privacy/disclosure.hpp"

namespace hq::view {

/// A lone count (one no published total contains) for display, through geo/privacy:
/// 0..4 print "<5"; NaN prints "—". Counts that belong to a table go through its
/// protected table instead (inspect.hpp).
inline std::string format_count(double count) {
    const privacy::DisclosurePolicy policy;
    return privacy::count_text(privacy::lone_cell(count, policy), policy);
}

/// A share in [0, 1] as a percentage with one decimal ("37.5%"); NaN prints "—".
inline std::string format_share(double share) {
    if (!std::isfinite(share)) return "—";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", share * 100.0);
    return buf;
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
inline int days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/// "YYYY-MM-DD" of a day number.
inline std::string civil_from_days(int z) {
    z += 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const int doe = z - era * 146097;
    const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int mp = (5 * doy + 2) / 153;
    const int d = doy - (153 * mp + 2) / 5 + 1;
    const int m = mp + (mp < 10 ? 3 : -9);
    const int y = yoe + era * 400 + (m <= 2);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return buf;
}

/// Parses "YYYY-MM-DD" (a longer ISO timestamp is cut at the date); false when malformed.
inline bool parse_iso_date(const std::string& s, int& days) {
    int y = 0, m = 0, d = 0;
    if (s.size() < 10 || std::sscanf(s.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3) return false;
    if (m < 1 || m > 12 || d < 1 || d > 31) return false;
    days = days_from_civil(y, m, d);
    return true;
}

/// A p-value as the panels print it. With `permutations` > 0 a p at its floor, 1/(perms+1)
/// (no permutation as extreme as the data; below it only for rounding), reads
/// "< 0.001（999次置换）" / "< 0.001 (999 permutations)": not "0.000"; otherwise three
/// decimals (four below 0.001). "—" when not finite.
inline std::string format_p(double p, std::size_t permutations, UiLang lang) {
    if (!std::isfinite(p)) return "—";
    char b[96];
    if (permutations > 0) {
        const double floor = 1.0 / (static_cast<double>(permutations) + 1.0);
        if (p <= floor * (1.0 + 1e-9)) {
            char f[32];
            std::snprintf(f, sizeof f, "%.3g", floor);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
            std::snprintf(b, sizeof b, tr(S::PFloor, lang), f, permutations);
#pragma GCC diagnostic pop
            return b;
        }
    }
    std::snprintf(b, sizeof b, p < 0.001 ? "%.4f" : "%.3f", p);
    return b;
}

}  // namespace hq::view
