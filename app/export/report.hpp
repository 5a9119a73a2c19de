#pragma once
// The meeting pack: `huqian report PROJECT -o DIR` writes DIR/report.pdf (text pages and
// the key maps) and DIR/report.md with the maps as PNG files beside it. See docs/export.md.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "app/carto/scene.hpp"
#include "app/export/layout.hpp"
#include "geo/analysis/planning.hpp"
#include "geo/analysis/segregation.hpp"

namespace hq::exporter {

struct ReportOptions {
    carto::Lang lang = carto::Lang::Zh;
    int privacy_k = 5;
    bool privacy_guard = true;
    double dpi = 150;  ///< of the PNG maps beside report.md
    Template tmpl = Template::A4Landscape;
    int permutations = 999;
    std::uint64_t seed = 12345;
    std::string weights = "queen";  ///< LISA map and Moran's I (the WeightsSpec grammar)
    double alpha = 0.05;            ///< LISA map
    std::string adjust = "fdr";     ///< LISA map
    /// Zones whose evaluations the pack holds: these when `zones_given` (a .gpkg project's
    /// planning document), else the project's zones layer (none without one).
    std::vector<plan::Zone> zones;
    bool zones_given = false;
    double zone_radius = 300;  ///< walking radius of the zones' catchments (m)
    /// The focus group (column, zh or en name, as --group everywhere); "" = choose_focus_group.
    std::string group;
};

/// One row of the global-index table.
struct IndexRow {
    std::string id;       ///< "dissim", "moran_i", "multi_dissim", ...
    std::string symbol;   ///< "D", "I", ...
    double value = 0;
    double p_value = -1;  ///< < 0: no p-value
    std::string reading;  ///< plain-language explanation in the report's language(s)
    /// How disclosure control shaped the value (docs/privacy.md, "Indices from the published
    /// table"): "≈" when estimated from the published table, "—" with the reason as the
    /// reading when withheld. Exact by default (Moran's I: its own published-only rule).
    analysis::IndexDisclosure disclosure;
};

/// The global-index table as report.md and report.pdf print it: the header, one row per
/// index {symbol, value (analysis::index_value_text: "≈0.477", "—"), p-value, reading} and
/// the suite's notes (each in the report's language(s)) printed below it.
struct IndexTable {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> notes;
};
IndexTable index_table(const std::vector<IndexRow>& rows, const std::vector<analysis::Note>& notes, carto::Lang lang);

struct ReportSummary {
    std::string focus_group;       ///< column of the group the heatmap and LISA show ("" if none)
    std::string focus_reason;      ///< why it was chosen (in the report's language)
    std::vector<IndexRow> indices;
    std::vector<std::string> files;  ///< written, absolute or as given under DIR
    std::vector<std::string> zones;  ///< ids of the zones evaluated
};

/// The group with the highest dissimilarity index among groups other than the largest with
/// at least max(k, 1 % of all residents); else the largest minority; "" with one group.
/// Under the guard (`privacy_guard`) each D is the suite's: estimated from the published table
/// ("≈" in `reason`) or withheld (not a candidate).
std::string choose_focus_group(const Project& project, int privacy_k, std::string* reason = nullptr,
                               carto::Lang lang = carto::Lang::En, bool privacy_guard = true);

/// The pack's focus group: o.group when given (InputError for an unknown name), else
/// choose_focus_group(); `reason` says why in `lang`.
std::string focus_group(const Project& project, const ReportOptions& o, std::string* reason = nullptr,
                        carto::Lang lang = carto::Lang::En);

/// The focus group's LISA as the report shows it: the LISA map's request
/// (carto::lisa_request) with the global Moran too, so that the map and the Moran row share
/// one result.
analysis::AutocorrRequest focus_lisa_request(const std::string& focus_column, const ReportOptions& o);

/// Global indices of the focus group and the multigroup ones, each with its reading. The
/// Moran row reads `focus_lisa` (a result of focus_lisa_request) when given, else computes it.
/// `notes`, when given, receives the segregation suite's notes (the pack prints them).
std::vector<IndexRow> global_index_rows(const Project& project, const std::string& focus_group, const ReportOptions& o,
                                        const Progress& progress = {},
                                        const analysis::AutocorrResult* focus_lisa = nullptr,
                                        std::vector<analysis::Note>* notes = nullptr);

/// The rows of one segregation result as the report reads them: the single-group indices of
/// `focus` (nullptr: none) and the multigroup ones, each value with its disclosure and a
/// reading (a withheld value's reading is its reason). `share` is the focus group's share of
/// the community (the isolation reading's comparison).
std::vector<IndexRow> suite_single_rows(const Project& project, const GroupDef& focus, double share,
                                        const analysis::SegregationResult& suite, carto::Lang lang);
std::vector<IndexRow> suite_multigroup_rows(const Project& project, const analysis::SegregationResult& suite,
                                            carto::Lang lang);

/// The file that marks a folder as a report pack (a later report may replace it whole).
inline constexpr const char* kReportMarker = ".huqian-report";

/// Writes the pack as a whole (hq::AtomicFolder): into a private folder beside `dir`, renamed
/// to `dir` at the end. An existing `dir` is replaced only when it is empty or a previous pack
/// (it holds kReportMarker); any other folder is refused. Throws InputError on bad input or an
/// unwritable folder, leaving the old pack (or none) and no temporaries.
ReportSummary write_report(std::shared_ptr<const Project> project, const std::string& dir, const ReportOptions& o,
                           const Progress& progress = {});

}  // namespace hq::exporter
