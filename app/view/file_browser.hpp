#pragma once
// The viewer's file browser (issue 13 item 5): folders, parent, an extension filter, UTF-8
// (Chinese) file names, recent projects; used for File > Open, Add layer, Add basemap, Save
// as and the export path. The state and its operations (listing, filter, navigation, the
// path a choice gives, the recent list) need no GL and no ImGui (tests/view/test_view_files.cpp);
// `file_browser` draws it as a modal dialog and is reusable by any panel that keeps a
// FileBrowserState (one per dialog; no function-local statics).
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "app/view/strings.hpp"

namespace hq::view {

struct UiState;

/// What the browser is picking: decides the filters, whether it saves (a file name typed,
/// the extension added) and whether a folder holding project.json is a choice (open).
enum class BrowsePurpose : std::uint8_t { OpenProject, AddLayer, AddBasemap, SaveProject, ExportMap };

/// A filter of the browser: a label and the extensions it shows (lower case, with the dot;
/// empty = every file).
struct FileFilter {
    S label = S::FilterAll;
    std::vector<std::string> exts;
};

struct FileEntry {
    std::string name;        ///< UTF-8 bytes as the file system has them
    bool folder = false;
    bool project = false;    ///< a folder holding project.json
    std::uintmax_t size = 0; ///< files only
};

/// A recent project as the browser shows it: missing ones greyed.
struct RecentEntry {
    std::string path;
    std::string label;  ///< the file or folder name
    bool exists = false;
};

struct FileBrowserState {
    bool request_open = false;  ///< the dialog opens at the next frame
    BrowsePurpose purpose = BrowsePurpose::OpenProject;
    std::string dir;            ///< the folder shown (absolute)
    std::vector<FileFilter> filters;
    int filter = 0;
    std::vector<FileEntry> entries;  ///< folders first, then files passing the filter; by name
    std::string error;          ///< why the folder could not be read (the dialog names the folder)
    int selected = -1;          ///< index in entries
    std::array<char, 1024> name{};  ///< the file name field (save) / the chosen entry (open)
    std::string glyphs;         ///< every name listed so far (the font atlas must cover them)
    bool glyphs_changed = false;
    bool cancelled = false;     ///< set when the user cancelled the dialog (the caller clears it)
};

/// The filters a purpose offers (the first is the default).
std::vector<FileFilter> filters_for(BrowsePurpose purpose);
/// True when `name` has one of the filter's extensions (case-insensitive); an empty filter
/// passes every name.
bool filter_matches(const FileFilter& filter, const std::string& name);
/// Starts the browser for `purpose` at `start`: a folder is shown as is; a file (existing or
/// not, e.g. the default save target) shows its folder with its name in the name field.
/// A start that is empty or whose folder does not exist shows the current folder.
void browser_start(FileBrowserState& st, BrowsePurpose purpose, const std::string& start);
/// Reads st.dir into st.entries (hidden entries, starting with '.', left out). False and
/// st.error set (the system's reason) when the folder cannot be read.
bool browser_list(FileBrowserState& st);
/// Into the sub-folder `name` of st.dir; false when it is not one.
bool browser_enter(FileBrowserState& st, const std::string& name);
/// To the parent folder; false at the root.
bool browser_parent(FileBrowserState& st);
/// Another filter (index into st.filters): the listing is read again.
void browser_set_filter(FileBrowserState& st, int filter);
/// What accepting the dialog now gives: the path of the chosen file, of the chosen project
/// folder (open), or of the typed name in st.dir (save: the filter's first extension added
/// when the name has none of them; a name with a folder separator is refused). "" when the
/// choice is a plain folder (accept enters it) or nothing is chosen.
std::string browser_accept(FileBrowserState& st);
/// The recent projects with their names and whether they still exist.
std::vector<RecentEntry> recent_entries(const std::vector<std::string>& recent);

/// The browser as a modal dialog (call every frame while it may be open). True once when the
/// user chose a path (`out`); the dialog then closes. `recent` is shown for OpenProject.
bool file_browser(UiState& ui, FileBrowserState& st, const std::vector<std::string>& recent, std::string& out);

}  // namespace hq::view
