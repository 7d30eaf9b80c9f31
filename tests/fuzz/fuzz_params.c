/* libFuzzer target: the sampler-parameter parser (imbal_params_parse with its schema checks,
 * imbal_strategy_parse behind sampling_strategy) and imbal_strategy_targets. Input: byte 0
 * picks the technique, byte 1 the classes the data would have (0: not known yet), byte 2
 * the class counts; then "name=value" lines, one parameter each. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "imbal/resample.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Distinct class names, some shaped like the strategy syntax (',', ':', words, indices). */
static char *const fuzz_classes[] = {"negative", "positive",     "1",    "0", "a b", "x,y", "c:d",
                                     "",         "minority",     "auto", "2", "-1",  " z ", "none",
                                     "all",      "not minority", "q",    "r", "s",   "t"};
#define FUZZ_N_CLASSES (sizeof(fuzz_classes) / sizeof(fuzz_classes[0]))
#define FUZZ_MAX_GIVEN 24

static void fuzz_counts(uint8_t mode, size_t n, size_t *counts)
{
    for (size_t c = 0; c < n; c++) {
        switch (mode % 4) {
        case 0: /* a small imbalanced fold */
            counts[c] = 3 + 17 * c;
            break;
        case 1: /* absent classes */
            counts[c] = (c + mode / 4) % 3 == 0 ? 0 : 5 + c;
            break;
        case 2: /* folds of 2^40 rows: large, yet a size the machine could hold */
            counts[c] = ((size_t)1 << 40) - c;
            break;
        default: /* ties */
            counts[c] = 1 + (mode / 4) % 5;
            break;
        }
    }
}

static void fuzz_targets(const imbal_param_values *vals, size_t n_classes, uint8_t mode)
{
    static const imbal_sampler_kind kinds[] = {IMBAL_SAMPLER_OVER, IMBAL_SAMPLER_UNDER,
                                               IMBAL_SAMPLER_CLEAN};
    size_t counts[FUZZ_N_CLASSES];
    long target[FUZZ_N_CLASSES];
    fuzz_counts(mode, n_classes, counts);
    for (size_t i = 0; i < vals->n; i++) {
        if (vals->spec[i].type != IMBAL_PARAM_STRATEGY) {
            continue;
        }
        for (size_t k = 0; k < 3; k++) {
            imbal_error err;
            imbal_status st;
            imbal_error_clear(&err);
            st = imbal_strategy_targets(&vals->strategy[i], kinds[k], counts, n_classes, target,
                                        &err);
            if (st != IMBAL_OK) {
                fuzz_check_error(st, &err);
                continue;
            }
            for (size_t c = 0; c < n_classes; c++) {
                FUZZ_ASSERT(target[c] >= -1);
                if (target[c] >= 0 && kinds[k] == IMBAL_SAMPLER_OVER) {
                    FUZZ_ASSERT((size_t)target[c] >= counts[c]);
                }
                if (target[c] >= 0 && kinds[k] == IMBAL_SAMPLER_UNDER) {
                    FUZZ_ASSERT((size_t)target[c] <= counts[c]);
                }
            }
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const imbal_technique *t;
    char *text;
    char *line;
    char *save = NULL;
    imbal_param given[FUZZ_MAX_GIVEN];
    size_t n_given = 0;
    size_t n_classes;
    imbal_param_values *vals;
    imbal_error err;
    imbal_status st;
    if (size < 3) {
        return 0;
    }
    t = imbal_technique_at(data[0] % imbal_technique_count());
    n_classes = data[1] % (FUZZ_N_CLASSES + 1);
    text = malloc(size - 3 + 1);
    vals = malloc(sizeof(*vals));
    FUZZ_ASSERT(text != NULL && vals != NULL);
    memcpy(text, data + 3, size - 3);
    text[size - 3] = '\0';
    for (line = strtok_r(text, "\n", &save); line != NULL && n_given < FUZZ_MAX_GIVEN;
         line = strtok_r(NULL, "\n", &save)) {
        char *eq = strchr(line, '=');
        if (eq == NULL) {
            continue;
        }
        *eq = '\0';
        given[n_given].name = line;
        given[n_given].value = eq + 1;
        n_given++;
    }
    imbal_error_clear(&err);
    st = imbal_params_parse(t, given, n_given, n_classes > 0 ? fuzz_classes : NULL, n_classes, vals,
                            &err);
    if (st == IMBAL_OK) {
        FUZZ_ASSERT(vals->spec == t->params);
        fuzz_targets(vals, n_classes, data[2]);
    } else {
        int named = err.key[0] != '\0';
        fuzz_check_error(st, &err);
        for (size_t g = 0; g < n_given; g++) {
            named = named || given[g].name[0] == '\0'; /* an empty name cannot be the key */
        }
        FUZZ_ASSERT(named); /* a parameter's problem names the parameter */
    }
    free(vals);
    free(text);
    return 0;
}
