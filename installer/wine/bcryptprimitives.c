/* A stand-in for Windows' bcryptprimitives.dll, for tests under Debian's wine 8 only (never
 * shipped in the MSI). Rust's standard library (1.78 and later) takes its random numbers from
 * bcryptprimitives!ProcessPrng, which wine 8 does not have; this forwards to advapi32's
 * RtlGenRandom (exported as SystemFunction036), which wine has. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
