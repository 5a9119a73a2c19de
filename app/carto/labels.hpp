#pragma once
// Label placement without overlaps: greedy by priority with bounding boxes. Backend-neutral
// (the caller measures text in its own units); the exporter (on the page) and the viewer (on
// the canvas) place a scene's labels with the same rule, place_scene_labels().
#include <functional>
#include <optional>
#include <vector>

#include "app/carto/scene.hpp"
#include "geo/geometry/types.hpp"

namespace hq::carto {

/// For each label, its candidate boxes in order of preference (target units, any y
/// direction). Labels go by priority, higher first, then by `rank` (larger first: a
/// courtyard's area, so the large units keep their names), ties in input order; each takes
/// its first candidate that lies inside `frame` and overlaps neither a placed label nor an
/// obstacle (touching is fine). Returns the chosen candidate per label, -1 if none fits.
std::vector<int> place_labels(const std::vector<std::vector<Box>>& candidates, const std::vector<int>& priority,
                              const Box& frame, const std::vector<Box>& obstacles = {},
                              const std::vector<double>& rank = {});

/// The text box of a label as a backend measures it (target units).
struct LabelSize {
    double w = 0, h = 0;
};

/// Where the scene's labels go on a target (y down): for each of s.labels its text box, or
/// nothing when it is left out (outside `frame`, or no free spot). Candidates: centred on the
/// anchor (unless a pie sits there), then below, above, right and left of it, `gap` away
/// (plus the pie's radius); the pies are obstacles. `to_target` maps the metric CRS to the
/// target, `px` is the target size of one scene pixel (Scene sizes are CSS pixels). A label
/// whose size is 0 (the caller did not measure it: far off screen) is left out.
std::vector<std::optional<Box>> place_scene_labels(const Scene& s, const std::function<Vec2(Vec2)>& to_target,
                                                   double px, const std::vector<LabelSize>& sizes,
                                                   const Box& frame, double gap);

// [SECTION] Wrapping text (legend notes, subtitles, report text) -----------------------------

/// UTF-8 break units: a run of Latin letters, digits and the signs that belong to a number or
/// a unit ("0.28", "7,460", "km²", "<5", "3%", "1:500") with its trailing spaces; one CJK
/// character (Chinese breaks between any two characters) with closing punctuation (，。）” …)
/// kept on its left and opening punctuation (（“《) on its right. A line never breaks inside a
/// unit, so never inside a number.
std::vector<std::string> wrap_units(const std::string& text);

/// `text` broken into lines no wider than `width` (as `measure` says, in the caller's units)
/// at unit boundaries; a unit wider than `width` gets a line of its own. Trailing spaces are
/// dropped. At least one line.
std::vector<std::string> wrap_lines(const std::string& text, double width,
                                    const std::function<double(const std::string&)>& measure);

}  // namespace hq::carto
