using System.Globalization;
using System.IO.Enumeration;

namespace Pungi.Build.Compose;

/// <summary>
/// A small stamp of every file under some directories, to stand as one MSBuild input for a whole tree (the
/// <c>WriteFileListing</c> task writes it): the file count and the sum and xor of a 64-bit hash per file. Order-independent,
/// so no list of strings is built and sorted. Each file's hash covers its path and what <c>lstat</c> says of it: size,
/// mtime to the nanosecond, device, inode and file type — the identity the Pkgset header cache trusts
/// (<see cref="Pkgset.FileStamp"/>), so a file replaced by one with the same size and mtime (<c>cp -p</c> onto it, a
/// rename over it) changes the listing too. That one <c>statx</c> per file is the stat the enumeration would make anyway
/// for the size and mtime.
/// </summary>
public static class FileListing
{
    /// <summary>
    /// The stamp's first line when every file was described by statx (Linux): the listing then pins each file's
    /// lstat identity, and Pkgset may trust it for its RPMs (<see cref="Pkgset.PkgsetRequest.RepositoryListing"/>).
    /// Elsewhere only size and mtime to 100 ns are known, and the stamp says so.
    /// </summary>
    public const string StatxLine = "identity=statx";

    /// <summary>The stamp text for every file under <paramref name="directories"/> whose name ends with <paramref name="suffix"/>.</summary>
    /// <param name="directories">Listed recursively; a missing one lists as empty (a tree not written yet).</param>
    public static string Stamp(IEnumerable<string> directories, string suffix = "")
    {
        long count = 0;
        ulong sum = 0, xor = 0;
        bool statx = true;
        foreach (var dir in directories)
        {
            if (!Directory.Exists(dir)) continue;
            // Hidden files too (.treeinfo, .discinfo), as MSBuild's ** glob takes them.
            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
            foreach (var (h, full) in new FileSystemEnumerable<(ulong, bool)>(dir, (ref FileSystemEntry e) => EntryHash(ref e), options)
            {
                ShouldIncludePredicate = (ref FileSystemEntry e) => !e.IsDirectory && e.FileName.EndsWith(suffix, StringComparison.Ordinal),
            })
            {
                count++;
                sum += h;
                xor ^= h;
                statx &= full;
            }
        }
        return string.Create(CultureInfo.InvariantCulture, $"{(statx ? StatxLine + "\n" : "")}files={count}\nsum={sum:x16}\nxor={xor:x16}\n");
    }

    /// <summary>True when <paramref name="stamp"/> pins every file's lstat identity (see <see cref="StatxLine"/>).</summary>
    public static bool PinsIdentity(string? stamp) => stamp is not null && stamp.StartsWith(StatxLine + "\n", StringComparison.Ordinal);

    /// <summary>FNV-1a over the full path's characters, then the lstat fields, each finished with splitmix64's mixer.</summary>
    private static (ulong Hash, bool Statx) EntryHash(ref FileSystemEntry e)
    {
        const ulong prime = 0x100000001b3;
        ulong h = 0xcbf29ce484222325;
        foreach (var c in e.Directory) h = (h ^ c) * prime;
        h = (h ^ '/') * prime;
        foreach (var c in e.FileName) h = (h ^ c) * prime;
        switch (Statx.Stat(e.ToFullPath(), out var r, out _, followLinks: false))
        {
            case Statx.Outcome.Ok:
                h = Mix(h ^ (ulong)r.Size);
                h = Mix(h ^ (ulong)r.MtimeNs);
                h = Mix(h ^ r.Device);
                h = Mix(h ^ r.Inode);
                return (Mix(h ^ ((ulong)r.Mode & 0xF000)), true);
            case Statx.Outcome.Failed:
                // Gone between the directory read and the stat: listed without an identity, and the stamp pins none.
                return (Mix(h ^ 0xdeadUL), false);
        }
        h = Mix(h ^ (ulong)e.Length);
        return (Mix(h ^ (ulong)e.LastWriteTimeUtc.UtcTicks), false);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
        z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
        return z ^ (z >> 31);
    }
}
