#pragma once
// A community's plan opened from a district database (`huqian view PG:… --community NAME`;
// issue 18): Save writes it to the database with the revision check (district::save_plan:
// one transaction, a conflict reported in Chinese and English with both versions kept), and
// autosave / recovery work as with a file, the recovery file in the user's state folder keyed
// by the database and the community (district::plan_recovery_target; never the password).
// The file paths (file_ops.cpp, panel_file.cpp) call in here only for such a plan.
#include <optional>
#include <string>

namespace hq::view {

class Controller;

/// The database and community of the open project, when it is the community named on the
/// command line (--community; a project opened later from File > Open is a file).
struct DatabasePlan {
    std::string source;     ///< the PG: source as given (it may hold a password: never shown)
    std::string community;
    std::string target;     ///< district::plan_recovery_target ("" without a state folder)
};
std::optional<DatabasePlan> database_plan(const Controller& app);
/// The same test without the recovery target (cheap: the window title asks every frame).
bool is_database_plan(const Controller& app);

/// The recovery offer's Recover for a community's plan: the autosaved document replaces the
/// open one (still unsaved), to be saved against the revision it was opened at. False (and
/// nothing done) for any other project: the caller opens the recovery file as before.
bool plan_recover_database(Controller& app);

}  // namespace hq::view
