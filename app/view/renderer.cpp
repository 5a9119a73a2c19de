#include "app/view/renderer.hpp"

#include "app/view/lod.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <fstream>
#include <sstream>

#define GL_GLEXT_PROTOTYPES 1  // with its include: a formatter must not separate them
#include <GL/glcorearb.h>

namespace hq::view {
namespace {

GLuint compile(GLenum type, const std::string& source, const std::string& name, std::string& error) {
    const GLuint s = glCreateShader(type);
    const char* src = source.c_str();
    glShaderSource(s, 1, &src, nullptr);
    glCompileShader(s);
    GLint ok = 0;
    glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[2048] = {};
        glGetShaderInfoLog(s, sizeof log, nullptr, log);
        error = name + ": " + log;
        glDeleteShader(s);
        return 0;
    }
    return s;
}

GLuint link_program(const std::string& dir, const std::string& vs_name, const std::string& fs_name,
                    std::string& error) {
    const std::string vs_src = read_text_file(dir + "/" + vs_name, error);
    if (!error.empty()) return 0;
    const std::string fs_src = read_text_file(dir + "/" + fs_name, error);
    if (!error.empty()) return 0;
    const GLuint vs = compile(GL_VERTEX_SHADER, vs_src, vs_name, error);
    if (!vs) return 0;
    const GLuint fs = compile(GL_FRAGMENT_SHADER, fs_src, fs_name, error);
    if (!fs) {
        glDeleteShader(vs);
        return 0;
    }
    const GLuint p = glCreateProgram();
    glAttachShader(p, vs);
    glAttachShader(p, fs);
    glLinkProgram(p);
    glDeleteShader(vs);
    glDeleteShader(fs);
    GLint ok = 0;
    glGetProgramiv(p, GL_LINK_STATUS, &ok);
    if (!ok) {
        char log[2048] = {};
        glGetProgramInfoLog(p, sizeof log, nullptr, log);
        error = vs_name + " + " + fs_name + ": " + log;
        glDeleteProgram(p);
        return 0;
    }
    return p;
}

const void* byte_offset(std::size_t n) {
    return reinterpret_cast<const void*>(n);
}  // NOLINT

}  // namespace

std::string read_text_file(const std::string& path, std::string& error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = "cannot read " + path;
        return {};
    }
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

MapRenderer::~MapRenderer() = default;  // GL objects are freed by shutdown() while the context lives

bool MapRenderer::init(const std::string& shader_dir, std::string& error) {
    m_map_program = link_program(shader_dir, "map_vs.glsl", "map_fs.glsl", error);
    if (!m_map_program) return false;
    m_tex_program = link_program(shader_dir, "texture_vs.glsl", "texture_fs.glsl", error);
    if (!m_tex_program) return false;
    u_center = glGetUniformLocation(m_map_program, "u_center");
    u_scale = glGetUniformLocation(m_map_program, "u_scale");
    u_viewport = glGetUniformLocation(m_map_program, "u_viewport");
    u_min_px = glGetUniformLocation(m_map_program, "u_min_px");
    u_opacity = glGetUniformLocation(m_map_program, "u_opacity");
    u_px_ratio = glGetUniformLocation(m_map_program, "u_px_ratio");
    u_tex = glGetUniformLocation(m_tex_program, "u_tex");
    u_tex_opacity = glGetUniformLocation(m_tex_program, "u_opacity");

    glGenVertexArrays(1, &m_quad_vao);
    glGenBuffers(1, &m_quad_vbo);
    glBindVertexArray(m_quad_vao);
    glBindBuffer(GL_ARRAY_BUFFER, m_quad_vbo);
    glBufferData(GL_ARRAY_BUFFER, 16 * sizeof(float), nullptr, GL_DYNAMIC_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(float), byte_offset(0));
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(float), byte_offset(2 * sizeof(float)));
    glBindVertexArray(0);
    return true;
}

