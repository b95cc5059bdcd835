using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Pungi.Build.Iso;

/// <summary>
/// What lstat tells about a path: type, mode, link count and inode (for hard links), size, mtime. .NET has no
/// portable inode API, so on Linux this calls glibc's <c>statx</c>, whose buffer layout is fixed by the kernel ABI
/// on every architecture; elsewhere it falls back to FileSystemInfo (no hard-link detection).
/// </summary>
internal readonly record struct UnixFileInfo(UnixFileKind Kind, uint Mode, uint Nlink, uint Uid, uint Gid, ulong Device, ulong Inode, long Size, DateTime MtimeUtc)
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;
    private static bool _statxMissing;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false)]
#pragma warning disable CA5392, SYSLIB1054, CA2101 // plain libc call; a byte[] is marshalled as a pointer
    private static extern int StatX(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
#pragma warning restore CA5392, SYSLIB1054, CA2101

    public static UnixFileInfo Lstat(string path)
    {
        if (OperatingSystem.IsLinux() && !_statxMissing)
        {
            var buf = new byte[256];
            try
            {
                if (StatX(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buf) == 0)
                    return FromStatx(buf);
                int errno = Marshal.GetLastPInvokeError();
                throw new IOException($"cannot stat {path}: errno {errno}");
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
                _statxMissing = true;
            }
        }
        return FromFileSystemInfo(path);
    }

    private static UnixFileInfo FromStatx(byte[] b)
    {
        uint nlink = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(16));
        uint uid = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(20));
        uint gid = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(24));
        uint mode = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(28));
        ulong ino = BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(32));
        long size = (long)BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(40));
        long mtimeSec = BinaryPrimitives.ReadInt64LittleEndian(b.AsSpan(112));
        uint devMajor = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(136));
        uint devMinor = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(140));
        var kind = (mode & 0xF000) switch
        {
            0x8000 => UnixFileKind.File,
            0x4000 => UnixFileKind.Directory,
            0xA000 => UnixFileKind.Symlink,
            _ => UnixFileKind.Other,
        };
        return new UnixFileInfo(kind, mode & 0xFFF, nlink, uid, gid, ((ulong)devMajor << 32) | devMinor, ino, size,
            DateTime.UnixEpoch.AddSeconds(mtimeSec));
    }

    private static UnixFileInfo FromFileSystemInfo(string path)
    {
        FileSystemInfo fi = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
        if (!fi.Exists && fi.LinkTarget is null) throw new FileNotFoundException(path);
        var kind = fi.LinkTarget is not null ? UnixFileKind.Symlink : fi is DirectoryInfo ? UnixFileKind.Directory : UnixFileKind.File;
        uint mode = OperatingSystem.IsWindows() ? (kind == UnixFileKind.Directory ? 0x1EDu : 0x1A4u) : (uint)fi.UnixFileMode;
        long size = fi is FileInfo f && kind == UnixFileKind.File ? f.Length : 0;
        return new UnixFileInfo(kind, mode, 1, 0, 0, 0, 0, size, fi.LastWriteTimeUtc);
    }
}

internal enum UnixFileKind { File, Directory, Symlink, Other }
