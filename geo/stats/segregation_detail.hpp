#pragma once
// Internal helpers shared by the segregation_*.cpp files. Not part of the API.
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "geo/core/error.hpp"
#include "geo/core/parallel.hpp"
#include "geo/stats/segregation.hpp"

namespace hq::seg::detail {

std::string format_count(double v);
ErrorContext at_field(const ErrorContext& base, const std::string& field);
ErrorContext at_unit(const ErrorContext& base, const std::string& field, std::size_t i);

struct Sums {
    double x = 0.0;  ///< Σ group
    double t = 0.0;  ///< Σ total
    double p = 0.0;  ///< x / t
};
Sums sums(const GroupCounts& c);

/// D on raw arrays, no validation; 0 when the group is empty or the whole population.
double dissim_raw(const double* x, const double* t, std::size_t n);
/// Σ_i Σ_j t_i t_j |p_i − p_j| over ordered pairs of (p, t); sorts pt.
double weighted_abs_pair_sum(std::vector<std::pair<double, double>>& pt);
/// Gini on raw arrays, no validation; buf is scratch space.
double gini_raw(const double* x, const double* t, std::size_t n, std::vector<std::pair<double, double>>& buf);

/// One Binomial(n, p) draw: inversion for n·p < 10, else Hörmann's BTRD (exact, O(1)
/// expected time). n ≤ 0 or p ≤ 0 gives 0, p ≥ 1 gives n.
std::int64_t binomial(Rng& rng, std::int64_t n, double p);

}  // namespace hq::seg::detail
