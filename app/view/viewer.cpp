// [SECTION] index: display check, fonts (glyph ranges), screenshot, main loop, bench.
#define GL_GLEXT_PROTOTYPES 1
#include <GL/glcorearb.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <cairo.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <nlohmann/json.hpp>

#include "app/export/c_handles.hpp"
#include "app/view/frame_cache.hpp"
#include "app/view/panels.hpp"
#include "app/view/viewer.hpp"
#include "app/view/script.hpp"

#include "app/view/labels.hpp"
#include "app/view/plan_panels.hpp"
#include "geo/io/writer.hpp"
#include "geo/project/gpkg_project.hpp"

#ifndef HUQIAN_SHADER_DIR
#define HUQIAN_SHADER_DIR "shaders"
#endif
#ifndef HUQIAN_FONT_FILE
#define HUQIAN_FONT_FILE "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
#endif

namespace hq::view {
namespace {

constexpr float kFontPx = 16.0f;  ///< UI text at 100 % (≥ 12 px: issue 13 §3)

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

// [SECTION] Fonts ---------------------------------------------------------------------------

/// Decodes one UTF-8 code point at text[i] and advances i (U+FFFD for a malformed byte).
unsigned int next_codepoint(const std::string& text, std::size_t& i) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    int len = b0 < 0x80 ? 1 : (b0 >> 5) == 0x6 ? 2 : (b0 >> 4) == 0xE ? 3 : (b0 >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + static_cast<std::size_t>(len) > text.size()) {
        ++i;
        return 0xFFFD;
    }
    unsigned int c = len == 1 ? b0 : len == 2 ? (b0 & 0x1Fu) : len == 3 ? (b0 & 0x0Fu) : (b0 & 0x07u);
    for (int k = 1; k < len; ++k) c = (c << 6) | (static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]) & 0x3Fu);
    i += static_cast<std::size_t>(len);
    return c;
}

/// The CJK font with glyph ranges built from the common Chinese set plus every UI string
/// and the loaded data's names (STACK.md trap 9); rebuilt when new characters appear.
class Fonts {
public:
    /// Returns true when the atlas was rebuilt (new characters, or text `px` pixels high).
    bool update(const std::string& text, float px) {
        ImGuiIO& io = ImGui::GetIO();
        bool grew = !m_built || px != m_px;
        m_px = px;
        if (m_built) {
            std::size_t i = 0;
            while (i < text.size() && !grew) {
                const unsigned int c = next_codepoint(text, i);
                if (c < 0x10000 && !m_builder.GetBit(c)) grew = true;
            }
            if (!grew) return false;
        } else {
            m_builder.AddRanges(io.Fonts->GetGlyphRangesChineseSimplifiedCommon());
            m_builder.AddRanges(io.Fonts->GetGlyphRangesDefault());
            m_builder.AddText("°²³·—–…“”‘’×±≥≤µ");
        }
        m_builder.AddText(text.c_str(), text.c_str() + text.size());
        m_ranges.clear();
        m_builder.BuildRanges(&m_ranges);
        io.Fonts->Clear();
        ImFontConfig cfg;
        cfg.OversampleH = 1;
        cfg.OversampleV = 1;
        cfg.PixelSnapH = true;
        std::ifstream probe(HUQIAN_FONT_FILE);
        if (probe) {
            io.Fonts->AddFontFromFileTTF(HUQIAN_FONT_FILE, px, &cfg, m_ranges.Data);
        } else {
            io.Fonts->AddFontDefault();
            if (!m_warned) std::cerr << "huqian view: font " << HUQIAN_FONT_FILE << " missing; Chinese text will not show\n";
            m_warned = true;
        }
        io.Fonts->Build();
        if (m_built) {
            ImGui_ImplOpenGL3_DestroyFontsTexture();
            ImGui_ImplOpenGL3_CreateFontsTexture();
        }
        m_built = true;
        return true;
    }

private:
    ImFontGlyphRangesBuilder m_builder;
    ImVector<ImWchar> m_ranges;
    bool m_built = false;
    bool m_warned = false;
    float m_px = 0;
};

// [SECTION] Screenshot ----------------------------------------------------------------------

