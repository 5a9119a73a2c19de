// libFuzzer target: the project manifest (project.json, docs/manifest.md). The input is the
// manifest of a folder that also holds units.geojson, venues.geojson, streets.geojson and
// counts.csv (tests/fuzz/fuzz_support.hpp); the folder is loaded as `huqian info` loads it.
#include <cstddef>
#include <cstdint>

#include "geo/project/project.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto& dir = hq::fuzz::fixture_folder();
    hq::fuzz::write_file(dir / "project.json", {reinterpret_cast<const char*>(data), size});
    hq::fuzz::expect_input_error_only([&] { (void)hq::load_project(dir.string()); });
    return 0;
}
