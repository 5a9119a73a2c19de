// [SECTION] index
//   Cells and headers (internal helpers)
//   The column mapping: guess, set, --map
//   Counting the rows
//   Applying the counts to a project, undo, saving
#include "geo/project/roster.hpp"

#include <cpl_error.h>
#include <cpl_json.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>
#include <utility>

#include "geo/core/text.hpp"
#include "geo/io/writer.hpp"
#include "geo/project/ethnic_groups.hpp"

namespace hq {

namespace fs = std::filesystem;

// [SECTION] Cells and headers (internal helpers) --------------------------------------------------

const char* roster_layout_name(RosterLayout l) {
    switch (l) {
        case RosterLayout::PersonRows: return "person_rows";
        case RosterLayout::HouseholdRows: return "household_rows";
        case RosterLayout::GroupColumns: return "group_columns";
    }
    return "?";
}

std::string trim_cell(const std::string& s) {
    std::size_t a = 0, b = s.size();
    while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
    while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
    std::string t = s.substr(a, b - a);
    // The ideographic space U+3000 a Chinese spreadsheet pads with.
    const std::string ideo = "\xE3\x80\x80";
    while (t.size() >= 3 && t.compare(0, 3, ideo) == 0) t.erase(0, 3);
    while (t.size() >= 3 && t.compare(t.size() - 3, 3, ideo) == 0) t.erase(t.size() - 3);
    return t;
}

namespace {

constexpr std::int64_t kMaxCell = 1'000'000;  // persons in one cell: a household size or a unit's count

/// A cell as text: integers as written, an integral real without ".0", text trimmed.
std::string cell_text(const Value& v) {
    if (const auto* d = std::get_if<double>(&v)) {
        if (std::isfinite(*d) && std::floor(*d) == *d && std::fabs(*d) < 1e15) return std::to_string(static_cast<std::int64_t>(*d));
    }
    return trim_cell(value_to_string(v));
}

/// A whole number in [0, kMaxCell], or nullopt.
std::optional<std::int64_t> whole(const Value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
        if (*i >= 0 && *i <= kMaxCell) return *i;
        return std::nullopt;
    }
    if (const auto* d = std::get_if<double>(&v)) {
        if (std::isfinite(*d) && std::floor(*d) == *d && *d >= 0 && *d <= static_cast<double>(kMaxCell))
            return static_cast<std::int64_t>(*d);
        return std::nullopt;
    }
    const std::string s = cell_text(v);
    if (s.empty() || s.size() > 7 || !std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); }))
        return std::nullopt;
    const std::int64_t x = std::stoll(s);
    return x <= kMaxCell ? std::optional<std::int64_t>(x) : std::nullopt;
}

std::string norm_header(const std::string& h) {
    std::string s;
    for (const char c : trim_cell(h))
        if (c != ' ' && c != '\t') s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool contains(const std::string& s, const char* w) { return s.find(w) != std::string::npos; }

bool is_empty(const Value& v) { return std::holds_alternative<std::monostate>(v) || cell_text(v).empty(); }

/// Every non-empty cell of column j a whole number (and at least one cell).
bool numeric_column(const Table& t, std::size_t j) {
    std::size_t n = 0;
    for (const auto& row : t.rows) {
        if (is_empty(row[j])) continue;
        if (!whole(row[j])) return false;
        ++n;
    }
    return n > 0;
}

/// Share of the non-empty cells of column j that name a group.
double group_value_share(const Table& t, std::size_t j) {
    std::size_t n = 0, hit = 0;
    for (const auto& row : t.rows) {
        if (is_empty(row[j])) continue;
        ++n;
        if (match_ethnic_group(cell_text(row[j]))) ++hit;
    }
    return n ? static_cast<double>(hit) / static_cast<double>(n) : 0.0;
}

void relayout(RosterMapping& m) {
    if (!m.group_columns.empty()) m.layout = RosterLayout::GroupColumns;
    else if (!m.size_column.empty()) m.layout = RosterLayout::HouseholdRows;
    else m.layout = RosterLayout::PersonRows;
}

}  // namespace

// [SECTION] The column mapping: guess, set, --map -------------------------------------------------

