using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Gather;

/// <summary>Pungi's <c>link_type</c> values.</summary>
public enum LinkType
{
    HardlinkOrCopy,
    Hardlink,
    Copy,
    Symlink,
    AbspathSymlink,
}

/// <summary>
/// Puts a variant.arch's packages into its tree (spec §2.4 "Linking"): hardlink-or-copy by default, optionally into
/// hashed subdirectories (lower-cased first letter). An existing identical target (same size and integer mtime) is
/// accepted; different content is an error. Because a compose directory is rebuilt incrementally here, RPMs that
/// the list no longer names are removed from the directory, so the tree equals what a clean build gives.
/// </summary>
public static class PackageLinker
{
    public static LinkType ParseLinkType(string? value) => (value ?? "").Trim() switch
    {
        "" or "hardlink-or-copy" => LinkType.HardlinkOrCopy,
        "hardlink" => LinkType.Hardlink,
        "copy" => LinkType.Copy,
        "symlink" => LinkType.Symlink,
        "abspath-symlink" => LinkType.AbspathSymlink,
        var other => throw new PungiException(ErrorCodes.GatherBadLinkType,
            $"LinkType '{other}' is not one of hardlink-or-copy, hardlink, copy, symlink, abspath-symlink."),
    };

    /// <summary>The file's place in <paramref name="targetDir"/>: <c>Packages/k/kernel-….rpm</c> with hashed directories.</summary>
    public static string TargetPath(string targetDir, string fileName, bool hashedDirectories)
        => hashedDirectories ? Path.Combine(targetDir, char.ToLowerInvariant(fileName[0]).ToString(), fileName) : Path.Combine(targetDir, fileName);

    /// <summary>Links every source into <paramref name="targetDir"/>; returns (linked, unchanged, removed) counts.</summary>
    public static (int Linked, int Unchanged, int Removed) Link(IEnumerable<string> sources, string targetDir, LinkType linkType,
        bool hashedDirectories, CancellationToken cancellationToken = default)
    {
        int linked = 0, same = 0, removed = 0;
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(source);
            // Names come from package files; never let one escape the tree.
            SafePath.FileName(name, "Package file name");
            var target = TargetPath(targetDir, name, hashedDirectories);
            if (!wanted.Add(target)) continue;
            if (IsSame(source, target)) { same++; continue; }
            if (File.Exists(target) || IsSymlink(target))
            {
                if (linkType is LinkType.Symlink or LinkType.AbspathSymlink || !SameContentStamp(source, target))
                    File.Delete(target);
                else { same++; continue; }
            }
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            LinkOne(source, target, linkType);
            linked++;
        }
        if (Directory.Exists(targetDir))
        {
            foreach (var file in Directory.EnumerateFiles(targetDir, "*.rpm", hashedDirectories ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly))
            {
                if (!wanted.Contains(file)) { File.Delete(file); removed++; }
            }
        }
        return (linked, same, removed);
    }

    private static void LinkOne(string source, string target, LinkType linkType)
    {
        switch (linkType)
        {
            case LinkType.Symlink:
                File.CreateSymbolicLink(target, Path.GetRelativePath(Path.GetDirectoryName(target)!, source));
                break;
            case LinkType.AbspathSymlink:
                File.CreateSymbolicLink(target, Path.GetFullPath(source));
                break;
            case LinkType.Copy:
                CopyAtomically(source, target);
                break;
            case LinkType.Hardlink:
                if (!HardLink.TryCreate(source, target, out var error))
                    throw new PungiException(ErrorCodes.GatherLinkFailed, $"Cannot hardlink '{source}' to '{target}': {error}.");
                break;
            default:
                // EXDEV (another file system) or any other refusal: copy instead, as upstream's hardlink-or-copy.
                if (!HardLink.TryCreate(source, target, out _)) CopyAtomically(source, target);
                break;
        }
    }

    private static void CopyAtomically(string source, string target)
    {
        var temp = target + ".tmp-" + Environment.ProcessId;
        File.Copy(source, temp, overwrite: true);
        File.SetLastWriteTimeUtc(temp, File.GetLastWriteTimeUtc(source));
        File.Move(temp, target, overwrite: true);
    }

    private static bool IsSymlink(string path) => new FileInfo(path).LinkTarget is not null;

    private static bool IsSame(string source, string target)
    {
        var t = new FileInfo(target);
        if (!t.Exists) return false;
        if (t.LinkTarget is not null)
            return Path.GetFullPath(t.LinkTarget, Path.GetDirectoryName(target)!) == Path.GetFullPath(source);
        return HardLink.SameInode(source, target);
    }

    /// <summary>Upstream accepts an existing target with the same size and integer mtime as identical.</summary>
    private static bool SameContentStamp(string source, string target)
    {
        var s = new FileInfo(source);
        var t = new FileInfo(target);
        return s.Length == t.Length
            && (long)(s.LastWriteTimeUtc - DateTime.UnixEpoch).TotalSeconds == (long)(t.LastWriteTimeUtc - DateTime.UnixEpoch).TotalSeconds;
    }
}
