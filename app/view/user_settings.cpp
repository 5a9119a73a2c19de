#include "app/view/user_settings.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "geo/io/writer.hpp"

namespace hq::view {

std::string user_settings_path() {
    namespace fs = std::filesystem;
    if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) return (fs::path(x) / "huqian" / "viewer.json").string();
    if (const char* h = std::getenv("HOME"); h && *h) return (fs::path(h) / ".config" / "huqian" / "viewer.json").string();
    return {};
}

float clamp_ui_scale(float scale) {
    if (!std::isfinite(scale)) return 1.0f;
    return std::clamp(scale, kUiScaleMin, kUiScaleMax);
}

void remember_recent(std::vector<std::string>& recent, const std::string& path) {
    recent.erase(std::remove(recent.begin(), recent.end(), path), recent.end());
    recent.insert(recent.begin(), path);
    if (recent.size() > 10) recent.resize(10);
}

UserSettings load_user_settings(const std::string& path) {
    UserSettings s;
    if (path.empty()) return s;
    std::ifstream in(path);
    if (!in) return s;
    const nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) return s;
    if (auto it = j.find("ui_scale"); it != j.end() && it->is_number()) s.ui_scale = clamp_ui_scale(it->get<float>());
    if (auto it = j.find("recent"); it != j.end() && it->is_array())
        for (const auto& r : *it)
            if (r.is_string() && s.recent.size() < 10) s.recent.push_back(r.get<std::string>());
    return s;
}

void save_user_settings(const std::string& path, const UserSettings& s) {
    namespace fs = std::filesystem;
    const fs::path parent = fs::path(path).parent_path();
    if (!parent.empty()) fs::create_directories(parent);
    nlohmann::json j;
    j["ui_scale"] = s.ui_scale;
    j["recent"] = s.recent;
    write_file_atomic(path, j.dump(2) + "\n");
}

}  // namespace hq::view
