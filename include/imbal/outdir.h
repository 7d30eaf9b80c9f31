/* Output directories that a crash, a full disk, a planted symlink or a second run cannot
 * corrupt. An output directory DIR (results/<name>/, or imbal run -o DIR) is a symbolic link
 * to a generation, a sibling directory .<name>.gen-XXXXXX that one run fills and never
 * changes after: a run writes every file of its report into a fresh generation (files opened
 * with O_CREAT|O_EXCL|O_NOFOLLOW, fsync'ed), fsyncs it, then replaces the link with rename(2)
 * of a new link (the one atomic step: a reader sees the old set or the new set, never a mix)
 * and fsyncs the parent directory; the previous generation is removed after the switch. A
 * generation sits beside its link, not below it, so paths relative to DIR ("../data.csv")
 * mean the same through the link. An advisory lock (flock) on the sibling file .<name>.lock,
 * which holds the owner's pid and start time, refuses a second run into DIR while one holds
 * it; the kernel drops it when its process dies, so a crash leaves no stale lock, and the next
 * run removes whatever half-made generation the crash left.
 *
 * A real directory DIR written by an imbal that predates generations, or an empty one, is
 * swapped for the link (renameat2 RENAME_EXCHANGE, atomically) and its files removed; a
 * directory with files imbal does not write, a plain file, or a symbolic link imbal did not
 * make is refused, never replaced. */
#ifndef IMBAL_OUTDIR_H
#define IMBAL_OUTDIR_H

#include <stddef.h>

#include "imbal/error.h"

typedef struct imbal_outdir imbal_outdir;
typedef struct imbal_outfile imbal_outfile;

/* NULL when name is usable as an output directory name, else why not ("is empty", "is '.'
 * or '..'", "contains '/'", "contains a control character", "starts with '.'": names that
 * start with '.' are imbal's own generation, link and lock files). */
const char *imbal_outdir_name_problem(const char *name);

/* Locks the output directory path (its last component must pass imbal_outdir_name_problem;
 * parents are created) and makes a fresh, empty generation for it. Nothing a user sees changes
 * until imbal_outdir_commit. Fails with IMBAL_EIO naming the other run (pid, start time) when
 * one holds the lock, and with IMBAL_EINVAL for a bad name or a DIR that is not imbal's. */
imbal_status imbal_outdir_open(const char *path, imbal_outdir **out, imbal_error *err);

/* The path as given to imbal_outdir_open (without trailing '/'), which readers use. */
const char *imbal_outdir_path(const imbal_outdir *od);

/* Creates file name (a plain name) in the new generation, to be written incrementally; it is
 * owned by od and fsync'ed and closed by imbal_outdir_commit (or dropped with the generation
 * by imbal_outdir_close). */
imbal_status imbal_outdir_create(imbal_outdir *od, const char *name, imbal_outfile **out,
                                 imbal_error *err);
/* Appends len bytes; after a failure the file stays failed and commit refuses. */
imbal_status imbal_outfile_write(imbal_outfile *f, const void *data, size_t len, imbal_error *err);
/* imbal_outdir_create + imbal_outfile_write of a whole file. */
imbal_status imbal_outdir_put(imbal_outdir *od, const char *name, const void *data, size_t len,
                              imbal_error *err);

/* Makes the generation durable and the one DIR points to, then removes the previous one. On
 * failure DIR still shows the previous set (the new generation is dropped by close). */
imbal_status imbal_outdir_commit(imbal_outdir *od, imbal_error *err);

/* Drops an uncommitted generation, releases the lock and frees od. od may be NULL. */
void imbal_outdir_close(imbal_outdir *od);

/* One file replaced atomically, for outputs that are a single file (imbal init, imbal
 * resample): written to a new temporary name in path's directory (O_CREAT|O_EXCL|O_NOFOLLOW,
 * so a planted symlink is never followed), fsync'ed, renamed over path, and the directory
 * fsync'ed. */
imbal_status imbal_write_atomic(const char *path, const char *data, size_t len, imbal_error *err);

#endif
