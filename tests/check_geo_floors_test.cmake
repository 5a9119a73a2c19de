# The geo floor check (cmake/check_geo_floors.cmake) on a temporary folder: a clean tree
# passes (a higher floor including lower ones, a floor including itself), and each planted
# include of a higher floor from a lower one fails, naming the file, the include and both
# floors; a folder without a floor fails too. Run by CTest as "analysis: geo floor check".
set(tmp "${WORK}/geo_floor_check")

function(write_clean_tree)
  file(REMOVE_RECURSE "${tmp}")
  file(WRITE "${tmp}/core/error.hpp" "#include <string>\n")
  file(WRITE "${tmp}/io/reader.cpp" "#include \"geo/core/error.hpp\"\n#include \"geo/geometry/grid.hpp\"\n#include \"geo/crs/crs.hpp\"\n")
  file(WRITE "${tmp}/project/undo.hpp" "#include \"geo/model/document.hpp\"\n#include \"geo/io/layer.hpp\"\n")
  file(WRITE "${tmp}/stats/autocorr.cpp" "#include \"geo/weights/weights.hpp\"\n#include \"geo/project/project.hpp\"\n")
  file(WRITE "${tmp}/plan/planner.cpp" "#include \"geo/stats/kde.hpp\"\n#include \"geo/model/zone.hpp\"\n")
  file(WRITE "${tmp}/analysis/local.cpp" "#include \"geo/plan/planner.hpp\"\n#include <geo/analysis/counts.hpp>\n")
endfunction()

function(run_check out_rc out_err)
  execute_process(COMMAND "${CMAKE_COMMAND}" "-DROOT=${tmp}" -P "${SCRIPT}" RESULT_VARIABLE rc ERROR_VARIABLE err)
  set(${out_rc} "${rc}" PARENT_SCOPE)
  set(${out_err} "${err}" PARENT_SCOPE)
endfunction()

write_clean_tree()
run_check(rc err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "a clean tree failed the check:\n${err}")
endif()

# file | planted include | the floors the message must name
set(cases
  "io/bad.cpp|geo/stats/kde.hpp|geo/io is floor 1, geo/stats floor 3"
  "project/bad.hpp|geo/plan/planner.hpp|geo/project is floor 2, geo/plan floor 4"
  "model/bad.hpp|geo/weights/spec.hpp|geo/model is floor 2, geo/weights floor 3"
  "core/bad.cpp|geo/geometry/types.hpp|geo/core is floor 0, geo/geometry floor 1"
  "stats/bad.cpp|geo/analysis/autocorr.hpp|geo/stats is floor 3, geo/analysis floor 5"
  "plan/bad.hpp|geo/analysis/planning.hpp|geo/plan is floor 4, geo/analysis floor 5")
foreach(c IN LISTS cases)
  string(REPLACE "|" ";" parts "${c}")
  list(GET parts 0 file)
  list(GET parts 1 planted)
  list(GET parts 2 floors)
  write_clean_tree()
  file(WRITE "${tmp}/${file}" "// planted\n  #  include \"${planted}\"\n")
  run_check(rc err)
  if(rc EQUAL 0)
    message(FATAL_ERROR "the planted include of ${planted} in ${file} passed the check")
  endif()
  string(REPLACE "\n" " " flat "${err}")
  string(REGEX REPLACE "  +" " " flat "${flat}")
  if(NOT flat MATCHES "geo/${file}" OR NOT flat MATCHES "${planted}" OR NOT flat MATCHES "${floors}"
     OR NOT flat MATCHES "a lower floor of geo/ must not include a higher one")
    message(FATAL_ERROR "the message does not name the file, the include and the floors:\n${err}")
  endif()
endforeach()

# A new folder must be given a floor.
write_clean_tree()
file(WRITE "${tmp}/newfloor/x.cpp" "#include \"geo/core/error.hpp\"\n")
run_check(rc err)
string(REPLACE "\n" " " flat "${err}")
if(rc EQUAL 0 OR NOT flat MATCHES "geo/newfloor/ has no floor")
  message(FATAL_ERROR "a folder without a floor passed the check or was not named:\n${err}")
endif()

file(REMOVE_RECURSE "${tmp}")
list(LENGTH cases n)
message(STATUS "geo floor check: clean tree passes, ${n} planted includes and a folder without a floor fail")
