using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.OSTreeInstaller;

/// <summary>
/// Upstream's <c>_copy_image</c> (spec §2.17): <c>util.copy_all(output_dir, os_tree)</c> — every entry, dotfiles
/// included (it lists the directory rather than globbing), symlinks kept — then <c>images/boot.iso</c> hard-linked
/// (copied when a link is impossible) to <c>iso/&lt;image name&gt;</c>. Unlike Buildinstall, upstream rewrites no boot
/// config here: lorax already got the ostree volume ID.
/// </summary>
public static class OstreeInstallerTree
{
    /// <summary>Copies the lorax output over the os tree; returns the number of files.</summary>
    public static int CopyAll(string outputDir, string osTree, CancellationToken ct = default)
    {
        Directory.CreateDirectory(osTree);
        int n = 0;
        foreach (var entry in new DirectoryInfo(outputDir).EnumerateFileSystemInfos())
            n += Copy(entry, Path.Combine(osTree, entry.Name), ct);
        return n;
    }

    /// <summary>
    /// <c>os.link(boot_iso, iso_path)</c>, falling back to <c>shutil.copy2</c>. An existing target is replaced (a
    /// rebuild), which upstream never meets since every compose is a fresh directory.
    /// </summary>
    public static void LinkBootIso(string outputDir, string isoPath)
    {
        var bootIso = Path.Combine(outputDir, "images", "boot.iso");
        if (!File.Exists(bootIso))
            throw new PungiException(ErrorCodes.OstreeInstallerNoBootIso,
                $"lorax left no images/boot.iso in {outputDir}; the ostree installer ISO cannot be made.");
        Directory.CreateDirectory(Path.GetDirectoryName(isoPath)!);
        if (File.Exists(isoPath))
        {
            if (HardLink.SameInode(bootIso, isoPath)) return;
            File.Delete(isoPath);
        }
        if (!HardLink.TryCreate(bootIso, isoPath, out _))
        {
            File.Copy(bootIso, isoPath);
            File.SetLastWriteTimeUtc(isoPath, File.GetLastWriteTimeUtc(bootIso));
        }
    }

    private static int Copy(FileSystemInfo entry, string target, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (entry.LinkTarget is { } linkTarget)
        {
            Remove(target);
            File.CreateSymbolicLink(target, linkTarget);
            return 1;
        }
        if (entry is DirectoryInfo dir)
        {
            if (File.Exists(target)) File.Delete(target);
            Directory.CreateDirectory(target);
            int n = 0;
            foreach (var child in dir.EnumerateFileSystemInfos())
                n += Copy(child, Path.Combine(target, child.Name), ct);
            return n;
        }
        // copy2 semantics: bytes, mode and mtime.
        Remove(target);
        File.Copy(entry.FullName, target);
        File.SetLastWriteTimeUtc(target, File.GetLastWriteTimeUtc(entry.FullName));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(target, File.GetUnixFileMode(entry.FullName));
        return 1;
    }

    private static void Remove(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || File.Exists(path)) File.Delete(path);
        else if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
    }
}
