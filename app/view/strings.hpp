#pragma once
// Every string the viewer shows, in Chinese and English, in one table.
//
// Header-only on purpose: the table is plain data, so tests (and the glyph-range builder)
// can read it without a GL context or the viewer library. Add a key to `S` and a row to
// `kStrings` in the same position; the static_assert below checks the order.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hq::view {

enum class UiLang : std::uint8_t { Zh, En };

enum class S : std::uint16_t {
    AppTitle,
    MenuFile,
    MenuOpen,
    MenuAddLayer,
    MenuQuit,
    MenuView,
    MenuFit,
    MenuLanguage,
    MenuWindows,
    Layers,
    Visible,
    Opacity,
    MoveUp,
    MoveDown,
    AddFilePath,
    Add,
    Open,
    Cancel,
    Close,
    PathPrompt,
    MapMode,
    ModeComposition,
    ModeDominant,
    ModeHeatmap,
    ModeMixing,
    ModeLisa,
    ModeProjects,
    Group,
    RadiusM,
    Weights,
    Permutations,
    Alpha,
    Adjust,
    Date,
    AllDates,
    Legend,
    Inspector,
    HoverHint,
    Unit,
    Count,
    Share,
    Total,
    NoSelection,
    PrivacyNote,
    Scatter,
    ScatterX,
    ScatterY,
    ScatterHint,
    Indices,
    IndicesPending,
    IndicesUnavailable,
    Compute,
    Computing,
    Errors,
    Dismiss,
    Scale,
    Cursor,
    Metres,
    Loading,
    BuildingMap,
    Triangulating,
    NoProject,
    NoData,
    Illustrative,
    ClearSelection,
    Selected,
    DropHint,
    Language,
    Chinese,
    English,
    Index,
    Value,
    Reading,
    FrameMs,
    Jobs,
    Labels,
    DissimReading,
    Count_,  // number of strings (not a string)
};

struct UiString {
    S id;
    std::string_view key;
    std::string_view zh;
    std::string_view en;
};

