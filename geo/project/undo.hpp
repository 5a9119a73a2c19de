#pragma once
// Undo/redo as a command stack in the model (not in the UI). Every edit a planner makes is a
// Command with apply, revert and describe; a drag is one step (begin_group / end_group).
// The stack also tracks whether there are unsaved edits (for autosave and the title bar).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "geo/model/document.hpp"

namespace hq {

class Command {
public:
    virtual ~Command() = default;
    virtual void apply() = 0;
    virtual void revert() = 0;
    [[nodiscard]] virtual std::string describe() const = 0;
};

class UndoStack {
public:
    explicit UndoStack(std::size_t limit = 1000);
    ~UndoStack();
    UndoStack(UndoStack&&) noexcept;
    UndoStack& operator=(UndoStack&&) noexcept;
    UndoStack(const UndoStack&) = delete;
    UndoStack& operator=(const UndoStack&) = delete;

    /// Applies `c` and records it; clears the redo steps. Inside a group the command joins
    /// the group (it is still applied at once). If apply() throws, nothing is recorded.
    void push(std::unique_ptr<Command> c);
    /// Starts a group: everything pushed until the matching end_group() is one step. Groups
    /// nest (the outermost description wins). An empty group records nothing.
    void begin_group(std::string description);
    void end_group();
    /// Reverts what was pushed since begin_group() and drops the group (Esc during a drag).
    void cancel_group();
    [[nodiscard]] bool in_group() const { return m_depth > 0; }

    [[nodiscard]] bool can_undo() const { return m_pos > 0 && m_depth == 0; }
    [[nodiscard]] bool can_redo() const { return m_pos < m_steps.size() && m_depth == 0; }
    /// Reverts the last step; false when there is none (or a group is open).
    bool undo();
    bool redo();
    [[nodiscard]] std::string undo_text() const;  ///< description of the step undo() reverts ("" if none)
    [[nodiscard]] std::string redo_text() const;

    /// Step descriptions, oldest first; steps [0, position()) are applied (History panel).
    [[nodiscard]] std::vector<std::string> history() const;
    [[nodiscard]] std::size_t position() const { return m_pos; }
    [[nodiscard]] std::size_t size() const { return m_steps.size(); }

    /// Unsaved edits: the position differs from the one at mark_saved().
    [[nodiscard]] bool modified() const { return !m_saved || *m_saved != m_pos; }
    void mark_saved() { m_saved = m_pos; }
    /// Increases on every push, undo and redo (autosave compares it).
    [[nodiscard]] std::uint64_t revision() const { return m_revision; }
    void clear();

private:
    class Group;
    std::vector<std::unique_ptr<Command>> m_steps;
    std::size_t m_pos = 0;
    std::size_t m_limit;
    std::optional<std::size_t> m_saved = 0;
    std::uint64_t m_revision = 0;
    int m_depth = 0;
    std::unique_ptr<Group> m_open;
};

// [SECTION] Commands on a plan document ------------------------------------------------------
// Each factory returns a command that is not yet applied: push it on an UndoStack.
// The document must outlive the commands. Zones are found by id when the command runs, so
// commands stay valid when other zones are added or removed.

/// Adds a zone (at `index`, default the end). apply() throws InputError if the id exists.
std::unique_ptr<Command> add_zone(plan::PlanDocument& doc, plan::Zone zone, std::optional<std::size_t> index = {});
/// Deletes a zone (and its id from every scenario; revert restores both).
std::unique_ptr<Command> delete_zone(plan::PlanDocument& doc, const std::string& id);
/// Replaces a zone's geometry: move, vertex drag / insert / delete, reshape.
std::unique_ptr<Command> set_zone_geometry(plan::PlanDocument& doc, const std::string& id, Geometry geometry,
                                           std::string description = "Edit zone shape");
/// Replaces a zone's attributes (everything except id and geometry) with those of `values`.
std::unique_ptr<Command> set_zone_attributes(plan::PlanDocument& doc, const std::string& id, const plan::Zone& values,
                                             std::string description = "Edit zone attributes");
/// Sets (or, with nullopt, removes) a key/value setting: styles, layer visibility.
std::unique_ptr<Command> set_setting(plan::PlanDocument& doc, std::string key, std::optional<std::string> value,
                                     std::string description = {});
/// Adds, replaces (same name) or, with nullopt, removes a scenario. `description` names the
/// step in the history ("" = "Edit scenario NAME" / "Delete scenario NAME").
std::unique_ptr<Command> set_scenario(plan::PlanDocument& doc, std::string name, std::optional<plan::Scenario> value,
                                      std::string description = {});

}  // namespace hq
