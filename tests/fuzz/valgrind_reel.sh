#!/bin/sh
# valgrind_reel.sh MIRROR ROOT: prints a ./reel stand-in for make check's
# valgrind mirror (MIRROR links ROOT's tests, data and scripts), running
# ROOT/reel under valgrind memcheck. Any memory error or definite leak makes
# it exit 99, which no command-line test expects. Run as ./reel from the
# mirror, it runs ./reel from ROOT (the same files seen from there), so the
# program still sees itself called ./reel.
set -eu
cat <<SCRIPT
#!/bin/sh
memcheck() {
	exec valgrind -q --error-exitcode=99 --leak-check=full \\
		--errors-for-leak-kinds=definite,indirect \\
		--show-leak-kinds=definite,indirect "\$@"
}
if [ "\$0" = ./reel ] && [ "\$(pwd -P)" = "\$(cd "$1" && pwd -P)" ]; then
	cd "$2" && memcheck ./reel "\$@"
fi
memcheck "$2/reel" "\$@"
SCRIPT
