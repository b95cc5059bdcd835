using System.Globalization;
using System.IO.Enumeration;
using System.Text;

namespace Pungi.Build.Compose;

/// <summary>
/// A small stamp of every file under some directories, to stand as one MSBuild input for a whole tree (the
/// <c>WriteFileListing</c> task writes it): the file count, the sum and xor of a 64-bit hash per file, and optionally the
/// sizes' total. Order-independent, so no list of strings is built and sorted. Each file's hash covers its path and what
/// <c>lstat</c> says of it: size, mtime to the nanosecond, device, inode and file type — the identity the Pkgset header
/// cache trusts (<see cref="Pkgset.FileStamp"/>), so a file replaced by one with the same size and mtime (<c>cp -p</c>
/// onto it, a rename over it) changes the listing too.
/// </summary>
/// <remarks>
/// One stat per file is the whole cost at 20,000 packages. On Linux each file is stat'ed relative to its open directory
/// (statx on a directory descriptor) rather than by its full path, which walked the dozen components of the path again
/// for every file; the values are the same either way.
/// </remarks>
public static class FileListing
{
    /// <summary>
    /// The stamp's first line when every file was described by statx (Linux): the listing then pins each file's
    /// lstat identity, and Pkgset may trust it for its RPMs (<see cref="Pkgset.PkgsetRequest.RepositoryListing"/>).
    /// Elsewhere only size and mtime to 100 ns are known, and the stamp says so.
    /// </summary>
    public const string StatxLine = "identity=statx";

    /// <param name="PinsIdentity">Every file was described by statx (see <see cref="StatxLine"/>).</param>
    public readonly record struct Result(long Files, ulong Sum, ulong Xor, long Bytes, bool PinsIdentity);

    /// <summary>The stamp text for every file under <paramref name="directories"/> whose name ends with <paramref name="suffix"/>.</summary>
    /// <param name="directories">Listed recursively; a missing one lists as empty (a tree not written yet).</param>
    /// <param name="bytes">Also write the sizes' total (<c>bytes=</c>), which the report reads instead of walking the tree again.</param>
    public static string Stamp(IEnumerable<string> directories, string suffix = "", bool bytes = false)
    {
        var r = Compute(directories, suffix);
        return string.Create(CultureInfo.InvariantCulture,
            $"{(r.PinsIdentity ? StatxLine + "\n" : "")}files={r.Files}\nsum={r.Sum:x16}\nxor={r.Xor:x16}\n{(bytes ? $"bytes={r.Bytes}\n" : "")}");
    }

    /// <summary>True when <paramref name="stamp"/> pins every file's lstat identity (see <see cref="StatxLine"/>).</summary>
    public static bool PinsIdentity(string? stamp) => stamp is not null && stamp.StartsWith(StatxLine + "\n", StringComparison.Ordinal);

    /// <summary>Lists <paramref name="directories"/> recursively (a missing one lists as empty); only names ending with <paramref name="suffix"/>.</summary>
    public static Result Compute(IEnumerable<string> directories, string suffix) => Compute(directories, suffix, atDirectory: true);

    /// <param name="atDirectory">False: every file stat'ed by its full path (what the tests compare the fast path with).</param>
    internal static Result Compute(IEnumerable<string> directories, string suffix, bool atDirectory)
    {
        long count = 0, bytes = 0;
        ulong sum = 0, xor = 0;
        bool statx = true;
        foreach (var dir in directories)
        {
            if (!Directory.Exists(dir)) continue;
            using var stat = new DirectoryStat(atDirectory);
            // Hidden files too (.treeinfo, .discinfo), as MSBuild's ** glob takes them.
            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
            foreach (var (h, length, full) in new FileSystemEnumerable<(ulong, long, bool)>(dir, (ref FileSystemEntry e) => stat.Entry(ref e), options)
            {
                ShouldIncludePredicate = (ref FileSystemEntry e) => !e.IsDirectory && e.FileName.EndsWith(suffix, StringComparison.Ordinal),
            })
            {
                count++;
                sum += h;
                xor ^= h;
                bytes += length;
                statx &= full;
            }
        }
        return new Result(count, sum, xor, bytes, statx);
    }

    /// <summary>
    /// Stats entries relative to their directory, kept open while the enumeration is in it (.NET lists one directory's
    /// entries together); an entry it cannot stat that way is stat'ed by its path, so the values never differ.
    /// </summary>
    private sealed class DirectoryStat(bool atDirectory) : IDisposable
    {
        private readonly byte[] _name = new byte[1024];
        private readonly byte[] _buffer = new byte[256];
        private string? _dir;
        private int _fd = -1;

        public (ulong Hash, long Length, bool Statx) Entry(ref FileSystemEntry e)
        {
            const ulong prime = 0x100000001b3;
            ulong h = 0xcbf29ce484222325;
            foreach (var c in e.Directory) h = (h ^ c) * prime;
            h = (h ^ '/') * prime;
            foreach (var c in e.FileName) h = (h ^ c) * prime;
            var outcome = atDirectory && StatAt(ref e, out var r) ? Statx.Outcome.Ok : Statx.Stat(e.ToFullPath(), out r, out _, followLinks: false);
            switch (outcome)
            {
                case Statx.Outcome.Ok:
                    h = Mix(h ^ (ulong)r.Size);
                    h = Mix(h ^ (ulong)r.MtimeNs);
                    h = Mix(h ^ r.Device);
                    h = Mix(h ^ r.Inode);
                    return (Mix(h ^ ((ulong)r.Mode & 0xF000)), r.Size, true);
                case Statx.Outcome.Failed:
                    // Gone between the directory read and the stat: listed without an identity, and the stamp pins none.
                    return (Mix(h ^ 0xdeadUL), 0, false);
            }
            long length = e.Length;
            h = Mix(h ^ (ulong)length);
            return (Mix(h ^ (ulong)e.LastWriteTimeUtc.UtcTicks), length, false);
        }

        private bool StatAt(ref FileSystemEntry e, out Statx.Result result)
        {
            result = default;
            if (_dir is null || !e.Directory.SequenceEqual(_dir))
            {
                Statx.CloseDirectory(_fd);
                _dir = e.Directory.ToString();
                _fd = Statx.OpenDirectory(_dir);
            }
            if (_fd < 0 || Encoding.UTF8.GetMaxByteCount(e.FileName.Length) >= _name.Length) return false;
            int n = Encoding.UTF8.GetBytes(e.FileName, _name);
            _name[n] = 0;
            return Statx.StatAt(_fd, _name, _buffer, out result);
        }

        public void Dispose()
        {
            Statx.CloseDirectory(_fd);
            _fd = -1;
        }
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
        z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
        return z ^ (z >> 31);
    }
}
