#pragma once
// What every analysis result records about how it was made: the effective parameters
// (weights requested and used, the fallback, islands, permutations, seed, alpha,
// adjustment) and its notes in Chinese and English. Surfaces print these; they never
// re-derive them.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "geo/weights/spec.hpp"

namespace hq::analysis {

/// A note for a person, in both languages.
struct Note {
    std::string zh;
    std::string en;
};

/// The weights an analysis used.
struct WeightsProvenance {
    std::string requested;           ///< canonical spec asked for ("queen")
    std::string used;                ///< canonical spec used ("knn:6" after the fallback)
    bool fallback = false;           ///< contiguity left too many islands: k nearest used
    std::size_t contiguity_islands = 0;  ///< islands of the contiguity that was tried
    std::size_t islands = 0;         ///< units without a neighbour in the weights used
    std::size_t min_neighbours = 0;
    double mean_neighbours = 0;
    std::size_t max_neighbours = 0;
    bool symmetric = true;
    std::string note_zh, note_en;    ///< the fallback, "" without one
};

WeightsProvenance weights_provenance(const BuiltWeights& b);

/// Permutation inference parameters as used.
struct InferenceParams {
    std::size_t permutations = 0;
    std::uint64_t seed = 0;
    double alpha = 0.05;
    std::string adjust = "none";  ///< none | bonferroni | fdr
};

}  // namespace hq::analysis
