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
    /// xoshiro256** (Blackman & Vigna 2018); inline, as permutation loops call it per draw.
    result_type operator()() {
        const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
        const std::uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return result;
    }

    /// Uniform integer in [0, n) without modulo bias (Lemire's method).
    std::uint64_t below(std::uint64_t n);
    /// Uniform integer in [0, n) for n < 2^32: Lemire's method on the top 32 bits, cheaper
    /// than below() in hot loops (a different mapping of the stream than below()).
    std::uint32_t below32(std::uint32_t n) {
        std::uint64_t m = ((*this)() >> 32) * n;
        auto low = static_cast<std::uint32_t>(m);
        if (low < n) {
            const std::uint32_t threshold = (0u - n) % n;
            while (low < threshold) {
                m = ((*this)() >> 32) * n;
                low = static_cast<std::uint32_t>(m);
            }
        }
        return static_cast<std::uint32_t>(m >> 32);
    }
    /// Uniform double in [0, 1).
    double uniform() { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }
    /// A generator whose state is the next four outputs of this one (a sub-stream).
    Rng fork() {
        Rng r;
        for (auto& v : r.m_s) v = (*this)();
        return r;
    }

private:
    Rng() = default;
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
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
