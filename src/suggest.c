/* "Did you mean" support: Levenshtein distance and the closest of a list of names.
 * Used by spec validation (keys, protocols) and the technique registry (names, parameters). */
#include <string.h>

#include "imbal/spec.h"

size_t imbal_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a);
    size_t lb = strlen(b);
    size_t row[64 + 1];
    if (la > 64 || lb > 64) {
        return la > lb ? la : lb; /* names are short; long words are never "close" */
    }
    for (size_t j = 0; j <= lb; j++) {
        row[j] = j;
    }
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] == b[j - 1] ? 0 : 1);
            if (up + 1 < best) {
                best = up + 1;
            }
            if (row[j - 1] + 1 < best) {
                best = row[j - 1] + 1;
            }
            diag = up;
            row[j] = best;
        }
    }
    return row[lb];
}

const char *imbal_suggest(const char *word, const char *const *candidates, size_t n)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    size_t limit = strlen(word) / 3;
    if (limit < 2) {
        limit = 2;
    }
    for (size_t i = 0; i < n; i++) {
        size_t d = imbal_edit_distance(word, candidates[i]);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    return best_d <= limit ? best : NULL;
}
