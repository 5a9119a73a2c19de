#pragma once
// The one fallback rule for units that do not touch (every analysis applies it through
// hq::resolve_weights, geo/weights/spec.hpp): contiguity where units touch, the nearest
// neighbours where they do not.
#include <cstddef>
#include <string>
#include <vector>

#include "geo/core/progress.hpp"
#include "geo/geometry/types.hpp"
#include "geo/weights/contiguity.hpp"
#include "geo/weights/weights.hpp"

namespace hq {

/// k of the nearest-neighbour fallback (capped at n − 1).
inline constexpr std::size_t k_lisa_fallback_neighbours = 6;

struct LisaWeights {
    Weights weights;              ///< binary, not row-standardised
    bool nearest = false;         ///< the k-nearest fallback was used
    std::size_t k = 0;            ///< its k (0 when contiguity was kept)
    std::size_t contiguity_islands = 0;  ///< units contiguity left without a neighbour
    bool points = false;          ///< the units are not all polygons (no contiguity tried)
    /// One line saying which weights were used and why ("" when contiguity was kept).
    [[nodiscard]] std::string note_en() const;
    [[nodiscard]] std::string note_zh() const;
};

/// Contiguity as `contiguity` says (queen, tolerance 0 by default); when it leaves **more than a quarter** of the
/// units without a neighbour (courtyards separated by streets), or the units are not all
/// polygons, the k = min(6, n − 1) nearest representative points (point on surface; a
/// point unit's own point) instead. Empty units stay islands either way. Fewer than 2
/// units with a location: no links at all (every unit an island), not an error.
LisaWeights lisa_weights(const std::vector<Geometry>& units, const ContiguityOptions& contiguity,
                         const Progress& progress = {});
inline LisaWeights lisa_weights(const std::vector<Geometry>& units, ContiguityKind kind = ContiguityKind::Queen,
                                const Progress& progress = {}) {
    ContiguityOptions o;
    o.kind = kind;
    return lisa_weights(units, o, progress);
}

}  // namespace hq
