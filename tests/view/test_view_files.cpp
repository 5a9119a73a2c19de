// Files like a desktop program (issue 13 item 5): the file browser's model (listing, filter,
// navigation, Chinese names, the path a choice gives, recent projects), view settings that
// are no plan edits (no "*", no recovery file, no question at quit), the recovery file beside
// the project file, the quit question naming what is unsaved, the save-conflict choices, and
// the real process killed with SIGKILL during an edit, restarted, recovering the edit.
//
// [SECTION] index
//   File browser (no GL, no ImGui)
//   Plan edits and view settings, recovery beside the project, the quit question
//   Save conflict
//   The real process: SIGKILL during an edit, restart, recover
#include <catch2/catch.hpp>

#ifdef HUQIAN_HAVE_VIEWER

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include <imgui.h>

#include "app/view/app.hpp"
#include "app/view/file_browser.hpp"
#include "app/view/plan_panels.hpp"
#include "app/view/plan_tools.hpp"
#include "app/view/script.hpp"
#include "app/view/user_settings.hpp"
#include "app/view/view_state.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/project/gpkg_project.hpp"
#include "tests/test_support.hpp"
#include "tests/view/view_test_support.hpp"

using namespace hq::view;
using hq::test::settle;
namespace fs = std::filesystem;

namespace {

void touch(const fs::path& p, const std::string& text = "x") {
    std::ofstream(p) << text;
}

std::vector<std::string> names(const FileBrowserState& st) {
    std::vector<std::string> out;
    for (const FileEntry& e : st.entries) out.push_back(e.name + (e.folder ? "/" : ""));
    return out;
}

int index_of(const FileBrowserState& st, const std::string& name) {
    for (std::size_t i = 0; i < st.entries.size(); ++i)
        if (st.entries[i].name == name) return static_cast<int>(i);
    return -1;
}

/// A viewer Controller (no window) on a fresh copy of data/shuhan, opened and settled.
struct ShuhanCopy {
    hq::test::TempDir tmp;
    std::string dir = tmp.file("shuhan");
    ViewerOptions o;
    std::optional<Controller> app;
    ShuhanCopy() {
        fs::copy(hq::test::shuhan(), dir, fs::copy_options::recursive);
        app.emplace(o, std::function<void()>{});
        app->open_project(dir);
        REQUIRE(settle(*app));
        REQUIRE(app->model.data);
    }
};

/// Edits the English name of zone `id` (one undo step, as the zone panel does).
void rename_zone(PlanEditor& ed, const std::string& id, const std::string& name) {
    ed.select(id);
    hq::plan::Zone v = *ed.doc().find_zone(id);
    v.name_en = name;
    REQUIRE(ed.set_attributes(v, attribute_description(S::ZoneNameEn)));
}

}  // namespace

// [SECTION] File browser (no GL, no ImGui) -------------------------------------------------------

