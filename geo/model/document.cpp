#include "geo/model/document.hpp"

#include <cstdlib>

namespace hq::plan {

const Zone* PlanDocument::find_zone(const std::string& id) const {
    const int i = zone_index(id);
    return i < 0 ? nullptr : &zones[static_cast<std::size_t>(i)];
}

Zone* PlanDocument::find_zone(const std::string& id) {
    const int i = zone_index(id);
    return i < 0 ? nullptr : &zones[static_cast<std::size_t>(i)];
}

int PlanDocument::zone_index(const std::string& id) const {
    for (std::size_t i = 0; i < zones.size(); ++i)
        if (zones[i].id == id) return static_cast<int>(i);
    return -1;
}

std::string PlanDocument::next_zone_id() const {
    long best = 0;
    for (const Zone& z : zones) {
        if (z.id.size() > 2 && z.id.compare(0, 2, "Z-") == 0) {
            char* end = nullptr;
            const long n = std::strtol(z.id.c_str() + 2, &end, 10);
            if (end && *end == '\0' && n > best) best = n;
        }
    }
    return "Z-" + std::to_string(best + 1);
}

PlanDocument document_from_project(const Project& project, std::vector<std::string>* warnings) {
    PlanDocument doc;
    if (const Layer* z = project.layer(Role::Zones)) doc.zones = zones_from_layer(*z, warnings);
    return doc;
}

}  // namespace hq::plan
