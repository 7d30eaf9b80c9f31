/* YAML text helpers for the starter spec (yaml_text.h). Kept apart from starter_yaml.c, which
 * says what the spec holds, because these decide only how a string is spelled: the quoting
 * rules must hold for any column name or label a data file can contain. */
#include "yaml_text.h"

#include <string.h>
#include <strings.h>

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when it is not one. */
static size_t yaml_utf8_len(const unsigned char *s)
{
    size_t len = s[0] < 0x80 ? 1 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2
                               : s[0] >= 0xe0 && s[0] < 0xf0   ? 3
                               : s[0] >= 0xf0 && s[0] < 0xf5   ? 4
                                                               : 0;
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xc0) != 0x80) {
            return 0;
        }
    }
    /* overlong 3- and 4-byte forms, surrogates and code points beyond U+10FFFF */
    if ((len == 3 && s[0] == 0xe0 && s[1] < 0xa0) || (len == 3 && s[0] == 0xed && s[1] >= 0xa0) ||
        (len == 4 && s[0] == 0xf0 && s[1] < 0x90) || (len == 4 && s[0] == 0xf4 && s[1] >= 0x90)) {
        return 0;
    }
    return len;
}

int imbal_yaml_utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p != '\0') {
        size_t len = yaml_utf8_len(p);
        if (len == 0) {
            return 0;
        }
        p += len;
    }
    return 1;
}

/* Data text in a comment: control characters and bytes that are not UTF-8 as \xNN. */
void imbal_yaml_safe(imbal_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p != '\0') {
        size_t len = yaml_utf8_len(p);
        if (len == 0 || *p < 0x20 || *p == 0x7f) {
            imbal_buf_printf(b, "\\x%02x", *p);
            p++;
        } else {
            imbal_buf_printf(b, "%.*s", (int)len, (const char *)p);
            p += len;
        }
    }
}

/* Whether s is letters, digits and _ . / - only (not starting with -): text that reads the
 * same bare in YAML and in a comment. */
static int yaml_plain_chars(const char *s)
{
    if (s[0] == '\0' || s[0] == '-') {
        return 0;
    }
    for (const char *p = s; *p != '\0'; p++) {
        char ch = *p;
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 ch == '_' || ch == '.' || ch == '/' || ch == '-';
        if (!ok) {
            return 0;
        }
    }
    return 1;
}

/* Whether s can be a plain YAML scalar that reads back as the same string: plain characters,
 * and not a word some YAML readers take for a boolean or null (imbal's loader reads every
 * scalar as text, other tools may not). */
static int yaml_plain_ok(const char *s)
{
    static const char *const words[] = {"true", "false", "yes", "no", "on", "off", "null", "y",
                                        "n"};
    for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++) {
        if (strcasecmp(s, words[k]) == 0) {
            return 0;
        }
    }
    return yaml_plain_chars(s);
}

/* A value: plain, or double-quoted with \" \\ and \xNN escapes (s is valid UTF-8). */
void imbal_yaml_scalar(imbal_buf *b, const char *s)
{
    if (yaml_plain_ok(s)) {
        imbal_buf_printf(b, "%s", s);
        return;
    }
    imbal_buf_printf(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p == '"' || *p == '\\') {
            imbal_buf_printf(b, "\\%c", *p);
        } else if (*p < 0x20 || *p == 0x7f) {
            imbal_buf_printf(b, "\\x%02x", *p);
        } else {
            imbal_buf_printf(b, "%c", *p);
        }
    }
    imbal_buf_printf(b, "\"");
}

/* A column name or label in a comment: as it is when it reads unambiguously, else in single
 * quotes ('a b', 'e: f'), escaped as imbal_yaml_safe does. */
void imbal_yaml_name(imbal_buf *b, const char *s)
{
    int plain = yaml_plain_chars(s);
    imbal_buf_printf(b, "%s", plain ? "" : "'");
    imbal_yaml_safe(b, s);
    imbal_buf_printf(b, "%s", plain ? "" : "'");
}

/* Appends paragraph text (one line, no newline) to b as comment lines "<indent># ...",
 * broken at spaces so that lines stay within width where words allow. */
void imbal_yaml_comment(imbal_buf *b, const char *indent, const char *text, size_t width)
{
    size_t room = width - strlen(indent) - 2;
    const char *p = text;
    while (*p != '\0') {
        size_t len = strlen(p);
        size_t cut = len;
        if (len > room) {
            cut = room;
            while (cut > 0 && p[cut] != ' ') {
                cut--;
            }
            if (cut == 0) { /* one word longer than the line: keep it whole */
                cut = strcspn(p, " ");
            }
        }
        imbal_buf_printf(b, "%s# %.*s\n", indent, (int)cut, p);
        p += cut;
        while (*p == ' ') {
            p++;
        }
    }
}

