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
#include "geo/project/community_edit.hpp"
#include "geo/project/new_project.hpp"
#include "geo/project/roster.hpp"
#include "geo/project/unit_edit.hpp"

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
/// geo's create_project_folder (geo/project/new_project.hpp) writes it.
struct NewProjectWizard {
    WizardStep step = WizardStep::Name;
    std::string folder, name_zh, name_en;
    double lon = NAN, lat = NAN;   ///< the community's centre (WGS 84)
    std::string crs_text;          ///< "EPSG:4544" (suggested, or typed)
    BoundarySource boundary_source = BoundarySource::Draw;
    std::string boundary_file;
    double draw_half_size_m = 250;  ///< the provisional square's half side
    std::string basemap;            ///< optional GeoTIFF

    /// Why this step cannot go on (nullopt: Next is allowed). Checks files exist, the CRS parses,
    /// is projected in metres and fits the centre (scale error ≤ 0.1 %), the folder is new or empty.
    [[nodiscard]] std::optional<Problem> problem() const;
    /// Next step when the current one has no problem; false otherwise (and at Review).
    bool next();
    bool back();
    /// What create_project_folder gets (the provisional square in WGS 84 when drawn).
    [[nodiscard]] NewProjectSpec spec() const;
};

// [SECTION] Digitising -------------------------------------------------------------------------

enum class DigitiseTarget : std::uint8_t { Units, Boundary };
enum class DigitiseTool : std::uint8_t { Select, Polygon };

/// A count typed or pasted: a whole number 0…10⁹ (surrounding spaces ignored; blank refused).
std::optional<std::int64_t> parse_count_cell(const std::string& text);

/// The digitising tools and the attribute table on a copy of the open project: units (and the
/// boundary) drawn and edited with geo/project/edit.hpp's polygon drawing, snapping and vertex
/// edits, every change a command of geo/project/unit_edit.hpp or community_edit.hpp on its
/// own undo stack.
class CommunityEditor {
public:
    CommunityEditor() = default;
    CommunityEditor(const CommunityEditor&) = delete;
    CommunityEditor& operator=(const CommunityEditor&) = delete;

    /// Starts editing `project`, saved to `folder`.
    void reset(std::string folder, Project project);
    [[nodiscard]] bool active() const { return !m_folder.empty(); }
    [[nodiscard]] const std::string& folder() const { return m_folder; }
    [[nodiscard]] const Project& project() const { return m_project; }
    [[nodiscard]] const Layer* layer(DigitiseTarget t) const {
        return m_project.layer(t == DigitiseTarget::Units ? Role::Units : Role::Boundary);
    }
    [[nodiscard]] const Layer* units() const { return layer(DigitiseTarget::Units); }
    [[nodiscard]] const UndoStack& undo_stack() const { return m_undo; }
    [[nodiscard]] std::uint64_t revision() const { return m_undo.revision() + m_resets * 1000003ULL; }

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
    [[nodiscard]] int selected() const { return m_selected; }  ///< feature index in the target layer, −1 none
    void select(int feature) { m_selected = feature; }
    /// The feature of the target layer containing w (the last drawn wins), −1 if none.
    [[nodiscard]] int feature_at(Vec2 w) const;

    // Edits: each is one undo step; a refusal leaves everything unchanged and sets error().
    /// Adds a unit with the next id "U-n" (validated: polygonal, GEOS-valid).
    bool add_unit(Geometry g);
    bool delete_selected();
    /// Replaces the boundary (validated like a unit).
    bool set_boundary(Geometry g);
    /// A cell of the units table: field −1 (the id) renames the unit (unique, non-empty, ≤ 64
    /// bytes), a group column takes a whole number 0…10⁹, others parse_cell's rules.
    bool set_cell(std::size_t row, int field, const std::string& text);
    /// Pastes a spreadsheet block (TSV) at table row `row`, field `field` ≥ 0 (unit_edit's
    /// paste_cells: all cells checked first). `shown` is the table's order on screen: a sorted
    /// or filtered view is refused (the block would land on other rows than the user sees).
    bool paste(const std::vector<std::size_t>& shown, std::size_t row, int field, const std::string& tsv);
    /// A group count column (named after an ethnic group when the name is one: pop_zang, 藏族).
    bool add_column(const std::string& name);
    /// The roster's counts on the units (apply_roster), one step.
    bool apply_roster(const RosterCounts& counts);
    bool undo();
    bool redo();
    [[nodiscard]] const std::optional<Problem>& error() const { return m_error; }
    std::optional<Problem> take_error() { auto e = m_error; m_error.reset(); return e; }
    [[nodiscard]] bool modified() const { return m_undo.modified(); }
    void mark_saved() { m_undo.mark_saved(); }

private:
    Vec2 snapped(Vec2 w, double mpp);
    bool refuse(S what, std::string detail = {});
    bool push(std::unique_ptr<Command> c);
    std::optional<Problem> check_polygon(const Geometry& g) const;
    [[nodiscard]] Role target_role() const { return target == DigitiseTarget::Units ? Role::Units : Role::Boundary; }
    void rebuild_snapper();

