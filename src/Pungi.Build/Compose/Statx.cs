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
    /// <param name="Mode">stx_mode: the file type (S_IFMT bits) and permissions.</param>
    public readonly record struct Result(long Size, long MtimeNs, long CtimeNs, ulong Device, ulong Inode, ushort Mode = 0)
    {
        /// <summary>The path itself is a symbolic link (only seen when links are not followed).</summary>
        public bool IsSymlink => (Mode & 0xF000) == 0xA000;
    }

    public enum Outcome { Ok, Failed, Unavailable }

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;
    private static volatile bool _missing;

    // Both buffers per thread and the path passed as bytes: a warm Pkgset stats every RPM (20,000 at the issue's
    // size), and a marshalled string plus a fresh 256-byte buffer per call cost several times the system call.
    [ThreadStatic] private static byte[]? _statBuffer;
    [ThreadStatic] private static byte[]? _pathBuffer;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
#pragma warning disable CA5392, SYSLIB1054 // a plain libc call; both refs are pinned and passed as pointers
    private static extern int StatX(int dirfd, ref byte path, int flags, uint mask, ref byte buffer);
#pragma warning restore CA5392, SYSLIB1054

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
#pragma warning disable CA5392, SYSLIB1054 // a plain libc call; the byte array is marshalled as a pointer
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
#pragma warning restore CA5392, SYSLIB1054

    private const int OReadOnlyCloexec = 0x80000; // O_RDONLY | O_CLOEXEC: the same value on x86_64 and aarch64

    /// <summary>A directory open for <see cref="StatAt"/>; -1 when it cannot be opened or statx is unavailable.</summary>
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
    /// <see cref="Stat"/> (not following links) of the entry <paramref name="nullTerminatedName"/> (UTF-8, NUL-terminated)
    /// of the directory open as <paramref name="dirfd"/>, without walking the directory's path again for every file;
    /// false when it cannot be stat'ed that way (the caller stats the path).
    /// </summary>
    public static bool StatAt(int dirfd, byte[] nullTerminatedName, byte[] buffer, out Result result)
    {
        result = default;
        if (dirfd < 0 || buffer.Length < 256 || StatX(dirfd, ref nullTerminatedName[0], AtSymlinkNoFollow, StatxBasicStats, ref buffer[0]) != 0) return false;
        result = Parse(buffer);
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
        if (StatX(dirfd, ref nullTerminatedName[0], 0, statxType, ref buffer[0]) != 0
            && StatX(dirfd, ref nullTerminatedName[0], AtSymlinkNoFollow, statxType, ref buffer[0]) != 0)
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
    /// <param name="followLinks">False: describe a symbolic link itself (lstat), with <see cref="Result.IsSymlink"/> set.</param>
    public static Outcome Stat(string path, out Result result, out int errno, bool followLinks = true)
    {
        result = default;
        errno = 0;
        if (!OperatingSystem.IsLinux() || _missing) return Outcome.Unavailable;
        var b = _statBuffer ??= new byte[256];
        int max = System.Text.Encoding.UTF8.GetMaxByteCount(path.Length) + 1;
        var p = _pathBuffer;
        if (p is null || p.Length < max) _pathBuffer = p = new byte[Math.Max(max, 1024)];
        p[System.Text.Encoding.UTF8.GetBytes(path, p)] = 0;
        try
        {
            if (StatX(AtFdCwd, ref p[0], followLinks ? 0 : AtSymlinkNoFollow, StatxBasicStats, ref b[0]) != 0)
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
        result = Parse(b);
        return Outcome.Ok;
    }

    private static Result Parse(ReadOnlySpan<byte> b)
    {
        long Time(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadInt64LittleEndian(b[at..]) * 1_000_000_000 + BinaryPrimitives.ReadUInt32LittleEndian(b[(at + 8)..]);
        return new Result(
            (long)BinaryPrimitives.ReadUInt64LittleEndian(b[40..]), Time(b, 112), Time(b, 96),
            ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(b[136..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(b[140..]),
            BinaryPrimitives.ReadUInt64LittleEndian(b[32..]),
            BinaryPrimitives.ReadUInt16LittleEndian(b[28..]));
    }
}
