using Microsoft.Build.Framework;

namespace Pungi.Build.Tasks;

/// <summary>
/// A stamp of every file under some directories (<see cref="Compose.FileListing"/>: path, size, mtime, device, inode),
/// rewritten only when that listing changes, to stand as a target input for a whole tree. It replaces a <c>dir/**</c>
/// item glob, whose thousands of items cost MSBuild a stat and an item each on every build (seconds at 20,000 packages
/// on a no-op) and which misses a file removed or copied in with an older mtime; this listing catches both.
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
    /// (<see cref="Compose.FileListing.ReadBytes"/>); it follows from the sizes already hashed, so it rewrites the stamp no more often.
    /// </summary>
    public bool Bytes { get; set; }

    protected override void ExecutePhase()
    {
        var stamp = Compose.FileListing.Stamp(Directories.Select(d => d.GetMetadata("FullPath")), Suffix ?? "", Bytes);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(File))!);
        Compose.AtomicFile.WriteIfChanged(File, stamp);
    }
}
