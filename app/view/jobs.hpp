#pragma once
// Background jobs (ImHex's task manager, Tracy's loader): a job copies its inputs when it
// is submitted, runs on its own thread with progress atomics and a cancel flag, and its
// result (shared_ptr<const T>) or error is handed to the main thread by poll() at the start
// of the next frame. ImGui is never called off the main thread.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "geo/core/progress.hpp"

namespace hq::view {

struct JobStatus {
    std::string slot;      ///< jobs in one slot replace each other (a newer request cancels the older)
    std::string label;     ///< shown next to the progress bar
    double fraction = 0;   ///< 0..1
    std::string stage;
};

struct JobError {
    std::string label;
    std::string message;
};

/// What a job's work function gets: its progress (report + cancel check) and sub-ranges
/// of it for the steps of a longer job.
struct JobContext {
    const Progress& progress;
    const std::atomic<bool>* cancel;
    /// A Progress mapping [0, 1] onto [lo, hi] of this job's bar, sharing its cancel flag.
    [[nodiscard]] Progress sub(double lo, double hi, std::string stage) const {
        return Progress(
            [this, lo, hi, stage = std::move(stage)](double f, std::string_view) {
                progress.report(lo + (hi - lo) * (f < 0 ? 0 : f > 1 ? 1 : f), stage);
            },
            cancel);
    }
};

class Controller;

class JobRunner {
public:
    /// `wake` is called from a worker thread when a job finishes (e.g. glfwPostEmptyEvent).
    explicit JobRunner(std::function<void()> wake = {});
    ~JobRunner();  ///< cancels and joins every job
    JobRunner(const JobRunner&) = delete;
    JobRunner& operator=(const JobRunner&) = delete;

private:
    friend class Controller;  // the one place that submits jobs (app.hpp)
    /// Starts `work` on a thread. `work` gets a JobContext (progress, cancel); its result is
    /// passed to `done` on the main thread during poll(). A job already running in `slot`
    /// is cancelled and its result dropped.
    template <class T>
    void submit(std::string slot, std::string label, std::function<T(const JobContext&)> work,
                std::function<void(std::shared_ptr<const T>)> done) {
        auto erased_work = [w = std::move(work)](const JobContext& p) -> std::shared_ptr<const void> {
            return std::make_shared<const T>(w(p));
        };
        auto erased_done = [d = std::move(done)](std::shared_ptr<const void> r) {
            d(std::static_pointer_cast<const T>(std::move(r)));
        };
        start(std::move(slot), std::move(label), std::move(erased_work), std::move(erased_done));
    }

public:
    /// Main thread, start of a frame: joins finished jobs, calls their `done` in submission
    /// order, and collects errors. Returns true when something was published.
    bool poll();
    void cancel(const std::string& slot);
    void cancel_all();
    [[nodiscard]] bool busy() const;
    [[nodiscard]] bool busy(const std::string& slot) const;
    [[nodiscard]] std::vector<JobStatus> status() const;
    /// Errors since the last call (exceptions from jobs; cancellations are not errors).
    std::vector<JobError> take_errors();

private:
    struct Job;
    void start(std::string slot, std::string label, std::function<std::shared_ptr<const void>(const JobContext&)> work,
               std::function<void(std::shared_ptr<const void>)> done);

    std::function<void()> m_wake;
    mutable std::mutex m_mutex;
    std::vector<std::shared_ptr<Job>> m_jobs;
    std::vector<JobError> m_errors;
};

}  // namespace hq::view
