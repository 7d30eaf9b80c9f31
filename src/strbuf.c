/* Growable strings and atomic file writes (see strbuf.h): reports are built whole in memory,
 * then written to a temporary file that is renamed over the target, so an interrupted run
 * never leaves half a report behind. */
#include "strbuf.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "alloc.h"

static int buf_reserve(imbal_buf *b, size_t extra)
{
    size_t cap;
    char *s;
    if (b->failed) {
        return 0;
    }
    if (b->len + extra + 1 <= b->cap) {
        return 1;
    }
    cap = b->cap == 0 ? 4096 : b->cap;
    while (cap < b->len + extra + 1) {
        cap *= 2;
    }
    s = imbal_realloc(b->s, cap, 1);
    if (s == NULL) {
        b->failed = 1;
        return 0;
    }
    b->s = s;
    b->cap = cap;
    return 1;
}

void imbal_buf_printf(imbal_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !buf_reserve(b, (size_t)n)) {
        b->failed = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void imbal_buf_csv_field(imbal_buf *b, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        imbal_buf_printf(b, "%s", s);
        return;
    }
    imbal_buf_printf(b, "\"");
    for (const char *p = s; *p != '\0'; p++) {
        imbal_buf_printf(b, *p == '"' ? "\"\"" : "%c", *p);
    }
    imbal_buf_printf(b, "\"");
}

void imbal_buf_json_string(imbal_buf *b, const char *s)
{
    imbal_buf_printf(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p == '"' || *p == '\\') {
            imbal_buf_printf(b, "\\%c", *p);
        } else if (*p < 0x20) {
            imbal_buf_printf(b, "\\u%04x", *p);
        } else {
            imbal_buf_printf(b, "%c", *p);
        }
    }
    imbal_buf_printf(b, "\"");
}

void imbal_buf_json_double(imbal_buf *b, double v)
{
    if (!isfinite(v)) {
        imbal_buf_printf(b, "null");
    } else {
        imbal_buf_printf(b, "%.17g", v);
    }
}

void imbal_double_text(double v, char *buf, size_t n)
{
    if (v == floor(v) && fabs(v) < 9007199254740992.0) { /* exact: v is a whole number */
        snprintf(buf, n, "%.0f", v);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) { /* exact: the text must read back as the same double */
            return;
        }
    }
}

void imbal_buf_free(imbal_buf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = 0;
    b->cap = 0;
}

imbal_status imbal_write_atomic(const char *path, const char *data, size_t len, imbal_error *err)
{
    size_t n = strlen(path) + 5;
    char *tmp = imbal_malloc(n, 1);
    FILE *fp;
    int ok;
    if (tmp == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    snprintf(tmp, n, "%s.tmp", path);
    fp = fopen(tmp, "wb");
    if (fp == NULL) {
        imbal_fail_at(err, IMBAL_EIO, tmp, 0, 0, "cannot write: %s", strerror(errno));
        free(tmp);
        return IMBAL_EIO;
    }
    ok = fwrite(data, 1, len, fp) == len;
    ok = (fclose(fp) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        imbal_fail_at(err, IMBAL_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
        remove(tmp);
        free(tmp);
        return IMBAL_EIO;
    }
    free(tmp);
    return IMBAL_OK;
}

imbal_status imbal_mkdirs(const char *dir, imbal_error *err)
{
    char *p = imbal_strdup(dir);
    imbal_status st = IMBAL_OK;
    if (p == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    if (p[0] == '\0') {
        free(p);
        return IMBAL_OK;
    }
    for (char *q = p + 1;; q++) {
        if (*q == '/' || *q == '\0') {
            char c = *q;
            *q = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                st = imbal_fail_at(err, IMBAL_EIO, p, 0, 0, "cannot create directory: %s",
                                   strerror(errno));
                break;
            }
            *q = c;
            if (c == '\0') {
                break;
            }
        }
    }
    free(p);
    return st;
}
