#include "geo/project/undo.hpp"

#include <algorithm>
#include <stdexcept>

#include "geo/core/error.hpp"

namespace hq {

// [SECTION] Stack ---------------------------------------------------------------------------

class UndoStack::Group : public Command {
public:
    explicit Group(std::string d) : m_description(std::move(d)) {}
    void apply() override {
        for (auto& c : m_children) c->apply();
    }
    void revert() override {
        for (auto it = m_children.rbegin(); it != m_children.rend(); ++it) (*it)->revert();
    }
    [[nodiscard]] std::string describe() const override { return m_description; }
    std::vector<std::unique_ptr<Command>> m_children;
    std::string m_description;
};

UndoStack::UndoStack(std::size_t limit) : m_limit(limit) {}
UndoStack::~UndoStack() = default;
UndoStack::UndoStack(UndoStack&&) noexcept = default;
UndoStack& UndoStack::operator=(UndoStack&&) noexcept = default;

void UndoStack::push(std::unique_ptr<Command> c) {
    if (!c) return;
    c->apply();
    ++m_revision;
    if (m_depth > 0) {
        m_open->m_children.push_back(std::move(c));
        return;
    }
    m_steps.resize(m_pos);  // drop the redo steps
    if (m_saved && *m_saved > m_pos) m_saved.reset();
    m_steps.push_back(std::move(c));
    ++m_pos;
    if (m_steps.size() > m_limit) {
        const std::size_t drop = m_steps.size() - m_limit;
        m_steps.erase(m_steps.begin(), m_steps.begin() + static_cast<std::ptrdiff_t>(drop));
        m_pos -= drop;
        if (m_saved) {
            if (*m_saved < drop) m_saved.reset();
            else *m_saved -= drop;
        }
    }
}

void UndoStack::begin_group(std::string description) {
    if (m_depth++ == 0) m_open = std::make_unique<Group>(std::move(description));
}

void UndoStack::end_group() {
    if (m_depth == 0) throw std::logic_error("UndoStack::end_group without begin_group");
    if (--m_depth > 0) return;
    std::unique_ptr<Group> g = std::move(m_open);
    if (g->m_children.empty()) return;
    // Already applied child by child: record without applying again.
    m_steps.resize(m_pos);
    if (m_saved && *m_saved > m_pos) m_saved.reset();
    m_steps.push_back(std::move(g));
    ++m_pos;
}

void UndoStack::cancel_group() {
    if (m_depth == 0) throw std::logic_error("UndoStack::cancel_group without begin_group");
    m_depth = 0;
    std::unique_ptr<Group> g = std::move(m_open);
    if (!g->m_children.empty()) {
        g->revert();
        ++m_revision;
    }
}

bool UndoStack::undo() {
    if (!can_undo()) return false;
    m_steps[m_pos - 1]->revert();
    --m_pos;
    ++m_revision;
    return true;
}

bool UndoStack::redo() {
    if (!can_redo()) return false;
    m_steps[m_pos]->apply();
    ++m_pos;
    ++m_revision;
    return true;
}

std::string UndoStack::undo_text() const { return m_pos > 0 ? m_steps[m_pos - 1]->describe() : std::string(); }
std::string UndoStack::redo_text() const {
    return m_pos < m_steps.size() ? m_steps[m_pos]->describe() : std::string();
}

std::vector<std::string> UndoStack::history() const {
    std::vector<std::string> h;
    for (const auto& s : m_steps) h.push_back(s->describe());
    return h;
}

void UndoStack::clear() {
    m_steps.clear();
    m_pos = 0;
    m_saved = 0;
    m_depth = 0;
    m_open.reset();
    ++m_revision;
}

// [SECTION] Plan document commands ------------------------------------------------------------

namespace {

using plan::PlanDocument;
using plan::Zone;

Zone& require_zone(PlanDocument& doc, const std::string& id) {
    Zone* z = doc.find_zone(id);
    if (!z) throw InputError(ErrorContext{{}, "zones", {}, id, {}}, "no such zone");
    return *z;
}

std::string zone_label(const Zone& z) {
    if (!z.name_zh.empty()) return z.name_zh;
    if (!z.name_en.empty()) return z.name_en;
    return z.id;
}

class AddZone : public Command {
public:
    AddZone(PlanDocument& d, Zone z, std::optional<std::size_t> i) : m_doc(d), m_zone(std::move(z)), m_index(i) {}
    void apply() override {
        if (m_doc.find_zone(m_zone.id)) throw InputError(ErrorContext{{}, "zones", {}, m_zone.id, {}}, "zone id exists");
        const std::size_t at = std::min(m_index.value_or(m_doc.zones.size()), m_doc.zones.size());
        m_doc.zones.insert(m_doc.zones.begin() + static_cast<std::ptrdiff_t>(at), m_zone);
    }
    void revert() override {
        const int i = m_doc.zone_index(m_zone.id);
        if (i >= 0) m_doc.zones.erase(m_doc.zones.begin() + i);
    }
    [[nodiscard]] std::string describe() const override { return "Create zone " + zone_label(m_zone); }

private:
    PlanDocument& m_doc;
    Zone m_zone;
    std::optional<std::size_t> m_index;
};

class DeleteZone : public Command {
public:
    DeleteZone(PlanDocument& d, std::string id) : m_doc(d), m_id(std::move(id)) {}
    void apply() override {
        const int i = m_doc.zone_index(m_id);
        if (i < 0) throw InputError(ErrorContext{{}, "zones", {}, m_id, {}}, "no such zone");
        m_index = static_cast<std::size_t>(i);
        m_zone = m_doc.zones[m_index];
        m_doc.zones.erase(m_doc.zones.begin() + i);
        m_scenarios_before = m_doc.scenarios;
        for (auto& s : m_doc.scenarios) s.zone_ids.erase(std::remove(s.zone_ids.begin(), s.zone_ids.end(), m_id), s.zone_ids.end());
    }
    void revert() override {
        m_doc.zones.insert(m_doc.zones.begin() + static_cast<std::ptrdiff_t>(std::min(m_index, m_doc.zones.size())), m_zone);
        m_doc.scenarios = m_scenarios_before;
    }
    [[nodiscard]] std::string describe() const override {
        return "Delete zone " + (m_zone.id.empty() ? m_id : zone_label(m_zone));
    }

private:
    PlanDocument& m_doc;
    std::string m_id;
    std::size_t m_index = 0;
    Zone m_zone;
    std::vector<plan::Scenario> m_scenarios_before;
};

class SetZoneGeometry : public Command {
public:
    SetZoneGeometry(PlanDocument& d, std::string id, Geometry g, std::string desc)
        : m_doc(d), m_id(std::move(id)), m_after(std::move(g)), m_desc(std::move(desc)) {}
    void apply() override {
        Zone& z = require_zone(m_doc, m_id);
        m_before = z.geometry;
        z.geometry = m_after;
    }
    void revert() override { require_zone(m_doc, m_id).geometry = m_before; }
    [[nodiscard]] std::string describe() const override { return m_desc + " (" + m_id + ")"; }

private:
    PlanDocument& m_doc;
    std::string m_id;
    Geometry m_after, m_before;
    std::string m_desc;
};

class SetZoneAttributes : public Command {
public:
    SetZoneAttributes(PlanDocument& d, std::string id, Zone v, std::string desc)
        : m_doc(d), m_id(std::move(id)), m_after(std::move(v)), m_desc(std::move(desc)) {}
    void apply() override {
        Zone& z = require_zone(m_doc, m_id);
        m_before = z;
        Zone n = m_after;
        n.id = z.id;
        n.geometry = std::move(z.geometry);
        z = std::move(n);
    }
    void revert() override {
        Zone& z = require_zone(m_doc, m_id);
        Geometry g = std::move(z.geometry);
        z = m_before;
        z.geometry = std::move(g);
    }
    [[nodiscard]] std::string describe() const override { return m_desc + " (" + m_id + ")"; }

private:
    PlanDocument& m_doc;
    std::string m_id;
    Zone m_after, m_before;
    std::string m_desc;
};

class SetSetting : public Command {
public:
    SetSetting(PlanDocument& d, std::string k, std::optional<std::string> v, std::string desc)
        : m_doc(d), m_key(std::move(k)), m_after(std::move(v)), m_desc(std::move(desc)) {}
    void apply() override {
        auto it = m_doc.settings.find(m_key);
        m_before = it == m_doc.settings.end() ? std::nullopt : std::optional<std::string>(it->second);
        put(m_after);
    }
    void revert() override { put(m_before); }
    [[nodiscard]] std::string describe() const override {
        if (!m_desc.empty()) return m_desc;
        return m_after ? "Set " + m_key + " = " + *m_after : "Reset " + m_key;
    }

private:
    void put(const std::optional<std::string>& v) {
        if (v) m_doc.settings[m_key] = *v;
        else m_doc.settings.erase(m_key);
    }
    PlanDocument& m_doc;
    std::string m_key;
    std::optional<std::string> m_after, m_before;
    std::string m_desc;
};

class SetScenario : public Command {
public:
    SetScenario(PlanDocument& d, std::string n, std::optional<plan::Scenario> v, std::string desc)
        : m_doc(d), m_name(std::move(n)), m_after(std::move(v)), m_desc(std::move(desc)) {}
    void apply() override {
        m_before = m_doc.scenarios;
        auto it = std::find_if(m_doc.scenarios.begin(), m_doc.scenarios.end(),
                               [&](const plan::Scenario& s) { return s.name == m_name; });
        if (!m_after) {
            if (it != m_doc.scenarios.end()) m_doc.scenarios.erase(it);
        } else if (it != m_doc.scenarios.end()) {
            *it = *m_after;
        } else {
            m_doc.scenarios.push_back(*m_after);
        }
    }
    void revert() override { m_doc.scenarios = m_before; }
    [[nodiscard]] std::string describe() const override {
        if (!m_desc.empty()) return m_desc;
        return (m_after ? "Edit scenario " : "Delete scenario ") + m_name;
    }

private:
    PlanDocument& m_doc;
    std::string m_name;
    std::optional<plan::Scenario> m_after;
    std::vector<plan::Scenario> m_before;
    std::string m_desc;
};

}  // namespace

std::unique_ptr<Command> add_zone(PlanDocument& doc, Zone zone, std::optional<std::size_t> index) {
    return std::make_unique<AddZone>(doc, std::move(zone), index);
}
std::unique_ptr<Command> delete_zone(PlanDocument& doc, const std::string& id) {
    return std::make_unique<DeleteZone>(doc, id);
}
std::unique_ptr<Command> set_zone_geometry(PlanDocument& doc, const std::string& id, Geometry geometry,
                                           std::string description) {
    return std::make_unique<SetZoneGeometry>(doc, id, std::move(geometry), std::move(description));
}
std::unique_ptr<Command> set_zone_attributes(PlanDocument& doc, const std::string& id, const Zone& values,
                                             std::string description) {
    return std::make_unique<SetZoneAttributes>(doc, id, values, std::move(description));
}
std::unique_ptr<Command> set_setting(PlanDocument& doc, std::string key, std::optional<std::string> value,
                                     std::string description) {
    return std::make_unique<SetSetting>(doc, std::move(key), std::move(value), std::move(description));
}
std::unique_ptr<Command> set_scenario(PlanDocument& doc, std::string name, std::optional<plan::Scenario> value,
                                      std::string description) {
    return std::make_unique<SetScenario>(doc, std::move(name), std::move(value), std::move(description));
}

}  // namespace hq
