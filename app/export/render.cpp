// Cairo drawing of scenes and pages, and the PNG / PDF / SVG writers.
//
// [SECTION] index
//   fonts and text (FreeType face of the CJK font, measuring, wrapping, halos)
//   the map (polygons, hatching, raster, lines, pies, points, labels)
//   page furniture (title, legend, scale bar, north arrow, notes, stamp)
//   writers (atomic temp + rename), preview images, PNG reading
//   multi-page PDF documents
#include "app/export/render.hpp"

#include <fontconfig/fontconfig.h>
#include <png.h>
#include <zlib.h>

#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <exception>
#include <filesystem>
#include <functional>
#include <string_view>
#include <unistd.h>

#include "app/carto/labels.hpp"
#include "app/export/c_handles.hpp"
#include "geo/core/error.hpp"
#include "geo/io/writer.hpp"
#include "geo/core/text.hpp"

namespace hq::exporter {

using carto::Color;
using carto::LegendItem;
using carto::MapTransform;
using carto::Scene;
using carto::Shape;

// [SECTION] Fonts and text -----------------------------------------------------------------

namespace {

std::string fontconfig_file(const char* family) {
    std::string out;
    if (!FcInit()) return out;
    const FcPatternPtr pat(FcNameParse(reinterpret_cast<const FcChar8*>(family)));
    if (!pat) return out;
    FcConfigSubstitute(nullptr, pat.get(), FcMatchPattern);
    FcDefaultSubstitute(pat.get());
    FcResult res = FcResultNoMatch;
    if (const FcPatternPtr m{FcFontMatch(nullptr, pat.get(), &res)}) {
        FcChar8* file = nullptr;
        if (FcPatternGetString(m.get(), FC_FILE, 0, &file) == FcResultMatch && file) out = reinterpret_cast<char*>(file);
    }
    return out;
}

/// The FreeType library and face behind the cairo font face; freed by cairo's user-data
/// callback when cairo drops its last reference (cairo's documented way to own an FT_Face).
struct FtFace {
    FT_Library lib = nullptr;
    FT_Face face = nullptr;
    ~FtFace() {
        if (face) FT_Done_Face(face);
        if (lib) FT_Done_FreeType(lib);
    }
};

cairo_font_face_t* make_font_face() {
    std::string file = kFontFile;
    if (::access(file.c_str(), R_OK) != 0) file = fontconfig_file("WenQuanYi Micro Hei");
    auto ft = std::make_unique<FtFace>();
    if (!file.empty() && FT_Init_FreeType(&ft->lib) == 0 && FT_New_Face(ft->lib, file.c_str(), 0, &ft->face) == 0) {
        cairo_font_face_t* face = cairo_ft_font_face_create_for_ft_face(ft->face, 0);
        static const cairo_user_data_key_t key{};
        if (cairo_font_face_set_user_data(face, &key, ft.get(), [](void* p) { delete static_cast<FtFace*>(p); }) ==
            CAIRO_STATUS_SUCCESS) {
            ft.release();  // owned by the cairo face now
            return face;
        }
        cairo_font_face_destroy(face);
    }
    return cairo_toy_font_face_create("sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
}

/// The one font face, made on first use and kept for the whole process (cairo caches it).
cairo_font_face_t* font_face() {
    static cairo_font_face_t* const face = make_font_face();
    return face;
}

void set_color(cairo_t* cr, const Color& c) { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a); }

void set_font(cairo_t* cr, double size) {
    cairo_set_font_face(cr, font_face());
    cairo_set_font_size(cr, size);
}

double text_width(cairo_t* cr, const std::string& s) {
    cairo_text_extents_t e;
    cairo_text_extents(cr, s.c_str(), &e);
    return e.x_advance;
}

struct FontMetrics {
    double ascent, descent, height;
};
FontMetrics metrics(cairo_t* cr) {
    cairo_font_extents_t e;
    cairo_font_extents(cr, &e);
    return {e.ascent, e.descent, e.ascent + e.descent};
}

/// SVG pages get real <text> elements (selectable and editable in Inkscape or Illustrator):
/// while an SVG page is drawn, text is recorded here in device units (points) instead of
/// being drawn (cairo's SVG surface would turn it into glyph outlines), then written into
/// the SVG after the drawing (write_vector).
struct SvgText {
    double x = 0, y = 0, size = 0;
    Color color, halo;
    double halo_width = 0;
    std::string text;
};
thread_local std::vector<SvgText>* t_svg_text = nullptr;

void record_svg_text(cairo_t* cr, double x, double baseline, const std::string& s, const Color& c, const Color& halo,
                     double halo_width) {
    SvgText t;
    t.x = x;
    t.y = baseline;
    cairo_user_to_device(cr, &t.x, &t.y);
    cairo_matrix_t fm, ctm;
    cairo_get_font_matrix(cr, &fm);
    cairo_get_matrix(cr, &ctm);
    t.size = std::abs(fm.yy * ctm.yy);
    t.color = c;
    t.halo = halo;
    double hw = halo_width, zero = 0;
    cairo_user_to_device_distance(cr, &hw, &zero);
    t.halo_width = std::abs(hw);
    t.text = s;
    t_svg_text->push_back(std::move(t));
}

/// The recorded texts as SVG elements (font family: the one font of every export).
std::string svg_text_elements(const std::vector<SvgText>& texts) {
    std::string o = "<g id=\"huqian-text\" font-family=\"WenQuanYi Micro Hei, sans-serif\">\n";
    char buf[256];
    for (const SvgText& t : texts) {
        std::snprintf(buf, sizeof buf, "<text x=\"%.3f\" y=\"%.3f\" font-size=\"%.3f\" fill=\"%s\" fill-opacity=\"%.3f\"",
                      t.x, t.y, t.size, t.color.to_hex().c_str(), static_cast<double>(t.color.a));
        o += buf;
        if (t.halo.a > 0 && t.halo_width > 0) {
            std::snprintf(buf, sizeof buf,
                          " stroke=\"%s\" stroke-opacity=\"%.3f\" stroke-width=\"%.3f\" stroke-linejoin=\"round\" "
                          "paint-order=\"stroke\"",
                          t.halo.to_hex().c_str(), static_cast<double>(t.halo.a), t.halo_width);
            o += buf;
        }
        o += " xml:space=\"preserve\">" + xml_escape(t.text) + "</text>\n";
    }
    return o + "</g>\n";
}

void show_text(cairo_t* cr, double x, double baseline, const std::string& s, const Color& c) {
    if (s.empty()) return;
    if (t_svg_text) {
        record_svg_text(cr, x, baseline, s, c, Color{0, 0, 0, 0}, 0);
        return;
    }
    cairo_new_path(cr);
    cairo_move_to(cr, x, baseline);
    set_color(cr, c);
    cairo_show_text(cr, s.c_str());
    cairo_new_path(cr);
}

/// Text over a halo: the halo is a stroked outline (a path), the text real text (selectable).
void show_text_halo(cairo_t* cr, double x, double baseline, const std::string& s, const Color& c, const Color& halo,
                    double halo_width) {
    if (s.empty()) return;
    if (t_svg_text) {
        record_svg_text(cr, x, baseline, s, c, halo, halo_width);
        return;
    }
    if (halo.a > 0 && halo_width > 0) {
        cairo_new_path(cr);
        cairo_move_to(cr, x, baseline);
        cairo_text_path(cr, s.c_str());
        set_color(cr, halo);
        cairo_set_line_width(cr, halo_width);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
    }
    show_text(cr, x, baseline, s, c);
}

/// Lines of at most `width` (user units) at carto's break units (never inside a number).
std::vector<std::string> wrap_text(cairo_t* cr, const std::string& s, double width) {
    return carto::wrap_lines(s, width, [cr](const std::string& t) { return text_width(cr, t); });
}

// [SECTION] The map ------------------------------------------------------------------------

/// How scene sizes map to the target's user units.
struct Units {
    double px = 1;  ///< user units per CSS pixel
    double pt = 1;  ///< user units per point
};

void geometry_path(cairo_t* cr, const Geometry& g, const MapTransform& t) {
    for (const auto& poly : g.polygons)
        for (const auto& ring : poly.rings) {
            if (ring.size() < 3) continue;
            const Vec2 a = t.apply(ring[0]);
            cairo_move_to(cr, a.x, a.y);
            for (std::size_t i = 1; i < ring.size(); ++i) {
                const Vec2 b = t.apply(ring[i]);
                cairo_line_to(cr, b.x, b.y);
            }
            cairo_close_path(cr);
        }
}

void lines_path(cairo_t* cr, const Geometry& g, const MapTransform& t) {
    for (const auto& path : g.lines) {
        if (path.size() < 2) continue;
        const Vec2 a = t.apply(path[0]);
        cairo_move_to(cr, a.x, a.y);
        for (std::size_t i = 1; i < path.size(); ++i) {
            const Vec2 b = t.apply(path[i]);
            cairo_line_to(cr, b.x, b.y);
        }
    }
    for (const auto& poly : g.polygons)  // a polygon given as a line: its rings
        for (const auto& ring : poly.rings) {
            if (ring.size() < 2) continue;
            const Vec2 a = t.apply(ring[0]);
            cairo_move_to(cr, a.x, a.y);
            for (std::size_t i = 1; i < ring.size(); ++i) {
                const Vec2 b = t.apply(ring[i]);
                cairo_line_to(cr, b.x, b.y);
            }
        }
}

/// Diagonal hatching over the current clip (the caller clips to the shape).
void hatch(cairo_t* cr, double x0, double y0, double x1, double y1, double spacing, double width, const Color& c) {
    set_color(cr, c);
    cairo_set_line_width(cr, width);
    const double h = y1 - y0;
    for (double x = x0 - h; x < x1; x += spacing) {
        cairo_move_to(cr, x, y1);
        cairo_line_to(cr, x + h, y0);
    }
    cairo_stroke(cr);
}

void shape_path(cairo_t* cr, Shape shape, double x, double y, double r) {
    switch (shape) {
        case Shape::Circle: cairo_arc(cr, x, y, r, 0, 2 * M_PI); break;
        case Shape::Square: cairo_rectangle(cr, x - r * 0.85, y - r * 0.85, 1.7 * r, 1.7 * r); break;
        case Shape::Triangle:
            cairo_move_to(cr, x, y - r * 1.1);
            cairo_line_to(cr, x + r * 1.0, y + r * 0.7);
            cairo_line_to(cr, x - r * 1.0, y + r * 0.7);
            cairo_close_path(cr);
            break;
        case Shape::Diamond:
            cairo_move_to(cr, x, y - r * 1.15);
            cairo_line_to(cr, x + r * 1.0, y);
            cairo_line_to(cr, x, y + r * 1.15);
            cairo_line_to(cr, x - r * 1.0, y);
            cairo_close_path(cr);
            break;
        case Shape::Star:
            for (int i = 0; i < 10; ++i) {
                const double a = -M_PI / 2 + i * M_PI / 5;
                const double rr = (i % 2 == 0) ? r * 1.2 : r * 0.5;
                if (i == 0) cairo_move_to(cr, x + rr * std::cos(a), y + rr * std::sin(a));
                else cairo_line_to(cr, x + rr * std::cos(a), y + rr * std::sin(a));
            }
            cairo_close_path(cr);
            break;
    }
}

void draw_raster(cairo_t* cr, const carto::RasterOverlay& r, const MapTransform& t) {
    if (r.width <= 0 || r.height <= 0 || r.rgba.size() < static_cast<std::size_t>(r.width) * r.height * 4) return;
    const SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, r.width, r.height));
    cairo_surface_t* img = surface.get();
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) return;
    cairo_surface_flush(img);
    unsigned char* data = cairo_image_surface_get_data(img);
    const int stride = cairo_image_surface_get_stride(img);
    for (int y = 0; y < r.height; ++y) {
        auto* row = reinterpret_cast<std::uint32_t*>(data + static_cast<std::ptrdiff_t>(y) * stride);
        for (int x = 0; x < r.width; ++x) {
            const std::uint8_t* p = &r.rgba[(static_cast<std::size_t>(y) * r.width + x) * 4];
            const std::uint32_t a = p[3];
            const auto pm = [a](std::uint32_t v) { return (v * a + 127) / 255; };
            row[x] = (a << 24) | (pm(p[0]) << 16) | (pm(p[1]) << 8) | pm(p[2]);
        }
    }
    cairo_surface_mark_dirty(img);
    const Vec2 tl = t.apply({r.extent.minx, r.extent.maxy});
    const Vec2 br = t.apply({r.extent.maxx, r.extent.miny});
    cairo_save(cr);
    cairo_translate(cr, tl.x, tl.y);
    cairo_scale(cr, (br.x - tl.x) / r.width, (br.y - tl.y) / r.height);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_BILINEAR);
    cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
    cairo_rectangle(cr, 0, 0, r.width, r.height);
    cairo_clip(cr);
    cairo_paint_with_alpha(cr, r.opacity);
    cairo_restore(cr);
}

