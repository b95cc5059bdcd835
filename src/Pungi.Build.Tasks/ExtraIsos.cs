using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Build.Framework;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Iso;
using Pungi.Build.Metadata;
using Pungi.Build.Variants;

namespace Pungi.Build.Tasks;

/// <summary>
/// ExtraIsos phase (spec §2.9), global after Createiso: one unified ISO per <c>ExtraIso</c> item × matching variant
/// (type <c>variant</c>) × arch (the variant's arches, narrowed by <c>Arches</c>, plus <c>src</c> unless
/// <c>SkipSrc</c>), holding the variant and its <c>IncludeVariants</c> side by side (<c>&lt;uid&gt;/Packages</c>,
/// <c>&lt;uid&gt;/repodata</c>), bootable when Buildinstall is configured and its boot files are in the os tree.
/// Written natively into <c>compose/&lt;V&gt;/&lt;arch&gt;/iso/</c>, recorded in
/// <c>work/&lt;arch&gt;/extraiso/&lt;V&gt;.json</c> for ImageChecksum and images.json (<c>unified</c>,
/// <c>additional_variants</c>).
/// </summary>
public sealed class ExtraIsos : ComposePhaseTask
{
    /// <summary>
    /// <c>extra_isos</c> entries: <c>Variant</c> (regex), Include = the <c>filename</c> template (when it differs from
    /// Variant), <c>IncludeVariants</c>, <c>Volid</c> (';'-list of templates), <c>Arches</c>, <c>SkipSrc</c>.
    /// </summary>
    public ITaskItem[] ExtraIso { get; set; } = [];
    public string? BuildinstallMethod { get; set; }
    public string? ImageNameFormat { get; set; }
    public string? ImageVolidFormats { get; set; }
    public string? ImageVolidLayeredProductFormats { get; set; }
    public string? RestrictedVolid { get; set; }
    public ITaskItem[] VolumeIdSubstitutions { get; set; } = [];
    public string? IsoLevel { get; set; }

    protected override void ExecutePhase()
    {
        var layout = Layout;
        var model = LoadModel();
        var compose = ComposeInfoJson.Read(layout.ComposeInfoBase).Compose;
        var common = compose.FormatSubstitutions();
        var made = new Dictionary<(string Arch, string Variant), List<CreateisoImage>>();
        foreach (var item in ExtraIso)
        {
            string pattern = item.GetMetadata("Variant");
            foreach (var v in model.GetVariants([VariantType.Variant]).Where(v => Regex.IsMatch(v.Uid, "^(?:" + pattern + ")")))
            {
                var onlyArches = Createiso.ParseList(item.GetMetadata("Arches"));
                var arches = v.Arches.Where(a => onlyArches.Count == 0 || onlyArches.Contains(a)).ToList();
                if (!ConfigItems.Bool(item.GetMetadata("SkipSrc"), false)) arches.Add("src");
                foreach (var arch in arches)
                {
                    var image = Make(layout, model, compose, common, item, v, arch);
                    if (image is null) continue;
                    if (!made.TryGetValue((arch, v.Uid), out var list)) made[(arch, v.Uid)] = list = [];
                    list.Add(image);
                }
            }
        }
        // Records for every variant.arch of the compose: an image no longer configured goes with its files.
        foreach (var v in model.All)
            foreach (var arch in v.Arches.Append("src"))
            {
                var path = CreateisoRecord.ExtraIsoPathFor(layout, arch, v.Uid);
                var images = made.GetValueOrDefault((arch, v.Uid)) ?? [];
                var previous = CreateisoRecord.TryRead(path);
                foreach (var old in previous?.Images ?? [])
                    if (!images.Any(i => i.Path == old.Path))
                        Createiso.RemoveImage(Path.Combine(layout.ComposeDir, old.Path));
                if (previous is null && images.Count == 0) continue;
                new CreateisoRecord { Variant = v.Uid, Arch = arch, TreeArches = v.Arches, Images = images }.Write(path);
            }
        LogProgress($"ExtraIsos: {made.Values.Sum(l => l.Count)} unified images");
    }

