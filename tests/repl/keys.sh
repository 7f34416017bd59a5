# Ctrl-C stops running code and the session answers again; Ctrl-C at the
# prompt drops the line; Ctrl-D on an empty line leaves with status 0.
# Driven through tmux (tests/repl/tmux.lib).
. "$(dirname "$0")/tmux.lib"

start_reel
wait_for "help() lists the calls"

type_line 'while true do end'
sleep 0.3 # let the loop start; the check below waits on the screen
keys C-c
check "Ctrl-C interrupts a running loop" wait_for "interrupted!"
type_line 'print("answering " .. 2 * 21)'
check "the session answers after the interrupt" wait_for "answering 42"

type_line 'films:filter(function(f) while true do end end)'
sleep 0.3
keys C-c
check "Ctrl-C interrupts a filter's callback" wait_for "interrupted!" 2
type_line 'print("still " .. #films)'
check "the catalogue is still there after it" wait_for "still 10"

wait_for_prompt
type_text 'this line is never run'
keys C-c
check "Ctrl-C at the prompt shows ^C" wait_for "this line is never run^C"
type_line 'print("fresh " .. "prompt")'
check "a fresh prompt takes the next line" wait_for "fresh prompt"
check "the dropped line did not run" \
	sh -c '! tmux -L "$0" capture-pane -p -S - -t "$1" | grep -q "syntax error\|near"' \
	"$SOCKET" "$PANE"

type_line 'for i = 1, 2 do'
wait_for ">> "
sleep 0.2 # readline takes the terminal right after drawing the prompt
keys C-c
type_line 'print("after the " .. "open loop")'
check "Ctrl-C on the second prompt drops the whole chunk" \
	wait_for "after the open loop"

wait_for_prompt
keys C-d
check "Ctrl-D on an empty line leaves" wait_for_file "$WORK/status"
check "with status 0" test "$(cat "$WORK/status" 2>/dev/null)" = 0

start_reel
wait_for "help() lists the calls"
type_line 'os.exit(3)'
wait_for_file "$WORK/status"
check "os.exit at the prompt gives its status" \
	test "$(cat "$WORK/status" 2>/dev/null)" = 3

done_testing
