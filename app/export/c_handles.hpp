#pragma once
// RAII at the C edges of drawing: cairo, fontconfig and libpng handles, so that
// nothing leaks when drawing throws half-way (docs/STYLE.md). FreeType faces are owned by
// the cairo font face that uses them (render.cpp, font_face()).
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <png.h>

#include <memory>

namespace hq::exporter {

struct CairoDeleter {
    void operator()(cairo_t* c) const noexcept { cairo_destroy(c); }
    void operator()(cairo_surface_t* s) const noexcept { cairo_surface_destroy(s); }
    void operator()(cairo_pattern_t* p) const noexcept { cairo_pattern_destroy(p); }
};
using CairoPtr = std::unique_ptr<cairo_t, CairoDeleter>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, CairoDeleter>;
using PatternPtr = std::unique_ptr<cairo_pattern_t, CairoDeleter>;

struct FcDeleter {
    void operator()(FcPattern* p) const noexcept { FcPatternDestroy(p); }
};
using FcPatternPtr = std::unique_ptr<FcPattern, FcDeleter>;

/// A libpng write struct and its info struct, destroyed together.
class PngWriteStruct {
public:
    PngWriteStruct(png_voidp error_ptr, png_error_ptr on_error, png_error_ptr on_warning)
        : m_png(png_create_write_struct(PNG_LIBPNG_VER_STRING, error_ptr, on_error, on_warning)),
          m_info(m_png ? png_create_info_struct(m_png) : nullptr) {}
    ~PngWriteStruct() { png_destroy_write_struct(&m_png, &m_info); }
    PngWriteStruct(const PngWriteStruct&) = delete;
    PngWriteStruct& operator=(const PngWriteStruct&) = delete;

    [[nodiscard]] bool ok() const { return m_png && m_info; }
    [[nodiscard]] png_structp png() const { return m_png; }
    [[nodiscard]] png_infop info() const { return m_info; }

private:
    png_structp m_png;
    png_infop m_info;
};

}  // namespace hq::exporter
