/* sampling_strategy: parsing imbalanced-learn's forms from text, and turning one into
 * target counts per class exactly as imblearn 0.10's check_sampling_strategy does (same
 * minority/majority choice on ties, same integer truncation of ratios, same refusals), so a
 * technique only has to honour target[c]. Kept apart from resample.c, which is the registry.
 * "minority" is accepted for over-samplers as check_sampling_strategy defines it, although
 * imblearn 0.10.0's parameter validation rejects the word (fixed in 0.10.1). */
#include "imbal/resample.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resample_internal.h"

static const char *const strategy_words[] = {
    "auto", "minority", "majority", "not minority", "not majority", "all",
};
static const imbal_strategy_kind strategy_word_kinds[] = {
    IMBAL_STRATEGY_AUTO,         IMBAL_STRATEGY_MINORITY,     IMBAL_STRATEGY_MAJORITY,
    IMBAL_STRATEGY_NOT_MINORITY, IMBAL_STRATEGY_NOT_MAJORITY, IMBAL_STRATEGY_ALL,
};
#define N_STRATEGY_WORDS (sizeof(strategy_words) / sizeof(strategy_words[0]))

/* [*b, *e) without surrounding blanks. */
static void strategy_trim(const char **b, const char **e)
{
    while (*b < *e && isspace((unsigned char)**b)) {
        (*b)++;
    }
    while (*e > *b && isspace((unsigned char)(*e)[-1])) {
        (*e)--;
    }
}

static int strategy_is_index(const char *b, const char *e)
{
    if (b == e || e - b > 9) {
        return 0;
    }
    for (const char *p = b; p < e; p++) {
        if (!isdigit((unsigned char)*p)) {
            return 0;
        }
    }
    return 1;
}

static imbal_status strategy_check_max(long cls, imbal_error *err)
{
    if (cls >= IMBAL_STRATEGY_MAX_CLASSES) {
        return imbal_fail(err, IMBAL_EUNSUP,
                          "sampling_strategy can name at most %d classes (class %ld)",
                          IMBAL_STRATEGY_MAX_CLASSES, cls);
    }
    return IMBAL_OK;
}

long imbal_class_find(const char *name, size_t len, char *const *class_names, size_t n_classes)
{
    static const char *const roles[] = {"negative", "positive"};
    for (size_t c = 0; class_names != NULL && c < n_classes; c++) {
        if (strlen(class_names[c]) == len && strncmp(class_names[c], name, len) == 0) {
            return (long)c;
        }
    }
    for (size_t c = 0; n_classes == 2 && c < 2; c++) {
        if (strlen(roles[c]) == len && strncmp(roles[c], name, len) == 0) {
            return (long)c;
        }
    }
    if (strategy_is_index(name, name + len)) {
        long cls = strtol(name, NULL, 10);
        if ((size_t)cls < n_classes) {
            return cls;
        }
    }
    return -1;
}

