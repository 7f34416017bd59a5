# The REPL prints what an expression gives: a query as a box-drawn table, a
# film as a record, a Lua value as lua does; loops span lines; errors do not
# end the session. Driven through tmux (tests/repl/tmux.lib).
. "$(dirname "$0")/tmux.lib"

start_reel
check "the banner names the catalogue and help()" \
	wait_for "10 films from the built-in list; help() lists the calls"
check "the first prompt shows" wait_for "> "

type_line "1 + 1"
check "an expression prints its value" wait_for_line "2"

type_line 'films:sort("rank"):limit(3):select("title", "year")'
first_row=$("$REEL" -e \
	'io.write(films:sort("rank"):limit(3):select("title", "year"):format())' |
	sed -n 4p)
check "a query prints as a table" wait_for "$first_row"
check "the table is box-drawn" wait_for "└───"

type_line 'films:sort("-duration")[1]'
check "a film prints as a record" wait_for_regex \
	"^duration: +$("$REEL" -e 'print(films:sort("-duration")[1].duration)') *\$"
check "the record names the film first" \
	wait_for "$("$REEL" -e 'print(films:sort("-duration")[1])')"

type_line 'for i = 1, 3 do'
check "an open loop asks for more on the second prompt" wait_for ">> "
type_line 'print("lap " .. i * 7)'
type_line 'end'
check "the loop runs when it is complete" wait_for "lap 21"

type_line '_PROMPT = "films? "'
check "_PROMPT changes the prompt" wait_for "films? "
type_line '_PROMPT2 = "more? " if true then'
check "_PROMPT2 changes the second prompt" wait_for "more? "
type_line 'end _PROMPT, _PROMPT2 = nil, nil'

type_line 'error("boom")'
check "an error prints its message" wait_for "stdin:1: boom"
wait_for_prompt
check "an error at the prompt itself needs no traceback" \
	sh -c '! tmux -L "$0" capture-pane -p -S - -t "$1" | grep -q "stack traceback"' "$SOCKET" "$PANE"
type_line 'local function explode() error("deep") end explode()'
check "an error inside a function shows where it came from" \
	wait_for "in local 'explode'"
type_line 'print(6 * 7 .. " after the error")'
check "the session goes on after an error" wait_for "42 after the error"

type_line '{year = 2013, tags = {"sad", "long"}, [1] = "first"}'
check "a Lua table prints as Lua" \
	wait_for '{"first", tags = {"sad", "long"}, year = 2013}'

type_line 'films:where{year = 2013}:count()'
type_line '_ * 100'
check "_ holds the last result" \
	wait_for_line "$("$REEL" -e 'print(#films:where{year = 2013} * 100)')"

type_line 'help("where")'
check "help shows a call with an example" wait_for "example: films:where{"
type_line 'help("nothing")'
check "help names an unknown topic" wait_for "no help for 'nothing'"

# Colour: the prompt is coloured on a terminal, and not under NO_COLOR.
coloured_prompt() {
	tmux -L "$SOCKET" capture-pane -p -e -t "$PANE" | grep -q "$(printf '\033')\[[0-9;]*m> "
}
check "the prompt is coloured on a terminal" coloured_prompt
EXTRA_ENV="NO_COLOR=1" start_reel
wait_for "help() lists the calls"
wait_for_prompt
check "NO_COLOR turns the colour off" sh -c '! tmux -L "$0" capture-pane -p -e -t "$1" | grep -q "$(printf "\033")"' "$SOCKET" "$PANE"

# The banner says where the catalogue came from.
printf 'title,year,duration\nA,2001,90\nB,2002,100\nC,2003,110\n' \
	> "$WORK/three.csv"
start_reel -d "$WORK/three.csv"
check "the banner names the catalogue file" \
	wait_for "3 films from $WORK/three.csv"
type_line 'films:where{year = {ge = 2002}}'
check "a user's catalogue prints as a table" wait_for "│ C     │ 2003 │      110 │"

# A long query: 20 rows and a count of the rest, cut to the pane's width.
awk 'BEGIN { print "title,year,duration,description";
	for (i = 1; i <= 30; i++) {
		printf "Film %d,%d,%d,", i, 1990 + i, 80 + i
		for (j = 0; j < 30; j++) printf "long words "
		print ""
	} }' > "$WORK/thirty.csv"
start_reel -d "$WORK/thirty.csv"
wait_for "30 films from"
type_line 'films'
check "a long query shows 20 rows and says how many more" wait_for "10 more"
check "the 21st row is not shown" sh -c '! tmux -L "$0" capture-pane -p -S - -t "$1" | grep -q "Film 21 "' "$SOCKET" "$PANE"
fits_the_pane() {
	screen | perl -CI -ne 'chomp; $bad = 1 if length > 120; END { exit $bad }' &&
		screen | grep -q "…"
}
check "its rows fit the pane, long cells cut with an ellipsis" fits_the_pane

done_testing
