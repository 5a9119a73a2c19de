# Fails when a C++ source under one of ROOTS (folders separated by "|") is longer than 600 lines
# and carries no section index: a "// [SECTION] index" comment listing its parts, with a
# "// [SECTION] Name ----" line where each part starts (issue 12: "files over 600 lines carry
# a section index"; docs/STYLE.md). Run by CTest as "core: long files carry a section index"
# (tests/check_section_index_test.cmake).
set(bad "")
string(REPLACE "|" ";" roots "${ROOTS}")
foreach(root IN LISTS roots)
  file(GLOB_RECURSE files "${root}/*.cpp" "${root}/*.hpp")
  foreach(f IN LISTS files)
    file(READ "${f}" content)
    string(REGEX MATCHALL "\n" newlines "${content}")
    list(LENGTH newlines n)
    if(n GREATER 600)
      string(REGEX MATCH "(^|\n)// \\[SECTION\\] index" index "${content}")
      string(REGEX MATCHALL "\n// \\[SECTION\\] [^i\n]" parts "${content}")
      list(LENGTH parts nparts)
      if(NOT index OR nparts LESS 2)
        string(APPEND bad "${f}: ${n} lines, no section index (\"// [SECTION] index\" and at least two \"// [SECTION] Name\" lines)\n")
      endif()
    endif()
  endforeach()
endforeach()
if(bad)
  message(FATAL_ERROR "files over 600 lines without a section index:\n${bad}")
endif()
