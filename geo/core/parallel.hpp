#pragma once
// Parallel loops and deterministic random streams.
//
// Determinism whatever the thread count: work is split into tasks by *index*, never by
// thread, and every task i draws from its own stream `Rng(seed, i)`. Results are stored
// by index and combined in index order, so 1 thread and 16 threads give identical output.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "geo/core/progress.hpp"

namespace hq {

/// Number of worker threads to use: HUQIAN_THREADS if set, else hardware concurrency.
unsigned default_thread_count();

/// Calls body(i) for i in [0, n) on `threads` threads (0 = default), in chunks handed out
/// dynamically. Exceptions from body are rethrown (the first one) after all threads stop.
/// Reports progress (done / n) and checks `progress` for cancellation between chunks
/// (then throws hq::Cancelled).
void parallel_for(std::size_t n, const std::function<void(std::size_t)>& body, const Progress& progress = {},
                  unsigned threads = 0, std::size_t chunk = 0);

/// SplitMix64-seeded xoshiro256** generator: fast, small, and with a stream per
/// (seed, stream) pair. Satisfies UniformRandomBitGenerator.
class Rng {
public:
    using result_type = std::uint64_t;
    explicit Rng(std::uint64_t seed, std::uint64_t stream = 0);

    static constexpr result_type min() { return 0; }
    static constexpr result_type max() { return ~result_type{0}; }
    result_type operator()();

    /// Uniform integer in [0, n) without modulo bias (Lemire's method).
    std::uint64_t below(std::uint64_t n);
    /// Uniform double in [0, 1).
    double uniform();

private:
    std::uint64_t m_s[4];
};

/// Partial Fisher–Yates: after the call, v[0..k) is a uniform random k-subset of v
/// (in random order), drawn without replacement.
template <class T>
void partial_shuffle(std::vector<T>& v, std::size_t k, Rng& rng) {
    const std::size_t n = v.size();
    k = std::min(k, n);
    for (std::size_t i = 0; i < k; ++i) {
        const std::size_t j = i + static_cast<std::size_t>(rng.below(n - i));
        std::swap(v[i], v[j]);
    }
}

}  // namespace hq