TEST_CASE("files: the browser lists folders first, filters by extension, shows Chinese names and walks folders",
          "[view][files]") {
    hq::test::TempDir tmp;
    const fs::path root = fs::path(tmp.file("b"));
    fs::create_directories(root / "项目A");
    touch(root / "项目A" / "project.json", "{}");
    fs::create_directories(root / "plain");
    touch(root / "plain" / "inner.geojson");
    touch(root / "蜀汉街.gpkg");
    touch(root / "roads.GeoJSON");
    touch(root / "notes.txt");
    touch(root / ".hidden.gpkg");

    FileBrowserState st;
    browser_start(st, BrowsePurpose::OpenProject, root.string());
    CHECK(st.request_open);
    CHECK(st.dir == root.string());
    REQUIRE(st.error.empty());
    // Folders first (bytewise: ASCII before UTF-8), then the files of the "Projects" filter.
    CHECK(names(st) == std::vector<std::string>{"plain/", "项目A/", "蜀汉街.gpkg"});
    CHECK(st.entries[1].project);
    CHECK_FALSE(st.entries[0].project);
    CHECK(st.glyphs.find("蜀汉街") != std::string::npos);  // the font atlas gets the name
    CHECK(st.glyphs_changed);

    // Vector files (case-insensitive extensions), then every file; hidden ones never.
    browser_set_filter(st, 1);
    CHECK(names(st) == std::vector<std::string>{"plain/", "项目A/", "roads.GeoJSON", "蜀汉街.gpkg"});
    browser_set_filter(st, 2);
    CHECK(names(st) == std::vector<std::string>{"plain/", "项目A/", "notes.txt", "roads.GeoJSON", "蜀汉街.gpkg"});

    // A Chinese file name is chosen and opens as the same file.
    st.selected = index_of(st, "蜀汉街.gpkg");
    const std::string chosen = browser_accept(st);
    CHECK(chosen == (root / "蜀汉街.gpkg").string());
    CHECK(fs::exists(chosen));
    // A project folder is a choice; a plain folder is entered; the parent comes back.
    st.selected = index_of(st, "项目A");
    CHECK(browser_accept(st) == (root / "项目A").string());
    st.selected = index_of(st, "plain");
    CHECK(browser_accept(st).empty());
    CHECK(st.dir == (root / "plain").string());
    CHECK(names(st) == std::vector<std::string>{"inner.geojson"});
    REQUIRE(browser_parent(st));
    CHECK(st.dir == root.string());
    CHECK(browser_enter(st, "项目A"));
    CHECK(st.dir == (root / "项目A").string());
    CHECK_FALSE(browser_enter(st, "../b"));  // names only, no paths
    CHECK_FALSE(browser_enter(st, "missing"));

    // A folder that cannot be read says so (the dialog names it) and lists nothing.
    st.dir = (root / "gone").string();
    CHECK_FALSE(browser_list(st));
    CHECK_FALSE(st.error.empty());
    CHECK(st.entries.empty());
}

TEST_CASE("files: save and export in the browser: beside the project, extension added, no typed paths",
          "[view][files]") {
    hq::test::TempDir tmp;
    const fs::path root = fs::path(tmp.file("s"));
    fs::create_directories(root / "shuhan");
    touch(root / "shuhan" / "project.json", "{}");
    touch(root / "other.gpkg");

    // Save: starts at the default target (not yet written) with its name filled in.
    FileBrowserState st;
    browser_start(st, BrowsePurpose::SaveProject, (root / "shuhan" / "shuhan.gpkg").string());
    CHECK(st.dir == (root / "shuhan").string());
    CHECK(std::string(st.name.data()) == "shuhan.gpkg");
    CHECK(browser_accept(st) == (root / "shuhan" / "shuhan.gpkg").string());
    std::strcpy(st.name.data(), "新方案");
    CHECK(browser_accept(st) == (root / "shuhan" / "新方案.gpkg").string());  // the filter's extension
    std::strcpy(st.name.data(), "../elsewhere.gpkg");
    CHECK(browser_accept(st).empty());  // a typed relative path is refused
    // A relative start is made absolute: the dialog shows where the file goes.
    const fs::path cwd = fs::current_path();
    fs::current_path(root);
    browser_start(st, BrowsePurpose::SaveProject, "shuhan/shuhan.gpkg");
    fs::current_path(cwd);
    CHECK(fs::path(st.dir).is_absolute());
    CHECK(st.dir == (root / "shuhan").string());

    // Export: the start's extension picks the format; another format renames the file.
    browser_start(st, BrowsePurpose::ExportMap, (root / "map.png").string());
    REQUIRE(st.filters.size() == 3);
    CHECK(st.filters[st.filter].label == S::FilterPng);
    browser_set_filter(st, 0);  // PDF
    CHECK(std::string(st.name.data()) == "map.pdf");
    CHECK(browser_accept(st) == (root / "map.pdf").string());

    // Basemaps: rasters only.
    touch(root / "ortho.TIF");
    browser_start(st, BrowsePurpose::AddBasemap, root.string());
    CHECK(names(st) == std::vector<std::string>{"shuhan/", "ortho.TIF"});
}

