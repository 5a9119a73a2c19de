// Words (issue 13 §7): the Chinese UI shows no English. Every panel of the viewer is driven
// in Chinese without GL (a headless ImGui context, the real Controller on data/shuhan) through
// the states a planner sees (each map mode, a selection, the indices with p-values, plan mode
// with a zone, suggested sites and a comparison, the history, the export window), and every
// glyph drawn is read back from the frame's draw lists (drawn_text: the recording shim, so
// text drawn straight onto a draw list counts too). A word of two or more ASCII letters
// fails unless it is an id, a path, or a word kept in every language (the allowlist below).
#include <catch2/catch.hpp>

#ifdef HUQIAN_HAVE_VIEWER
#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "app/carto/ramps.hpp"
#include "app/view/app.hpp"
#include "app/view/export_dialog.hpp"
#include "app/view/panels.hpp"
#include "app/view/plan_panels.hpp"
#include "app/view/view_state.hpp"
#include "tests/test_support.hpp"
#include "tests/view/view_test_support.hpp"

using namespace hq::view;
using hq::test::settle;

namespace {

constexpr float kW = 1900, kH = 2400;

/// The text of the frame just rendered, read back from its draw lists (the recording shim:
/// every glyph ImGui drew, through widgets or straight onto a draw list, as the map's labels
/// are). A glyph is a textured quad whose top-left corner carries the glyph's (U0, V0) in the
/// font atlas; glyphs on one baseline, each starting where the previous one advanced to, are
/// one word; anything else starts a new one (spaces are not drawn).
std::string drawn_text() {
    const ImFont* font = ImGui::GetIO().Fonts->Fonts[0];
    std::map<std::pair<float, float>, const ImFontGlyph*> by_uv;
    for (const ImFontGlyph& g : font->Glyphs)
        if (g.Visible) by_uv[{g.U0, g.V0}] = &g;
    struct Drawn {
        float x, y, advance;
        unsigned c;
    };
    std::string out;
    const ImDrawData* dd = ImGui::GetDrawData();
    for (int l = 0; l < dd->CmdListsCount; ++l) {
        const ImDrawList* list = dd->CmdLists[l];
        std::vector<Drawn> glyphs;
        for (int v = 0; v + 3 < list->VtxBuffer.Size; ++v) {
            const ImDrawVert& a = list->VtxBuffer[v];
            const auto it = by_uv.find({a.uv.x, a.uv.y});
            if (it == by_uv.end()) continue;
            const ImFontGlyph& g = *it->second;
            const ImDrawVert& b = list->VtxBuffer[v + 1];
            if (b.uv.x != g.U1 || b.uv.y != g.V0 || g.X1 <= g.X0) continue;  // not this glyph's quad
            const float scale = (b.pos.x - a.pos.x) / (g.X1 - g.X0);
            glyphs.push_back({a.pos.x - g.X0 * scale, a.pos.y - g.Y0 * scale, g.AdvanceX * scale, g.Codepoint});
        }
        for (std::size_t k = 0; k < glyphs.size(); ++k) {
            const bool joined = k > 0 && std::abs(glyphs[k].y - glyphs[k - 1].y) < 0.5f &&
                                std::abs(glyphs[k].x - (glyphs[k - 1].x + glyphs[k - 1].advance)) < 1.0f;
            if (!joined) out += ' ';
            if (glyphs[k].c < 0x80) out += static_cast<char>(glyphs[k].c);
            else out += '?';
        }
        out += '\n';
    }
    return out;
}

/// One frame of the whole UI (draw_panels, as viewer.cpp draws it); returns its text.
std::string frame_text(Controller& app) {
    ImGui::NewFrame();
    app.ui.frame_windows.clear();
    const Layout layout = compute_layout(kW, kH, app.ui);
    draw_panels(app.model, app.ui, app, layout);
    ImGui::Render();
    return drawn_text();
}

/// Words kept in every language: method and index symbols, units, file formats, the program,
/// the keys as printed on a keyboard, and the colour ramps' own names (ColorBrewer, viridis).
const std::set<std::string>& allowed() {
    static const std::set<std::string> words = [] {
        std::set<std::string> w = {
            "LISA", "Moran", "Wz",     "xPx",   "xPy",       "km",     "ms",   "ha",   "CNY",  "DPI",
            "PNG",  "PDF",   "SVG",    "ID",    "HH",        "LL",     "HL",   "LH",   "GEOS", "GeoTIFF",
            "MBTiles", "gpkg", "huqian", "JSON", "CSV",      "YYYY",   "MM",   "DD",   "FDR",  "PySAL",
            "Ctrl", "Shift", "Esc",    "Enter", "Backspace", "Delete", "Home", "Tab",
        };
        for (const std::string& r : hq::carto::ramp_names()) {
            w.insert(r);
            w.insert(r + "_r");
        }
        return w;
    }();
    return words;
}

/// The English words in `text`: runs of ASCII letters (2 or more) that are not allowed, not
/// part of an id (CY-03, Z-1, S-1, V-001) and not part of a path or file name.
std::set<std::string> english_words(const std::string& text) {
    std::vector<std::string> words;  // in order
    static const std::regex token(R"([A-Za-z0-9_./\\-]+)");
    static const std::regex id(R"([A-Z]{1,4}-[0-9]+)");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), token); it != std::sregex_iterator(); ++it) {
        const std::string t = it->str();
        if (std::regex_match(t, id)) continue;
        static const std::regex file(R"(\.[A-Za-z]{2,4}$)");
        if (t.find('/') != std::string::npos || std::regex_search(t, file)) continue;  // paths, file names
        static const std::regex word("[A-Za-z]{2,}");
        for (auto w = std::sregex_iterator(t.begin(), t.end(), word); w != std::sregex_iterator(); ++w)
            if (!allowed().count(w->str())) words.push_back(w->str());
    }
    // A word that wrapping broke in two ("Dele" / "te" in Chinese text, which wraps at any
    // character) is allowed when its halves make an allowed word.
    std::set<std::string> out;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i + 1 < words.size() && allowed().count(words[i] + words[i + 1])) {
            ++i;
            continue;
        }
        out.insert(words[i]);
    }
    return out;
}

}  // namespace

