#pragma once
// Text from untrusted data made safe for a terminal, a log line or a file name.
//
// Ids, names and column names come from files other people send; they can hold newlines,
// terminal escape sequences (ESC [2J clears a screen), bidirectional overrides, path
// separators or "..". Everything that reaches a person or a file name goes through here.
#include <string>
#include <string_view>
#include <vector>

namespace hq {

/// The byte offset of the first invalid UTF-8 sequence in `s` (overlong, surrogate, out of
/// range, truncated), or npos when it is all valid.
[[nodiscard]] std::size_t invalid_utf8_at(std::string_view s);

/// `s` with every control character (C0, DEL, C1), bidi control and invalid UTF-8 byte
/// replaced by a visible escape: \n, \r, \t, \x1b, \u{202e}. Printable UTF-8 (Chinese
/// included) and backslashes are kept as they are. The result is one line.
[[nodiscard]] std::string printable(std::string_view s);

/// Text of several lines with each line through printable(): the newlines between lines stay,
/// anything else that could act on a terminal is escaped. For text reports on stdout.
[[nodiscard]] std::string printable_lines(std::string_view s);

/// `s` as XML 1.0 character data or an attribute value (SVG text, QML, SLD): & < > " '
/// become entities; control characters other than tab and newline, which XML 1.0 does not
/// allow, become a space. The one XML escaping of the exports.
[[nodiscard]] std::string xml_escape(std::string_view s);

/// A message from a library (GDAL, PROJ) as one line: runs of whitespace, newlines
/// included, become one space, the ends are trimmed, and the rest goes through printable().
[[nodiscard]] std::string one_line(std::string_view s);

/// A whole number held in a double, for a message: "12345" up to 1e15, else "1.23e+308",
/// "inf" or "nan" (never the undefined conversion of a huge double to an integer).
[[nodiscard]] std::string whole_number_text(double v);

/// A file name made from a data name (a group column, a layer, an id): path separators
/// (/ \), control characters, the characters Windows refuses (<>:"|?*) become '_', leading
/// dots and spaces and trailing dots and spaces are dropped, "." and ".." and Windows'
/// reserved device names (CON, NUL, COM1...) get a '_' prefix, and the result is cut to at
/// most 120 bytes on a UTF-8 character boundary. Chinese is kept. Never empty ("_").
[[nodiscard]] std::string safe_file_name(std::string_view name);

/// Hands out safe file names that never repeat (case-insensitively, for case-insensitive
/// file systems): the second "a.png" becomes "a_2.png", and so on.
class UniqueFileNames {
public:
    /// safe_file_name(stem) + ext, made unique among the names handed out so far.
    std::string make(std::string_view stem, std::string_view ext);

private:
    std::vector<std::string> m_taken;  // lower-cased
};

}  // namespace hq
