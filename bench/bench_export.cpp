// Exports of Shuhan on an A4 landscape page (issue 7 §6: PNG at 300 dpi and PDF, < 1 s each),
// each against a baseline measured in the same run:
//   PNG  — the page encoded by cairo_surface_write_to_png (the writer before the libpng one);
//   PDF, SVG — cairo drawing only the page's polygons (units, buildings, boundary, zones) to
//          the same surface type: the floor any cairo exporter pays for the geometry, so the
//          ratio is the cost of the rest (text, labels, pies, legend).
// Also: the steps of `huqian export` apart (loading, building the scene, rendering the
// raster) and the libpng settings tried for the encoder (encode only, with the file size).
#include <benchmark/benchmark.h>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <png.h>
#include <string>
#include <unistd.h>
#include <vector>
#include <zlib.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>

#include "app/carto/scene.hpp"
#include "app/export/layout.hpp"
#include "app/export/render.hpp"
#include "geo/project/project.hpp"

namespace {

namespace ex = hq::exporter;

std::string shuhan_path() {
    return std::string(HUQIAN_SOURCE_DIR) + "/data/shuhan";
}

std::string out_path(const std::string& name) {
    return (std::filesystem::temp_directory_path() /
            ("huqian_bench_" + std::to_string(::getpid()) + "_" + name))
        .string();
}

const hq::carto::Scene& scene() {
    static const hq::carto::Scene s = [] {
        auto p = std::make_shared<const hq::Project>(hq::load_project(shuhan_path()));
        hq::carto::MapRequest r = hq::carto::parse_map_kind("composition");
        return hq::carto::build_scene(p, r);
    }();
    return s;
}

const ex::PageOptions kA4_300{ex::Template::A4Landscape, 300};

void report_file(benchmark::State& state, const std::string& path) {
    std::error_code ec;
    state.counters["file_MB"] = static_cast<double>(std::filesystem::file_size(path, ec)) / 1e6;
    std::filesystem::remove(path, ec);
}

// [SECTION] The steps of `huqian export` ------------------------------------------------------

void BM_LoadShuhan(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(hq::load_project(shuhan_path()));
}
BENCHMARK(BM_LoadShuhan)->Unit(benchmark::kMillisecond);

void BM_BuildSceneComposition(benchmark::State& state) {
    auto p = std::make_shared<const hq::Project>(hq::load_project(shuhan_path()));
    const hq::carto::MapRequest r = hq::carto::parse_map_kind("composition");
    for (auto _ : state) benchmark::DoNotOptimize(hq::carto::build_scene(p, r));
}
BENCHMARK(BM_BuildSceneComposition)->Unit(benchmark::kMillisecond);

void BM_RenderA4_300dpi_raster(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(ex::render_page_to_image(scene(), kA4_300));
}
BENCHMARK(BM_RenderA4_300dpi_raster)->Unit(benchmark::kMillisecond);

// [SECTION] PNG: libpng writer vs cairo's encoder ----------------------------------------------

void BM_Png_A4_300dpi(benchmark::State& state) {
    const std::string path = out_path("a4.png");
    for (auto _ : state) ex::write_map(scene(), kA4_300, path, ex::Format::Png);
    report_file(state, path);
}
BENCHMARK(BM_Png_A4_300dpi)->Unit(benchmark::kMillisecond);

void BM_Png_A4_300dpi_baseline_cairo_encoder(benchmark::State& state) {
    const std::string path = out_path("a4_cairo.png");
    ex::PageOptions o = kA4_300;
    o.cairo_png_encoder = true;
    for (auto _ : state) ex::write_map(scene(), o, path, ex::Format::Png);
    report_file(state, path);
}
BENCHMARK(BM_Png_A4_300dpi_baseline_cairo_encoder)->Unit(benchmark::kMillisecond);

// [SECTION] PDF and SVG vs cairo drawing the polygons only ---------------------------------------

void draw_polygons_only(cairo_t* cr, const hq::carto::Scene& s, const ex::Layout& l) {
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    for (const auto& p : s.polygons) {
        if (!p.geometry) continue;
        for (const auto& poly : p.geometry->polygons)
            for (const auto& ring : poly.rings) {
                if (ring.size() < 3) continue;
                const hq::Vec2 a = l.map.apply(ring[0]);
                cairo_move_to(cr, a.x, a.y);
                for (std::size_t i = 1; i < ring.size(); ++i) {
                    const hq::Vec2 b = l.map.apply(ring[i]);
                    cairo_line_to(cr, b.x, b.y);
                }
                cairo_close_path(cr);
            }
        cairo_set_source_rgba(cr, p.fill.r, p.fill.g, p.fill.b, p.fill.a);
        cairo_fill_preserve(cr);
        cairo_set_source_rgba(cr, p.stroke.r, p.stroke.g, p.stroke.b, p.stroke.a);
        cairo_set_line_width(cr, p.stroke_px * ex::kMmPerPx);
        cairo_stroke(cr);
    }
}

void vector_baseline(benchmark::State& state, bool pdf) {
    const std::string path = out_path(pdf ? "base.pdf" : "base.svg");
    const ex::Layout l = ex::make_layout(scene(), ex::Template::A4Landscape);
    const double wpt = l.paper.width_mm / ex::kMmPerPt, hpt = l.paper.height_mm / ex::kMmPerPt;
    for (auto _ : state) {
        cairo_surface_t* surf = pdf ? cairo_pdf_surface_create(path.c_str(), wpt, hpt)
                                    : cairo_svg_surface_create(path.c_str(), wpt, hpt);
        cairo_t* cr = cairo_create(surf);
        cairo_scale(cr, 1.0 / ex::kMmPerPt, 1.0 / ex::kMmPerPt);
        draw_polygons_only(cr, scene(), l);
        cairo_show_page(cr);
        cairo_destroy(cr);
        cairo_surface_finish(surf);
        cairo_surface_destroy(surf);
    }
    report_file(state, path);
}

void BM_Pdf_A4(benchmark::State& state) {
    const std::string path = out_path("a4.pdf");
    for (auto _ : state) ex::write_map(scene(), kA4_300, path, ex::Format::Pdf);
    report_file(state, path);
}
BENCHMARK(BM_Pdf_A4)->Unit(benchmark::kMillisecond);

void BM_Pdf_A4_baseline_polygons_only(benchmark::State& state) {
    vector_baseline(state, true);
}
BENCHMARK(BM_Pdf_A4_baseline_polygons_only)->Unit(benchmark::kMillisecond);

void BM_Svg_A4(benchmark::State& state) {
    const std::string path = out_path("a4.svg");
    for (auto _ : state) ex::write_map(scene(), kA4_300, path, ex::Format::Svg);
    report_file(state, path);
}
BENCHMARK(BM_Svg_A4)->Unit(benchmark::kMillisecond);

void BM_Svg_A4_baseline_polygons_only(benchmark::State& state) {
    vector_baseline(state, false);
}
BENCHMARK(BM_Svg_A4_baseline_polygons_only)->Unit(benchmark::kMillisecond);

// [SECTION] libpng settings (encode only, from the rendered page) --------------------------------

const ex::Image& page_image() {
    static const ex::Image img = ex::render_page_to_image(scene(), kA4_300);
    return img;
}

/// Encodes the page as RGB with the given zlib level, strategy and PNG filter; returns bytes.
std::size_t encode(const ex::Image& img, int level, int strategy, int filter, const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return 0;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        std::fclose(f);
        return 0;
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, static_cast<png_uint_32>(img.width), static_cast<png_uint_32>(img.height), 8,
                 PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, level);
    png_set_compression_strategy(png, strategy);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, filter);
    png_write_info(png, info);
    std::vector<unsigned char> row(static_cast<std::size_t>(img.width) * 3);
    for (int y = 0; y < img.height; ++y) {
        const std::uint8_t* src = img.at(0, y);
        for (int x = 0; x < img.width; ++x) {
            row[3 * static_cast<std::size_t>(x) + 0] = src[4 * x + 0];
            row[3 * static_cast<std::size_t>(x) + 1] = src[4 * x + 1];
            row[3 * static_cast<std::size_t>(x) + 2] = src[4 * x + 2];
        }
        png_write_row(png, row.data());
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    const long size = std::ftell(f);
    std::fclose(f);
    return size > 0 ? static_cast<std::size_t>(size) : 0;
}

void BM_PngEncodeOnly(benchmark::State& state) {
    const int level = static_cast<int>(state.range(0));
    const int strategy = state.range(1) ? Z_RLE : Z_DEFAULT_STRATEGY;
    const int filter = state.range(2) == 0   ? PNG_FILTER_NONE
                       : state.range(2) == 1 ? PNG_FILTER_SUB
                                             : PNG_ALL_FILTERS;
    const ex::Image& img = page_image();
    const std::string path = out_path("enc.png");
    std::size_t bytes = 0;
    for (auto _ : state) bytes = encode(img, level, strategy, filter, path);
    state.counters["file_MB"] = static_cast<double>(bytes) / 1e6;
    std::error_code ec;
    std::filesystem::remove(path, ec);
}
// Args: zlib level, Z_RLE (1) or default strategy (0), filter none (0) / sub (1) / all (2).
// {3, 0, 1} is what the writer uses; {6, 0, 2} is libpng's default (what cairo uses).
BENCHMARK(BM_PngEncodeOnly)
    ->Args({3, 0, 1})
    ->Args({1, 0, 1})
    ->Args({2, 1, 1})
    ->Args({1, 1, 0})
    ->Args({6, 0, 2})
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
