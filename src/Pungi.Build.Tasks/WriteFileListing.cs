using System.Globalization;
using System.IO.Enumeration;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Build.Framework;

namespace Pungi.Build.Tasks;

/// <summary>
/// A stamp of every file under some directories — its path, size and mtime — rewritten only when that listing changes,
/// to stand as a target input for a whole tree. It replaces a <c>dir/**</c> item glob, whose thousands of items cost
/// MSBuild a stat and an item each on every build (seconds at 20,000 packages on a no-op) and which misses a file
/// removed or copied in with an older mtime; this listing catches both. The stamp holds the file count and a
/// SHA-256 of the sorted listing, so it stays small.
/// </summary>
public sealed class WriteFileListing : PungiTask
{
    /// <summary>The stamp file.</summary>
    [Required] public string File { get; set; } = "";

    /// <summary>Directories listed recursively; a missing one lists as empty (a tree not written yet).</summary>
    public ITaskItem[] Directories { get; set; } = [];

    /// <summary>Only files whose name ends with this (e.g. <c>.rpm</c>); empty: every file.</summary>
    public string? Suffix { get; set; }

    protected override void ExecutePhase()
    {
        var lines = new List<string>();
        var suffix = Suffix ?? "";
        foreach (var item in Directories)
        {
            var dir = item.GetMetadata("FullPath");
            if (!Directory.Exists(dir)) continue;
            // Hidden files too (.treeinfo, .discinfo), as MSBuild's ** glob takes them.
            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
            lines.AddRange(new FileSystemEnumerable<string>(dir,
                (ref FileSystemEntry e) => string.Create(CultureInfo.InvariantCulture,
                    $"{e.ToFullPath()}|{e.Length}|{e.LastWriteTimeUtc.UtcTicks}"),
                options)
            {
                ShouldIncludePredicate = (ref FileSystemEntry e) => !e.IsDirectory && e.FileName.EndsWith(suffix, StringComparison.Ordinal),
            });
        }
        lines.Sort(StringComparer.Ordinal);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var l in lines)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(l));
            sha.AppendData("\n"u8);
        }
        var stamp = string.Create(CultureInfo.InvariantCulture, $"files={lines.Count}\nsha256={Convert.ToHexStringLower(sha.GetHashAndReset())}\n");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(File))!);
        Compose.AtomicFile.WriteIfChanged(File, stamp);
    }
}
