#pragma once
// Spatially explicit segregation indices that need unit locations (metric centroids).
#include <vector>

#include "geo/core/progress.hpp"
#include "geo/geometry/types.hpp"
#include "geo/stats/segregation.hpp"
#include "geo/weights/weights.hpp"

namespace hq::seg {

// ---------------------------------------------------------------------------------------
// Single group, spatially explicit (Massey & Denton 1988 unless stated). `centroids` and
// `areas` describe the units in a metric CRS (PySAL warns on geographic CRSs; the library
// takes whatever numbers it is given).
// ---------------------------------------------------------------------------------------

/// PySAL's proximity for the distance-decay family: for i ≠ j,
/// c_ij = 1 − exp(−d_ij / Σ_k d_kj) (distances normalised by column sums), and
/// c_ii = 1 − exp(−(α a_i)^β). Not Massey & Denton's exp(−d_ij); see docs/segregation.md.
struct ProximityOptions {
    double alpha = 0.6;
    double beta = 0.5;
    unsigned threads = 0;
};

/// The five indices built on c_ij, in one O(n²) time, O(n) memory computation:
/// spatial_proximity, absolute_clustering, relative_clustering,
/// distance_decay_isolation, distance_decay_interaction.
std::vector<IndexValue> distance_decay_indices(const GroupCounts& c, const std::vector<Vec2>& centroids,
                                               const std::vector<double>& areas,
                                               const ProximityOptions& o = {}, const Progress& progress = {});
/// `spatial_proximity`: SP = (X Pxx + Y Pyy) / (T Ptt), Paa = Σ_ij a_i a_j c_ij / A².
double spatial_proximity(const GroupCounts& c, const std::vector<Vec2>& centroids, const std::vector<double>& areas,
                         const ProximityOptions& o = {});
/// `absolute_clustering`: ACL = (Σ_i (x_i/X) Σ_j c_ij x_j − (X/n²) Σ c) /
/// (Σ_i (x_i/X) Σ_j c_ij t_j − (X/n²) Σ c).
double absolute_clustering(const GroupCounts& c, const std::vector<Vec2>& centroids,
                           const std::vector<double>& areas, const ProximityOptions& o = {});
/// `relative_clustering`: RCL = Pxx/Pyy − 1 with PySAL's Pxx = Σ_ij x_j² c_ij / X² (not
/// Massey & Denton's Σ_ij x_i x_j c_ij / X²: a broadcasting quirk we keep for comparability).
double relative_clustering(const GroupCounts& c, const std::vector<Vec2>& centroids,
                           const std::vector<double>& areas, const ProximityOptions& o = {});
/// `distance_decay_isolation`: DPxx = Σ_i (x_i/X) Σ_j K_ij (x_j/t_j), Morgan (1983),
/// "A distance-decay based interaction index to measure residential segregation", Area 15.
/// PySAL's K_ij = c_ij t_j / Σ_k c_jk t_k (normalised by the column's unit, not row i).
double distance_decay_isolation(const GroupCounts& c, const std::vector<Vec2>& centroids,
                                const std::vector<double>& areas, const ProximityOptions& o = {});
/// `distance_decay_interaction`: DPxy = Σ_i (x_i/X) Σ_j K_ij (y_j/t_j), Morgan (1983).
double distance_decay_interaction(const GroupCounts& c, const std::vector<Vec2>& centroids,
                                  const std::vector<double>& areas, const ProximityOptions& o = {});

/// `delta`: DEL = ½ Σ |x_i/X − a_i/A| (Hoover 1941; Massey & Denton 1988).
double delta(const GroupCounts& c, const std::vector<double>& areas);
/// `absolute_concentration`: ACO of Massey & Denton (1988), with PySAL's n1/n2 (the
/// smallest units, resp. largest, whose cumulative population first reaches X; its issue #43).
double absolute_concentration(const GroupCounts& c, const std::vector<double>& areas);
/// `relative_concentration`: RCO of Massey & Denton (1988), same n1/n2.
double relative_concentration(const GroupCounts& c, const std::vector<double>& areas);

/// The centre for the centralization indices (PySAL's `center=`).
struct Center {
    enum class Kind { Mean, Median, PopulationWeightedMean, LargestPopulation, Point, Unit };
    Kind kind = Kind::Mean;
    Vec2 point;             ///< Kind::Point
    std::size_t unit = 0;   ///< Kind::Unit: that unit's centroid
};
/// `absolute_centralization`: ACE = Σ_{k≥2} X_{k−1} A_k − Σ_{k≥2} X_k A_{k−1}, units sorted by
/// distance to the centre, X_k, A_k cumulative shares of the group and of the area.
double absolute_centralization(const GroupCounts& c, const std::vector<Vec2>& centroids,
                               const std::vector<double>& areas, const Center& center = {});
/// `relative_centralization`: RCE = Σ X_{k−1} Y_k − Σ X_k Y_{k−1}, Y the other group.
double relative_centralization(const GroupCounts& c, const std::vector<Vec2>& centroids,
                               const Center& center = {});
/// `local_relative_centralization`: for each unit, RCE on the unit and its k nearest
/// neighbours (by centroid, ties by input order) with the unit as centre. Folch & Rey
/// (2016), "The centralization index: a measure of local spatial segregation", Pap. Reg.
/// Sci. 95(3). PySAL: k = 5. Units whose neighbourhood has no group member or no one else
/// are NaN.
std::vector<double> local_relative_centralization(const GroupCounts& c, const std::vector<Vec2>& centroids,
                                                  std::size_t k = 5);

/// `spatial_dissim`: SD = D − Σ_ij c_ij |p_i − p_j| / Σ_ij c_ij, c the given weights (PySAL:
/// binary queen contiguity, not standardised). Morrill (1991), "On the measure of
/// geographic segregation", Geogr. Res. Forum 11. With `standardize`, rows are divided by
/// their sums first (islands keep an empty row; PySAL: NaN).
double spatial_dissim(const GroupCounts& c, const Weights& w, bool standardize = false);
/// `boundary_spatial_dissim`: the same with c_ij the length of the boundary shared by i and
/// j, row-standardised by default (PySAL's class default). Wong (1993), "Spatial indices of
/// segregation", Urban Stud. 30(3); Hong, O'Sullivan & Sadahiro (2014), PLoS ONE 9(11).
double boundary_spatial_dissim(const GroupCounts& c, const Weights& shared_lengths, bool standardize = true);
/// `par_dissim`: PARD = D − Σ_ij c_ij |p_i − p_j| (PA_i + PA_j) / (2 max PA), PA = perimeter /
/// area, c the shared boundary lengths divided by their total (standardize, the default).
/// Wong (1993) as corrected by Tivadar (2019), "OasisR", J. Stat. Softw. 89, Appendix 1.
double par_dissim(const GroupCounts& c, const Weights& shared_lengths, const std::vector<double>& perimeters,
                  const std::vector<double>& areas, bool standardize = true);

/// `spatial_prox_prof`: Hong & Sadahiro (2014), "Measuring geographic segregation: a
/// graph-based approach", J. Geogr. Syst. 16(2). For each θ on PySAL's grid (1000 points
/// j/999, sums divided by 1000, as `con_prof`), η(θ) = (k² − k) / Σ_{i,j∈G(θ)} δ_ij with
/// G(θ) the k units with p_i ≥ θ and δ the shortest-path length in links of the contiguity
/// graph `w` (PySAL: queen; η = 0 when undefined or when G(θ) is disconnected). O(n (n + links))
/// time by one breadth-first search per unit, O(n) memory.
double spatial_prox_prof(const GroupCounts& c, const Weights& w, const Progress& progress = {},
                         unsigned threads = 0);

/// Rook neighbours (hq::contiguity_weights) weighted by the length of the shared boundary,
/// measured by GEOS as the length of the polygons' intersection (PySAL's
/// `_return_length_weighted_w`). Coordinates must be metric for lengths in metres.
Weights shared_boundary_weights(const std::vector<Geometry>& polygons, const Progress& progress = {},
                                unsigned threads = 0);
/// Perimeter of each polygonal geometry (every ring, holes included), as shapely's `length`.
std::vector<double> perimeters(const std::vector<Geometry>& polygons);

// ---------------------------------------------------------------------------------------
// Batch
// ---------------------------------------------------------------------------------------

/// What the spatial single-group indices need to know about the units (metric CRS).
/// For units that are not all polygons leave areas, perimeters and shared_lengths empty:
/// the indices that need them are left out.
struct SpatialInputs {
    std::vector<Vec2> centroids;   ///< area-weighted polygon centroids
    std::vector<double> areas;
    std::vector<double> perimeters;
    Weights queen;                 ///< the contiguity weights (spatial_dissim, spatial_prox_prof); n = 0: left out
    Weights shared_lengths;        ///< rook pairs weighted by shared boundary length
};
/// Builds SpatialInputs from polygons (GEOS centroids, planar areas, perimeters, queen
/// contiguity and shared boundary lengths).
SpatialInputs spatial_inputs(const std::vector<Geometry>& polygons, const Progress& progress = {},
                             unsigned threads = 0);

struct SpatialSuiteOptions {
    /// The O(n²) indices (spatial_prox_prof and the distance-decay family) only up to this
    /// many units; above it they are left out with a note.
    std::size_t max_quadratic_units = static_cast<std::size_t>(-1);
    /// Non-null: an index the geometry cannot give (no neighbours, no area) is left out with
    /// a note here instead of failing the whole suite.
    std::vector<std::string>* notes = nullptr;
};

/// Every single-group spatial index the inputs allow, in the order: spatial_dissim,
/// boundary_spatial_dissim, par_dissim, spatial_prox_prof, spatial_proximity,
/// absolute_clustering, relative_clustering, distance_decay_isolation,
/// distance_decay_interaction, delta, absolute_concentration, relative_concentration,
/// absolute_centralization, relative_centralization (centre: mean of the centroids).
/// Cost: O(n²) time (distance-decay family, spatial_prox_prof), O(n) memory; about 10 s of
/// CPU at 10k units (3 × n² exponentials): bound it with max_quadratic_units. This is the
/// one suite: geo/analysis (the CLI's `indices`, the report) calls it.
std::vector<IndexValue> single_group_spatial(const GroupCounts& c, const SpatialInputs& in,
                                             const Progress& progress = {}, const SpatialSuiteOptions& options = {});
const std::vector<std::string>& single_group_spatial_ids();

// ---------------------------------------------------------------------------------------
// Spatially implicit indices (PySAL's `distance=` and `w=`): the aspatial formulas applied
// to each unit's local environment.
// ---------------------------------------------------------------------------------------

/// The triangular kernel PySAL uses by default for `distance=h`: w_ij = 1 − d_ij/h for
/// d_ij ≤ h on centroid distances, diagonal 1 (libpysal Kernel + fill_diagonal).
Weights environment_kernel(const std::vector<Vec2>& centroids, double bandwidth, const Progress& progress = {},
                           unsigned threads = 0);
/// Local environments: every count replaced by Σ_j w_ij x_j with w_ii forced to 1, rounded to
/// an integer half to even (PySAL's `.round(0)`): group, total and complement (t − x, into
/// GroupCounts::other, read by min_max only) separately, as PySAL's SingleGroupIndex. Not literally
/// Reardon & O'Sullivan (2004), who keep the unsmoothed totals as weights; see docs.
GroupCounts local_environment(const GroupCounts& c, const Weights& w);
CountMatrix local_environment(const CountMatrix& m, const Weights& w);

// ---------------------------------------------------------------------------------------
// Multigroup with locations
// ---------------------------------------------------------------------------------------

/// `local_distortion`: the distortion coefficient of each unit (Olteanu, Randon-Furling &
/// Clark 2019, "Segregation through the multiscalar lens", PNAS 116(25); de Bézenac,
/// Clark, Olteanu & Randon-Furling 2022, Geogr. Anal. 54(1)). For unit i, sort all units
/// by centroid distance from i (ties by input order), grow the neighbourhood one unit at
/// a time and sum KL(q_j ‖ P) over all n steps, q_j the group shares of the j nearest
/// units (PySAL's unnormalised form). Steps whose cumulative population is still 0 are
/// skipped (PySAL: NaN). O(n² (k + log n)) time, O(n) memory per thread: meant for up to
/// a few thousand units. `centroids` are in a metric CRS, one per unit.
std::vector<double> local_distortion(const CountMatrix& m, const std::vector<Vec2>& centroids,
                                     const Progress& progress = {}, unsigned threads = 0);
/// `global_distortion`: (1/T) Σ_i t_i · local_distortion_i.
double global_distortion(const CountMatrix& m, const std::vector<Vec2>& centroids, const Progress& progress = {},
                         unsigned threads = 0);

}  // namespace hq::seg
