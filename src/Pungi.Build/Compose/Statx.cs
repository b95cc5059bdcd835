using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Pungi.Build.Compose;

/// <summary>
/// glibc's <c>statx</c> through P/Invoke (following symlinks): .NET has no inode or ctime API, and statx's buffer
/// layout is fixed by the kernel ABI on every architecture, unlike <c>struct stat</c>. One wrapper for the header
/// cache's <c>FileStamp</c> and the closing phases' <c>FileIdentity</c>.
/// </summary>
internal static class Statx
{
    public readonly record struct Result(long Size, long MtimeNs, long CtimeNs, ulong Device, ulong Inode);

    public enum Outcome { Ok, Failed, Unavailable }

    private const int AtFdCwd = -100;
    private const uint StatxBasicStats = 0x7ff;
    private static volatile bool _missing;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
#pragma warning disable CA5392, SYSLIB1054, CA2101 // a plain libc call; the byte[] is marshalled as a pointer
    private static extern int StatX(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
#pragma warning restore CA5392, SYSLIB1054, CA2101

    /// <summary>
    /// <see cref="Outcome.Ok"/> with the result; <see cref="Outcome.Failed"/> with the errno when the file cannot be
    /// stat'ed; <see cref="Outcome.Unavailable"/> off Linux or without statx (the caller falls back to FileInfo).
    /// </summary>
    public static Outcome Stat(string path, out Result result, out int errno)
    {
        result = default;
        errno = 0;
        if (!OperatingSystem.IsLinux() || _missing) return Outcome.Unavailable;
        var b = new byte[256];
        try
        {
            if (StatX(AtFdCwd, path, 0, StatxBasicStats, b) != 0)
            {
                errno = Marshal.GetLastPInvokeError();
                return Outcome.Failed;
            }
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            _missing = true;
            return Outcome.Unavailable;
        }
        long Time(int at) => BinaryPrimitives.ReadInt64LittleEndian(b.AsSpan(at)) * 1_000_000_000 + BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at + 8));
        result = new Result(
            (long)BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(40)), Time(112), Time(96),
            ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(136)) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(140)),
            BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(32)));
        return Outcome.Ok;
    }
}
