/* Shared helpers of the command-line sub-commands. */
#ifndef IMBAL_CLI_H
#define IMBAL_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "imbal/dataset.h"
#include "imbal/error.h"

int imbal_cli_exit_code(imbal_status st);
void imbal_cli_print_error(const imbal_error *err);
/* Prints "imbal: <fmt with arg>" and a hint; returns 2. */
int imbal_cli_usage_error(const char *fmt, const char *arg);
int imbal_cli_parse_seed(const char *s, uint64_t *out);
/* 1 when both paths exist and name the same file (links followed: ./x, a hard link), else 0;
 * an output that is an input would be replaced by what was computed from it. */
int imbal_cli_same_file(const char *a, const char *b);
int imbal_cli_resample(int argc, char **argv);
/* imbal init DATA ...: writes a commented starter spec (src/cli/init.c). */
int imbal_cli_init(int argc, char **argv);

/* describe.c: "imbal: note: dataset 'NAME': positive class 'p' (why)" when the loader's rule
 * picked the positive class (nothing when the spec named it or the data is synthetic); and
 * validate's lines on a dataset: rows, features, positive class and why, each column's type. */
void imbal_cli_note_positive(FILE *out, const char *name, const imbal_dataset *ds);
void imbal_cli_describe_dataset(FILE *out, const char *name, const imbal_dataset *ds);

/* One sub-command: main.c's table lists these, and `imbal --help`, `imbal help NAME`,
 * `imbal NAME --help` and the dispatch all read it, so a new command is its own file that
 * defines one of these plus one line in that table. */
typedef struct {
    const char *name;
    int (*run)(int argc, char **argv); /* argv: the arguments after the command's name */
    const char *args;                  /* usage after "imbal NAME", e.g. "SPEC [-o DIR]";
                                        * a '\n' continues it on an indented line */
    const char *summary;               /* one line for `imbal --help` */
    const char *about;                 /* a paragraph: what it does, what it writes */
    const char *options;               /* one "  -x VALUE   meaning" line each; "" if none */
    const char *example;               /* one command line that works from the repo root */
} imbal_cli_command;

extern const imbal_cli_command imbal_cli_resample_command;
extern const imbal_cli_command imbal_cli_init_command;

#endif
