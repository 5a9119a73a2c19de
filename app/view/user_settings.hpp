#pragma once
// The viewer's own settings, per user, not per project: the UI scale (Ctrl +/−) and the
// recent projects. A small JSON file in the user's configuration folder
// ($XDG_CONFIG_HOME/huqian/viewer.json, else ~/.config/huqian/viewer.json), written through
// the atomic writer. No GL, no ImGui (tests/view/test_view_app.cpp).
#include <string>
#include <vector>

namespace hq::view {

inline constexpr float kUiScaleMin = 0.75f, kUiScaleMax = 2.5f, kUiScaleStep = 1.125f;

struct UserSettings {
    float ui_scale = 1.0f;             ///< 1 = 16 px text
    std::vector<std::string> recent;   ///< recent projects, newest first (at most 10)
};

/// The settings file's path ("" when neither XDG_CONFIG_HOME nor HOME is set).
std::string user_settings_path();
/// The settings in `path`; defaults when the file is missing or unreadable (a value out of
/// range is clamped, a malformed file is ignored: it is the user's own file, not project data).
UserSettings load_user_settings(const std::string& path);
/// Writes `s` to `path` atomically, creating its folder. Throws on a write error.
void save_user_settings(const std::string& path, const UserSettings& s);
/// `scale` clamped to [kUiScaleMin, kUiScaleMax] (1 when not finite).
float clamp_ui_scale(float scale);
/// Puts `path` first in `recent` (once), keeping at most 10.
void remember_recent(std::vector<std::string>& recent, const std::string& path);

}  // namespace hq::view
