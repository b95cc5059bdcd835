using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Build.Framework;
using Pungi.Build.Checksums;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Iso;
using Pungi.Build.Metadata;
using Pungi.Build.Variants;

namespace Pungi.Build.Tasks;

/// <summary>
/// Createiso phase (spec §2.8, §7), per variant.arch: the DVD image(s) of the os tree (the source tree in the <c>src</c>
/// instance) into <c>compose/&lt;V&gt;/&lt;arch&gt;/iso/</c>, with the implanted md5, and a record of them under
/// <c>work/&lt;arch&gt;/createiso/</c> for ImageChecksum and images.json. Bootable (never split) when Buildinstall is
/// configured and its boot files are in the os tree; otherwise split over several discs when the tree is larger than
/// <c>IsoSize − SplitIsoReserve</c>. Every disc carries a staged <c>.treeinfo</c> (<c>[media]</c>) and <c>.discinfo</c>
/// (its disc number) from <c>work/&lt;arch&gt;/iso/&lt;filename&gt;/</c>. Written natively, or with xorrisofs
/// (+ isohybrid) + implantisomd5 when <c>IsoBackend=xorriso</c>.
/// </summary>
public sealed class Createiso : VariantArchTask
{
    public ITaskItem[] CreateisoSkip { get; set; } = [];
    public string? CreateOptionalIsos { get; set; }
    public string? ImageNameFormat { get; set; }
    public string? ImageVolidFormats { get; set; }
    public string? ImageVolidLayeredProductFormats { get; set; }
    public string? RestrictedVolid { get; set; }
    /// <summary><c>volume_id_substitutions</c>: Include = the text to replace, <c>Value</c> = its replacement.</summary>
    public ITaskItem[] VolumeIdSubstitutions { get; set; } = [];
    public string? IsoLevel { get; set; }
    /// <summary><c>native</c> (default) or <c>xorriso</c>.</summary>
    public string? IsoBackend { get; set; }
    /// <summary>Digests computed while the image is still in the page cache (default: upstream's md5, sha1, sha256), so ImageChecksum need not read it again.</summary>
    public string? MediaChecksums { get; set; }
    /// <summary><c>buildinstall_method</c>: non-empty = Buildinstall is configured, so variant trees are bootable.</summary>
    public string? BuildinstallMethod { get; set; }
    /// <summary><c>buildinstall_skip</c> items (Variant, Arch; Include true/false).</summary>
    public ITaskItem[] BuildinstallSkip { get; set; } = [];
    /// <summary><c>iso_hfs_ppc64le_compatible</c> (default true).</summary>
    public string? IsoHfsPpc64leCompatible { get; set; }
    /// <summary><c>iso_size</c> (default 4 700 000 000) and <c>split_iso_reserve</c> (default 10 MiB).</summary>
    public string? IsoSize { get; set; }
    public string? SplitIsoReserve { get; set; }

    protected override void ExecutePhase()
    {
        var (_, v) = LoadVariant();
        var layout = Layout;
        var recordPath = CreateisoRecord.PathFor(layout, Arch, v.Uid);
        var previous = CreateisoRecord.TryRead(recordPath);
        var images = new List<CreateisoImage>();

        var why = WhyNoIso(v, layout);
        bool bootable = why is null && IsBootable(v);
        if (why is null && bootable)
        {
            // A bootable unit whose Buildinstall did not leave its boot files is skipped with a warning (§2.8).
            var tree = layout.OsTree(v, Arch);
            var missing = IsoBootArgs.RequiredFiles(Arch).Where(f => !File.Exists(Path.Combine(tree, f))).ToList();
            if (missing.Count > 0)
            {
                why = $"bootable, but Buildinstall left no {string.Join(", ", missing)} in the os tree";
                Log.LogWarning($"Createiso {Variant}.{Arch}: skipped: {why}.");
            }
        }
        if (why is null)
            images.AddRange(MakeImages(v, layout, bootable));
        else
            Log.LogMessage(MessageImportance.Normal, $"Createiso {Variant}.{Arch}: no ISO ({why}).");

        // An image of an earlier run that this run does not make (createiso_skip set since, variant now empty, fewer
        // discs) goes, with its manifest and checksum files, so the compose lists only what exists.
        foreach (var old in previous?.Images ?? [])
            if (!images.Any(i => i.Path == old.Path))
                RemoveImage(Path.Combine(layout.ComposeDir, old.Path));

        new CreateisoRecord { Variant = v.Uid, Arch = Arch, TreeArches = v.Arches, Images = images }.Write(recordPath);
    }