void MapRenderer::free_batches() {
    for (auto& b : m_batches) {
        if (b.tex) glDeleteTextures(1, &b.tex);
        glDeleteBuffers(1, &b.vbo);
        glDeleteVertexArrays(1, &b.vao);
    }
    m_batches.clear();
}

void MapRenderer::shutdown() {
    free_batches();
    if (m_raster_tex) glDeleteTextures(1, &m_raster_tex);
    if (m_fbo_tex) glDeleteTextures(1, &m_fbo_tex);
    if (m_fbo) glDeleteFramebuffers(1, &m_fbo);
    if (m_quad_vbo) glDeleteBuffers(1, &m_quad_vbo);
    if (m_quad_vao) glDeleteVertexArrays(1, &m_quad_vao);
    if (m_map_program) glDeleteProgram(m_map_program);
    if (m_tex_program) glDeleteProgram(m_tex_program);
    m_raster_tex = m_fbo_tex = m_fbo = m_quad_vbo = m_quad_vao = m_map_program = m_tex_program = 0;
}

void MapRenderer::upload(const std::vector<const MeshBatch*>& batches, Vec2 origin,
                         const carto::RasterOverlay* raster) {
    free_batches();
    m_origin = origin;
    m_stats.triangles = 0;
    for (const MeshBatch* src : batches) {
        GpuBatch g;
        g.src = src;
        // One buffer per batch: full fills, full strokes, symbols, then each simplified
        // level's fills and strokes; written piece by piece (no concatenated copy).
        std::vector<const std::vector<MapVertex>*> parts{&src->fills, &src->strokes, &src->symbols};
        g.fills_first = 0;
        g.fills_count = static_cast<int>(src->fills.size());
        g.strokes_first = g.fills_count;
        g.strokes_count = static_cast<int>(src->strokes.size());
        g.symbols_first = g.strokes_first + g.strokes_count;
        g.symbols_count = static_cast<int>(src->symbols.size());
        int next = g.symbols_first + g.symbols_count;
        for (const MeshLod& lod : src->lods) {
            GpuBatch::Level l;
            l.tolerance = lod.tolerance;
            l.fills_first = next;
            l.fills_count = static_cast<int>(lod.fills.size());
            l.strokes_first = l.fills_first + l.fills_count;
            l.strokes_count = static_cast<int>(lod.strokes.size());
            next = l.strokes_first + l.strokes_count;
            g.lods.push_back(l);
            parts.push_back(&lod.fills);
            parts.push_back(&lod.strokes);
        }
        const auto total = static_cast<std::size_t>(next);
        m_stats.triangles += total / 3;
        glGenVertexArrays(1, &g.vao);
        glGenBuffers(1, &g.vbo);
        glBindVertexArray(g.vao);
        glBindBuffer(GL_ARRAY_BUFFER, g.vbo);
        glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(total * sizeof(MapVertex)), nullptr,
                     GL_STATIC_DRAW);
        std::size_t at = 0;
        for (const auto* part : parts) {
            if (!part->empty())
                glBufferSubData(GL_ARRAY_BUFFER, static_cast<GLintptr>(at * sizeof(MapVertex)),
                                static_cast<GLsizeiptr>(part->size() * sizeof(MapVertex)), part->data());
            at += part->size();
        }
        constexpr GLsizei stride = sizeof(MapVertex);
        glEnableVertexAttribArray(0);
        glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, byte_offset(offsetof(MapVertex, x)));
        glEnableVertexAttribArray(1);
        glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride, byte_offset(offsetof(MapVertex, ox)));
        glEnableVertexAttribArray(2);
        glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride,
                              byte_offset(offsetof(MapVertex, rgba)));
        glEnableVertexAttribArray(3);
        glVertexAttribPointer(3, 1, GL_FLOAT, GL_FALSE, stride, byte_offset(offsetof(MapVertex, lod)));
        glEnableVertexAttribArray(4);
        glVertexAttribPointer(4, 1, GL_FLOAT, GL_FALSE, stride, byte_offset(offsetof(MapVertex, hatch)));
        glBindVertexArray(0);
        if (const carto::RasterOverlay* img = src->image.get();
            img && img->width > 0 && img->height > 0 &&
            img->rgba.size() ==
                static_cast<std::size_t>(img->width) * static_cast<std::size_t>(img->height) * 4) {
            glGenTextures(1, &g.tex);
            glBindTexture(GL_TEXTURE_2D, g.tex);
            glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
            glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, img->width, img->height, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                         img->rgba.data());
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
            glBindTexture(GL_TEXTURE_2D, 0);
        }
        m_batches.push_back(g);
    }
    if (m_raster_tex) {
        glDeleteTextures(1, &m_raster_tex);
        m_raster_tex = 0;
    }
    if (raster && raster->width > 0 && raster->height > 0 &&
        raster->rgba.size() ==
            static_cast<std::size_t>(raster->width) * static_cast<std::size_t>(raster->height) * 4) {
        glGenTextures(1, &m_raster_tex);
        glBindTexture(GL_TEXTURE_2D, m_raster_tex);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, raster->width, raster->height, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                     raster->rgba.data());
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        glBindTexture(GL_TEXTURE_2D, 0);
        m_raster_extent = raster->extent;
        m_raster_opacity = raster->opacity;
    }
    m_cache_valid = false;
    ++m_generation;
}