/// Reads the back buffer (bottom-up, STACK.md trap 8) and writes it as PNG through cairo.
bool write_screenshot(const std::string& path, int w, int h, std::string& error) {
    std::vector<unsigned char> rgba(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
    const exporter::SurfacePtr image(cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h));
    cairo_surface_t* surface = image.get();
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        error = "cannot create an image of " + std::to_string(w) + "x" + std::to_string(h);
        return false;
    }
    cairo_surface_flush(surface);
    unsigned char* data = cairo_image_surface_get_data(surface);
    const int stride = cairo_image_surface_get_stride(surface);
    for (int y = 0; y < h; ++y) {
        const unsigned char* src = rgba.data() + static_cast<std::size_t>(h - 1 - y) * static_cast<std::size_t>(w) * 4;
        auto* dst = reinterpret_cast<std::uint32_t*>(data + static_cast<std::size_t>(y) * static_cast<std::size_t>(stride));
        for (int x = 0; x < w; ++x)
            dst[x] = 0xff000000u | (std::uint32_t{src[x * 4]} << 16) | (std::uint32_t{src[x * 4 + 1]} << 8) | src[x * 4 + 2];
    }
    cairo_surface_mark_dirty(surface);
    std::string png;
    const cairo_status_t st = cairo_surface_write_to_png_stream(
        surface,
        [](void* out, const unsigned char* bytes, unsigned int n) {
            static_cast<std::string*>(out)->append(reinterpret_cast<const char*>(bytes), n);
            return CAIRO_STATUS_SUCCESS;
        },
        &png);
    if (st != CAIRO_STATUS_SUCCESS) {
        error = "cannot write " + path + ": " + cairo_status_to_string(st);
        return false;
    }
    try {
        write_file_atomic(path, png);  // the one writer (geo/io/writer.hpp)
    } catch (const std::exception& e) {
        error = e.what();
        return false;
    }
    return true;
}

/// FILE.png.json next to the screenshot: the layout a test needs to find the data.
void write_sidecar(const std::string& path, const Controller& app, int fb_w, int fb_h, float fb_scale) {
    nlohmann::json j;
    const Camera& c = app.ui.camera;
    j["framebuffer"] = {fb_w, fb_h};
    j["fb_scale"] = fb_scale;
    j["canvas"] = {c.canvas_min.x, c.canvas_min.y, c.canvas_size.x, c.canvas_size.y};
    j["camera"] = {{"center", {c.center.x, c.center.y}}, {"scale", c.scale}};
    const auto& t = app.ui.title_rect;
    j["title"] = {t[0], t[1], t[2], t[3]};
    const auto& sb = app.ui.scale_bar_rect;
    j["scale_bar"] = {sb[0], sb[1], sb[2], sb[3]};
    j["title_text"] = app.model.scene ? app.model.scene->title : "";
    nlohmann::json wins = nlohmann::json::array();
    for (const auto& w : app.ui.frame_windows) wins.push_back({{"name", w.name}, {"rect", {w.x, w.y, w.w, w.h}}});
    j["windows"] = wins;
    j["lang"] = app.ui.lang == UiLang::Zh ? "zh" : "en";
    j["ui_scale"] = app.ui.ui_scale;
    j["font_px"] = ImGui::GetFontSize();
    nlohmann::json labels = nlohmann::json::array();  // map labels drawn, with their halo boxes
    for (const auto& l : app.ui.drawn_labels) labels.push_back({{"text", l.text}, {"rect", {l.x0, l.y0, l.x1 - l.x0, l.y1 - l.y0}}});
    j["labels"] = labels;
    j["lod_level"] = app.renderer.stats().lod_level;  // level of detail of the last map redraw (-1: full)
    j["drawn_triangles"] = app.renderer.stats().drawn_triangles;
    // Characters of the title, labels and legend the font cannot draw (they would show as '?').
    int missing = 0;
    if (app.model.scene) {
        std::string text = app.model.scene->title + app.model.scene->subtitle;
        for (const auto& l : app.model.scene->labels) text += l.text;
        for (const auto& l : app.model.scene->legend) text += l.label;
        ImFont* font = ImGui::GetFont();
        for (std::size_t i = 0; i < text.size();) {
            const unsigned int cp = next_codepoint(text, i);
            if (cp >= 0x20 && (cp >= 0x10000 || !font->FindGlyphNoFallback(static_cast<ImWchar>(cp)))) ++missing;
        }
    }
    j["missing_glyphs"] = missing;
    write_file_atomic(path, j.dump(2) + "\n");
}

