using Xunit;

namespace Pungi.Build.Tests.Iso;

/// <summary>
/// Stand-ins for Buildinstall output: the boot files <c>fixtures/iso/make-test-iso.sh</c> makes (Debian's isolinux.bin
/// and ldlinux.c32, <c>isolinux/isolinux.cfg</c>, a FAT <c>images/efiboot.img</c> holding a GRUB <c>BOOTX64.EFI</c>,
/// <c>EFI/BOOT/</c>), made once per test run and copied into a tree as lorax's output is linked into the os tree.
/// </summary>
internal static class BootFiles
{
    public static readonly string[] Tools = ["xorrisofs", "xorriso", "isohybrid", "implantisomd5", "checkisomd5", "isoinfo", "grub-mkimage", "mkfs.msdos", "mmd", "mcopy"];

    private static readonly Lazy<string> Made = new(Make, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The script's tree (skips, or fails under PUNGI_REQUIRE_INTEROP=1, when its tools are missing).</summary>
    public static string Tree
    {
        get
        {
            Interop.Require(Tools);
            Skip.If(!File.Exists("/usr/lib/ISOLINUX/isolinux.bin"), "isolinux is not installed (apt-get install -y isolinux syslinux-common)");
            return Made.Value;
        }
    }

    private static string Make()
    {
        var script = Path.Combine(TestPaths.Fixtures, "iso", "make-test-iso.sh");
        var outDir = Path.Combine(Path.GetTempPath(), "pungi-bootfiles-" + Environment.ProcessId);
        if (Directory.Exists(Path.Combine(outDir, "tree", "images"))) return Path.Combine(outDir, "tree");
        var (code, stdout, stderr) = Interop.Run("bash", script, outDir);
        Assert.True(code == 0, $"make-test-iso.sh failed ({code}):\n{stderr}\n{stdout}");
        return Path.Combine(outDir, "tree");
    }

    /// <summary>Copies <c>isolinux/</c>, <c>images/</c> and <c>EFI/</c> into <paramref name="tree"/>.</summary>
    public static void CopyInto(string tree)
    {
        var from = Tree;
        foreach (var top in new[] { "isolinux", "images", "EFI" })
        {
            var src = Path.Combine(from, top);
            foreach (var file in Directory.EnumerateFiles(src, "*", SearchOption.AllDirectories))
            {
                var to = Path.Combine(tree, top, Path.GetRelativePath(src, file));
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(file, to, overwrite: true);
            }
        }
    }

    /// <summary>
    /// Extracts <paramref name="iso"/> with <c>xorriso -osirrox on -extract / DIR</c> and checks it is byte-identical to
    /// <paramref name="expected"/> (relative path → file on disk): no file missing, none extra except the boot catalog,
    /// and isolinux.bin equal outside bytes 8-63 (the boot-info-table mkisofs patches in, as upstream's images have).
    /// </summary>
    public static void AssertExtractionMatches(string iso, IReadOnlyDictionary<string, string> expected, string? bootCatalog, string scratch)
    {
        var dir = Path.Combine(scratch, "extract-" + Path.GetFileNameWithoutExtension(iso));
        var (code, _, err) = Interop.Run("xorriso", "-osirrox", "on", "-indev", iso, "-extract", "/", dir);
        Assert.True(code == 0, err);
        var got = Directory.EnumerateFiles(dir, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/')).ToHashSet(StringComparer.Ordinal);
        if (bootCatalog is not null)
        {
            Assert.True(got.Remove(bootCatalog), $"boot catalog {bootCatalog} not on the image");
        }
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), got.Order(StringComparer.Ordinal));
        foreach (var (rel, source) in expected)
        {
            var a = File.ReadAllBytes(source);
            var b = File.ReadAllBytes(Path.Combine(dir, rel));
            if (rel == "isolinux/isolinux.bin" && bootCatalog is not null)
            {
                Assert.Equal(a.Length, b.Length);
                a.AsSpan(8, 56).Clear();
                b.AsSpan(8, 56).Clear();
            }
            Assert.True(a.AsSpan().SequenceEqual(b), $"{rel} differs from {source}");
        }
    }

    /// <summary>Every file of a tree by relative path, then <paramref name="overlay"/> laid over it.</summary>
    public static Dictionary<string, string> TreeFiles(string tree, IEnumerable<(string Rel, string Path)>? overlay = null, IEnumerable<string>? exclude = null)
    {
        var map = Directory.EnumerateFiles(tree, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .ToDictionary(f => Path.GetRelativePath(tree, f).Replace('\\', '/'), f => f, StringComparer.Ordinal);
        foreach (var x in exclude ?? []) map.Remove(x);
        foreach (var (rel, path) in overlay ?? []) map[rel] = path;
        return map;
    }
}
