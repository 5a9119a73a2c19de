// The file browser (file_browser.hpp): the state's operations without ImGui, then the dialog.
//
// [SECTION] index
//   Filters, listing, navigation
//   The dialog
#include "app/view/file_browser.hpp"

#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>

#include "app/view/app.hpp"

namespace hq::view {

namespace fs = std::filesystem;

// [SECTION] Filters, listing, navigation -------------------------------------------------------

namespace {

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

void set_name(FileBrowserState& st, const std::string& name) {
    std::strncpy(st.name.data(), name.c_str(), st.name.size() - 1);
    st.name[st.name.size() - 1] = 0;
}

bool saving(BrowsePurpose p) { return p == BrowsePurpose::SaveProject || p == BrowsePurpose::ExportMap; }

}  // namespace

std::vector<FileFilter> filters_for(BrowsePurpose purpose) {
    const std::vector<std::string> vector_exts = {".gpkg", ".geojson", ".json", ".shp", ".fgb", ".csv", ".kml", ".gml"};
    switch (purpose) {
    case BrowsePurpose::OpenProject:
        return {{S::FilterProjects, {".gpkg", ".json"}}, {S::FilterVector, vector_exts}, {S::FilterAll, {}}};
    case BrowsePurpose::AddLayer: return {{S::FilterVector, vector_exts}, {S::FilterAll, {}}};
    case BrowsePurpose::AddBasemap: return {{S::FilterRaster, {".tif", ".tiff", ".mbtiles"}}, {S::FilterAll, {}}};
    case BrowsePurpose::SaveProject: return {{S::FilterGpkg, {".gpkg"}}};
    case BrowsePurpose::ExportMap:
        return {{S::FilterPdf, {".pdf"}}, {S::FilterPng, {".png"}}, {S::FilterSvg, {".svg"}}};
    }
    return {{S::FilterAll, {}}};
}

bool filter_matches(const FileFilter& filter, const std::string& name) {
    if (filter.exts.empty()) return true;
    const std::string n = lower(name);
    return std::any_of(filter.exts.begin(), filter.exts.end(), [&](const std::string& e) {
        return n.size() > e.size() && n.compare(n.size() - e.size(), e.size(), e) == 0;
    });
}

void browser_start(FileBrowserState& st, BrowsePurpose purpose, const std::string& start) {
    st.purpose = purpose;
    st.filters = filters_for(purpose);
    st.filter = 0;
    st.selected = -1;
    st.cancelled = false;
    st.error.clear();
    set_name(st, "");
    std::error_code ec;
    fs::path p = start.empty() ? fs::current_path(ec) : fs::path(start);
    if (!p.is_absolute()) p = fs::absolute(p, ec);
    p = p.lexically_normal();
    if (p.has_filename() == false && p.has_parent_path() && p != p.root_path()) p = p.parent_path();  // "dir/"
    if (!fs::is_directory(p, ec)) {
        if (saving(purpose)) {
            set_name(st, p.filename().string());
            // An export path's extension chooses the filter (map.png: PNG).
            for (std::size_t i = 0; i < st.filters.size(); ++i)
                if (filter_matches(st.filters[i], p.filename().string())) st.filter = static_cast<int>(i);
        }
        p = p.parent_path();
        if (!fs::is_directory(p, ec)) p = fs::current_path(ec);
    }
    st.dir = p.string();
    st.request_open = true;
    browser_list(st);
}

bool browser_list(FileBrowserState& st) {
    st.entries.clear();
    st.selected = -1;
    st.error.clear();
    std::error_code ec;
    fs::directory_iterator it(st.dir, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
        st.error = ec.message();  // the dialog says "cannot read folder DIR: reason" in the UI language
        return false;
    }
    const FileFilter all;
    const FileFilter& f = st.filter >= 0 && st.filter < static_cast<int>(st.filters.size()) ? st.filters[st.filter] : all;
    std::size_t n = 0;
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec) break;
        if (++n > 20000) break;  // a huge folder: the first 20 000 entries
        const std::string name = it->path().filename().string();
        if (name.empty() || name[0] == '.') continue;
        std::error_code e2;
        FileEntry e;
        e.name = name;
        e.folder = it->is_directory(e2);
        if (e.folder) {
            e.project = fs::exists(it->path() / "project.json", e2);
        } else {
            if (!filter_matches(f, name)) continue;
            e.size = it->file_size(e2);
        }
        if (st.glyphs.size() < (1u << 20) && st.glyphs.find(name) == std::string::npos) {
            st.glyphs += name;
            st.glyphs += '\n';
            st.glyphs_changed = true;
        }
        st.entries.push_back(std::move(e));
    }
    std::sort(st.entries.begin(), st.entries.end(), [](const FileEntry& a, const FileEntry& b) {
        if (a.folder != b.folder) return a.folder;
        return a.name < b.name;
    });
    return true;
}

bool browser_enter(FileBrowserState& st, const std::string& name) {
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos) return false;
    std::error_code ec;
    const fs::path p = fs::path(st.dir) / name;
    if (!fs::is_directory(p, ec)) return false;
    st.dir = p.string();
    if (!saving(st.purpose)) set_name(st, "");
    browser_list(st);
    return true;
}

