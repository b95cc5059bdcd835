using Pungi.Build.Compose;

namespace Pungi.Build.Buildinstall;

/// <summary>What <see cref="BuildinstallTree.CopyIntoTree"/> did.</summary>
public sealed record TweakResult(IReadOnlyList<string> Configs, IReadOnlyList<string> EfibootConfigs, int Files);

/// <summary>
/// Upstream's <c>tweak_buildinstall</c> (spec §2.3): lorax's output is copied to a temp dir, the boot configs are
/// rewritten to the volume ID (and copied into <c>images/efiboot.img</c>), everything is made world-readable, and the
/// result is copied over the os tree. Upstream copies with <c>cp -dR … src/* dst/</c>: the shell glob skips the
/// top-level dotfiles, so lorax's own <c>.treeinfo</c>/<c>.discinfo</c> never reach the tree (the Treeinfo phase reads
/// lorax's <c>.treeinfo</c> from <c>work/</c> and writes the tree's own). Files are hard-linked where upstream copies
/// untouched bytes (both sides are the same compose), and copied where they are changed in place
/// (<c>efiboot.img</c>); symlinks stay symlinks.
/// </summary>
public static class BuildinstallTree
{
    private static readonly string[] InPlaceEdited = ["images/efiboot.img"];

    public static TweakResult CopyIntoTree(string source, string osTree, string tmpParent, string volid, string? kickstartFile, CancellationToken ct = default)
    {
        if (!Directory.Exists(source))
            throw new DirectoryNotFoundException($"Directory does not exist: {source}");
        Directory.CreateDirectory(osTree);
        Directory.CreateDirectory(tmpParent);
        var tmp = Path.Combine(tmpParent, "tweak_buildinstall_" + Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal));
        Directory.CreateDirectory(tmp);
        try
        {
            CopyTopLevel(source, tmp, link: true, ct);
            var configs = BootConfigs.TweakTree(tmp, volid, kickstartFile is not null);
            if (kickstartFile is not null && configs.Count > 0)
                File.Copy(kickstartFile, Path.Combine(osTree, "ks.cfg"), overwrite: true);
            var efi = new List<string>();
            var efiboot = Path.Combine(tmp, "images", "efiboot.img");
            if (File.Exists(efiboot))
                efi = EfibootImage.UpdateConfigs(efiboot, tmp, ct);
            MakeWorldReadable(tmp);
            int files = CopyTopLevel(tmp, osTree, link: true, ct);
            return new TweakResult(configs, efi, files);
        }
        finally
        {
            Directory.Delete(tmp, recursive: true);
        }
    }

    /// <summary><c>cp -dR --preserve=mode,links,timestamps --remove-destination SRC/* DST/</c>: top-level dotfiles skipped.</summary>
    private static int CopyTopLevel(string from, string to, bool link, CancellationToken ct)
    {
        int n = 0;
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            if (entry.Name.StartsWith('.')) continue;
            n += CopyEntry(entry, Path.Combine(to, entry.Name), from, link, ct);
        }
        return n;
    }

    private static int CopyEntry(FileSystemInfo entry, string target, string root, bool link, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (entry.LinkTarget is { } linkTarget)
        {
            RemoveDestination(target);
            File.CreateSymbolicLink(target, linkTarget);
            return 1;
        }
        if (entry is DirectoryInfo dir)
        {
            if (File.Exists(target) || (Directory.Exists(target) && new DirectoryInfo(target).LinkTarget is not null)) RemoveDestination(target);
            Directory.CreateDirectory(target);
            int n = 0;
            foreach (var child in dir.EnumerateFileSystemInfos())
                n += CopyEntry(child, Path.Combine(target, child.Name), root, link, ct);
            CopyMode(dir.FullName, target);
            return n;
        }
        var rel = Path.GetRelativePath(root, entry.FullName).Replace('\\', '/');
        if (File.Exists(target) && HardLink.SameInode(entry.FullName, target)) return 1;
        RemoveDestination(target);
        if (!(link && !InPlaceEdited.Contains(rel) && HardLink.TryCreate(entry.FullName, target, out _)))
        {
            File.Copy(entry.FullName, target);
            File.SetLastWriteTimeUtc(target, File.GetLastWriteTimeUtc(entry.FullName));
            CopyMode(entry.FullName, target);
        }
        return 1;
    }

    private static void RemoveDestination(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || File.Exists(path)) File.Delete(path);
        else if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
    }

    private static void CopyMode(string from, string to)
    {
        if (OperatingSystem.IsWindows()) return;
        File.SetUnixFileMode(to, File.GetUnixFileMode(from));
    }

    /// <summary><c>chmod -R a+rX</c>: read for everyone, and execute/search where anyone has it or on directories.</summary>
    private static void MakeWorldReadable(string dir)
    {
        if (OperatingSystem.IsWindows()) return;
        const UnixFileMode AnyExec = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        const UnixFileMode AllRead = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(dir, File.GetUnixFileMode(dir) | AllRead | AnyExec);
        foreach (var e in new DirectoryInfo(dir).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            if (e.LinkTarget is not null) continue;
            var mode = File.GetUnixFileMode(e.FullName) | AllRead;
            if (e is DirectoryInfo || (mode & AnyExec) != 0) mode |= AnyExec;
            File.SetUnixFileMode(e.FullName, mode);
        }
    }
}
