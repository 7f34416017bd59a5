# reel: a film query engine with Lua 5.4 as its query language.
# make            build ./reel and reel.so (the same binding as a Lua module)
# make deps       install the Debian packages the build and tests need
# make run        deps, build, then a random film under 110 minutes
# make test       unit, Lua API, command-line and REPL tests under prove
# make check      make test under ASan and UBSan, fuzz corpus replayed,
#                 3000 random sequences of API calls, the command-line tests
#                 under valgrind, and 3000 query chains against sqlite3
# make fuzz       each libFuzzer target for FUZZ_TIME (30) seconds
# make install    PREFIX (/usr/local) and DESTDIR honoured: the command,
#                 its scripts, the man page, shell completion and reel.so
#                 in Lua 5.4's module folder (LUA_CMODDIR)
# CPPFLAGS, CFLAGS, LDFLAGS and LIBS are honoured as usual.

PREFIX ?= /usr/local
BINDIR = $(PREFIX)/bin
SHAREDIR = $(PREFIX)/share/reel
MANDIR = $(PREFIX)/share/man/man1
DOCDIR = $(PREFIX)/share/doc/reel
# Where lua5.4 looks for C modules under PREFIX (package.cpath).
LUA_CMODDIR = $(PREFIX)/lib/lua/5.4
BASH_COMPLETIONDIR = $(PREFIX)/share/bash-completion/completions
ZSH_COMPLETIONDIR = $(PREFIX)/share/zsh/site-functions

CC ?= cc
PKG_CONFIG ?= pkg-config
WARNINGS = -Wall -Wextra -pedantic -Wshadow -Wmissing-prototypes \
           -Wstrict-prototypes -Werror
CFLAGS ?= -O2 -g
# The build does not depend on PREFIX: an installed reel finds its share
# folder from where the executable is.
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L $(WARNINGS) $(CPPFLAGS) \
             $(CFLAGS) -Isrc -Ibuild
LUA_CFLAGS = $(shell $(PKG_CONFIG) --cflags lua5.4 2>/dev/null)
LUA_LIBS = $(shell $(PKG_CONFIG) --libs lua5.4 2>/dev/null)
CORE_LIBS = -lutf8proc -lz -ldeflate -lsqlite3 -lzip -lm -pthread
REEL_LIBS = $(LUA_LIBS) -lreadline $(CORE_LIBS)
# How a shared library is linked (luarocks passes its own).
LIBFLAG = -shared