void draw_labels(cairo_t* cr, const Scene& s, const MapTransform& t, const Units& u, const Box& frame) {
    std::vector<carto::LabelSize> sizes;
    std::vector<double> ascent;
    for (const auto& l : s.labels) {
        set_font(cr, l.size_pt * u.pt);
        const FontMetrics fm = metrics(cr);
        sizes.push_back({text_width(cr, l.text), fm.height});
        ascent.push_back(fm.ascent);
    }
    const auto boxes = carto::place_scene_labels(s, [&](Vec2 p) { return t.apply(p); }, u.px, sizes, frame, 1.5 * u.px);
    for (std::size_t i = 0; i < s.labels.size(); ++i) {
        if (!boxes[i]) continue;
        const auto& l = s.labels[i];
        set_font(cr, l.size_pt * u.pt);
        show_text_halo(cr, boxes[i]->minx, boxes[i]->miny + ascent[i], l.text, l.color, l.halo, 2.2 * u.px);
    }
}


// [SECTION] Raster occlusion -------------------------------------------------------------------

bool p_style_is_pie(const carto::PieGlyph& p) { return p.style == carto::GlyphStyle::Pie; }

/// Device pixels a later glyph replaces whatever lay under them, one byte per pixel.
class CoverMask {
public:
    CoverMask(const RasterTarget& t) : m_t(t), m_w(std::max(0, t.clip_x1 - t.clip_x0)), m_h(std::max(0, t.clip_y1 - t.clip_y0)),
                                        m_bits(static_cast<std::size_t>(m_w) * static_cast<std::size_t>(m_h), 0) {}
    /// Every pixel of row y in [x0, x1] is covered (false when any lies outside the clip).
    [[nodiscard]] bool covered(int y, int x0, int x1) const {
        if (y < m_t.clip_y0 || y >= m_t.clip_y1 || x0 < m_t.clip_x0 || x1 >= m_t.clip_x1) return false;
        const std::uint8_t* row = &m_bits[static_cast<std::size_t>(y - m_t.clip_y0) * static_cast<std::size_t>(m_w)];
        return std::memchr(row + (x0 - m_t.clip_x0), 0, static_cast<std::size_t>(x1 - x0 + 1)) == nullptr;
    }
    /// Pixels [x0, x1] of row y, clipped to the clip.
    void cover(int y, int x0, int x1) {
        if (y < m_t.clip_y0 || y >= m_t.clip_y1) return;
        x0 = std::max(x0, m_t.clip_x0);
        x1 = std::min(x1, m_t.clip_x1 - 1);
        if (x1 < x0) return;
        std::memset(&m_bits[static_cast<std::size_t>(y - m_t.clip_y0) * static_cast<std::size_t>(m_w) + (x0 - m_t.clip_x0)], 1,
                    static_cast<std::size_t>(x1 - x0 + 1));
    }
    /// The pixels a disc of radius r at (cx, cy) can touch (antialiasing included) all
    /// covered: true. Otherwise false, and `open` is the bounding box of those not covered.
    [[nodiscard]] bool disc_covered(double cx, double cy, double r, PixelBox& open) const {
        const int y0 = static_cast<int>(std::floor(cy - r)), y1 = static_cast<int>(std::floor(cy + r));
        open = PixelBox{};
        for (int y = y0; y <= y1; ++y) {
            const double dy = std::max({0.0, y - cy, cy - (y + 1.0)});  // nearest distance of the row to cy
            const double half = std::sqrt(std::max(0.0, r * r - dy * dy));
            const int x0 = static_cast<int>(std::floor(cx - half)), x1 = static_cast<int>(std::floor(cx + half));
            if (covered(y, x0, x1)) continue;
            int a = x0, b = x1;  // the first and last pixel of the row not covered
            while (covered(y, a, a)) ++a;
            while (covered(y, b, b)) --b;
            open.expand(a, y, b, y);
        }
        return open.empty();
    }
    [[nodiscard]] bool box_covered(double x0, double y0, double x1, double y1) const {
        const int ix0 = static_cast<int>(std::floor(x0)), ix1 = static_cast<int>(std::floor(x1));
        for (int y = static_cast<int>(std::floor(y0)); y <= static_cast<int>(std::floor(y1)); ++y)
            if (!covered(y, ix0, ix1)) return false;
        return true;
    }

private:
    RasterTarget m_t;
    int m_w, m_h;
    std::vector<std::uint8_t> m_bits;
};

