# bash completion for reel(1): its options, the formats of -o, the bundled
# scripts (as `reel --list` names them) and files after --data, or in place
# of a script. Installed as share/bash-completion/completions/reel.

_reel_formats="table csv tsv json jsonl markdown"
_reel_encodings="utf-8 latin1 cp1252 utf-16"
_reel_options="-e -l -i -E -d --data --encoding --nulls -o --output --column --seed --list
	--sandbox --timeout --max-memory -h --help -v --version --"

# Files matching the word, as bash-completion's own helpers would add them.
_reel_files()
{
	compopt -o filenames 2>/dev/null
	mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$1")
}

# Whether the word before the cursor (or before "=") is an option that
# takes an argument: its name, else nothing.
_reel_argument_of()
{
	local prev=${COMP_WORDS[COMP_CWORD-1]}
	if [ "$prev" = "=" ] && [ "$COMP_CWORD" -ge 2 ]; then
		prev=${COMP_WORDS[COMP_CWORD-2]}
	fi
	case $prev in
	-e|-l|-d|--data|--encoding|--nulls|-o|--output|--column|--seed|--timeout|--max-memory)
		printf '%s' "$prev" ;;
	esac
}

# The index of the script word before the cursor, or 0 when there is none.
_reel_script_index()
{
	local i=1 word
	while [ "$i" -lt "$COMP_CWORD" ]; do
		word=${COMP_WORDS[i]}
		case $word in
		--) [ $((i + 1)) -lt "$COMP_CWORD" ] && { echo $((i + 1)); return; }
		    echo 0; return ;;
		-e|-l|-d|--data|--encoding|--nulls|-o|--output|--column|--seed|--timeout|--max-memory)
			i=$((i + 1)) ;;
		=) i=$((i + 1)) ;;
		-*) ;;
		*) echo "$i"; return ;;
		esac
		i=$((i + 1))
	done
	echo 0
}

_reel()
{
	local cur=${COMP_WORDS[COMP_CWORD]} scripts
	[ "$cur" = "=" ] && cur=
	COMPREPLY=()
	if [ "$(_reel_script_index)" -ne 0 ]; then
		_reel_files "$cur" # the script's own arguments
		return
	fi
	case $(_reel_argument_of) in
	-d|--data) _reel_files "$cur"; return ;;
	-o|--output)
		mapfile -t COMPREPLY < <(compgen -W "$_reel_formats" -- "$cur")
		return ;;
	--encoding)
		mapfile -t COMPREPLY < <(compgen -W "$_reel_encodings" -- "$cur")
		return ;;
	?*) return ;; # Lua code, a name, a number: nothing to offer
	esac
	case $cur in
	-*) mapfile -t COMPREPLY < <(compgen -W "$_reel_options" -- "$cur")
	    return ;;
	esac
	scripts=$("${COMP_WORDS[0]}" --list 2>/dev/null | cut -d ' ' -f 1)
	mapfile -t COMPREPLY < <(compgen -W "$scripts" -- "$cur")
	_reel_files "$cur"
}

complete -F _reel reel
