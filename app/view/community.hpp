#pragma once
// A community from nothing, without GL (issue 16 §4, viewer side): the new-project wizard as a
// state machine, the digitising editor (units and the boundary drawn over a basemap with the
// zone tools' polygon drawing, snapping and vertex edits from geo/project/edit.hpp, every edit
// one step of an undo stack), the attribute table (sort, filter, cell edits with validation,
// spreadsheet paste) and the roster import's column mapping. panel_community.cpp draws them;
// tests/view/test_view_community.cpp drives them directly.
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/view/strings.hpp"
#include "geo/io/layer.hpp"
#include "geo/project/edit.hpp"
#include "geo/project/project.hpp"
#include "geo/project/undo.hpp"
#include "geo/project/unit_table.hpp"

namespace hq::view {

/// A refusal shown to the user: a string key (zh/en) and a detail (a value, an id, GEOS's reason).
struct Problem {
    S what = S::Count_;
    std::string detail;
    [[nodiscard]] std::string text(UiLang lang) const;
};

// [SECTION] New-project wizard ----------------------------------------------------------------

enum class WizardStep : std::uint8_t { Name, Crs, Boundary, Basemap, Review };
enum class BoundarySource : std::uint8_t { Draw, File };

/// The CRS suggested for a community at lon/lat: the CGCS2000 3° Gauss–Krüger zone's
/// "EPSG:45xx" (EPSG:4544 at Chengdu), else the WGS 84 UTM zone; "" for a non-finite lon.
std::string suggest_crs(double lon, double lat);

/// File → New project: name and folder, CRS (the CGCS2000 3° Gauss–Krüger zone suggested for
/// the community's longitude), boundary (from a file, or drawn on the map after the project
/// opens: a provisional square around the centre until then), optional basemap GeoTIFF.
struct NewProjectWizard {
    WizardStep step = WizardStep::Name;
    std::string folder, name_zh, name_en;
    double lon = NAN, lat = NAN;   ///< the community's centre (WGS 84)
    std::string crs_text;          ///< "EPSG:4544" (suggested, or typed)
    BoundarySource boundary_source = BoundarySource::Draw;
    std::string boundary_file;
    double draw_half_size_m = 250;  ///< the provisional square's half side
    std::string basemap;            ///< optional GeoTIFF

    /// Why this step cannot go on (nullopt: Next is allowed). Checks files exist, the CRS parses
    /// and is projected in metres, the centre is in range, the folder is new or empty.
    [[nodiscard]] std::optional<Problem> problem() const;
    /// Next step when the current one has no problem; false otherwise (and at Review).
    bool next();
    bool back();
    /// The project the wizard describes (Review): the boundary read from the file (its first
    /// polygonal feature, transformed to the CRS) or the provisional square. Throws InputError.
    [[nodiscard]] CommunitySpec spec() const;
};

// [SECTION] Digitising -------------------------------------------------------------------------

enum class DigitiseTarget : std::uint8_t { Units, Boundary };
enum class DigitiseTool : std::uint8_t { Select, Polygon };

/// One parsed cell of a spreadsheet paste (TSV: tabs between cells, newlines between rows).
/// At most 10 000 rows × 200 cells; CR before LF is dropped.
std::vector<std::vector<std::string>> parse_tsv(const std::string& text);

/// A count typed or pasted: a whole number 0…10⁹ (blank = 0, surrounding spaces ignored).
std::optional<std::int64_t> parse_count_cell(const std::string& text);

class CommunityEditor {
public:
    CommunityEditor() = default;
    CommunityEditor(const CommunityEditor&) = delete;
    CommunityEditor& operator=(const CommunityEditor&) = delete;

    /// Starts editing: the project's units (with `spec.groups`' columns) and boundary.
    void reset(std::string folder, CommunitySpec spec, UnitTable units);
    [[nodiscard]] bool active() const { return !m_folder.empty(); }
    [[nodiscard]] const std::string& folder() const { return m_folder; }
    [[nodiscard]] const CommunitySpec& spec() const { return m_spec; }
    [[nodiscard]] const UnitTable& units() const { return m_units; }
    [[nodiscard]] const UnitTable& boundary() const { return m_boundary; }
    [[nodiscard]] const UndoStack& undo_stack() const { return m_undo; }
    [[nodiscard]] std::uint64_t revision() const { return m_undo.revision() + m_resets * 1000003ULL; }
    /// The spec with the boundary as edited and a group for every count column.
    [[nodiscard]] CommunitySpec current_spec() const;

    // Tools (map coordinates in the metric CRS; mpp = metres per pixel, tolerances in pixels).
    DigitiseTarget target = DigitiseTarget::Units;
    [[nodiscard]] DigitiseTool tool() const { return m_tool; }
    void set_tool(DigitiseTool t);
    bool snap = true;
    double snap_px = 10, hit_px = 7;
    bool press(Vec2 w, double mpp);
    void drag(Vec2 w, double mpp);
    void release(Vec2 w, double mpp);
    void hover(Vec2 w, double mpp);
    bool right_click(Vec2 w, double mpp);
    bool key_enter();
    bool key_backspace();
    bool key_escape();
    bool key_delete();
    [[nodiscard]] const std::vector<Vec2>& drawing() const { return m_polygon.vertices(); }
    [[nodiscard]] Vec2 cursor() const { return m_cursor; }
    [[nodiscard]] const std::optional<edit::SnapResult>& snap_hint() const { return m_snap_hint; }
    [[nodiscard]] int selected() const { return m_selected; }  ///< unit index, -1 none
    void select(int unit) { m_selected = unit; }
    /// The unit containing w (the last drawn wins), -1 if none.
    [[nodiscard]] int unit_at(Vec2 w) const;

