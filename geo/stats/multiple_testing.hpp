#pragma once
// Multiple-comparison adjustment of p-values (as R's p.adjust).
#include <span>
#include <string>
#include <vector>

namespace hq {

enum class PAdjust : std::uint8_t { None, Bonferroni, BenjaminiHochberg };

/// "none", "bonferroni", "fdr" (or "bh"); InputError otherwise.
PAdjust p_adjust_from_name(const std::string& name);
const char* p_adjust_name(PAdjust a);

/// Adjusted p-values, as R's p.adjust: Bonferroni min(1, m·p); Benjamini–Hochberg the
/// step-up q_(i) = min_{k >= i} min(1, m·p_(k)/k) over the sorted p-values. NaN entries
/// stay NaN and do not count in m.
std::vector<double> adjust_p_values(std::span<const double> p, PAdjust method);

/// adjusted p <= alpha (false for NaN). For BH this is the real step-up procedure: every
/// test up to the largest k with p_(k) <= k·alpha/m is significant.
std::vector<bool> significant(std::span<const double> p, PAdjust method, double alpha);

}  // namespace hq
