#pragma once
// Counts in JSON output through disclosure control (geo/privacy, docs/privacy.md): a
// withheld count is null and its object carries "suppressed": true, so the JSON keeps its
// shape; every document states its policy.
#include <nlohmann/json.hpp>

#include "geo/privacy/disclosure.hpp"

namespace hq::cli {

inline nlohmann::ordered_json count_json(const privacy::Cell& c) {
    const auto v = privacy::json_value(c);
    return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

inline nlohmann::ordered_json share_json(const privacy::Cell& part, const privacy::Cell& whole) {
    const auto v = privacy::share(part, whole);
    return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

inline nlohmann::ordered_json policy_json(const privacy::DisclosurePolicy& p) {
    nlohmann::ordered_json j{{"guard", p.guard}, {"k", p.k}, {"note", {{"zh", p.note_zh()}, {"en", p.note_en()}}}};
    if (!p.guard) j["stamp"] = p.stamp();
    return j;
}

}  // namespace hq::cli
