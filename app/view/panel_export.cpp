// File > Export map… (issue 7 §1): template, language, DPI, title and output path; a
// preview drawn by the exporter's cairo code (export_dialog.hpp) shown as a GL texture;
// Save writes the file on the job runner and shows "saved: PATH" or the error here.
#include <imgui.h>

#include <filesystem>

#define GL_GLEXT_PROTOTYPES 1
#include <GL/glcorearb.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "app/view/panels.hpp"

namespace hq::view {
namespace {

/// Uploads an RGBA image into `tex` (created on first use).
void upload_rgba(unsigned& tex, const exporter::Image& img) {
    if (!tex) glGenTextures(1, &tex);
    glBindTexture(GL_TEXTURE_2D, tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, img.width, img.height, 0, GL_RGBA, GL_UNSIGNED_BYTE, img.rgba.data());
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glBindTexture(GL_TEXTURE_2D, 0);
}

constexpr S kTemplateNames[] = {S::ExportA4Landscape, S::ExportA4Portrait, S::ExportA3Landscape, S::ExportA3Portrait,
                                S::ExportSlide};

/// True when the text changed.
bool text_field(const char* id, std::string& value) {
    char buf[1024];
    std::strncpy(buf, value.c_str(), sizeof buf - 1);
    buf[sizeof buf - 1] = '\0';
    if (!ImGui::InputText(id, buf, sizeof buf)) return false;
    value = buf;
    return true;
}

}  // namespace

void draw_export_window(const Model& model, UiState& ui, Controller& ctl) {
    ExportUi& ex = ui.export_ui;
    if (!ex.open) return;
    if (!ex.initialised) {
        ex.settings.lang = ui.lang == UiLang::Zh ? carto::Lang::Zh : carto::Lang::En;
        ex.initialised = true;
    }
    ImGui::SetNextWindowSize(ImVec2(480, 640), ImGuiCond_FirstUseEver);
    const std::string name = std::string(ui.t(S::ExportWindow)) + "###export";
    if (!ImGui::Begin(name.c_str(), &ex.open)) {
        ImGui::End();
        return;
    }
    ExportSettings& s = ex.settings;
    int tmpl = static_cast<int>(s.tmpl);
    const char* tmpl_label = ui.t(kTemplateNames[std::clamp(tmpl, 0, 4)]);
    if (ImGui::BeginCombo(ui.t(S::ExportTemplate), tmpl_label)) {
        for (int i = 0; i < 5; ++i)
            if (ImGui::Selectable(ui.t(kTemplateNames[i]), i == tmpl)) s.tmpl = static_cast<exporter::Template>(i);
        ImGui::EndCombo();
    }
    int lang = static_cast<int>(s.lang);
    const char* langs[] = {tr(S::Chinese, ui.lang), tr(S::English, ui.lang), ui.t(S::ExportBoth)};
    if (ImGui::Combo(ui.t(S::ExportLanguage), &lang, langs, 3)) s.lang = static_cast<carto::Lang>(lang);
    ImGui::SliderInt(ui.t(S::ExportDpi), &s.dpi, 72, 600);
    s.dpi = std::clamp(s.dpi, 72, 600);
    // Typed characters outside the font atlas (a rare hanzi in a title or a folder name) are
    // added to it at the next frame (Controller::glyph_text covers the title and the path).
    if (text_field(ui.t(S::ExportMapTitle), s.title)) ctl.fonts_dirty = true;
    if (text_field(ui.t(S::ExportPath), s.path)) ctl.fonts_dirty = true;
    ImGui::SameLine();
    if (ImGui::Button(ui.t(S::Browse))) {  // the file browser (dialogs.cpp), beside the project by default
        std::string start = s.path;
        if (model.data && !std::filesystem::path(start).is_absolute()) {
            std::filesystem::path p(model.data->project->path);
            if (p.filename() == "project.json") p = p.parent_path();
            std::error_code ec;
            if (!std::filesystem::is_directory(p, ec)) p = p.parent_path();
            start = (p / std::filesystem::path(start).filename()).string();
        }
        browser_start(ui.browser, BrowsePurpose::ExportMap, start);
    }
    ImGui::Checkbox(ui.t(S::ExportCurrentView), &s.current_view);

    const bool busy = ctl.jobs.busy("export-preview") || ctl.jobs.busy("export-save");
    if (ImGui::Button(ui.t(S::ExportPreview)) && model.data) ctl.request_export_preview();
    ImGui::SameLine();
    if (ImGui::Button(ui.t(S::ExportSave)) && model.data) {
        ex.message.clear();
        ctl.request_export_save();
    }
    if (busy) {
        ImGui::SameLine();
        ImGui::TextDisabled("%s", ui.t(S::ExportWorking));
    }
    if (!ex.message.empty()) {
        if (ex.message_error)
            ImGui::TextColored(ImVec4(0.85f, 0.2f, 0.2f, 1), "%s", ex.message.c_str());
        else
            ImGui::TextUnformatted(ex.message.c_str());
    }

    TextureSlot& pt = ctl.export_preview;  // the controller keeps the GL texture
    if (ex.preview && ex.preview->width > 0 && ex.preview->height > 0 && pt.generation != ex.preview_generation) {
        upload_rgba(pt.tex, *ex.preview);
        pt.generation = ex.preview_generation;
        pt.width = ex.preview->width;
        pt.height = ex.preview->height;
    }
    if (pt.tex && pt.width > 0) {
        ImGui::Separator();
        const float avail = std::max(64.0f, ImGui::GetContentRegionAvail().x);
        const float scale = avail / static_cast<float>(pt.width);
        ImGui::Image(reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(pt.tex)),
                     ImVec2(avail, static_cast<float>(pt.height) * scale), ImVec2(0, 0), ImVec2(1, 1),
                     ImVec4(1, 1, 1, 1), ImVec4(0.5f, 0.5f, 0.5f, 1));
    }
    const ImVec2 pos = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
    ui.frame_windows.push_back({"export", pos.x, pos.y, size.x, size.y});
    ImGui::End();
}

}  // namespace hq::view