# The layers of DESIGN.md, one folder each: src/core is pure C (it never
# includes a Lua header), src/lua the binding, src/cli the front ends.
CORE = $(patsubst src/core/%.c,%,$(wildcard src/core/*.c))
BINDING = $(patsubst src/lua/%.c,%,$(wildcard src/lua/*.c))
FRONT = $(patsubst src/cli/%.c,%,$(wildcard src/cli/*.c))
CORE_OBJS = $(CORE:%=build/core/%.o) build/core/builtin_films.o
BINDING_OBJS = $(BINDING:%=build/lua/%.o)
FRONT_OBJS = $(FRONT:%=build/cli/%.o)
OBJS = $(CORE_OBJS) $(BINDING_OBJS) $(FRONT_OBJS)
# reel.so: the core and the binding again, as position-independent code.
MODULE_OBJS = $(CORE:%=build/pic/core/%.o) build/pic/core/builtin_films.o \
              $(BINDING:%=build/pic/lua/%.o)
LUA_TESTS = $(filter-out tests/lua/tap.lua,$(wildcard tests/lua/*.lua))
UNIT_TESTS = $(patsubst tests/unit/%.c,build/tests/%,$(filter-out tests/unit/tap.c,$(wildcard tests/unit/test_*.c)))

DEBIAN_PACKAGES = gcc make pkg-config perl liblua5.4-dev lua5.4 luarocks \
                  libreadline-dev libutf8proc-dev zlib1g-dev libsqlite3-dev libzip-dev libdeflate-dev \
                  bats tmux sqlite3 zip valgrind clang libclang-rt-14-dev \
                  less bash-completion zsh
SUDO = $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps run test check fuzz install install-module uninstall clean \
        bench

all: reel reel.so

reel: $(OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(REEL_LIBS) $(LIBS)

# Only luaopen_reel is exported; Lua's own symbols come from the lua5.4
# that loads the module.
reel.so: $(MODULE_OBJS) build/reel.map
	$(CC) $(ALL_CFLAGS) $(LIBFLAG) $(LDFLAGS) -Wl,--version-script=build/reel.map \
	  -o $@ $(MODULE_OBJS) $(CORE_LIBS) $(LIBS)

build/reel.map: | build/.made
	printf '{ global: luaopen_reel; local: *; };\n' > $@

# The core is compiled without Lua's include path, so a Lua header there fails.
build/core/%.o: src/core/%.c $(wildcard src/core/*.h) | build/.made
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/lua/%.o: src/lua/%.c $(wildcard src/core/*.h src/lua/*.h) | build/.made
	$(CC) $(ALL_CFLAGS) $(LUA_CFLAGS) -c -o $@ $<

build/cli/%.o: src/cli/%.c $(wildcard src/*/*.h) | build/.made
	$(CC) $(ALL_CFLAGS) $(LUA_CFLAGS) -c -o $@ $<

# The built-in catalogue, as a C array.
build/core/builtin_films.c: data/films.csv | build/.made
	{ echo '/* generated from data/films.csv by make: do not edit */'; \
	  echo '#include "core/builtin.h"'; \
	  echo 'const unsigned char reel_films_csv[] = {'; \
	  od -An -v -tx1 data/films.csv | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	  echo '};'; \
	  echo 'const size_t reel_films_csv_size = sizeof reel_films_csv;'; } > $@

build/core/builtin_films.o: build/core/builtin_films.c src/core/builtin.h
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/pic/core/%.o: src/core/%.c $(wildcard src/core/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC -c -o $@ $<

build/pic/core/builtin_films.o: build/core/builtin_films.c src/core/builtin.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC -c -o $@ $<

build/pic/lua/%.o: src/lua/%.c $(wildcard src/core/*.h src/lua/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LUA_CFLAGS) -fPIC -c -o $@ $<

build/.made:
	mkdir -p build/tests build/core build/lua build/cli
	touch $@

build/tests/%: tests/unit/%.c tests/unit/tap.c $(wildcard tests/unit/*.h) $(CORE_OBJS) | build/.made
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -Itests/unit -o $@ $< tests/unit/tap.c \
	  $(CORE_OBJS) $(CORE_LIBS) $(LIBS)

deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $$missing; \
	fi

run: deps
	$(MAKE) reel
	./reel random_under 110

test: deps
	$(MAKE) reel reel.so $(UNIT_TESTS)
	prove --exec tests/run $(UNIT_TESTS) $(LUA_TESTS) tests/diff/*.lua \
	  tests/cli/*.bats $(wildcard tests/repl/*.sh)

# Timings against sqlite3, DuckDB and lua5.4 on ROWS synthetic films, and
# the peak memory printing them adds, and a soak of 3,000 mixed queries in
# one process (resident memory growth); never part of make test.
ROWS ?= 1000000
bench: reel
	SCALE=$(SCALE) tests/bench/run.sh $(ROWS)
	tests/bench/print_memory.sh $(ROWS)
	tests/bench/soak.sh $(ROWS)

# {====== Hardening: make check, make fuzz ======
# make check: make test again with AddressSanitizer and UBSan, built in
# build-asan/ (a mirror of the checkout holding its own build/ and ./reel);
# the fuzz corpus and the allocation-failure walk replayed there, and the
# API fuzzer (tests/fuzz/api.lua) run; then the
# command-line tests with ./reel under valgrind memcheck (build-valgrind/).
SAN_CFLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
             -fno-sanitize-recover=all
SAN_ENV = ASAN_OPTIONS=exitcode=86:detect_leaks=1:abort_on_error=0 \
          UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 LSAN_OPTIONS=exitcode=86
MIRRORED = Makefile src tests data scripts reel.1 .ci completion LICENSE \
           README.md $(wildcard *.rockspec)
FUZZ_TARGETS = read_csv read_tsv read_json read_zip template where date
FUZZ_TIME ?= 30
# The API fuzzer's run: random call sequences on the Lua API, a new seed
# each time unless API_SEED is given (the seed is printed first).
API_SEQUENCES ?= 3000
API_SEED ?= $(shell date +%s)
FUZZ_CC ?= clang
FUZZ_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -Wall -Isrc \
              -Itests/fuzz -fsanitize=fuzzer,address,undefined \
              -fno-sanitize-recover=all

check: deps
	$(MAKE) reel
	@mkdir -p build-asan build-valgrind
	@for f in $(MIRRORED); do ln -sfn ../$$f build-asan/$$f; done
	$(SAN_ENV) $(MAKE) -C build-asan test CFLAGS="$(SAN_CFLAGS)"
	$(MAKE) -C build-asan CFLAGS="$(SAN_CFLAGS)" $(FUZZ_TARGETS:%=build/replay_%)
	cd build-asan && for t in $(FUZZ_TARGETS); do \
	  $(SAN_ENV) build/replay_$$t tests/fuzz/corpus/$$t/* || exit 1; done
	cd build-asan && $(SAN_ENV) REEL_API_SEQUENCES=$(API_SEQUENCES) \
	  REEL_API_SEED=$(API_SEED) timeout 900 ./reel tests/fuzz/api.lua > /dev/null
	@for f in tests data scripts reel.1 completion; do \
	  ln -sfn ../$$f build-valgrind/$$f; done
	tests/fuzz/valgrind_reel.sh "$$PWD/build-valgrind" "$$PWD" > build-valgrind/reel
	chmod +x build-valgrind/reel
	cd build-valgrind && REEL_TIME_SLACK=20 prove -j2 --exec tests/run tests/cli/*.bats
	REEL_DIFF_CHAINS=3000 REEL_DIFF_SEED=7 \
	  prove --exec tests/run tests/diff/*.lua

# The replay of one fuzz target's corpus, without libFuzzer.
build/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.c tests/fuzz/replay.c \
                tests/fuzz/fuzz.h tests/unit/where_once.h $(CORE_OBJS) | build/.made
	$(CC) $(ALL_CFLAGS) -Itests/fuzz -o $@ $< tests/fuzz/fuzz.c \
	  tests/fuzz/replay.c $(CORE_OBJS) $(CORE_LIBS)

# The allocation-failure walk links the core and the binding.
build/tests/test_alloc_chain: tests/unit/test_alloc_chain.c tests/unit/tap.c \
                              $(CORE_OBJS) $(BINDING_OBJS)
	$(CC) $(ALL_CFLAGS) $(LUA_CFLAGS) $(LDFLAGS) -Itests/unit -o $@ $< \
	  tests/unit/tap.c $(CORE_OBJS) $(BINDING_OBJS) $(REEL_LIBS) $(LIBS)

# make fuzz: each libFuzzer target for FUZZ_TIME seconds, new inputs kept in
# build-fuzz/corpus, crashes in build-fuzz/crashes (copy each one into
# tests/fuzz/corpus/TARGET/ so make check replays it from then on).
build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.c tests/fuzz/fuzz.h \
                   $(CORE:%=src/core/%.c) $(wildcard src/core/*.h)
	@mkdir -p build-fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< tests/fuzz/fuzz.c $(CORE:%=src/core/%.c) \
	  $(CORE_LIBS)

# A small quarantine and no malloc fill: twice the executions a second.
FUZZ_ENV = ASAN_OPTIONS=quarantine_size_mb=8:max_malloc_fill_size=0

fuzz: $(FUZZ_TARGETS:%=build-fuzz/fuzz_%)
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p build-fuzz/corpus/$$t build-fuzz/crashes; \
	  $(FUZZ_ENV) build-fuzz/fuzz_$$t -max_len=1024 \
	    -max_total_time=$(FUZZ_TIME) -print_final_stats=1 \
	    -artifact_prefix=build-fuzz/crashes/$$t- \
	    build-fuzz/corpus/$$t tests/fuzz/corpus/$$t || exit 1; done
# }======

install: reel install-module
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR)/scripts/lib \
	  $(DESTDIR)$(MANDIR) $(DESTDIR)$(BASH_COMPLETIONDIR) \
	  $(DESTDIR)$(ZSH_COMPLETIONDIR)
	install -m 755 reel $(DESTDIR)$(BINDIR)/reel
	install -m 644 scripts/*.lua $(DESTDIR)$(SHAREDIR)/scripts
	install -m 644 scripts/lib/*.lua $(DESTDIR)$(SHAREDIR)/scripts/lib
	install -m 644 reel.1 $(DESTDIR)$(MANDIR)/reel.1
	install -m 644 completion/reel.bash $(DESTDIR)$(BASH_COMPLETIONDIR)/reel
	install -m 644 completion/_reel $(DESTDIR)$(ZSH_COMPLETIONDIR)/_reel
	install -d $(DESTDIR)$(DOCDIR)
	install -m 644 LICENSE README.md $(DESTDIR)$(DOCDIR)

# The module alone (luarocks runs this with LUA_CMODDIR set to its tree).
install-module: reel.so
	install -d $(DESTDIR)$(LUA_CMODDIR)
	install -m 755 reel.so $(DESTDIR)$(LUA_CMODDIR)/reel.so

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/reel $(DESTDIR)$(MANDIR)/reel.1 \
	  $(DESTDIR)$(LUA_CMODDIR)/reel.so $(DESTDIR)$(BASH_COMPLETIONDIR)/reel \
	  $(DESTDIR)$(ZSH_COMPLETIONDIR)/_reel
	rm -rf $(DESTDIR)$(SHAREDIR) $(DESTDIR)$(DOCDIR)

clean:
	rm -rf build reel reel.so build-asan build-valgrind build-fuzz
