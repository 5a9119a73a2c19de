#pragma once
// Progress reporting and cooperative cancellation for long computations.
// The viewer polls progress through the callback (atomics on its side); the CLI prints
// it on stderr when stderr is a terminal.
#include <atomic>
#include <functional>
#include <string_view>

#include "geo/core/error.hpp"

namespace hq {

class Progress {
public:
    using Callback = std::function<void(double fraction, std::string_view stage)>;

    Progress() = default;
    Progress(Callback callback, const std::atomic<bool>* cancel)
        : m_callback(std::move(callback)), m_cancel(cancel) {}

    /// fraction in [0, 1]; safe to call from worker threads if the callback is.
    void report(double fraction, std::string_view stage = {}) const {
        if (m_callback) m_callback(fraction, stage);
    }
    [[nodiscard]] bool cancelled() const {
        return m_cancel != nullptr && m_cancel->load(std::memory_order_relaxed);
    }
    /// Throws hq::Cancelled when the cancel flag is raised.
    void check() const {
        if (cancelled()) throw Cancelled();
    }

private:
    Callback m_callback;
    const std::atomic<bool>* m_cancel = nullptr;
};

}  // namespace hq
