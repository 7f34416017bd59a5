#!/bin/sh
# tests/repl/width.sh: a table of titles with emoji built of several code
# points (a family joined by U+200D, a heart with a variation selector, a
# flag, a skin tone), Korean and a combining accent lines up in a real
# terminal: each of its lines, printed alone in tmux, ends at the same
# column, the one reel's own widths say.
. "$(dirname "$0")/tmux.lib"

printf 'title,year\n%s\n%s\n%s\n%s\n%s\n%s\n' \
	'👨‍👩‍👧 family,2001' '❤️ heart,2002' '🇰🇷 flag,2003' '👍🏽 thumbs,2004' \
	'괴물 monster,2006' 'Ame\314\201lie,2001' > "$WORK/emoji.csv"
"$REEL" -d "$WORK/emoji.csv" -e 'films:print()' > "$WORK/table.txt"

# The column where the cursor stands after tmux draws `line`.
# A server of its own for each line, so no start races the last one's end.
cursor_after() {
	starts=$((starts + 1))
	SOCKET=$SOCKET_BASE-$starts
	printf '%s' "$1" > "$WORK/line$starts.txt"
	tmux -L "$SOCKET" -f /dev/null new-session -d -s "$PANE" -x 120 -y 5 \
		"cat '$WORK/line$starts.txt'; sleep 60"
	tries=$((WAIT_SECONDS * 10))
	while [ "$tries" -gt 0 ]; do
		x=$(tmux -L "$SOCKET" display -p -t "$PANE" '#{cursor_x}' 2>/dev/null)
		[ -n "$x" ] && [ "$x" -gt 0 ] && { echo "$x"; return; }
		sleep 0.1
		tries=$((tries - 1))
	done
	echo 0
}

while IFS= read -r line; do cursor_after "$line"; done < "$WORK/table.txt" > "$WORK/widths"
widths=$(sort -u "$WORK/widths")
check "every line of the table ends at one column in tmux ($(echo $widths))" \
	[ "$(echo "$widths" | wc -l)" -eq 1 ]
check "and that column is the table's own width" \
	[ "$widths" -eq "$(head -n 1 "$WORK/table.txt" | "$REEL" -e 'local l = io.read("l") print(utf8.len(l))')" ]
done_testing
