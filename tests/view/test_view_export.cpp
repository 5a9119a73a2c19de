// The viewer's Export dialog without GL (issue 7 §1): the dialog's settings make the
// exporter's page options and the viewer's request with the chosen language and title;
// the preview job renders the whole page at the preview DPI; the save job writes a PDF whose
// text (pdftotext) holds the title, and a bad path shows its error in the dialog.
#include <catch2/catch.hpp>

#ifdef HUQIAN_HAVE_VIEWER
#include <filesystem>

#include "app/view/app.hpp"
#include "app/view/export_dialog.hpp"
#include "tests/export/test_shell.hpp"
#include "tests/test_support.hpp"
#include "tests/view/view_test_support.hpp"

using namespace hq;
using namespace hq::view;
using hq::test::settle;

TEST_CASE("export dialog: settings -> page options and request", "[view][export]") {
    ExportSettings s;
    s.tmpl = exporter::Template::A3Portrait;
    s.dpi = 1200;  // above the exporter's range: clamped
    s.lang = carto::Lang::Both;
    s.title = "院落构成 Courtyards";
    const exporter::PageOptions o = export_page_options(s);
    CHECK(o.tmpl == exporter::Template::A3Portrait);
    CHECK(o.dpi == 600);
    s.dpi = 10;
    CHECK(export_page_options(s).dpi == 72);

    carto::MapRequest base;
    base.kind = carto::MapKind::Heatmap;
    base.group = "pop_tibetan";
    base.heatmap_radius_m = 120;
    base.lang = carto::Lang::Zh;
    const carto::MapRequest r = export_request(base, s);
    CHECK(r.kind == carto::MapKind::Heatmap);  // the viewer's map is kept
    CHECK(r.group == "pop_tibetan");
    CHECK(r.heatmap_radius_m == 120);
    CHECK(r.lang == carto::Lang::Both);        // the dialog's language and title
    CHECK(r.title == "院落构成 Courtyards");
}

TEST_CASE("export dialog: preview and save from the viewer's project", "[view][export]") {
    ViewerOptions vo;
    vo.mode = "dominant";
    Controller app(vo, {});
    app.open_project(hq::test::shuhan());
    REQUIRE(settle(app));
    REQUIRE(app.model.data);
    REQUIRE(app.jobs.take_errors().empty());

    app.ui.lang = UiLang::En;  // the dialog's messages in English
    ExportUi& ex = app.ui.export_ui;
    ex.settings.tmpl = exporter::Template::A4Landscape;
    ex.settings.lang = carto::Lang::En;
    ex.settings.title = "Export dialog test map";

    SECTION("current view: the page's map frame fits the canvas's visible area, else the boundary") {
        Camera& cam = app.ui.camera;
        cam.canvas_min = {10, 20};
        cam.canvas_size = {400, 300};
        cam.center = {404000.0, 3390000.0};
        cam.scale = 2.0;  // px per metre: 400 × 300 px show 200 × 150 m
        ex.settings.current_view = false;
        const carto::Scene fit = build_export_scene(export_inputs(app, ex.settings));
        ex.settings.current_view = true;
        const carto::Scene view = build_export_scene(export_inputs(app, ex.settings));
        CHECK_THAT(view.extent.minx, Catch::Matchers::WithinRel(404000.0 - 100.0, 1e-12));
        CHECK_THAT(view.extent.maxx, Catch::Matchers::WithinRel(404000.0 + 100.0, 1e-12));
        CHECK_THAT(view.extent.miny, Catch::Matchers::WithinRel(3390000.0 - 75.0, 1e-12));
        CHECK_THAT(view.extent.maxy, Catch::Matchers::WithinRel(3390000.0 + 75.0, 1e-12));
        CHECK(fit.extent.width() > 300.0);  // the boundary: Shuhan is ≈ 500 m across
        ex.settings.current_view = false;
    }

    SECTION("the scene carries the viewer's map with the dialog's language and title") {
        const ExportInputs in = export_inputs(app, ex.settings);
        REQUIRE(in.project);
        const carto::Scene scene = build_export_scene(in);
        CHECK(scene.title == "Export dialog test map");
        CHECK(scene.request.lang == carto::Lang::En);
        CHECK(scene.request.kind == carto::MapKind::Dominant);  // the viewer's mode
        // An empty title takes the kind's default, which differs between the languages.
        ex.settings.title.clear();
        ex.settings.lang = carto::Lang::Zh;
        const carto::Scene zh = build_export_scene(export_inputs(app, ex.settings));
        ex.settings.lang = carto::Lang::En;
        const carto::Scene en = build_export_scene(export_inputs(app, ex.settings));
        CHECK_FALSE(zh.title.empty());
        CHECK_FALSE(en.title.empty());
        CHECK(zh.title != en.title);
    }
    SECTION("the preview job renders the whole page at the preview DPI") {
        app.request_export_preview();
        REQUIRE(settle(app));
        CHECK(app.jobs.take_errors().empty());
        INFO(ex.message);
        REQUIRE(ex.preview);
        CHECK(ex.preview_generation == 1);
        // A4 landscape 297 × 210 mm at 72 dpi: 297 / 25.4 × 72 = 841.89 -> 842,
        // 210 / 25.4 × 72 = 595.28 -> 595.
        CHECK(kExportPreviewDpi == 72);
        CHECK(ex.preview->width == 842);
        CHECK(ex.preview->height == 595);
        CHECK(ex.preview->rgba.size() == std::size_t{842} * 595 * 4);
        // Something is drawn: not every pixel is the white page.
        std::size_t dark = 0;
        for (std::size_t i = 0; i + 3 < ex.preview->rgba.size(); i += 4)
            if (ex.preview->rgba[i] < 128 && ex.preview->rgba[i + 1] < 128 && ex.preview->rgba[i + 2] < 128) ++dark;
        CHECK(dark > 100);
    }
    SECTION("save writes a PDF whose text holds the title; a bad path shows its error") {
        hq::test::TempDir tmp;
        ex.settings.path = tmp.file("dialog.pdf");
        app.request_export_save();
        REQUIRE(settle(app));
        CHECK(app.jobs.take_errors().empty());
        CHECK_FALSE(ex.message_error);
        CHECK(ex.message == "saved: " + ex.settings.path);
        REQUIRE(std::filesystem::exists(ex.settings.path));
        const std::string text = hq::test::shell::pdftotext(ex.settings.path);
        CHECK(text.find("Export dialog test map") != std::string::npos);

        ex.settings.path = tmp.file("dialog.docx");
        app.request_export_save();
        REQUIRE(settle(app));
        CHECK(ex.message_error);
        CHECK(ex.message.find("dialog.docx") != std::string::npos);
    }
}
#endif
