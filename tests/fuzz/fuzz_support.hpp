#pragma once
// Shared by the libFuzzer targets (docs/fuzzing.md): a scratch project folder per process,
// small fixed layer files for the fuzzed file to sit beside, and the rule for what a
// target may throw.
//
// Expected outcome of a bad input: hq::InputError (the CLI prints it as one line naming the
// file, exit 1). Anything else escaping the loader (std::out_of_range, a JSON library
// error, std::bad_alloc...) is reported as a finding: abort(), which libFuzzer records as a
// crash with the input that caused it.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <typeinfo>

#include "geo/core/error.hpp"

namespace hq::fuzz {

/// The scratch folder of this process: $TMPDIR/huqian-fuzz-XXXXXX, made on first use and
/// removed at a normal exit (a crash leaves it for inspection; run.sh works in a folder of
/// its own that it removes).
inline const std::filesystem::path& scratch() {
    static const std::filesystem::path dir = [] {
        const char* tmp = std::getenv("TMPDIR");
        std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/huqian-fuzz-XXXXXX";
        if (!mkdtemp(templ.data())) {
            std::perror("huqian fuzz: mkdtemp");
            std::abort();
        }
        std::atexit([] {
            std::error_code ec;
            std::filesystem::remove_all(scratch(), ec);
        });
        return std::filesystem::path(templ);
    }();
    return dir;
}

inline void write_file(const std::filesystem::path& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
        std::fprintf(stderr, "huqian fuzz: cannot write %s\n", path.c_str());
        std::abort();
    }
}

/// Runs `f`; InputError is the expected answer to bad input, anything else aborts.
template <class F>
void expect_input_error_only(F&& f) {
    try {
        f();
    } catch (const hq::InputError&) {
    } catch (const std::exception& e) {
        std::fprintf(stderr, "huqian fuzz: unexpected %s: %s\n", typeid(e).name(), e.what());
        std::abort();
    }
}

/// Three unit polygons (lon/lat, Chengdu) with ids, group counts a = ra + ta and b.
inline constexpr std::string_view kUnitsGeojson = R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"uid":"U1","a":10,"ra":6,"ta":4,"b":3},"geometry":{"type":"Polygon","coordinates":[[[104.039,30.641],[104.040,30.641],[104.040,30.642],[104.039,30.642],[104.039,30.641]]]}},
{"type":"Feature","properties":{"uid":"U2","a":0,"ra":0,"ta":0,"b":7},"geometry":{"type":"Polygon","coordinates":[[[104.040,30.641],[104.041,30.641],[104.041,30.642],[104.040,30.642],[104.040,30.641]]]}},
{"type":"Feature","properties":{"uid":"U3","a":5,"ra":5,"ta":0,"b":5},"geometry":{"type":"Polygon","coordinates":[[[104.039,30.642],[104.041,30.642],[104.041,30.643],[104.039,30.643],[104.039,30.642]]]}}
]})";

/// Two venues.
inline constexpr std::string_view kVenuesGeojson = R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"vid":"V1","kind":"park"},"geometry":{"type":"Point","coordinates":[104.0395,30.6415]}},
{"type":"Feature","properties":{"vid":"V2","kind":"school"},"geometry":{"type":"Point","coordinates":[104.0405,30.6425]}}
]})";

/// One street.
inline constexpr std::string_view kStreetsGeojson = R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"sid":"S1"},"geometry":{"type":"LineString","coordinates":[[104.039,30.642],[104.041,30.642]]}}
]})";

/// A table to join to the units by uid.
inline constexpr std::string_view kCountsCsv = "uid,c,d\nU1,1,2\nU2,3,4\nU3,5,6\n";

/// The fixed files beside a fuzzed one: units.geojson, venues.geojson, streets.geojson,
/// counts.csv. Returns the scratch folder.
inline const std::filesystem::path& fixture_folder() {
    static const std::filesystem::path& dir = []() -> const std::filesystem::path& {
        const auto& d = scratch();
        write_file(d / "units.geojson", kUnitsGeojson);
        write_file(d / "venues.geojson", kVenuesGeojson);
        write_file(d / "streets.geojson", kStreetsGeojson);
        write_file(d / "counts.csv", kCountsCsv);
        return d;
    }();
    return dir;
}

}  // namespace hq::fuzz
