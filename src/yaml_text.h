/* Private: YAML text for the starter spec (starter_yaml.c): values that read back as the same
 * string, data text made safe for comments, and comment paragraphs wrapped to a width. YAML is
 * UTF-8, so text that is not must be refused as a value and escaped in a comment. */
#ifndef IMBAL_YAML_TEXT_H
#define IMBAL_YAML_TEXT_H

#include <stddef.h>

#include "strbuf.h"

/* 1 when s is valid UTF-8 (no overlong forms, surrogates or code points beyond U+10FFFF). */
int imbal_yaml_utf8_valid(const char *s);
/* Appends data text for a comment: control characters and non-UTF-8 bytes as \xNN. */
void imbal_yaml_safe(imbal_buf *b, const char *s);
/* Appends s (valid UTF-8) as a YAML value: plain when unambiguous, else double-quoted. */
void imbal_yaml_scalar(imbal_buf *b, const char *s);
/* Appends a name for a comment: bare when plain characters, else in single quotes. */
void imbal_yaml_name(imbal_buf *b, const char *s);
/* Appends text (one paragraph, no newline) as "<indent># ..." lines broken at spaces to stay
 * within width columns where the words allow. */
void imbal_yaml_comment(imbal_buf *b, const char *indent, const char *text, size_t width);

#endif