    private CreateisoImage? Make(ComposeLayout layout, VariantModel model, ComposeInfo compose, IReadOnlyDictionary<string, string> common, ITaskItem item, Variant v, string arch)
    {
        var isoDir = layout.IsoDir(v, arch);
        var tree = layout.OsTree(v, arch);
        if (isoDir is null || !Directory.Exists(tree)) return null;
        // Names (spec §2.9): the templates get the normal dvd name as {filename} and the normal volume ID as {volid}.
        string normalName = IsoNaming.GetImageName(common, arch, v.Uid, "dvd", 1, ".iso", string.IsNullOrEmpty(ImageNameFormat) ? null : ImageNameFormat);
        string? normalVolid = Createiso.GetVolumeId(compose, v, arch, common, VolumeIdSubstitutions, ImageVolidFormats, ImageVolidLayeredProductFormats, RestrictedVolid);
        string template = item.ItemSpec == item.GetMetadata("Variant") ? "" : item.ItemSpec;
        string fileName = normalName;
        if (template.Length > 0)
        {
            var keys = new Dictionary<string, string>(common, StringComparer.Ordinal)
            {
                ["variant"] = v.Uid, ["arch"] = arch == "src" ? "source" : arch, ["disc_type"] = "dvd", ["disc_num"] = "1", ["suffix"] = ".iso", ["filename"] = normalName,
            };
            fileName = IsoNaming.Substitute(template, keys);
        }
        var volidFormats = Createiso.ParseList(item.GetMetadata("Volid"));
        string volid = (volidFormats.Count == 0 ? normalVolid
            : Createiso.GetVolumeId(compose, v, arch, common, VolumeIdSubstitutions, ImageVolidFormats, ImageVolidLayeredProductFormats, RestrictedVolid,
                volidFormats, new Dictionary<string, string> { ["volid"] = normalVolid ?? "None" }))
            ?? throw new PungiException(ErrorCodes.VolumeIdNoneFits, $"no volume ID format applies to the extra ISO of {v.Uid}.{arch}.");

        // Content: the variant first, then the included variants that have a tree for this arch.
        var includes = Createiso.ParseList(item.GetMetadata("IncludeVariants"));
        var trees = new List<ExtraIsoVariantTree>();
        foreach (var uid in new[] { v.Uid }.Concat(includes))
        {
            var iv = model.Find(uid) ?? throw new PungiException(ErrorCodes.ExtraIsoUnknownVariant,
                $"ExtraIso '{item.ItemSpec}': IncludeVariants names '{uid}', which is not a variant of this compose.", ProjectFile);
            if (!Directory.Exists(layout.OsTree(iv, arch))) continue;
            trees.Add(new ExtraIsoVariantTree(iv.Uid, iv.Id, iv.Name, layout.Packages(iv, arch), layout.Repository(iv, arch)));
        }
        bool bootable = arch != "src" && !string.IsNullOrWhiteSpace(BuildinstallMethod)
            && IsoBootArgs.RequiredFiles(arch).All(f => File.Exists(Path.Combine(tree, f)));

        // Staging (work/<arch>/<V>/extra-iso-extra-files/<filename>/): .treeinfo, .discinfo (disc 1), media.repo.
        var staging = Path.Combine(layout.ExtraIsoExtraFilesDir(arch, v), fileName);
        Directory.CreateDirectory(staging);
        var staged = new List<IsoGraft>();
        if (File.Exists(Path.Combine(tree, ".treeinfo")))
        {
            ExtraIsoContent.Treeinfo(TreeInfo.Read(Path.Combine(tree, ".treeinfo")), trees).Write(Path.Combine(staging, ".treeinfo"));
            staged.Add(new IsoGraft(".treeinfo", Path.Combine(staging, ".treeinfo")));
        }
        if (File.Exists(Path.Combine(tree, ".discinfo")))
        {
            (DiscInfo.Read(Path.Combine(tree, ".discinfo")) with { DiscNumbers = "1" }).Write(Path.Combine(staging, ".discinfo"));
            staged.Add(new IsoGraft(".discinfo", Path.Combine(staging, ".discinfo")));
        }
        if (File.Exists(Path.Combine(tree, "media.repo")))
        {
            AtomicFile.WriteIfChanged(Path.Combine(staging, "media.repo"), File.ReadAllText(Path.Combine(tree, "media.repo")));
            staged.Add(new IsoGraft("media.repo", Path.Combine(staging, "media.repo")));
        }

        Directory.CreateDirectory(isoDir);
        var target = Path.Combine(isoDir, fileName);
        int level = string.IsNullOrWhiteSpace(IsoLevel) ? 3
            : int.TryParse(IsoLevel, NumberStyles.Integer, CultureInfo.InvariantCulture, out int l) && l is >= 1 and <= 3 ? l
            : throw new PungiException(ErrorCodes.IsoLevelInvalid, $"IsoLevel '{IsoLevel}' is not an ISO 9660 level (1-3).");
        var watch = Stopwatch.StartNew();
        var result = IsoWriter.Write(new IsoImageSpec
        {
            Grafts = ExtraIsoContent.Grafts(bootable ? tree : null, trees, staged),
            VolumeId = volid,
            Exclude = ["lost+found", "images/boot.iso"],
            IsoLevel = level,
            ImplantMd5 = true,
            SupportedIso = compose.Label?.IsSupported ?? false,
            Boot = bootable ? IsoBootArgs.Native(arch) : null,
            TimestampFromTree = true,
        }, target, CancellationToken);
        Createiso.WriteManifest(target);
        var info = new FileInfo(target);
        LogProgress($"ExtraIsos {v.Uid}.{arch}: {fileName} ({info.Length / 1048576.0:0.0} MiB, volume ID '{volid}', {string.Join("+", trees.Select(t => t.Uid))}{(bootable ? ", bootable" : "")}) in {watch.Elapsed.TotalSeconds:0.0}s");
        return new CreateisoImage
        {
            Path = layout.RelativeToCompose(target),
            Size = info.Length,
            Mtime = new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeSeconds(),
            VolumeId = volid,
            Arch = arch,
            ImplantMd5 = result.ImplantedMd5,
            Bootable = bootable,
            Subvariant = v.Uid,
            Unified = true,
            AdditionalVariants = includes,
        };
    }
}
