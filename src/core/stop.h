/*
** stop.h: telling long work of the core to stop. A front end sets a
** deadline (--timeout) and asks for a stop from a signal handler (Ctrl-C);
** the readers and saves call stop_check every few thousand rows or every
** block they write, and give up with a REEL_ERROR_STOPPED error, cleaning
** up as for any other failure. Waits on a pipe or a terminal are cut short
** the same way (stop_wait_ms). Pure C: no Lua here.
*/
#ifndef REEL_STOP_H
#define REEL_STOP_H

#include "error.h"

/* The deadline, `seconds` from now; 0 (or less) takes it away. */
void stop_set_deadline(double seconds);
/* Asks the work under way to stop with "interrupted!". Safe to call from
** a signal handler. */
void stop_request(void);
/* Forgets a stop asked for (stop_request), keeping the deadline. */
void stop_forget_request(void);
/* 0 to go on, or -1 with err filled (REEL_ERROR_STOPPED, "time limit
** exceeded" or "interrupted!"). Cheap: an atomic load and a clock read. */
int stop_check(reel_error *err);
/* How long a wait may last, in milliseconds, before stop_check is due
** again: at most STOP_WAIT_MAX, and 0 once the deadline has passed. */
int stop_wait_ms(void);
#define STOP_WAIT_MAX 200

#endif
