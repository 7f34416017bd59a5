# zsh completion (completion/_reel) in a real zsh in a terminal: options,
# the formats of -o, bundled scripts and files after --data, each by Tab.
# Driven through tmux (tests/repl/tmux.lib); skipped without zsh.
. "$(dirname "$0")/tmux.lib"

if ! command -v zsh >/dev/null; then
	echo "1..0 # SKIP zsh is not installed"
	exit 0
fi

# A zsh without the machine's or the user's setup, with reel on PATH and
# _reel on fpath.
mkdir -p "$WORK/bin"
ln -s "$REEL" "$WORK/bin/reel"
cat > "$WORK/.zshrc" <<ZSH
fpath=("$(pwd)/completion" \$fpath)
path=("$WORK/bin" \$path)
autoload -U compinit && compinit -u -d "$WORK/zcompdump"
PROMPT='zsh> '
ZSH
tmux -L "$SOCKET" -f /dev/null new-session -d -s "$PANE" -x 120 -y 40 \
	-c "$(pwd)" env -u REEL_DATA ZDOTDIR="$WORK" HOME="$WORK" zsh -d -i

# tab_line TEXT: a fresh line, TEXT typed, then Tab.
tab_line() {
	keys C-u
	type_text "$1"
	keys Tab
}

check "zsh starts with the completion loaded" wait_for "zsh> "

tab_line "reel --outp"
check "an option completes" wait_for "reel --output"

tab_line "reel -o jsonl --sand"
check "an option after -o FORMAT completes" wait_for "reel -o jsonl --sandbox"

tab_line "reel --output=mark"
check "the format after --output= completes" wait_for "reel --output=markdown"

tab_line "reel by_de"
check "a bundled script's name completes" wait_for "reel by_decade"

tab_line "reel --data tests/data/rel"
check "a file after --data completes" wait_for "reel --data tests/data/released.csv"

tab_line "reel random_u"
check "another script name" wait_for "reel random_under"

done_testing
