#pragma once
// GeoDa / PySAL weights files: .gal (neighbour lists) and .gwt (weighted links).
//
// .gal: a header line, either "n" (libpysal) or "0 n layer key" (GeoDa), then per unit a
//       line "id count" followed by a line of `count` neighbour ids (an island has count 0
//       and an empty line).
// .gwt: a header line "0 n layer key" (or "n"), then one line "id neighbour weight" per
//       link. Islands have no line; their ids cannot be recovered unless ids are 1..n or
//       0..n-1.
#include <string>
#include <vector>

#include "geo/io/layer.hpp"
#include "geo/weights/weights.hpp"

namespace hq {

struct WeightsFile {
    Weights weights;
    std::vector<std::string> ids;  ///< ids[i] is the file's id of row i
    std::string layer;             ///< GeoDa header: shapefile / layer name ("" if none)
    std::string key;               ///< GeoDa header: id variable ("" if none)
};

/// Parse errors are InputError naming the file and line.
WeightsFile parse_gal(const std::string& text, const std::string& display_name);
WeightsFile parse_gwt(const std::string& text, const std::string& display_name);
/// Reads a .gal or .gwt file (by extension, case-insensitive).
WeightsFile read_weights_file(const std::string& path);

/// ids.size() must be w.n; ids must not contain white space. `layer`/`key` fill the GeoDa
/// header ("0 n layer key"); when both are empty a .gal gets the libpysal header "n".
/// Weights in .gwt are written with 17 significant digits.
std::string format_gal(const Weights& w, const std::vector<std::string>& ids, const std::string& layer = "",
                       const std::string& key = "");
std::string format_gwt(const Weights& w, const std::vector<std::string>& ids, const std::string& layer = "",
                       const std::string& key = "");
/// The key a weights file of `layer` names in its GeoDa header ("0 n layer key"): the
/// attribute its ids come from (e.g. cy_id), which GeoDa matches against the table; "FID"
/// when the ids are GDAL's feature ids (no attribute holds them, so GeoDa cannot match them).
std::string weights_file_key(const Layer& layer);
/// 1-based ids "1".."n" (GeoDa's record numbers).
std::vector<std::string> default_ids(std::size_t n);

/// The file's weights re-indexed to a layer whose feature ids are `layer_ids`: by id when
/// every file id is a layer id; else by position when the file ids are exactly 1..n or
/// 0..n-1 and n matches. Otherwise InputError naming the file.
Weights align_weights(const WeightsFile& file, const std::vector<std::string>& layer_ids,
                      const std::string& display_name);

}  // namespace hq
