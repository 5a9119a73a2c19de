#pragma once
// Spatially implicit segregation indices and multiscalar profiles, following PySAL
// `segregation` (SpatialImplicitIndex, _build_local_environment, compute_multiscalar_profile).
//
// A unit's local environment ("egohood") is the kernel-weighted sum of the counts around
// it: s_i = Σ_j w_ij v_j with w_ii = 1 (libpysal fill_diagonal) and, for j ≠ i,
// w_ij = K(d_ij / h) when the centroid distance d_ij ≤ h (libpysal Kernel with a fixed
// bandwidth; the triangular kernel K(z) = 1 − z by default). PySAL rounds every smoothed
// column to an integer, half to even (pandas `round(0)`), and then applies the aspatial
// formula to the smoothed counts; we do the same (docs/segregation-inference.md).
// Single-group indices smooth the group, the total and the complement t − x as three
// columns (PySAL's group_pop_var, total_pop_var and group_2_pop_var); only `min_max` reads
// the smoothed complement (GroupCounts::other), every other index total − group.
//
// Neighbours within h come from a uniform grid of cell size h over the centroids: no n × n
// matrix; O(n · neighbours) time. Each unit sums its neighbours in a fixed order, so the
// result does not depend on the thread count.
#include <cstddef>
#include <string>
#include <vector>

#include "geo/core/progress.hpp"
#include "geo/geometry/types.hpp"
#include "geo/stats/segregation.hpp"
#include "geo/weights/distance.hpp"
#include "geo/weights/weights.hpp"

namespace hq::seg {

struct LocalEnvironmentOptions {
    double bandwidth = 0.0;  ///< h in the units of the centroids (metres); 0 = no smoothing
    KernelFunction function = KernelFunction::Triangular;  ///< libpysal constants (hq::kernel_value)
    bool round_half_even = true;  ///< PySAL rounds the local sums to integers
    unsigned threads = 0;
};

/// Kernel-smoothed local sums of an n × k row-major table (k columns per unit).
/// Throws InputError if the sizes disagree, a centroid is not finite or h < 0.
std::vector<double> local_sums(const std::vector<Vec2>& centroids, const std::vector<double>& values,
                               std::size_t columns, const LocalEnvironmentOptions& options,
                               const Progress& progress = {});
/// The same with arbitrary weights (PySAL's `w=`): s_i = v_i + Σ_{j≠i} w_ij v_j (the
/// diagonal forced to 1, as libpysal fill_diagonal).
std::vector<double> local_sums(const Weights& w, const std::vector<double>& values, std::size_t columns,
                               bool round_half_even = true);

/// Local environments of single-group counts: group, total and complement smoothed and rounded.
GroupCounts local_environment(const GroupCounts& c, const std::vector<Vec2>& centroids,
                              const LocalEnvironmentOptions& options, const Progress& progress = {});
/// Local environments of a count matrix: every group column smoothed and rounded.
/// (With arbitrary weights, PySAL's `w=`, use seg::local_environment(c, w) of
/// segregation_spatial.hpp, or local_sums above.)
CountMatrix local_environment(const CountMatrix& m, const std::vector<Vec2>& centroids,
                              const LocalEnvironmentOptions& options, const Progress& progress = {});

// ---------------------------------------------------------------------------------------
// Indices by id.
// ---------------------------------------------------------------------------------------

/// True for the ids single_group_index accepts (single_group_aspatial_ids()).
bool is_single_group_id(const std::string& id);
/// True for the ids multigroup_aspatial_ids() lists.
bool is_multigroup_id(const std::string& id);
/// One aspatial multigroup index by id (multi_diversity unnormalised, as PySAL's default);
/// throws InputError on an unknown id.
double multigroup_index_by_id(const std::string& id, const CountMatrix& m);

// ---------------------------------------------------------------------------------------
// Multiscalar profile (Reardon et al. 2008, "The geographic scale of metropolitan racial
// segregation", Demography 45(3); PySAL compute_multiscalar_profile).
// ---------------------------------------------------------------------------------------

struct ProfileOptions {
    std::vector<double> distances;  ///< bandwidths h > 0, in the order given
    KernelFunction function = KernelFunction::Triangular;
    bool include_zero = true;  ///< first point at distance 0 = the aspatial index (as PySAL)
    RandomOptions random;      ///< for the randomised single-group indices
    unsigned threads = 0;
};

struct ProfilePoint {
    double distance = 0.0;
    double value = 0.0;
};

/// The index `id` on the local environments at each distance. Single-group ids take a
/// GroupCounts, multigroup ids a CountMatrix. Throws InputError for an unknown id, a
/// distance that is not finite and > 0, or centroids of the wrong size.
std::vector<ProfilePoint> multiscalar_profile(const std::string& id, const GroupCounts& c,
                                              const std::vector<Vec2>& centroids, const ProfileOptions& options,
                                              const Progress& progress = {});
std::vector<ProfilePoint> multiscalar_profile(const std::string& id, const CountMatrix& m,
                                              const std::vector<Vec2>& centroids, const ProfileOptions& options,
                                              const Progress& progress = {});

}  // namespace hq::seg
