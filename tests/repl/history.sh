# History lives in $XDG_STATE_HOME/reel/history (folders made as needed),
# comes back with Up after a restart, drops repeats, keeps a multi-line
# chunk as one entry; REEL_HISTORY names another file. Driven through tmux
# (tests/repl/tmux.lib).
. "$(dirname "$0")/tmux.lib"

HISTORY="$WORK/state/reel/history"

start_reel
wait_for "help() lists the calls"
type_line 'print("from the first " .. "session")'
wait_for "from the first session"
type_line 'print("from the first " .. "session")'
wait_for "from the first session" 2
type_line 'for i = 1, 2 do'
type_line 'print("lap " .. i)'
type_line 'end'
wait_for "lap 2"
type_line 'x = "the last line"'
wait_for_prompt
keys C-d
wait_for_file "$WORK/status"
check "the history file is made with its folders" test -s "$HISTORY"
check "a repeated line is kept once" \
	test "$(grep -c -F 'print("from the first " .. "session")' "$HISTORY")" -eq 1

start_reel
wait_for "help() lists the calls"
wait_for_prompt
keys Up
check "Up recalls the last line of the previous session" \
	wait_for '> x = "the last line"'
keys Up
check "a multi-line chunk comes back as one entry" wait_for '> for i = 1, 2 do'
keys Up
check "the repeated line comes back once" \
	wait_for '> print("from the first " .. "session")'
keys Enter
check "the recalled line runs" wait_for "from the first session"
wait_for_prompt
keys Up Up Up # the line just run, the last line, then the chunk
check "the multi-line chunk is recalled in the next session too" \
	wait_for "> for i = 1, 2 do"
keys Enter
check "and runs whole" wait_for "lap 2"

# The file keeps the last 1000 entries.
awk 'BEGIN { for (i = 1; i <= 1500; i++) printf "#1700000000\nold_%d = %d\n", i, i }' \
	> "$HISTORY"
start_reel
wait_for "help() lists the calls"
type_line 'print("one more " .. "line")'
wait_for "one more line"
wait_for_prompt
keys C-d
wait_for_file "$WORK/status"
check "the history is capped at 1000 entries" \
	test "$(grep -c -v '^#' "$HISTORY")" -eq 1000
check "the newest entries are the ones kept" \
	sh -c 'tail -n 1 "$0" | grep -q "one more" && ! grep -q "^old_501 " "$0"' \
	"$HISTORY"

# REEL_HISTORY: another file.
EXTRA_ENV="REEL_HISTORY=$WORK/mine/hist" start_reel
wait_for "help() lists the calls"
type_line 'print("kept " .. "elsewhere")'
wait_for "kept elsewhere"
check "REEL_HISTORY names the file" wait_for_file "$WORK/mine/hist"

done_testing
