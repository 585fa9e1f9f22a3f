# Runs one golden case end to end through the logchain binary:
#   logchain [arguments from CASE_DIR/args, one a line] CASE_DIR/input.log
# and compares its standard output with CASE_DIR/expected.jsonl, byte for
# byte. The binary's exit status must be 0. On a difference the actual output
# is kept in OUT_DIR and `diff -u` shows the first lines that differ.
#
# Every line of a golden input should carry its own time (gunicorn's lines
# do; traceback lines fold into the record before them): add_timestamp then
# stamps the event's own time and the output does not depend on the clock.
# For lines without one, put `--set` and `add_timestamp.source=event` in args.
#
# cmake -DLOGCHAIN=path/to/logchain -DCASE_DIR=tests/golden/NAME -DOUT_DIR=dir -P run_golden.cmake
foreach(var LOGCHAIN CASE_DIR OUT_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_golden.cmake needs -D${var}=...")
  endif()
endforeach()

set(args)
if(EXISTS "${CASE_DIR}/args")
  file(STRINGS "${CASE_DIR}/args" args)
endif()
get_filename_component(case "${CASE_DIR}" NAME)
file(MAKE_DIRECTORY "${OUT_DIR}")
set(actual "${OUT_DIR}/${case}.actual.jsonl")

execute_process(
  COMMAND "${LOGCHAIN}" ${args} "${CASE_DIR}/input.log"
  OUTPUT_FILE "${actual}"
  ERROR_VARIABLE stderr
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "golden ${case}: logchain exited with ${status}\n${stderr}")
endif()

execute_process(
  COMMAND "${CMAKE_COMMAND}" -E compare_files "${CASE_DIR}/expected.jsonl" "${actual}"
  RESULT_VARIABLE differ)
if(NOT differ EQUAL 0)
  execute_process(COMMAND diff -u "${CASE_DIR}/expected.jsonl" "${actual}"
                  OUTPUT_VARIABLE diff_text)
  string(SUBSTRING "${diff_text}" 0 6000 diff_text)
  message(FATAL_ERROR "golden ${case}: the output differs from expected.jsonl "
                      "(actual output: ${actual})\n${diff_text}")
endif()
