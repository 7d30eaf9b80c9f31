/* libFuzzer target: the spec loader, from memory (imbal_spec_load_buffer), as if the text
 * were tests/data/fuzz.yaml, so relative dataset paths such as ../../datasets/abalone19.csv
 * resolve when run from the repository root. A loaded spec must be complete; a refused one
 * must list between 1 and IMBAL_SPEC_MAX_ERRORS + 2 problems (the "too many" line and an
 * out-of-memory one), each with a message. */
#include <string.h>

#include "fuzz_util.h"
#include "imbal/spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_check_spec(const imbal_spec *spec)
{
    FUZZ_ASSERT(spec->name != NULL && spec->n_datasets >= 1 && spec->n_techniques >= 1);
    for (size_t i = 0; i < spec->n_datasets; i++) {
        const imbal_spec_dataset *d = &spec->datasets[i];
        FUZZ_ASSERT(d->name != NULL);
        FUZZ_ASSERT(d->synthetic || d->path != NULL);
        for (size_t j = 0; j < d->n_categorical; j++) {
            FUZZ_ASSERT(d->categorical[j] != NULL);
        }
    }
    for (size_t i = 0; i < spec->n_techniques; i++) {
        const imbal_spec_technique *t = &spec->techniques[i];
        FUZZ_ASSERT(t->name != NULL && t->sampler != NULL);
        FUZZ_ASSERT(imbal_technique_find(t->sampler) != NULL);
        for (size_t j = 0; j < t->n_params; j++) {
            FUZZ_ASSERT(t->params[j].name != NULL && t->params[j].value != NULL);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static imbal_spec sentinel;
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = &sentinel; /* must come back NULL on error */
    imbal_status st =
        imbal_spec_load_buffer("tests/data/fuzz.yaml", (const char *)data, size, &spec, &errs);
    if (st == IMBAL_OK) {
        FUZZ_ASSERT(spec != NULL && errs.n == 0);
        fuzz_check_spec(spec);
        imbal_spec_free(spec);
    } else {
        FUZZ_ASSERT(spec == NULL);
        FUZZ_ASSERT(errs.n >= 1 && errs.n <= IMBAL_SPEC_MAX_ERRORS + 2);
        FUZZ_ASSERT(errs.items[0].status == st);
        for (size_t i = 0; i < errs.n; i++) {
            FUZZ_ASSERT(errs.items[i].status != IMBAL_OK && errs.items[i].msg[0] != '\0');
            FUZZ_ASSERT(errs.items[i].line >= 0 && errs.items[i].column >= 0);
        }
    }
    imbal_error_list_free(&errs);
    return 0;
}