TEST_CASE("files: recent projects: newest first, at most 10, missing ones marked, kept in the user settings",
          "[view][files]") {
    hq::test::TempDir tmp;
    const fs::path root = fs::path(tmp.file("r"));
    fs::create_directories(root / "蜀汉");
    touch(root / "蜀汉" / "project.json", "{}");
    touch(root / "蜀汉街.gpkg");
    std::vector<std::string> recent;
    for (int i = 0; i < 12; ++i) remember_recent(recent, (root / ("p" + std::to_string(i) + ".gpkg")).string());
    remember_recent(recent, (root / "蜀汉").string());
    remember_recent(recent, (root / "蜀汉街.gpkg").string());
    remember_recent(recent, (root / "蜀汉").string());  // again: moves to the front, once
    REQUIRE(recent.size() == 10);
    CHECK(recent[0] == (root / "蜀汉").string());
    CHECK(recent[1] == (root / "蜀汉街.gpkg").string());
    CHECK(std::count(recent.begin(), recent.end(), (root / "蜀汉").string()) == 1);
    const std::vector<RecentEntry> shown = recent_entries(recent);
    REQUIRE(shown.size() == 10);
    CHECK(shown[0].label == "蜀汉");
    CHECK(shown[0].exists);
    CHECK(shown[1].label == "蜀汉街.gpkg");
    CHECK(shown[1].exists);
    CHECK(shown[2].label == "p11.gpkg");
    CHECK_FALSE(shown[2].exists);  // greyed in the dialog
    CHECK(recent_entries({(root / "蜀汉" / "project.json").string()})[0].label == "蜀汉");

    const std::string path = (root / "cfg" / "huqian" / "viewer.json").string();
    UserSettings us;
    us.recent = recent;
    save_user_settings(path, us);
    CHECK(load_user_settings(path).recent == recent);

    // The Controller remembers what it opens (absolute), in an interactive run only.
    ViewerOptions o;
    o.settings_path = path;
    {
        Controller app(o, {});
        CHECK(app.ui.recent == recent);
        const fs::path cwd = fs::current_path();
        fs::current_path(hq::test::source_dir());
        app.open_project("data/shuhan");
        fs::current_path(cwd);
        REQUIRE(settle(app));
        REQUIRE(app.model.data);
        const std::string abs = (fs::path(hq::test::source_dir()) / "data/shuhan").lexically_normal().string();
        REQUIRE_FALSE(app.ui.recent.empty());
        CHECK(app.ui.recent.front() == abs);
        CHECK(load_user_settings(path).recent.front() == abs);
    }
    o.screenshot = tmp.file("x.png");  // a screenshot run leaves the user's list alone
    const std::string other = tmp.file("other");
    fs::copy(hq::test::shuhan(), other, fs::copy_options::recursive);
    Controller shot(o, {});
    shot.open_project(other);
    REQUIRE(settle(shot));
    REQUIRE(shot.model.data);
    const std::vector<std::string> after = load_user_settings(path).recent;
    CHECK(after.size() == 10);
    CHECK(std::find(after.begin(), after.end(), other) == after.end());
}

TEST_CASE("files: the dialogs draw without GL: the browser, save as beside the project, the conflict question",
          "[view][files]") {
    ShuhanCopy f;
    Controller& app = *f.app;
    ImGuiContext* ctx = hq::test::headless_imgui(1280, 800);
    // Frame 0: File > Open (the menu's flag) starts the browser at the project's parent folder;
    // frame 2: Save as, beside project.json; frame 4: a save conflict.
    for (int frame = 0; frame < 6; ++frame) {
        if (frame == 0) app.ui.open_popup = true;
        if (frame == 2) plan_save_as_prompt(app);
        if (frame == 4) app.ui.conflict = SaveConflictUi{true, f.tmp.file("a.gpkg"), f.tmp.file("a.conflict.gpkg"), 0, "", {}};
        ImGui::NewFrame();
        draw_dialogs(app.model, app.ui, app);
        draw_plan_file_dialogs(app.model, app.ui, app);
        const bool any_popup = ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId);
        ImGui::Render();
        INFO("frame " << frame);
        CHECK(any_popup);
        if (frame == 0) {
            CHECK(app.ui.browser.purpose == BrowsePurpose::OpenProject);
            CHECK(app.ui.browser.dir == fs::path(f.dir).parent_path().string());
            CHECK(index_of(app.ui.browser, "shuhan") >= 0);
            CHECK(app.ui.browser.entries[index_of(app.ui.browser, "shuhan")].project);
        }
        if (frame == 2) {
            CHECK(app.ui.browser.purpose == BrowsePurpose::SaveProject);
            CHECK(app.ui.browser.dir == f.dir);
            CHECK(std::string(app.ui.browser.name.data()) == "shuhan.gpkg");
        }
    }
    ImGui::DestroyContext(ctx);
}

