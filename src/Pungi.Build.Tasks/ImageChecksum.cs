using Microsoft.Build.Framework;
using Pungi.Build.Checksums;
using Pungi.Build.Compose;
using Pungi.Build.Iso;
using Pungi.Build.Metadata;

namespace Pungi.Build.Tasks;

/// <summary>
/// ImageChecksum phase (spec §2.19, §7.5), global, after every image phase: digests of every image (each file read at
/// most once; Createiso's digests are reused while the file is unchanged), the BSD-style checksum files beside the
/// images, and <c>compose/metadata/images.json</c> (spec §6.3) with those checksums.
/// </summary>
public sealed class ImageChecksum : PungiTask
{
    [Required] public string ComposeTopDir { get; set; } = "";
    /// <summary>The fan-out's variant.arch jobs (<c>Variant</c>, <c>Arch</c> metadata): whose image records to read.</summary>
    public ITaskItem[] Jobs { get; set; } = [];
    public string? MediaChecksums { get; set; }
    public string? MediaChecksumOneFile { get; set; }
    public string? MediaChecksumBaseFilename { get; set; }

    protected override void ExecutePhase()
    {
        var layout = new ComposeLayout(ComposeTopDir);
        bool oneFile = ConfigItems.Bool(MediaChecksumOneFile, false);
        var types = Checksums.MediaChecksums.Validate(Createiso.ParseList(MediaChecksums), oneFile);
        var compose = ComposeInfoJson.Read(layout.ComposeInfoBase).Compose;

        // (variant, tree arch, directory) → images, source images under every binary arch of their variant.
        var groups = new SortedDictionary<(string Variant, string Arch, string Dir), List<CreateisoImage>>();
        // Createiso's records per variant.arch, then the Koji image phases' records (work/global/koji-images/)
        var kojiImages = Path.Combine(layout.WorkTopdir(null), "koji-images");
        // Createiso's images and ExtraIsos' unified images of each variant.arch, then the Koji image phases' records.
        var recordPaths = Jobs.SelectMany(job => new[]
            {
                CreateisoRecord.PathFor(layout, job.GetMetadata("Arch"), job.GetMetadata("Variant")),
                CreateisoRecord.ExtraIsoPathFor(layout, job.GetMetadata("Arch"), job.GetMetadata("Variant")),
                CreateisoRecord.OstreeInstallerPathFor(layout, job.GetMetadata("Arch"), job.GetMetadata("Variant")),
            })
            .Concat(Directory.Exists(kojiImages) ? Directory.EnumerateFiles(kojiImages, "*.images.json").Order(StringComparer.Ordinal) : []);
        foreach (var recordPath in recordPaths)
        {
            var record = CreateisoRecord.TryRead(recordPath);
            if (record is null) continue;
            foreach (var image in record.Images)
            {
                if (!File.Exists(Path.Combine(layout.ComposeDir, image.Path))) continue;
                foreach (var treeArch in record.Arch == "src" ? record.TreeArches : [record.Arch])
                {
                    var key = (record.Variant, treeArch, Path.GetDirectoryName(image.Path)!.Replace('\\', '/'));
                    if (!groups.TryGetValue(key, out var list)) groups[key] = list = [];
                    list.Add(image);
                }
            }
        }

        // Digests of images unchanged since an earlier run (same size, mtime, ctime, inode) are not read again.
        var cache = FileFactCache.Load(Path.Combine(layout.WorkTopdir(null), "image-checksums.cache"));
        var digests = new Dictionary<string, (long Size, long Mtime, Dictionary<string, string> Sums)>(StringComparer.Ordinal);
        var images = new ImagesJson(ComposeHeader.From(compose));
        int files = 0;
        foreach (var ((variant, arch, dir), list) in groups)
        {
            var checksummed = new List<ChecksummedFile>();
            foreach (var image in list.OrderBy(i => i.Path, StringComparer.Ordinal))
            {
                var full = Path.Combine(layout.ComposeDir, image.Path);
                if (!digests.TryGetValue(image.Path, out var d))
                {
                    var info = new FileInfo(full);
                    long mtime = new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeSeconds();
                    var sums = image.Size == info.Length && image.Mtime == mtime && types.All(image.Checksums.ContainsKey)
                        ? types.ToDictionary(t => t, t => image.Checksums[t], StringComparer.Ordinal)
                        : Cached(cache, full, types);
                    digests[image.Path] = d = (info.Length, mtime, sums);
                }
                checksummed.Add(new ChecksummedFile(Path.GetFileName(image.Path), d.Size, d.Sums));
                images.Add(variant, arch, new ImageEntry
                {
                    Path = image.Path, Mtime = d.Mtime, Size = d.Size, VolumeId = image.VolumeId, Type = image.Type,
                    Format = image.Format, Arch = image.Arch, DiscNumber = image.DiscNumber, DiscCount = image.DiscCount,
                    Checksums = d.Sums, ImplantMd5 = image.ImplantMd5, Bootable = image.Bootable, Subvariant = image.Subvariant,
                    Unified = image.Unified, AdditionalVariants = image.AdditionalVariants,
                });
            }
            var prefix = BaseFilename(compose, variant, arch, oneFile ? Path.GetFileName(dir) : null);
            files += Checksums.MediaChecksums.WriteDirectory(Path.Combine(layout.ComposeDir, dir), checksummed, types, oneFile, prefix).Count;
        }
        images.Write(layout.Metadata("images.json"));
        cache.Save();
        LogProgress($"ImageChecksum: {digests.Count} images ({cache.Misses} read, {cache.Hits} unchanged since they were last read), {files} checksum files ({string.Join(", ", types)}); images.json written");
    }

    private Dictionary<string, string> Cached(FileFactCache cache, string file, IReadOnlyList<string> types)
    {
        var value = cache.Get(file, "digests:" + string.Join(',', types),
            () =>
            {
                var sums = Checksums.MediaChecksums.Compute(file, types, CancellationToken);
                return string.Join(',', types.Select(t => sums[t]));
            });
        var hex = value.Split(',');
        if (hex.Length != types.Count)
            return Checksums.MediaChecksums.Compute(file, types, CancellationToken);
        return types.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => hex[x.i], StringComparer.Ordinal);
    }

    /// <summary><c>_get_base_filename</c>: the template with the usual keys plus variant and arch (dirname in one-file mode), then '-'.</summary>
    private string BaseFilename(ComposeInfo compose, string variant, string arch, string? dirname)
    {
        if (string.IsNullOrEmpty(MediaChecksumBaseFilename)) return "";
        var extra = new Dictionary<string, string>(StringComparer.Ordinal) { ["variant"] = variant, ["arch"] = arch };
        if (dirname is not null) extra["dirname"] = dirname;
        return IsoNaming.Substitute(MediaChecksumBaseFilename, compose.FormatSubstitutions(extra)) + "-";
    }
}
