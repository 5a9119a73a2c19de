// write_file_atomic: the one way the CLI writes text outputs (JSON, CSV, reports).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "geo/core/error.hpp"
#include "geo/io/writer.hpp"
#include "tests/test_support.hpp"

namespace fs = std::filesystem;

namespace {
std::size_t entries(const fs::path& dir) {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
    return n;
}
}  // namespace

TEST_CASE("write_file_atomic replaces a file whole and leaves no temporary file", "[io][write]") {
    hq::test::TempDir dir;
    const fs::path target = dir.path() / "指数 indices.json";
    hq::write_file_atomic(target.string(), "old");
    CHECK(hq::test::slurp(target) == "old");
    const std::string big(3'000'000, 'x');
    hq::write_file_atomic(target.string(), big);
    CHECK(hq::test::slurp(target) == big);
    CHECK(entries(dir.path()) == 1);  // only the target: the temporary file was renamed
}

TEST_CASE("write_file_atomic names the path when it cannot write, and keeps the old file", "[io][write]") {
    hq::test::TempDir dir;
    const fs::path missing = dir.path() / "no-such-folder" / "out.json";
    try {
        hq::write_file_atomic(missing.string(), "{}");
        FAIL("no throw");
    } catch (const hq::InputError& e) {
        const std::string what = e.what();
        CHECK(what.find(missing.string()) != std::string::npos);
        CHECK(what.find("folder does not exist") != std::string::npos);
    }
    // A target that is a folder: the rename fails; nothing is left behind.
    const fs::path folder = dir.path() / "taken";
    fs::create_directory(folder);
    fs::create_directory(folder / "inside");
    CHECK_THROWS_AS(hq::write_file_atomic(folder.string(), "{}"), hq::InputError);
    CHECK(fs::is_directory(folder / "inside"));
    CHECK(entries(dir.path()) == 1);
}
