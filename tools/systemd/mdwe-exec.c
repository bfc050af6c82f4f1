/*
 * mdwe-exec: run a command the way systemd's MemoryDenyWriteExecute=yes would, to check that
 * cretoai-fast never needs memory that is writable and executable (NativeAOT: it should not).
 *
 *   cc -O2 -o mdwe-exec tools/systemd/mdwe-exec.c && ./mdwe-exec ./cretoai-fast demo --duration 1
 *
 * Uses prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN) (Linux 6.3+), which refuses exactly what
 * systemd's seccomp filter refuses: mappings both writable and executable, and making a mapping
 * executable after the fact. It is inherited across execve. Exit 77 when the kernel lacks it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#ifndef PR_SET_MDWE
#define PR_SET_MDWE 65
#endif
#ifndef PR_MDWE_REFUSE_EXEC_GAIN
#define PR_MDWE_REFUSE_EXEC_GAIN 1
#endif

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s COMMAND [ARGS...]\n", argv[0]);
        return 2;
    }

    if (prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0L, 0L, 0L) != 0) {
        fprintf(stderr, "mdwe-exec: prctl(PR_SET_MDWE) failed: %s (Linux 6.3 or later needed)\n", strerror(errno));
        return 77;
    }

    execvp(argv[1], argv + 1);
    fprintf(stderr, "mdwe-exec: cannot run %s: %s\n", argv[1], strerror(errno));
    return 127;
}
