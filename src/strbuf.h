/* A growable string for building report files in memory before an atomic write. A failed
 * append marks the buffer as failed; check once at the end (imbal_buf_failed). */
#ifndef IMBAL_STRBUF_H
#define IMBAL_STRBUF_H

#include <stddef.h>

#include "imbal/error.h"
#include "imbal/outdir.h" /* imbal_write_atomic, for the writers that include this */

typedef struct {
    char *s;
    size_t len, cap;
    int failed;
} imbal_buf;

void imbal_buf_printf(imbal_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Appends s as a CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma,
 * quote or line break, or starts or ends with a space or tab; bytes are kept as they are. */
void imbal_buf_csv_field(imbal_buf *b, const char *s);
/* Appends s as a JSON string literal (RFC 8259): '"' and '\' escaped, control characters
 * as \u00XX, well-formed UTF-8 as it is, and each ill-formed UTF-8 sequence (its maximal
 * subpart, as Unicode recommends) as \ufffd, so the result is always valid JSON. */
void imbal_buf_json_string(imbal_buf *b, const char *s);
/* A malloc'd copy of s with every ill-formed UTF-8 sequence replaced by U+FFFD (as
 * imbal_buf_json_string does); NULL when out of memory. */
char *imbal_utf8_repair(const char *s);
/* Appends a double as JSON (%.17g; NaN and infinities as null). */
void imbal_buf_json_double(imbal_buf *b, double v);
void imbal_buf_free(imbal_buf *b);

/* v as text that reads back as the same double: whole numbers below 2^53 in digits, others
 * with the fewest %g digits that round-trip (0.1, not 0.10000000000000001). */
void imbal_double_text(double v, char *buf, size_t n);

/* mkdir -p. */
imbal_status imbal_mkdirs(const char *dir, imbal_error *err);

#endif
