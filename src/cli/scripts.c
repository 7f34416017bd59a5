/*
** scripts.c: the bundled scripts (see cli.h): the folders they are found
** in (REEL_PATH, then scripts/ beside the executable in a checkout, then
** the share folder found from the executable once installed), the path a
** script's name stands for, their lib/ modules for require, and --list.
** Relies on POSIX and Lua's auxiliary library.
*/
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>

#include "cli/cli.h"

/* {====== Script folders ====== */

/* Appends `length` bytes of `folder` followed by `suffix`. 0, or -1 when
** memory runs out. */
static int folder_list_add(folder_list *l, const char *folder, size_t length,
                           const char *suffix)
{
	char **grown = realloc(l->folders, (l->count + 1) * sizeof *grown);
	char *path;
	if (grown == NULL)
		return -1;
	l->folders = grown;
	path = malloc(length + strlen(suffix) + 1);
	if (path == NULL)
		return -1;
	memcpy(path, folder, length);
	strcpy(path + length, suffix);
	l->folders[l->count++] = path;
	return 0;
}

void scripts_free_folders(folder_list *l)
{
	size_t i;
	for (i = 0; i < l->count; i++)
		free(l->folders[i]);
	free(l->folders);
	l->folders = NULL;
	l->count = 0;
}

/* The folder holding this executable, so that ./reel finds the checkout's
** scripts from any working folder and PREFIX/bin/reel finds
** PREFIX/share/reel whatever PREFIX the build was made with. Empty when
** /proc cannot tell. */
static size_t executable_folder(char *buffer, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buffer, size - 1);
	char *slash;
	if (n <= 0)
		return 0;
	buffer[n] = '\0';
	slash = strrchr(buffer, '/');
	return slash == NULL ? 0 : (size_t)(slash - buffer);
}

/* REEL_PATH's folders, then <executable's folder>/scripts (a checkout),
** then <the folder above it>/share/reel/scripts (an install: bin/reel and
** share/reel under one prefix). 0, or -1 when memory runs out. */
int scripts_find_folders(folder_list *l)
{
	const char *path = getenv("REEL_PATH");
	char exe[PATH_MAX];
	size_t n;
	while (path != NULL && *path != '\0') {
		n = strcspn(path, ":");
		if (n > 0 && folder_list_add(l, path, n, "") != 0)
			return -1;
		path += n + (path[n] == ':');
	}
	if ((n = executable_folder(exe, sizeof exe)) == 0)
		return 0;
	if (folder_list_add(l, exe, n, "/scripts") != 0)
		return -1;
	exe[n] = '\0';
	n = (size_t)(strrchr(exe, '/') - exe); /* the prefix: bin's parent */
	return folder_list_add(l, exe, n, "/share/reel/scripts");
}

static bool is_regular_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool ends_with(const char *text, const char *suffix)
{
	size_t n = strlen(text), m = strlen(suffix);
	return n >= m && strcmp(text + n - m, suffix) == 0;
}

/* Whether the script word is a path rather than a bundled script's name. */
static bool is_script_path(const char *word)
{
	struct stat st;
	if (strchr(word, '/') != NULL || ends_with(word, ".lua"))
		return true;
	return stat(word, &st) == 0 && !S_ISDIR(st.st_mode);
}

/* Pushes the file to run for the script word, or returns NULL (nothing
** pushed) when it names no bundled script. */
const char *scripts_push_path(lua_State *L, const cli *c,
                                    const char *word)
{
	size_t i;
	if (is_script_path(word))
		return lua_pushstring(L, word);
	for (i = 0; i < c->scripts.count; i++) {
		const char *path = lua_pushfstring(L, "%s/%s.lua",
		                                   c->scripts.folders[i], word);
		if (is_regular_file(path))
			return path;
		lua_pop(L, 1);
	}
	return NULL;
}

/* Puts <folder>/lib/?.lua of every script folder before package.path, so
** the bundled scripts can require their shared modules. */
void scripts_add_libraries(lua_State *L, const cli *c)
{
	size_t i;
	luaL_checkstack(L, (int)c->scripts.count + 3, "too many script folders");
	lua_getglobal(L, "package");
	for (i = 0; i < c->scripts.count; i++)
		lua_pushfstring(L, "%s/lib/?.lua;", c->scripts.folders[i]);
	lua_getfield(L, -1 - (int)c->scripts.count, "path");
	lua_concat(L, (int)c->scripts.count + 1);
	lua_setfield(L, -2, "path");
	lua_pop(L, 1);
}