/// Marks the pixels a pie's slices cover completely: inside the device ellipse of the pie
/// (radius r user units, kx × ky device pixels per unit) less `margin`, clear of every slice
/// edge (a ray from the centre) by more than a pixel's half-diagonal + margin, and inside a
/// drawn slice (shares summing below 1 leave a gap).
void cover_pie(CoverMask& mask, const carto::PieGlyph& p, double cx, double cy, double r, double kx, double ky,
               double margin) {
    const double ri = r * std::min(kx, ky) - margin, rmax = r * std::max(kx, ky);
    if (!(ri > 1)) return;
    std::vector<std::pair<double, double>> arcs;  // slices as [a0, a1], radians from -pi/2, clockwise on the page
    std::vector<double> edges;
    bool full = false;
    double a0 = -M_PI / 2;
    for (const auto& sl : p.slices) {
        const double a1 = a0 + 2 * M_PI * static_cast<double>(sl.first);
        if (sl.first >= 0.9999f) full = true;
        arcs.emplace_back(a0, a1);
        edges.push_back(a0);
        edges.push_back(a1);
        a0 = a1;
    }
    const double clear = M_SQRT1_2 + margin;  // a pixel centre this far from a ray: the ray misses the pixel
    const auto in_slice = [&](double x, double y) {
        if (full) return true;
        double a = std::atan2((y - cy) / ky, (x - cx) / kx);  // user space, y down: clockwise, as cairo_arc draws
        for (const auto& [b0, b1] : arcs) {
            double v = a;
            while (v < b0) v += 2 * M_PI;
            while (v >= b0 + 2 * M_PI) v -= 2 * M_PI;
            if (v > b0 && v < b1) return true;
        }
        return false;
    };
    const int y0 = static_cast<int>(std::ceil(cy - ri)), y1 = static_cast<int>(std::floor(cy + ri)) - 1;
    std::vector<std::pair<double, double>> cuts;
    for (int y = y0; y <= y1; ++y) {
        const double dy = std::max(std::abs(y - cy), std::abs(y + 1.0 - cy));  // the row's farthest edge
        if (dy >= ri) continue;
        const double half = std::sqrt(ri * ri - dy * dy);
        const int xl = static_cast<int>(std::ceil(cx - half)), xr = static_cast<int>(std::floor(cx + half)) - 1;
        if (xr < xl) continue;
        if (full) {
            mask.cover(y, xl, xr);
            continue;
        }
        // The x-range where a ray comes within `clear` of a pixel centre of this row.
        cuts.clear();
        const double yc = y + 0.5;
        for (double e : edges) {
            const double dx = kx * std::cos(e), dy_ = ky * std::sin(e), len = std::hypot(dx, dy_);
            const double ux = dx / len, uy = dy_ / len;
            // Points of the ray (cx + s ux, cy + s uy), 0 <= s <= rmax, whose y is within yc ± (clear + 0.5).
            const double lo = yc - 0.5 - clear - cy, hi = yc + 0.5 + clear - cy;
            double s0 = 0, s1 = rmax;
            if (std::abs(uy) > 1e-12) {
                double a = lo / uy, b = hi / uy;
                if (a > b) std::swap(a, b);
                s0 = std::max(s0, a);
                s1 = std::min(s1, b);
            } else if (!(lo <= 0 && 0 <= hi)) {
                continue;
            }
            if (s0 > s1) continue;
            const double xa = cx + s0 * ux, xb = cx + s1 * ux;
            cuts.emplace_back(std::min(xa, xb) - clear - 0.5, std::max(xa, xb) + clear + 0.5);
        }
        std::sort(cuts.begin(), cuts.end());
        int x = xl;
        const auto run = [&](int from, int to) {  // pixels [from, to] clear of every ray: one slice each
            if (to < from) return;
            if (in_slice(from + 0.5, yc)) mask.cover(y, from, to);
        };
        for (const auto& [c0, c1] : cuts) {
            const int cut_from = static_cast<int>(std::floor(c0)), cut_to = static_cast<int>(std::ceil(c1));
            if (cut_to < x) continue;
            run(x, std::min(xr, cut_from - 1));
            x = std::max(x, cut_to + 1);
            if (x > xr) break;
        }
        run(x, xr);
    }
}

}  // namespace

RasterHidden raster_hidden(const Scene& s, const MapTransform& t, double px, const RasterTarget& target) {
    RasterHidden out;
    out.polygons.assign(s.polygons.size(), false);
    out.pies.assign(s.pies.size(), false);
    out.pie_open.assign(s.pies.size(), PixelBox{});
    if (!(target.ctm_sx > 0) || !(target.ctm_sy > 0) || target.clip_x1 <= target.clip_x0 || target.clip_y1 <= target.clip_y0) return out;
    CoverMask mask(target);
    const double kx = target.ctm_sx, ky = target.ctm_sy, kmax = std::max(kx, ky);
    const auto dev = [&](Vec2 user) { return Vec2{user.x * kx + target.ctm_x0, user.y * ky + target.ctm_y0}; };
    // Antialiasing touches the pixels a shape's edge passes through; cairo's flattening
    // moves an edge by up to the tolerance (twice: arc to spline, spline to lines).
    const double margin = 2 * target.tolerance + 0.05;
    for (std::size_t i = s.pies.size(); i-- > 0;) {
        const carto::PieGlyph& p = s.pies[i];
        const Vec2 c = dev(t.apply(p.center));
        const double r = p.radius_px * px, stroke = 0.6 * px * kmax;  // r in user units
        if (p.style == carto::GlyphStyle::Bar) {  // 2r × r rectangle and its outline
            const double e = stroke / 2 + margin + 1;
            if (mask.box_covered(c.x - r * kx / 2 - e, c.y - r * ky - e, c.x + r * kx / 2 + e, c.y + r * ky + e)) {
                out.pies[i] = true;
                ++out.count;
            }
            continue;
        }
        PixelBox open;
        if (mask.disc_covered(c.x, c.y, r * kmax + stroke / 2 + margin + 1, open)) {
            out.pies[i] = true;
            ++out.count;
            continue;
        }
        out.pie_open[i] = open;
        cover_pie(mask, p, c.x, c.y, r, kx, ky, margin);
    }
    if (s.pies.empty()) return out;
    for (std::size_t i = 0; i < s.polygons.size(); ++i) {
        const carto::FillPolygon& p = s.polygons[i];
        if (!p.geometry || p.geometry->polygons.empty()) continue;
        const Box b = p.geometry->bounds();
        const Vec2 a = dev(t.apply({b.minx, b.miny})), z = dev(t.apply({b.maxx, b.maxy}));
        const double e = (p.stroke_px > 0 ? p.stroke_px * px * kmax / 2 : 0) + margin + 1;
        if (mask.box_covered(std::min(a.x, z.x) - e, std::min(a.y, z.y) - e, std::max(a.x, z.x) + e,
                             std::max(a.y, z.y) + e)) {
            out.polygons[i] = true;
            ++out.count;
        }
    }
    return out;
}

