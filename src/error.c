/* Error records and status names (see error.h), plus the allocation wrappers of
 * alloc.h, which share this file because both are the library's plumbing. */
#include "imbal/error.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

static const char *const error_names[] = {
    "ok",
    "out of memory",
    "input/output error",
    "parse error",
    "invalid input",
    "solver did not converge",
    "unsupported",
};
_Static_assert(sizeof(error_names) / sizeof(error_names[0]) == IMBAL_NSTATUS,
               "one name per status");

const char *imbal_strerror(imbal_status st)
{
    if ((int)st < 0 || st >= IMBAL_NSTATUS) {
        return "unknown status";
    }
    return error_names[st];
}

void imbal_error_clear(imbal_error *err)
{
    if (err != NULL) {
        memset(err, 0, sizeof(*err));
    }
}

static void error_vfill(imbal_error *err, imbal_status st, const char *file, long line,
                        long column, const char *fmt, va_list ap)
{
    err->status = st;
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    if (file != NULL && err->file[0] == '\0') {
        snprintf(err->file, sizeof(err->file), "%s", file);
    }
    if (line > 0) {
        err->line = line;
    }
    if (column > 0) {
        err->column = column;
    }
}

imbal_status imbal_fail(imbal_error *err, imbal_status st, const char *fmt, ...)
{
    if (err != NULL && err->status == IMBAL_OK) {
        va_list ap;
        va_start(ap, fmt);
        error_vfill(err, st, NULL, 0, 0, fmt, ap);
        va_end(ap);
    }
    return st;
}

imbal_status imbal_fail_at(imbal_error *err, imbal_status st, const char *file, long line,
                           long column, const char *fmt, ...)
{
    if (err != NULL && err->status == IMBAL_OK) {
        va_list ap;
        va_start(ap, fmt);
        error_vfill(err, st, file, line, column, fmt, ap);
        va_end(ap);
    }
    return st;
}

void imbal_error_set_file(imbal_error *err, const char *file)
{
    if (err != NULL && file != NULL && err->file[0] == '\0') {
        snprintf(err->file, sizeof(err->file), "%s", file);
    }
}

void imbal_error_set_key(imbal_error *err, const char *key)
{
    if (err != NULL && key != NULL && err->key[0] == '\0') {
        snprintf(err->key, sizeof(err->key), "%s", key);
    }
}

char *imbal_error_format(const imbal_error *err, char *buf, size_t n)
{
    size_t len = 0;
    if (n == 0) {
        return buf;
    }
    buf[0] = '\0';
    if (err->file[0] != '\0') {
        len += (size_t)snprintf(buf + len, n - len, "%s:", err->file);
        if (len < n && err->line > 0) {
            len += (size_t)snprintf(buf + len, n - len, "%ld:", err->line);
            if (len < n && err->column > 0) {
                len += (size_t)snprintf(buf + len, n - len, "%ld:", err->column);
            }
        }
        if (len < n) {
            len += (size_t)snprintf(buf + len, n - len, " ");
        }
    }
    if (len < n) {
        len += (size_t)snprintf(buf + len, n - len, "error: %s", err->msg);
    }
    if (len < n && err->key[0] != '\0' && strstr(err->msg, err->key) == NULL) {
        snprintf(buf + len, n - len, " (%s)", err->key);
    }
    return buf;
}

/* ---- allocation ---- */

/* Per thread, so parallel runs never race on them; the OOM tests run on one thread. */
static _Thread_local long alloc_fail_at;  /* test hook only; 0 = never fail */
static _Thread_local long alloc_count;

long imbal_alloc_fail_after(long fail_at)
{
    long made = alloc_count;
    alloc_fail_at = fail_at;
    alloc_count = 0;
    return made;
}

static int alloc_should_fail(void)
{
    alloc_count++;
    return alloc_fail_at > 0 && alloc_count >= alloc_fail_at;
}

void *imbal_malloc(size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size) {
        return NULL;
    }
    if (alloc_should_fail()) {
        return NULL;
    }
    return malloc(n * size == 0 ? 1 : n * size);
}

void *imbal_calloc(size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size) {
        return NULL;
    }
    if (alloc_should_fail()) {
        return NULL;
    }
    return calloc(n == 0 ? 1 : n, size == 0 ? 1 : size);
}

void *imbal_realloc(void *p, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size) {
        return NULL;
    }
    if (alloc_should_fail()) {
        return NULL;
    }
    return realloc(p, n * size == 0 ? 1 : n * size);
}

char *imbal_strndup(const char *s, size_t len)
{
    char *c = imbal_malloc(len + 1, 1);
    if (c != NULL) {
        memcpy(c, s, len);
        c[len] = '\0';
    }
    return c;
}

char *imbal_strdup(const char *s)
{
    return imbal_strndup(s, strlen(s));
}