struct Timing {
    std::vector<double> ms;
    [[nodiscard]] nlohmann::json summary() const {
        if (ms.empty()) return nullptr;
        std::vector<double> s = ms;
        std::sort(s.begin(), s.end());
        auto q = [&](double f) { return s[std::min(s.size() - 1, static_cast<std::size_t>(f * static_cast<double>(s.size())))]; };
        double sum = 0;
        for (double v : s) sum += v;
        return {{"frames", s.size()}, {"mean", sum / static_cast<double>(s.size())}, {"median", q(0.5)}, {"p95", q(0.95)}, {"max", s.back()}};
    }
};

void glfw_error(int, const char*) {}  // reported through return values instead

struct DropQueue {
    std::vector<std::string> paths;
};

void on_drop(GLFWwindow* window, int count, const char** paths) {
    auto* q = static_cast<DropQueue*>(glfwGetWindowUserPointer(window));
    if (!q) return;
    for (int i = 0; i < count; ++i) q->paths.emplace_back(paths[i]);
}

bool is_project_path(const std::string& p) {
    std::ifstream manifest(p + "/project.json");
    return static_cast<bool>(manifest) || (p.size() >= 12 && p.compare(p.size() - 12, 12, "project.json") == 0) ||
           is_gpkg_project(p);
}

}  // namespace

const char* no_display_message() {
    return "huqian view: no display (DISPLAY/WAYLAND_DISPLAY unset or X unavailable); export instead: "
           "huqian export data/shuhan --map composition -o map.pdf  or  huqian report data/shuhan -o out/";
}

// [SECTION] Main loop -----------------------------------------------------------------------