// [SECTION] Plan edits and view settings, recovery beside the project, the quit question ---------

TEST_CASE("files: a map mode change is saved with the project but is no plan edit: no '*', no recovery file, no question",
          "[view][files]") {
    ShuhanCopy f;
    Controller& app = *f.app;
    PlanEditor& ed = app.model.plan;
    PlanUi& pu = app.ui.plan;
    const std::string in_folder = f.dir + "/shuhan.recovery.gpkg";
    const std::string in_parent = f.dir + ".recovery.gpkg";  // where it used to land

    app.ui.mode = Mode::Heatmap;
    REQUIRE(commit_map_settings(app));  // an undo step, kept in the document's settings
    CHECK(ed.doc().settings.at("map.mode") == "heatmap");
    CHECK(ed.view_modified());
    CHECK_FALSE(ed.modified());
    CHECK(plan_window_title(app).rfind('*', 0) == std::string::npos);
    pu.autosave.interval_s = 0;
    app.plan_tick(1.0);
    app.plan_tick(2.0);
    REQUIRE(settle(app));
    CHECK_FALSE(fs::exists(in_folder));
    CHECK_FALSE(fs::exists(in_parent));
    CHECK(plan_may_quit(app));
    CHECK_FALSE(pu.unsaved_popup);

    // A plan edit: "*", the recovery file beside project.json (not in the parent folder).
    ed.select("Z-1");
    REQUIRE(ed.delete_selected());
    CHECK(ed.modified());
    CHECK(plan_window_title(app).rfind('*', 0) == 0);
    app.plan_tick(3.0);
    app.plan_tick(4.0);
    REQUIRE(settle(app));
    CHECK(fs::exists(in_folder));
    CHECK_FALSE(fs::exists(in_parent));
    CHECK(hq::recovery_path(plan_save_target(app)) == in_folder);
    // Undone: nothing unsaved again (the state as opened), though the stack moved.
    REQUIRE(ed.undo());
    CHECK_FALSE(ed.modified());

    // Saved: the view settings go into the GeoPackage with the plan, with the map extent on
    // screen (no undo step); the saved project's first view shows that extent.
    app.ui.camera.canvas_size = {800, 600};
    app.ui.camera.center = {app.model.data->extent.center().x + 10, app.model.data->extent.center().y - 5};
    app.ui.camera.scale = 2.0;  // 2 px per metre: 400 m x 300 m
    const hq::Box shown = app.ui.camera.visible_world();
    const std::size_t steps = ed.undo_stack().size();
    const std::string gpkg = f.tmp.file("saved.gpkg");
    app.plan_save(gpkg);
    REQUIRE(settle(app));
    CHECK(ed.undo_stack().size() == steps);
    CHECK_FALSE(ed.view_modified());
    const hq::GpkgProject back = hq::open_gpkg_project(gpkg);
    CHECK(back.document.settings.at("map.mode") == "heatmap");
    ViewerOptions o2;
    Controller app2(o2, {});
    app2.open_project(gpkg);
    REQUIRE(settle(app2));
    const std::optional<hq::Box> ext = saved_view_extent(app2.model);
    REQUIRE(ext);
    CHECK_THAT(ext->minx, Catch::Matchers::WithinAbs(shown.minx, 1e-3));
    CHECK_THAT(ext->maxy, Catch::Matchers::WithinAbs(shown.maxy, 1e-3));
    CHECK_THAT(ext->maxx - ext->minx, Catch::Matchers::WithinAbs(400.0, 1e-3));
    CHECK_THAT(ext->maxy - ext->miny, Catch::Matchers::WithinAbs(300.0, 1e-3));
    CHECK(app2.ui.mode == Mode::Heatmap);
    CHECK_FALSE(app2.model.plan.modified());
    CHECK(hq::recovery_path(gpkg) == f.tmp.file("saved.recovery.gpkg"));  // beside the .gpkg
}