    /// <summary>Spec §2.8: bootable iff arch != src, type variant, not buildinstall_skip, and buildinstall_method set.</summary>
    private bool IsBootable(Variant v)
    {
        if (Arch == "src" || v.Type != VariantType.Variant || string.IsNullOrWhiteSpace(BuildinstallMethod)) return false;
        var skip = ConfigLookup.GetArchVariantData(ConfigItems.VariantArch(BuildinstallSkip, "BuildinstallSkip"), Arch, v.Uid);
        return !skip.Any(s => ConfigItems.Bool(s, false));
    }

    /// <summary>Spec §2.8 units: why this variant.arch gets no ISO, or null when it gets one.</summary>
    private string? WhyNoIso(Variant v, ComposeLayout layout)
    {
        bool optional = ConfigItems.Bool(CreateOptionalIsos, false);
        if (v.Type is not (VariantType.Variant or VariantType.LayeredProduct or VariantType.Optional) || (v.Type == VariantType.Optional && !optional))
            return $"variant type {v.Type.ToName()}";
        if (v.IsEmpty) return "variant is empty";
        // get_arch_variant_data(createiso_skip) == [True]: exactly one matching entry, and it is true.
        var skip = ConfigLookup.GetArchVariantData(ConfigItems.VariantArch(CreateisoSkip, "CreateisoSkip"), Arch, v.Uid);
        if (skip.Count == 1 && ConfigItems.Bool(skip[0], false)) return "createiso_skip";
        if (layout.IsoDir(v, Arch, optional) is null) return "no iso dir";
        var tree = layout.OsTree(v, Arch);
        if (!Directory.Exists(tree) || !Directory.EnumerateFiles(tree, "*.rpm", SearchOption.AllDirectories).Any())
            return "no RPM in the tree";
        return null;
    }

    private List<CreateisoImage> MakeImages(Variant v, ComposeLayout layout, bool bootable)
    {
        var compose = ComposeInfoJson.Read(layout.ComposeInfoBase).Compose;
        var common = compose.FormatSubstitutions();
        bool layeredVariant = v.Type == VariantType.LayeredProduct && v.Release is not null;
        // Layered products name their images after the parent's UID (spec §7.1).
        string nameVariant = layeredVariant && v.Parent is not null ? v.Parent.Uid : v.Uid;
        string volid = VolumeId(compose, v, layeredVariant, common)
            ?? throw new PungiException(ErrorCodes.VolumeIdNoneFits, $"no volume ID format applies to {v.Uid}.{Arch}.");
        var tree = layout.OsTree(v, Arch);
        int? level = null;
        if (!string.IsNullOrWhiteSpace(IsoLevel))
            level = int.TryParse(IsoLevel, NumberStyles.Integer, CultureInfo.InvariantCulture, out int l) && l is >= 1 and <= 4
                ? l : throw new PungiException(ErrorCodes.IsoLevelInvalid, $"IsoLevel '{IsoLevel}' is not an ISO 9660 level (1-4).");
        string backend = string.IsNullOrWhiteSpace(IsoBackend) ? "native" : IsoBackend.Trim().ToLowerInvariant();
        if (backend is not ("native" or "xorriso"))
            throw new PungiException(ErrorCodes.IsoBackendUnknown, $"IsoBackend '{IsoBackend}' is unknown: use native or xorriso.");

        // Spec §7.3: bootable media are never split; the tree must then fit the media size (issue 8: an error).
        long mediaSize = MediaSplit.MediaSize(IsoSize, SplitIsoReserve);
        var packagesDir = Path.GetRelativePath(tree, layout.Packages(v, Arch)).Replace('\\', '/');
        var files = MediaSplit.CollectTree(tree, packagesDir, MediaSplit.ExtraFilesOf(layout.TreeExtraFiles(v, Arch)));
        var discs = MediaSplit.Plan(files, mediaSize, bootable, $"{v.Uid}.{Arch}");

        var images = new List<CreateisoImage>();
        for (int i = 0; i < discs.Count; i++)
            images.Add(MakeDisc(v, layout, compose, common, nameVariant, volid, tree, level, backend, bootable, i + 1, discs.Count, discs.Count > 1 ? discs[i] : null));
        return images;
    }

