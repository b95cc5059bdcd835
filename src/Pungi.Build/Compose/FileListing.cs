using System.IO.Enumeration;
using System.Text;

namespace Pungi.Build.Compose;

/// <summary>
/// The listing of every file under some directories — each file's path, size and mtime hashed to 64 bits; their count,
/// sum and xor, and the sizes' total — as the <c>WriteFileListing</c> stamps hold it: order-independent, so no list of
/// strings is built and sorted. One stat per file is the whole cost at 20,000 packages; on Linux each file is stat'ed
/// relative to its open directory (statx on a directory descriptor) instead of by its full path through .NET's
/// FileSystemEntry, which walked the dozen components of the path again for every file. The traversal (.NET's
/// enumeration, hidden files included) and every value are the same either way.
/// </summary>
public static class FileListing
{
    public readonly record struct Result(long Files, ulong Sum, ulong Xor, long Bytes);

    /// <summary>Lists <paramref name="directories"/> recursively (a missing one lists as empty); only names ending with <paramref name="suffix"/>.</summary>
    public static Result Compute(IEnumerable<string> directories, string suffix) => Compute(directories, suffix, useStatx: true);

    /// <param name="useStatx">False: every file through .NET's FileSystemEntry (what the tests compare the fast path with).</param>
    internal static Result Compute(IEnumerable<string> directories, string suffix, bool useStatx)
    {
        long count = 0, bytes = 0;
        ulong sum = 0, xor = 0;
        foreach (var dir in directories)
        {
            if (!Directory.Exists(dir)) continue;
            using var stat = new DirectoryStat(useStatx);
            // Hidden files too (.treeinfo, .discinfo), as MSBuild's ** glob takes them.
            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
            foreach (var (h, length) in new FileSystemEnumerable<(ulong, long)>(dir, (ref FileSystemEntry e) => stat.Entry(ref e), options)
            {
                ShouldIncludePredicate = (ref FileSystemEntry e) => !e.IsDirectory && e.FileName.EndsWith(suffix, StringComparison.Ordinal),
            })
            {
                count++;
                sum += h;
                xor ^= h;
                bytes += length;
            }
        }
        return new Result(count, sum, xor, bytes);
    }

    /// <summary>
    /// Stats entries relative to their directory, kept open while the enumeration is in it (.NET lists one directory's
    /// entries together); any entry it cannot stat that way is stat'ed through the entry, so the values never differ.
    /// </summary>
    private sealed class DirectoryStat(bool useStatx) : IDisposable
    {
        private readonly byte[] _name = new byte[1024];
        private readonly byte[] _buffer = new byte[256];
        private string? _dir;
        private int _fd = -1;

        public (ulong Hash, long Length) Entry(ref FileSystemEntry e)
        {
            if (useStatx && Stat(ref e, out var size, out var ticks))
                return (EntryHash(ref e, size, ticks), size);
            long length = e.Length;
            return (EntryHash(ref e, length, e.LastWriteTimeUtc.UtcTicks), length);
        }

        private bool Stat(ref FileSystemEntry e, out long size, out long ticks)
        {
            size = ticks = 0;
            if (_dir is null || !e.Directory.SequenceEqual(_dir))
            {
                Statx.CloseDirectory(_fd);
                _dir = e.Directory.ToString();
                _fd = Statx.OpenDirectory(_dir);
            }
            if (_fd < 0 || Encoding.UTF8.GetMaxByteCount(e.FileName.Length) >= _name.Length) return false;
            int n = Encoding.UTF8.GetBytes(e.FileName, _name);
            _name[n] = 0;
            if (!Statx.SizeAndMtimeAt(_fd, _name, _buffer, out size, out var seconds, out var nanoseconds)) return false;
            // DateTime ticks as FileSystemEntry.LastWriteTimeUtc gives them (100 ns, the rest truncated).
            ticks = DateTime.UnixEpoch.Ticks + seconds * TimeSpan.TicksPerSecond + nanoseconds / 100;
            return true;
        }

        public void Dispose()
        {
            Statx.CloseDirectory(_fd);
            _fd = -1;
        }
    }

    /// <summary>FNV-1a over the full path's characters, then the size and mtime ticks, finished with splitmix64's mixer.</summary>
    private static ulong EntryHash(ref FileSystemEntry e, long length, long ticks)
    {
        const ulong prime = 0x100000001b3;
        ulong h = 0xcbf29ce484222325;
        foreach (var c in e.Directory) h = (h ^ c) * prime;
        h = (h ^ '/') * prime;
        foreach (var c in e.FileName) h = (h ^ c) * prime;
        h = Mix(h ^ (ulong)length);
        return Mix(h ^ (ulong)ticks);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
        z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
        return z ^ (z >> 31);
    }
}