/* Appends to buf (size n, holding *len characters), truncating at n - 1. */
static void strategy_append(char *buf, size_t n, size_t *len, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void strategy_append(char *buf, size_t n, size_t *len, const char *fmt, ...)
{
    va_list ap;
    int k;
    if (*len + 1 >= n) {
        return;
    }
    va_start(ap, fmt);
    k = vsnprintf(buf + *len, n - *len, fmt, ap);
    va_end(ap);
    if (k > 0) {
        *len = *len + (size_t)k < n ? *len + (size_t)k : n - 1;
    }
}

char *imbal_class_hint(const char *name, char *const *class_names, size_t n_classes, char *buf,
                       size_t n)
{
    const char *cand[IMBAL_STRATEGY_MAX_CLASSES + 2] = {NULL};
    size_t m = 0;
    size_t len = 0;
    const char *near;
    if (n == 0) {
        return buf;
    }
    buf[0] = '\0';
    for (size_t c = 0; c < n_classes && m < IMBAL_STRATEGY_MAX_CLASSES; c++) {
        cand[m++] = class_names[c];
    }
    if (n_classes == 2) {
        cand[m++] = "negative";
        cand[m++] = "positive";
    }
    near = imbal_closest_name(name, cand, m);
    if (near != NULL) {
        strategy_append(buf, n, &len, "did you mean '%.40s'? ", near);
    }
    if (n_classes == 2) {
        /* the roles in brackets, unless the names say them already */
        int plain =
            strcmp(class_names[0], "negative") == 0 && strcmp(class_names[1], "positive") == 0;
        strategy_append(buf, n, &len, "the classes are '%.40s'%s and '%.40s'%s", class_names[0],
                        plain ? "" : " (negative)", class_names[1], plain ? "" : " (positive)");
        return buf;
    }
    strategy_append(buf, n, &len, "the classes are");
    for (size_t c = 0; c < n_classes; c++) {
        if (c == 8 && n_classes > 9) {
            strategy_append(buf, n, &len, " ... (%zu in all)", n_classes);
            break;
        }
        strategy_append(buf, n, &len, "%s '%.40s'", c ? "," : "", class_names[c]);
    }
    return buf;
}

/* The class named by [b, e) (imbal_class_find's rule). *cls = -1 when it is a name that
 * cannot be resolved because class_names is NULL. */
static imbal_status strategy_class(const char *b, const char *e, char *const *class_names,
                                   size_t n_classes, long *cls, imbal_error *err)
{
    size_t len = (size_t)(e - b);
    char word[64];
    char hint[200];
    *cls = -1;
    if (len == 0) {
        return imbal_fail(err, IMBAL_EINVAL, "empty class name in sampling_strategy");
    }
    if (class_names != NULL) {
        *cls = imbal_class_find(b, len, class_names, n_classes);
        if (*cls >= 0) {
            return strategy_check_max(*cls, err);
        }
    }
    if (strategy_is_index(b, e)) {
        *cls = strtol(b, NULL, 10);
        if (n_classes > 0 && (size_t)*cls >= n_classes) {
            return imbal_fail(err, IMBAL_EINVAL,
                              "class %ld in sampling_strategy is not a class of the data "
                              "(indices 0 .. %zu)",
                              *cls, n_classes - 1);
        }
        return strategy_check_max(*cls, err);
    }
    if (class_names == NULL) {
        return IMBAL_OK;
    }
    len = len < sizeof(word) - 1 ? len : sizeof(word) - 1;
    memcpy(word, b, len);
    word[len] = '\0';
    return imbal_fail(err, IMBAL_EINVAL, "unknown class '%s' in sampling_strategy: %s", word,
                      imbal_class_hint(word, class_names, n_classes, hint, sizeof(hint)));
}

/* One "class:count" or "class" item of a COUNTS or LIST strategy. */
static imbal_status strategy_item(const char *b, const char *e, int with_count,
                                  char *const *class_names, size_t n_classes, imbal_strategy *s,
                                  imbal_error *err)
{
    const char *colon = memchr(b, ':', (size_t)(e - b));
    const char *name_end = with_count ? colon : e;
    long cls = -1;
    long value = 1;
    imbal_status st;
    if (with_count && colon == NULL) {
        return imbal_fail(err, IMBAL_EINVAL,
                          "sampling_strategy item '%.*s' is not class:count", (int)(e - b), b);
    }
    if (!with_count && colon != NULL) {
        return imbal_fail(err, IMBAL_EINVAL,
                          "sampling_strategy mixes class:count items and bare classes");
    }
    if (with_count) {
        const char *vb = colon + 1;
        const char *ve = e;
        char buf[32];
        char *end = NULL;
        strategy_trim(&vb, &ve);
        if (ve - vb <= 0 || ve - vb >= (long)sizeof(buf)) {
            return imbal_fail(err, IMBAL_EINVAL, "sampling_strategy count '%.*s' is not an "
                              "integer", (int)(ve - vb > 32 ? 32 : ve - vb), vb);
        }
        memcpy(buf, vb, (size_t)(ve - vb));
        buf[ve - vb] = '\0';
        errno = 0;
        value = strtol(buf, &end, 10);
        if (*end != '\0' || errno != 0) {
            return imbal_fail(err, IMBAL_EINVAL,
                              "sampling_strategy count '%s' is not an integer", buf);
        }
        if (value < 0) {
            return imbal_fail(err, IMBAL_EINVAL,
                              "the number of samples in a class cannot be negative: "
                              "sampling_strategy asks %ld", value);
        }
    }
    strategy_trim(&b, &name_end);
    st = strategy_class(b, name_end, class_names, n_classes, &cls, err);
    if (st != IMBAL_OK) {
        return st;
    }
    if (cls < 0) {
        s->unresolved = 1;
        return IMBAL_OK;
    }
    if (s->counts[cls] >= 0) {
        return imbal_fail(err, IMBAL_EINVAL, "class %ld named twice in sampling_strategy", cls);
    }
    s->counts[cls] = value;
    return IMBAL_OK;
}

static imbal_status strategy_items(const char *b, const char *e, int with_count,
                                   char *const *class_names, size_t n_classes, imbal_strategy *s,
                                   imbal_error *err)
{
    s->kind = with_count ? IMBAL_STRATEGY_COUNTS : IMBAL_STRATEGY_LIST;
    while (b < e) {
        const char *comma = memchr(b, ',', (size_t)(e - b));
        const char *item_end = comma != NULL ? comma : e;
        imbal_status st = strategy_item(b, item_end, with_count, class_names, n_classes, s, err);
        if (st != IMBAL_OK) {
            return st;
        }
        b = comma != NULL ? comma + 1 : e;
    }
    return IMBAL_OK;
}

/* A lone word that is neither a keyword nor a known class. */
static imbal_status strategy_unknown_word(const char *b, const char *e, imbal_error *err)
{
    char word[64];
    const char *near;
    size_t len = (size_t)(e - b) < sizeof(word) - 1 ? (size_t)(e - b) : sizeof(word) - 1;
    memcpy(word, b, len);
    word[len] = '\0';
    near = imbal_closest_name(word, strategy_words, N_STRATEGY_WORDS);
    if (near != NULL) {
        return imbal_fail(err, IMBAL_EINVAL, "unknown sampling_strategy '%s' (did you mean '%s'?)",
                          word, near);
    }
    return imbal_fail(err, IMBAL_EINVAL,
                      "unknown sampling_strategy '%s': expected auto, minority, majority, "
                      "not minority, not majority, all, a ratio in (0, 1], class:count pairs "
                      "or a list of classes",
                      word);
}

imbal_status imbal_strategy_parse(const char *text, char *const *class_names, size_t n_classes,
                                  imbal_strategy *out, imbal_error *err)
{
    const char *b = text;
    const char *e = text + strlen(text);
    imbal_strategy s;
    imbal_status st;
    char *end = NULL;
    memset(&s, 0, sizeof(s));
    for (size_t c = 0; c < IMBAL_STRATEGY_MAX_CLASSES; c++) {
        s.counts[c] = -1;
    }
    memset(out, 0, sizeof(*out));
    strategy_trim(&b, &e);
    if (b == e) {
        return imbal_fail(err, IMBAL_EINVAL, "empty sampling_strategy");
    }
    for (size_t w = 0; w < N_STRATEGY_WORDS; w++) {
        if (strlen(strategy_words[w]) == (size_t)(e - b) &&
            strncmp(strategy_words[w], b, (size_t)(e - b)) == 0) {
            s.kind = strategy_word_kinds[w];
            *out = s;
            return IMBAL_OK;
        }
    }
    if (isdigit((unsigned char)*b) || *b == '.' || *b == '-' || *b == '+') {
        double r = strtod(b, &end);
        if (end == e) {
            if (!(r > 0.0 && r <= 1.0)) {
                return imbal_fail(err, IMBAL_EINVAL,
                                  "a ratio sampling_strategy must be in (0, 1], got %.*s",
                                  (int)(e - b), b);
            }
            s.kind = IMBAL_STRATEGY_RATIO;
            s.ratio = r;
            *out = s;
            return IMBAL_OK;
        }
    }
    if (memchr(b, ':', (size_t)(e - b)) != NULL) {
        st = strategy_items(b, e, 1, class_names, n_classes, &s, err);
    } else if (memchr(b, ',', (size_t)(e - b)) != NULL) {
        st = strategy_items(b, e, 0, class_names, n_classes, &s, err);
    } else {
        /* one word: a class to clean if it names one, else most likely a misspelt keyword */
        char word[64];
        size_t len = (size_t)(e - b) < sizeof(word) - 1 ? (size_t)(e - b) : sizeof(word) - 1;
        memcpy(word, b, len);
        word[len] = '\0';
        st = strategy_items(b, e, 0, class_names, n_classes, &s, NULL);
        if (st != IMBAL_OK ||
            (s.unresolved && imbal_closest_name(word, strategy_words, N_STRATEGY_WORDS) != NULL)) {
            return strategy_unknown_word(b, e, err);
        }
    }
    if (st != IMBAL_OK) {
        return st;
    }
    *out = s;
    return IMBAL_OK;
}

/* ---- targets ---- */

static const char *strategy_kind_name(imbal_sampler_kind kind)
{
    switch (kind) {
    case IMBAL_SAMPLER_OVER:
        return "over-sampler";
    case IMBAL_SAMPLER_UNDER:
        return "under-sampler";
    default:
        return "cleaning sampler";
    }
}

/* What a keyword form asks for a targeted class: the majority count (over), the minority
 * count (under), a mark (cleaning: 1). */
static long strategy_value(imbal_sampler_kind kind, size_t n_min, size_t n_maj)
{
    if (kind == IMBAL_SAMPLER_OVER) {
        return (long)n_maj;
    }
    return kind == IMBAL_SAMPLER_UNDER ? (long)n_min : 1;
}

/* Targets for the keyword forms: every present class in [all], except the minority or the
 * majority when skip says so, goes to n_majority (over) or n_minority (under, clean). */
static void strategy_fill(const size_t *counts, size_t n_classes, imbal_sampler_kind kind,
                          long skip, size_t n_min, size_t n_maj, long *target)
{
    for (size_t c = 0; c < n_classes; c++) {
        if (counts[c] > 0 && (long)c != skip) {
            target[c] = strategy_value(kind, n_min, n_maj);
        }
    }
}

static imbal_status strategy_ratio(const imbal_strategy *s, imbal_sampler_kind kind,
                                   const size_t *counts, size_t n_classes, size_t present,
                                   long minority, long majority, long *target, imbal_error *err)
{
    if (kind == IMBAL_SAMPLER_CLEAN) {
        return imbal_fail(err, IMBAL_EINVAL,
                          "a cleaning sampler does not take a ratio sampling_strategy");
    }
    if (present != 2) {
        return imbal_fail(err, IMBAL_EINVAL,
                          "a ratio sampling_strategy needs a binary target, got %zu classes; "
                          "give class:count pairs instead", present);
    }
    for (size_t c = 0; c < n_classes; c++) {
        if (counts[c] == 0) {
            continue;
        }
        if (kind == IMBAL_SAMPLER_OVER && (long)c != majority) {
            /* Python's int(n_majority * ratio - count): truncation of the double */
            double want = (double)counts[majority] * s->ratio - (double)counts[c];
            long add = (long)want;
            if (add <= 0) {
                return imbal_fail(err, IMBAL_EINVAL,
                                  "sampling_strategy %g would remove rows of class %zu (%zu "
                                  "rows, majority %zu) instead of adding some: increase it",
                                  s->ratio, c, counts[c], counts[majority]);
            }
            target[c] = (long)counts[c] + add;
        } else if (kind == IMBAL_SAMPLER_UNDER && (long)c != minority) {
            /* int(n_minority / ratio), compared before the conversion: a tiny ratio asks
             * for more rows than a long holds */
            double keep = floor((double)counts[minority] / s->ratio);
            if (keep > (double)counts[c]) {
                return imbal_fail(err, IMBAL_EINVAL,
                                  "sampling_strategy %g would add rows to class %zu (%zu rows, "
                                  "asks %.*g) instead of removing some: increase it",
                                  s->ratio, c, counts[c], keep < 1e15 ? 15 : 6, keep);
            }
            target[c] = (long)keep;
        }
    }
    return IMBAL_OK;
}

static imbal_status strategy_named(const imbal_strategy *s, imbal_sampler_kind kind,
                                   const size_t *counts, size_t n_classes, long *target,
                                   imbal_error *err)
{
    int is_list = s->kind == IMBAL_STRATEGY_LIST;
    if (s->unresolved) {
        return imbal_fail(err, IMBAL_EINVAL, "sampling_strategy names classes that are not "
                          "resolved yet: parse it with the data's class names");
    }
    if (is_list && kind != IMBAL_SAMPLER_CLEAN) {
        return imbal_fail(err, IMBAL_EINVAL, "a list of classes as sampling_strategy is for "
                          "cleaning samplers only; an %s takes class:count pairs",
                          strategy_kind_name(kind));
    }
    if (!is_list && kind == IMBAL_SAMPLER_CLEAN) {
        return imbal_fail(err, IMBAL_EINVAL, "class:count pairs are not supported by cleaning "
                          "samplers: give a list of the classes to clean");
    }
    for (size_t c = 0; c < IMBAL_STRATEGY_MAX_CLASSES; c++) {
        long want = s->counts[c];
        if (want < 0) {
            continue;
        }
        if (c >= n_classes || counts[c] == 0) {
            return imbal_fail(err, IMBAL_EINVAL,
                              "class %zu of sampling_strategy is not present in the data", c);
        }
        if (kind == IMBAL_SAMPLER_OVER && want < (long)counts[c]) {
            return imbal_fail(err, IMBAL_EINVAL,
                              "an over-sampler cannot shrink class %zu: it has %zu rows and "
                              "sampling_strategy asks %ld", c, counts[c], want);
        }
        if (kind == IMBAL_SAMPLER_UNDER && want > (long)counts[c]) {
            return imbal_fail(err, IMBAL_EINVAL,
                              "an under-sampler cannot grow class %zu: it has %zu rows and "
                              "sampling_strategy asks %ld", c, counts[c], want);
        }
        target[c] = want;
    }
    return IMBAL_OK;
}

static imbal_status strategy_targets_of_form(const imbal_strategy *s, imbal_sampler_kind kind,
                                             const size_t *counts, size_t n_classes, long *target,
                                             imbal_error *err)
{
    size_t present = 0;
    long minority = -1;
    long majority = -1;
    size_t n_min;
    size_t n_maj;
    imbal_strategy_kind form = s->kind;
    for (size_t c = 0; c < n_classes; c++) {
        target[c] = -1;
        if (counts[c] == 0) {
            continue;
        }
        present++;
        /* strict comparisons: the first class reaching the extreme wins, like max(dict) */
        if (minority < 0 || counts[c] < counts[minority]) {
            minority = (long)c;
        }
        if (majority < 0 || counts[c] > counts[majority]) {
            majority = (long)c;
        }
    }
    if (present <= 1) {
        return imbal_fail(err, IMBAL_EINVAL,
                          "the target needs more than 1 class to resample, got %zu", present);
    }
    n_min = counts[minority];
    n_maj = counts[majority];
    if (form == IMBAL_STRATEGY_AUTO) {
        form = kind == IMBAL_SAMPLER_OVER ? IMBAL_STRATEGY_NOT_MAJORITY
                                          : IMBAL_STRATEGY_NOT_MINORITY;
    }
    switch (form) {
    case IMBAL_STRATEGY_MINORITY:
        if (kind != IMBAL_SAMPLER_OVER) {
            return imbal_fail(err, IMBAL_EINVAL, "sampling_strategy 'minority' cannot be used "
                              "with an %s", strategy_kind_name(kind));
        }
        target[minority] = (long)n_maj;
        return IMBAL_OK;
    case IMBAL_STRATEGY_MAJORITY:
        if (kind == IMBAL_SAMPLER_OVER) {
            return imbal_fail(err, IMBAL_EINVAL,
                              "sampling_strategy 'majority' cannot be used with an over-sampler");
        }
        target[majority] = strategy_value(kind, n_min, n_maj);
        return IMBAL_OK;
    case IMBAL_STRATEGY_NOT_MINORITY:
        strategy_fill(counts, n_classes, kind, minority, n_min, n_maj, target);
        return IMBAL_OK;
    case IMBAL_STRATEGY_NOT_MAJORITY:
        strategy_fill(counts, n_classes, kind, majority, n_min, n_maj, target);
        return IMBAL_OK;
    case IMBAL_STRATEGY_ALL:
        strategy_fill(counts, n_classes, kind, -1, n_min, n_maj, target);
        return IMBAL_OK;
    case IMBAL_STRATEGY_RATIO:
        return strategy_ratio(s, kind, counts, n_classes, present, minority, majority, target,
                              err);
    case IMBAL_STRATEGY_COUNTS:
    case IMBAL_STRATEGY_LIST:
        return strategy_named(s, kind, counts, n_classes, target, err);
    default:
        return imbal_fail(err, IMBAL_EINVAL, "unknown sampling_strategy kind %d", (int)form);
    }
}

/* The rows after resampling: each targeted class at its target, the others as they are. The
 * sum is checked at every step, so no count a spec can write (per-class counts up to 2^63 - 1
 * on many classes) wraps around into a small allocation that the sampler then overruns. */
static imbal_status strategy_check_total(imbal_sampler_kind kind, const size_t *counts,
                                         size_t n_classes, const long *target, imbal_error *err)
{
    size_t total = 0;
    for (size_t c = 0; c < n_classes; c++) {
        size_t rows =
            kind != IMBAL_SAMPLER_CLEAN && target[c] >= 0 ? (size_t)target[c] : counts[c];
        if (rows > IMBAL_STRATEGY_MAX_ROWS - total) {
            return imbal_fail(err, IMBAL_EINVAL,
                              "sampling_strategy asks for more rows than can be stored: with "
                              "class %zu's %zu the classes add up to more than %zu",
                              c, rows, (size_t)IMBAL_STRATEGY_MAX_ROWS);
        }
        total += rows;
    }
    return IMBAL_OK;
}

imbal_status imbal_strategy_targets(const imbal_strategy *s, imbal_sampler_kind kind,
                                    const size_t *counts, size_t n_classes, long *target,
                                    imbal_error *err)
{
    imbal_status st = strategy_targets_of_form(s, kind, counts, n_classes, target, err);
    if (st == IMBAL_OK) {
        st = strategy_check_total(kind, counts, n_classes, target, err);
    }
    return st;
}
