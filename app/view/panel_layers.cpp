// Layers panel: visibility, opacity and order of the scene's layers, added files and raster
// basemaps ("Add basemap…": a GeoTIFF or MBTiles path, warped off the UI thread). Every change
// is one undo step in the planning document (view_state.hpp): a click, or a slider drag on
// release; the slider shows the opacity live while it is dragged.
#include <imgui.h>

#include "app/view/panels.hpp"
#include "app/view/view_state.hpp"

namespace hq::view {

void draw_layers_panel(const Model& model, UiState& ui, Controller& ctl) {
    auto& layers = ui.layers;
    const auto batches = ctl.all_batches();
    bool changed = false;
    // Top of the list = drawn last (on top), as in QGIS.
    for (std::size_t r = layers.size(); r-- > 0;) {
        LayerState& l = layers[r];
        const MeshBatch* b = nullptr;
        for (const MeshBatch* x : batches)
            if (x->key == l.key) b = x;
        if (!b) continue;
        const std::string key = l.key;
        const std::string name = ui.lang == UiLang::Zh ? b->name_zh : b->name_en;
        ImGui::PushID(key.c_str());
        if (ImGui::Checkbox("##vis", &l.visible)) {
            changed = true;
            const S what = l.visible ? S::HistShowLayer : S::HistHideLayer;
            commit_view_settings(ctl, layer_visible_key(key), std::string(tr(what, UiLang::En)) + " " + name);
        }
        ImGui::SameLine();
        ImGui::TextUnformatted(name.c_str());
        ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - ImGui::GetFrameHeight() * 2 - ImGui::GetStyle().ItemSpacing.x);
        if (ImGui::ArrowButton("##up", ImGuiDir_Up) && r + 1 < layers.size()) {
            std::swap(layers[r], layers[r + 1]);
            commit_view_settings(ctl, kOrderKey, tr(S::HistLayerOrder, UiLang::En));
            changed = true;
            ImGui::PopID();
            break;
        }
        ImGui::SameLine();
        if (ImGui::ArrowButton("##down", ImGuiDir_Down) && r > 0) {
            std::swap(layers[r], layers[r - 1]);
            commit_view_settings(ctl, kOrderKey, tr(S::HistLayerOrder, UiLang::En));
            changed = true;
            ImGui::PopID();
            break;
        }
        ImGui::SetNextItemWidth(-1);
        if (ImGui::SliderFloat("##opacity", &l.opacity, 0.0f, 1.0f, (std::string(ui.t(S::Opacity)) + " %.2f").c_str()))
            changed = true;  // live while dragging ...
        if (ImGui::IsItemDeactivatedAfterEdit())  // ... one undo step on release
            commit_view_settings(ctl, layer_opacity_key(key), std::string(tr(S::HistLayerOpacity, UiLang::En)) + " " + name);
        ImGui::PopID();
    }
    if (ImGui::Checkbox(ui.t(S::Labels), &ui.show_labels)) {
        changed = true;
        commit_view_settings(ctl, kLabelsKey, tr(S::HistLabels, UiLang::En));
    }
    // The zones' catchments on demand, in every map mode (the planner is built when first
    // asked for; view_state.cpp sync_catchments rebuilds the map).
    ImGui::BeginDisabled(model.plan.doc().zones.empty());
    ImGui::Checkbox(ui.t(S::ZoneCatchments), &ui.plan.show_catchments);
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", ui.t(S::ZoneCatchmentsTip));
    if (ImGui::Button(ui.t(S::MenuAddLayer))) ui.add_popup = true;
    ImGui::SameLine();
    if (ImGui::Button(ui.t(S::AddBasemap)) && model.data) ui.basemap_popup = true;  // the file browser (dialogs.cpp)
    ImGui::TextDisabled("%s", ui.t(S::DropHint));
    if (changed) ctl.renderer.invalidate();
}

}  // namespace hq::view
