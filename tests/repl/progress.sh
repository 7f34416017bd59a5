# Progress on standard error: a step that runs longer than half a second
# shows a line there (what, rows, MB/s, a percentage when the size is known)
# when standard error is a terminal, wiped when the step ends; nothing at all
# when it is not a terminal. The steps are held up by the test, not timed:
# printing into a pipe whose reader waits for a file, loading a named pipe
# whose writer waits. Driven through tmux (tests/repl/tmux.lib).
. "$(dirname "$0")/tmux.lib"

# 40000 films, about 2 MB of CSV: far more than a pipe holds.
awk 'BEGIN { print "id,title,year,duration";
	for (i = 1; i <= 40000; i++) printf "%d,Film number %d,%d,%d\n", i, i, 1950 + i % 70, 80 + i % 90 }' \
	> "$WORK/big.csv"

# hold NAME: a shell loop that waits for $WORK/NAME to exist.
hold() {
	printf 'while [ ! -e "%s/%s" ]; do sleep 0.1; done' "$WORK" "$1"
}

# run_in_pane COMMAND: a shell command in a fresh pane; "$WORK/done" when it
# has finished.
run_in_pane() {
	tmux -L "$SOCKET" kill-server 2>/dev/null
	starts=$((starts + 1))
	SOCKET=$SOCKET_BASE-$starts
	rm -f "$WORK/done"
	printf '%s\necho finished > "%s/done"\n' "$1" "$WORK" > "$WORK/pane.sh"
	tmux -L "$SOCKET" -f /dev/null new-session -d -s "$PANE" -x 120 -y 40 \
		env -u REEL_DATA HOME="$WORK" sh "$WORK/pane.sh"
	tmux -L "$SOCKET" set-option -t "$PANE" remain-on-exit on >/dev/null
}

last_line() {
	screen | sed 's/ *$//' | grep -v '^$' | tail -n 1
}

# {====== Printing into a pipe that is not read yet ======
run_in_pane "\"$REEL\" -d \"$WORK/big.csv\" -e 'films:print(\"csv\")' |
	{ $(hold go1); cat > \"$WORK/printed.csv\"; }"
check "printing held up shows its progress: rows of the total and MB/s" \
	wait_for_regex '^reel: printing: [0-9,]+ of 40,000 rows \([0-9]+%\), [0-9.]+ MB at [0-9.]+ MB/s, [0-9.]+ s$'
touch "$WORK/go1"
check "the printing ends" wait_for_file "$WORK/done"
check "every row went out" sh -c '[ "$(wc -l < "$1")" -eq 40001 ]' sh "$WORK/printed.csv"
check "the progress line is wiped when the step ends" \
	sh -c '! tmux -L "$0" capture-pane -p -t "$1" | grep -q "reel: printing"' "$SOCKET" "$PANE"
# }======

# {====== The same with standard error not a terminal ======
run_in_pane "\"$REEL\" -d \"$WORK/big.csv\" -e 'films:print(\"csv\")' 2> \"$WORK/stderr\" |
	{ $(hold go2); sleep 1; cat > /dev/null; }"
touch "$WORK/go2"
check "printing ends with standard error in a file" wait_for_file "$WORK/done"
check "nothing was written to standard error" test ! -s "$WORK/stderr"
# }======

# {====== Loading a named pipe whose writer waits ======
mkfifo "$WORK/held.csv"
run_in_pane "{ head -n 1000 \"$WORK/big.csv\"; $(hold go3); tail -n +1001 \"$WORK/big.csv\"; } > \"$WORK/held.csv\" &
\"$REEL\" -d \"$WORK/held.csv\" -e 'print(\"loaded\", #films)'"
check "a load held up shows its progress, naming the file" \
	wait_for_regex "^reel: loading $WORK/held.csv:.* [0-9.]+ s\$"
touch "$WORK/go3"
check "the load ends" wait_for_regex '^loaded +40000 *$'
check "the line is wiped before the script's output" \
	sh -c '[ "$(tmux -L "$0" capture-pane -p -t "$1" | grep -c "reel: loading")" -eq 0 ]' \
	"$SOCKET" "$PANE"
# }======

# {====== A named pipe with standard error not a terminal ======
rm -f "$WORK/held.csv"
mkfifo "$WORK/held.csv"
run_in_pane "{ head -n 1000 \"$WORK/big.csv\"; $(hold go4); tail -n +1001 \"$WORK/big.csv\"; } > \"$WORK/held.csv\" &
\"$REEL\" -d \"$WORK/held.csv\" -e 'print(\"loaded\", #films)' 2> \"$WORK/stderr4\""
sleep 1 # nothing to wait for on the screen: give a meter time to be wrong
touch "$WORK/go4"
check "a held load ends with standard error in a file" wait_for_file "$WORK/done"
check "and wrote nothing there" test ! -s "$WORK/stderr4"
# }======

done_testing
