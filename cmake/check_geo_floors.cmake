# Fails when a file under geo/ (ROOT) includes a header of a higher floor of geo/, or lies
# in a folder that has no floor yet. The floors, lowest first (docs/ARCHITECTURE.md):
#   0 core
#   1 geometry, crs, io
#   2 project, model, privacy, synth
#   3 weights, stats
#   4 plan
#   5 analysis
# A file may include its own floor and any lower one. A new folder under geo/ must be given
# a floor here. Run at build time (geo/CMakeLists.txt) and by the test
# tests/check_geo_floors_test.cmake on planted includes.
set(_floors core=0 geometry=1 crs=1 io=1 project=2 model=2 privacy=2 synth=2 weights=3 stats=3 plan=4
    analysis=5)

function(_geo_floor dir out)
  set(value "")
  foreach(entry IN LISTS _floors)
    if(entry MATCHES "^${dir}=([0-9]+)$")
      set(value "${CMAKE_MATCH_1}")
    endif()
  endforeach()
  set(${out} "${value}" PARENT_SCOPE)
endfunction()

file(GLOB_RECURSE _files RELATIVE "${ROOT}" "${ROOT}/*.cpp" "${ROOT}/*.hpp" "${ROOT}/*.h")
set(_bad "")
foreach(rel IN LISTS _files)
  if(NOT rel MATCHES "^([^/]+)/")
    list(APPEND _bad "geo/${rel}: a source file directly in geo/ has no floor")
    continue()
  endif()
  set(dir "${CMAKE_MATCH_1}")
  _geo_floor("${dir}" floor)
  if(floor STREQUAL "")
    list(APPEND _bad "geo/${rel}: the folder geo/${dir}/ has no floor (add it to cmake/check_geo_floors.cmake)")
    continue()
  endif()
  file(STRINGS "${ROOT}/${rel}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]geo/[^/\"<>]+/")
  foreach(line IN LISTS lines)
    string(REGEX MATCH "[<\"]geo/([^/\"<>]+)/" _m "${line}")
    set(target "${CMAKE_MATCH_1}")
    _geo_floor("${target}" target_floor)
    if(target_floor STREQUAL "")
      list(APPEND _bad "geo/${rel}: ${line} (geo/${target}/ has no floor)")
    elseif(target_floor GREATER floor)
      list(APPEND _bad "geo/${rel}: ${line} (geo/${dir} is floor ${floor}, geo/${target} floor ${target_floor})")
    endif()
  endforeach()
endforeach()
if(_bad)
  string(REPLACE ";" "\n" _bad "${_bad}")
  message(FATAL_ERROR "a lower floor of geo/ must not include a higher one "
                      "(core < geometry, crs, io < project, model, privacy, synth < weights, stats < plan < analysis):\n${_bad}")
endif()
if(STAMP)
  file(TOUCH "${STAMP}")
endif()