    std::string m_folder;
    Project m_project;
    UndoStack m_undo;
    std::uint64_t m_resets = 0;
    DigitiseTool m_tool = DigitiseTool::Select;
    edit::PolygonDrawing m_polygon;
    edit::Snapper m_snapper;
    std::uint64_t m_snapper_rev = ~0ULL;
    Vec2 m_cursor;
    std::optional<edit::SnapResult> m_snap_hint;
    int m_selected = -1;
    // A vertex drag on the selected feature: one undo step on release.
    bool m_dragging = false;
    edit::VertexRef m_drag_vertex;
    Geometry m_drag_geometry;
    std::optional<Problem> m_error;
};

// [SECTION] Attribute table --------------------------------------------------------------------

/// Sort keys of table_rows besides a field index.
inline constexpr int kSortNone = -2, kSortId = -1;

/// The rows shown (feature indices): those whose id or a cell contains `filter` (substring;
/// "" = all), sorted by field `sort_field` (numbers as numbers, text as text, nulls first;
/// ties by index), by id (kSortId) or not (kSortNone: table order), ascending or not.
std::vector<std::size_t> table_rows(const Layer& layer, int sort_field, bool ascending, const std::string& filter);

/// The fields the attribute table shows after the id column (all but the id attribute).
std::vector<std::size_t> table_fields(const Layer& layer);

// [SECTION] Roster import -----------------------------------------------------------------------

/// The roster import dialog's model over geo/project/roster.hpp: the table, the guessed mapping
/// the user may change column by column, and the counts (or why there are none).
struct RosterMappingUi {
    Table table;
    RosterMapping mapping;
    std::optional<RosterCounts> counts;
    std::string error;  ///< aggregate_roster's or set_roster_column's refusal

    void guess();
    /// What `column` is used for now (and its group for RosterField::Group).
    [[nodiscard]] RosterField field_of(const std::string& column, std::size_t* group = nullptr) const;
    /// The user's change; recomputes the counts.
    void set(const std::string& column, RosterField field, std::optional<std::size_t> group = std::nullopt);
    void recompute();
    /// Roster units the project's units layer does not have.
    [[nodiscard]] std::vector<std::string> units_not_on_map(const Project& project) const;
};

// [SECTION] UI state ------------------------------------------------------------------------------

/// The community panels' UI-only values (part of UiState; panel_community.cpp).
struct CommunityUi {
    using Buf = std::array<char, 1024>;
    bool wizard_popup = false;       ///< open File > New project once
    NewProjectWizard wizard;
    Buf folder{}, name_zh{}, name_en{}, crs{}, boundary_file{}, basemap{};
    bool show = false;               ///< the Digitise tab (tools + attribute table)
    int sort_col = kSortNone;        ///< a field of the units table, kSortId or kSortNone
    bool ascending = true;
    std::array<char, 256> filter{}, cell{}, column{};
    int cell_row = -1;               ///< selected cell: feature index and field of the units table (−1 id)
    int cell_col = -2;               ///< −2 none
    bool roster_popup = false;
    Buf roster_path{};
    RosterMappingUi roster;
    bool roster_loaded = false;
    std::string message;             ///< the last save or error, shown in the tab
    bool owns_mouse = false;         ///< a press on the map taken by the digitising tools
    Buf gpkg_path{};
};

}  // namespace hq::view
