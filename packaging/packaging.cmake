# Installing and packaging logchain: `cpack` builds a .deb with the binary,
# the pattern files, a man page generated from --help (help2man) and shell
# completions for bash and zsh. Included from the top-level CMakeLists.txt.

include(GNUInstallDirs)

install(TARGETS logchain RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

if(EXISTS ${PROJECT_SOURCE_DIR}/patterns)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/patterns/
          DESTINATION ${CMAKE_INSTALL_DATADIR}/logchain/patterns)
endif()

install(FILES ${CMAKE_CURRENT_LIST_DIR}/completions/logchain.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME logchain)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/completions/_logchain
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)

# The man page is the help text, so it cannot drift from the binary.
find_program(HELP2MAN help2man)
if(HELP2MAN)
  set(manpage ${CMAKE_CURRENT_BINARY_DIR}/logchain.1)
  add_custom_command(
    OUTPUT ${manpage}.gz
    COMMAND ${HELP2MAN} --no-info --section=1
            "--name=streaming log filter: gunicorn lines to structlog JSON"
            --output=${manpage} $<TARGET_FILE:logchain>
    COMMAND gzip -9nf ${manpage}
    DEPENDS logchain
    COMMENT "Generating the man page from logchain --help"
    VERBATIM)
  add_custom_target(manpage ALL DEPENDS ${manpage}.gz)
  install(FILES ${manpage}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(STATUS "help2man not found (tools/bootstrap installs it): no man page in the package")
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME logchain)
set(CPACK_PACKAGE_VENDOR "logchain")
set(CPACK_PACKAGE_CONTACT "logchain maintainers <maintainers@logchain.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # Depends: from the libraries the binary links
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/logchain/logchain")
set(CPACK_STRIP_FILES ON)
include(CPack)
