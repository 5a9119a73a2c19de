#pragma once
// The weights vocabulary for app code: the one WeightsSpec grammar and the one fallback
// rule (geo/weights/spec.hpp), re-exported so that app/ includes geo/analysis only.
#include "geo/analysis/provenance.hpp"
#include "geo/weights/spec.hpp"         // WeightsSpec, parse_weights_spec, resolve_weights
#include "geo/weights/weights_io.hpp"   // .gal / .gwt files (huqian weights)
