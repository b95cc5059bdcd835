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
        long Time(int at) => BinaryPrimitives.ReadInt64LittleEndian(b.AsSpan(at)) * 1_000_000_000 + BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at + 8));
        result = new Result(
            (long)BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(40)), Time(112), Time(96),
            ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(136)) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(140)),
            BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(32)),
            BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(28)));
        return Outcome.Ok;
    }
}
