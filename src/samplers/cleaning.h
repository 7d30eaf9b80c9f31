/* Private helpers shared by the cleaning techniques: the Tomek-link test on raw arrays
 * (tomek_links.c), so SMOTETomek can run it on SMOTE's output without building a training
 * view around it; one pass of edited nearest neighbours (edited_nearest_neighbours.c), which
 * RENN, AllKNN and the neighbourhood cleaning rule repeat or build on. */
#ifndef IMBAL_SAMPLERS_CLEANING_H
#define IMBAL_SAMPLERS_CLEANING_H

#include <stddef.h>

#include "imbal/error.h"
#include "imbal/knn.h"
#include "imbal/resample.h"

/* is_link[i] = 1 when row i is in a class with clean[y[i]] set and forms a Tomek link: its
 * nearest other row j (exact Euclidean, ties to the lower index) has another class and row
 * i is j's nearest other row. x is n * d row-major, y in 0 .. n_classes - 1, n >= 2.
 * ENOMEM, or EINVAL from the neighbour search. */
imbal_status imbal_tomek_links_mask(const double *x, const int *y, size_t n, size_t d,
                                    const unsigned char *clean, unsigned char *is_link,
                                    imbal_error *err);

typedef enum { IMBAL_ENN_ALL = 0, IMBAL_ENN_MODE } imbal_enn_kind;

/* kind_sel of p ("all" or "mode"). */
imbal_enn_kind imbal_enn_kind_of(const imbal_param_values *p);

/* The most frequent of labels[0 .. k) (each < n_classes), the smallest label on ties, as
 * scipy.stats.mode; counts is scratch of n_classes entries. */
int imbal_label_mode(const int *labels, size_t k, size_t *counts, size_t n_classes);

/* One pass of imblearn's EditedNearestNeighbours.fit_resample on the rows cur[0 .. m) of in,
 * in that order: the classes to clean come from p's sampling_strategy (cleaning kind) on
 * these rows' class counts; a row of such a class stays when the labels of its k nearest
 * rows among cur (kneighbors with k + 1 and the first column dropped: exact distances, ties
 * to the earlier in cur, so with an exact duplicate ahead of it a row may count itself) all
 * equal its class (ALL) or their mode does (MODE); rows of other classes stay. next (room
 * for m) gets the kept rows class by class in label order, within a class in cur's order,
 * as imblearn returns them; *m_next their number. EINVAL with key n_neighbors when
 * k + 1 > m, the strategy's refusals (key sampling_strategy), ENOMEM. */
imbal_status imbal_enn_pass(const imbal_train_view *in, const imbal_param_values *p,
                            const size_t *cur, size_t m, size_t k, imbal_enn_kind kind,
                            size_t *next, size_t *m_next, imbal_error *err);

/* What a k-nearest-neighbours classifier on the rows of knn (labels yref) predicts for the m
 * rows of q: the most frequent label among each row's k nearest (ties to the smaller label,
 * as scikit-learn's KNeighborsClassifier with uniform weights; equidistant rows to the lower
 * reference row), into pred. EINVAL with key n_neighbors when k exceeds the reference rows,
 * ENOMEM. Defined in sampler_util.c. */
imbal_status imbal_knn_vote(const imbal_knn *knn, const int *yref, size_t n_ref,
                            const double *q, size_t m, size_t k, size_t n_classes, int *pred,
                            imbal_error *err);

#endif