std::string RosterMapping::describe() const {
    std::ostringstream o;
    o << "layout: " << roster_layout_name(layout) << "\n";
    o << "unit: " << (unit_column.empty() ? std::string("(not found)") : printable(unit_column)) << "\n";
    if (layout != RosterLayout::GroupColumns) {
        o << "ethnicity: " << (ethnicity_column.empty() ? std::string("(not found)") : printable(ethnicity_column)) << "\n";
        if (layout == RosterLayout::HouseholdRows) o << "size: " << printable(size_column) << "\n";
    } else {
        for (const auto& g : group_columns) {
            const auto& e = ethnic_groups()[g.group];
            o << "group " << e.zh << " / " << e.en << ": " << printable(g.column) << "\n";
        }
    }
    for (const auto& n : notes) o << "note: " << printable(n) << "\n";
    return o.str();
}

RosterMapping guess_roster_mapping(const Table& t) {
    RosterMapping m;
    const std::size_t nf = t.fields.size();
    std::vector<bool> used(nf, false);
    std::vector<std::string> headers;
    for (const auto& f : t.fields) headers.push_back(f.name);

    // Count columns named after a group (only numeric ones: "藏族" holding names is not a count).
    const auto rec = recognise_group_columns(headers);
    std::set<std::size_t> seen;
    for (std::size_t j = 0; j < nf; ++j) {
        const auto g = match_ethnic_group(headers[j]);
        if (!g) continue;
        if (!rec[j]) {
            m.notes.push_back("column " + headers[j] + " names " + ethnic_groups()[*g].en +
                              " like an earlier column: not used (map it with --map if it is the one)");
            continue;
        }
        if (!numeric_column(t, j)) {
            m.notes.push_back("column " + headers[j] + " names a group but does not hold whole numbers: not used as counts");
            continue;
        }
        m.group_columns.push_back({headers[j], *g});
        used[j] = true;
    }

    if (m.group_columns.empty()) {
        // The ethnicity column: by header, else by its cells.
        for (std::size_t j = 0; j < nf && m.ethnicity_column.empty(); ++j) {
            const std::string h = norm_header(headers[j]);
            if (contains(h, "民族") || contains(h, "族别") || contains(h, "ethnic") || contains(h, "nationality") ||
                h == "minzu") {
                m.ethnicity_column = headers[j];
                used[j] = true;
                m.notes.push_back("ethnicity column " + headers[j] + ": chosen by its header");
            }
        }
        if (m.ethnicity_column.empty()) {
            double best = 0.5;
            int bj = -1;
            for (std::size_t j = 0; j < nf; ++j) {
                if (used[j] || numeric_column(t, j)) continue;
                const double s = group_value_share(t, j);
                if (s > best) best = s, bj = static_cast<int>(j);
            }
            if (bj >= 0) {
                m.ethnicity_column = headers[static_cast<std::size_t>(bj)];
                used[static_cast<std::size_t>(bj)] = true;
                m.notes.push_back("ethnicity column " + m.ethnicity_column + ": chosen because most of its cells name a group");
            }
        }
        // The household size.
        for (std::size_t j = 0; j < nf && m.size_column.empty(); ++j) {
            if (used[j]) continue;
            const std::string h = norm_header(headers[j]);
            if ((contains(h, "人数") || contains(h, "人口") || contains(h, "size") || contains(h, "persons") ||
                 contains(h, "members")) &&
                numeric_column(t, j)) {
                m.size_column = headers[j];
                used[j] = true;
                m.notes.push_back("household size column " + headers[j] + ": one row per household");
            }
        }
    }

    // The unit: by header, in order of preference.
    static const std::vector<std::vector<const char*>> tiers{
        {"院落", "院号", "楼栋", "楼号", "单元", "网格", "小区", "courtyard", "unit", "building", "grid", "block"},
        {"户号", "户编号", "household", "hh_id", "门牌"},
    };
    for (const auto& words : tiers) {
        for (std::size_t j = 0; j < nf && m.unit_column.empty(); ++j) {
            if (used[j]) continue;
            const std::string h = norm_header(headers[j]);
            for (const char* w : words)
                if (contains(h, w)) {
                    m.unit_column = headers[j];
                    break;
                }
        }
        if (!m.unit_column.empty()) break;
    }
    for (std::size_t j = 0; j < nf && m.unit_column.empty(); ++j) {
        if (used[j]) continue;
        const std::string h = norm_header(headers[j]);
        if (h == "id" || h == "编号" || h == "代码" || (h.size() > 3 && h.compare(h.size() - 3, 3, "_id") == 0))
            m.unit_column = headers[j];
    }
    if (m.unit_column.empty()) m.notes.push_back("no unit column found: name it with --unit-column");
    else m.notes.push_back("unit column " + m.unit_column + ": chosen by its header");
    if (m.group_columns.empty() && m.ethnicity_column.empty())
        m.notes.push_back("no ethnicity column and no group count columns found: map them with --map COLUMN=ethnicity");
    relayout(m);
    return m;
}

