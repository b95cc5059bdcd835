using Pungi.Build.Metadata;

namespace Pungi.Build.Iso;

/// <summary>
/// <c>prepare_iso</c> (spec §7.4, §6.7, §6.8): the per-disc files laid over the tree on the image, written into
/// <c>work/&lt;arch&gt;/iso/&lt;filename&gt;/</c>: the tree's <c>.treeinfo</c> with <c>[media] discnum/totaldiscs</c>
/// and without <c>boot.iso</c> (in <c>[images-*]</c> and <c>[checksums]</c>), and its <c>.discinfo</c> with the disc
/// number as the fourth line. Both are rewritten only when their text changes, so an unchanged tree gives an
/// unchanged image.
/// </summary>
public static class IsoStaging
{
    /// <summary>One staged file: where it goes on the image and where it is.</summary>
    public sealed record StagedFile(string IsoPath, string FileSystemPath);

    public static List<StagedFile> Prepare(string tree, string stagingDir, int discNum, int discCount, IReadOnlyDictionary<string, (string Type, string Hex)>? extraChecksums = null)
    {
        Directory.CreateDirectory(stagingDir);
        var staged = new List<StagedFile>();
        var treeinfo = Path.Combine(tree, ".treeinfo");
        if (File.Exists(treeinfo))
        {
            var ti = TreeInfo.Read(treeinfo);
            ti.DiscNum = discNum;
            ti.TotalDiscs = discCount;
            var bootIsos = new HashSet<string>(StringComparer.Ordinal);
            foreach (var images in ti.Images.Values)
                if (images.Remove("boot.iso", out var path)) bootIsos.Add(path);
            foreach (var path in bootIsos) ti.Checksums.Remove(path);
            foreach (var (path, sum) in extraChecksums ?? new Dictionary<string, (string, string)>()) ti.Checksums[path] = sum;
            var target = Path.Combine(stagingDir, ".treeinfo");
            ti.Write(target);
            staged.Add(new StagedFile(".treeinfo", target));
        }
        var discinfo = Path.Combine(tree, ".discinfo");
        if (File.Exists(discinfo))
        {
            var di = DiscInfo.Read(discinfo) with { DiscNumbers = discNum.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            var target = Path.Combine(stagingDir, ".discinfo");
            di.Write(target);
            staged.Add(new StagedFile(".discinfo", target));
        }
        return staged;
    }
}