bool browser_parent(FileBrowserState& st) {
    const fs::path p(st.dir);
    if (!p.has_parent_path() || p.parent_path() == p) return false;
    st.dir = p.parent_path().string();
    if (!saving(st.purpose)) set_name(st, "");
    browser_list(st);
    return true;
}

void browser_set_filter(FileBrowserState& st, int filter) {
    st.filter = std::clamp(filter, 0, std::max(0, static_cast<int>(st.filters.size()) - 1));
    if (saving(st.purpose) && st.name[0] && !st.filters.empty() && !st.filters[st.filter].exts.empty()) {
        // Another format chosen while saving: the typed name takes its extension.
        fs::path n(st.name.data());
        if (!filter_matches(st.filters[st.filter], n.filename().string())) {
            const bool known = std::any_of(st.filters.begin(), st.filters.end(),
                                           [&](const FileFilter& f) { return filter_matches(f, n.filename().string()); });
            if (known) n.replace_extension(st.filters[st.filter].exts.front());
            else n += st.filters[st.filter].exts.front();
            set_name(st, n.string());
        }
    }
    browser_list(st);
}

std::string browser_accept(FileBrowserState& st) {
    std::error_code ec;
    if (saving(st.purpose)) {
        std::string name = st.name.data();
        while (!name.empty() && name.back() == ' ') name.pop_back();
        if (name.empty() || name.find('/') != std::string::npos || name.find('\\') != std::string::npos ||
            name == "." || name == "..")
            return {};
        if (fs::is_directory(fs::path(st.dir) / name, ec)) {
            browser_enter(st, name);
            return {};
        }
        const FileFilter* f = st.filters.empty() ? nullptr : &st.filters[std::clamp(st.filter, 0, static_cast<int>(st.filters.size()) - 1)];
        if (f && !f->exts.empty() && !filter_matches(*f, name)) name += f->exts.front();
        return (fs::path(st.dir) / name).string();
    }
    if (st.selected < 0 || st.selected >= static_cast<int>(st.entries.size())) {
        // A name typed or pasted into the field: an absolute path is taken as is.
        const std::string typed = st.name.data();
        if (typed.empty()) return {};
        const fs::path p = fs::path(typed).is_absolute() ? fs::path(typed) : fs::path(st.dir) / typed;
        if (fs::is_directory(p, ec) && !(st.purpose == BrowsePurpose::OpenProject && fs::exists(p / "project.json", ec))) {
            st.dir = p.lexically_normal().string();
            set_name(st, "");
            browser_list(st);
            return {};
        }
        return fs::exists(p, ec) ? p.lexically_normal().string() : std::string();
    }
    const FileEntry e = st.entries[st.selected];
    if (e.folder) {
        if (e.project && st.purpose == BrowsePurpose::OpenProject) return (fs::path(st.dir) / e.name).string();
        browser_enter(st, e.name);
        return {};
    }
    return (fs::path(st.dir) / e.name).string();
}

std::vector<RecentEntry> recent_entries(const std::vector<std::string>& recent) {
    std::vector<RecentEntry> out;
    for (const std::string& r : recent) {
        std::error_code ec;
        fs::path p(r);
        while (!p.has_filename() && p.has_parent_path() && p.parent_path() != p) p = p.parent_path();
        std::string label = p.filename().string();
        if (label == "project.json") label = p.parent_path().filename().string();
        out.push_back({r, label.empty() ? r : label, fs::exists(r, ec)});
    }
    return out;
}

// [SECTION] The dialog ------------------------------------------------------------------------

namespace {

S title_of(BrowsePurpose p) {
    switch (p) {
    case BrowsePurpose::OpenProject: return S::BrowseOpenTitle;
    case BrowsePurpose::AddLayer: return S::MenuAddLayer;
    case BrowsePurpose::AddBasemap: return S::AddBasemap;
    case BrowsePurpose::SaveProject: return S::MenuSaveAs;
    case BrowsePurpose::ExportMap: return S::BrowseExportTitle;
    }
    return S::Open;
}

std::string human_size(std::uintmax_t b) {
    char buf[32];
    if (b < 1024) std::snprintf(buf, sizeof buf, "%ju B", b);
    else if (b < 1024 * 1024) std::snprintf(buf, sizeof buf, "%.0f KB", static_cast<double>(b) / 1024.0);
    else std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(b) / (1024.0 * 1024.0));
    return buf;
}

}  // namespace