TEST_CASE("files: the quit question says exactly what is unsaved, in both languages", "[view][files]") {
    ShuhanCopy f;
    Controller& app = *f.app;
    PlanEditor& ed = app.model.plan;
    REQUIRE(ed.doc().zones.size() >= 3);
    rename_zone(ed, "Z-1", "North court");
    rename_zone(ed, "Z-2", "South court");
    rename_zone(ed, "Z-1", "North courtyard");  // the same zone twice: still 2 zones edited
    hq::plan::Scenario sc{"S-1", "", {"Z-1"}, {}};
    REQUIRE(ed.set_scenario("S-1", sc));
    app.ui.mode = Mode::Dominant;  // a view change is not listed
    REQUIRE(commit_map_settings(app));

    const UnsavedChanges c = ed.unsaved();
    CHECK(c.zones_edited == 2);
    CHECK(c.scenarios_added == 1);
    CHECK(c.zones_added == 0);
    CHECK(describe_unsaved(c, UiLang::En) == "2 zones edited, 1 scenario added");
    CHECK(describe_unsaved(c, UiLang::Zh) == "编辑了 2 个分区，新增 1 个情景");
    CHECK_FALSE(plan_may_quit(app));
    CHECK(app.ui.plan.unsaved_popup);

    UnsavedChanges more;
    more.zones_added = 1;
    more.zones_deleted = 3;
    more.scenarios_deleted = 2;
    more.recovered = true;
    CHECK(describe_unsaved(more, UiLang::En) ==
          "1 zone added, 3 zones deleted, 2 scenarios deleted, edits recovered from the autosave, not saved yet");
    CHECK(describe_unsaved(more, UiLang::Zh) == "新增 1 个分区，删除了 3 个分区，删除了 2 个情景，从恢复文件找回的修改尚未保存");
    CHECK(describe_unsaved(UnsavedChanges{}, UiLang::En).empty());

    // A deleted and a drawn zone, counted against the state as opened.
    hq::plan::PlanDocument saved = ed.doc(), now = ed.doc();
    now.zones.erase(now.zones.begin());
    hq::plan::Zone z = saved.zones.back();
    z.id = "Z-99";
    now.zones.push_back(z);
    const UnsavedChanges d = unsaved_changes(saved, now);
    CHECK(d.zones_added == 1);
    CHECK(d.zones_deleted == 1);
    CHECK(d.zones_edited == 0);
}

// [SECTION] Save conflict ------------------------------------------------------------------------