    private CreateisoImage MakeDisc(Variant v, ComposeLayout layout, ComposeInfo compose, IReadOnlyDictionary<string, string> common, string nameVariant,
        string volid, string tree, int? level, string backend, bool bootable, int discNum, int discCount, MediaDisc? disc)
    {
        string fileName = IsoNaming.GetImageName(common, Arch, nameVariant, "dvd", discNum, ".iso", string.IsNullOrEmpty(ImageNameFormat) ? null : ImageNameFormat);
        SafePath.FileName(fileName, "ISO image name (ImageNameFormat)");
        var isoDir = layout.IsoDir(v, Arch, ConfigItems.Bool(CreateOptionalIsos, false))!;
        Directory.CreateDirectory(isoDir);
        var target = Path.Combine(isoDir, fileName);
        var temp = Path.Combine(isoDir, $".{fileName}.{Environment.ProcessId}.tmp");
        bool supported = compose.Label?.IsSupported ?? false;
        var stagingDir = layout.IsoWorkDir(Arch, fileName);
        var repodata = disc is null ? [] : DiscRepodata(layout, tree, stagingDir, fileName, disc);
        var extraSums = repodata.Count == 0 ? null : new Dictionary<string, (string, string)>
        {
            ["repodata/repomd.xml"] = ("sha256", TreeInfo.FileChecksum(Path.Combine(stagingDir, "repodata", "repomd.xml"), "sha256")),
        };
        var staging = IsoStaging.Prepare(tree, stagingDir, discNum, discCount, extraSums);
        staging.AddRange(repodata);
        bool hfs = ConfigItems.Bool(IsoHfsPpc64leCompatible, true);
        var watch = Stopwatch.StartNew();
        try
        {
            if (backend == "native")
                IsoWriter.Write(new IsoImageSpec
                {
                    SourceDirectory = tree,
                    Grafts = staging.Select(s => new IsoGraft(s.IsoPath, s.FileSystemPath)).ToList(),
                    IncludeOnly = disc is null ? null : disc.Files.ToHashSet(StringComparer.Ordinal),
                    VolumeId = volid,
                    Exclude = ["lost+found", "images/boot.iso"],
                    IsoLevel = level ?? 3,
                    ImplantMd5 = true,
                    SupportedIso = supported,
                    Boot = bootable ? IsoBootArgs.Native(Arch, hfs) : null,
                    TimestampFromTree = true,
                }, temp, CancellationToken);
            else
                RunXorriso(layout, tree, fileName, temp, volid, level, supported, bootable, hfs, staging, disc);
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            // A failed ISO leaves no partial file (spec §2.8: failure removes the ISO).
            if (File.Exists(temp)) File.Delete(temp);
        }

        var implanted = IsoMd5.ReadImplanted(target).ImplantedMd5;
        WriteManifest(target);
        // ImageChecksum's types (upstream's default when none are set): the image's digests are this variant.arch's share,
        // read while it is in the page cache, and ImageChecksum reuses them while the file is unchanged.
        var checksums = Checksums.MediaChecksums.Compute(target, Checksums.MediaChecksums.Validate(ParseList(MediaChecksums), false), CancellationToken);
        var info = new FileInfo(target);
        LogProgress($"Createiso {Variant}.{Arch}: {fileName} ({info.Length / 1048576.0:0.0} MiB, volume ID '{volid}', disc {discNum}/{discCount}{(bootable ? ", bootable" : "")}, {backend}) in {watch.Elapsed.TotalSeconds:0.0}s");
        return new CreateisoImage
        {
            Path = layout.RelativeToCompose(target),
            Size = info.Length,
            Mtime = new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeSeconds(),
            VolumeId = volid,
            Arch = Arch,
            ImplantMd5 = implanted,
            Bootable = bootable,
            DiscNumber = discNum,
            DiscCount = discCount,
            Subvariant = v.Uid,
            Checksums = checksums,
        };
    }

