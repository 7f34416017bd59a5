/*
** lfilm.c: the reel.Film userdata, one row of a catalogue (see binding.h).
** A Film keeps its reel.Table alive through its user value; f.col reads the
** cell straight from the table. Relies on table.h and format.h.
*/
#include <stdint.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "binding.h"
#include "core/format.h"

/* A reel.Film: one row. User value 1: the reel.Table, which keeps `owner`
** (that same Table's memory) valid for as long as the Film lives. */
typedef struct film {
	row_id row;
	const film_table *owner;
} film;

static film *check_film(lua_State *L, int index)
{
	return luaL_checkudata(L, index, REEL_FILM);
}

int lfilm_is(lua_State *L, int index)
{
	return luaL_testudata(L, index, REEL_FILM) != NULL;
}

/* The table of the Film at `index`. A finalizer of the script's may reach a
** Film after its table's __gc. */
static table *films_of(lua_State *L, const film *f)
{
	if (f->owner == NULL || f->owner->films == NULL)
		luaL_error(L, "attempt to use a collected catalogue");
	return f->owner->films;
}

table *lfilm_row(lua_State *L, int index, row_id *row)
{
	film *f = luaL_testudata(L, index, REEL_FILM);
	if (f == NULL)
		return NULL;
	*row = f->row;
	return films_of(L, f);
}

void lfilm_push(lua_State *L, int query, row_id row)
{
	film *f;
	query = lua_absindex(L, query);
	f = lua_newuserdatauv(L, sizeof *f, 1);
	f->row = row;
	f->owner = NULL;
	luaL_setmetatable(L, REEL_FILM);
	lua_getiuservalue(L, query, 1);
	f->owner = lua_touserdata(L, -1);
	lua_setiuservalue(L, -2, 1);
}

/* Each film is its own userdata, so a callback may keep the films it is
** given (a film reused from call to call would change under it); what a
** film costs is one small allocation. */
void lfilm_push_fast(lua_State *L, row_id row, int meta, int films)
{
	film *f = lua_newuserdatauv(L, sizeof *f, 1);
	f->row = row;
	f->owner = lua_touserdata(L, films);
	lua_pushvalue(L, meta);
	lua_setmetatable(L, -2);
	lua_pushvalue(L, films);
	lua_setiuservalue(L, -2, 1);
}

/* The Film at index 1 of a Film metamethod whose upvalue 2 is the Film
** metatable: one comparison with it instead of luaL_checkudata's registry
** lookup, since f.duration runs once a film in a filter. */
static film *this_film(lua_State *L)
{
	film *f = lua_touserdata(L, 1);
	int same = f != NULL && lua_getmetatable(L, 1) &&
	           lua_rawequal(L, -1, lua_upvalueindex(2));
	if (f != NULL)
		lua_settop(L, 2);
	return same ? f : check_film(L, 1);
}

/* Methods first (totable), then the film's columns. */
static int film_index(lua_State *L)
{
	film *f = this_film(L);
	const char *name = luaL_checkstring(L, 2);
	table *t;
	lua_pushvalue(L, 2);
	if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL)
		return 1;
	t = films_of(L, f); /* no user value lookup: once a film in a filter */
	lreel_push_cell(L, t, lreel_check_column(L, t, name), f->row, NULL_AS_NIL);
	return 1;
}

static int film_newindex(lua_State *L)
{
	check_film(L, 1);
	return luaL_error(L, "films are read-only (cannot set '%s')",
	                  luaL_tolstring(L, 2, NULL));
}

static int film_tostring(lua_State *L)
{
	film *f = check_film(L, 1);
	table *t = films_of(L, f);
	text_buffer *b = lreel_new_text(L);
	format_film(t, f->row, b);
	lreel_push_text(L, b);
	return 1;
}

static int film_eq(lua_State *L)
{
	film *a = luaL_testudata(L, 1, REEL_FILM);
	film *b = luaL_testudata(L, 2, REEL_FILM);
	if (a == NULL || b == NULL || a->row != b->row) {
		lua_pushboolean(L, 0);
		return 1;
	}
	lua_getiuservalue(L, 1, 1);
	lua_getiuservalue(L, 2, 1);
	lua_pushboolean(L, lua_rawequal(L, -1, -2));
	return 1;
}

