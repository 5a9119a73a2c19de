#pragma once
// The 56 officially recognised ethnic groups of China, as GB/T 3304-1991 "中国各民族名称的罗马字母
// 拼写法和代码" (Names of nationalities of China in romanization with codes) lists them: the
// two-digit code (01 汉族 … 56 基诺族), the Chinese name, the standard's romanisation and the
// usual English name. Used to recognise a roster's or a table's columns ("藏族", "藏族人数",
// "Tibetan", "pop_zang", "Zang") when a committee's spreadsheet becomes a project.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace hq {

struct EthnicGroup {
    int code = 0;             ///< GB/T 3304-1991 numeric code, 1..56
    const char* zh;           ///< "藏族"
    const char* roman;        ///< the standard's romanisation, "Zang"
    const char* en;           ///< the usual English name, "Tibetan"
    const char* alpha;        ///< the standard's two-letter code, "ZA"
};

/// The 56 groups in the standard's order (index = code − 1).
const std::vector<EthnicGroup>& ethnic_groups();

/// The group a column header names, or nullopt: the Chinese name with or without 族 and
/// with a count word around it ("藏族人数", "藏族(人)", "人数_藏族"), the romanisation or the
/// English name in any case, with a prefix "pop_" / "n_" or a suffix "_count" / "_pop"
/// ("pop_zang", "Tibetan_count"), or the standard's two-letter code in upper case.
std::optional<std::size_t> match_ethnic_group(const std::string& header);

/// The count column recognised for each header (nullopt for the others: ids, names,
/// totals); a group named by two headers is recognised only at the first.
std::vector<std::optional<std::size_t>> recognise_group_columns(const std::vector<std::string>& headers);

}  // namespace hq
