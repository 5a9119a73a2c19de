#pragma once
// The documented size limits on untrusted input (docs/limits.md). Each is checked where the
// input is read, with a message naming the file (and feature) and the limit.
#include <cstddef>
#include <cstdint>

namespace hq {

struct Limits {
    std::uint64_t file_bytes = std::uint64_t{4} << 30;    ///< any input file: 4 GiB
    std::size_t features_per_layer = 2'000'000;            ///< features of a layer, rows of a table
    std::size_t vertices_per_feature = 1'000'000;          ///< vertices of one feature
    std::size_t neighbours_per_unit = 1'000;               ///< contiguity neighbours of one unit
    std::size_t weights_links = 50'000'000;                ///< links of a distance-band or kernel matrix
};

/// The limits in force (the defaults above).
[[nodiscard]] const Limits& limits();

/// Tests only: replaces the limits for the life of this object (not thread-safe; make it
/// before the work starts), so a limit can be tested at its edge on small data.
class ScopedLimits {
public:
    explicit ScopedLimits(const Limits& l);
    ~ScopedLimits();
    ScopedLimits(const ScopedLimits&) = delete;
    ScopedLimits& operator=(const ScopedLimits&) = delete;

private:
    Limits m_saved;
};

}  // namespace hq
