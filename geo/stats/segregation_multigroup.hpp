#pragma once
// Multigroup segregation indices and local (per-unit) indices, following PySAL
// `segregation`. Notation: x_ik counts of group k in unit i, t_i = Σ_k x_ik (the sum of the
// listed groups), T = Σ t_i, p_ik = x_ik / t_i, P_k = X_k / T,
// I = Σ_k P_k (1 − P_k) (Simpson's interaction), E = Σ_k P_k ln(1/P_k) (entropy).
// Zero-population units contribute nothing to the global indices (every term is weighted
// by t_i); local indices are NaN there. docs/segregation.md has the details.
#include <cstddef>
#include <string>
#include <vector>

#include "geo/stats/segregation.hpp"

namespace hq::seg {

/// `multi_dissim`: D = Σ_i Σ_k t_i |p_ik − P_k| / (2 T I).
/// Sakoda (1981), "A generalized index of dissimilarity", Demography 18(2).
double multi_dissim(const CountMatrix& m);
/// `multi_gini`: G = Σ_k Σ_i Σ_j t_i t_j |p_ik − p_jk| / (2 T² I).
/// Reardon & Firebaugh (2002), "Measures of multigroup segregation", Sociol. Methodol. 32.
double multi_gini(const CountMatrix& m);
/// `multi_norm_exposure`: P = Σ_i Σ_k t_i (p_ik − P_k)² / (1 − P_k) / T. Reardon & Firebaugh (2002).
double multi_norm_exposure(const CountMatrix& m);
/// `multi_info_theory`: H = Σ_i Σ_k t_i p_ik ln(p_ik / P_k) / (T E). Reardon & Firebaugh (2002).
double multi_info_theory(const CountMatrix& m);
/// `multi_relative_diversity`: R = Σ_i Σ_k t_i (p_ik − P_k)² / (T I).
/// Reardon (1998), Eastern Sociological Society; Reardon & Firebaugh (2002).
double multi_relative_diversity(const CountMatrix& m);
/// `multi_squared_coef_var`: C = Σ_i Σ_k t_i (p_ik − P_k)² / (T (K − 1) P_k). Reardon & Firebaugh (2002).
double multi_squared_coef_var(const CountMatrix& m);
/// `multi_diversity`: E = −Σ_k P_k ln P_k (Theil's entropy); normalised: E / ln K.
/// Theil (1972), "Statistical decomposition analysis"; Reardon & Firebaugh (2002) eq. 2.
double multi_diversity(const CountMatrix& m, bool normalized = false);
/// `simpsons_concentration`: λ = Σ_k P_k². Simpson (1949), "Measurement of diversity", Nature 163.
double simpsons_concentration(const CountMatrix& m);
/// `simpsons_interaction`: I = Σ_k P_k (1 − P_k). Reardon & Firebaugh (2002) eq. 1.
double simpsons_interaction(const CountMatrix& m);
/// `multi_divergence`: D = Σ_i (t_i/T) Σ_k p_ik ln(p_ik / P_k). Roberto (2015), "The
/// divergence index: a decomposable measure of segregation and inequality", arXiv:1508.01167.
double multi_divergence(const CountMatrix& m);

/// Every aspatial multigroup index, in the order (global_distortion, which needs
/// centroids, is in segregation_spatial.hpp).
std::vector<IndexValue> multigroup_aspatial(const CountMatrix& m);
const std::vector<std::string>& multigroup_aspatial_ids();

// ---------------------------------------------------------------------------------------
// Local: one value per unit (NaN at units with zero population).
// ---------------------------------------------------------------------------------------

/// `multi_location_quotient`: LQ_ik = (x_ik / t_i) / (X_k / T), n × k row-major.
/// Isard (1960), "Methods of regional analysis".
std::vector<double> multi_location_quotient(const CountMatrix& m);
/// `multi_local_diversity`: −Σ_k p_ik ln p_ik. Theil (1972).
std::vector<double> multi_local_diversity(const CountMatrix& m);
/// `multi_local_entropy`: −Σ_k p_ik ln p_ik / ln K. Reardon & O'Sullivan (2004),
/// "Measures of spatial segregation", Sociol. Methodol. 34, eq. 6.
std::vector<double> multi_local_entropy(const CountMatrix& m);
/// `multi_local_simpson_concentration`: Σ_k p_ik². Reardon & Firebaugh (2002), local eq. 1.
std::vector<double> multi_local_simpson_concentration(const CountMatrix& m);
/// `multi_local_simpson_interaction`: Σ_k p_ik (1 − p_ik). Reardon & Firebaugh (2002), local eq. 1.
std::vector<double> multi_local_simpson_interaction(const CountMatrix& m);

/// Every aspatial local index (the spatial ones, local_distortion and
/// local_relative_centralization, are in segregation_spatial.hpp).
std::vector<LocalValues> multigroup_local(const CountMatrix& m);

}  // namespace hq::seg
