#pragma once
// Which LISA controls the map-mode panel shows (issue 5 §3): GL-free, so a test checks it.
#include <string>

namespace hq::view {

struct LisaControls {
    bool weights = false;       ///< spatial weights (queen / rook / 6 nearest neighbours)
    bool significance = false;  ///< permutations, alpha and the multiple-testing adjustment
};

/// `lisa_map`: the LISA cluster mode; `graduated_variable`: the graduated style's variable
/// ("" when the mode is not graduated). A graduated LISA z is local Moran's analytical z
/// (app/carto runs it without permutations) with the LISA map's weights, so only the
/// weights apply to it; the cluster map uses all of them; every other mode none.
inline LisaControls lisa_controls(bool lisa_map, const std::string& graduated_variable) {
    if (lisa_map) return {true, true};
    if (graduated_variable == "lisa_z") return {true, false};
    return {};
}

}  // namespace hq::view
