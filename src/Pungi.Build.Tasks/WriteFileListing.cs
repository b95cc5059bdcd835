using System.Globalization;
using System.IO.Enumeration;
using Microsoft.Build.Framework;

namespace Pungi.Build.Tasks;

/// <summary>
/// A stamp of every file under some directories — its path, size and mtime — rewritten only when that listing changes,
/// to stand as a target input for a whole tree. It replaces a <c>dir/**</c> item glob, whose thousands of items cost
/// MSBuild a stat and an item each on every build (seconds at 20,000 packages on a no-op) and which misses a file
/// removed or copied in with an older mtime; this listing catches both. The stamp holds the file count and the sum and
/// xor of a 64-bit hash per entry, so it stays small.
/// </summary>
public sealed class WriteFileListing : PungiTask
{
    /// <summary>The stamp file.</summary>
    [Required] public string File { get; set; } = "";

    /// <summary>Directories listed recursively; a missing one lists as empty (a tree not written yet).</summary>
    public ITaskItem[] Directories { get; set; } = [];

    /// <summary>Only files whose name ends with this (e.g. <c>.rpm</c>); empty: every file.</summary>
    public string? Suffix { get; set; }

    /// <summary>
    /// Also writes the files' total size (<c>bytes=</c>), which the report shows for a tree it would otherwise walk again
    /// (<see cref="ReadBytes"/>); it follows from the sizes already hashed, so it rewrites the stamp no more often.
    /// </summary>
    public bool Bytes { get; set; }

    protected override void ExecutePhase()
    {
        // Each entry (path, size, mtime) hashes to 64 bits; the stamp holds their count, sum and xor. Order-independent,
        // so no list of strings is built and sorted: at 20,000 packages the listings are most of a no-op's own work.
        long count = 0, bytes = 0;
        ulong sum = 0, xor = 0;
        var suffix = Suffix ?? "";
        foreach (var item in Directories)
        {
            var dir = item.GetMetadata("FullPath");
            if (!Directory.Exists(dir)) continue;
            // Hidden files too (.treeinfo, .discinfo), as MSBuild's ** glob takes them.
            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
            foreach (var (h, length) in new FileSystemEnumerable<(ulong, long)>(dir, (ref FileSystemEntry e) => (EntryHash(ref e), e.Length), options)
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
        var stamp = string.Create(CultureInfo.InvariantCulture, $"files={count}\nsum={sum:x16}\nxor={xor:x16}\n{(Bytes ? $"bytes={bytes}\n" : "")}");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(File))!);
        Compose.AtomicFile.WriteIfChanged(File, stamp);
    }

    /// <summary>The <c>bytes=</c> of a stamp written with <see cref="Bytes"/>; null when it has none or cannot be read.</summary>
    public static long? ReadBytes(string stamp)
    {
        try
        {
            foreach (var line in System.IO.File.ReadLines(stamp))
                if (line.StartsWith("bytes=", StringComparison.Ordinal)
                    && long.TryParse(line.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                    return n;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    /// <summary>FNV-1a over the full path's characters, then the size and mtime ticks, finished with splitmix64's mixer.</summary>
    private static ulong EntryHash(ref FileSystemEntry e)
    {
        const ulong prime = 0x100000001b3;
        ulong h = 0xcbf29ce484222325;
        foreach (var c in e.Directory) h = (h ^ c) * prime;
        h = (h ^ '/') * prime;
        foreach (var c in e.FileName) h = (h ^ c) * prime;
        h = Mix(h ^ (ulong)e.Length);
        return Mix(h ^ (ulong)e.LastWriteTimeUtc.UtcTicks);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
        z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
        return z ^ (z >> 31);
    }
}