TEST_CASE("files: a save that meets another writer's save asks: keep mine as a copy, reload theirs, overwrite",
          "[view][files][conflict]") {
    ShuhanCopy f;
    const std::string gpkg = f.tmp.file("shared.gpkg");
    f.app->plan_save(gpkg);
    REQUIRE(settle(*f.app));
    ViewerOptions o;
    Controller a(o, {}), b(o, {});
    a.open_project(gpkg);
    b.open_project(gpkg);
    REQUIRE(settle(a));
    REQUIRE(settle(b));

    // A saves first; B's save finds A's revision: the dialog names both files, B's edits are
    // in the copy beside, nothing is marked saved yet.
    rename_zone(a.model.plan, "Z-1", "A's name");
    a.plan_save(gpkg);
    REQUIRE(settle(a));
    rename_zone(b.model.plan, "Z-2", "B's name");
    bool then_ran = false;
    b.plan_save(gpkg, [&]() { then_ran = true; });
    REQUIRE(settle(b));
    SaveConflictUi& c = b.ui.conflict;
    REQUIRE(c.popup);
    CHECK(c.path == gpkg);
    CHECK(c.saved_as != gpkg);
    CHECK(fs::path(c.saved_as).parent_path() == fs::path(gpkg).parent_path());
    REQUIRE(fs::exists(c.saved_as));
    CHECK(b.ui.errors.empty());  // a dialog, not a one-line error
    CHECK(b.model.plan.modified());
    CHECK_FALSE(then_ran);
    CHECK(hq::open_gpkg_project(c.saved_as).document.find_zone("Z-2")->name_en == "B's name");
    CHECK(hq::open_gpkg_project(gpkg).document.find_zone("Z-1")->name_en == "A's name");

    SECTION("keep mine as a copy: the document goes on in the copy, saved; what was to follow runs") {
        const std::string copy = c.saved_as;
        b.plan_resolve_conflict(ConflictChoice::KeepMineAsCopy);
        CHECK_FALSE(b.ui.conflict.popup);
        CHECK(b.model.plan.path() == copy);
        CHECK_FALSE(b.model.plan.modified());
        CHECK(then_ran);
        // The next save goes to the copy, at its revision: no new conflict.
        rename_zone(b.model.plan, "Z-3", "B again");
        b.plan_save(b.model.plan.path());
        REQUIRE(settle(b));
        CHECK_FALSE(b.ui.conflict.popup);
        CHECK(hq::open_gpkg_project(copy).document.find_zone("Z-3")->name_en == "B again");
        CHECK(hq::open_gpkg_project(gpkg).document.find_zone("Z-3")->name_en != "B again");
    }
    SECTION("reload theirs: A's version is open, mine stays in the copy") {
        const std::string copy = c.saved_as;
        b.plan_resolve_conflict(ConflictChoice::ReloadTheirs);
        REQUIRE(settle(b));
        CHECK_FALSE(b.ui.plan.unsaved_popup);  // no question: mine is in the copy
        CHECK(b.model.plan.path() == gpkg);
        CHECK(b.model.plan.doc().find_zone("Z-1")->name_en == "A's name");
        CHECK_FALSE(b.model.plan.modified());
        CHECK(fs::exists(copy));
        CHECK_FALSE(then_ran);
    }
    SECTION("overwrite: mine replaces theirs, the copy goes, what was to follow runs") {
        const std::string copy = c.saved_as;
        b.plan_resolve_conflict(ConflictChoice::Overwrite);
        REQUIRE(settle(b));
        CHECK_FALSE(b.ui.conflict.popup);
        CHECK(b.ui.errors.empty());
        const hq::GpkgProject back = hq::open_gpkg_project(gpkg);
        CHECK(back.document.find_zone("Z-2")->name_en == "B's name");
        CHECK(back.document.find_zone("Z-1")->name_en != "A's name");
        CHECK_FALSE(fs::exists(copy));
        CHECK_FALSE(b.model.plan.modified());
        CHECK(then_ran);
        // And B's next save needs no overwrite: it has the file's new revision.
        rename_zone(b.model.plan, "Z-3", "B later");
        b.plan_save(gpkg);
        REQUIRE(settle(b));
        CHECK_FALSE(b.ui.conflict.popup);
    }
}

// [SECTION] The real process: SIGKILL during an edit, restart, recover ---------------------------

