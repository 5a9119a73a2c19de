// Legend panel: the scene's legend items (swatches, hatches, lines, points, ramps).
#include <imgui.h>

#include <algorithm>
#include <string>

#include "app/carto/labels.hpp"
#include "app/view/panels.hpp"

namespace hq::view {
namespace {
ImU32 col(const carto::Color& c) { return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, c.a)); }
}  // namespace

void draw_legend_panel(const Model& model, UiState& ui, Controller& /*ctl*/) {
    if (!model.scene) {
        ImGui::TextDisabled("%s", ui.t(S::NoData));
        return;
    }
    const auto& scene = *model.scene;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float sw = ImGui::GetTextLineHeight();
    for (const carto::LegendItem& item : scene.legend) {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        switch (item.kind) {
            case carto::LegendItem::Kind::Header:
                ImGui::Spacing();
                ImGui::TextUnformatted(item.label.c_str());
                continue;
            case carto::LegendItem::Kind::Swatch:
                dl->AddRectFilled(p, ImVec2(p.x + sw * 1.4f, p.y + sw), col(item.color));
                dl->AddRect(p, ImVec2(p.x + sw * 1.4f, p.y + sw), IM_COL32(80, 80, 80, 255));
                break;
            case carto::LegendItem::Kind::Hatch:
                dl->AddRectFilled(p, ImVec2(p.x + sw * 1.4f, p.y + sw), col(item.color));
                for (float k = 0; k < sw * 2.4f; k += 5)
                    dl->AddLine(ImVec2(p.x + std::max(0.0f, k - sw), p.y + std::min(sw, k)),
                                ImVec2(p.x + std::min(sw * 1.4f, k), p.y + std::max(0.0f, k - sw * 1.4f)),
                                IM_COL32(60, 60, 60, 255));
                break;
            case carto::LegendItem::Kind::Line:
                dl->AddLine(ImVec2(p.x, p.y + sw / 2), ImVec2(p.x + sw * 1.4f, p.y + sw / 2), col(item.color), 2.0f);
                break;
            case carto::LegendItem::Kind::Point:
                dl->AddCircleFilled(ImVec2(p.x + sw * 0.7f, p.y + sw / 2), sw * 0.35f, col(item.color));
                break;
            case carto::LegendItem::Kind::Ramp: {
                const float w = ImGui::GetContentRegionAvail().x * 0.8f;
                const std::size_t n = item.ramp.size();
                for (std::size_t k = 0; k + 1 < n; ++k) {
                    const float x0 = p.x + w * static_cast<float>(k) / static_cast<float>(n - 1);
                    const float x1 = p.x + w * static_cast<float>(k + 1) / static_cast<float>(n - 1);
                    dl->AddRectFilledMultiColor(ImVec2(x0, p.y), ImVec2(x1, p.y + sw), col(item.ramp[k]),
                                                col(item.ramp[k + 1]), col(item.ramp[k + 1]), col(item.ramp[k]));
                }
                ImGui::Dummy(ImVec2(w, sw));
                ImGui::Text("%s", item.ramp_low.c_str());
                ImGui::SameLine(std::max(ImGui::GetCursorPosX(), w - ImGui::CalcTextSize(item.ramp_high.c_str()).x));
                ImGui::Text("%s", item.ramp_high.c_str());
                if (!item.ramp_unit.empty()) ImGui::TextDisabled("%s", item.ramp_unit.c_str());
                if (!item.label.empty()) ImGui::TextUnformatted(item.label.c_str());
                continue;
            }
        }
        ImGui::Dummy(ImVec2(sw * 1.4f, sw));
        ImGui::SameLine();
        ImGui::TextUnformatted(item.label.c_str());
    }
    // Notes wrapped by carto's rule (ImGui's TextWrapped breaks after a '.', inside "0.28").
    const double width = std::max(40.0f, ImGui::GetContentRegionAvail().x);
    for (const auto& scene_note : scene.notes) {
        // The illustrative stamp is bilingual on every map; the panel says it in the UI language.
        const std::string note = scene_note == carto::kIllustrativeNote ? std::string(ui.t(S::Illustrative)) : scene_note;
        for (const auto& line : carto::wrap_lines(note, width, [](const std::string& t) {
                 return static_cast<double>(ImGui::CalcTextSize(t.c_str()).x);
             }))
            ImGui::TextUnformatted(line.c_str());
    }
}

}  // namespace hq::view
