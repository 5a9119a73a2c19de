#pragma once
// Shuhan split into three parts by a `part` column on its courtyards (a public attribute, as
// a community or street name is): the projects of the `autocorr --by` privacy tests.
#include <string>

#include "geo/io/layer.hpp"
#include "geo/project/project.hpp"

namespace hq::test {

/// The part of the i-th of n courtyards (file order): "甲", "乙" or "丙", a third each.
inline std::string part_of(std::size_t i, std::size_t n) {
    static const char* names[] = {"甲", "乙", "丙"};
    return names[(3 * i) / n];
}

/// `project` with the `part` column added to its units layer.
inline Project with_parts(Project project) {
    for (auto& e : project.layers) {
        if (e.role != Role::Units) continue;
        Layer& l = e.layer;
        l.table.fields.push_back({"part", FieldType::String});
        for (std::size_t i = 0; i < l.table.rows.size(); ++i) l.table.rows[i].push_back(Value{part_of(i, l.size())});
    }
    return project;
}

}  // namespace hq::test