void MapRenderer::ensure_fbo(int w, int h) {
    if (m_fbo && w == m_fbo_w && h == m_fbo_h) return;
    if (!m_fbo) glGenFramebuffers(1, &m_fbo);
    if (m_fbo_tex) glDeleteTextures(1, &m_fbo_tex);
    glGenTextures(1, &m_fbo_tex);
    glBindTexture(GL_TEXTURE_2D, m_fbo_tex);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glBindTexture(GL_TEXTURE_2D, 0);
    glBindFramebuffer(GL_FRAMEBUFFER, m_fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, m_fbo_tex, 0);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    m_fbo_w = w;
    m_fbo_h = h;
    m_cache_valid = false;
}

void MapRenderer::draw_textured_quad(unsigned texture, const float clip_xy[8], const float uv[8],
                                     float opacity) {
    float data[16];
    for (int i = 0; i < 4; ++i) {
        data[i * 4 + 0] = clip_xy[i * 2];
        data[i * 4 + 1] = clip_xy[i * 2 + 1];
        data[i * 4 + 2] = uv[i * 2];
        data[i * 4 + 3] = uv[i * 2 + 1];
    }
    glUseProgram(m_tex_program);
    glUniform1i(u_tex, 0);
    glUniform1f(u_tex_opacity, opacity);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, texture);
    glBindVertexArray(m_quad_vao);
    glBindBuffer(GL_ARRAY_BUFFER, m_quad_vbo);
    glBufferSubData(GL_ARRAY_BUFFER, 0, sizeof data, data);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    glBindVertexArray(0);
}

void MapRenderer::draw_raster(unsigned texture, const Box& e, const Camera& camera, double scale, int w,
                              int h, float opacity) {
    auto cx = [&](double x) { return static_cast<float>((x - camera.center.x) * scale * 2.0 / w); };
    auto cy = [&](double y) { return static_cast<float>((y - camera.center.y) * scale * 2.0 / h); };
    // Triangle strip: top-left, bottom-left, top-right, bottom-right. Row 0 of the
    // texture is the top row of the raster.
    const float xy[8] = {cx(e.minx), cy(e.maxy), cx(e.minx), cy(e.miny),
                         cx(e.maxx), cy(e.maxy), cx(e.maxx), cy(e.miny)};
    const float uv[8] = {0, 0, 0, 1, 1, 0, 1, 1};
    draw_textured_quad(texture, xy, uv, opacity);
}