TEST_CASE("files: a --script with an unknown action or a missing argument is refused naming the file and line",
          "[view][files][script]") {
    hq::test::TempDir tmp;
    const std::string good = tmp.file("good.txt"), bad = tmp.file("bad.txt"), noarg = tmp.file("noarg.txt");
    std::ofstream(good) << "# a comment\nautosave-interval 1\n\nadd-zone North court 北院  # named\nsave /tmp/x.gpkg\nquit\n";
    std::ofstream(bad) << "autosave-interval 1\njump 3\n";
    std::ofstream(noarg) << "wait\n";
    const ViewerScript s = parse_script(good);
    REQUIRE(s.steps.size() == 4);
    CHECK(s.steps[1].verb == "add-zone");
    CHECK(s.steps[1].args == std::vector<std::string>{"North court 北院"});
    CHECK(s.steps[1].line == 4);
    CHECK(s.steps[2].args == std::vector<std::string>{"/tmp/x.gpkg"});
    const auto message = [](const std::string& path) {
        try {
            parse_script(path);
        } catch (const std::exception& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const std::string m1 = message(bad);
    CHECK_THAT(m1, Catch::Matchers::Contains(bad));
    CHECK_THAT(m1, Catch::Matchers::Contains("line 2: unknown action 'jump'"));
    const std::string m2 = message(noarg);
    CHECK_THAT(m2, Catch::Matchers::Contains("line 1: wait needs SECONDS"));
    CHECK_THAT(message(tmp.file("missing.txt")), Catch::Matchers::Contains("cannot read the script"));
}

TEST_CASE("files: huqian view killed with SIGKILL after an edit offers the recovery on restart and restores the edit",
          "[view][files][gui][crash]") {
    hq::test::require_xvfb();
    hq::test::TempDir tmp;
    const std::string dir = tmp.file("shuhan");
    fs::copy(hq::test::shuhan(), dir, fs::copy_options::recursive);
    const std::string cfg = tmp.file("config");  // the user's settings of these runs
    const std::string rec = dir + "/shuhan.recovery.gpkg";
    const std::string out = tmp.file("restored.gpkg");
    const std::string zone_name = "Crash test 蜀汉";
    std::ofstream(tmp.file("edit.txt")) << "# first run: an edit, autosaved after 1 s, then nothing\n"
                                           "autosave-interval 1\nadd-zone " << zone_name << "\nwait 600\n";
    std::ofstream(tmp.file("recover.txt")) << "accept-recovery\nsave " << out << "\nquit\n";
    const std::string env = "env XDG_CONFIG_HOME='" + cfg +
                            "' MESA_GL_VERSION_OVERRIDE=3.3 MESA_GLSL_VERSION_OVERRIDE=330 "
                            "ASAN_OPTIONS=detect_leaks=0 ";

    // Run 1 in the background; its pid (the viewer itself, not xvfb-run) in a file.
    const std::string pidfile = tmp.file("viewer.pid"), log1 = tmp.file("run1.log");
    const std::string run1 = "xvfb-run -a -s '-screen 0 1280x800x24' sh -c \"" + env + "'" HUQIAN_EXE "' view '" + dir +
                             "' --lang en --script '" + tmp.file("edit.txt") + "' > '" + log1 + "' 2>&1 & echo \\$! > '" +
                             pidfile + "'; wait\" > /dev/null 2>&1 &";
    REQUIRE(std::system(run1.c_str()) == 0);
    const auto log_text = [](const std::string& p) {
        std::ifstream in(p);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    };
    pid_t pid = 0;
    struct KillOnExit {  // a failed REQUIRE must not leave the first viewer running
        pid_t& pid;
        ~KillOnExit() {
            if (pid > 0) ::kill(pid, SIGKILL);
        }
    } kill_on_exit{pid};
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(240);
    while (std::chrono::steady_clock::now() < deadline && !fs::exists(rec)) {
        if (pid == 0) {
            std::ifstream pf(pidfile);
            pf >> pid;
        }
        if (pid > 0 && ::kill(pid, 0) != 0) break;  // the viewer ended by itself: a failure below
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    INFO("run 1 output:\n" << log_text(log1));
    REQUIRE(pid > 0);
    REQUIRE(fs::exists(rec));  // the autosave of the edit, beside project.json
    CHECK_FALSE(fs::exists(dir + ".recovery.gpkg"));
    REQUIRE(::kill(pid, SIGKILL) == 0);
    for (int i = 0; i < 100 && ::kill(pid, 0) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK(::kill(pid, 0) != 0);
    pid = 0;  // gone: nothing left to kill
    CHECK_FALSE(fs::exists(dir + "/shuhan.gpkg"));  // never saved: only the recovery file holds the edit
    // The first run remembered the project in the user's recent list.
    CHECK(load_user_settings(cfg + "/huqian/viewer.json").recent.size() == 1);

    // Run 2: the same project; the script accepts the offer (it fails when none is made) and
    // saves what was recovered; exit 0 only when every action worked.
    const std::string log2 = tmp.file("run2.log");
    const std::string run2 = "timeout 300 xvfb-run -a -s '-screen 0 1280x800x24' " + env + "'" HUQIAN_EXE "' view '" +
                             dir + "' --lang en --script '" + tmp.file("recover.txt") + "' > '" + log2 + "' 2>&1";
    const int status = std::system(run2.c_str());
    INFO("run 2 output:\n" << log_text(log2));
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    REQUIRE(fs::exists(out));
    // The saved output holds data/shuhan's three zones and the one drawn before the kill:
    // its name (UTF-8) and its 40 m x 40 m square (the zones are in the metric CRS).
    const hq::GpkgProject restored = hq::open_gpkg_project(out);
    REQUIRE(restored.document.zones.size() == 4);
    const hq::plan::Zone& z = restored.document.zones.back();
    CHECK(z.id == "Z-4");
    CHECK(z.name_en == zone_name);
    CHECK_THAT(hq::area(z.geometry), Catch::Matchers::WithinRel(1600.0, 1e-9));
    CHECK_FALSE(fs::exists(rec));  // the save removed the recovery file
}

#endif  // HUQIAN_HAVE_VIEWER