    /// <summary><c>get_volid(compose, arch, variant, disc_type="dvd")</c> (spec §7.2).</summary>
    private string? VolumeId(ComposeInfo compose, Variant v, bool layeredVariant, IReadOnlyDictionary<string, string> common)
        => GetVolumeId(compose, v, Arch, common, VolumeIdSubstitutions, ImageVolidFormats, ImageVolidLayeredProductFormats, RestrictedVolid);

    /// <summary>
    /// <c>get_volid</c> with the configuration's formats, or explicit <paramref name="formats"/> and extra keys (extra_isos);
    /// <paramref name="discType"/> is <c>disc_types[...]</c> of the image (dvd, ostree).
    /// </summary>
    internal static string? GetVolumeId(ComposeInfo compose, Variant v, string arch, IReadOnlyDictionary<string, string> common, ITaskItem[] substitutions,
        string? imageVolidFormats, string? layeredProductFormats, string? restrictedVolid, IReadOnlyList<string>? formats = null, IReadOnlyDictionary<string, string>? extra = null,
        string discType = "dvd")
    {
        bool layeredVariant = v.Type == VariantType.LayeredProduct && v.Release is not null;
        var subs = substitutions.Select(i => new KeyValuePair<string, string>(i.ItemSpec, i.GetMetadata("Value"))).ToList();
        var volidFormats = ParseList(imageVolidFormats);
        var layeredFormats = ParseList(layeredProductFormats);
        var request = new VolumeIdRequest
        {
            Common = common,
            Arch = arch,
            DiscType = discType,
            Variant = layeredVariant && v.Parent is not null ? v.Parent.Uid : v.Uid,
            ReleaseShort = layeredVariant ? v.Release!.Short : compose.Release.Short,
            ReleaseVersion = layeredVariant ? v.Release!.Version : compose.Release.Version,
            Layered = layeredVariant || compose.IsLayered,
            BaseProductShort = layeredVariant ? compose.Release.Short : compose.BaseProduct?.Short,
            BaseProductVersion = layeredVariant ? compose.Release.MajorVersion : compose.BaseProduct?.Version,
            VolidFormats = volidFormats.Count == 0 ? null : volidFormats,
            LayeredFormats = layeredFormats.Count == 0 ? null : layeredFormats,
            Formats = formats,
            Extra = extra,
            Substitutions = subs,
            Restricted = ConfigItems.Bool(restrictedVolid, false),
        };
        return IsoNaming.GetVolumeId(request);
    }

