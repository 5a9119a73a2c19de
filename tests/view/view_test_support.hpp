#pragma once
// Shared by the viewer tests: waiting for the Controller's jobs, and running the viewer under
// Xvfb (Mesa llvmpipe, OpenGL 3.3) to take a screenshot of data/shuhan.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <imgui.h>

#include "app/view/app.hpp"
#include "tests/test_support.hpp"

namespace hq::test {

/// An ImGui context without a backend (no GL): a font atlas and a display size are all
/// NewFrame needs. The caller ends it with ImGui::DestroyContext.
inline ImGuiContext* headless_imgui(float width, float height) {
    ImGuiContext* ctx = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(width, height);
    io.DeltaTime = 1.0f / 60.0f;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    return ctx;
}

/// Polls the jobs (as the main loop does each frame) until none runs; false on timeout.
inline bool settle(view::Controller& app, int seconds = 120) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < end) {
        app.jobs.poll();
        if (!app.jobs.busy()) {
            app.jobs.poll();
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

/// The GUI tests run the viewer under xvfb-run: without it they FAIL (a missing tool in CI is
/// a failure, not a pass; cmake/install-deps.sh installs the xvfb package).
inline void require_xvfb() {
    INFO("xvfb-run not found: the GUI tests need it (apt-get install xvfb xauth, as cmake/install-deps.sh does)");
    REQUIRE(std::system("command -v xvfb-run > /dev/null 2>&1") == 0);
}

/// `huqian view data/shuhan --screenshot PNG --size 1280x800 --lang en ARGS` under
/// xvfb-run; REQUIREs exit 0 and shows the command and its output on failure.
inline void shuhan_screenshot(const std::string& png, const std::string& log, const std::string& args) {
    const std::string cmd = "cd '" + source_dir() +
                            "' && xvfb-run -a -s '-screen 0 1280x800x24' env MESA_GL_VERSION_OVERRIDE=3.3 "
                            "MESA_GLSL_VERSION_OVERRIDE=330 ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 '" HUQIAN_EXE
                            "' view data/shuhan --screenshot '" + png + "' --size 1280x800 --lang en " + args +
                            " > '" + log + "' 2>&1";
    const int status = std::system(cmd.c_str());
    std::ifstream lf(log);
    std::stringstream ls;
    ls << lf.rdbuf();
    INFO("command: " << cmd << "\noutput:\n" << ls.str());
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
}

}  // namespace hq::test
