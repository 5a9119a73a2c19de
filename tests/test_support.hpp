#pragma once
// Paths and small helpers shared by the tests.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace hq::test {

inline std::string source_dir() { return HUQIAN_SOURCE_DIR; }
inline std::string test_data(const std::string& rel) { return std::string(HUQIAN_TEST_DATA) + "/" + rel; }
inline std::string shared_data(const std::string& rel) { return std::string(HUQIAN_SHARED_DATA) + "/" + rel; }
inline std::string shuhan() { return source_dir() + "/data/shuhan"; }

/// A file's bytes ("" when it cannot be read).
inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// How many entries under `dir` (recursively) are named like the atomic writer's temporaries
/// (geo/io/writer.hpp: ".huqian-tmp-...").
inline std::size_t count_temporaries(const std::filesystem::path& dir) {
    std::size_t n = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
        if (e.path().filename().string().rfind(".huqian-tmp-", 0) == 0) ++n;
    return n;
}

/// The huqian executable run with `args` (each single-quoted; no quotes inside): its exit
/// code and everything it printed, stdout and stderr together. Error checks look at both:
/// a sanitizer halt exits 1 too.
struct CliRun {
    int code = -1;
    std::string out;
};
inline CliRun run_huqian(const std::vector<std::string>& args) {
    std::string cmd = std::string("'") + HUQIAN_EXE + "'";
    for (const auto& a : args) cmd += " '" + a + "'";
    CliRun r;
    FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
    if (!p) return r;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    const int status = ::pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

/// A fresh temporary folder, removed at scope exit.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    [[nodiscard]] std::string file(const std::string& name) const { return (m_path / name).string(); }

private:
    std::filesystem::path m_path;
};

inline TempDir::TempDir() {
    auto base = std::filesystem::temp_directory_path();
    for (int i = 0;; ++i) {
        auto p = base / ("huqian-test-" + std::to_string(::getpid()) + "-" + std::to_string(i));
        if (std::filesystem::create_directory(p)) {
            m_path = p;
            break;
        }
    }
}
inline TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

}  // namespace hq::test
