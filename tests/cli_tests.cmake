# Command-line tests: run the real executable as a user would and check the exit code,
# the one-line message on stderr, and that nothing crashed.
set(_runner "${CMAKE_CURRENT_SOURCE_DIR}/run_cli_case.cmake")

function(huqian_cli_test name expected_code expected_text)
  string(JOIN "|" _joined ${ARGN})
  add_test(NAME "cli: ${name}"
    COMMAND "${CMAKE_COMMAND}" -DEXE=$<TARGET_FILE:huqian> -DEXPECT_CODE=${expected_code}
            "-DEXPECT_TEXT=${expected_text}" "-DARGS=${_joined}" -P "${_runner}"
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
endfunction()

huqian_cli_test("--help" 0 "Exit codes" --help)
huqian_cli_test("--version" 0 "huqian ${PROJECT_VERSION}" --version)
huqian_cli_test("info --help" 0 "PATH" info --help)
huqian_cli_test("unknown subcommand is a usage error" 2 "frobnicate" frobnicate)
huqian_cli_test("unknown option is a usage error" 2 "--no-such-option" info data/shuhan --no-such-option)
huqian_cli_test("info on Shuhan" 0 "7460" info data/shuhan)

# The bad-input corpus: tests/data/bad/cases.tsv
file(STRINGS "${CMAKE_CURRENT_SOURCE_DIR}/data/bad/cases.tsv" _cases)
foreach(line IN LISTS _cases)
  if(line MATCHES "^#")
    continue()
  endif()
  string(REPLACE "\t" ";" fields "${line}")
  list(GET fields 0 case_name)
  list(GET fields 1 case_path)
  list(GET fields 2 case_code)
  list(GET fields 3 case_text)
  if(NOT case_path MATCHES "^/")
    set(case_path "tests/data/bad/${case_path}")
  endif()
  huqian_cli_test("bad input: ${case_name}" ${case_code} "${case_text}" info "${case_path}")
endforeach()

# Scenario exports (huqian export --scenario): an unknown name is bad input (exit 1, one
# line listing the names); neither --map nor --scenario is a usage error (exit 2).
huqian_cli_test("export: unknown scenario lists the available ones" 1 "unknown scenario \"nope\" (available: all_zones)"
  export data/shuhan --scenario nope -o "${CMAKE_CURRENT_BINARY_DIR}/cli_scenario_unknown.pdf")
huqian_cli_test("export: --map or --scenario is required" 2 "--map" export data/shuhan
  -o "${CMAKE_CURRENT_BINARY_DIR}/cli_no_map.pdf")
huqian_cli_test("export: before/after of Shuhan's zones" 0 "" export data/shuhan --scenario zones --dpi 72
  -o "${CMAKE_CURRENT_BINARY_DIR}/cli_scenario_zones.png")

# Issue 15: a missing choice between options is a usage error (exit 2) with a message.
huqian_cli_test("autocorr without --var or --share is a usage error" 2 "give exactly one of --group GROUP, --var COL and --share GROUP:TOTAL"
  autocorr data/shuhan)
huqian_cli_test("--crs in US feet is refused" 1 "measures in US survey foot"
  info data/shuhan --crs EPSG:3435)
huqian_cli_test("--crs geocentric is refused" 1 "is geocentric" info data/shuhan --crs EPSG:4978)
