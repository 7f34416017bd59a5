# Tab completes globals, methods after ':', columns after a film's '.', the
# keys of where{...}, and file names inside a string. Driven through tmux
# (tests/repl/tmux.lib).
. "$(dirname "$0")/tmux.lib"

mkdir -p "$WORK/files"
: > "$WORK/files/catalogue_for_tab.csv"

start_reel
wait_for "help() lists the calls"

# Each case types a line, presses Tab, then makes the line print itself
# as a string (the completed line is then on the screen twice).
complete_line() {
	type_text "$1"
	keys Tab
}

complete_line "films:whe"
check "a method completes after films:" wait_for "films:where"
keys C-u
type_line ""

complete_line "films[1].dur"
check "a column completes after films[1]." wait_for "films[1].duration"
keys Enter
check "the completed column runs" wait_for_line \
	"$("$REEL" -e 'print(films[1].duration)')"

complete_line "films:where{dur"
check "a column completes as a key of where{" wait_for "films:where{duration"
type_line " = {lt = 110}}:count()"
check "the completed where runs" wait_for_line \
	"$("$REEL" -e 'print(#films:where{duration = {lt = 110}})')"

complete_line "films:where{duration = {bet"
check "an operator completes inside where's condition" \
	wait_for "films:where{duration = {between"
type_line " = {100, 110}}}:count()"
check "the completed operator runs" wait_for_line \
	"$("$REEL" -e 'print(#films:where{duration = {between = {100, 110}}})')"

complete_line 'films:sort("-dur'
check "a column completes inside sort's string, with its minus" \
	wait_for 'films:sort("-duration"'
type_line '):first().title'
check "the completed sort runs" wait_for_line \
	"$("$REEL" -e 'print(films:sort("-duration"):first().title)')"

complete_line "films:sort(\"-year\"):lim"
check "a method completes after a query's call" \
	wait_for 'films:sort("-year"):limit'
keys C-u
type_line ""

complete_line "films:sort(\"rank\"):first().tit"
check "a column completes after a call that gives a film" \
	wait_for 'films:sort("rank"):first().title'
keys C-u
type_line ""

complete_line "ree"
check "a global completes" wait_for "> reel"
type_text ".ver"
keys Tab
check "a module field completes" wait_for "> reel.version"
keys Enter
check "the completed field runs" wait_for_line "$("$REEL" -e 'print(reel.version)')"

complete_line "films[1].title:up"
check "a string method completes after a string column" \
	wait_for "films[1].title:upper"
keys C-u
type_line ""

complete_line "x = \"$WORK/files/catalogue_for"
check "a file name completes inside a string" \
	wait_for "$WORK/files/catalogue_for_tab.csv\""
keys C-u
type_line ""

type_line "print(\"still here\")"
check "the session goes on" wait_for "still here" 2

done_testing
