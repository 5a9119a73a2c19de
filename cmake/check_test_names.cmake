# Fails when a Catch2 TEST_CASE name under ROOT would make ctest run nothing: catch_discover_tests
# cuts a name at ";" (a CMake list separator), and a name starting with "--" is read by the test
# binary as an option. Either way ctest reports "Passed" for a test that never ran. Run by CTest
# as "core: test names reach ctest whole" (tests/check_test_names_test.cmake).
file(GLOB_RECURSE files "${ROOT}/*.cpp")
set(bad "")
foreach(f IN LISTS files)
  file(READ "${f}" text)
  if(text MATCHES "TEST_CASE\\([ \t\r\n]*\"[^\"]*;" OR text MATCHES "TEST_CASE\\([ \t\r\n]*\"--")
    string(APPEND bad "${f}\n")
  endif()
endforeach()
if(bad)
  message(FATAL_ERROR "TEST_CASE names with ';' or a leading '--' (ctest would run nothing for them):\n${bad}")
endif()