/* Every column that is not null; the film names resolved for the
** catalogue (title, year, ...) too, where no column is called so, so a
** table from an IMDb file still has t.title. */
static int film_totable(lua_State *L)
{
	film *f = check_film(L, 1);
	table *t = films_of(L, f);
	size_t i;
	lua_createtable(L, 0, lreel_array_size(t->column_count));
	for (i = 0; i < t->column_count; i++) {
		lreel_push_cell(L, t, i, f->row, NULL_AS_NIL);
		lua_setfield(L, -2, t->columns[i].name);
	}
	for (i = 0; i < t->alias_count; i++) {
		const column_alias *a = &t->aliases[i];
		if (lua_getfield(L, -1, a->name) == LUA_TNIL &&
		    table_column_index(t, a->name) == (int)a->column) {
			lreel_push_cell(L, t, a->column, f->row, NULL_AS_NIL);
			lua_setfield(L, -3, a->name);
		}
		lua_pop(L, 1);
	}
	return 1;
}

/* {====== Records for the REPL ====== */

/* Appends `text` cut with an ellipsis, whole code points at a time, so it
** takes at most `room` cells (room >= 1). */
static void append_cut(text_buffer *out, const char *text, size_t length,
                       size_t room)
{
	size_t used = 0, at = 0;
	if (format_display_width(text, length) <= room) {
		text_buffer_append(out, text, length);
		return;
	}
	while (at < length) {
		size_t next = at + 1, w;
		while (next < length && ((unsigned char)text[next] & 0xC0) == 0x80)
			next++;
		w = format_display_width(text + at, next - at);
		if (used + w + 1 > room)
			break;
		used += w;
		at = next;
	}
	text_buffer_append(out, text, at);
	text_buffer_append_string(out, "\xe2\x80\xa6"); /* … */
}

/* One "name: value" line, the value starting at column `indent`. */
static void render_field(const table *t, size_t col, row_id row, size_t indent,
                         size_t max_width, text_buffer *out)
{
	const char *name = t->columns[col].name;
	size_t w = format_display_width(name, strlen(name)) + 1;
	value v = table_value(t, col, row);
	text_buffer cell;
	text_buffer_append_string(out, name);
	text_buffer_append(out, ":", 1);
	if (v.kind != VALUE_NULL) {
		for (; w <= indent; w++)
			text_buffer_append(out, " ", 1);
		text_buffer_init(&cell);
		format_value(&v, &cell);
		if (cell.failed)
			out->failed = true;
		else if (max_width > indent + 1)
			append_cut(out, cell.data, cell.length, max_width - indent - 1);
		else
			text_buffer_append(out, cell.data, cell.length);
		text_buffer_free(&cell);
	}
	text_buffer_append(out, "\n", 1);
}

/* A film as a record: one "column: value" line per column, the values
** lined up after the longest name and cut to fit max_width (0: whole). */
void lfilm_push_record(lua_State *L, int index, size_t max_width)
{
	film *f = check_film(L, index);
	table *t = films_of(L, f);
	text_buffer *out = lreel_new_text(L);
	size_t i, widest = 0;
	for (i = 0; i < t->column_count; i++) {
		const char *name = t->columns[i].name;
		size_t w = format_display_width(name, strlen(name));
		widest = w > widest ? w : widest;
	}
	for (i = 0; i < t->column_count; i++)
		render_field(t, i, f->row, widest + 1, max_width, out);
	lreel_push_text(L, out);
}
/* }====== */

static const luaL_Reg film_methods[] = {
	{"totable", film_totable},
	{NULL, NULL}
};

static const luaL_Reg film_meta[] = {
	{"__newindex", film_newindex},
	{"__tostring", film_tostring},
	{"__eq", film_eq},
	{NULL, NULL}
};

/* __index has the methods table and the metatable itself as upvalues. */
void lfilm_register(lua_State *L)
{
	luaL_newmetatable(L, REEL_FILM);
	luaL_setfuncs(L, film_meta, 0);
	luaL_newlib(L, film_methods);
	lua_pushvalue(L, -2);
	lua_pushcclosure(L, film_index, 2);
	lua_setfield(L, -2, "__index");
	lua_pop(L, 1);
}