void set_roster_column(RosterMapping& m, const Table& t, const std::string& column, RosterField field,
                       std::optional<std::size_t> group) {
    if (t.field_index(column) < 0) {
        std::string all;
        for (const auto& f : t.fields) all += (all.empty() ? "" : ", ") + f.name;
        throw InputError(ErrorContext{t.path, t.name, {}, {}, column}, "no such column (columns: " + all + ")");
    }
    if (field == RosterField::Group && (!group || *group >= ethnic_groups().size()))
        throw InputError(ErrorContext{t.path, t.name, {}, {}, column}, "a count column needs its group");
    // Undo what the column was before.
    if (m.unit_column == column) m.unit_column.clear();
    if (m.ethnicity_column == column) m.ethnicity_column.clear();
    if (m.size_column == column) m.size_column.clear();
    std::erase_if(m.group_columns, [&](const RosterGroupColumn& g) { return g.column == column; });
    switch (field) {
        case RosterField::Unit: m.unit_column = column; break;
        case RosterField::Ethnicity: m.ethnicity_column = column; break;
        case RosterField::Size: m.size_column = column; break;
        case RosterField::Group:
            // One column per group: the new one replaces an earlier column of the same group.
            std::erase_if(m.group_columns, [&](const RosterGroupColumn& g) { return g.group == *group; });
            m.group_columns.push_back({column, *group});
            break;
        case RosterField::Ignore: break;
    }
    relayout(m);
}

