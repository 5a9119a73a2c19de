#pragma once
// A community committee's roster (花名册, an XLSX or CSV with Chinese headers) as counts per
// unit: the column mapping (which column is the unit, which the ethnicity, the household
// size, or one count column per group), the aggregation to counts per unit, and putting the
// counts on a project's units layer. GL-free: `huqian project import-roster` (app/cli) and
// the viewer's roster import (app/view) both call these, in this order:
//
//     Table t = read_table(path);                       // geo/io/reader.hpp
//     RosterMapping m = guess_roster_mapping(t);        // shown to the user, editable
//     set_roster_column(m, t, "户主民族", RosterField::Ethnicity);   // the user's corrections
//     RosterCounts c = aggregate_roster(t, m);          // c.issues: one line each, never dropped
//     RosterApplied a = apply_roster(project, c);       // count columns + groups on the project
//     save_roster_to_folder(dir, project, m, c, "roster.xlsx");   // a folder project on disk
//
// Group names (column headers or cell values) are the 56 groups of GB/T 3304-1991
// (geo/project/ethnic_groups.hpp) in Chinese ("彝族", short "彝"), the standard's
// romanisation ("Yi"), English ("Tibetan") or the two-letter code ("ZA").
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "geo/io/layer.hpp"
#include "geo/project/project.hpp"
#include "geo/project/undo.hpp"

namespace hq {

// [SECTION] The column mapping ----------------------------------------------------------------

/// How a roster is laid out.
enum class RosterLayout : std::uint8_t {
    PersonRows,     ///< one row per person: unit column + ethnicity column
    HouseholdRows,  ///< one row per household: unit, ethnicity and a household-size column
    GroupColumns,   ///< one row per unit with one count column per group ("汉族", "彝族人数")
};
const char* roster_layout_name(RosterLayout l);  ///< "person_rows", "household_rows", "group_columns"

/// What a column is used for (the --map FIELD words: unit, ethnicity, size, ignore, or a
/// group's name for a count column).
enum class RosterField : std::uint8_t { Unit, Ethnicity, Size, Group, Ignore };

struct RosterGroupColumn {
    std::string column;     ///< the header as in the file
    std::size_t group = 0;  ///< index in ethnic_groups()
    friend bool operator==(const RosterGroupColumn&, const RosterGroupColumn&) = default;
};

/// Which column is what (by header, as in the file). The layout follows from the columns:
/// group columns → GroupColumns; else a size column → HouseholdRows; else PersonRows.
struct RosterMapping {
    RosterLayout layout = RosterLayout::PersonRows;
    std::string unit_column;       ///< "" = not found (aggregate_roster refuses)
    std::string ethnicity_column;  ///< rows layouts
    std::string size_column;       ///< HouseholdRows: persons in the household
    std::vector<RosterGroupColumn> group_columns;  ///< GroupColumns, in file order
    /// One line each (English; the CLI prints them): why a column was chosen, and headers
    /// that looked like a group but were not used (a group named by two headers).
    std::vector<std::string> notes;

