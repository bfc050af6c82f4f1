/*
 * Start-up shim linked into the NativeAOT cretoai-fast executable (see CretoAI.Fast.Cli.csproj).
 *
 * Before main(), the NativeAOT runtime "rehydrates" its type data: it writes about 4 MiB into the
 * executable's zero-initialised (bss) segment. Touched 4 KiB at a time, that is about a thousand
 * page faults, and on a virtual machine each one costs several microseconds: roughly a third of the
 * time the process needs before it runs any of our code (docs/benchmarks.md, "Daemon").
 *
 * This constructor runs before the runtime starts. It asks the kernel to back the bss segment with
 * transparent huge pages (madvise MADV_HUGEPAGE), so each fully covered, 2 MiB-aligned part of it is
 * one fault instead of 512. Nothing changes where the kernel has transparent huge pages disabled
 * ("never"), and any failure is ignored: the pages are then small, as before. Set
 * CRETOAI_FAST_NO_HUGEPAGES=1 to skip it.
 *
 * It also notes the time, so that the daemon's "started ... ms after process start" log line can
 * count from here rather than from /proc's start time, which is in 10 ms clock ticks. The variable is
 * exported (see the csproj) and read by name from managed code (ValidatorService).
 */
#define _GNU_SOURCE
#include <link.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* Unix time in nanoseconds when this constructor ran, just after the dynamic loader mapped the executable. */
__attribute__((visibility("default"), used)) volatile long long cretoai_fast_process_started_unix_ns = 0;

static int advise_executable_bss(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    (void)data;

    /* The executable itself comes first and has an empty name; shared libraries are left alone. */
    if (info->dlpi_name != NULL && info->dlpi_name[0] != '\0')
    {
        return 0;
    }

    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    for (int i = 0; i < info->dlpi_phnum; i++)
    {
        const ElfW(Phdr) *segment = &info->dlpi_phdr[i];
        if (segment->p_type != PT_LOAD || (segment->p_flags & PF_W) == 0 || segment->p_memsz <= segment->p_filesz)
        {
            continue;
        }

        /* The anonymous part of the writable segment: from the first whole page after the file-backed bytes. */
        uintptr_t start = info->dlpi_addr + segment->p_vaddr + segment->p_filesz;
        uintptr_t end = info->dlpi_addr + segment->p_vaddr + segment->p_memsz;
        start = (start + page - 1) & ~(page - 1);
        end = (end + page - 1) & ~(page - 1);
        if (end > start)
        {
            (void)madvise((void *)start, end - start, MADV_HUGEPAGE);
        }
    }

    return 1;
}

__attribute__((constructor)) static void cretoai_fast_startup_shim(void)
{
    struct timespec now;
    if (clock_gettime(CLOCK_REALTIME, &now) == 0)
    {
        cretoai_fast_process_started_unix_ns = (long long)now.tv_sec * 1000000000LL + now.tv_nsec;
    }

#ifdef MADV_HUGEPAGE
    const char *skip = getenv("CRETOAI_FAST_NO_HUGEPAGES");
    if (skip != NULL && skip[0] != '\0' && skip[0] != '0')
    {
        return;
    }

    dl_iterate_phdr(advise_executable_bss, NULL);
#endif
}
