// Faults while writing (issue 15): a report killed with SIGKILL at random moments, a full
// disk and a read-only folder during export, heatmap, report and project save. The old
// output stays byte for byte, the message is one line naming the file, the exit code is 1,
// and no temporary is left.
//
// The full disk and the read-only folder are real: a tmpfs mounted by the test (a small
// size=, then filled; or remounted read-only). That needs root, as CI runs; a run that cannot
// mount FAILS (a fault test that skips proves nothing). chmod 0555 would not do: root writes
// through it.
#include <catch2/catch.hpp>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "geo/core/error.hpp"
#include "geo/core/parallel.hpp"
#include "geo/io/writer.hpp"
#include "geo/project/gpkg_project.hpp"
#include "geo/project/project.hpp"
#include "tests/export/test_project.hpp"
#include "tests/export/test_shell.hpp"
#include "tests/test_support.hpp"

namespace fs = std::filesystem;
using namespace hq;
using hq::test::shell::exe;
using hq::test::shell::q;
using hq::test::shell::run;
using hq::test::shell::Run;

namespace {


/// Every file under `dir` (relative name → bytes).
std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> m;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) m[fs::relative(e.path(), dir).string()] = test::slurp(e.path());
    return m;
}


bool one_line(const std::string& s) {
    const std::string t = s.size() && s.back() == '\n' ? s.substr(0, s.size() - 1) : s;
    return !t.empty() && t.find('\n') == std::string::npos;
}

/// A tmpfs of `size` mounted on a fresh folder for the test, unmounted at scope exit.
class Tmpfs {
public:
    explicit Tmpfs(const std::string& size) {
        char tmpl[] = "/tmp/huqian-fault-XXXXXX";
        REQUIRE(::mkdtemp(tmpl) != nullptr);
        m_dir = tmpl;
        const std::string opts = "size=" + size + ",mode=0755";
        const int rc = ::mount("huqian-test", m_dir.c_str(), "tmpfs", 0, opts.c_str());
        INFO("mount -t tmpfs on " << m_dir << ": " << std::strerror(errno)
                                  << " (the fault tests need root, as CI runs them; this is a failure, not a skip)");
        REQUIRE(rc == 0);
        m_mounted = true;
    }
    ~Tmpfs() {
        if (m_mounted) ::umount2(m_dir.c_str(), MNT_DETACH);
        std::error_code ec;
        fs::remove(m_dir, ec);
    }
    Tmpfs(const Tmpfs&) = delete;
    Tmpfs& operator=(const Tmpfs&) = delete;
    [[nodiscard]] const fs::path& path() const { return m_dir; }

    void read_only() {
        const int rc = ::mount("huqian-test", m_dir.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, nullptr);
        INFO("remount read-only: " << std::strerror(errno));
        REQUIRE(rc == 0);
    }
    /// Fills the file system: a file grown until the disk is full.
    void fill() {
        const int fd = ::open((m_dir / "filler").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        REQUIRE(fd >= 0);
        const std::string block(4096, 'f');
        while (::write(fd, block.data(), block.size()) > 0) {
        }
        const int err = errno;
        ::close(fd);
        REQUIRE(err == ENOSPC);
    }

private:
    fs::path m_dir;
    bool m_mounted = false;
};

/// The old outputs in `dir` (export map, heatmap GeoTIFF, report pack, project save) made
/// with the test project in `project`.
void make_old_outputs(const fs::path& project, const fs::path& dir) {
    const std::string p = q(project.string());
    Run r = run(exe() + " export " + p + " --map composition --lang en --dpi 72 -o " + q((dir / "map.png").string()));
    INFO(r.out);
    REQUIRE(r.code == 0);
    r = run(exe() + " export " + p + " --map composition --lang en -o " + q((dir / "map.pdf").string()));
    REQUIRE(r.code == 0);
    r = run(exe() + " heatmap " + p + " --radius 100 --pixel 20 -o " + q((dir / "heat.tif").string()));
    INFO(r.out);
    REQUIRE(r.code == 0);
    r = run(exe() + " report " + p + " --lang en --permutations 9 --dpi 72 -o " + q((dir / "pack").string()));
    INFO(r.out);
    REQUIRE(r.code == 0);
    const Project proj = load_project(project.string());
    save_gpkg_project(proj, {}, (dir / "plan.gpkg").string());
}

/// Why each write fails, as its message says: export PNG, export PDF, heatmap GeoTIFF (GDAL's
/// words), report, project save (GDAL's / SQLite's words).
struct Reasons {
    std::string png, pdf, tif, report, save;
};

/// Runs every writer into `dir` (whose old outputs must survive) and checks each failure.
void check_every_writer_fails_cleanly(const fs::path& project, const fs::path& dir, const Reasons& why) {
    const std::string p = q(project.string());
    struct Case {
        std::string cmd;
        std::string file;
        std::string reason;
    };
    const Case cases[] = {
        {" export " + p + " --map composition --lang en --dpi 150 -o " + q((dir / "map.png").string()),
         (dir / "map.png").string(), why.png},
        {" export " + p + " --map composition --lang zh -o " + q((dir / "map.pdf").string()), (dir / "map.pdf").string(),
         why.pdf},
        {" heatmap " + p + " --radius 100 --pixel 5 -o " + q((dir / "heat.tif").string()), (dir / "heat.tif").string(),
         why.tif},
        {" report " + p + " --lang en --permutations 9 --dpi 150 -o " + q((dir / "pack").string()),
         (dir / "pack").string(), why.report},
    };
    for (const auto& c : cases) {
        const Run r = run(exe() + c.cmd);
        INFO(c.cmd << "\n→ " << r.out);
        CHECK(r.code == 1);
        CHECK(one_line(r.out));
        CHECK(r.out.find(c.file) != std::string::npos);
        CHECK(r.out.find(c.reason) != std::string::npos);
    }
    // Project save, in the library (the viewer's File > Save).
    const Project proj = load_project(project.string());
    plan::PlanDocument bigger;
    for (int k = 0; k < 200; ++k) bigger.settings["note." + std::to_string(k)] = std::string(2000, 'x');
    try {
        save_gpkg_project(proj, bigger, (dir / "plan.gpkg").string());
        FAIL("the save should fail");
    } catch (const InputError& e) {
        INFO(e.what());
        CHECK(one_line(e.what()));
        CHECK(std::string(e.what()).find((dir / "plan.gpkg").string()) != std::string::npos);
        CHECK(std::string(e.what()).find(why.save) != std::string::npos);
    }
}

}  // namespace

