#pragma once
// Classification of a numeric variable into graduated classes (quantile, equal interval,
// Jenks natural breaks, standard deviation), as QGIS and mapclassify name them.
// See docs/export.md for the conventions (quantile type, sampled Jenks, sd classes).
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "app/carto/scene.hpp"

namespace hq::carto {

/// Jenks is exact (Fisher–Jenks dynamic programming, O(k n²)) up to this many values;
/// above, it runs on an evenly spaced sample of the sorted values (plus min and max).
inline constexpr std::size_t kJenksExactLimit = 3000;

/// Class edges e_0 <= e_1 <= ... <= e_m: class c holds values in (e_c, e_{c+1}], the
/// first class also e_0 itself. e_0 = min, e_m = max of the finite values (NaN ignored).
/// - Quantile: e_c = the c/k quantile (R's type 7, linear between order statistics).
/// - EqualInterval: e_c = min + c (max − min)/k.
/// - NaturalBreaks: the partition of the sorted values into k runs that minimises the sum
///   of squared deviations from the run means (Fisher 1958); e_c = the largest value of run c.
/// - StdDev: one-sd classes centred on the mean (edges mean ± 0.5 sd, ± 1.5 sd, ...; sample
///   sd, n − 1), clipped to [min, max]; `classes` is ignored.
/// Fewer classes come back when there are fewer distinct values; no finite value = empty.
std::vector<double> class_breaks(std::span<const double> values, Classification method, int classes);

/// The class (0-based) of v for edges from class_breaks; -1 for NaN or an empty edge list.
int class_of(double v, const std::vector<double>& edges);

/// Fisher–Jenks on values already sorted ascending: the last index (exclusive end) of each
/// of the k runs. Exposed for tests.
std::vector<std::size_t> jenks_run_ends(const std::vector<double>& sorted, int k);

const char* classification_name(Classification c);  ///< "quantile", "equal", "jenks", "stddev"
/// "quantile", "equal" (or "equal-interval"), "jenks" (or "natural-breaks"), "stddev".
std::optional<Classification> classification_from_name(const std::string& s);

}  // namespace hq::carto