// clang-format off
inline constexpr std::array<UiString, static_cast<std::size_t>(S::Count_)> kStrings{{
    {S::AppTitle,          "app_title",          "互嵌 · 社区地图",            "huqian · community map"},
    {S::MenuFile,          "menu_file",          "文件",                      "File"},
    {S::MenuOpen,          "menu_open",          "打开项目或文件…",            "Open project or file…"},
    {S::MenuAddLayer,      "menu_add_layer",     "添加图层…",                  "Add layer…"},
    {S::MenuQuit,          "menu_quit",          "退出",                      "Quit"},
    {S::MenuView,          "menu_view",          "视图",                      "View"},
    {S::MenuFit,           "menu_fit",           "缩放至全图",                  "Fit to extent"},
    {S::MenuLanguage,      "menu_language",      "语言",                      "Language"},
    {S::MenuWindows,       "menu_windows",       "窗口",                      "Windows"},
    {S::Layers,            "layers",             "图层",                      "Layers"},
    {S::Visible,           "visible",            "可见",                      "Visible"},
    {S::Opacity,           "opacity",            "不透明度",                   "Opacity"},
    {S::MoveUp,            "move_up",            "上移",                      "Up"},
    {S::MoveDown,          "move_down",          "下移",                      "Down"},
    {S::AddFilePath,       "add_file_path",      "矢量文件路径",                "Vector file path"},
    {S::Add,               "add",                "添加",                      "Add"},
    {S::Open,              "open",               "打开",                      "Open"},
    {S::Cancel,            "cancel",             "取消",                      "Cancel"},
    {S::Close,             "close",              "关闭",                      "Close"},
    {S::PathPrompt,        "path_prompt",        "项目文件夹或矢量文件的路径：",   "Path of a project folder or a vector file:"},
    {S::MapMode,           "map_mode",           "地图类型",                   "Map mode"},
    {S::ModeComposition,   "mode_composition",   "民族构成",                   "Composition"},
    {S::ModeDominant,      "mode_dominant",      "主要民族",                   "Dominant group"},
    {S::ModeHeatmap,       "mode_heatmap",       "热力图",                     "Heatmap"},
    {S::ModeMixing,        "mode_mixing",        "混居程度",                   "Mixing"},
    {S::ModeLisa,          "mode_lisa",          "局部空间自相关 (LISA)",       "LISA clusters"},
    {S::ModeProjects,      "mode_projects",      "微更新项目",                  "Micro-garden projects"},
    {S::Group,             "group",              "民族",                      "Group"},
    {S::RadiusM,           "radius_m",           "半径（米）",                  "Radius (m)"},
    {S::Weights,           "weights",            "空间权重",                   "Weights"},
    {S::Permutations,      "permutations",       "置换次数",                   "Permutations"},
    {S::Alpha,             "alpha",              "显著性水平",                  "Alpha"},
    {S::Adjust,            "adjust",             "多重检验校正",                "Adjustment"},
    {S::Date,              "date",               "日期",                      "Date"},
    {S::AllDates,          "all_dates",          "全部日期",                   "All dates"},
    {S::Legend,            "legend",             "图例",                      "Legend"},
    {S::Inspector,         "inspector",          "属性查看",                   "Inspector"},
    {S::HoverHint,         "hover_hint",         "单击院落查看构成",             "Click a unit for its composition"},
    {S::Unit,              "unit",               "单元",                      "Unit"},
    {S::Count,             "count",              "人数",                      "Count"},
    {S::Share,             "share",              "比例",                      "Share"},
    {S::Total,             "total",              "合计",                      "Total"},
    {S::NoSelection,       "no_selection",       "未选择",                     "Nothing selected"},
    {S::PrivacyNote,       "privacy_note",       "少于5人的数字显示为“<5”（隐私保护）", "Counts below 5 are shown as \"<5\" (privacy)"},
    {S::Scatter,           "scatter",            "Moran 散点图",               "Moran scatterplot"},
    {S::ScatterX,          "scatter_x",          "标准化比例 z",                "Standardised share z"},
    {S::ScatterY,          "scatter_y",          "空间滞后 Wz",                 "Spatial lag Wz"},
    {S::ScatterHint,       "scatter_hint",       "在图中单击或拖框选择；地图同步高亮", "Click or drag a box to select; the map follows"},
    {S::Indices,           "indices",            "隔离指数",                   "Segregation indices"},
    {S::IndicesPending,    "indices_pending",    "尚未计算",                   "Not computed yet"},
    {S::IndicesUnavailable,"indices_unavailable","该项目无法计算隔离指数",        "Segregation indices are not available for this project"},
    {S::Compute,           "compute",            "计算",                      "Compute"},
    {S::Computing,         "computing",          "计算中…",                    "Computing…"},
    {S::Errors,            "errors",             "错误",                      "Errors"},
    {S::Dismiss,           "dismiss",            "知道了",                     "Dismiss"},
    {S::Scale,             "scale",              "比例尺",                     "Scale"},
    {S::Cursor,            "cursor",             "光标",                      "Cursor"},
    {S::Metres,            "metres",             "米",                        "m"},
    {S::Loading,           "loading",            "正在加载",                   "Loading"},
    {S::BuildingMap,       "building_map",       "正在生成地图",                "Building the map"},
    {S::Triangulating,     "triangulating",      "正在剖分多边形",               "Triangulating polygons"},
    {S::NoProject,         "no_project",         "未打开项目",                  "No project open"},
    {S::NoData,            "no_data",            "无数据",                     "No data"},
    {S::Illustrative,      "illustrative",       "示意数据，非实测",             "Illustrative data, not surveyed"},
    {S::ClearSelection,    "clear_selection",    "清除选择",                   "Clear selection"},
    {S::Selected,          "selected",           "已选择",                     "Selected"},
    {S::DropHint,          "drop_hint",          "也可将文件拖放到窗口中",         "You can also drop a file onto the window"},
    {S::Language,          "language",           "语言",                      "Language"},
    {S::Chinese,           "chinese",            "中文",                      "中文 (Chinese)"},
    {S::English,           "english",            "English (英文)",             "English"},
    {S::Index,             "index",              "指数",                      "Index"},
    {S::Value,             "value",              "数值",                      "Value"},
    {S::Reading,           "reading",            "解读",                      "Reading"},
    {S::FrameMs,           "frame_ms",           "帧时间",                     "Frame"},
    {S::Jobs,              "jobs",               "后台任务",                   "Background jobs"},
    {S::Labels,            "labels",             "标注",                      "Labels"},
    // printf formats: D, group name, percentage (same order in both languages).
    {S::DissimReading,     "dissim_reading",     "D = %.2f：%s居民中有 %.0f%% 需要迁往其他院落，才能使分布均匀。",
                                                 "D = %.2f: of all %s residents, %.0f%% would have to move to another unit for an even spread."},
}};
// clang-format on

namespace detail {
constexpr bool strings_in_order() {
    for (std::size_t i = 0; i < kStrings.size(); ++i)
        if (static_cast<std::size_t>(kStrings[i].id) != i) return false;
    return true;
}
}  // namespace detail
static_assert(detail::strings_in_order(), "kStrings rows must follow the order of enum S");

/// The text of a string in a language (a NUL-terminated literal from the table).
inline const char* tr(S id, UiLang lang) {
    const UiString& s = kStrings[static_cast<std::size_t>(id)];
    return (lang == UiLang::Zh ? s.zh : s.en).data();
}

}  // namespace hq::view