namespace {

/// The raster occlusion of the map about to be drawn on `cr` inside `frame` (called before
/// the frame's clip is set), or nothing on a vector surface, a rotated or skewed CTM, a
/// device offset or scale, or a clip already set that is not one pixel-aligned rectangle.
std::optional<RasterHidden> hidden_for(cairo_t* cr, const Scene& s, const MapTransform& t, const Units& u,
                                       const Box& frame) {
    if (s.pies.empty()) return std::nullopt;
    cairo_surface_t* target = cairo_get_target(cr);
    const cairo_surface_type_t type = cairo_surface_get_type(target);
    double ox = 0, oy = 0, sx = 1, sy = 1;
    cairo_surface_get_device_offset(target, &ox, &oy);
    cairo_surface_get_device_scale(target, &sx, &sy);
    cairo_matrix_t m;
    cairo_get_matrix(cr, &m);
    if (ox != 0 || oy != 0 || sx != 1 || sy != 1 || m.xy != 0 || m.yx != 0 || !(m.xx > 0) || !(m.yy > 0)) return std::nullopt;
    if (type == CAIRO_SURFACE_TYPE_PDF || type == CAIRO_SURFACE_TYPE_SVG) {
        // Vector pages have no pixels: the test runs on cells of a 300 dpi grid of the page
        // (device units are points), so what is left out lies geometrically inside later
        // slices (each cell by the margin) and stays hidden at every zoom; only a viewer's
        // antialiasing seam along a covering slice's rim, at zooms below 300 dpi, could
        // have shown a trace of it. Nothing is boxed (a clip would not shrink the file).
        const double k = 300.0 / 72.0;
        RasterTarget rt;
        rt.ctm_sx = m.xx * k;
        rt.ctm_sy = m.yy * k;
        rt.ctm_x0 = m.x0 * k;
        rt.ctm_y0 = m.y0 * k;
        rt.clip_x0 = static_cast<int>(std::ceil(frame.minx * rt.ctm_sx + rt.ctm_x0));
        rt.clip_y0 = static_cast<int>(std::ceil(frame.miny * rt.ctm_sy + rt.ctm_y0));
        rt.clip_x1 = static_cast<int>(std::floor(frame.maxx * rt.ctm_sx + rt.ctm_x0));
        rt.clip_y1 = static_cast<int>(std::floor(frame.maxy * rt.ctm_sy + rt.ctm_y0));
        RasterHidden h = raster_hidden(s, t, u.px, rt);
        h.pie_open.assign(s.pies.size(), PixelBox{});
        return h;
    }
    if (type != CAIRO_SURFACE_TYPE_IMAGE) return std::nullopt;
    cairo_rectangle_list_t* rects = cairo_copy_clip_rectangle_list(cr);
    std::optional<RasterHidden> out;
    if (rects->status == CAIRO_STATUS_SUCCESS && rects->num_rectangles == 1) {
        const cairo_rectangle_t& r = rects->rectangles[0];  // user units: the surface, or the clip
        const double x0 = std::max(r.x, frame.minx), y0 = std::max(r.y, frame.miny);
        const cairo_rectangle_t c{x0, y0, std::min(r.x + r.width, frame.maxx) - x0, std::min(r.y + r.height, frame.maxy) - y0};
        RasterTarget rt;
        rt.ctm_sx = m.xx;
        rt.ctm_sy = m.yy;
        rt.ctm_x0 = m.x0;
        rt.ctm_y0 = m.y0;
        const int w = cairo_image_surface_get_width(target), h = cairo_image_surface_get_height(target);
        // Pixels wholly inside the clip (and the surface).
        rt.clip_x0 = std::max(0, static_cast<int>(std::ceil(c.x * m.xx + m.x0)));
        rt.clip_y0 = std::max(0, static_cast<int>(std::ceil(c.y * m.yy + m.y0)));
        rt.clip_x1 = std::min(w, static_cast<int>(std::floor((c.x + c.width) * m.xx + m.x0)));
        rt.clip_y1 = std::min(h, static_cast<int>(std::floor((c.y + c.height) * m.yy + m.y0)));
        rt.tolerance = cairo_get_tolerance(cr);
        out = raster_hidden(s, t, u.px, rt);
    }
    cairo_rectangle_list_destroy(rects);
    return out;
}

/// Draws the map content of a scene with transform t, clipped to `frame` (user units).
void draw_map(cairo_t* cr, const Scene& s, const MapTransform& t, const Units& u, const Box& frame,
              bool skip_hidden = true) {
    cairo_save(cr);
    const std::optional<RasterHidden> hidden = skip_hidden ? hidden_for(cr, s, t, u, frame) : std::nullopt;
    cairo_rectangle(cr, frame.minx, frame.miny, frame.width(), frame.height());
    cairo_clip(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    // Hatched polygons of one role (units do not overlap) are filled and stroked in order,
    // then hatched together through one clip of their union: one clip per run instead of
    // one per polygon (a city whose every unit is withheld: 100,000 clips in a PDF). A
    // polygon later pies hide is left out with its hatching (inside its extent).
    std::vector<const carto::FillPolygon*> hatched;
    auto flush_hatched = [&]() {
        if (hatched.empty()) return;
        cairo_save(cr);
        cairo_new_path(cr);
        for (const carto::FillPolygon* h : hatched) geometry_path(cr, *h->geometry, t);
        cairo_clip(cr);
        double x0, y0, x1, y1;
        cairo_clip_extents(cr, &x0, &y0, &x1, &y1);
        hatch(cr, x0, y0, x1, y1, 5.0 * u.px, 0.9 * u.px, Color::rgb(120, 120, 120));
        cairo_restore(cr);
        cairo_new_path(cr);
        hatched.clear();
    };
    for (std::size_t i = 0; i < s.polygons.size(); ++i) {
        const carto::FillPolygon& p = s.polygons[i];
        if (!p.geometry || p.geometry->polygons.empty() || (hidden && hidden->polygons[i])) continue;
        if (!hatched.empty() && hatched.front()->role != p.role) flush_hatched();
        cairo_new_path(cr);
        geometry_path(cr, *p.geometry, t);
        if (p.hatched) hatched.push_back(&p);
        if (p.fill.a > 0 || p.hatched) {
            set_color(cr, p.fill);
            cairo_fill_preserve(cr);
        }
        if (p.stroke_px > 0 && p.stroke.a > 0) {
            set_color(cr, p.stroke);
            cairo_set_line_width(cr, p.stroke_px * u.px);
            cairo_stroke(cr);
        }
        cairo_new_path(cr);
    }
    flush_hatched();
    if (s.raster) draw_raster(cr, *s.raster, t);
    for (const auto& l : s.lines) {
        if (!l.geometry) continue;
        cairo_new_path(cr);
        lines_path(cr, *l.geometry, t);
        set_color(cr, l.color);
        cairo_set_line_width(cr, l.width_px * u.px);
        if (l.dashed) {
            const double d[2] = {3.0 * u.px, 2.0 * u.px};
            cairo_set_dash(cr, d, 2, 0);
        }
        cairo_stroke(cr);
        cairo_set_dash(cr, nullptr, 0, 0);
    }
    cairo_matrix_t ctm;
    cairo_get_matrix(cr, &ctm);
    for (std::size_t i = 0; i < s.pies.size(); ++i) {
        if (hidden && hidden->pies[i]) continue;
        // A pie partly under later pies: drawn inside the box of its pixels they leave
        // uncovered (pixel-aligned, so the pixels inside come out the same).
        const bool boxed = hidden && !hidden->pie_open[i].empty() && p_style_is_pie(s.pies[i]);
        if (boxed) {
            const PixelBox& b = hidden->pie_open[i];
            cairo_save(cr);
            cairo_identity_matrix(cr);
            cairo_rectangle(cr, b.x0, b.y0, b.x1 - b.x0 + 1, b.y1 - b.y0 + 1);
            cairo_clip(cr);
            cairo_set_matrix(cr, &ctm);
        }
        const carto::PieGlyph& p = s.pies[i];
        const Vec2 c = t.apply(p.center);
        const double r = p.radius_px * u.px;
        if (p.style == carto::GlyphStyle::Bar) {
            // 2r tall, r wide, shares stacked from the bottom (page y grows downwards).
            double y = c.y + r;
            for (const auto& [share, color] : p.slices) {
                const double h = 2 * r * std::min(1.0f, share);
                cairo_new_path(cr);
                cairo_rectangle(cr, c.x - r / 2, y - h, r, h);
                set_color(cr, color);
                cairo_fill(cr);
                y -= h;
            }
            cairo_new_path(cr);
            cairo_rectangle(cr, c.x - r / 2, c.y - r, r, 2 * r);
            cairo_set_source_rgba(cr, 0.2, 0.2, 0.2, 0.9);
            cairo_set_line_width(cr, 0.6 * u.px);
            cairo_stroke(cr);
            continue;
        }
        double a0 = -M_PI / 2;
        for (const auto& [share, color] : p.slices) {
            const double a1 = a0 + 2 * M_PI * share;
            cairo_new_path(cr);
            if (share >= 0.9999f) {
                cairo_arc(cr, c.x, c.y, r, 0, 2 * M_PI);
            } else {
                cairo_move_to(cr, c.x, c.y);
                cairo_arc(cr, c.x, c.y, r, a0, a1);
                cairo_close_path(cr);
            }
            set_color(cr, color);
            cairo_fill(cr);
            a0 = a1;
        }
        cairo_new_path(cr);
        cairo_arc(cr, c.x, c.y, r, 0, 2 * M_PI);
        cairo_set_source_rgba(cr, 0.2, 0.2, 0.2, 0.9);
        cairo_set_line_width(cr, 0.6 * u.px);
        cairo_stroke(cr);
        if (boxed) cairo_restore(cr);
    }
    for (const auto& p : s.points) {
        const Vec2 c = t.apply(p.position);
        cairo_new_path(cr);
        shape_path(cr, p.shape, c.x, c.y, p.radius_px * u.px);
        set_color(cr, p.fill);
        cairo_fill_preserve(cr);
        set_color(cr, p.stroke);
        cairo_set_line_width(cr, 0.5 * u.px);
        cairo_stroke(cr);
    }
    draw_labels(cr, s, t, u, frame);
    cairo_restore(cr);
}

// [SECTION] Page furniture -------------------------------------------------------------------

const Color kInk = Color::rgb(33, 33, 33);
const Color kGrey = Color::rgb(97, 97, 97);

void draw_legend_symbol(cairo_t* cr, const LegendItem& it, double x, double y, double w, double h, const Units& u) {
    switch (it.kind) {
        case LegendItem::Kind::Swatch:
            cairo_rectangle(cr, x, y, w, h);
            set_color(cr, it.color);
            cairo_fill_preserve(cr);
            cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
            cairo_set_line_width(cr, 0.15);
            cairo_stroke(cr);
            break;
        case LegendItem::Kind::Hatch:
            cairo_save(cr);
            cairo_rectangle(cr, x, y, w, h);
            cairo_set_source_rgb(cr, 0.98, 0.98, 0.98);
            cairo_fill_preserve(cr);
            cairo_clip(cr);
            hatch(cr, x, y, x + w, y + h, 5.0 * u.px, 0.9 * u.px, Color::rgb(120, 120, 120));
            cairo_restore(cr);
            cairo_rectangle(cr, x, y, w, h);
            cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
            cairo_set_line_width(cr, 0.15);
            cairo_stroke(cr);
            break;
        case LegendItem::Kind::Line:
            cairo_move_to(cr, x, y + h / 2);
            cairo_line_to(cr, x + w, y + h / 2);
            set_color(cr, it.color);
            cairo_set_line_width(cr, 1.6 * u.px);
            cairo_stroke(cr);
            break;
        case LegendItem::Kind::Point:
            shape_path(cr, it.shape, x + w / 2, y + h / 2, std::min(w, h) * 0.4);
            set_color(cr, it.color);
            cairo_fill_preserve(cr);
            cairo_set_source_rgb(cr, 1, 1, 1);
            cairo_set_line_width(cr, 0.15);
            cairo_stroke(cr);
            break;
        default: break;
    }
}

/// Legend flowing in columns inside `box`; shrinks everything (down to 45 %) to fit.
void draw_legend(cairo_t* cr, const std::vector<LegendItem>& legend, const Rect& box, const Units& u) {
    cairo_rectangle(cr, box.x, box.y, box.w, box.h);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
    cairo_set_line_width(cr, 0.25);
    cairo_stroke(cr);
    const double pad = 3;
    const double col_w = std::min(box.w - 2 * pad, 72.0);
    const int ncols = std::max(1, static_cast<int>((box.w - 2 * pad + 4) / (col_w + 4)));
    auto item_h = [](const LegendItem& it) {
        return it.kind == LegendItem::Kind::Header ? 6.0 : (it.kind == LegendItem::Kind::Ramp ? 11.0 : 4.4);
    };
    double k = 1.0;
    for (; k > 0.45; k *= 0.93) {
        int col = 0;
        double y = 0;
        bool ok = true;
        for (const auto& it : legend) {
            const double h = item_h(it) * k;
            if (y + h > box.h - 2 * pad && y > 0) {
                ++col;
                y = 0;
            }
            y += h;
            set_font(cr, (it.kind == LegendItem::Kind::Header ? 8.0 : 7.0) * k * u.pt);
            const double lw = text_width(cr, it.label) + (it.kind == LegendItem::Kind::Header ? 0 : 7.5 * k);
            if (lw > col_w) ok = false;
        }
        if (ok && col < ncols) break;
    }
    int col = 0;
    double y = 0;
    for (const auto& it : legend) {
        const double h = item_h(it) * k;
        if (y + h > box.h - 2 * pad && y > 0) {
            ++col;
            y = 0;
        }
        const double x0 = box.x + pad + col * (col_w + 4);
        const double y0 = box.y + pad + y;
        y += h;
        if (it.kind == LegendItem::Kind::Header) {
            set_font(cr, 8.0 * k * u.pt);
            show_text(cr, x0, y0 + h - 1.6 * k, it.label, kInk);
            continue;
        }
        set_font(cr, 7.0 * k * u.pt);
        const FontMetrics fm = metrics(cr);
        if (it.kind == LegendItem::Kind::Ramp) {
            const double bw = std::min(col_w - 2, 50.0 * k), bh = 3.4 * k;
            const PatternPtr gradient(cairo_pattern_create_linear(x0, 0, x0 + bw, 0));
            cairo_pattern_t* g = gradient.get();
            for (std::size_t i = 0; i < it.ramp.size(); ++i) {
                const Color& c = it.ramp[i];
                cairo_pattern_add_color_stop_rgb(g, it.ramp.size() > 1 ? static_cast<double>(i) / (it.ramp.size() - 1) : 0,
                                                 c.r, c.g, c.b);
            }
            cairo_rectangle(cr, x0, y0 + 0.5, bw, bh);
            cairo_set_source(cr, g);
            cairo_fill_preserve(cr);
            cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
            cairo_set_line_width(cr, 0.15);
            cairo_stroke(cr);
            const double by = y0 + 0.5 + bh + fm.ascent + 0.5;
            show_text(cr, x0, by, it.ramp_low, kInk);
            show_text(cr, x0 + bw - text_width(cr, it.ramp_high), by, it.ramp_high, kInk);
            show_text(cr, x0, by + fm.height + 0.2, it.ramp_unit, kGrey);
            continue;
        }
        draw_legend_symbol(cr, it, x0, y0 + (h - 3.0 * k) / 2, 5.5 * k, 3.0 * k, u);
        show_text(cr, x0 + 7.5 * k, y0 + h / 2 + (fm.ascent - fm.descent) / 2, it.label, kInk);
    }
}

void draw_scale_bar(cairo_t* cr, const Layout& l, const Scene& s, carto::Lang lang, const Units& u) {
    const ScaleBar& sb = l.scale_bar;
    if (!(sb.length_mm > 0)) return;
    const Rect& b = sb.bar;
    set_font(cr, 6.5 * u.pt);
    const FontMetrics fm = metrics(cr);
    char den[64] = "";
    if (sb.scale_denominator > 0) {
        const double p = std::pow(10.0, std::floor(std::log10(sb.scale_denominator)) - 1);
        std::snprintf(den, sizeof den, "1:%.0f", std::round(sb.scale_denominator / p) * p);
    }
    const double label_w = text_width(cr, sb.label);
    const double seg = b.w / sb.segments;
    for (int i = 0; i < sb.segments; ++i) {
        cairo_rectangle(cr, b.x + i * seg, b.y, seg, b.h);
        if (i % 2 == 0) cairo_set_source_rgb(cr, 0.13, 0.13, 0.13);
        else cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill(cr);
    }
    cairo_rectangle(cr, b.x, b.y, b.w, b.h);
    cairo_set_source_rgb(cr, 0.13, 0.13, 0.13);
    cairo_set_line_width(cr, 0.2);
    cairo_stroke(cr);
    show_text(cr, b.x - text_width(cr, "0") / 2, b.y - 0.8, "0", kInk);
    show_text(cr, b.right() - label_w / 2, b.y - 0.8, sb.label, kInk);
    if (den[0]) show_text(cr, b.x, b.bottom() + fm.ascent + 1.0, den, kGrey);
    (void)s;
    (void)lang;
}

void draw_north_arrow(cairo_t* cr, const Layout& l, const Units& u) {
    const Rect& r = l.north_arrow;
    const double cx = r.x + r.w / 2;
    set_font(cr, 8.0 * u.pt);
    const FontMetrics fm = metrics(cr);
    const double top = r.y + fm.height + 0.5;
    const double bottom = r.bottom();
    // Two halves: dark left, light right.
    cairo_move_to(cr, cx, top);
    cairo_line_to(cr, cx - r.w * 0.3, bottom);
    cairo_line_to(cr, cx, bottom - (bottom - top) * 0.28);
    cairo_close_path(cr);
    cairo_set_source_rgb(cr, 0.13, 0.13, 0.13);
    cairo_fill(cr);
    cairo_move_to(cr, cx, top);
    cairo_line_to(cr, cx + r.w * 0.3, bottom);
    cairo_line_to(cr, cx, bottom - (bottom - top) * 0.28);
    cairo_close_path(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.13, 0.13, 0.13);
    cairo_set_line_width(cr, 0.2);
    cairo_stroke(cr);
    show_text(cr, cx - text_width(cr, "N") / 2, r.y + fm.ascent, "N", kInk);
}

double page_big(const Layout& l) {
    return l.paper.width_mm > 400 || l.paper.height_mm > 400 ? 1.3 : 1.0;
}

void draw_background(cairo_t* cr, const Layout& l) {
    cairo_rectangle(cr, 0, 0, l.paper.width_mm, l.paper.height_mm);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill(cr);
}

void draw_titles(cairo_t* cr, const std::string& title, const std::string& subtitle, const Rect& box,
                 double big, const Units& u) {
    set_font(cr, 15.0 * big * u.pt);
    double fs = 15.0 * big;
    while (text_width(cr, title) > box.w && fs > 8) set_font(cr, (fs *= 0.92) * u.pt);
    FontMetrics fm = metrics(cr);
    show_text(cr, box.x, box.y + fm.ascent, title, kInk);
    const double sub_y = box.y + fm.height + 0.8;
    // Subtitle: shrinks to 7 pt, then wraps onto a second line (then shrinks further).
    double ss = 8.5 * big;
    set_font(cr, ss * u.pt);
    while (text_width(cr, subtitle) > box.w && ss > 7 * big) set_font(cr, (ss *= 0.95) * u.pt);
    std::vector<std::string> sub = wrap_text(cr, subtitle, box.w);
    while (sub.size() > 2 && ss > 4) {
        set_font(cr, (ss *= 0.93) * u.pt);
        sub = wrap_text(cr, subtitle, box.w);
    }
    fm = metrics(cr);
    double line_y = sub_y + fm.ascent;
    for (const auto& line : sub) {
        show_text(cr, box.x, line_y, line, kGrey);
        line_y += fm.height;
    }
}

void draw_frame_border(cairo_t* cr, const Rect& f) {
    cairo_rectangle(cr, f.x, f.y, f.w, f.h);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    cairo_set_line_width(cr, 0.3);
    cairo_stroke(cr);
}

void draw_stamp(cairo_t* cr, const std::string& stamp, const Rect& f, double big, const Units& u) {
    if (stamp.empty()) return;
    set_font(cr, 12.0 * big * u.pt);
    const FontMetrics fm = metrics(cr);
    const double w = text_width(cr, stamp);
    const double x = f.x + (f.w - w) / 2, y = f.y + 4 + fm.ascent;
    cairo_rectangle(cr, x - 2, f.y + 3, w + 4, fm.height + 2);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.9);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.8, 0, 0);
    cairo_set_line_width(cr, 0.5);
    cairo_stroke(cr);
    show_text(cr, x, y, stamp, Color::rgb(204, 0, 0));
}