    /// The mapping as text, one line per used column, "unit: 院落编号" ... (for --dry-run and
    /// the viewer's mapping step; headers through printable()).
    [[nodiscard]] std::string describe() const;
    friend bool operator==(const RosterMapping&, const RosterMapping&) = default;
};

/// Guesses the mapping from the headers and the cells: the unit column by its header (院落,
/// 院号, 楼栋, 单元, 网格, 户号, courtyard, unit, building, household, id, 编号 ... in that
/// order of preference), the ethnicity column by its header (民族, 族别, ethnicity,
/// nationality, minzu) or else as the text column whose cells are mostly group names, a size
/// column by its header (人数, 家庭人数, 户人数, size, persons, members) when it holds whole
/// numbers, and count columns by headers that name a group (recognise_group_columns).
/// Never throws; what it could not find stays empty (see RosterMapping::notes).
RosterMapping guess_roster_mapping(const Table& table);

/// Sets what `column` is used for (the user's correction; `--map COLUMN=FIELD`), undoing what
/// it was used for before; `group` (index in ethnic_groups()) for RosterField::Group. The
/// layout is recomputed. Throws InputError naming the table and column when the table has
/// no such column, or for Group without a group.
void set_roster_column(RosterMapping& mapping, const Table& table, const std::string& column, RosterField field,
                       std::optional<std::size_t> group = std::nullopt);

/// Parses a `--map` value "COLUMN=FIELD" (FIELD: unit, ethnicity, size, ignore, or a group
/// name as match_ethnic_group reads it: "彝族", "Yi", "ZA") and applies it. The split is at the
/// last '=' (a header may hold '='). Throws InputError naming the value.
void apply_roster_map_option(RosterMapping& mapping, const Table& table, const std::string& option);

/// A spreadsheet cell's text without the spaces around it: ASCII white space and the
/// ideographic space U+3000 a Chinese spreadsheet pads with (the roster and the attribute table).
std::string trim_cell(const std::string& s);

// [SECTION] Aggregation -----------------------------------------------------------------------

/// A row of the roster that was not counted, or a cell read with a default: one line each,
/// "roster.xlsx: row 7, column 民族: unknown group name "穿青人"" (row = the spreadsheet row:
/// 1 is the header, data from 2).
struct RosterIssue {
    enum class Kind : std::uint8_t {
        UnknownGroup,   ///< an ethnicity cell that names none of the 56 groups (row not counted)
        EmptyCell,      ///< an empty unit, ethnicity or size cell (row not counted)
        BadNumber,      ///< a size or count cell that is not a whole number in [0, 1e6] (row not counted)
        DuplicateUnit,  ///< GroupColumns: a unit listed again (the later row not counted)
    };
    Kind kind = Kind::UnknownGroup;
    std::string file;
    std::size_t row = 0;  ///< spreadsheet row number (header = 1)
    std::string column;
    std::string value;
    std::int64_t persons = 0;  ///< persons of the row left out (1 for a person row; the size; the row's total)
    /// "FILE: row N, column C: MESSAGE "VALUE"" (through printable()).
    [[nodiscard]] std::string line() const;
};

/// Counts per unit and group.
struct RosterCounts {
    std::string file;                 ///< the table's path
    std::vector<std::string> units;   ///< unit ids in order of first appearance
    std::vector<std::size_t> groups;  ///< groups present (indices in ethnic_groups()), in the standard's order
    std::vector<std::vector<std::int64_t>> counts;  ///< counts[unit][k], k over `groups`
    std::size_t rows = 0;             ///< data rows read
    std::int64_t persons = 0;         ///< persons counted
    std::int64_t persons_left_out = 0;  ///< persons of rows with an issue (sum of issue.persons)
    std::size_t empty_counts_read_as_zero = 0;  ///< GroupColumns: empty count cells taken as 0
    std::vector<RosterIssue> issues;

    /// Count of `unit` in group `group` (index in ethnic_groups()); 0 when absent.
    [[nodiscard]] std::int64_t count(const std::string& unit, std::size_t group) const;
};

/// Aggregates the table to counts per unit. Person rows count 1 each, household rows their
/// size, group columns their cells (an empty cell is 0 and counted in empty_counts_read_as_zero;
/// a unit listed twice is an issue). Unit ids are the cell text trimmed (an integer cell 12 is
/// "12"). Every row not counted is an issue. Throws InputError naming the table when the
/// mapping lacks the unit column, the ethnicity column (rows layouts) or any group column
/// (GroupColumns), or names a column the table does not have.
RosterCounts aggregate_roster(const Table& table, const RosterMapping& mapping);

// [SECTION] Onto a project ----------------------------------------------------------------------

/// The count column a group gets: "pop_" + its romanisation in lower case ("pop_han", "pop_yi").
std::string roster_count_column(std::size_t group);

struct RosterApplied {
    std::vector<std::string> units_without_rows;  ///< units of the layer the roster does not list (counts 0)
    std::vector<std::string> rows_without_unit;   ///< roster units the layer does not have (not counted)
    std::int64_t persons_without_unit = 0;        ///< persons of those
};

/// Puts the counts on the project's units layer (Role::Units, or the one layer of a single
/// file; InputError when it has none):
/// one Integer column per group (roster_count_column; an existing column of that name is
/// overwritten), matched by feature id; units the roster does not list get 0. The project's
/// groups become the roster's (names zh/en from GB/T 3304, colours from the default palette),
/// and count_roles that layer's role. Then check_project runs. Returns what did not match.
RosterApplied apply_roster(Project& project, const RosterCounts& counts);

/// apply_roster as one undoable step (the viewer's roster import, pushed on its UndoStack):
/// revert restores the units layer's columns and cells, the groups and count_roles as they
/// were. apply() throws what apply_roster throws (and changes nothing then).
std::unique_ptr<Command> import_roster_command(Project& project, RosterCounts counts);

/// A folder project on disk after apply_roster: writes `roster_counts.csv` (the units layer's
/// id column and the count columns, one row per unit) and rewrites project.json (atomic
/// writer, both) with layers.units.join naming that table, the groups, and a "roster" object
/// recording the source file, the mapping and the totals. Other manifest keys are kept.
/// Throws InputError naming the file when the folder has no project.json, the units layer
/// has no id attribute (the join needs one: layers.units.id), or the units layer already
/// joins another table.
void save_roster_to_folder(const std::string& dir, const Project& project, const RosterMapping& mapping,
                           const RosterCounts& counts, const std::string& roster_file);

}  // namespace hq
