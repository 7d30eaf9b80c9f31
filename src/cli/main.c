/* imbal command line: the only code that prints or exits. */
#include <stdio.h>
#include <string.h>

#include "imbal/version.h"

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        printf("imbal %s\n", IMBAL_VERSION);
        return 0;
    }
    fprintf(stderr, "usage: imbal --version\n");
    return 2;
}
