#pragma once
// Sparse spatial weights in compressed-row (CSR) form.
//
// Row i lists the neighbours of unit i (ids sorted ascending, no duplicates) and the weight
// w_ij of each. A row with no entries is an island. A unit may list itself (kernel weights
// and G* do); contiguity, k-nearest and distance-band weights never do.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace hq {

/// How the values were produced; row standardisation and symmetrisation update it.
enum class WeightsStyle : std::uint8_t {
    Binary,            ///< every w_ij = 1 (spdep style "B")
    RowStandardised,   ///< rows sum to 1, islands excepted (spdep style "W")
    General,           ///< anything else (inverse distance, kernel, read from a .gwt)
};

struct NeighbourStats {
    std::size_t n = 0;
    std::size_t islands = 0;         ///< rows with no neighbour
    std::size_t links = 0;           ///< non-zero entries (self entries included)
    std::size_t min_neighbours = 0;
    std::size_t max_neighbours = 0;
    double mean_neighbours = 0.0;
    double percent_nonzero = 0.0;    ///< 100 · links / n²
    bool symmetric = true;           ///< structure and values
};

/// The global constants of a weights matrix (Cliff & Ord; spdep's spweights.constants):
/// S0 = Σ_ij w_ij, S1 = ½ Σ_ij (w_ij + w_ji)², S2 = Σ_i (w_i· + w_·i)².
struct WeightsConstants {
    double s0 = 0.0;
    double s1 = 0.0;
    double s2 = 0.0;
};

struct Weights {
    std::size_t n = 0;
    std::vector<std::size_t> offsets{0};       ///< n + 1 entries; row i is [offsets[i], offsets[i+1])
    std::vector<std::uint32_t> neighbours;     ///< neighbour ids, sorted within each row
    std::vector<double> values;                ///< w_ij, parallel to `neighbours`
    WeightsStyle style = WeightsStyle::Binary;

    /// Builds from adjacency lists (each row is sorted and deduplicated here; a duplicate
    /// pair keeps the first weight). `w` empty = binary weights.
    static Weights from_lists(std::vector<std::vector<std::uint32_t>> nbrs,
                              std::vector<std::vector<double>> w = {},
                              WeightsStyle style = WeightsStyle::Binary);

    [[nodiscard]] std::size_t cardinality(std::size_t i) const { return offsets[i + 1] - offsets[i]; }
    [[nodiscard]] std::span<const std::uint32_t> row(std::size_t i) const {
        return {neighbours.data() + offsets[i], cardinality(i)};
    }
    [[nodiscard]] std::span<const double> row_values(std::size_t i) const {
        return {values.data() + offsets[i], cardinality(i)};
    }
    /// w_ij, 0 when j is not a neighbour of i (binary search in row i).
    [[nodiscard]] double weight(std::size_t i, std::size_t j) const;
    [[nodiscard]] bool has_self_neighbours() const;

    /// Ids of units with no neighbour, ascending.
    [[nodiscard]] std::vector<std::size_t> islands() const;
    [[nodiscard]] NeighbourStats stats() const;
    [[nodiscard]] WeightsConstants constants() const;

    /// Each non-empty row divided by its sum (islands stay empty). Throws InputError if a
    /// row sums to 0 or is not finite.
    [[nodiscard]] Weights row_standardised() const;
    /// Union of the neighbour sets (spdep make.sym.nb): j ∈ N(i) or i ∈ N(j) makes a link
    /// both ways; the value is max(w_ij, w_ji) (a one-way binary link becomes 1 both ways).
    [[nodiscard]] Weights symmetrised() const;
    /// The same weights with a self-link of value `self_weight` added to (or set in)
    /// every row: spdep include.self, used for G*.
    [[nodiscard]] Weights with_self(double self_weight = 1.0) const;
    /// Every value set to 1.
    [[nodiscard]] Weights binary() const;
    /// Transpose (w'_ij = w_ji).
    [[nodiscard]] Weights transposed() const;

    /// Spatial lag (W·x)_i = Σ_j w_ij x_j. x.size() must be n.
    [[nodiscard]] std::vector<double> lag(std::span<const double> x) const;

    /// Throws std::logic_error if the structure is inconsistent (offsets, sorting, ids).
    void validate() const;
};

bool operator==(const Weights& a, const Weights& b);

const char* weights_style_name(WeightsStyle s);

}  // namespace hq