    /// <summary>
    /// Spec §7.3, multi-disc media: each disc gets its own repodata for the packages on it:
    /// <c>cp -a &lt;tree&gt;/repodata &lt;staging&gt;/</c>, then <c>createrepo_c &lt;tree&gt; --outputdir=&lt;staging&gt;
    /// --pkglist=&lt;file-list&gt; --update --skip-stat --database --checksum=sha256 --unique-md-filenames</c>.
    /// </summary>
    private List<IsoStaging.StagedFile> DiscRepodata(ComposeLayout layout, string tree, string stagingDir, string fileName, MediaDisc disc)
    {
        var treeRepodata = Path.Combine(tree, "repodata");
        if (!Directory.Exists(treeRepodata)) return [];
        var target = Path.Combine(stagingDir, "repodata");
        if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
        Directory.CreateDirectory(target);
        foreach (var f in Directory.EnumerateFiles(treeRepodata))
            File.Copy(f, Path.Combine(target, Path.GetFileName(f)));
        var list = layout.IsoFileList(Arch, fileName);
        AtomicFile.WriteIfChanged(list, string.Concat(disc.Files.Where(f => f.EndsWith(".rpm", StringComparison.Ordinal)).Select(f => f + "\n")));
        var output = XorrisoBackend.RunTool("createrepo_c", [tree, "--outputdir=" + stagingDir, "--pkglist=" + list, "--update", "--skip-stat", "--database",
            "--checksum=sha256", "--unique-md-filenames", "--workers=2"], stagingDir, CancellationToken);
        Log.LogMessage(MessageImportance.Low, output);
        return Directory.EnumerateFiles(target).Order(StringComparer.Ordinal)
            .Select(f => new IsoStaging.StagedFile("repodata/" + Path.GetFileName(f), f)).ToList();
    }

    /// <summary>The xorriso backend (<see cref="XorrisoBackend"/>) with the disc's graft points written first.</summary>
    private void RunXorriso(ComposeLayout layout, string tree, string fileName, string output, string volid, int? level, bool supported,
        bool bootable, bool hfs, IReadOnlyList<IsoStaging.StagedFile> staging, MediaDisc? disc)
    {
        var graftPoints = layout.IsoGraftPoints(Arch, fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(graftPoints)!);
        AtomicFile.WriteIfChanged(graftPoints, XorrisoBackend.GraftPoints(tree, staging.Select(s => (s.IsoPath, s.FileSystemPath)), disc?.Files));
        var log = XorrisoBackend.Run(new XorrisoRequest
        {
            Arch = Arch, VolumeId = volid, GraftPointsFile = graftPoints, Output = output, IsoLevel = level, Bootable = bootable,
            PpcHfsCompatible = hfs, SupportedIso = supported,
        }, CancellationToken);
        Log.LogMessage(MessageImportance.Low, log);
    }

    /// <summary><c>&lt;iso&gt;.manifest</c>: every path in the image, '/'-rooted and sorted, as upstream's isoinfo/xorriso listing.</summary>
    internal static void WriteManifest(string iso)
    {
        using var reader = IsoReader.Open(iso);
        var paths = reader.Walk().Select(e => "/" + e.Path.TrimStart('/')).Order(StringComparer.Ordinal);
        AtomicFile.WriteIfChanged(iso + ".manifest", string.Concat(paths.Select(p => p + "\n")));
    }

    internal static void RemoveImage(string iso)
    {
        var dir = Path.GetDirectoryName(iso)!;
        if (!Directory.Exists(dir)) return;
        var name = Path.GetFileName(iso);
        foreach (var f in Directory.EnumerateFiles(dir).Where(f => Path.GetFileName(f) == name || Path.GetFileName(f).StartsWith(name + ".", StringComparison.Ordinal)).ToList())
            File.Delete(f);
        // A directory left with only checksum files lists nothing: drop it too.
        var rest = Directory.EnumerateFiles(dir).ToList();
        if (rest.All(f => f.EndsWith("SUM", StringComparison.Ordinal) || f.EndsWith("CHECKSUM", StringComparison.Ordinal)) && !Directory.EnumerateDirectories(dir).Any())
        {
            foreach (var f in rest) File.Delete(f);
            Directory.Delete(dir);
        }
    }

    internal static List<string> ParseList(string? value)
        => string.IsNullOrWhiteSpace(value) ? [] : value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
