#pragma once
// A weights specification as the command line and the viewer spell it, and building it
// for a layer:
//   queen[:TOL] | rook[:TOL]          contiguity, optional snapping tolerance (metres)
//   knn:K                             K nearest centroids
//   distance:M[:inverse[:POWER]]      distance band of M metres, binary or inverse distance
//   kernel:NAME:M                     kernel with fixed bandwidth M metres
//   kernel:NAME:knn:K                 kernel with adaptive bandwidth (K-th neighbour)
//   gal:FILE | gwt:FILE               a GeoDa/PySAL weights file, matched to the feature ids
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
};

/// Throws InputError with the accepted forms for anything else.
WeightsSpec parse_weights_spec(const std::string& text);

/// Builds the weights for the layer's metric geometries (centroids for point-based kinds),
/// or reads and aligns the file. Binary for queen/rook/knn/binary distance; as defined
/// otherwise. No row standardisation here.
Weights build_weights(const WeightsSpec& spec, const Layer& layer, const Progress& progress = {},
                      unsigned threads = 0);

/// Representative points: the point for point features, else the centroid.
std::vector<Vec2> layer_points(const Layer& layer);

/// The same weights without self links (j = i).
Weights without_self(const Weights& w);

}  // namespace hq
