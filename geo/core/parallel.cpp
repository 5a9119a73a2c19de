#include "geo/core/parallel.hpp"

#include <cstdlib>
#include <string>

namespace hq {

unsigned default_thread_count() {
    if (const char* env = std::getenv("HUQIAN_THREADS")) {
        try {
            const int n = std::stoi(env);
            if (n > 0) return static_cast<unsigned>(n);
        } catch (...) {
        }
    }
    const unsigned hw = std::thread::hardware_concurrency();
    return hw == 0 ? 1 : hw;
}

void parallel_for(std::size_t n, const std::function<void(std::size_t)>& body, const Progress& progress,
                  unsigned threads, std::size_t chunk) {
    if (n == 0) return;
    if (threads == 0) threads = default_thread_count();
    if (chunk == 0) chunk = std::max<std::size_t>(1, n / (std::size_t{threads} * 16));
    threads = static_cast<unsigned>(std::min<std::size_t>(threads, (n + chunk - 1) / chunk));

    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> done{0};
    std::atomic<bool> failed{false};
    std::exception_ptr error;
    std::mutex error_mutex;
    const std::thread::id main_id = std::this_thread::get_id();

    auto worker = [&]() {
        try {
            for (;;) {
                if (failed.load(std::memory_order_relaxed)) return;
                progress.check();
                const std::size_t begin = next.fetch_add(chunk);
                if (begin >= n) return;
                const std::size_t end = std::min(n, begin + chunk);
                for (std::size_t i = begin; i < end; ++i) body(i);
                const std::size_t d = done.fetch_add(end - begin) + (end - begin);
                // Only the calling thread reports, so callbacks need not be thread-safe.
                if (std::this_thread::get_id() == main_id) progress.report(static_cast<double>(d) / static_cast<double>(n));
            }
        } catch (...) {
            std::lock_guard<std::mutex> lock(error_mutex);
            if (!error) error = std::current_exception();
            failed.store(true);
        }
    };

    std::vector<std::thread> pool;
    pool.reserve(threads > 0 ? threads - 1 : 0);
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    if (error) std::rethrow_exception(error);
    progress.report(1.0);
}

namespace {
std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
__extension__ typedef unsigned __int128 u128;
}  // namespace

Rng::Rng(std::uint64_t seed, std::uint64_t stream) {
    std::uint64_t x = seed ^ (stream * 0xD1B54A32D192ED03ull + 0x8CB92BA72F3D8DD7ull);
    // Mix the stream twice so (seed, stream) pairs that differ in one bit diverge.
    splitmix64(x);
    x ^= stream;
    for (auto& s : m_s) s = splitmix64(x);
}

std::uint64_t Rng::below(std::uint64_t n) {
    if (n <= 1) return 0;
    // Lemire 2019, "Fast random integer generation in an interval".
    u128 m = static_cast<u128>((*this)()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
        const std::uint64_t threshold = (0 - n) % n;
        while (low < threshold) {
            m = static_cast<u128>((*this)()) * n;
            low = static_cast<std::uint64_t>(m);
        }
    }
    return static_cast<std::uint64_t>(m >> 64);
}


}  // namespace hq
