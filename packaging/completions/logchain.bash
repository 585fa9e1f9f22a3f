# bash completion for logchain.
# Options are read from `logchain --help` and processors from
# `logchain --list-processors`, so the completion never goes stale.

_logchain_processors() {
    "$1" --list-processors 2>/dev/null | awk '/^  [a-z_]+ /{print $1}'
}

_logchain() {
    local cur prev i
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    local prog=${COMP_WORDS[0]}

    # After "--": the command to run and its arguments.
    for ((i = 1; i < COMP_CWORD; i++)); do
        if [[ ${COMP_WORDS[i]} == -- ]]; then
            if ((i + 1 == COMP_CWORD)); then
                mapfile -t COMPREPLY < <(compgen -c -- "$cur")
            elif declare -F _command_offset >/dev/null; then
                _command_offset $((i + 1))
            else
                mapfile -t COMPREPLY < <(compgen -f -- "$cur")
            fi
            return 0
        fi
    done

    case $prev in
        -o | --output | -c | --config)
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
            return 0
            ;;
        --json)
            mapfile -t COMPREPLY < <(compgen -W "seed compact" -- "$cur")
            return 0
            ;;
        --format)
            mapfile -t COMPREPLY < <(compgen -W "json console" -- "$cur")
            return 0
            ;;
        --color)
            mapfile -t COMPREPLY < <(compgen -W "auto always never" -- "$cur")
            return 0
            ;;
        --describe)
            mapfile -t COMPREPLY < <(compgen -W "$(_logchain_processors "$prog")" -- "$cur")
            return 0
            ;;
        --chain)
            # A comma-separated list: complete the name after the last comma.
            local head=${cur%,*} names
            [[ $cur == *,* ]] && head="$head," || head=""
            names=$(_logchain_processors "$prog")
            mapfile -t COMPREPLY < <(compgen -W "$names" -P "$head" -- "${cur##*,}")
            return 0
            ;;
        --set | -j | --jobs | --max-line-bytes | --default-level | --default-logger)
            return 0
            ;;
    esac

    if [[ $cur == -* ]]; then
        local options
        options=$("$prog" --help 2>/dev/null | grep -oE -- '--?[a-zA-Z][a-zA-Z-]*' | sort -u)
        mapfile -t COMPREPLY < <(compgen -W "$options --" -- "$cur")
        return 0
    fi
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
}

complete -o default -F _logchain logchain