void MapRenderer::render_cache(const Camera& camera, const std::vector<DrawItem>& items, int w, int h,
                               float fb_scale) {
    const auto t0 = std::chrono::steady_clock::now();
    ensure_fbo(w, h);
    glBindFramebuffer(GL_FRAMEBUFFER, m_fbo);
    glViewport(0, 0, w, h);
    glDisable(GL_SCISSOR_TEST);
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_CULL_FACE);
    glClearColor(background[0], background[1], background[2], 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    glEnable(GL_BLEND);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);

    const double scale = camera.scale * fb_scale;
    m_stats.drawn_triangles = 0;
    m_stats.lod_level = -1;
    auto set_map_uniforms = [&](float opacity) {
        glUseProgram(m_map_program);
        glUniform2f(u_center, static_cast<float>(camera.center.x - m_origin.x),
                    static_cast<float>(camera.center.y - m_origin.y));
        glUniform1f(u_scale, static_cast<float>(scale));
        glUniform2f(u_viewport, static_cast<float>(w), static_cast<float>(h));
        glUniform1f(u_min_px, lod_min_px * fb_scale);
        glUniform1f(u_opacity, opacity);
        glUniform1f(u_px_ratio, fb_scale);
    };
    for (const DrawItem& item : items) {
        if (!item.batch || item.opacity <= 0) continue;
        if (item.batch->raster) {
            if (m_raster_tex)
                draw_raster(m_raster_tex, m_raster_extent, camera, scale, w, h,
                            m_raster_opacity * item.opacity);
            continue;
        }
        if (item.batch->image) {
            for (const GpuBatch& g : m_batches)
                if (g.src == item.batch && g.tex)
                    draw_raster(g.tex, item.batch->image->extent, camera, scale, w, h,
                                item.batch->image->opacity * item.opacity);
            continue;
        }
        for (const GpuBatch& g : m_batches) {
            if (g.src != item.batch) continue;
            set_map_uniforms(item.opacity);
            glBindVertexArray(g.vao);
            // Level of detail for polygons: the coarsest simplified level whose tolerance is
            // at most a framebuffer pixel (lod.hpp), else the full geometry.
            std::vector<double> tolerances;
            for (const auto& l : g.lods) tolerances.push_back(l.tolerance);
            const int level = choose_lod(tolerances, scale);
            const auto* lod = level >= 0 ? &g.lods[static_cast<std::size_t>(level)] : nullptr;
            const int fills_first = lod ? lod->fills_first : g.fills_first;
            const int fills_count = lod ? lod->fills_count : g.fills_count;
            const int strokes_first = lod ? lod->strokes_first : g.strokes_first;
            const int strokes_count = lod ? lod->strokes_count : g.strokes_count;
            const auto& st = lod ? g.src->lods[static_cast<std::size_t>(level)].strokes : g.src->strokes;
            if (!g.lods.empty()) m_stats.lod_level = level;
            if (fills_count) glDrawArrays(GL_TRIANGLES, fills_first, fills_count);
            m_stats.drawn_triangles += static_cast<std::size_t>(fills_count) / 3;
            if (strokes_count) {
                // Level of detail: only features at least lod_min_px wide (strokes are sorted
                // by size, largest first), so sub-pixel outlines cost nothing.
                const float min_world = static_cast<float>(lod_min_px / camera.scale);
                const auto end = std::partition_point(st.begin(), st.end(), [&](const MapVertex& v) {
                    return v.lod <= 0 || v.lod >= min_world;
                });
                const auto visible = static_cast<int>(end - st.begin()) / 3 * 3;
                if (visible > 0) glDrawArrays(GL_TRIANGLES, strokes_first, std::min(visible, strokes_count));
                m_stats.drawn_triangles += static_cast<std::size_t>(std::min(visible, strokes_count)) / 3;
            }
            if (g.symbols_count) glDrawArrays(GL_TRIANGLES, g.symbols_first, g.symbols_count);
            m_stats.drawn_triangles += static_cast<std::size_t>(g.symbols_count) / 3;
            glBindVertexArray(0);
        }
    }
    glFinish();
    glBindFramebuffer(GL_FRAMEBUFFER, target_framebuffer);
    ++m_generation;
    m_cache_camera = camera;
    m_cache_fb_scale = fb_scale;
    m_cache_valid = true;
    m_stats.redrawn = true;
    m_stats.last_map_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

