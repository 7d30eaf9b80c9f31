/* Test hook of outdir.c: fault injection at each step that changes the file system, so a test
 * can make the N-th step fail (or kill its process there) for every N and check that the
 * output directory shows the previous set or the new one, never a mix. Not thread-safe; for
 * tests only. */
#ifndef IMBAL_OUTDIR_FAULT_H
#define IMBAL_OUTDIR_FAULT_H

/* Called before every step ("mkdir", "lock", "mkgen", "open", "write", "fsync", "close",
 * "fsyncdir", "symlink", "rename", "remove"); a non-zero return is taken as the errno that
 * step failed with. NULL (the default) disables. */
typedef int (*imbal_outdir_fault_fn)(const char *step, void *ctx);
void imbal_outdir_set_fault(imbal_outdir_fault_fn fn, void *ctx);

#endif
