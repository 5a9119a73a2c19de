# Fails when a C++ file under ROOT uses Catch2's Approx: its default relative epsilon
# (about 1.2e-5) makes a comparison looser than it reads. Tests state their tolerance with
# Catch::Matchers::WithinAbs / WithinRel (issue 15; docs/STYLE.md). Run by CTest as
# "core: no Approx in tests" (tests/check_no_approx_test.cmake).
file(GLOB_RECURSE files "${ROOT}/*.cpp" "${ROOT}/*.hpp")
set(bad "")
foreach(f IN LISTS files)
  file(STRINGS "${f}" hits REGEX "(^|[^A-Za-z_])Approx[ \t]*(\\(|::|=)|Detail::Approx")
  foreach(h IN LISTS hits)
    string(STRIP "${h}" h)
    string(APPEND bad "${f}: ${h}\n")
  endforeach()
endforeach()
if(bad)
  message(FATAL_ERROR "Catch2 Approx in tests (use Catch::Matchers::WithinAbs / WithinRel with the tolerance meant):\n${bad}")
endif()