TEST_CASE("words: the Chinese UI shows no English literal in any panel", "[view][words]") {
    ViewerOptions o;
    Controller app(o, {});
    app.ui.lang = UiLang::Zh;
    app.open_project(hq::test::shuhan());
    REQUIRE(settle(app));
    REQUIRE(app.model.data);
    hq::test::headless_imgui(kW, kH);

    std::map<std::string, std::set<std::string>> found;  // word -> the states that showed it
    // What the data holds in the zone window's text fields (a zone's English name, owner and
    // notes are edited there in every language) is data, not UI text.
    // The metric CRS's name (PROJ's, e.g. "WGS 84 / UTM zone 48N") is an identifier too.
    std::set<std::string> data_words = english_words(app.model.data->project->metric_crs.label());
    for (const auto& z : app.model.plan.doc().zones)
        for (const auto& w : english_words(z.name_en + " " + z.owner + " " + z.notes)) data_words.insert(w);
    // A text field shows its start or its end: a cut data word is still data.
    auto is_data = [&data_words](const std::string& w) {
        return std::any_of(data_words.begin(), data_words.end(), [&](const std::string& d) {
            return d.size() >= w.size() && (d.compare(0, w.size(), w) == 0 || d.compare(d.size() - w.size(), w.size(), w) == 0);
        });
    };
    auto run = [&](const std::string& state, int frames = 3) {
        for (int f = 0; f < frames; ++f) {
            app.plan_tick(0.0);
            REQUIRE(settle(app));
            const std::string text = frame_text(app);
            if (f + 1 == frames) {
                REQUIRE_FALSE(text.empty());
                if (const char* dump = std::getenv("HUQIAN_WORDS_DUMP"))  // to read what a state showed
                    std::ofstream(std::string(dump) + "/" + state + ".txt") << text;
                for (const std::string& w : english_words(text))
                    if (!is_data(w)) found[w].insert(state);
            }
        }
    };

    // The shim sees the words: an English literal in a frame is found (the test can fail).
    CHECK(english_words("组 Tibetan 1.5 km CY-03 Z-2 data/shuhan.gpkg LISA") == std::set<std::string>{"Tibetan"});
    for (int f = 0; f < 2; ++f) {  // a new window shows from its second frame
        ImGui::NewFrame();
        ImGui::Begin("probe", nullptr, ImGuiWindowFlags_NoTitleBar);
        ImGui::TextUnformatted("Autosaving 1.5 km");
        ImGui::GetWindowDrawList()->AddText(ImGui::GetCursorScreenPos(), IM_COL32_WHITE, "Tibetan");
        ImGui::End();
        ImGui::Render();
        if (f == 1) CHECK(english_words(drawn_text()) == std::set<std::string>{"Autosaving", "Tibetan"});
    }

    // Every map mode; a unit selected (the inspector); LISA with its scatterplot.
    app.select(0);
    const std::pair<Mode, const char*> modes[] = {{Mode::Composition, "composition"}, {Mode::Dominant, "dominant"},
                                                  {Mode::Heatmap, "heatmap"},         {Mode::Mixing, "mixing"},
                                                  {Mode::Lisa, "lisa"},               {Mode::Projects, "projects"},
                                                  {Mode::Graduated, "graduated"},     {Mode::Single, "single"}};
    for (const auto& [mode, name] : modes) {
        app.ui.mode = mode;
        app.request_scene();
        REQUIRE(settle(app));
        app.ui.focus_tab = "inspector";
        run(std::string("mode ") + name);
    }
    // Indices with p-values.
    app.ui.show_indices = true;
    app.request_indices();
    REQUIRE(settle(app));
    app.request_inference("evenness", 19);
    REQUIRE(settle(app));
    app.ui.focus_tab = "indices";
    run("indices");
    // Plan mode: a zone selected, its evaluation; catchments on.
    set_plan_mode(app, true);
    app.plan_request_planner();
    REQUIRE(settle(app));
    app.model.plan.select("Z-1");
    app.ui.plan.show_catchments = true;
    app.ui.focus_tab = "plan_zone";
    run("zone");
    // Suggested sites and a comparison; the history after an edit.
    app.ui.plan.show_scenarios = true;
    app.plan_request_suggest();
    REQUIRE(settle(app));
    app.plan_request_compare();
    REQUIRE(settle(app));
    app.ui.focus_tab = "plan_scenarios";
    run("scenarios");
    REQUIRE_FALSE(app.plan_zone_from_site(0).empty());
    app.ui.plan.show_history = true;
    app.ui.focus_tab = "history";
    run("history");
    // The export window.
    app.ui.export_ui.open = true;
    run("export");
    ImGui::DestroyContext();

    std::string report;
    for (const auto& [w, states] : found) {
        report += w + " (";
        for (const auto& s : states) report += s + (s == *states.rbegin() ? "" : ", ");
        report += ")\n";
    }
    INFO("English words in the Chinese UI:\n" << report);
    CHECK(found.empty());
}

#else
TEST_CASE("words tests (need the viewer library)", "[view][words]") {
    FAIL("tests/view is not linked with huqian_view (HUQIAN_BUILD_VIEWER=OFF?): words tests cannot run");
}
#endif
