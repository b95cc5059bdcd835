using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Pungi.Build.Pkgset;

/// <summary>
/// The identity of an RPM file the header cache trusts: size, mtime to the nanosecond, device and inode (the issue's
/// "path, size, mtime, inode"; the path is the cache key itself). .NET has no inode API, so on Linux this calls
/// glibc's <c>statx</c> through P/Invoke — its buffer layout is fixed by the kernel ABI on every architecture, unlike
/// <c>struct stat</c>, and it needs no extra package (Mono.Posix is not on the package list). Elsewhere, or if
/// statx is missing, inode and device are 0 and size + mtime decide. A file replaced by rename (new inode) or
/// re-signed in place (new mtime) is read again.
/// </summary>
public readonly record struct FileStamp(long Size, long MtimeNs, ulong Device, ulong Inode)
{
    private const int AtFdCwd = -100;
    private const uint StatxBasicStats = 0x7ff;
    private static volatile bool _statxMissing;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
#pragma warning disable CA5392, SYSLIB1054, CA2101 // a plain libc call; the byte[] is marshalled as a pointer
    private static extern int StatX(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
#pragma warning restore CA5392, SYSLIB1054, CA2101

    /// <summary>Stats <paramref name="path"/> following symlinks (the cache describes the file the link points at).</summary>
    /// <exception cref="IOException">the file cannot be stat'ed.</exception>
    public static FileStamp Of(string path)
    {
        if (OperatingSystem.IsLinux() && !_statxMissing)
        {
            var buf = new byte[256];
            try
            {
                if (StatX(AtFdCwd, path, 0, StatxBasicStats, buf) == 0)
                {
                    ulong ino = BinaryPrimitives.ReadUInt64LittleEndian(buf.AsSpan(32));
                    long size = (long)BinaryPrimitives.ReadUInt64LittleEndian(buf.AsSpan(40));
                    long sec = BinaryPrimitives.ReadInt64LittleEndian(buf.AsSpan(112));
                    uint nsec = BinaryPrimitives.ReadUInt32LittleEndian(buf.AsSpan(120));
                    uint devMajor = BinaryPrimitives.ReadUInt32LittleEndian(buf.AsSpan(136));
                    uint devMinor = BinaryPrimitives.ReadUInt32LittleEndian(buf.AsSpan(140));
                    return new FileStamp(size, sec * 1_000_000_000 + nsec, ((ulong)devMajor << 32) | devMinor, ino);
                }
                throw new IOException($"cannot stat {path}: errno {Marshal.GetLastPInvokeError()}");
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
                _statxMissing = true;
            }
        }
        var fi = new FileInfo(path);
        if (!fi.Exists) throw new FileNotFoundException($"cannot stat {path}: no such file", path);
        return new FileStamp(fi.Length, (fi.LastWriteTimeUtc - DateTime.UnixEpoch).Ticks * 100, 0, 0);
    }

    /// <summary>mtime in whole seconds, as repodata's <c>time file</c>.</summary>
    public long MtimeSeconds => MtimeNs >= 0 ? MtimeNs / 1_000_000_000 : (MtimeNs - 999_999_999) / 1_000_000_000;
}
