#pragma once
// Planning for app code: zone catchments and evaluations (plan::Planner), scenarios and
// their comparison, site suggestion, the plan document. These are use cases already
// (a request and the project in, a result out; docs/planning.md); this header is their
// door from app/, so that app/ includes geo/analysis only (cmake/check_app_includes.cmake).
#include "geo/model/document.hpp"
#include "geo/plan/network.hpp"
#include "geo/plan/planner.hpp"
#include "geo/plan/scenario.hpp"
#include "geo/plan/suggest.hpp"
#include "geo/model/zone.hpp"