TEST_CASE("faults: a full disk during export, heatmap, report and project save keeps the old files",
          "[export][faults][disk-full]") {
    test::TempDir t;
    test::write_test_project(t.path().string());
    Tmpfs disk("8m");
    make_old_outputs(t.path(), disk.path());
    const auto before = snapshot(disk.path());
    disk.fill();
    // Our own writes say "the disk is full"; GDAL's (GeoTIFF, GeoPackage) pass on GDAL's and
    // SQLite's words, after the file's name.
    check_every_writer_fails_cleanly(t.path(), disk.path(),
                                     {"the disk is full", "the disk is full", "cannot write the raster",
                                      "the disk is full", "disk is full"});
    auto after = snapshot(disk.path());
    after.erase("filler");
    CHECK(after == before);  // byte for byte, the pack's files included
    CHECK(test::count_temporaries(disk.path()) == 0);
}

TEST_CASE("faults: a read-only folder during export, heatmap, report and project save keeps the old files",
          "[export][faults][read-only]") {
    test::TempDir t;
    test::write_test_project(t.path().string());
    Tmpfs disk("8m");
    make_old_outputs(t.path(), disk.path());
    const auto before = snapshot(disk.path());
    disk.read_only();
    const std::string ro = "the folder is read-only";
    check_every_writer_fails_cleanly(t.path(), disk.path(), {ro, ro, ro, ro, ro});
    CHECK(snapshot(disk.path()) == before);
    CHECK(test::count_temporaries(disk.path()) == 0);
}

TEST_CASE("report: kill -9 at random moments leaves the old pack whole, and the next run cleans up",
          "[export][report][crash]") {
    test::TempDir t;
    test::write_test_project(t.path().string());
    const fs::path dir = t.path() / "pack";
    const std::string args = " report " + q(t.path().string()) + " --lang en --permutations 99 --dpi 150 -o " +
                             q(dir.string());
    auto t0 = std::chrono::steady_clock::now();
    REQUIRE(run(exe() + args).code == 0);
    const auto run_us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count();
    const auto old = snapshot(dir);
    REQUIRE(old.count(".huqian-report") == 1);
    REQUIRE(old.count("report.pdf") == 1);
    // A complete pack: the same files; all but the PDF (which carries its creation time) the
    // same bytes; the PDF complete.
    auto complete = [&](const std::map<std::string, std::string>& m) {
        if (m.size() != old.size()) return false;
        for (const auto& [name, bytes] : old) {
            auto it = m.find(name);
            if (it == m.end()) return false;
            if (name == "report.pdf") {
                if (it->second.rfind("%PDF", 0) != 0 || it->second.find("%%EOF") == std::string::npos) return false;
            } else if (it->second != bytes) {
                return false;
            }
        }
        return true;
    };
    Rng rng(15, 0);
    int killed = 0, mid_write = 0, absent = 0;
    for (int k = 0; k < 12; ++k) {
        const pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            const int null = ::open("/dev/null", O_WRONLY);
            ::dup2(null, 1);
            ::dup2(null, 2);
            const std::string cmd = exe() + args;
            ::execl("/bin/sh", "sh", "-c", ("exec " + cmd).c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        std::this_thread::sleep_for(
            std::chrono::microseconds(static_cast<long>(rng.below(static_cast<std::uint64_t>(run_us)))));
        ::kill(child, SIGKILL);
        int st = 0;
        REQUIRE(::waitpid(child, &st, 0) == child);
        if (WIFSIGNALED(st)) ++killed;
        if (test::count_temporaries(t.path()) > 0) ++mid_write;
        if (!fs::exists(dir)) {
            ++absent;
            continue;
        }
        INFO("kill " << k);
        CHECK(complete(snapshot(dir)));  // never a partial pack or a mix
    }
    INFO("one report takes " << run_us << " us; " << killed << " of 12 runs killed, " << mid_write
                             << " left temporaries, " << absent << " left no pack");
    CHECK(killed >= 6);     // most kills landed while the report ran
    CHECK(mid_write >= 3);  // and some while its files were being written
    CHECK(absent == 0);     // RENAME_EXCHANGE: the old pack is there at every moment
    // The next run cleans the killed runs' temporaries.
    const Run r = run(exe() + args);
    CHECK(r.code == 0);
    CHECK(complete(snapshot(dir)));
    CHECK(test::count_temporaries(t.path()) == 0);
}
