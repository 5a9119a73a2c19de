// Reading (issue 17, goal 3): read_layer_raw on 1M points and on the 100k-unit synthetic city,
// GeoPackage and FlatGeobuf, through GDAL's Arrow stream and through the feature loop, in the
// same run, interleaved, best of N each, with the ratio. A GeoPackage is also read with the
// parallel parts off (one thread), which is what callgrind counts.
// Usage: bench_read DIR [RUNS]              (writes the four files into DIR when missing)
//        bench_read --once FILE arrow|loop [seq]   (one read, for callgrind)
#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "geo/io/reader.hpp"
#include "geo/io/writer.hpp"
#include "geo/synth/synth.hpp"

namespace fs = std::filesystem;

namespace {

/// 1M points (id, weight) in UTM 48N, written with GDAL; like the heatmap's input.
void write_points(const std::string& path, const char* driver) {
    hq::init_gdal();
    GDALDriver* d = GetGDALDriverManager()->GetDriverByName(driver);
    std::unique_ptr<GDALDataset> ds(d->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    OGRSpatialReference srs;
    srs.importFromEPSG(32648);
    OGRLayer* l = ds->CreateLayer("points", &srs, wkbPoint, nullptr);
    OGRFieldDefn id("id", OFTInteger), w("weight", OFTInteger);
    l->CreateField(&id);
    l->CreateField(&w);
    ds->StartTransaction();
    std::uint64_t s = 88172645463325252ull;
    for (int i = 0; i < 1000000; ++i) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        OGRFeature f(l->GetLayerDefn());
        f.SetField(0, i + 1);
        f.SetField(1, static_cast<int>(s % 20) + 1);
        OGRPoint p(400000.0 + static_cast<double>(s % 2000000) / 100.0, 3380000.0 + static_cast<double>((s >> 21) % 2000000) / 100.0);
        f.SetGeometry(&p);
        l->CreateFeature(&f);
    }
    ds->CommitTransaction();
}

/// GDALVectorTranslate SRC → DST as FlatGeobuf (ogr2ogr -f FlatGeobuf DST SRC).
void translate_to_fgb(const std::string& src, const std::string& dst) {
    hq::init_gdal();
    GDALDatasetH in = GDALOpenEx(src.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
    if (in == nullptr) throw std::runtime_error("bench_read: cannot open " + src);
    char* argv[] = {const_cast<char*>("-f"), const_cast<char*>("FlatGeobuf"), nullptr};
    GDALVectorTranslateOptions* opt = GDALVectorTranslateOptionsNew(argv, nullptr);
    int err = 0;
    GDALDatasetH out = GDALVectorTranslate(dst.c_str(), nullptr, 1, &in, opt, &err);
    GDALVectorTranslateOptionsFree(opt);
    if (out == nullptr || err != 0) throw std::runtime_error("bench_read: cannot write " + dst);
    GDALClose(out);
    GDALClose(in);
}

double ms_of(const std::function<void()>& f) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc >= 4 && std::string(argv[1]) == "--once") {
        hq::ReadOptions o;
        o.arrow = std::string(argv[3]) == "arrow";
        o.parallel = !(argc >= 5 && std::string(argv[4]) == "seq");
        std::optional<hq::Layer> l;
        const double ms = ms_of([&] { l = hq::read_layer_raw(argv[2], o); });
        const std::size_t n = l->size();
        const double free_ms = ms_of([&] { l.reset(); });
        std::printf("%zu features, arrow %d, parts %zu, read %.1f ms (freeing the layer after: %.1f ms)\n", n,
                    hq::detail::last_read_arrow() ? 1 : 0, hq::detail::last_read_parts(), ms, free_ms);
        return 0;
    }
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_read DIR [RUNS] | bench_read --once FILE arrow|loop [seq]\n");
        return 2;
    }
    const fs::path dir = argv[1];
    const int runs = argc > 2 ? std::stoi(argv[2]) : 3;
    fs::create_directories(dir);
    for (const char* ext : {"gpkg", "fgb"}) {
        const fs::path pts = dir / (std::string("points_1m.") + ext);
        if (!fs::exists(pts)) write_points(pts.string(), std::string(ext) == "gpkg" ? "GPKG" : "FlatGeobuf");
        const fs::path city = dir / (std::string("city_100k.") + ext);
        if (!fs::exists(city)) {
            if (std::string(ext) == "gpkg") {
                hq::SynthOptions so;
                so.units = 100000;
                so.groups = 8;
                hq::write_layer(hq::synth_city(so), city.string());
            } else {
                // The atomic writer writes .geojson/.gpkg only; the FlatGeobuf fixture is the same
                // city translated by GDAL (a bench fixture, not a huqian output).
                translate_to_fgb((dir / "city_100k.gpkg").string(), city.string());
            }
        }
    }
    struct Config {
        const char* name;
        bool arrow, parallel;
    };
    const Config configs[] = {{"arrow", true, true}, {"loop", false, true}, {"arrow 1 thread", true, false},
                              {"loop 1 thread", false, false}};
    for (const char* file : {"points_1m.gpkg", "points_1m.fgb", "city_100k.gpkg", "city_100k.fgb"}) {
        const std::string path = (dir / file).string();
        const bool gpkg = path.ends_with(".gpkg");
        std::vector<double> best(4, 1e300);
        std::size_t n = 0;
        for (int r = 0; r < runs; ++r) {
            for (std::size_t c = 0; c < 4; ++c) {
                if (!gpkg && !configs[c].parallel) continue;  // FlatGeobuf is read by one thread anyway
                hq::ReadOptions o;
                o.arrow = configs[c].arrow;
                o.parallel = configs[c].parallel;
                // The read alone: the layer is freed outside the timing (until session 10 the
                // timing included freeing it: 3M small blocks at 1M points, 0.1–0.2 s).
                std::optional<hq::Layer> l;
                best[c] = std::min(best[c], ms_of([&] { l = hq::read_layer_raw(path, o); }));
                n = l->size();
            }
        }
        std::printf("%-16s %8zu features: arrow %8.1f ms, loop %8.1f ms, loop/arrow %.2f", file, n, best[0], best[1],
                    best[1] / best[0]);
        if (gpkg)
            std::printf("; 1 thread: arrow %8.1f ms, loop %8.1f ms, loop/arrow %.2f", best[2], best[3], best[3] / best[2]);
        std::printf("\n");
        std::fflush(stdout);
    }
    return 0;
}
