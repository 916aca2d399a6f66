# SPDX-License-Identifier: ISC
# bash completion for svctl (svtree): verbs, options, and the services of $SVDIR.
# Installed as $PREFIX/share/bash-completion/completions/svctl.

_svctl_services ()
{
    local dir=${SVDIR:-/etc/service} f
    for f in "$dir"/*; do
        [[ -d $f && ${f##*/} != .* ]] && printf '%s\n' "${f##*/}"
    done
}

_svctl ()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local verbs='status up down once restart start stop pause cont hup alarm interrupt quit 1 2 term kill exit check shutdown reload try-restart force-stop force-reload force-restart force-shutdown'
    local opts='-v -w -u -d -o -x -p -c -h -a -i -q -1 -2 -t -k -r --help --version'
    local i verb= letters=
    COMPREPLY=()
    [[ $prev == -w ]] && return 0
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            -w) ((i++)) ;;
            -w*|-v|--*) ;;
            -*) letters=1 ;;
            *) verb=${COMP_WORDS[i]}; break ;;
        esac
    done
    if [[ -z $verb && -z $letters ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$verbs" -- "$cur"))
        fi
        return 0
    fi
    if [[ $cur == -* ]]; then
        [[ $verb == status ]] && COMPREPLY=($(compgen -W '--json' -- "$cur"))
        return 0
    fi
    if [[ $cur == [/.]* ]]; then
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -d -- "$cur"))
        return 0
    fi
    local IFS=$'\n'
    COMPREPLY=($(compgen -W "$(_svctl_services)" -- "$cur"))
}
complete -F _svctl svctl