/* }====== */

/* {====== --list ====== */

typedef struct script_entry {
	char *name;
	char *summary;
} script_entry;

typedef struct script_list {
	script_entry *entries;
	size_t count;
} script_list;

/* The text of a script's first comment line, without "-- ": what it does.
** A "#!" line and blank lines before it are skipped. NULL when out of
** memory; "" when the script has no such line. */
static char *read_summary(const char *path)
{
	char line[512];
	const char *text = "";
	FILE *f = fopen(path, "r");
	while (f != NULL && fgets(line, sizeof line, f) != NULL) {
		char *start = line + strspn(line, " \t");
		start[strcspn(start, "\r\n")] = '\0';
		if (*start == '\0' || strncmp(start, "#!", 2) == 0)
			continue;
		if (strncmp(start, "--", 2) == 0)
			text = start + 2 + strspn(start + 2, " \t");
		break;
	}
	if (f != NULL)
		fclose(f);
	return strdup(text);
}

static bool script_listed(const script_list *s, const char *name, size_t n)
{
	size_t i;
	for (i = 0; i < s->count; i++)
		if (strlen(s->entries[i].name) == n &&
		    strncmp(s->entries[i].name, name, n) == 0)
			return true;
	return false;
}

/* Adds the script `file` of `folder` (first one found wins). 0, or -1 when
** out of memory. */
static int add_script(script_list *s, const char *folder, const char *file)
{
	size_t n = strlen(file) - strlen(".lua");
	script_entry *grown;
	char *path, *name = NULL, *summary = NULL;
	if (script_listed(s, file, n))
		return 0;
	if ((path = malloc(strlen(folder) + strlen(file) + 2)) == NULL)
		return -1;
	sprintf(path, "%s/%s", folder, file);
	if (!is_regular_file(path)) {
		free(path);
		return 0;
	}
	grown = realloc(s->entries, (s->count + 1) * sizeof *grown);
	if (grown != NULL) {
		s->entries = grown;
		name = strndup(file, n);
		summary = name == NULL ? NULL : read_summary(path);
	}
	free(path);
	if (summary == NULL) {
		free(name);
		return -1;
	}
	s->entries[s->count].name = name;
	s->entries[s->count++].summary = summary;
	return 0;
}

static int gather_scripts(script_list *s, const char *folder)
{
	struct dirent *entry;
	int status = 0;
	DIR *dir = opendir(folder);
	if (dir == NULL)
		return 0; /* a folder that does not exist holds no scripts */
	while (status == 0 && (entry = readdir(dir)) != NULL)
		if (strlen(entry->d_name) > strlen(".lua") &&
		    ends_with(entry->d_name, ".lua"))
			status = add_script(s, folder, entry->d_name);
	closedir(dir);
	return status;
}

static int compare_scripts(const void *a, const void *b)
{
	return strcmp(((const script_entry *)a)->name,
	              ((const script_entry *)b)->name);
}

static void print_scripts(const script_list *s)
{
	size_t i, width = 0;
	for (i = 0; i < s->count; i++)
		if (strlen(s->entries[i].name) > width)
			width = strlen(s->entries[i].name);
	for (i = 0; i < s->count; i++) {
		const script_entry *e = &s->entries[i];
		if (*e->summary == '\0')
			printf("%s\n", e->name);
		else
			printf("%-*s  %s\n", (int)width, e->name, e->summary);
	}
}

int scripts_list(const folder_list *folders)
{
	script_list s = {NULL, 0};
	size_t i;
	int status = 0;
	for (i = 0; i < folders->count && status == 0; i++)
		status = gather_scripts(&s, folders->folders[i]);
	if (status == 0) {
		qsort(s.entries, s.count, sizeof *s.entries, compare_scripts);
		print_scripts(&s);
	} else {
		fputs(PROGRAM ": not enough memory\n", stderr);
	}
	for (i = 0; i < s.count; i++) {
		free(s.entries[i].name);
		free(s.entries[i].summary);
	}
	free(s.entries);
	return status == 0 ? EXIT_SUCCESS : EXIT_SCRIPT;
}

/* }====== */
