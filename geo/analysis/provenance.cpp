#include "geo/analysis/provenance.hpp"

namespace hq::analysis {

WeightsProvenance weights_provenance(const BuiltWeights& b) {
    WeightsProvenance p;
    p.requested = b.requested.canonical();
    p.used = b.used.canonical();
    p.fallback = b.fallback;
    p.contiguity_islands = b.contiguity_islands;
    const NeighbourStats s = b.weights.stats();
    p.islands = s.islands;
    p.min_neighbours = s.min_neighbours;
    p.mean_neighbours = s.mean_neighbours;
    p.max_neighbours = s.max_neighbours;
    p.symmetric = s.symmetric;
    p.note_zh = b.note_zh();
    p.note_en = b.note_en();
    return p;
}

}  // namespace hq::analysis