int run_viewer(const ViewerOptions& options) {
    const auto t_start = Clock::now();
    const char* display = std::getenv("DISPLAY");
    const char* wayland = std::getenv("WAYLAND_DISPLAY");
    if ((!display || !*display) && (!wayland || !*wayland)) {
        std::cerr << no_display_message() << "\n";
        return 1;
    }
    glfwSetErrorCallback(&glfw_error);
    if (!glfwInit()) {
        std::cerr << no_display_message() << "\n";
        return 1;
    }
    const bool headless_run = !options.screenshot.empty() || options.bench_frames > 0;
    std::optional<ViewerScript> script;  // --script FILE (script.hpp)
    if (!options.script.empty()) {
        try {
            script = parse_script(options.script);
        } catch (const std::exception& e) {
            std::cerr << "huqian view: " << e.what() << "\n";
            glfwTerminate();
            return 1;
        }
    }
    // The project loads (a job thread) while the window, the GL context and the fonts are
    // made: 0.15–0.25 s of the first frame on a software renderer. Nothing in Controller needs GL
    // until the main loop; it is destroyed before the context.
    std::optional<Controller> app_holder;
    app_holder.emplace(options, []() { glfwPostEmptyEvent(); });
    app_holder->open_project(options.project);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_FALSE);
    GLFWwindow* window = glfwCreateWindow(options.width, options.height, tr(S::AppTitle, options.lang), nullptr, nullptr);
    if (!window) {
        std::cerr << "huqian view: cannot create an OpenGL 3.3 core window on this display; export instead: "
                     "huqian export data/shuhan --map composition -o map.pdf\n";
        app_holder.reset();  // cancels the load
        glfwTerminate();
        return 1;
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(headless_run ? 0 : 1);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // no imgui.ini in the user's folder
    ImGui::StyleColorsLight();
    ImGui::GetStyle().WindowRounding = 4.0f;
    const ImGuiStyle base_style = ImGui::GetStyle();  // at 100 %; ScaleAllSizes from it
    float applied_scale = 1.0f;
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330");

    int rc = 0;
    {
        Controller& app = *app_holder;
        app.ui.ignore_mouse = headless_run;
        DropQueue drops;
        glfwSetWindowUserPointer(window, &drops);
        glfwSetDropCallback(window, &on_drop);
        Fonts fonts;
        fonts.update(app.glyph_text(), kFontPx * app.ui.ui_scale);
        FrameCache frame_cache;
        std::string error;
        if (!app.renderer.init(HUQIAN_SHADER_DIR, error)) {
            std::cerr << "huqian view: " << error << "\n";
            rc = 1;
        }

        int redraw_frames = 3;     // frames still to draw after an event (ImGui settles layout)
        double plan_wait_s = 60;   // planning: seconds until the next autosave is due
        std::string title;         // window title ("*" with unsaved planning edits)
        int ready_frames = 0;      // consecutive complete frames (screenshot / bench)
        double first_frame_ms = -1;
        // Bench phases, in the order they run (each advances to the next).
        enum class Phase { Wait, Steady, Pan, Redraw, Zoom, Done } phase = Phase::Wait;
        Timing steady, pan, redraw, zoom;
        int zoom_previews = 0;  // zoom-phase frames that showed the scaled preview
        // Steady-phase frames on which nothing changed for two frames (their key equals the two
        // before: the cache holds that image), and how many of them were a copy of it. Under
        // load the status bar's frame time (refreshed each second) changes some frames, so
        // the count of reuses alone varies; every settled frame must be a reuse.
        FrameKey prev_key, prev_prev_key;
        bool frame_settled = false, frame_reused = false;
        int settled_frames = 0, settled_reused = 0;
        int phase_frames = 0;
        // Where the first frame's time goes (bench JSON "first_frame_phases", ms since start).
        double data_at_ms = -1, mesh_at_ms = -1, upload_ms = 0, first_map_ms = -1;
        const auto deadline = Clock::now() + std::chrono::seconds(180);

        while (rc == 0 && !glfwWindowShouldClose(window) && !app.quit) {
            // While a job runs and nothing else asks for a frame, the progress bar is redrawn at
            // most ~30 times a second (input and a finished job wake the loop at once): a
            // spinning loop would take a core from the job (with a software renderer, the whole
            // UI is rasterised on the CPU every frame).
            const bool busy = app.jobs.busy();
            if (redraw_frames > 0 || (headless_run && !busy)) glfwPollEvents();
            else {
                double wait = busy ? 1.0 / 30.0 : std::clamp(plan_wait_s, 0.05, 60.0);
                if (app.ui.zooming)  // wake when the zoom settles, to replace its preview
                    wait = std::clamp(app.ui.zoom_settle_at - ImGui::GetTime() + 0.01, 0.01, wait);
                glfwWaitEventsTimeout(wait);
            }
            if (!headless_run && redraw_frames <= 0) redraw_frames = busy ? 1 : 2;  // woken: something happened
            const auto t_frame = Clock::now();

            if (app.jobs.poll()) redraw_frames = 3;
            if (data_at_ms < 0 && app.model.data) data_at_ms = ms_since(t_start);
            if (mesh_at_ms < 0 && app.model.mesh) mesh_at_ms = ms_since(t_start);
            for (const std::string& p : drops.paths) {
                if (is_project_path(p) || !app.model.data) app.open_project(p);
                else app.add_file(p);
            }
            drops.paths.clear();
            if (app.ui.ui_scale != applied_scale) {  // Ctrl +/−: text and widgets at the new size
                applied_scale = app.ui.ui_scale;
                ImGui::GetStyle() = base_style;
                ImGui::GetStyle().ScaleAllSizes(applied_scale);
                app.fonts_dirty = true;
            }
            if (app.fonts_dirty) {
                frame_cache.invalidate();
                fonts.update(app.glyph_text(), kFontPx * app.ui.ui_scale);
                app.fonts_dirty = false;
            }
            if (app.mesh_dirty) {
                const carto::RasterOverlay* raster = app.model.scene && app.model.scene->raster ? &*app.model.scene->raster : nullptr;
                const auto t_upload = Clock::now();
                app.renderer.upload(app.all_batches(), app.tess ? app.tess->origin() : Vec2{}, raster);
                upload_ms += ms_since(t_upload);
                app.mesh_dirty = false;
            }

            ImGui_ImplOpenGL3_NewFrame();
            ImGui_ImplGlfw_NewFrame();
            ImGui::NewFrame();
            app.ui.frame_windows.clear();
            const Layout layout = compute_layout(io.DisplaySize.x, io.DisplaySize.y, app.ui);
            draw_panels(app.model, app.ui, app, layout);
            ImGui::Render();

            int fb_w = 0, fb_h = 0;
            glfwGetFramebufferSize(window, &fb_w, &fb_h);
            const float fb_scale = io.DisplaySize.x > 0 ? static_cast<float>(fb_w) / io.DisplaySize.x : 1.0f;
            if (phase == Phase::Pan) {
                app.ui.camera.pan_pixels(3, 1);
                app.ui.dragging = true;
            }
            if (phase == Phase::Redraw) app.renderer.invalidate();
            if (phase == Phase::Zoom) {  // a wheel zoom in progress, 2 % a frame
                app.ui.camera.zoom_at(app.ui.camera.canvas_center(), 1.02);
                app.ui.zooming = true;
            }
            // The frame cache (frame_cache.hpp): an unchanged UI over an unchanged map is one
            // copy of the last frame, not a software rasterisation of every panel again.
            FrameKey key{hash_draw_data(ImGui::GetDrawData()), app.renderer.generation(), app.ui.camera,
                         app.ui.dragging, static_cast<bool>(app.model.mesh), fb_w, fb_h, app.ui.zooming};
            // A screenshot run always draws its frames fresh: what it saves must be the
            // current state, whatever the cache's key may miss.
            const bool cache_ok = options.screenshot.empty();
            frame_settled = key == prev_key && prev_key == prev_prev_key;
            frame_reused = cache_ok && frame_cache.present_cached(key);
            if (!frame_reused) {
                const bool keep = cache_ok && frame_cache.repeated(key);  // settled: draw offscreen and keep it
                app.renderer.target_framebuffer = keep ? frame_cache.begin(key) : 0;
                glViewport(0, 0, fb_w, fb_h);
                glClearColor(0.94f, 0.94f, 0.94f, 1.0f);
                glClear(GL_COLOR_BUFFER_BIT);
                if (app.model.mesh)
                    app.renderer.draw(app.ui.camera, app.draw_items(), fb_scale, fb_h, app.ui.dragging,
                                      app.ui.zooming);
                if (first_map_ms < 0 && app.renderer.stats().redrawn)
                    first_map_ms = app.renderer.stats().last_map_ms;
                ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
                key.map_generation = app.renderer.generation();
                if (keep) frame_cache.end(key);
                else frame_cache.skip(key);
            }
            prev_prev_key = prev_key;
            prev_key = key;

            const bool ready = app.model.mesh && !app.jobs.busy() && !app.mesh_dirty && !app.fonts_dirty &&
                               app.ui.errors.empty();
            ready_frames = ready ? ready_frames + 1 : 0;
            if (headless_run) {
                glFinish();
                const double frame_ms = ms_since(t_frame);
                if (!app.ui.errors.empty() && !app.jobs.busy()) {
                    for (const auto& e : app.ui.errors) std::cerr << "huqian view: " << e << "\n";
                    rc = 1;
                    break;
                }
                if (Clock::now() > deadline) {
                    std::cerr << "huqian view: no complete frame within 180 s\n";
                    rc = 1;
                    break;
                }
                if (ready_frames >= 3 && first_frame_ms < 0) first_frame_ms = ms_since(t_start);
                if (!options.screenshot.empty() && ready_frames >= 3) {
                    std::string err;
                    if (!write_screenshot(options.screenshot, fb_w, fb_h, err)) {
                        std::cerr << "huqian view: " << err << "\n";
                        rc = 1;
                    } else {
                        write_sidecar(options.screenshot + ".json", app, fb_w, fb_h, fb_scale);
                    }
                    if (options.bench_frames <= 0) break;
                }
                if (options.bench_frames > 0 && ready_frames >= 3) {
                    if (phase == Phase::Wait) {
                        phase = Phase::Steady;
                        phase_frames = 0;
                        // frames_reused / frames_drawn count the bench phases only (a slow build
                        // waits many settled frames before its first complete one).
                        frame_cache.reused = 0;
                        frame_cache.drawn = 0;
                    } else {
                        Timing* const timings[] = {&steady, &pan, &redraw, &zoom};  // Steady..Zoom
                        Timing* t = timings[static_cast<int>(phase) - static_cast<int>(Phase::Steady)];
                        if (phase == Phase::Zoom && app.renderer.previewing()) ++zoom_previews;
                        if (phase == Phase::Steady && frame_settled) {
                            ++settled_frames;
                            settled_reused += frame_reused ? 1 : 0;
                        }
                        t->ms.push_back(frame_ms);
                        if (++phase_frames >= options.bench_frames) {
                            phase_frames = 0;
                            phase = static_cast<Phase>(static_cast<int>(phase) + 1);  // the next, in order
                        }
                    }
                    if (phase == Phase::Done) {
                        nlohmann::json j;
                        j["project"] = options.project;
                        j["framebuffer"] = {fb_w, fb_h};
                        j["units"] = app.model.data && app.model.data->units ? app.model.data->units->size() : 0;
                        j["triangles"] = app.renderer.stats().triangles;
                        j["drawn_triangles"] = app.renderer.stats().drawn_triangles;
                        nlohmann::json labels = nlohmann::json::array();  // map labels drawn, with their halo boxes
    for (const auto& l : app.ui.drawn_labels) labels.push_back({{"text", l.text}, {"rect", {l.x0, l.y0, l.x1 - l.x0, l.y1 - l.y0}}});
    j["labels"] = labels;
    j["lod_level"] = app.renderer.stats().lod_level;
                        j["imgui_vertices"] = io.MetricsRenderVertices;
                        j["imgui_windows"] = io.MetricsRenderWindows;
                        j["frames_reused"] = frame_cache.reused;
                        j["frames_drawn"] = frame_cache.drawn;
                        j["steady_settled"] = settled_frames;
                        j["steady_settled_reused"] = settled_reused;
                        j["first_frame_ms"] = first_frame_ms;
                        j["steady_ms"] = steady.summary();
                        j["pan_ms"] = pan.summary();
                        j["redraw_ms"] = redraw.summary();
                        j["zoom_ms"] = zoom.summary();
                        j["zoom_previews"] = zoom_previews;
                        j["last_map_redraw_ms"] = app.renderer.stats().last_map_ms;
                        const double mesh_build_ms = app.model.mesh ? app.model.mesh->build_ms : 0.0;
                        j["first_frame_phases"] = {{"data_published_at", data_at_ms},
                                                   {"mesh_published_at", mesh_at_ms},
                                                   {"mesh_build", mesh_build_ms},
                                                   {"upload", upload_ms},
                                                   {"first_map_render", first_map_ms}};
                        std::cout << j.dump(2) << std::endl;
                        break;
                    }
                }
            }
            glfwSwapBuffers(window);
            app.ui.frame_ms = ms_since(t_frame);
            if (redraw_frames > 0) --redraw_frames;
            plan_wait_s = app.plan_tick(ms_since(t_start) / 1000.0);  // autosave when due
            if (script) {
                plan_wait_s = std::min(plan_wait_s, script_tick(*script, app, ms_since(t_start) / 1000.0));
                if (!script->error.empty()) {
                    std::cerr << "huqian view: " << script->error << "\n";
                    rc = 1;
                }
            }
            if (const std::string t = plan_window_title(app); t != title && !headless_run) {
                glfwSetWindowTitle(window, t.c_str());
                title = t;
            }
            if ((glfwWindowShouldClose(window) || app.quit) && !headless_run && !plan_may_quit(app)) {
                glfwSetWindowShouldClose(window, GLFW_FALSE);  // unsaved planning edits: asked first
                app.quit = false;
                redraw_frames = 3;
            }
        }
        app.jobs.cancel_all();
        if (app.export_preview.tex) glDeleteTextures(1, &app.export_preview.tex);
        app.renderer.shutdown();
        frame_cache.shutdown();
        glfwSetWindowUserPointer(window, nullptr);
    }
    app_holder.reset();
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return rc;
}

}  // namespace hq::view
