# reel: a film query engine with Lua 5.4 as its query language.
# make            build ./reel
# make deps       install the Debian packages the build and tests need
# make run        deps, build, then a random film under 110 minutes
# make test       unit, Lua API, command-line and REPL tests under prove
# make install    PREFIX (/usr/local) and DESTDIR honoured

PREFIX ?= /usr/local
BINDIR = $(PREFIX)/bin
SHAREDIR = $(PREFIX)/share/reel
MANDIR = $(PREFIX)/share/man/man1

CC ?= cc
PKG_CONFIG ?= pkg-config
WARNINGS = -Wall -Wextra -pedantic -Wshadow -Wmissing-prototypes \
           -Wstrict-prototypes -Werror
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L $(WARNINGS) $(CFLAGS) \
             -Isrc -Ibuild -DREEL_SHAREDIR='"$(SHAREDIR)"'
LUA_CFLAGS = $(shell $(PKG_CONFIG) --cflags lua5.4 2>/dev/null)
LUA_LIBS = $(shell $(PKG_CONFIG) --libs lua5.4 2>/dev/null)
LIBS = $(LUA_LIBS) -lreadline -lutf8proc -lz -lm

# The pure-C core never includes Lua headers.
CORE = memory table read_csv read_json read_gzip read query format join save
FRONT = lreel main repl builtin_films
CORE_OBJS = $(CORE:%=build/%.o)
OBJS = $(CORE_OBJS) $(FRONT:%=build/%.o)
LUA_TESTS = $(filter-out tests/lua/tap.lua,$(wildcard tests/lua/*.lua))
UNIT_TESTS = $(patsubst tests/unit/%.c,build/tests/%,$(filter-out tests/unit/tap.c,$(wildcard tests/unit/test_*.c)))

DEBIAN_PACKAGES = gcc make pkg-config perl liblua5.4-dev lua5.4 \
                  libreadline-dev libutf8proc-dev zlib1g-dev \
                  bats tmux sqlite3 valgrind clang libclang-rt-14-dev
SUDO = $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps run test check install uninstall clean bench

all: reel

reel: $(OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $(OBJS) $(LIBS)

build/%.o: src/%.c $(wildcard src/*.h) | build
	$(CC) $(ALL_CFLAGS) $(LUA_CFLAGS) -c -o $@ $<

# The core is compiled without Lua's include path, so a Lua header there fails.
$(CORE_OBJS): LUA_CFLAGS =

# The built-in catalogue, as a C array.
build/builtin_films.c: data/films.csv | build
	{ echo '/* generated from data/films.csv by make: do not edit */'; \
	  echo '#include "builtin.h"'; \
	  echo 'const unsigned char reel_films_csv[] = {'; \
	  od -An -v -tx1 data/films.csv | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	  echo '};'; \
	  echo 'const size_t reel_films_csv_size = sizeof reel_films_csv;'; } > $@

build/builtin_films.o: build/builtin_films.c src/builtin.h
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

build:
	mkdir -p build/tests

build/tests/%: tests/unit/%.c tests/unit/tap.c tests/unit/tap.h $(CORE_OBJS) | build
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< tests/unit/tap.c $(CORE_OBJS) -lutf8proc -lz -lm

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
	$(MAKE) reel $(UNIT_TESTS)
	prove --exec tests/run $(UNIT_TESTS) $(LUA_TESTS) tests/cli/*.bats $(wildcard tests/repl/*.sh)

# Timings against sqlite3, DuckDB and lua5.4 on ROWS synthetic films; never
# part of make test.
ROWS ?= 1000000
bench: reel
	tests/bench/run.sh $(ROWS)

install: reel
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR)/scripts/lib $(DESTDIR)$(MANDIR)
	install -m 755 reel $(DESTDIR)$(BINDIR)/reel
	install -m 644 scripts/*.lua $(DESTDIR)$(SHAREDIR)/scripts
	install -m 644 scripts/lib/*.lua $(DESTDIR)$(SHAREDIR)/scripts/lib
	install -m 644 reel.1 $(DESTDIR)$(MANDIR)/reel.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/reel $(DESTDIR)$(MANDIR)/reel.1
	rm -rf $(DESTDIR)$(SHAREDIR)

clean:
	rm -rf build reel
