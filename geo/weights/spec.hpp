#pragma once
// The one weights grammar of huqian (the command line, the viewer, the map scene and the
// report all spell weights this way; docs/autocorrelation.md), and the one rule for units
// that do not touch:
//   queen[:TOL] | rook[:TOL]          contiguity, optional snapping tolerance (metres)
//   knn:K                             K nearest centroids (alias: knnK, e.g. knn6)
//   distance:M[:inverse[:POWER]]      distance band of M metres, binary or inverse distance
//   kernel:NAME:M                     kernel with fixed bandwidth M metres
//   kernel:NAME:knn:K                 kernel with adaptive bandwidth (K-th neighbour)
//   gal:FILE | gwt:FILE               a GeoDa/PySAL weights file, matched to the feature ids
//                                     (alias: file:FILE)
#include <cstddef>
#include <string>

#include "geo/core/progress.hpp"
#include "geo/io/layer.hpp"
#include "geo/weights/contiguity.hpp"
#include "geo/weights/distance.hpp"
#include "geo/weights/weights.hpp"

namespace hq {

struct WeightsSpec {
    enum class Kind : std::uint8_t { Queen, Rook, Knn, Distance, Kernel, File };
    Kind kind = Kind::Queen;
    double tolerance = 0.0;        ///< contiguity snapping
    std::size_t k = 0;             ///< knn, adaptive kernel
    double distance = 0.0;         ///< band threshold or fixed kernel bandwidth
    bool inverse = false;          ///< distance band: inverse distance
    double power = 1.0;
    KernelFunction kernel = KernelFunction::Triangular;
    bool adaptive = false;
    std::string file;
    std::string text;              ///< as given

    /// The canonical spelling ("knn:6" for "knn6", "queen" for "queen:0"): what JSON
    /// outputs print as `requested` and `used`.
    [[nodiscard]] std::string canonical() const;
    [[nodiscard]] bool contiguity() const { return kind == Kind::Queen || kind == Kind::Rook; }
};

/// The forms parse_weights_spec accepts, for help texts and messages.
const char* weights_spec_forms();

/// Throws InputError "--weights TEXT: why (expected ...)" for anything else.
WeightsSpec parse_weights_spec(const std::string& text);

/// Weights as built, with what was asked for and what was used (the fallback rule below).
struct BuiltWeights {
    Weights weights;               ///< not row-standardised
    WeightsSpec requested;
    WeightsSpec used;              ///< == requested unless `fallback`
    bool fallback = false;         ///< contiguity was replaced by the k nearest neighbours
    std::size_t contiguity_islands = 0;  ///< units contiguity left without a neighbour
    bool points = false;           ///< contiguity asked for units that are not all polygons
    /// One line saying which weights were used and why ("" without a fallback).
    [[nodiscard]] std::string note_en() const;
    [[nodiscard]] std::string note_zh() const;
};

/// THE weights of every analysis (the one fallback rule, docs/autocorrelation.md):
/// contiguity specs (queen/rook, with their tolerance) are built as asked; when contiguity
/// leaves **more than a quarter** of the units without a neighbour (courtyards separated by
/// lanes), or the units are not all polygons, the k = min(6, n − 1) nearest points on
/// surface are used instead (hq::lisa_weights). Every other kind is built exactly as asked:
/// the layer's metric geometries (centroids for point-based kinds), or the file read and
/// aligned to the feature ids. Binary for queen/rook/knn/binary distance; as defined
/// otherwise. No row standardisation here.
struct WeightsBuildOptions {
    unsigned threads = 0;              ///< 0 = all cores; results do not depend on it
    bool kernel_diagonal_one = false;  ///< kernel: self weight 1 (PySAL segregation) instead of K(0)
};
BuiltWeights resolve_weights(const WeightsSpec& spec, const Layer& layer, const Progress& progress = {},
                             const WeightsBuildOptions& options = {});

/// Representative points: the point for point features, else the centroid.
std::vector<Vec2> layer_points(const Layer& layer);

/// The same weights without self links (j = i).
Weights without_self(const Weights& w);

}  // namespace hq