void draw_furniture(cairo_t* cr, const Layout& l, const Scene& s, const Units& u) {
    const Rect& fb = l.furniture_box;
    cairo_rectangle(cr, fb.x, fb.y, fb.w, fb.h);
    cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
    cairo_set_line_width(cr, 0.25);
    cairo_stroke(cr);
    draw_scale_bar(cr, l, s, s.request.lang, u);
    draw_north_arrow(cr, l, u);
}

/// Notes: wrapped; the font shrinks until they fit the box. The first note is red when it
/// is the illustrative-data line.
void draw_notes(cairo_t* cr, const std::vector<std::string>& notes, const Rect& nb, double big,
                const Units& u) {
    double size = 6.4 * big;
    FontMetrics fm{};
    std::vector<std::pair<std::string, bool>> lines;  // text, emphasised
    for (int attempt = 0; attempt < 8; ++attempt, size *= 0.9) {
        set_font(cr, size * u.pt);
        fm = metrics(cr);
        lines.clear();
        for (std::size_t i = 0; i < notes.size(); ++i)
            for (auto& w : wrap_text(cr, notes[i], nb.w)) lines.emplace_back(w, i == 0);
        if (lines.size() * (fm.height + 0.3) <= nb.h) break;
    }
    double y = nb.y;
    const bool illustrative = !notes.empty() && notes[0].find("示意数据") != std::string::npos;
    for (const auto& [text, first] : lines) {
        show_text(cr, nb.x, y + fm.ascent, text, first && illustrative ? Color::rgb(183, 28, 28) : kGrey);
        y += fm.height + 0.3;
    }
}

