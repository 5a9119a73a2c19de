// `huqian view --script FILE` (script.hpp): actions through the same functions the menus,
// the canvas and the dialogs call.
#include "app/view/script.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "app/view/app.hpp"
#include "app/view/plan_panels.hpp"
#include "app/view/view_state.hpp"
#include "geo/core/error.hpp"

namespace hq::view {
namespace {

bool parse_seconds(const std::string& s, double& out) {
    std::istringstream in(s);
    in >> out;
    return in && in.eof() && std::isfinite(out) && out >= 0 && out <= 3600;
}

}  // namespace

ViewerScript parse_script(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw InputError(ErrorContext{path, {}, {}, {}, {}}, "cannot read the script / 无法读取脚本");
    ViewerScript s;
    s.path = path;
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        if (n > 1000) throw InputError(ErrorContext{path, {}, {}, {}, {}}, "script longer than 1000 lines / 脚本超过 1000 行");
        if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
        std::istringstream words(line);
        ScriptStep st;
        st.line = n;
        if (!(words >> st.verb)) continue;
        std::string rest;
        std::getline(words, rest);
        const auto b = rest.find_first_not_of(" \t"), e = rest.find_last_not_of(" \t\r");
        if (b != std::string::npos) st.args.push_back(rest.substr(b, e - b + 1));  // one argument: the rest of the line
        const auto bad = [&](const std::string& why) {
            return InputError(ErrorContext{path, {}, {}, {}, {}}, "line " + std::to_string(n) + ": " + why);
        };
        double secs = 0;
        if (st.verb == "autosave-interval" || st.verb == "wait") {
            if (st.args.empty() || !parse_seconds(st.args[0], secs)) throw bad(st.verb + " needs SECONDS (0 to 3600)");
        } else if (st.verb == "save") {
            if (st.args.empty()) throw bad("save needs a PATH (.gpkg)");
        } else if (st.verb != "add-zone" && st.verb != "accept-recovery" && st.verb != "quit") {
            throw bad("unknown action '" + st.verb.substr(0, 40) +
                      "' (autosave-interval, add-zone, accept-recovery, save, wait, quit)");
        }
        s.steps.push_back(std::move(st));
    }
    return s;
}

double script_tick(ViewerScript& s, Controller& app, double now_s) {
    if (!s.error.empty() || s.done()) return 60;
    if (!app.model.data || app.jobs.busy()) return 0.05;  // every action waits for the project and the jobs
    if (s.wait_until > now_s) return s.wait_until - now_s;
    s.wait_until = -1;
    const ScriptStep& st = s.steps[s.next];
    const std::string arg = st.args.empty() ? std::string() : st.args[0];
    const auto fail = [&](const std::string& why) {
        s.error = "script " + s.path + ":" + std::to_string(st.line) + ": " + why;
        return 60.0;
    };
    if (!app.ui.errors.empty()) return fail("error shown: " + app.ui.errors.front());
    if (app.ui.conflict.popup) return fail("save conflict with " + app.ui.conflict.path);
    ++s.next;
    if (st.verb == "autosave-interval") {
        app.ui.plan.autosave.interval_s = std::stod(arg);
    } else if (st.verb == "wait") {
        s.wait_until = now_s + std::stod(arg);
    } else if (st.verb == "add-zone") {
        const Box& ext = app.model.data->extent;
        if (ext.empty()) return fail("the project has no extent to draw in");
        PlanEditor& ed = app.plan();
        set_plan_mode(app, true);
        activate_plan_tool(app, PlanTool::Rectangle);
        const Vec2 c = ext.center();
        const double mpp = 1.0;
        const Vec2 a{c.x - 20, c.y - 20}, b{c.x + 20, c.y + 20};
        const std::size_t before = ed.doc().zones.size();
        const bool snap = ed.snap;
        ed.snap = false;  // exactly the square asked for
        ed.press(a, mpp);
        ed.drag(b, mpp);
        ed.release(b, mpp);
        ed.snap = snap;
        activate_plan_tool(app, PlanTool::Select);
        if (ed.doc().zones.size() != before + 1) return fail("the rectangle tool made no zone: " + ed.take_error());
        if (!arg.empty()) {
            plan::Zone v = ed.doc().zones.back();
            v.name_en = arg;
            ed.select(v.id);
            if (!ed.set_attributes(v, attribute_description(S::ZoneNameEn))) return fail("cannot name the zone");
        }
        app.fonts_dirty = true;
    } else if (st.verb == "accept-recovery") {
        if (app.ui.plan.recovery_target.empty()) return fail("no recovery file was offered");
        plan_accept_recovery(app);
    } else if (st.verb == "save") {
        app.plan_save(arg);  // a failure shows in the error window: the next action fails on it
    } else if (st.verb == "quit") {
        if (app.model.plan.modified()) return fail("unsaved plan edits at quit (" + describe_unsaved(app.model.plan.unsaved(), UiLang::En) + ")");
        app.quit = true;
    }
    return 0.05;
}

}  // namespace hq::view
