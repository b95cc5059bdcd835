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
/// One stat per file is the whole cost at 20,000 packages. On Linux the names are read first and then stat'ed on every
/// core, each relative to its open directory (statx on a directory descriptor) rather than by its full path, which walked
/// the dozen components of the path again for every file; the values are those of stat'ing each path one by one.
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

    /// <summary>The <c>bytes=</c> of a stamp file written with it; null when it has none or cannot be read.</summary>
    public static long? ReadBytes(string stampFile)
    {
        try
        {
            foreach (var line in File.ReadLines(stampFile))
                if (line.StartsWith("bytes=", StringComparison.Ordinal)
                    && long.TryParse(line.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                    return n;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    /// <summary>True when <paramref name="stamp"/> pins every file's lstat identity (see <see cref="StatxLine"/>).</summary>
    public static bool PinsIdentity(string? stamp) => stamp is not null && stamp.StartsWith(StatxLine + "\n", StringComparison.Ordinal);

    /// <summary>Lists <paramref name="directories"/> recursively (a missing one lists as empty); only names ending with <paramref name="suffix"/>.</summary>
    public static Result Compute(IEnumerable<string> directories, string suffix) => Compute(directories, suffix, atDirectory: true);

    /// <param name="atDirectory">False: every file stat'ed by its full path, one by one (what the tests compare the fast path with).</param>
    internal static Result Compute(IEnumerable<string> directories, string suffix, bool atDirectory)
    {
        if (atDirectory && OperatingSystem.IsLinux() && ComputeOnAllCores(directories, suffix) is { } fast) return fast;
        var totals = new Totals();
        foreach (var dir in directories)
            foreach (var (h, length, full) in Files(dir, suffix, (ref FileSystemEntry e) => Entry(ref e)))
                totals.Add(h, length, full);
        return totals.Result;
    }

    /// <summary>
    /// The files below <paramref name="root"/> (none when it is missing) whose name ends with <paramref name="suffix"/>,
    /// hidden ones too (.treeinfo, .discinfo), as MSBuild's ** glob takes them.
    /// </summary>
    private static IEnumerable<T> Files<T>(string root, string suffix, FileSystemEnumerable<T>.FindTransform transform)
    {
        if (!Directory.Exists(root)) return [];
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
        return new FileSystemEnumerable<T>(root, transform, options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry e) => !e.IsDirectory && e.FileName.EndsWith(suffix, StringComparison.Ordinal),
        };
    }

    /// <summary>A listing's running count, sum, xor, bytes and whether every file pinned its identity.</summary>
    private struct Totals()
    {
        private long _count, _bytes;
        private ulong _sum, _xor;
        private bool _statx = true;

        public void Add(ulong hash, long length, bool statx)
        {
            _count++;
            _sum += hash;
            _xor ^= hash;
            _bytes += length;
            _statx &= statx;
        }

        public void Add(Result part)
        {
            _count += part.Files;
            _sum += part.Sum;
            _xor ^= part.Xor;
            _bytes += part.Bytes;
            _statx &= part.PinsIdentity;
        }

        public readonly Result Result => new(_count, _sum, _xor, _bytes, _statx);
    }

    private const int ChunkSize = 1024;

    /// <summary>
    /// The names first (reading the directories is cheap), then the stats, which are nearly all the cost (a few
    /// microseconds each on a VM, 20,000 per tree), on every core: chunks of one directory's names, each stat'ed
    /// relative to that directory opened once. Sums and xors do not depend on order, so the result is the sequential one.
    /// Null when statx cannot answer for some file (the caller lists the sequential way).
    /// </summary>
    private static Result? ComputeOnAllCores(IEnumerable<string> directories, string suffix)
    {
        var chunks = new List<(string Dir, List<string> Names)>();
        int total = 0;
        foreach (var root in directories)
        {
            string dir = "";
            List<string>? names = null;
            foreach (var _ in Files(root, suffix, (ref FileSystemEntry e) =>
            {
                if (names is null || names.Count >= ChunkSize || !e.Directory.SequenceEqual(dir))
                {
                    if (names is null || !e.Directory.SequenceEqual(dir)) dir = e.Directory.ToString();
                    chunks.Add((dir, names = []));
                }
                names.Add(e.FileName.ToString());
                return true;
            }))
                total++;
        }
        var parts = new Result?[chunks.Count];
        if (total < 2 * ChunkSize)
            for (int i = 0; i < chunks.Count; i++) parts[i] = StatChunk(chunks[i].Dir, chunks[i].Names);
        else
            Parallel.For(0, chunks.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                i => parts[i] = StatChunk(chunks[i].Dir, chunks[i].Names));
        var totals = new Totals();
        foreach (var part in parts)
        {
            if (part is not { } r) return null;
            totals.Add(r);
        }
        return totals.Result;
    }

    /// <summary>One chunk of <see cref="ComputeOnAllCores"/>; null when statx is unavailable.</summary>
    private static Result? StatChunk(string dir, List<string> names)
    {
        int fd = Statx.OpenDirectory(dir);
        try
        {
            var name = new byte[1024];
            var buffer = new byte[256];
            var totals = new Totals();
            foreach (var n in names)
            {
                bool fits = Encoding.UTF8.GetMaxByteCount(n.Length) < name.Length;
                if (fits) name[Encoding.UTF8.GetBytes(n, name)] = 0;
                var outcome = fits && Statx.StatAt(fd, name, buffer, out var r) ? Statx.Outcome.Ok : Statx.Stat(Path.Join(dir, n), out r, out _, followLinks: false);
                if (outcome == Statx.Outcome.Unavailable) return null;
                var (h, length, full) = Hash(PathHash(dir, n), outcome, r);
                totals.Add(h, length, full);
            }
            return totals.Result;
        }
        finally
        {
            Statx.CloseDirectory(fd);
        }
    }

    /// <summary>FNV-1a over the directory's characters, a slash and the name's.</summary>
    private static ulong PathHash(ReadOnlySpan<char> directory, ReadOnlySpan<char> name)
    {
        const ulong prime = 0x100000001b3;
        ulong h = 0xcbf29ce484222325;
        foreach (var c in directory) h = (h ^ c) * prime;
        h = (h ^ '/') * prime;
        foreach (var c in name) h = (h ^ c) * prime;
        return h;
    }

    /// <summary>An entry's hash from its path's and what statx said; its size; whether that pins its identity.</summary>
    private static (ulong Hash, long Length, bool Statx) Hash(ulong h, Statx.Outcome outcome, in Statx.Result r)
    {
        if (outcome == Statx.Outcome.Ok)
        {
            h = Mix(h ^ (ulong)r.Size);
            h = Mix(h ^ (ulong)r.MtimeNs);
            h = Mix(h ^ r.Device);
            h = Mix(h ^ r.Inode);
            return (Mix(h ^ ((ulong)r.Mode & 0xF000)), r.Size, true);
        }
        // Gone between the directory read and the stat: listed without an identity, and the stamp pins none.
        return (Mix(h ^ 0xdeadUL), 0, false);
    }

    /// <summary>An entry stat'ed by its path; where statx is unavailable, what the enumeration knows (size, mtime to 100 ns).</summary>
    private static (ulong Hash, long Length, bool Statx) Entry(ref FileSystemEntry e)
    {
        ulong h = PathHash(e.Directory, e.FileName);
        var outcome = Statx.Stat(e.ToFullPath(), out var r, out _, followLinks: false);
        if (outcome != Statx.Outcome.Unavailable) return Hash(h, outcome, r);
        long length = e.Length;
        h = Mix(h ^ (ulong)length);
        return (Mix(h ^ (ulong)e.LastWriteTimeUtc.UtcTicks), length, false);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
        z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
        return z ^ (z >> 31);
    }
}
