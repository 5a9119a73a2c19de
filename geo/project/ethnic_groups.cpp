#include "geo/project/ethnic_groups.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace hq {

const std::vector<EthnicGroup>& ethnic_groups() {
    // GB/T 3304-1991, table 1: code, Chinese name, romanisation, two-letter code (order as
    // in the standard); the English name as commonly used in English-language statistics.
    static const std::vector<EthnicGroup> g{
        {1, "汉族", "Han", "Han", "HA"},            {2, "蒙古族", "Mongol", "Mongol", "MG"},
        {3, "回族", "Hui", "Hui", "HU"},            {4, "藏族", "Zang", "Tibetan", "ZA"},
        {5, "维吾尔族", "Uygur", "Uyghur", "UG"},   {6, "苗族", "Miao", "Miao", "MH"},
        {7, "彝族", "Yi", "Yi", "YI"},              {8, "壮族", "Zhuang", "Zhuang", "ZH"},
        {9, "布依族", "Buyei", "Bouyei", "BY"},     {10, "朝鲜族", "Chosen", "Korean", "CS"},
        {11, "满族", "Man", "Manchu", "MA"},        {12, "侗族", "Dong", "Dong", "DO"},
        {13, "瑶族", "Yao", "Yao", "YA"},           {14, "白族", "Bai", "Bai", "BA"},
        {15, "土家族", "Tujia", "Tujia", "TJ"},     {16, "哈尼族", "Hani", "Hani", "HN"},
        {17, "哈萨克族", "Kazak", "Kazakh", "KZ"},  {18, "傣族", "Dai", "Dai", "DA"},
        {19, "黎族", "Li", "Li", "LI"},             {20, "傈僳族", "Lisu", "Lisu", "LS"},
        {21, "佤族", "Va", "Wa", "VA"},             {22, "畲族", "She", "She", "SH"},
        {23, "高山族", "Gaoshan", "Gaoshan", "GS"}, {24, "拉祜族", "Lahu", "Lahu", "LH"},
        {25, "水族", "Sui", "Shui", "SU"},          {26, "东乡族", "Dongxiang", "Dongxiang", "DX"},
        {27, "纳西族", "Naxi", "Naxi", "NX"},       {28, "景颇族", "Jingpo", "Jingpo", "JP"},
        {29, "柯尔克孜族", "Kirgiz", "Kyrgyz", "KG"}, {30, "土族", "Tu", "Tu", "TU"},
        {31, "达斡尔族", "Daur", "Daur", "DU"},     {32, "仫佬族", "Mulao", "Mulam", "ML"},
        {33, "羌族", "Qiang", "Qiang", "QI"},       {34, "布朗族", "Blang", "Blang", "BL"},
        {35, "撒拉族", "Salar", "Salar", "SL"},     {36, "毛南族", "Maonan", "Maonan", "MN"},
        {37, "仡佬族", "Gelao", "Gelao", "GL"},     {38, "锡伯族", "Xibe", "Xibe", "XB"},
        {39, "阿昌族", "Achang", "Achang", "AC"},   {40, "普米族", "Pumi", "Pumi", "PM"},
        {41, "塔吉克族", "Tajik", "Tajik", "TA"},   {42, "怒族", "Nu", "Nu", "NU"},
        {43, "乌孜别克族", "Uzbek", "Uzbek", "UZ"}, {44, "俄罗斯族", "Russ", "Russian", "RS"},
        {45, "鄂温克族", "Ewenki", "Evenki", "EW"}, {46, "德昂族", "Deang", "De'ang", "DE"},
        {47, "保安族", "Bonan", "Bonan", "BN"},     {48, "裕固族", "Yugur", "Yugur", "YG"},
        {49, "京族", "Gin", "Gin", "GI"},           {50, "塔塔尔族", "Tatar", "Tatar", "TT"},
        {51, "独龙族", "Derung", "Derung", "DR"},   {52, "鄂伦春族", "Oroqen", "Oroqen", "OR"},
        {53, "赫哲族", "Hezhen", "Hezhen", "HZ"},   {54, "门巴族", "Monba", "Monba", "MB"},
        {55, "珞巴族", "Lhoba", "Lhoba", "LB"},     {56, "基诺族", "Jino", "Jino", "JN"},
    };
    return g;
}

namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool starts(const std::string& s, const std::string& p) { return s.size() >= p.size() && s.compare(0, p.size(), p) == 0; }
bool ends(const std::string& s, const std::string& p) {
    return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}

/// The header without spaces, brackets, count words and common prefixes/suffixes.
std::string core(std::string s) {
    std::string t;
    for (const char c : s)
        if (c != ' ' && c != '\t' && c != '(' && c != ')' && c != '[' && c != ']' && c != '"' && c != '\'') t += c;
    s = t;
    for (const char* w : {"（人）", "（户）", "(人)", "人数", "人口", "户数", "数量", "居民", "（", "）", "："}) {
        for (std::size_t at; (at = s.find(w)) != std::string::npos;) s.erase(at, std::string(w).size());
    }
    std::string l = lower(s);
    for (const char* p : {"pop_", "pop.", "pop-", "n_", "count_", "num_"})
        if (starts(l, p)) l = l.substr(std::string(p).size());
    for (const char* p : {"_count", "_pop", "_population", "_n", "_num"})
        if (ends(l, p)) l = l.substr(0, l.size() - std::string(p).size());
    while (!l.empty() && (l.back() == '_' || l.back() == '-' || l.back() == '.')) l.pop_back();
    while (!l.empty() && (l.front() == '_' || l.front() == '-' || l.front() == '.')) l.erase(0, 1);
    return l;
}

}  // namespace

std::optional<std::size_t> match_ethnic_group(const std::string& header) {
    const auto& groups = ethnic_groups();
    // The two-letter code only in upper case as written ("HA", "ZA"): lower-case two-letter
    // words are too common in headers to be read as groups.
    for (std::size_t i = 0; i < groups.size(); ++i)
        if (header == groups[i].alpha) return i;
    const std::string c = core(header);
    if (c.empty()) return std::nullopt;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        const std::string zh = groups[i].zh;
        const std::string zh_short = zh.substr(0, zh.size() - std::string("族").size());
        if (c == zh || c == zh_short) return i;
        if (c == lower(groups[i].roman) || c == lower(groups[i].en)) return i;
    }
    // Other common spellings.
    static const std::pair<const char*, int> aliases[] = {
        {"mongolian", 2}, {"uighur", 5}, {"uygur", 5}, {"buyi", 9}, {"bouyei", 9}, {"manchurian", 11},
        {"kazak", 17}, {"kirghiz", 29}, {"jing", 49}, {"deang", 46}, {"ewenki", 45}, {"tibet", 4},
        {"hmong", 6}, {"drung", 51}, {"lhopa", 55}, {"menba", 54}, {"wa", 21}, {"shui", 25}};
    for (const auto& [a, code] : aliases)
        if (c == a) return static_cast<std::size_t>(code - 1);
    return std::nullopt;
}

std::vector<std::optional<std::size_t>> recognise_group_columns(const std::vector<std::string>& headers) {
    std::vector<std::optional<std::size_t>> out;
    std::set<std::size_t> seen;
    for (const auto& h : headers) {
        auto m = match_ethnic_group(h);
        if (m && !seen.insert(*m).second) m.reset();
        out.push_back(m);
    }
    return out;
}

}  // namespace hq
