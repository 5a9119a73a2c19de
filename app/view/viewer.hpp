#pragma once
// The viewer's entry point: window, GL 3.3 core context, ImGui, the idle-aware main loop,
// --screenshot and --bench-frames. Only app/view touches GLFW.
#include "app/view/app.hpp"

namespace hq::view {

/// Runs the viewer; returns the process exit code. Without a display prints one line and
/// returns 1 (never touches GLFW when DISPLAY and WAYLAND_DISPLAY are unset).
int run_viewer(const ViewerOptions& options);

/// The one-line message for "no display", with the export commands to use instead.
const char* no_display_message();

}  // namespace hq::view