void draw_page(cairo_t* cr, const Scene& s, const Layout& l, bool skip_hidden = true) {
    const Units u{kMmPerPx, kMmPerPt};
    const double big = page_big(l);
    draw_background(cr, l);
    draw_titles(cr, s.title, s.subtitle, l.title_box, big, u);
    const Rect& f = l.map_frame;
    draw_map(cr, s, l.map, u, Box{f.x, f.y, f.right(), f.bottom()}, skip_hidden);
    draw_frame_border(cr, f);
    draw_stamp(cr, s.stamp, f, big, u);
    draw_legend(cr, s.legend, l.legend_box, u);
    draw_furniture(cr, l, s, u);
    draw_notes(cr, s.notes, l.notes_box, big, u);
}

/// A small table in `box`: the first row is the header (grey band); the first column is
/// left-aligned, the others right-aligned. The font shrinks (down to 4.5 pt) to fit.
void draw_table(cairo_t* cr, const std::vector<std::vector<std::string>>& rows, const Rect& box, double big,
                const Units& u) {
    if (rows.empty()) return;
    const std::size_t ncol = rows[0].size();
    double size = 7.0 * big;
    FontMetrics fm{};
    std::vector<double> cw(ncol, 0.0);
    for (; size > 4.5; size *= 0.93) {
        set_font(cr, size * u.pt);
        fm = metrics(cr);
        std::fill(cw.begin(), cw.end(), 0.0);
        for (const auto& r : rows)
            for (std::size_t c = 0; c < ncol && c < r.size(); ++c)
                cw[c] = std::max(cw[c], text_width(cr, r[c]) + 3.0);
        double total = 0;
        for (double w : cw) total += w;
        if (total <= box.w && static_cast<double>(rows.size()) * (fm.height + 0.8) <= box.h) break;
    }
    double total = 0;
    for (double w : cw) total += w;
    if (total < box.w && ncol > 0) cw[0] += box.w - total;  // the label column takes the rest
    const double rh = fm.height + 0.8;
    double y = box.y;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        if (r == 0) {
            cairo_rectangle(cr, box.x, y, box.w, rh);
            cairo_set_source_rgb(cr, 0.92, 0.92, 0.92);
            cairo_fill(cr);
        }
        double x = box.x;
        for (std::size_t c = 0; c < ncol; ++c) {
            const std::string& t = c < rows[r].size() ? rows[r][c] : std::string();
            const double tx = c == 0 ? x + 1.0 : x + cw[c] - 1.5 - text_width(cr, t);
            show_text(cr, tx, y + 0.4 + fm.ascent, t, r == 0 ? Color::rgb(0, 0, 0) : kInk);
            x += cw[c];
        }
        cairo_move_to(cr, box.x, y + rh);
        cairo_line_to(cr, box.x + box.w, y + rh);
        cairo_set_source_rgb(cr, 0.8, 0.8, 0.8);
        cairo_set_line_width(cr, 0.15);
        cairo_stroke(cr);
        y += rh;
    }
}

void draw_scenario_page(cairo_t* cr, const ScenarioPage& p, const ScenarioLayout& l) {
    const Units u{kMmPerPx, kMmPerPt};
    const double big = page_big(l);
    draw_background(cr, l);
    draw_titles(cr, p.title, p.subtitle, l.title_box, big, u);
    const auto panel = [&](const Scene& s, const std::string& heading, const Rect& head, const Rect& f,
                           const MapTransform& t) {
        set_font(cr, 9.0 * big * u.pt);
        double hs = 9.0 * big;
        while (text_width(cr, heading) > head.w && hs > 5) set_font(cr, (hs *= 0.93) * u.pt);
        const FontMetrics fm = metrics(cr);
        show_text(cr, head.x, head.bottom() - 1.2 - fm.descent, heading, Color::rgb(0, 0, 0));
        draw_map(cr, s, t, u, Box{f.x, f.y, f.right(), f.bottom()});
        draw_frame_border(cr, f);
        draw_stamp(cr, p.stamp, f, big, u);
    };
    panel(p.before, p.before_title, l.before_heading, l.map_frame, l.map);
    panel(p.after, p.after_title, l.after_heading, l.after_frame, l.after_map);
    draw_table(cr, p.table, l.table_box, big, u);
    draw_legend(cr, p.legend, l.legend_box, u);
    draw_furniture(cr, l, p.before, u);
    draw_notes(cr, p.notes, l.notes_box, big, u);
}

// [SECTION] Writers ---------------------------------------------------------------------------

/// Bytes from cairo or libpng go to an hq::AtomicFile (the one writer, geo/io/writer.hpp);
/// the first write error (e.g. "PATH: cannot write: the disk is full") is kept to rethrow.
struct Sink {
    hq::AtomicFile* file = nullptr;
    std::exception_ptr failure;

    bool put(const unsigned char* data, std::size_t length) noexcept {
        if (failure) return false;
        try {
            file->write(std::string_view(reinterpret_cast<const char*>(data), length));
            return true;
        } catch (...) {
            failure = std::current_exception();
            return false;
        }
    }
};

cairo_status_t cairo_sink(void* closure, const unsigned char* data, unsigned int length) {
    return static_cast<Sink*>(closure)->put(data, length) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/// Calls write(sink) with a sink into an hq::AtomicFile, then commits it to path. On any
/// failure the temporary is removed and InputError names the path.
void write_atomically(const std::string& path, const std::function<std::string(Sink&)>& write) {
    hq::AtomicFile file(path);
    Sink sink{&file, nullptr};
    std::string error;
    try {
        error = write(sink);
    } catch (const std::exception& e) {
        error = e.what();
    }
    if (sink.failure) std::rethrow_exception(sink.failure);
    if (!error.empty()) throw InputError(ErrorContext{path, {}, {}, {}, {}}, "cannot write: " + error);
    file.commit();
}

std::string status_error(cairo_status_t st) {
    return st == CAIRO_STATUS_SUCCESS ? std::string() : std::string(cairo_status_to_string(st));
}

void check_dpi(double dpi) {
    if (!(dpi >= 72 && dpi <= 600)) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%g", dpi);
        throw InputError(std::string("--dpi must be between 72 and 600 (got ") + buf + ")");
    }
}

Image image_from_surface(cairo_surface_t* surf) {
    cairo_surface_flush(surf);
    Image img;
    img.width = cairo_image_surface_get_width(surf);
    img.height = cairo_image_surface_get_height(surf);
    const int stride = cairo_image_surface_get_stride(surf);
    const unsigned char* data = cairo_image_surface_get_data(surf);
    const cairo_format_t fmt = cairo_image_surface_get_format(surf);
    img.rgba.resize(static_cast<std::size_t>(img.width) * img.height * 4);
    for (int y = 0; y < img.height; ++y) {
        const auto* row = reinterpret_cast<const std::uint32_t*>(data + static_cast<std::ptrdiff_t>(y) * stride);
        for (int x = 0; x < img.width; ++x) {
            const std::uint32_t v = row[x];
            std::uint32_t a = fmt == CAIRO_FORMAT_ARGB32 ? (v >> 24) : 255;
            std::uint8_t* o = &img.rgba[(static_cast<std::size_t>(y) * img.width + x) * 4];
            const auto un = [a](std::uint32_t c) {
                return static_cast<std::uint8_t>(a == 0 ? 0 : std::min<std::uint32_t>(255, (c * 255 + a / 2) / a));
            };
            o[0] = un((v >> 16) & 0xff);
            o[1] = un((v >> 8) & 0xff);
            o[2] = un(v & 0xff);
            o[3] = static_cast<std::uint8_t>(a);
        }
    }
    return img;
}

