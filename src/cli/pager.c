/*
** pager.c: long results at the prompt through $PAGER (see cli.h), as psql
** and git page theirs: the pager runs under sh -c with the text on its
** standard input while reel waits; Ctrl-C and a pager that quits early
** (a closed pipe) end the paging, never the session. $PAGER unset means
** "less -S" (lines chopped, not wrapped, so wide tables scroll sideways)
** when less is installed; an empty $PAGER means none. Relies on POSIX.
*/
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"

#define DEFAULT_PAGER "less -S"

/* The pager running now, and the signal handlers it set aside. */
static struct {
	pid_t pid;
	struct sigaction interrupt, broken_pipe;
} paging;

/* Whether an executable `name` is on PATH. */
static bool on_path(const char *name)
{
	const char *path = getenv("PATH"), *end;
	char file[4096];
	struct stat st;
	for (; path != NULL && *path != '\0'; path = *end ? end + 1 : end) {
		end = path + strcspn(path, ":");
		if (snprintf(file, sizeof file, "%.*s/%s", (int)(end - path), path,
		             name) < (int)sizeof file &&
		    stat(file, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(file, X_OK) == 0)
			return true;
	}
	return false;
}

/* The pager's command, or NULL for none. */
static const char *pager_command(void)
{
	const char *command = getenv("PAGER");
	if (command == NULL)
		return on_path("less") ? DEFAULT_PAGER : NULL;
	return command[strspn(command, " \t")] != '\0' ? command : NULL;
}

size_t pager_screen_lines(void)
{
	struct winsize size;
	if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO) ||
	    pager_command() == NULL)
		return 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0 || size.ws_row == 0)
		return 0;
	return size.ws_row;
}

/* The child: the pipe as standard input, signals as a shell expects. */
static void run_pager(int input, const char *command)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	if (input != STDIN_FILENO) {
		dup2(input, STDIN_FILENO);
		close(input);
	}
	execl("/bin/sh", "sh", "-c", command, (char *)NULL);
	_exit(127);
}

static void ignore(int signal_number, struct sigaction *old)
{
	struct sigaction action;
	memset(&action, 0, sizeof action);
	action.sa_handler = SIG_IGN;
	sigemptyset(&action.sa_mask);
	sigaction(signal_number, &action, old);
}

FILE *pager_open(void)
{
	const char *command = pager_command();
	int ends[2];
	FILE *stream;
	if (command == NULL || pipe(ends) != 0)
		return NULL;
	fflush(stdout);
	if ((paging.pid = fork()) < 0) {
		close(ends[0]);
		close(ends[1]);
		return NULL;
	}
	if (paging.pid == 0) {
		close(ends[1]);
		run_pager(ends[0], command);
	}
	close(ends[0]);
	if ((stream = fdopen(ends[1], "w")) == NULL) {
		close(ends[1]);
		waitpid(paging.pid, NULL, 0);
		return NULL;
	}
	/* The pager owns the terminal now: Ctrl-C is its, and a pager that
	** quits before reading everything closes the pipe. */
	ignore(SIGINT, &paging.interrupt);
	ignore(SIGPIPE, &paging.broken_pipe);
	return stream;
}

void pager_close(FILE *stream)
{
	fclose(stream); /* a pager that left early makes this fail: no matter */
	while (waitpid(paging.pid, NULL, 0) < 0 && errno == EINTR)
		;
	sigaction(SIGINT, &paging.interrupt, NULL);
	sigaction(SIGPIPE, &paging.broken_pipe, NULL);
}
