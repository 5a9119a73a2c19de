# Fails when a file under app/ (ROOT) includes a geo/stats/, geo/weights/ or geo/plan/
# header: app code reaches statistics, weights and planning only through geo/analysis/
# (docs/ARCHITECTURE.md). Lower-level value headers (geo/project, geo/io, geo/geometry,
# geo/core, geo/crs) stay open. Run at build time (app/CMakeLists.txt) and by the test
# tests/check_app_includes_test.cmake on a planted include.
include("${CMAKE_CURRENT_LIST_DIR}/include_check.cmake")
check_includes("${ROOT}" "[<\"]geo/(stats|weights|plan)/"
               "app/ must reach geo/stats, geo/weights and geo/plan through geo/analysis only")