/// An opaque RGB24 image surface of the page at o.dpi, drawn by `draw` in page millimetres.
SurfacePtr render_surface(const PaperSize& paper, const PageOptions& o, const std::function<void(cairo_t*)>& draw) {
    check_dpi(o.dpi);
    const int w = pixels_for(paper.width_mm, o.dpi), h = pixels_for(paper.height_mm, o.dpi);
    SurfacePtr surf(cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h));
    if (cairo_surface_status(surf.get()) != CAIRO_STATUS_SUCCESS)
        throw InputError("cannot allocate a " + std::to_string(w) + " × " + std::to_string(h) + " image");
    {
        const CairoPtr cr(cairo_create(surf.get()));
        cairo_scale(cr.get(), w / paper.width_mm, h / paper.height_mm);
        draw(cr.get());
    }
    cairo_surface_flush(surf.get());
    return surf;
}

SurfacePtr render_page_surface(const Scene& s, const PageOptions& o) {
    const Layout l = make_layout(s, o.tmpl);
    return render_surface(l.paper, o, [&](cairo_t* cr) { draw_page(cr, s, l, o.skip_hidden); });
}

// libpng error handling: errors longjmp back to the writer with the message kept here.
struct PngState {
    std::string error;
};
void png_error_fn(png_structp png, png_const_charp msg) {
    if (auto* st = static_cast<PngState*>(png_get_error_ptr(png))) st->error = msg ? msg : "libpng error";
    png_longjmp(png, 1);
}
void png_warning_fn(png_structp, png_const_charp) {}

/// Writes an image surface (RGB24 or ARGB32) as an 8-bit PNG with libpng: RGB when the
/// surface is opaque (RGB24), else RGBA un-premultiplied; zlib level 3 and the "sub" filter
/// only (fast; maps are mostly flat colour; bench/bench_export.cpp compares settings), pHYs = dpi.
/// Returns "" or an error message.
void png_write_fn(png_structp png, png_bytep data, png_size_t length) {
    if (!static_cast<Sink*>(png_get_io_ptr(png))->put(data, length)) png_error(png, "write error");
}
void png_flush_fn(png_structp) {}