void MapRenderer::draw(const Camera& camera, const std::vector<DrawItem>& items, float fb_scale,
                       int fb_height, bool dragging, bool zooming) {
    m_stats.redrawn = false;
    const int w = std::max(1, static_cast<int>(camera.canvas_size.x * fb_scale + 0.5));
    const int h = std::max(1, static_cast<int>(camera.canvas_size.y * fb_scale + 0.5));
    const int x0 = static_cast<int>(camera.canvas_min.x * fb_scale + 0.5);
    const int y0 =
        fb_height - static_cast<int>((camera.canvas_min.y + camera.canvas_size.y) * fb_scale + 0.5);

    const bool same_size = m_cache_valid && m_fbo_w == w && m_fbo_h == h && m_cache_fb_scale == fb_scale;
    const bool same_frame = same_size && m_cache_camera.scale == camera.scale;
    const bool same_view = same_frame && m_cache_camera.center == camera.center;
    // Shift the cached texture while dragging when a redraw is slow (city scale).
    const bool shift = same_frame && !same_view && dragging && m_stats.last_map_ms > 12.0;
    // Scale it while zooming when a redraw is slow, within 8× of the cached scale.
    const double ratio = m_cache_camera.scale > 0 ? camera.scale / m_cache_camera.scale : 0.0;
    m_previewing = same_size && !same_frame && zooming && m_stats.last_map_ms > 40.0 && ratio >= 0.125 &&
                   ratio <= 8.0;
    if (!same_view && !shift && !m_previewing) render_cache(camera, items, w, h, fb_scale);

    // The cached texture onto the canvas with a framebuffer blit (a copy: llvmpipe runs no
    // fragment shader for it, unlike a textured quad over the whole canvas), into the
    // framebuffer rectangle [X0, X1) × [Y0, Y1); the scissor keeps it in the canvas, and the
    // rest of the canvas is cleared to the background when the copy does not cover it.
    auto blit = [&](int X0, int Y0, int X1, int Y1, GLenum filter) {
        glBindFramebuffer(GL_FRAMEBUFFER, target_framebuffer);
        glEnable(GL_SCISSOR_TEST);
        glScissor(x0, y0, w, h);
        if (X0 != x0 || Y0 != y0 || X1 != x0 + w || Y1 != y0 + h) {
            glClearColor(background[0], background[1], background[2], 1.0f);
            glClear(GL_COLOR_BUFFER_BIT);
        }
        glBindFramebuffer(GL_READ_FRAMEBUFFER, m_fbo);
        glBindFramebuffer(GL_DRAW_FRAMEBUFFER, target_framebuffer);
        glBlitFramebuffer(0, 0, w, h, X0, Y0, X1, Y1, GL_COLOR_BUFFER_BIT, filter);
        glBindFramebuffer(GL_FRAMEBUFFER, target_framebuffer);
        glDisable(GL_SCISSOR_TEST);
    };
    if (m_previewing) {
        // Zooming: the cached image scaled (filtered) into the box its corners now occupy;
        // the map is redrawn when the zoom settles.
        const Box r = camera.image_of(m_cache_camera);
        const auto fx = [&](double x) { return static_cast<int>(std::lround(x * fb_scale)); };
        const auto fy = [&](double y) { return fb_height - static_cast<int>(std::lround(y * fb_scale)); };
        blit(fx(r.minx), fy(r.maxy), fx(r.maxx), fy(r.miny), GL_LINEAR);
        return;
    }
    // Otherwise as drawn, or offset by whole pixels while dragging.
    const Vec2 moved = camera.world_to_screen(m_cache_camera.center);
    const Vec2 c = camera.canvas_center();
    const auto dx = static_cast<int>(std::lround((moved.x - c.x) * fb_scale));
    const auto dy = static_cast<int>(std::lround(-(moved.y - c.y) * fb_scale));
    blit(x0 + dx, y0 + dy, x0 + dx + w, y0 + dy + h, GL_NEAREST);
}

}  // namespace hq::view
