#!/bin/sh
# valgrind_reel.sh REEL: prints a ./reel stand-in that runs REEL under
# valgrind memcheck, for make check's build-valgrind/ mirror. Any memory
# error or definite leak makes it exit 99, which no command-line test
# expects; --max-memory and --timeout keep working (valgrind is only
# slower).
set -eu
cat <<SCRIPT
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full \\
	--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \\
	"$1" "\$@"
SCRIPT