    // Edits: each is one undo step; a refusal leaves everything unchanged and sets error().
    /// Adds a unit (validated: polygonal, GEOS-valid; a self-intersection is refused).
    bool add_unit(Geometry g);
    bool delete_selected();
    /// Replaces the boundary (validated like a unit).
    bool set_boundary(Geometry g);
    /// A cell of the attribute table: col −1 is the id (non-empty, ≤ 64 bytes, no control
    /// characters, unique), else a count column (parse_count_cell).
    bool set_cell(std::size_t row, int col, const std::string& text);
    /// Pastes a block at (row, col) of the table as shown by `rows` (table row order): cells
    /// beyond the table are refused; every cell is checked before anything changes.
    bool paste(const std::vector<std::size_t>& rows, std::size_t row, int col, const std::string& tsv);
    /// Sets counts per unit id and column (adding missing columns; `groups` names them): one step.
    bool apply_counts(const std::map<std::string, std::map<std::string, std::int64_t>>& counts,
                      const std::vector<GroupDef>& groups, const std::string& description);
    bool add_column(const std::string& column);
    bool undo();
    bool redo();
    [[nodiscard]] const std::optional<Problem>& error() const { return m_error; }
    std::optional<Problem> take_error() { auto e = m_error; m_error.reset(); return e; }
    [[nodiscard]] bool modified() const { return m_undo.modified(); }
    void mark_saved() { m_undo.mark_saved(); }

private:
    Vec2 snapped(Vec2 w, double mpp);
    bool refuse(S what, std::string detail = {});
    std::optional<Problem> check_polygon(const Geometry& g) const;
    UnitTable& target_table() { return target == DigitiseTarget::Units ? m_units : m_boundary; }
    [[nodiscard]] const UnitTable& target_table() const {
        return target == DigitiseTarget::Units ? m_units : m_boundary;
    }
    void rebuild_snapper();

    std::string m_folder;
    CommunitySpec m_spec;
    UnitTable m_units, m_boundary;
    UndoStack m_undo;
    std::uint64_t m_resets = 0;
    DigitiseTool m_tool = DigitiseTool::Select;
    edit::PolygonDrawing m_polygon;
    edit::Snapper m_snapper;
    std::uint64_t m_snapper_rev = ~0ULL;
    Vec2 m_cursor;
    std::optional<edit::SnapResult> m_snap_hint;
    int m_selected = -1;
    // A vertex drag on the selected unit (target table): one undo step on release.
    bool m_dragging = false;
    edit::VertexRef m_drag_vertex;
    Geometry m_drag_geometry;
    std::optional<Problem> m_error;
};

// [SECTION] Attribute table --------------------------------------------------------------------

/// The rows shown (indices into the table): those whose id or any count contains `filter`
/// (case-sensitive substring; "" = all), sorted by column `sort_col` (−1 id, else a count
/// column; ties by index), ascending or not.
std::vector<std::size_t> table_rows(const UnitTable& t, int sort_col, bool ascending, const std::string& filter);

// [SECTION] Roster import -----------------------------------------------------------------------

/// The roster import dialog's model: a table read from XLSX/CSV, the guessed mapping (which
/// column names the unit, and per column the group it counts, or a column of group names with
/// an optional household-size column), the user's changes, and the counts it gives.
struct RosterMappingUi {
    Table table;
    int unit_column = -1;            ///< the unit id column
    int name_column = -1;            ///< long form: a column of group names (one row per person/household)
    int size_column = -1;            ///< long form: persons per row (blank = 1)
    std::vector<int> column_group;   ///< wide form: per column, ethnic_groups() index or −1

    /// Guesses the mapping from the headers and values (ethnic_groups.hpp).
    void guess();
    struct Result {
        std::map<std::string, std::map<std::string, std::int64_t>> counts;  ///< unit id → column → count
        std::vector<GroupDef> groups;          ///< the columns' names (pop_<roman>, zh, en)
        std::vector<std::string> unknown;      ///< "row 4, 民族: 火星族" (names not recognised)
        std::vector<std::string> problems;     ///< bad counts, rows without a unit id
    };
    [[nodiscard]] Result aggregate() const;
};

/// The count column of an ethnic group ("pop_zang").
std::string group_column(std::size_t ethnic_index);

// [SECTION] UI state ------------------------------------------------------------------------------

/// The community panels' UI-only values (part of UiState; panel_community.cpp).
struct CommunityUi {
    using Buf = std::array<char, 1024>;
    bool wizard_popup = false;       ///< open File > New project once
    NewProjectWizard wizard;
    Buf folder{}, name_zh{}, name_en{}, crs{}, boundary_file{}, basemap{};
    bool show = false;               ///< the Digitise tab (tools + attribute table)
    int sort_col = -1;               ///< −1 id, else a count column
    bool ascending = true;
    std::array<char, 256> filter{}, cell{}, column{};
    int cell_row = -1;               ///< selected cell: row in the shown order, column (−1 id)
    int cell_col = -1;
    bool roster_popup = false;
    Buf roster_path{};
    RosterMappingUi roster;
    bool roster_loaded = false;
    std::string message;             ///< the last save or error, shown in the tab
    bool owns_mouse = false;         ///< a press on the map taken by the digitising tools
    Buf gpkg_path{};
};

}  // namespace hq::view
