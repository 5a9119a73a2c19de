#pragma once
// A community's plan opened from a district database (`huqian view PG:… --community NAME`;
// issue 18): Save writes it to the database with the revision check (district::save_plan:
// one transaction, a conflict reported in Chinese and English with both versions kept), and
// autosave / recovery work as with a file, the recovery file in the user's state folder keyed
// by the database and the community (district::plan_recovery_target; never the password).
// The file paths (file_ops.cpp) call in here only for such a plan.
#include <string>

namespace hq::view {

class Controller;
struct ProjectData;

/// The plan's "file" for a community of a database: district::plan_recovery_target (whose
/// recovery file autosave writes); "" for any other project or when there is no state folder.
std::string plan_database_target(const ProjectData& data);
std::string plan_database_target(const Controller& app);

/// The recovery offer's Recover for a community's plan: the autosaved document replaces the
/// open one (still unsaved), to be saved against the revision it was opened at. False (and
/// nothing done) for any other project: the caller opens the recovery file as before.
bool plan_recover_database(Controller& app);

}  // namespace hq::view
