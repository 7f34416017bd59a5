# A result taller than the screen goes through $PAGER, as psql and git page
# theirs: a Lua table as its text, a query in the -o format (all its rows,
# streamed), a box table uncut (the pager scrolls sideways). Shorter
# results print as before, and an empty PAGER pages nothing. The PAGER
# here records what it was given. Driven through tmux (tests/repl/tmux.lib).
. "$(dirname "$0")/tmux.lib"

cat > "$WORK/pager" <<PAGER
#!/bin/sh
n=\$(ls "$WORK" | grep -c '^paged\.' || true)
cat > "$WORK/paged.\$((n + 1))"
echo "PAGER read \$(wc -l < "$WORK/paged.\$((n + 1))") lines"
PAGER
chmod +x "$WORK/pager"
awk 'BEGIN { print "id,title,year";
	for (i = 1; i <= 100; i++) printf "%d,Film %d,%d\n", i, i, 1950 + i }' > "$WORK/hundred.csv"

resize() {
	tmux -L "$SOCKET" resize-window -t "$PANE" -y "$1"
}

EXTRA_ENV="PAGER=$WORK/pager" start_reel
check "the prompt shows" wait_for "> "

type_line 'films:limit(2):select("title")'
check "a short result prints on the screen" wait_for_regex "^│ Wedding Dress +│"
check "without the pager" test ! -e "$WORK/paged.1"

type_line '(function() local t = {} for i = 1, 45 do t[i] = ("row %02d "):format(i) .. ("x"):rep(90) end return t end)()'
check "a Lua table taller than the screen goes to the pager" \
	wait_for "PAGER read 47 lines"
check "the pager got the whole table" grep -q '"row 45 x' "$WORK/paged.1"

type_line 'print(6 * 7)'
check "the session goes on after the pager" wait_for_line 42

resize 12
type_line 'films'
check "a box table taller than the screen goes to the pager" \
	wait_for "PAGER read 14 lines"
check "uncut: the pager scrolls sideways" \
	grep -q -E "his daughter sets out to clear his name\. +│" "$WORK/paged.2"
resize 40

EXTRA_ENV="PAGER=$WORK/pager" start_reel -o csv -d "$WORK/hundred.csv"
check "the prompt shows with -o csv" wait_for "> "
type_line 'films:where{year = {le = 1960}}'
check "a short CSV result prints on the screen" wait_for_line "10,Film 10,1960"
type_line 'films'
check "a tall query in the -o format streams to the pager" \
	wait_for "PAGER read 101 lines"
"$REEL" -d "$WORK/hundred.csv" -e 'io.write(films:format("csv"))' > "$WORK/expected.csv"
check "every row, as CSV" cmp "$WORK/paged.3" "$WORK/expected.csv"

EXTRA_ENV="PAGER=" start_reel -d "$WORK/hundred.csv"
check "the prompt shows with an empty PAGER" wait_for "> "
type_line 'films:select("title")'
check "an empty PAGER pages nothing" wait_for "... 80 more rows"
check "no pager ran" test ! -e "$WORK/paged.4"

done_testing
