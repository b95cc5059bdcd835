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

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
#pragma warning disable CA5392, SYSLIB1054 // a plain libc call; the byte arrays are marshalled as pointers
    private static extern int StatXAt(int dirfd, byte[] path, int flags, uint mask, [Out] byte[] buffer);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
#pragma warning restore CA5392, SYSLIB1054

    private const int AtSymlinkNoFollow = 0x100;
    private const int OReadOnlyCloexec = 0x80000; // O_RDONLY | O_CLOEXEC: the same value on x86_64 and aarch64
    private const uint StatxSizeAndMtime = 0x200 | 0x40; // STATX_SIZE | STATX_MTIME

    /// <summary>A directory open for <see cref="SizeAndMtimeAt"/>; -1 when it cannot be opened or statx is unavailable.</summary>
    public static int OpenDirectory(string path)
    {
        if (!OperatingSystem.IsLinux() || _missing || !(RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64)) return -1;
        try
        {
            return Open(NullTerminated(path), OReadOnlyCloexec);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            _missing = true;
            return -1;
        }
    }

    public static void CloseDirectory(int fd)
    {
        if (fd >= 0) Close(fd);
    }

    /// <summary>
    /// Size and mtime of the entry <paramref name="nullTerminatedName"/> (UTF-8, NUL-terminated) of the directory open as
    /// <paramref name="dirfd"/>, not following a symlink (lstat's answer, as .NET's FileSystemEntry gives it) and without
    /// walking the directory's path again for every file; false when it cannot be stat'ed.
    /// </summary>
    public static bool SizeAndMtimeAt(int dirfd, byte[] nullTerminatedName, byte[] buffer, out long size, out long mtimeSeconds, out uint mtimeNanoseconds)
    {
        size = 0;
        mtimeSeconds = 0;
        mtimeNanoseconds = 0;
        if (dirfd < 0 || buffer.Length < 256 || StatXAt(dirfd, nullTerminatedName, AtSymlinkNoFollow, StatxSizeAndMtime, buffer) != 0) return false;
        if ((BinaryPrimitives.ReadUInt32LittleEndian(buffer) & StatxSizeAndMtime) != StatxSizeAndMtime) return false;
        size = (long)BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(40));
        mtimeSeconds = BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(112));
        mtimeNanoseconds = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(120));
        return true;
    }

    /// <summary>
    /// <see cref="File.Exists"/> of the entry <paramref name="nullTerminatedName"/> of the directory open as
    /// <paramref name="dirfd"/>, as .NET decides it: stat (following symlinks), else lstat (a dangling symlink exists),
    /// and not a directory. Null when statx cannot answer (no descriptor, an unexpected failure), for the caller to ask
    /// File.Exists.
    /// </summary>
    public static bool? ExistsAt(int dirfd, byte[] nullTerminatedName, byte[] buffer)
    {
        const uint statxType = 0x1;
        const int enoent = 2, enotdir = 20;
        if (dirfd < 0 || buffer.Length < 256) return null;
        if (StatXAt(dirfd, nullTerminatedName, 0, statxType, buffer) != 0
            && StatXAt(dirfd, nullTerminatedName, AtSymlinkNoFollow, statxType, buffer) != 0)
            return Marshal.GetLastPInvokeError() is enoent or enotdir ? false : null;
        if ((BinaryPrimitives.ReadUInt32LittleEndian(buffer) & statxType) == 0) return null;
        const ushort typeMask = 0xF000, directory = 0x4000;
        return (BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(28)) & typeMask) != directory;
    }

    internal static byte[] NullTerminated(string s)
    {
        var b = new byte[System.Text.Encoding.UTF8.GetByteCount(s) + 1];
        System.Text.Encoding.UTF8.GetBytes(s, b);
        return b;
    }

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
