#pragma once
// Disclosure control (docs/privacy.md): the one path by which a count reaches a person.
//
//   DisclosurePolicy  k (default 5), guard on/off, the stated rule (zh/en) and the stamp
//   Table             counts rows × cols with their margins (row, column and grand totals)
//   protect()         primary suppression (counts 0..k−1) and complementary suppression
//                     (each small cell inside a 2×2 "hypercube" of withheld cells wide
//                     enough that it can be any of 0..k−1), → ProtectedTable
//   count_text() ...  the only functions that turn a count or a value derived from one
//                     (share, percentage, "N of M") into text or into a JSON number
//
// Nothing here draws or prints; the CLI, carto, export and the viewer call it.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hq::privacy {

struct DisclosurePolicy {
    int k = 5;           ///< counts 0..k−1 are small (suppressed when the guard is on)
    bool guard = true;   ///< false: --no-privacy-guard (the data owner); every output is stamped

    /// A count that primary suppression hides: 0..k−1 (zeros too, docs/privacy.md says why).
    [[nodiscard]] bool small(double v) const { return guard && v < k; }
    /// "<5": how a suppressed small count prints.
    [[nodiscard]] std::string small_symbol() const;
    /// The rule as stated on every output (or the "guard off" line).
    [[nodiscard]] std::string note_zh() const;
    [[nodiscard]] std::string note_en() const;
    /// "" with the guard on; the stamp of every page and file written with it off.
    [[nodiscard]] std::string stamp() const;
    /// Throws InputError unless k ≥ 1.
    void check() const;
    friend bool operator==(const DisclosurePolicy&, const DisclosurePolicy&) = default;
};

/// How a withheld count of any size prints: a withheld total, a complementary suppression,
/// or a small count whose "<k" the published totals would narrow (docs/privacy.md).
inline constexpr const char* kSecondarySymbol = "x";

enum class Suppression : std::uint8_t {
    None,       ///< published
    Primary,    ///< a small count (0..k−1)
    Secondary,  ///< "x": hidden so that no small count can be worked out from totals (any size)
};

struct Cell {
    double value = 0;
    Suppression state = Suppression::None;
    bool total = false;  ///< a row, column or grand total (a withheld total prints "x" even when small)
    [[nodiscard]] bool suppressed() const { return state != Suppression::None; }
};

/// A table of counts: rows × cols interior cells plus row totals, column totals and the
/// grand total (always the sums of the interior). A cell may be pinned: `lock` = published
/// elsewhere in the same output (never suppressed here), `force` = suppressed elsewhere
/// (suppressed here too), so tables that share totals agree.
class Table {
public:
    Table(std::size_t rows, std::size_t cols);
    [[nodiscard]] std::size_t rows() const { return m_rows; }
    [[nodiscard]] std::size_t cols() const { return m_cols; }
    void set(std::size_t r, std::size_t c, double v) { m_values[r * m_cols + c] = v; }
    [[nodiscard]] double get(std::size_t r, std::size_t c) const { return m_values[r * m_cols + c]; }

    /// Extended indices: r == rows() is the column-totals row, c == cols() the row-totals
    /// column (so (rows(), cols()) is the grand total).
    void lock(std::size_t r, std::size_t c) { m_pins.push_back({r, c, Suppression::None}); }
    void force(std::size_t r, std::size_t c, Suppression s) { m_pins.push_back({r, c, s}); }
    /// Withholds (r, c) ("x") and protects it like a small count but both ways: a reader
    /// must be able to move it by k−1 up and down (down to 0 when smaller) without breaking
    /// a published sum. For a value that another output's total would difference against
    /// (a group's reach in overlapping catchments, docs/privacy.md).
    void sensitive(std::size_t r, std::size_t c) {
        m_pins.push_back({r, c, Suppression::Secondary});
        m_sensitive.push_back({r, c, Suppression::Secondary});
    }

    struct Pin {
        std::size_t r, c;
        Suppression state;  ///< None = locked published
    };
    [[nodiscard]] const std::vector<Pin>& pins() const { return m_pins; }
    [[nodiscard]] const std::vector<Pin>& sensitive_cells() const { return m_sensitive; }
    [[nodiscard]] const std::vector<double>& values() const { return m_values; }

private:
    std::size_t m_rows, m_cols;
    std::vector<double> m_values;  ///< row-major interior
    std::vector<Pin> m_pins;
    std::vector<Pin> m_sensitive;
};

/// The table as it may be published: every cell of the extended grid with its state.
class ProtectedTable {
public:
    ProtectedTable() = default;
    ProtectedTable(std::size_t rows, std::size_t cols, std::vector<Cell> cells, DisclosurePolicy policy)
        : m_rows(rows), m_cols(cols), m_cells(std::move(cells)), m_policy(policy) {}
    [[nodiscard]] std::size_t rows() const { return m_rows; }
    [[nodiscard]] std::size_t cols() const { return m_cols; }
    [[nodiscard]] const Cell& cell(std::size_t r, std::size_t c) const { return m_cells[r * (m_cols + 1) + c]; }
    [[nodiscard]] const Cell& row_total(std::size_t r) const { return cell(r, m_cols); }
    [[nodiscard]] const Cell& col_total(std::size_t c) const { return cell(m_rows, c); }
    [[nodiscard]] const Cell& grand_total() const { return cell(m_rows, m_cols); }
    [[nodiscard]] const DisclosurePolicy& policy() const { return m_policy; }
    [[nodiscard]] std::size_t suppressed(Suppression s) const;  ///< how many cells have state s

private:
    std::size_t m_rows = 0, m_cols = 0;
    std::vector<Cell> m_cells;  ///< (rows+1) × (cols+1), row-major
    DisclosurePolicy m_policy;
};

/// Primary then complementary suppression (docs/privacy.md). With the guard off every
/// cell is published. Deterministic.
ProtectedTable protect(const Table& table, const DisclosurePolicy& policy);

/// A cell that is not part of a table (a lone count): primary suppression only. Use it
/// only for a count no published total contains.
Cell lone_cell(double value, const DisclosurePolicy& policy);

/// A sum of cells (a selection of units): suppressed (secondary) when any part is, unless
/// the sum itself is small (primary). Published sums of published parts reveal nothing new.
Cell sum_of(const std::vector<const Cell*>& parts, const DisclosurePolicy& policy);

// [SECTION] Formatting: the only way a count becomes text -------------------------------

/// "<5" (a small count in a table body), "x" (any other withheld count), else the value
/// with `decimals` decimals; "—" for NaN.
std::string count_text(const Cell& c, const DisclosurePolicy& policy, int decimals = 0);
/// A share part/whole: nullopt when either is suppressed, whole ≤ 0 or not finite.
std::optional<double> share(const Cell& part, const Cell& whole);
/// The share as a percentage ("37.5%" with decimals 1; suffix " %" for English text);
/// "—" when share() is nullopt.
std::string percent_text(const Cell& part, const Cell& whole, int decimals = 0, const char* suffix = "%");
/// The value for JSON: nullopt (null, with "suppressed": true beside it) when suppressed.
std::optional<double> json_value(const Cell& c);
/// A value derived from counts (an index, a rate) for text: "—" when `hidden`.
std::string derived_text(double v, bool hidden, int decimals);

}  // namespace hq::privacy
