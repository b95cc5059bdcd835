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
    /// <summary>Stats <paramref name="path"/> following symlinks (the cache describes the file the link points at).</summary>
    /// <exception cref="IOException">the file cannot be stat'ed.</exception>
    public static FileStamp Of(string path)
    {
        switch (Compose.Statx.Stat(path, out var r, out var errno))
        {
            case Compose.Statx.Outcome.Ok:
                return new FileStamp(r.Size, r.MtimeNs, r.Device, r.Inode);
            case Compose.Statx.Outcome.Failed:
                throw new IOException($"cannot stat {path}: errno {errno}");
        }
        var fi = new FileInfo(path);
        if (!fi.Exists) throw new FileNotFoundException($"cannot stat {path}: no such file", path);
        return new FileStamp(fi.Length, (fi.LastWriteTimeUtc - DateTime.UnixEpoch).Ticks * 100, 0, 0);
    }

    /// <summary>mtime in whole seconds, as repodata's <c>time file</c>.</summary>
    public long MtimeSeconds => MtimeNs >= 0 ? MtimeNs / 1_000_000_000 : (MtimeNs - 999_999_999) / 1_000_000_000;
}
