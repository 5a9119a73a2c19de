#pragma once
// `huqian view --script FILE`: a few actions the real viewer process runs once the project is
// open, for tests that need the whole program (the SIGKILL crash test: edit, wait for the
// autosave, be killed, restart, accept the recovery, save). One action a line ('#' starts a
// comment); each waits until no job runs:
//
//   autosave-interval SECONDS   the Plan section's autosave interval
//   add-zone [NAME]             the rectangle tool drags a 40 m square at the data's centre
//                               (one undo step, as a user's drag); NAME becomes its English name
//   accept-recovery             the recovery offer's Recover (fails when none was offered)
//   save PATH                   File > Save as PATH (.gpkg)
//   wait SECONDS                nothing for that long (the autosave may run meanwhile)
//   quit                        File > Quit (fails with unsaved plan edits: save first)
//
// A failed action ends the viewer with exit code 1 and one line "script FILE:LINE: reason".
#include <string>
#include <vector>

namespace hq::view {

class Controller;

struct ScriptStep {
    std::string verb;
    std::vector<std::string> args;
    int line = 0;
};

struct ViewerScript {
    std::string path;
    std::vector<ScriptStep> steps;
    std::size_t next = 0;
    double wait_until = -1;
    std::string error;  ///< "script FILE:LINE: reason" once an action failed
    [[nodiscard]] bool done() const { return next >= steps.size(); }
};

/// Reads a script (at most 1000 lines). Throws InputError naming the file and line for an
/// unknown action or a missing / bad argument.
ViewerScript parse_script(const std::string& path);

/// Runs the actions due at `now_s` (seconds since start) on the viewer. Returns the seconds
/// the idle main loop may sleep before calling again.
double script_tick(ViewerScript& script, Controller& app, double now_s);

}  // namespace hq::view
