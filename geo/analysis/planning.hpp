#pragma once
// Planning for app code: zone catchments and evaluations (plan::Planner), scenarios and
// their comparison, site suggestion, the plan document. These are use cases already
// (a request and the project in, a result out; docs/planning.md); this header is their
// door from app/, so that app/ includes geo/analysis only (cmake/check_app_includes.cmake).
#include "geo/analysis/autocorr.hpp"
#include "geo/analysis/segregation.hpp"
#include "geo/core/progress.hpp"
#include "geo/model/document.hpp"
#include "geo/model/zone.hpp"
#include "geo/plan/network.hpp"
#include "geo/plan/planner.hpp"
#include "geo/plan/scenario.hpp"
#include "geo/plan/suggest.hpp"
#include "geo/project/project.hpp"

namespace hq::analysis {

/// The LISA request of a group's share that gives the planner its HH clusters: the LISA
/// map's request with queen weights (the one fallback rule), the options' permutations,
/// seed and alpha, no multiple-testing adjustment (docs/planning.md), and the options'
/// privacy guard (published-only inputs with the guard on, docs/privacy.md "LISA"). The map,
/// the CLI and the viewer give the same clusters for the same request.
AutocorrRequest planner_lisa_request(const std::string& group, const plan::PlannerOptions& options);

/// The planner's input from a project: units (units_layer), the group count table of
/// geo/analysis (names = the groups' English names), the streets, the venues filtered by
/// kind, and the HH clusters of every group by planner_lisa_request (autocorrelation_batch:
/// the weights built once; with options.privacy's guard on, a unit is HH of a group only in
/// that group's published-only LISA, and a group with fewer than 3 published units has none,
/// said in lisa_note). InputError when the project has no groups or no polygon/point
/// units layer.
plan::PlanInput plan_input(const Project& project, const plan::PlannerOptions& options = {},
                           const Progress& progress = {});

/// How disclosure control shaped one of plan compare's residential index changes (estimated
/// from the published table, withheld, the filled share, the reason), as the index surfaces
/// print it (index_value_text).
IndexDisclosure index_disclosure(const plan::IndexChange& c);

/// The note under a scenario's residential indices when some are estimated ("≈": up to the
/// largest filled share among them, and that a move was clamped at 0 in a fill when one
/// was); empty when none is.
privacy::EstimateNote scenario_estimate_note(const plan::ScenarioResult& r);

/// The note under plan suggest's numbers when its weights come from the published estimate
/// ("≈", the share of the residents filled); empty otherwise.
privacy::EstimateNote suggest_estimate_note(const plan::CoverageProblem& p);

/// plan::Planner(plan_input(project, options), options): the one way app code builds a planner.
plan::Planner make_planner(const Project& project, const plan::PlannerOptions& options = {},
                           const Progress& progress = {});

}  // namespace hq::analysis
