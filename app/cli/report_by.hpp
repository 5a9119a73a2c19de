#pragma once
// huqian report SOURCE --by COLUMN -o DIR: a district summary pack (issue 18). The table of
// `indices --by` (district.csv, district.md) and a map of the parts (each part's units
// dissolved into one polygon) coloured by one of its indices, written as one folder through
// hq::AtomicFolder. Kept apart from cmd_report.cpp (the meeting pack).
#include <memory>
#include <string>
#include <vector>

#include "app/cli/common.hpp"

namespace CLI {
class App;
}

namespace hq::cli {

/// The options `report` takes for --by.
struct ReportByArgs {
    std::string by;                   ///< --by COLUMN ("" = the meeting pack)
    std::string map_index;            ///< --map-index ID ("" = multi_info_theory, else the first)

    void add_to(CLI::App* cmd);
};

/// What the meeting pack's options give the district pack.
struct ReportByCommon {
    std::string path, output, lang = "zh", tmpl = "a4-landscape";
    double dpi = 150;
    PrivacyArgs privacy;
    LoadArgs load;
    std::string weights;  ///< "" = as indices --by (no local environments)
    unsigned threads = 0;
};

/// Writes the district pack; returns the files written (as the user will find them).
std::vector<std::string> run_report_by(const ReportByCommon& c, const ReportByArgs& a);

}  // namespace hq::cli
