# A --patterns-dir file that RE2 refuses stops logchain at start: exit 2,
# nothing on stdout, and stderr names the file, the line and RE2's reason,
# for every broken file at once.
#
# cmake -DLOGCHAIN=path/to/logchain -DWORK_DIR=dir -P patterns_dir_refused.cmake
set(dir "${WORK_DIR}/patterns_dir_refused")
file(REMOVE_RECURSE "${dir}")
file(MAKE_DIRECTORY "${dir}")
file(WRITE "${dir}/backref.pattern" "@sample aa\n(?P<a>a)  # first\n\\1  # back-reference\n")
file(WRITE "${dir}/lookahead.pattern" "(?P<a>a)  # first\n(?=b)b  # look-ahead\n")
file(WRITE "${dir}/input.log" "aa\n")
execute_process(
  COMMAND "${LOGCHAIN}" --patterns-dir "${dir}" --chain parse_pattern
          --set parse_pattern.pattern=backref "${dir}/input.log"
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
if(NOT status EQUAL 2)
  message(FATAL_ERROR "expected exit status 2, got ${status}\n${err}")
endif()
if(NOT out STREQUAL "")
  message(FATAL_ERROR "expected no output, got:\n${out}")
endif()
foreach(expected "${dir}/backref.pattern:3: RE2 error: near '\\1': invalid escape sequence"
                 "${dir}/lookahead.pattern:2: RE2 error: near '(?=': invalid perl operator")
  string(FIND "${err}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "stderr lacks \"${expected}\":\n${err}")
  endif()
endforeach()
file(REMOVE_RECURSE "${dir}")
