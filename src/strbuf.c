/* Growable strings (see strbuf.h): reports are built whole in memory, then written by
 * outdir.c, which replaces them atomically. */
#include "strbuf.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
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

/* RFC 4180 quoting, and also a leading or trailing space or tab: imbal's CSV reader (like
 * many) trims unquoted fields, so such a name would not read back as written. */
static int buf_csv_needs_quotes(const char *s)
{
    size_t n = strlen(s);
    if (strpbrk(s, ",\"\r\n") != NULL) {
        return 1;
    }
    return n > 0 && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t');
}

void imbal_buf_csv_field(imbal_buf *b, const char *s)
{
    if (!buf_csv_needs_quotes(s)) {
        imbal_buf_printf(b, "%s", s);
        return;
    }
    imbal_buf_printf(b, "\"");
    for (const char *p = s; *p != '\0'; p++) {
        imbal_buf_printf(b, *p == '"' ? "\"\"" : "%c", *p);
    }
    imbal_buf_printf(b, "\"");
}

/* Length of the well-formed UTF-8 sequence at p (Unicode 15, table 3-7: no overlong forms,
 * no surrogates, nothing above U+10FFFF), or 0 when it is ill-formed; *bad is then the
 * length of its maximal subpart (at least 1 byte), which becomes one U+FFFD. */
static size_t buf_utf8_length(const unsigned char *p, size_t *bad)
{
    unsigned char c = p[0];
    size_t len;
    unsigned char lo = 0x80;
    unsigned char hi = 0xbf;
    if (c < 0x80) {
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        lo = c == 0xe0 ? 0xa0 : 0x80; /* overlong below U+0800 */
        hi = c == 0xed ? 0x9f : 0xbf; /* surrogates U+D800..DFFF */
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        lo = c == 0xf0 ? 0x90 : 0x80; /* overlong below U+10000 */
        hi = c == 0xf4 ? 0x8f : 0xbf; /* above U+10FFFF */
    } else {
        *bad = 1; /* 80..c1 and f5..ff never start a sequence */
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        /* the second byte has the lead's range; later ones 80..bf (a NUL ends the string) */
        unsigned char min = i == 1 ? lo : 0x80;
        unsigned char max = i == 1 ? hi : 0xbf;
        if (p[i] < min || p[i] > max) {
            *bad = i;
            return 0;
        }
    }
    return len;
}

char *imbal_utf8_repair(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    char *out;
    size_t o = 0;
    if (n > (SIZE_MAX - 1) / 3) {
        return NULL;
    }
    out = malloc(3 * n + 1); /* each ill-formed byte becomes at most 3 bytes */
    if (out == NULL) {
        return NULL;
    }
    while (*p != '\0') {
        size_t bad = 0;
        size_t len = buf_utf8_length(p, &bad);
        if (len == 0) {
            memcpy(out + o, "\xef\xbf\xbd", 3); /* U+FFFD */
            o += 3;
            p += bad;
        } else {
            memcpy(out + o, p, len);
            o += len;
            p += len;
        }
    }
    out[o] = '\0';
    return out;
}

void imbal_buf_json_string(imbal_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    imbal_buf_printf(b, "\"");
    while (*p != '\0') {
        size_t bad = 0;
        size_t len = buf_utf8_length(p, &bad);
        if (len == 0) {
            imbal_buf_printf(b, "\\ufffd"); /* an ill-formed sequence: JSON text is UTF-8 */
            p += bad;
        } else if (*p == '"' || *p == '\\') {
            imbal_buf_printf(b, "\\%c", *p);
            p++;
        } else if (*p < 0x20) {
            imbal_buf_printf(b, "\\u%04x", *p);
            p++;
        } else {
            imbal_buf_printf(b, "%.*s", (int)len, (const char *)p);
            p += len;
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
