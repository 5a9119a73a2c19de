// Indices panel: the segregation indices of geo/stats/segregation.hpp for the chosen group
// (vs the rest) and the multigroup ones, computed on demand off the UI thread, with a
// plain-language reading of the dissimilarity index.
#include <imgui.h>

#include <cmath>
#include <cstdio>

#include "app/view/panels.hpp"

namespace hq::view {

void draw_indices(App& app, const Layout& layout) {
    if (!app.ui.show_indices) return;
    ImGui::SetNextWindowPos(ImVec2(static_cast<float>(layout.canvas_min.x) + 20,
                                   static_cast<float>(layout.canvas_min.y + layout.canvas_size.y) - 340),
                            ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(ImVec2(420, 320), ImGuiCond_FirstUseEver);
    if (!ImGui::Begin((std::string(app.t(S::Indices)) + "###indices").c_str(), &app.ui.show_indices)) {
        ImGui::End();
        return;
    }
    {
        const ImVec2 p = ImGui::GetWindowPos(), s = ImGui::GetWindowSize();
        floating_windows().push_back({"indices", p.x, p.y, s.x, s.y});
    }
    if (!app.model.data || app.model.data->counts.size() < 2) {
        ImGui::TextDisabled("%s", app.t(S::IndicesUnavailable));
        ImGui::End();
        return;
    }
    ImGui::Text("%s: %s", app.t(S::Group), app.group_name(static_cast<std::size_t>(app.ui.group)).c_str());
    ImGui::SameLine();
    if (app.jobs.busy("indices")) {
        ImGui::TextDisabled("%s", app.t(S::Computing));
    } else if (ImGui::Button(app.t(S::Compute))) {
        app.request_indices();
    }
    const IndicesView* v = app.model.indices.get();
    if (!v) {
        ImGui::TextDisabled("%s", app.t(S::IndicesPending));
        ImGui::End();
        return;
    }
    auto table = [&](const char* id, const std::vector<seg::IndexValue>& values) {
        if (!ImGui::BeginTable(id, 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) return;
        ImGui::TableSetupColumn(app.t(S::Index));
        ImGui::TableSetupColumn(app.t(S::Value));
        ImGui::TableHeadersRow();
        for (const auto& iv : values) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(iv.id.c_str());
            ImGui::TableNextColumn();
            if (std::isfinite(iv.value)) ImGui::Text("%.4f", iv.value);
            else ImGui::TextDisabled("—");
        }
        ImGui::EndTable();
    };
    const std::string gname = app.group_name(v->group_index);
    for (const auto& iv : v->single)
        if (iv.id == "dissim" && std::isfinite(iv.value)) {
            char buf[512];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
            std::snprintf(buf, sizeof buf, app.t(S::DissimReading), iv.value, gname.c_str(), iv.value * 100);
#pragma GCC diagnostic pop
            ImGui::TextWrapped("%s", buf);
        }
    table("single", v->single);
    ImGui::Separator();
    table("multi", v->multi);
    ImGui::End();
}

}  // namespace hq::view
