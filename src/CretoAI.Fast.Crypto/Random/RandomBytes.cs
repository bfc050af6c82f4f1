using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace CretoAI.Fast.Crypto;

/// <summary>
/// Cryptographically secure random bytes: the kernel's CSPRNG through getrandom(2) on Linux, the
/// platform's <see cref="RandomNumberGenerator"/> elsewhere (or where getrandom is missing). On Linux
/// RandomNumberGenerator is OpenSSL's RAND_bytes, and the daemon's first use of it (key-cache and
/// hot-set seeds while it starts) loaded libssl and libcrypto before READY; getrandom is one system
/// call, draws from the same kernel source OpenSSL seeds itself from, and blocks only until that
/// source is initialised at boot.
/// </summary>
public static partial class RandomBytes
{
    private const int Interrupted = 4; // EINTR
    private const int NotImplemented = 38; // ENOSYS on Linux

    private static volatile bool _kernelUnavailable = !OperatingSystem.IsLinux();

    /// <summary>Fills <paramref name="destination"/> with random bytes.</summary>
    public static void Fill(Span<byte> destination)
    {
        if (destination.IsEmpty)
        {
            return;
        }

        if (_kernelUnavailable || !TryFillFromKernel(destination))
        {
            RandomNumberGenerator.Fill(destination);
        }
    }

    /// <summary>A new array of <paramref name="count"/> random bytes.</summary>
    public static byte[] Create(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var bytes = new byte[count];
        Fill(bytes);
        return bytes;
    }

    private static unsafe bool TryFillFromKernel(Span<byte> destination)
    {
        fixed (byte* start = destination)
        {
            var filled = 0;
            while (filled < destination.Length)
            {
                nint got;
                try
                {
                    got = GetRandom(start + filled, (nuint)(destination.Length - filled), 0);
                }
                catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
                {
                    _kernelUnavailable = true;
                    return false;
                }

                if (got > 0)
                {
                    filled += (int)got;
                    continue;
                }

                var error = got < 0 ? Marshal.GetLastPInvokeError() : 0;
                if (error == Interrupted)
                {
                    continue;
                }

                if (error == NotImplemented && filled == 0)
                {
                    _kernelUnavailable = true;
                    return false;
                }

                throw new CryptographicException($"getrandom(2) failed with errno {error} after {filled} of {destination.Length} bytes.");
            }
        }

        return true;
    }

    [LibraryImport("libc", EntryPoint = "getrandom", SetLastError = true)]
    private static unsafe partial nint GetRandom(byte* buffer, nuint length, uint flags);
}
