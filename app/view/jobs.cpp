#include "app/view/jobs.hpp"

#include <exception>
#include <new>

#include "geo/core/error.hpp"

namespace hq::view {

struct JobRunner::Job {
    std::string slot, label;
    std::function<std::shared_ptr<const void>(const JobContext&)> work;
    std::function<void(std::shared_ptr<const void>)> done;
    std::atomic<bool> cancel{false};
    std::atomic<bool> finished{false};
    std::atomic<double> fraction{0.0};
    std::mutex stage_mutex;
    std::string stage;
    std::shared_ptr<const void> result;
    std::string error;  // set when work threw (not for cancellation)
    std::thread thread;
};

JobRunner::JobRunner(std::function<void()> wake) : m_wake(std::move(wake)) {}

JobRunner::~JobRunner() {
    cancel_all();
    std::vector<std::shared_ptr<Job>> jobs;
    {
        std::lock_guard lock(m_mutex);
        jobs.swap(m_jobs);
    }
    for (auto& j : jobs)
        if (j->thread.joinable()) j->thread.join();
}

void JobRunner::start(std::string slot, std::string label,
                      std::function<std::shared_ptr<const void>(const JobContext&)> work,
                      std::function<void(std::shared_ptr<const void>)> done) {
    cancel(slot);
    auto job = std::make_shared<Job>();
    job->slot = std::move(slot);
    job->label = std::move(label);
    job->work = std::move(work);
    job->done = std::move(done);
    Job* raw = job.get();
    {
        std::lock_guard lock(m_mutex);
        m_jobs.push_back(job);
    }
    job->thread = std::thread([raw, wake = m_wake]() {
        Progress progress(
            [raw](double f, std::string_view stage) {
                raw->fraction.store(f, std::memory_order_relaxed);
                if (!stage.empty()) {
                    std::lock_guard l(raw->stage_mutex);
                    raw->stage.assign(stage);
                }
            },
            &raw->cancel);
        try {
            const JobContext ctx{progress, &raw->cancel};
            raw->result = raw->work(ctx);
        } catch (const Cancelled&) {
            raw->cancel = true;
        } catch (const std::bad_alloc&) {
            raw->error = "out of memory";
        } catch (const std::exception& e) {
            raw->error = e.what();
        } catch (...) {
            raw->error = "unknown error";
        }
        raw->work = nullptr;  // free captured inputs on the worker
        raw->finished.store(true, std::memory_order_release);
        if (wake) wake();
    });
}

bool JobRunner::poll() {
    std::vector<std::shared_ptr<Job>> done;
    {
        std::lock_guard lock(m_mutex);
        for (auto it = m_jobs.begin(); it != m_jobs.end();) {
            if ((*it)->finished.load(std::memory_order_acquire)) {
                done.push_back(*it);
                it = m_jobs.erase(it);
            } else {
                ++it;
            }
        }
    }
    bool published = false;
    for (auto& j : done) {
        if (j->thread.joinable()) j->thread.join();
        if (j->cancel.load()) continue;
        if (!j->error.empty()) {
            std::lock_guard lock(m_mutex);
            m_errors.push_back({j->label, j->error});
            continue;
        }
        if (j->done && j->result) {
            j->done(std::move(j->result));
            published = true;
        }
    }
    return published || !done.empty();
}

void JobRunner::cancel(const std::string& slot) {
    std::lock_guard lock(m_mutex);
    for (auto& j : m_jobs)
        if (j->slot == slot) j->cancel = true;
}

void JobRunner::cancel_all() {
    std::lock_guard lock(m_mutex);
    for (auto& j : m_jobs) j->cancel = true;
}

bool JobRunner::busy() const {
    std::lock_guard lock(m_mutex);
    return !m_jobs.empty();
}

bool JobRunner::busy(const std::string& slot) const {
    std::lock_guard lock(m_mutex);
    for (const auto& j : m_jobs)
        if (j->slot == slot && !j->cancel.load()) return true;
    return false;
}

std::vector<JobStatus> JobRunner::status() const {
    std::vector<JobStatus> out;
    std::lock_guard lock(m_mutex);
    for (const auto& j : m_jobs) {
        if (j->cancel.load()) continue;
        JobStatus s{j->slot, j->label, j->fraction.load(std::memory_order_relaxed), {}};
        {
            std::lock_guard l(j->stage_mutex);
            s.stage = j->stage;
        }
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<JobError> JobRunner::take_errors() {
    std::lock_guard lock(m_mutex);
    std::vector<JobError> out;
    out.swap(m_errors);
    return out;
}

}  // namespace hq::view