bool file_browser(UiState& ui, FileBrowserState& st, const std::vector<std::string>& recent, std::string& out) {
    const std::string id = std::string(ui.t(title_of(st.purpose))) + "###file_browser";
    if (st.request_open) {
        ImGui::OpenPopup(id.c_str());
        st.request_open = false;
    }
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->Size.x * 0.5f, vp->Size.y * 0.45f), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(std::min(vp->Size.x * 0.9f, 760.0f * ui.ui_scale),
                                    std::min(vp->Size.y * 0.85f, 520.0f * ui.ui_scale)),
                             ImGuiCond_Appearing);
    if (!ImGui::BeginPopupModal(id.c_str(), nullptr, ImGuiWindowFlags_NoSavedSettings)) return false;
    bool accepted = false;
    const bool save = saving(st.purpose);
    // Parent folder and the current folder.
    if (ImGui::ArrowButton("##up", ImGuiDir_Up)) browser_parent(st);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", ui.t(S::BrowserParent));
    ImGui::SameLine();
    ImGui::TextUnformatted(st.dir.c_str());
    const float footer = ImGui::GetFrameHeightWithSpacing() * 3.2f;
    const bool with_recent = st.purpose == BrowsePurpose::OpenProject && !recent.empty();
    if (with_recent) {
        ImGui::BeginChild("##recent", ImVec2(200 * ui.ui_scale, -footer), true);
        ImGui::TextDisabled("%s", ui.t(S::RecentProjects));
        for (const RecentEntry& r : recent_entries(recent)) {
            ImGui::PushID(r.path.c_str());
            if (!r.exists) ImGui::BeginDisabled();
            if (ImGui::Selectable(r.label.c_str())) {
                out = r.path;
                accepted = true;
            }
            if (!r.exists) ImGui::EndDisabled();
            if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
                ImGui::SetTooltip("%s%s", r.path.c_str(), r.exists ? "" : (std::string("\n") + ui.t(S::RecentMissing)).c_str());
            ImGui::PopID();
        }
        ImGui::EndChild();
        ImGui::SameLine();
    }
    ImGui::BeginChild("##entries", ImVec2(0, -footer), true);
    if (!st.error.empty())
        ImGui::TextColored(ImVec4(0.85f, 0.2f, 0.2f, 1), "%s", fill(ui.t(S::BrowserCannotRead), {st.dir, st.error}).c_str());
    std::string enter;
    for (int i = 0; i < static_cast<int>(st.entries.size()); ++i) {
        const FileEntry& e = st.entries[i];
        const std::string label = (e.folder ? (e.project ? "[P] " : "[ ] ") : "    ") + e.name + (e.folder ? "/" : "");
        ImGui::PushID(i);
        if (ImGui::Selectable(label.c_str(), st.selected == i, ImGuiSelectableFlags_AllowDoubleClick)) {
            st.selected = i;
            if (!e.folder || save == false) set_name(st, e.name);
            if (ImGui::IsMouseDoubleClicked(0)) {
                if (e.folder && !(e.project && st.purpose == BrowsePurpose::OpenProject)) enter = e.name;
                else if (!save || !e.folder) {
                    out = browser_accept(st);
                    accepted = !out.empty();
                }
            }
        }
        if (!e.folder) {
            ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - 90 * ui.ui_scale);
            ImGui::TextDisabled("%s", human_size(e.size).c_str());
        } else if (e.project && ImGui::IsItemHovered()) {
            ImGui::SetTooltip("%s", ui.t(S::BrowserProjectFolder));
        }
        ImGui::PopID();
    }
    if (st.entries.empty() && st.error.empty()) ImGui::TextDisabled("%s", ui.t(S::BrowserEmpty));
    ImGui::EndChild();
    if (!enter.empty()) browser_enter(st, enter);
    // The name, the filter, the buttons.
    ImGui::SetNextItemWidth(-260 * ui.ui_scale);
    const bool typed_enter = ImGui::InputText(save ? ui.t(S::BrowserFileName) : "##name", st.name.data(), st.name.size(),
                                              ImGuiInputTextFlags_EnterReturnsTrue);
    if (ImGui::IsItemEdited() && !save) st.selected = -1;  // a typed path replaces the choice
    ImGui::SameLine();
    ImGui::SetNextItemWidth(200 * ui.ui_scale);
    const FileFilter& cur = st.filters[std::clamp(st.filter, 0, static_cast<int>(st.filters.size()) - 1)];
    if (ImGui::BeginCombo("##filter", ui.t(cur.label))) {
        for (int i = 0; i < static_cast<int>(st.filters.size()); ++i)
            if (ImGui::Selectable(ui.t(st.filters[i].label), i == st.filter)) browser_set_filter(st, i);
        ImGui::EndCombo();
    }
    if (save && st.name[0]) {
        std::error_code ec;
        const std::string target = (fs::path(st.dir) / st.name.data()).string();
        if (fs::exists(target, ec) && !fs::is_directory(target, ec))
            ImGui::TextColored(ImVec4(0.8f, 0.35f, 0.0f, 1.0f), "%s", ui.t(S::FileWillBeReplaced));
    }
    const S ok = save ? S::MenuSave : st.purpose == BrowsePurpose::OpenProject ? S::Open : S::Add;
    if ((ImGui::Button(ui.t(ok)) || typed_enter) && !accepted) {
        out = browser_accept(st);
        accepted = !out.empty();
    }
    ImGui::SameLine();
    if (ImGui::Button(ui.t(S::Cancel)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
        st.cancelled = true;
        ImGui::CloseCurrentPopup();
    }
    if (accepted) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    return accepted;
}

}  // namespace hq::view