void apply_roster_map_option(RosterMapping& m, const Table& t, const std::string& option) {
    const std::size_t eq = option.rfind('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == option.size())
        throw InputError(ErrorContext{"--map"}, "\"" + option + "\" is not COLUMN=FIELD (FIELD: unit, ethnicity, size, ignore or a group name)");
    const std::string column = option.substr(0, eq);
    const std::string what = trim_cell(option.substr(eq + 1));
    std::string w = what;
    for (auto& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (w == "unit") return set_roster_column(m, t, column, RosterField::Unit);
    if (w == "ethnicity") return set_roster_column(m, t, column, RosterField::Ethnicity);
    if (w == "size") return set_roster_column(m, t, column, RosterField::Size);
    if (w == "ignore") return set_roster_column(m, t, column, RosterField::Ignore);
    const auto g = match_ethnic_group(what);
    if (!g)
        throw InputError(ErrorContext{"--map"}, "\"" + option + "\": " + what +
                                                    " is not unit, ethnicity, size, ignore or one of the 56 group names");
    set_roster_column(m, t, column, RosterField::Group, g);
}

// [SECTION] Counting the rows ---------------------------------------------------------------------

std::string RosterIssue::line() const {
    std::string msg;
    switch (kind) {
        case Kind::UnknownGroup: msg = "unknown group name (not one of the 56 of GB/T 3304; row not counted)"; break;
        case Kind::EmptyCell: msg = "empty cell (row not counted)"; break;
        case Kind::BadNumber: msg = "not a whole number from 0 to 1000000 (row not counted)"; break;
        case Kind::DuplicateUnit: msg = "unit listed again (row not counted)"; break;
    }
    return printable(file) + ": row " + std::to_string(row) + ", column " + printable(column) + ": " + msg + " \"" +
           printable(value) + "\"";
}

std::int64_t RosterCounts::count(const std::string& unit, std::size_t group) const {
    const auto u = std::find(units.begin(), units.end(), unit);
    const auto g = std::find(groups.begin(), groups.end(), group);
    if (u == units.end() || g == groups.end()) return 0;
    return counts[static_cast<std::size_t>(u - units.begin())][static_cast<std::size_t>(g - groups.begin())];
}

RosterCounts aggregate_roster(const Table& t, const RosterMapping& m) {
    const ErrorContext where{t.path, t.name};
    auto need = [&](const std::string& col, const char* what) {
        if (col.empty()) throw InputError(where, std::string("the roster mapping has no ") + what + " column");
        const int j = t.field_index(col);
        if (j < 0) throw InputError(ErrorContext{t.path, t.name, {}, {}, col}, "no such column in the roster");
        return static_cast<std::size_t>(j);
    };
    const std::size_t ju = need(m.unit_column, "unit");
    RosterCounts c;
    c.file = t.path;
    c.rows = t.rows.size();
    std::unordered_map<std::string, std::size_t> unit_index;
    // Counts by group index (all 56) first; compacted to the groups present at the end.
    std::vector<std::array<std::int64_t, 56>> raw;
    std::vector<bool> group_mapped(ethnic_groups().size(), false);
    auto unit_of = [&](const std::string& id) {
        auto [it, fresh] = unit_index.emplace(id, c.units.size());
        if (fresh) {
            c.units.push_back(id);
            raw.emplace_back();
            raw.back().fill(0);
        }
        return it->second;
    };
    auto issue = [&](RosterIssue::Kind k, std::size_t i, const std::string& col, const std::string& value, std::int64_t persons) {
        c.issues.push_back({k, t.path, i + 2, col, value, persons});
        c.persons_left_out += persons;
    };

    if (m.layout == RosterLayout::GroupColumns) {
        if (m.group_columns.empty()) throw InputError(where, "the roster mapping has no group count column");
        std::vector<std::pair<std::size_t, std::size_t>> cols;  // table column, group
        for (const auto& g : m.group_columns) {
            cols.emplace_back(need(g.column, "group"), g.group);
            group_mapped[g.group] = true;
        }
        std::unordered_map<std::string, std::size_t> first_row;
        for (std::size_t i = 0; i < t.rows.size(); ++i) {
            const auto& row = t.rows[i];
            // The row's persons, for the issue lines (what is left out).
            std::int64_t total = 0;
            bool bad = false;
            for (const auto& [j, g] : cols) {
                if (is_empty(row[j])) continue;
                if (const auto x = whole(row[j])) total += *x;
                else {
                    issue(RosterIssue::Kind::BadNumber, i, t.fields[j].name, cell_text(row[j]), 0);
                    bad = true;
                }
            }
            const std::string id = cell_text(row[ju]);
            if (bad) {
                c.persons_left_out += total;
                continue;
            }
            if (id.empty()) {
                issue(RosterIssue::Kind::EmptyCell, i, m.unit_column, "", total);
                continue;
            }
            if (auto [it, fresh] = first_row.emplace(id, i); !fresh) {
                issue(RosterIssue::Kind::DuplicateUnit, i, m.unit_column, id, total);
                continue;
            }
            const std::size_t u = unit_of(id);
            for (const auto& [j, g] : cols) {
                if (is_empty(row[j])) {
                    ++c.empty_counts_read_as_zero;
                    continue;
                }
                raw[u][g] += *whole(row[j]);
            }
            c.persons += total;
        }
    } else {
        const std::size_t je = need(m.ethnicity_column, "ethnicity");
        const bool household = m.layout == RosterLayout::HouseholdRows;
        const std::size_t js = household ? need(m.size_column, "household size") : 0;
        for (std::size_t i = 0; i < t.rows.size(); ++i) {
            const auto& row = t.rows[i];
            std::int64_t n = 1;
            if (household) {
                if (is_empty(row[js])) {
                    issue(RosterIssue::Kind::EmptyCell, i, m.size_column, "", 0);
                    continue;
                }
                const auto x = whole(row[js]);
                if (!x) {
                    issue(RosterIssue::Kind::BadNumber, i, m.size_column, cell_text(row[js]), 0);
                    continue;
                }
                n = *x;
            }
            const std::string id = cell_text(row[ju]);
            if (id.empty()) {
                issue(RosterIssue::Kind::EmptyCell, i, m.unit_column, "", n);
                continue;
            }
            const std::string name = cell_text(row[je]);
            if (name.empty()) {
                issue(RosterIssue::Kind::EmptyCell, i, m.ethnicity_column, "", n);
                continue;
            }
            const auto g = match_ethnic_group(name);
            if (!g) {
                issue(RosterIssue::Kind::UnknownGroup, i, m.ethnicity_column, name, n);
                continue;
            }
            raw[unit_of(id)][*g] += n;
            group_mapped[*g] = true;
            c.persons += n;
        }
    }
    for (std::size_t g = 0; g < group_mapped.size(); ++g)
        if (group_mapped[g]) c.groups.push_back(g);
    for (const auto& r : raw) {
        std::vector<std::int64_t> v;
        for (const std::size_t g : c.groups) v.push_back(r[g]);
        c.counts.push_back(std::move(v));
    }
    return c;
}

// [SECTION] Applying the counts to a project, undo, saving ----------------------------------------

std::string roster_count_column(std::size_t group) {
    std::string s = "pop_";
    for (const char* p = ethnic_groups().at(group).roman; *p; ++p)
        s += static_cast<char>(std::tolower(static_cast<unsigned char>(*p)));
    return s;
}

RosterApplied apply_roster(Project& project, const RosterCounts& c) {
    // The units layer; a single file of points (households) is read with the role venues.
    Role role = Role::Units;
    Layer* l = project.layer(role);
    if (!l && project.layers.size() == 1) {
        role = project.layers[0].role;
        l = &project.layers[0].layer;
    }
    if (!l) throw InputError(ErrorContext{project.path}, "the project has no units layer to put the roster's counts on");
    RosterApplied out;
    std::unordered_map<std::string, std::size_t> roster_unit;
    for (std::size_t u = 0; u < c.units.size(); ++u) roster_unit.emplace(c.units[u], u);
    std::vector<std::size_t> cols;
    for (const std::size_t g : c.groups) {
        const std::string name = roster_count_column(g);
        int j = l->table.field_index(name);
        if (j < 0) j = static_cast<int>(l->table.add_field({name, FieldType::Integer}));
        l->table.fields[static_cast<std::size_t>(j)].type = FieldType::Integer;
        cols.push_back(static_cast<std::size_t>(j));
    }
    std::set<std::string> matched;
    for (std::size_t i = 0; i < l->size(); ++i) {
        const auto it = roster_unit.find(trim_cell(l->ids[i]));
        if (it == roster_unit.end()) out.units_without_rows.push_back(l->ids[i]);
        else matched.insert(it->first);
        for (std::size_t k = 0; k < cols.size(); ++k)
            l->table.rows[i][cols[k]] = it == roster_unit.end() ? std::int64_t{0} : c.counts[it->second][k];
    }
    for (std::size_t u = 0; u < c.units.size(); ++u) {
        if (matched.count(c.units[u])) continue;
        out.rows_without_unit.push_back(c.units[u]);
        for (const auto n : c.counts[u]) out.persons_without_unit += n;
    }
    project.groups.clear();
    for (std::size_t k = 0; k < c.groups.size(); ++k) {
        const auto& e = ethnic_groups()[c.groups[k]];
        GroupDef d;
        d.column = roster_count_column(c.groups[k]);
        d.name_zh = e.zh;
        d.name_en = e.en;
        d.color = default_group_colour(k);
        project.groups.push_back(std::move(d));
    }
    project.count_roles = {role_name(role)};
    check_project(project, project.path);
    return out;
}

namespace {

class ImportRoster : public Command {
public:
    ImportRoster(Project& p, RosterCounts c) : m_p(p), m_counts(std::move(c)) {}
    void apply() override {
        // What apply_roster may change: the layers' tables, the groups, count_roles.
        m_tables.clear();
        for (const auto& e : m_p.layers) m_tables.push_back(e.layer.table);
        m_groups = m_p.groups;
        m_roles = m_p.count_roles;
        try {
            (void)apply_roster(m_p, m_counts);
        } catch (...) {
            revert();
            throw;
        }
    }
    void revert() override {
        for (std::size_t k = 0; k < m_p.layers.size() && k < m_tables.size(); ++k) m_p.layers[k].layer.table = m_tables[k];
        m_p.groups = m_groups;
        m_p.count_roles = m_roles;
    }
    [[nodiscard]] std::string describe() const override { return "Import roster " + fs::path(m_counts.file).filename().string(); }

private:
    Project& m_p;
    RosterCounts m_counts;
    std::vector<Table> m_tables;
    std::vector<GroupDef> m_groups;
    std::vector<std::string> m_roles;
};

/// A CSV field for a data file read back by GDAL (not for a terminal: the id must survive
/// byte for byte to match its feature): always quoted, quotes doubled.
std::string quoted(const std::string& s) {
    std::string q = "\"";
    for (const char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
}

}  // namespace

std::unique_ptr<Command> import_roster_command(Project& project, RosterCounts counts) {
    return std::make_unique<ImportRoster>(project, std::move(counts));
}

void save_roster_to_folder(const std::string& dir, const Project& project, const RosterMapping& m,
                           const RosterCounts& c, const std::string& roster_file) {
    const fs::path mpath = fs::path(dir) / "project.json";
    const std::string mname = mpath.string();
    std::error_code ec;
    if (!fs::is_regular_file(mpath, ec)) throw InputError(ErrorContext{dir}, "folder has no project.json manifest");
    const Layer* l = project.layer(Role::Units);
    if (!l) throw InputError(ErrorContext{mname, {}, {}, {}, "layers.units"}, "the project has no units layer");
    if (l->id_field.empty())
        throw InputError(ErrorContext{mname, {}, {}, {}, "layers.units.id"},
                         "the units layer has no id attribute to join the roster's counts by: name one (layers.units.id)");
    CPLJSONDocument doc;
    if (!doc.Load(mname)) throw InputError(ErrorContext{mname}, "not valid JSON (" + one_line(CPLGetLastErrorMsg()) + ")");
    CPLJSONObject root = doc.GetRoot();
    CPLJSONObject units = root.GetObj("layers/units");
    if (!units.IsValid()) throw InputError(ErrorContext{mname, {}, {}, {}, "layers.units"}, "the manifest has no units layer");
    const std::string table = "roster_counts.csv";
    const CPLJSONObject old_join = units.GetObj("join");
    if (old_join.IsValid() && old_join.GetString("table") != table)
        throw InputError(ErrorContext{mname, {}, {}, {}, "layers.units.join"},
                         "the units layer already joins " + old_join.GetString("table") +
                             ": put the roster's counts in a project without a join");

    // The table: id + counts, typed by a .csvt so that "001" stays text and counts are integers.
    std::ostringstream csv, csvt;
    csv << quoted(l->id_field);
    csvt << "\"String\"";
    std::vector<int> cols;
    for (const auto& g : project.groups) {
        csv << "," << quoted(g.column);
        csvt << ",\"Integer\"";
        cols.push_back(l->table.field_index(g.column));
        if (cols.back() < 0) throw InputError(ErrorContext{l->path(), {}, {}, {}, g.column}, "count column missing: run apply_roster first");
    }
    csv << "\n";
    csvt << "\n";
    for (std::size_t i = 0; i < l->size(); ++i) {
        csv << quoted(l->ids[i]);
        for (const int j : cols) csv << "," << value_to_string(l->table.rows[i][static_cast<std::size_t>(j)]);
        csv << "\n";
    }

    CPLJSONObject join;
    join.Add("table", table);
    join.Add("key", l->id_field);
    join.Add("table_key", l->id_field);
    units.Delete("join");
    units.Add("join", join);
    CPLJSONArray groups;
    for (const auto& g : project.groups) {
        CPLJSONObject o;
        o.Add("column", g.column);
        o.Add("zh", g.name_zh);
        o.Add("en", g.name_en);
        o.Add("color", g.color);
        groups.Add(o);
    }
    root.Delete("groups");
    root.Add("groups", groups);
    CPLJSONArray roles;
    roles.Add("units");
    root.Delete("count_roles");
    root.Add("count_roles", roles);

    CPLJSONObject r;
    r.Add("file", fs::path(roster_file).filename().string());
    r.Add("layout", roster_layout_name(m.layout));
    r.Add("unit_column", m.unit_column);
    if (m.layout != RosterLayout::GroupColumns) r.Add("ethnicity_column", m.ethnicity_column);
    if (m.layout == RosterLayout::HouseholdRows) r.Add("size_column", m.size_column);
    if (m.layout == RosterLayout::GroupColumns) {
        CPLJSONObject gc;
        for (const auto& g : m.group_columns) gc.Add(g.column, roster_count_column(g.group));
        r.Add("group_columns", gc);
    }
    r.Add("rows", static_cast<GInt64>(c.rows));
    r.Add("units", static_cast<GInt64>(c.units.size()));
    r.Add("rows_not_counted", static_cast<GInt64>(c.issues.size()));
    r.Add("table", table);
    root.Delete("roster");
    root.Add("roster", r);

    AtomicFileGroup files;
    files.add((fs::path(dir) / table).string()).write(csv.str());
    files.add((fs::path(dir) / "roster_counts.csvt").string()).write(csvt.str());
    files.add(mname).write(root.Format(CPLJSONObject::PrettyFormat::Pretty) + "\n");
    files.commit();
}

}  // namespace hq
