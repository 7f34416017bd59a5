-- The reel Lua module (reel.so) as a rock: `luarocks --lua-version 5.4 make`
-- in the source folder builds it with the Makefile and installs it, so that
-- `local reel = require "reel"` works in lua5.4.
rockspec_format = "3.0"
package = "reel"
version = "0.1.0-1"
source = {
   url = "file://.",
}
description = {
   summary = "A film query engine: film catalogues as lazy, chainable queries",
   detailed = [[
reel holds a film catalogue (CSV, TSV, JSON, JSON Lines, gzip, SQLite, zip)
in columns and
gives Lua lazy, chainable queries over it: where, sort, sample, group,
aggregate, join, search, similar, and output as tables, CSV, JSON or
Markdown. reel.films is a built-in list of ten films.]],
   license = "GPL-3.0-or-later",
}
dependencies = {
   "lua >= 5.4, < 5.5",
}
external_dependencies = {
   UTF8PROC = { header = "utf8proc.h" },
   ZLIB = { header = "zlib.h" },
   SQLITE = { header = "sqlite3.h" },
   LIBZIP = { header = "zip.h" },
   LIBDEFLATE = { header = "libdeflate.h" },
}
build = {
   type = "make",
   build_target = "reel.so",
   build_variables = {
      CFLAGS = "$(CFLAGS)",
      LIBFLAG = "$(LIBFLAG)",
      LUA_CFLAGS = "-I$(LUA_INCDIR)",
   },
   install_target = "install-module",
   install_variables = {
      LUA_CMODDIR = "$(LIBDIR)",
   },
}
