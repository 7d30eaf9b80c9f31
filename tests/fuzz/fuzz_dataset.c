/* Driver of the CSV and KEEL targets (fuzz_dataset.h). Every outcome must be either a
 * dataset that keeps dataset.h's promises or a clean error with a NULL result. */
#include "fuzz_dataset.h"

#include <math.h>
#include <string.h>

#include "fuzz_util.h"

static void fuzz_check_dataset(const imbal_dataset *ds, size_t n_files, const size_t *row_start)
{
    FUZZ_ASSERT(ds->n > 0 && ds->d > 0 && ds->n_classes >= 2);
    FUZZ_ASSERT(ds->x != NULL && ds->y != NULL);
    for (size_t i = 0; i < ds->n; i++) {
        FUZZ_ASSERT(ds->y[i] >= 0 && (size_t)ds->y[i] < ds->n_classes);
    }
    for (size_t i = 0; i < ds->n * ds->d; i++) {
        FUZZ_ASSERT(isfinite(ds->x[i])); /* NaN and inf are rejected at load */
    }
    for (size_t j = 0; j < ds->d; j++) {
        FUZZ_ASSERT(ds->feature_names[j] != NULL);
        FUZZ_ASSERT(ds->is_dummy[j] <= 1);
    }
    for (size_t c = 0; c < ds->n_classes; c++) {
        FUZZ_ASSERT(ds->class_names[c] != NULL);
    }
    if (row_start != NULL) {
        FUZZ_ASSERT(row_start[0] == 0 && row_start[n_files] == ds->n);
        for (size_t f = 0; f < n_files; f++) {
            FUZZ_ASSERT(row_start[f] < row_start[f + 1]); /* every file has a data row */
        }
    }
}

int fuzz_dataset(const uint8_t *data, size_t size, imbal_format format, const char *suffix)
{
    static const char delimiters[8] = {0, ',', ';', '\t', '|', 0, ',', ';'};
    static const char *const categorical[] = {"a", "Sex"};
    static imbal_dataset sentinel;
    imbal_load_options opt;
    imbal_dataset *ds = &sentinel; /* must come back NULL on error */
    imbal_error err;
    imbal_status st;
    const uint8_t *split = NULL;
    uint8_t mode;
    size_t row_start[3] = {0, 0, 0};
    if (size < 1) {
        return 0;
    }
    mode = data[0];
    data++;
    size--;
    imbal_load_options_default(&opt);
    opt.format = format;
    opt.delimiter = delimiters[mode & 7];
    if (mode & 8) {
        opt.positive = "1";
    }
    if (mode & 16) {
        opt.categorical = categorical;
        opt.n_categorical = 2;
    }
    if (mode & 32) {
        opt.target = "class";
    }
    for (size_t i = 0; (mode & 64) && i + 4 <= size; i++) {
        if (memcmp(data + i, "\n%%\n", 4) == 0) {
            split = data + i;
            break;
        }
    }
    imbal_error_clear(&err);
    if (split != NULL) {
        const char *paths[2];
        size_t head = (size_t)(split - data) + 1;
        paths[0] = fuzz_file(0, data, head, suffix);
        paths[1] = fuzz_file(1, data + head + 3, size - head - 3, suffix);
        st = imbal_dataset_load_many(paths, 2, &opt, &ds, row_start, &err);
    } else if (format == IMBAL_FORMAT_CSV) {
        st = imbal_dataset_load_csv(fuzz_file(0, data, size, suffix), &opt, &ds, &err);
    } else {
        st = imbal_dataset_load_keel(fuzz_file(0, data, size, suffix), &opt, &ds, &err);
    }
    if (st == IMBAL_OK) {
        FUZZ_ASSERT(ds != NULL && err.status == IMBAL_OK);
        fuzz_check_dataset(ds, 2, split != NULL ? row_start : NULL);
        imbal_dataset_free(ds);
    } else {
        FUZZ_ASSERT(ds == NULL);
        fuzz_check_error(st, &err);
    }
    return 0;
}
