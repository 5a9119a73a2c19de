#include "geo/project/venues.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

namespace hq {

namespace {

struct KnownKind {
    const char* kind;
    const char* zh;
    const char* en;
};

// The kinds of docs/manifest.md and data/README.md (the names the map legend uses).
constexpr KnownKind kKnown[] = {
    {"party_service_center", "党群服务中心", "Party-masses service centre"},
    {"activity_venue", "活动场所", "Activity venue"},
    {"liaison_office", "驻蓉办事处", "Liaison office"},
    {"work_unit", "单位", "Work unit"},
    {"shop", "商铺", "Shop"},
};

std::string escape_controls(const std::string& s) {
    std::string out;
    for (unsigned char c : s) {
        if (c < 0x20 || c == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

}  // namespace

VenueKinds venue_kinds(const Layer& venues) {
    VenueKinds out;
    int col = venues.table.field_index("category");
    out.field = "category";
    if (col < 0) {
        col = venues.table.field_index("kind");
        out.field = "kind";
    }
    if (col < 0) {
        out.field.clear();
        return out;
    }
    std::map<std::string, std::size_t> counts;
    for (const auto& row : venues.table.rows)
        ++counts[escape_controls(value_to_string(row[static_cast<std::size_t>(col)]))];
    for (const auto& [kind, n] : counts) {
        VenueKindCount k{kind, kind, kind, n};
        for (const auto& known : kKnown)
            if (kind == known.kind) {
                k.name_zh = known.zh;
                k.name_en = known.en;
            }
        out.counts.push_back(std::move(k));
    }
    std::stable_sort(out.counts.begin(), out.counts.end(),
                     [](const VenueKindCount& a, const VenueKindCount& b) { return a.count > b.count; });
    return out;
}

}  // namespace hq
