#!/usr/bin/env bats
# reel as a Lua module and a rock: reel.so in plain lua5.4 (reel.load,
# reel.films, every Query method, the same answers as the reel command),
# luarocks make into a temporary tree, and make install to another prefix
# (the share folder found from the executable, the module in Lua's C module
# folder, the man page and shell completion); CPPFLAGS, LDFLAGS and LIBS.

bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_DIRNAME/../.."
	unset REEL_DATA REEL_PATH LUA_INIT LUA_INIT_5_4 LUA_PATH LUA_PATH_5_4 \
		LUA_CPATH_5_4
	export LUA_CPATH="./?.so"
	# make check's valgrind run has a script standing in for ./reel, and no
	# module or sources beside it: there is nothing of this file to test.
	head -c 4 reel | grep -q ELF || skip "./reel is a stand-in, not the build"
}

# Plain lua5.4 cannot load a module built with AddressSanitizer (make
# check's first run): the tests that load ./reel.so skip it.
needs_plain_module() {
	if ldd reel.so 2>/dev/null | grep -q libasan; then
		skip "reel.so is built with AddressSanitizer"
	fi
}

@test "require \"reel\" in lua5.4: the built-in list as reel.films" {
	needs_plain_module
	run lua5.4 -e 'local reel = require "reel"
		print(reel.version, #reel.films, reel.films[8].title, tostring(reel.null))'
	[ "$status" -eq 0 ]
	[ "$output" = "$(./reel -e 'print(reel.version)')"$'\t10\tSilenced\treel.null' ]
}

@test "the module answers a chain as the command does" {
	needs_plain_module
	chain='films:where{year = {ge = 2010}}:sort("-duration", "title"):limit(4):select("title", "year", "duration")'
	expected=$(./reel -e "$chain:print('csv') print(films:avg('duration'), #films:search('prison'))")
	run lua5.4 -e "local reel = require 'reel' local films = reel.films
		$chain:print('csv') print(films:avg('duration'), #films:search('prison'))"
	[ "$status" -eq 0 ]
	[ "$output" = "$expected" ]
}

@test "the module has every Query method the command has" {
	needs_plain_module
	list='local _, m = debug.getupvalue(getmetatable(reel.films).__index, 1)
		local names = {} for k in pairs(m) do names[#names + 1] = k end
		table.sort(names) print(table.concat(names, " "))'
	expected=$(./reel -e "$list")
	run lua5.4 -e "local reel = require 'reel' $list"
	[ "$output" = "$expected" ]
	[[ " $output " == *" where "* ]]
	[[ " $output " == *" histogram "* ]]
}

@test "reel.load, save and load back, groups and films in the module" {
	needs_plain_module
	run lua5.4 -e "
		local reel = require 'reel'
		local t = assert(reel.load('tests/data/films.jsonl'))
		local path = '$BATS_TEST_TMPDIR/films.csv'
		assert(reel.films:save(path))
		local back = assert(reel.load(path))
		local years = 0
		for year, g in back:group('year') do years = years + 1 end
		print(#t > 0, #back, years, back:first().title, reel.load('/no/such.csv'))"
	[ "$status" -eq 0 ]
	[[ "$output" == $'true\t10\t7\tMiracle in Cell No. 7\tnil\t'*"/no/such.csv"* ]]
}

@test "reel.so exports luaopen_reel alone" {
	needs_plain_module
	run sh -c "nm -D --defined-only reel.so | awk '{ print \$3 }'"
	[ "$output" = luaopen_reel ]
}

@test "the rockspec's version is reel's" {
	version=$(./reel -e 'io.write(reel.version)')
	[ -f "reel-$version-1.rockspec" ]
	grep -q "^version = \"$version-1\"" "reel-$version-1.rockspec"
}

@test "luarocks make builds and installs the rock into a tree" {
	src=$BATS_TEST_TMPDIR/src
	mkdir -p "$src"
	cp -r -L Makefile src data reel-*.rockspec "$src"
	(cd "$src" && MAKEFLAGS=-j2 luarocks --lua-version 5.4 make \
		--tree="$BATS_TEST_TMPDIR/tree" > "$BATS_TEST_TMPDIR/luarocks.log" 2>&1) ||
		{ cat "$BATS_TEST_TMPDIR/luarocks.log"; return 1; }
	[ -f "$BATS_TEST_TMPDIR/tree/lib/lua/5.4/reel.so" ]
	run luarocks --lua-version 5.4 --tree="$BATS_TEST_TMPDIR/tree" list --porcelain
	[[ "$output" == reel* ]]
	LUA_CPATH="$BATS_TEST_TMPDIR/tree/lib/lua/5.4/?.so" run lua5.4 -e \
		'local reel = require "reel" print(#reel.films:where{year = 2013})'
	[ "$output" = 3 ]
}

# make install with the build as it is (-o: never remade here).
install_to() {
	make -s -o reel -o reel.so -o build/reel.map install "$@" \
		> "$BATS_TEST_TMPDIR/install.log" 2>&1 ||
		{ cat "$BATS_TEST_TMPDIR/install.log"; return 1; }
}

@test "make install to another prefix: scripts, module, man page, completion" {
	prefix=$BATS_TEST_TMPDIR/elsewhere
	install_to PREFIX="$prefix"
	run "$prefix/bin/reel" --list
	[ "$status" -eq 0 ]
	[[ "$output" == *by_decade* ]]
	cd "$BATS_TEST_TMPDIR"
	run "$prefix/bin/reel" by_decade
	[ "$status" -eq 0 ]
	[[ "$output" == *2010s* ]]
	[ -f "$prefix/lib/lua/5.4/reel.so" ]
	if ! ldd "$prefix/lib/lua/5.4/reel.so" | grep -q libasan; then
		LUA_CPATH="$prefix/lib/lua/5.4/?.so" run lua5.4 -e 'print(#require("reel").films)'
		[ "$output" = 10 ]
	fi
	[ -f "$prefix/share/man/man1/reel.1" ]
	[ -f "$prefix/share/bash-completion/completions/reel" ]
	[ -f "$prefix/share/zsh/site-functions/_reel" ]
	[ -f "$prefix/share/doc/reel/LICENSE" ]
	cd "$BATS_TEST_DIRNAME/../.."
	make -s uninstall PREFIX="$prefix"
	[ ! -e "$prefix/bin/reel" ] && [ ! -e "$prefix/share/reel" ] &&
		[ ! -e "$prefix/lib/lua/5.4/reel.so" ]
}

@test "a staged install (DESTDIR) finds its scripts where it lands" {
	install_to DESTDIR="$BATS_TEST_TMPDIR/stage" PREFIX=/opt/reel
	run "$BATS_TEST_TMPDIR/stage/opt/reel/bin/reel" random_under 200 --count 2
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "CPPFLAGS, LDFLAGS and LIBS reach the compiler and the linker" {
	run sh -c 'make -B -n reel reel.so CPPFLAGS=-DREEL_TEST_CPPFLAGS \
		LDFLAGS=-Wl,-zreel-test-ldflags LIBS=-lreel_test_libs |
		sed -e :a -e "/\\\\\$/N; s/\\\\\n//; ta"'
	[ "$status" -eq 0 ]
	compiles=$(printf '%s\n' "$output" | grep -c -- ' -c -o ')
	with_cppflags=$(printf '%s\n' "$output" | grep -- ' -c -o ' | grep -c -- -DREEL_TEST_CPPFLAGS)
	[ "$compiles" -gt 0 ] && [ "$compiles" -eq "$with_cppflags" ]
	links=$(printf '%s\n' "$output" | grep -E -- '-o (reel|reel\.so) ')
	[ "$(printf '%s\n' "$links" | grep -c -- -Wl,-zreel-test-ldflags)" -eq 2 ]
	[ "$(printf '%s\n' "$links" | grep -c -- -lreel_test_libs)" -eq 2 ]
}