std::string write_png_libpng(cairo_surface_t* surf, Sink& sink, double dpi) {
    cairo_surface_flush(surf);
    const int w = cairo_image_surface_get_width(surf), h = cairo_image_surface_get_height(surf);
    const int stride = cairo_image_surface_get_stride(surf);
    const unsigned char* data = cairo_image_surface_get_data(surf);
    const bool alpha = cairo_image_surface_get_format(surf) == CAIRO_FORMAT_ARGB32;
    if (!data || w <= 0 || h <= 0) return "empty image";
    PngState st;
    // Everything with a destructor lives before setjmp: libpng's longjmp lands back in this
    // frame, so they are all destroyed on the error return too.
    const PngWriteStruct ps(&st, png_error_fn, png_warning_fn);
    if (!ps.ok()) return "cannot initialise libpng";
    png_structp png = ps.png();
    png_infop info = ps.info();
    const std::size_t channels = alpha ? 4 : 3;
    std::vector<unsigned char> row(static_cast<std::size_t>(w) * channels);
    if (setjmp(png_jmpbuf(png))) return st.error.empty() ? std::string("libpng error") : st.error;
    png_set_write_fn(png, &sink, png_write_fn, png_flush_fn);
    png_set_IHDR(png, info, static_cast<png_uint_32>(w), static_cast<png_uint_32>(h), 8,
                 alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    const auto ppm = static_cast<png_uint_32>(std::lround(dpi / 0.0254));
    png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    png_set_compression_level(png, 3);
    png_set_compression_strategy(png, Z_DEFAULT_STRATEGY);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
    png_write_info(png, info);
    for (int y = 0; y < h; ++y) {
        const auto* src =
            reinterpret_cast<const std::uint32_t*>(data + static_cast<std::ptrdiff_t>(y) * stride);
        unsigned char* o = row.data();
        if (!alpha) {
            for (int x = 0; x < w; ++x, o += 3) {
                const std::uint32_t v = src[x];
                o[0] = static_cast<unsigned char>(v >> 16);
                o[1] = static_cast<unsigned char>(v >> 8);
                o[2] = static_cast<unsigned char>(v);
            }
        } else {
            for (int x = 0; x < w; ++x, o += 4) {
                const std::uint32_t v = src[x];
                const std::uint32_t a = v >> 24;
                const auto un = [a](std::uint32_t c) {
                    return static_cast<unsigned char>(
                        a == 0 ? 0 : std::min<std::uint32_t>(255, (c * 255 + a / 2) / a));
                };
                o[0] = un((v >> 16) & 0xff);
                o[1] = un((v >> 8) & 0xff);
                o[2] = un(v & 0xff);
                o[3] = static_cast<unsigned char>(a);
            }
        }
        png_write_row(png, row.data());
    }
    png_write_end(png, info);
    return {};
}

/// Writes the surface to `path` atomically (libpng, or cairo's encoder when asked).
void write_png_surface(cairo_surface_t* surf, const std::string& path, const PageOptions& o) {
    write_atomically(path, [&](Sink& sink) {
        if (o.cairo_png_encoder) return status_error(cairo_surface_write_to_png_stream(surf, cairo_sink, &sink));
        return write_png_libpng(surf, sink, o.dpi);
    });
}

/// PDF or SVG of a page drawn by `draw` in page millimetres, written atomically.
void write_vector(const std::string& path, Format format, const PaperSize& paper, const std::string& title,
                  const std::function<void(cairo_t*)>& draw) {
    const double wpt = paper.width_mm / kMmPerPt, hpt = paper.height_mm / kMmPerPt;
    if (format == Format::Svg) {
        // The drawing without its text into memory, then the text as <text> elements.
        std::string svg;
        std::vector<SvgText> texts;
        const auto to_string = [](void* closure, const unsigned char* data, unsigned int length) {
            static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
            return CAIRO_STATUS_SUCCESS;
        };
        std::string err;
        {
            const SurfacePtr surf(cairo_svg_surface_create_for_stream(to_string, &svg, wpt, hpt));
            {
                const CairoPtr cr(cairo_create(surf.get()));
                cairo_scale(cr.get(), 1.0 / kMmPerPt, 1.0 / kMmPerPt);
                t_svg_text = &texts;
                try {
                    draw(cr.get());
                } catch (...) {
                    t_svg_text = nullptr;
                    throw;
                }
                t_svg_text = nullptr;
                cairo_show_page(cr.get());
                err = status_error(cairo_status(cr.get()));
            }
            cairo_surface_finish(surf.get());
            if (err.empty()) err = status_error(cairo_surface_status(surf.get()));
        }
        if (!err.empty()) throw InputError(ErrorContext{path}, "cannot draw the SVG: " + err);
        const auto end = svg.rfind("</svg>");
        if (end == std::string::npos) throw InputError(ErrorContext{path}, "cannot draw the SVG: no </svg>");
        svg.insert(end, svg_text_elements(texts));
        write_atomically(path, [&](Sink& sink) {
            return sink.put(reinterpret_cast<const unsigned char*>(svg.data()), svg.size()) ? std::string()
                                                                                            : std::string("write failed");
        });
        return;
    }
    write_atomically(path, [&](Sink& sink) {
        const SurfacePtr surf(format == Format::Pdf ? cairo_pdf_surface_create_for_stream(cairo_sink, &sink, wpt, hpt)
                                                    : cairo_svg_surface_create_for_stream(cairo_sink, &sink, wpt, hpt));
        if (format == Format::Pdf) {
            cairo_pdf_surface_set_metadata(surf.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
            cairo_pdf_surface_set_metadata(surf.get(), CAIRO_PDF_METADATA_CREATOR, "huqian");
        }
        std::string err;
        {
            const CairoPtr cr(cairo_create(surf.get()));
            cairo_scale(cr.get(), 1.0 / kMmPerPt, 1.0 / kMmPerPt);
            draw(cr.get());
            cairo_show_page(cr.get());
            err = status_error(cairo_status(cr.get()));
        }
        cairo_surface_finish(surf.get());
        if (err.empty()) err = status_error(cairo_surface_status(surf.get()));
        return err;
    });
}

std::string lower_ext(const std::string& path) {
    std::string e = std::filesystem::path(path).extension().string();
    for (auto& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return e;
}

}  // namespace

Format format_from_path(const std::string& path) {
    const std::string e = lower_ext(path);
    if (e == ".png") return Format::Png;
    if (e == ".pdf") return Format::Pdf;
    if (e == ".svg") return Format::Svg;
    throw InputError(ErrorContext{path, {}, {}, {}, {}}, "unknown output format \"" + e + "\" (use .png, .pdf or .svg)");
}

void write_map(const Scene& scene, const PageOptions& options, const std::string& path) {
    write_map(scene, options, path, format_from_path(path));
}

void write_map(const Scene& scene, const PageOptions& options, const std::string& path, Format format) {
    if (format == Format::Png) {
        write_png_surface(render_page_surface(scene, options).get(), path, options);
        return;
    }
    const Layout l = make_layout(scene, options.tmpl);
    write_vector(path, format, l.paper, scene.title, [&](cairo_t* cr) { draw_page(cr, scene, l, options.skip_hidden); });
}

void write_scenario_map(const ScenarioPage& page, const PageOptions& options, const std::string& path,
                        Format format) {
    const ScenarioLayout l = make_scenario_layout(page.before, options.tmpl, page.table.size());
    if (format == Format::Png) {
        const SurfacePtr surf = render_surface(l.paper, options, [&](cairo_t* cr) { draw_scenario_page(cr, page, l); });
        write_png_surface(surf.get(), path, options);
        return;
    }
    write_vector(path, format, l.paper, page.title, [&](cairo_t* cr) { draw_scenario_page(cr, page, l); });
}

Image render_scenario_page_to_image(const ScenarioPage& page, const PageOptions& options) {
    const ScenarioLayout l = make_scenario_layout(page.before, options.tmpl, page.table.size());
    return image_from_surface(
        render_surface(l.paper, options, [&](cairo_t* cr) { draw_scenario_page(cr, page, l); }).get());
}

MapTransform preview_transform(const Scene& scene, int width_px, int height_px, double margin_px) {
    MapTransform t;
    t.ox = width_px / 2.0;
    t.oy = height_px / 2.0;
    if (scene.extent.empty()) return t;
    const Vec2 c = scene.extent.center();
    t.cx = c.x;
    t.cy = c.y;
    const double w = std::max(scene.extent.width(), 1e-9), h = std::max(scene.extent.height(), 1e-9);
    const double aw = std::max(width_px - 2 * margin_px, 1.0), ah = std::max(height_px - 2 * margin_px, 1.0);
    t.scale = std::min(aw / w, ah / h);
    return t;
}

Image render_scene_to_image(const Scene& scene, int width_px, int height_px, double margin_px) {
    if (width_px <= 0 || height_px <= 0 || width_px > 20000 || height_px > 20000)
        throw InputError("image size must be between 1 and 20000 pixels per side");
    const SurfacePtr surf(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width_px, height_px));
    {
        const CairoPtr cr(cairo_create(surf.get()));
        cairo_set_source_rgb(cr.get(), 1, 1, 1);
        cairo_paint(cr.get());
        const Units u{1.0, 96.0 / 72.0};
        draw_map(cr.get(), scene, preview_transform(scene, width_px, height_px, margin_px), u,
                 Box{0, 0, static_cast<double>(width_px), static_cast<double>(height_px)});
    }
    return image_from_surface(surf.get());
}

Image render_page_to_image(const Scene& scene, const PageOptions& options) {
    return image_from_surface(render_page_surface(scene, options).get());
}

Image read_png(const std::string& path) {
    const SurfacePtr surf(cairo_image_surface_create_from_png(path.c_str()));
    if (cairo_surface_status(surf.get()) != CAIRO_STATUS_SUCCESS)
        throw InputError(ErrorContext{path, {}, {}, {}, {}}, "cannot read PNG: " + status_error(cairo_surface_status(surf.get())));
    return image_from_surface(surf.get());
}

// [SECTION] Multi-page PDF ----------------------------------------------------------------------

struct PdfDocument::Impl {
    std::string path;
    std::unique_ptr<hq::AtomicFile> file;  ///< the temporary the PDF is written to
    Sink sink;
    Template tmpl;
    PaperSize paper;
    SurfacePtr surface;  ///< declared before `context`, so destroyed after it
    CairoPtr context;
    cairo_surface_t* surf = nullptr;  ///< surface.get()
    cairo_t* cr = nullptr;            ///< context.get()
    int pages = 0;
    bool finished = false;

    void new_page() {
        if (pages > 0) cairo_show_page(cr);
        ++pages;
        cairo_rectangle(cr, 0, 0, paper.width_mm, paper.height_mm);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill(cr);
    }
};

PdfDocument::PdfDocument(std::string path, Template tmpl) : m_impl(std::make_unique<Impl>()) {
    namespace fs = std::filesystem;
    Impl& d = *m_impl;
    d.path = std::move(path);
    d.tmpl = tmpl;
    d.paper = paper_size(tmpl);
    d.file = std::make_unique<hq::AtomicFile>(d.path);
    d.sink.file = d.file.get();
    d.surface.reset(cairo_pdf_surface_create_for_stream(cairo_sink, &d.sink, d.paper.width_mm / kMmPerPt,
                                                        d.paper.height_mm / kMmPerPt));
    d.surf = d.surface.get();
    cairo_pdf_surface_set_metadata(d.surf, CAIRO_PDF_METADATA_CREATOR, "huqian");
    d.context.reset(cairo_create(d.surf));
    d.cr = d.context.get();
    cairo_scale(d.cr, 1.0 / kMmPerPt, 1.0 / kMmPerPt);
}

PdfDocument::~PdfDocument() {
    Impl& d = *m_impl;
    if (!d.finished) {
        d.context.reset();
        if (d.surf) cairo_surface_finish(d.surf);  // close the temporary before d.file removes it
    }
}

void PdfDocument::add_map_page(const Scene& scene) {
    Impl& d = *m_impl;
    d.new_page();
    const Layout l = make_layout(scene, d.tmpl);
    draw_page(d.cr, scene, l);
}

void PdfDocument::add_text_pages(const std::vector<TextBlock>& blocks, const std::string& footer) {
    Impl& d = *m_impl;
    cairo_t* cr = d.cr;
    const double m = 15, W = d.paper.width_mm, H = d.paper.height_mm;
    const double width = W - 2 * m;
    const double bottom = H - m - 8;
    double y = 0;
    auto page = [&]() {
        d.new_page();
        y = m;
        if (!footer.empty()) {
            set_font(cr, 6.5 * kMmPerPt);
            const FontMetrics fm = metrics(cr);
            double fy = H - m - 4;
            for (const auto& line : wrap_text(cr, footer, width)) {
                show_text(cr, m, fy + fm.ascent, line, kGrey);
                fy += fm.height;
            }
        }
    };
    page();
    for (const auto& b : blocks) {
        using K = TextBlock::Kind;
        if (b.kind == K::Spacer) {
            y += 4;
            continue;
        }
        if (b.kind == K::Table) {
            const std::size_t ncol = b.rows.empty() ? 0 : b.rows[0].size();
            std::vector<double> cw(ncol, ncol ? width / static_cast<double>(ncol) : 0);
            if (b.widths.size() == ncol)
                for (std::size_t c = 0; c < ncol; ++c) cw[c] = b.widths[c] * width;
            set_font(cr, 7.5 * kMmPerPt);
            const FontMetrics fm = metrics(cr);
            for (std::size_t r = 0; r < b.rows.size(); ++r) {
                std::vector<std::vector<std::string>> cells;
                std::size_t nl = 1;
                for (std::size_t c = 0; c < ncol; ++c) {
                    cells.push_back(wrap_text(cr, c < b.rows[r].size() ? b.rows[r][c] : "", cw[c] - 2));
                    nl = std::max(nl, cells.back().size());
                }
                const double rh = static_cast<double>(nl) * fm.height + 1.6;
                if (y + rh > bottom) page();
                if (r == 0) {
                    cairo_rectangle(cr, m, y, width, rh);
                    cairo_set_source_rgb(cr, 0.92, 0.92, 0.92);
                    cairo_fill(cr);
                }
                double x = m;
                for (std::size_t c = 0; c < ncol; ++c) {
                    double ly = y + 0.8 + fm.ascent;
                    for (const auto& line : cells[c]) {
                        show_text(cr, x + 1, ly, line, kInk);
                        ly += fm.height;
                    }
                    x += cw[c];
                }
                cairo_move_to(cr, m, y + rh);
                cairo_line_to(cr, m + width, y + rh);
                cairo_set_source_rgb(cr, 0.8, 0.8, 0.8);
                cairo_set_line_width(cr, 0.15);
                cairo_stroke(cr);
                y += rh;
            }
            y += 3;
            continue;
        }
        const double size = b.kind == K::Title ? 16 : (b.kind == K::Heading ? 11 : 8.5);
        set_font(cr, size * kMmPerPt);
        const FontMetrics fm = metrics(cr);
        if (b.kind == K::Heading) y += 2;
        for (const auto& line : wrap_text(cr, b.text, width)) {
            if (y + fm.height > bottom) page();
            show_text(cr, m, y + fm.ascent, line, b.kind == K::Paragraph ? kInk : Color::rgb(0, 0, 0));
            y += fm.height + (b.kind == K::Paragraph ? 0.6 : 1.0);
        }
        y += b.kind == K::Title ? 3 : 1.5;
    }
}

void PdfDocument::finish() {
    Impl& d = *m_impl;
    if (d.finished) return;
    if (d.pages == 0) d.new_page();
    cairo_show_page(d.cr);
    std::string err = status_error(cairo_status(d.cr));
    d.context.reset();
    d.cr = nullptr;
    cairo_surface_finish(d.surf);
    if (err.empty()) err = status_error(cairo_surface_status(d.surf));
    d.surface.reset();
    d.surf = nullptr;
    d.finished = true;
    if (d.sink.failure) std::rethrow_exception(d.sink.failure);  // d.file removes the temporary
    if (!err.empty()) {
        d.file->discard();
        throw InputError(ErrorContext{d.path, {}, {}, {}, {}}, "cannot write: " + err);
    }
    d.file->commit();
}

}  // namespace hq::exporter
