/* Status codes and the error record every fallible imbal call fills.
 * Modelled on curl: a call returns a status, and an optional error record keeps
 * the first failure's text and location so callers never bury the root cause. */
#ifndef IMBAL_ERROR_H
#define IMBAL_ERROR_H

#include <stddef.h>

typedef enum {
    IMBAL_OK = 0,
    IMBAL_ENOMEM,
    IMBAL_EIO,
    IMBAL_EPARSE,  /* malformed CSV, KEEL or YAML: file, line, column set */
    IMBAL_EINVAL,  /* well-formed but invalid: one class only, k >= minority count */
    IMBAL_ENOCONV, /* solver missed its tolerance: the model is never returned */
    IMBAL_EUNSUP,  /* e.g. multi-class input to a binary-only technique */
    IMBAL_NSTATUS
} imbal_status;

typedef struct {
    imbal_status status;
    char msg[256];
    char file[256];
    char key[64];   /* spec key or column name; "" when none */
    long line;      /* 1-based; 0 when not applicable */
    long column;    /* 1-based; 0 when not applicable */
} imbal_error;

/* Static, never NULL: "ok", "out of memory", ... */
const char *imbal_strerror(imbal_status st);

/* Resets err to IMBAL_OK with empty fields. err may be NULL. */
void imbal_error_clear(imbal_error *err);

/* Records a failure in err unless err already holds one (first error wins) and
 * returns st, so callers write `return imbal_fail(err, IMBAL_EINVAL, "...", ...)`. */
imbal_status imbal_fail(imbal_error *err, imbal_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Like imbal_fail, also setting file, line and column (file may be NULL, line/column 0). */
imbal_status imbal_fail_at(imbal_error *err, imbal_status st, const char *file, long line,
                           long column, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* Adds context a lower layer could not know; only empty fields are filled. */
void imbal_error_set_file(imbal_error *err, const char *file);
void imbal_error_set_key(imbal_error *err, const char *key);

/* Formats err as "file:line:column: error: msg" (parts that are unset are left out)
 * into buf of size n. Returns buf. */
char *imbal_error_format(const imbal_error *err, char *buf, size_t n);

#endif
