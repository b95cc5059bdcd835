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
/// Createiso phase (spec §2.8, §7), per variant.arch: one DVD image of the os tree (the source tree in the <c>src</c>
/// instance) into <c>compose/&lt;V&gt;/&lt;arch&gt;/iso/</c>, with the implanted md5, and a record of it under
/// <c>work/&lt;arch&gt;/createiso/</c> for ImageChecksum and images.json. Not bootable: there is no Buildinstall
/// output to boot from. Written natively, or with xorrisofs + implantisomd5 when <c>IsoBackend=xorriso</c>.
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
    /// <summary>Digests computed while the image is still in the page cache, so ImageChecksum need not read it again.</summary>
    public string? MediaChecksums { get; set; }

    protected override void ExecutePhase()
    {
        var (_, v) = LoadVariant();
        var layout = Layout;
        var recordPath = CreateisoRecord.PathFor(layout, Arch, v.Uid);
        var previous = CreateisoRecord.TryRead(recordPath);
        var images = new List<CreateisoImage>();

        var why = WhyNoIso(v, layout);
        if (why is null)
            images.Add(MakeImage(v, layout));
        else
            Log.LogMessage(MessageImportance.Normal, $"Createiso {Variant}.{Arch}: no ISO ({why}).");

        // An image of an earlier run that this run does not make (createiso_skip set since, variant now empty) goes,
        // with its manifest and checksum files, so the compose lists only what exists.
        foreach (var old in previous?.Images ?? [])
            if (!images.Any(i => i.Path == old.Path))
                RemoveImage(Path.Combine(layout.ComposeDir, old.Path));

        new CreateisoRecord { Variant = v.Uid, Arch = Arch, TreeArches = v.Arches, Images = images }.Write(recordPath);
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

    private CreateisoImage MakeImage(Variant v, ComposeLayout layout)
    {
        var compose = ComposeInfoJson.Read(layout.ComposeInfoBase).Compose;
        var common = compose.FormatSubstitutions();
        bool layeredVariant = v.Type == VariantType.LayeredProduct && v.Release is not null;
        // Layered products name their images after the parent's UID (spec §7.1).
        string nameVariant = layeredVariant && v.Parent is not null ? v.Parent.Uid : v.Uid;
        string fileName = IsoNaming.GetImageName(common, Arch, nameVariant, "dvd", 1, ".iso", string.IsNullOrEmpty(ImageNameFormat) ? null : ImageNameFormat);
        SafePath.FileName(fileName, "ISO image name (ImageNameFormat)");
        string volid = VolumeId(compose, v, layeredVariant, common)
            ?? throw new PungiException(ErrorCodes.VolumeIdNoneFits, $"no volume ID format applies to {v.Uid}.{Arch}.");

        var isoDir = layout.IsoDir(v, Arch, ConfigItems.Bool(CreateOptionalIsos, false))!;
        Directory.CreateDirectory(isoDir);
        var target = Path.Combine(isoDir, fileName);
        var temp = Path.Combine(isoDir, $".{fileName}.{Environment.ProcessId}.tmp");
        bool supported = compose.Label?.IsSupported ?? false;
        var tree = layout.OsTree(v, Arch);
        int? level = null;
        if (!string.IsNullOrWhiteSpace(IsoLevel))
            level = int.TryParse(IsoLevel, NumberStyles.Integer, CultureInfo.InvariantCulture, out int l) && l is >= 1 and <= 4
                ? l : throw new PungiException(ErrorCodes.IsoLevelInvalid, $"IsoLevel '{IsoLevel}' is not an ISO 9660 level (1-4).");
        string backend = string.IsNullOrWhiteSpace(IsoBackend) ? "native" : IsoBackend.Trim().ToLowerInvariant();
        var watch = Stopwatch.StartNew();
        try
        {
            switch (backend)
            {
                case "native":
                    IsoWriter.Write(new IsoImageSpec
                    {
                        SourceDirectory = tree,
                        VolumeId = volid,
                        Exclude = ["lost+found", "images/boot.iso"],
                        IsoLevel = level ?? 3,
                        ImplantMd5 = true,
                        SupportedIso = supported,
                    }, temp, CancellationToken);
                    break;
                case "xorriso":
                    RunXorriso(layout, tree, fileName, temp, volid, level, supported);
                    break;
                default:
                    throw new PungiException(ErrorCodes.IsoBackendUnknown, $"IsoBackend '{IsoBackend}' is unknown: use native or xorriso.");
            }
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            // A failed ISO leaves no partial file (spec §2.8: failure removes the ISO).
            if (File.Exists(temp)) File.Delete(temp);
        }

        var implanted = IsoMd5.ReadImplanted(target).ImplantedMd5;
        WriteManifest(target);
        var types = ParseList(MediaChecksums);
        var checksums = types.Count == 0 ? [] : Checksums.MediaChecksums.Compute(target, Checksums.MediaChecksums.Validate(types, false), CancellationToken);
        var info = new FileInfo(target);
        LogProgress($"Createiso {Variant}.{Arch}: {fileName} ({info.Length / 1048576.0:0.0} MiB, volume ID '{volid}', {backend}) in {watch.Elapsed.TotalSeconds:0.0}s");
        return new CreateisoImage
        {
            Path = layout.RelativeToCompose(target),
            Size = info.Length,
            Mtime = new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeSeconds(),
            VolumeId = volid,
            Arch = Arch,
            ImplantMd5 = implanted,
            Bootable = false,
            Subvariant = v.Uid,
            Checksums = checksums,
        };
    }

    /// <summary><c>get_volid(compose, arch, variant, disc_type="dvd")</c> (spec §7.2).</summary>
    private string? VolumeId(ComposeInfo compose, Variant v, bool layeredVariant, IReadOnlyDictionary<string, string> common)
    {
        var subs = VolumeIdSubstitutions.Select(i => new KeyValuePair<string, string>(i.ItemSpec, i.GetMetadata("Value"))).ToList();
        var volidFormats = ParseList(ImageVolidFormats);
        var layeredFormats = ParseList(ImageVolidLayeredProductFormats);
        var request = new VolumeIdRequest
        {
            Common = common,
            Arch = Arch,
            DiscType = "dvd",
            Variant = layeredVariant && v.Parent is not null ? v.Parent.Uid : v.Uid,
            ReleaseShort = layeredVariant ? v.Release!.Short : compose.Release.Short,
            ReleaseVersion = layeredVariant ? v.Release!.Version : compose.Release.Version,
            Layered = layeredVariant || compose.IsLayered,
            BaseProductShort = layeredVariant ? compose.Release.Short : compose.BaseProduct?.Short,
            BaseProductVersion = layeredVariant ? compose.Release.MajorVersion : compose.BaseProduct?.Version,
            VolidFormats = volidFormats.Count == 0 ? null : volidFormats,
            LayeredFormats = layeredFormats.Count == 0 ? null : layeredFormats,
            Substitutions = subs,
            Restricted = ConfigItems.Bool(RestrictedVolid, false),
        };
        return IsoNaming.GetVolumeId(request);
    }

    /// <summary>
    /// The alternative backend, upstream's script lines for a non-bootable image (spec §7.4) with
    /// <c>createiso_use_xorrisofs</c>: <c>xorrisofs … -graft-points -path-list</c>, then <c>implantisomd5</c>.
    /// </summary>
    private void RunXorriso(ComposeLayout layout, string tree, string fileName, string output, string volid, int? level, bool supported)
    {
        var graftPoints = layout.IsoGraftPoints(Arch, fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(graftPoints)!);
        AtomicFile.WriteIfChanged(graftPoints, GraftPoints(tree));
        var args = new List<string>();
        if (level is not null) args.AddRange(["-iso-level", level.Value.ToString(CultureInfo.InvariantCulture)]);
        args.AddRange(["-untranslated-filenames", "-volid", volid, "-J", "-joliet-long", "-rational-rock"]);
        if (Arch is not ("ppc" or "ppc64" or "ppc64le")) args.AddRange(["-input-charset", "utf-8"]);
        args.AddRange(["-x", "./lost+found", "-o", output, "-graft-points", "-path-list", graftPoints]);
        RunTool("xorrisofs", args, Path.GetDirectoryName(output)!);
        RunTool("implantisomd5", supported ? ["--supported-iso", output] : [output], Path.GetDirectoryName(output)!);
    }

    /// <summary>
    /// The graft-points file of spec §7.4 for one disc: boot-relevant paths first, then other files, RPMs last,
    /// each group ordinal-sorted; <c>lost+found</c> and <c>boot.iso</c> left out; empty directories as <c>dir/=dir</c>.
    /// </summary>
    internal static string GraftPoints(string tree)
    {
        var entries = new List<string>();
        foreach (var file in Directory.EnumerateFiles(tree, "*", SearchOption.AllDirectories))
            entries.Add(Path.GetRelativePath(tree, file).Replace('\\', '/'));
        foreach (var dir in Directory.EnumerateDirectories(tree, "*", SearchOption.AllDirectories))
            if (!Directory.EnumerateFileSystemEntries(dir).Any())
                entries.Add(Path.GetRelativePath(tree, dir).Replace('\\', '/') + "/");
        static bool Excluded(string p) => p.Split('/').Contains("lost+found") || p.EndsWith("boot.iso", StringComparison.Ordinal);
        static int Group(string p) =>
            p.StartsWith("images/", StringComparison.Ordinal) || p.StartsWith("isolinux/", StringComparison.Ordinal) || p.StartsWith("EFI/", StringComparison.Ordinal)
            || p.StartsWith("etc/", StringComparison.Ordinal) || p.StartsWith("ppc/", StringComparison.Ordinal) || p.EndsWith(".img", StringComparison.Ordinal) || p.EndsWith(".ins", StringComparison.Ordinal)
                ? 0 : p.EndsWith(".rpm", StringComparison.Ordinal) ? 2 : 1;
        var sb = new StringBuilder();
        foreach (var p in entries.Where(p => !Excluded(p)).OrderBy(Group).ThenBy(p => p, StringComparer.Ordinal))
            sb.Append(p).Append('=').Append(Path.Combine(tree, p.TrimEnd('/'))).Append('\n');
        return sb.ToString();
    }

    private void RunTool(string tool, IReadOnlyList<string> args, string workingDirectory)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var output = new StringBuilder();
        Process p;
        try
        {
            p = Process.Start(psi) ?? throw new PungiException(ErrorCodes.IsoToolFailed, $"{tool} did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new PungiException(ErrorCodes.IsoToolFailed, $"IsoBackend=xorriso needs {tool} on PATH ({e.Message}); install xorriso and isomd5sum, or use the native backend.");
        }
        using (p)
        {
            p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            using (CancellationToken.Register(() => { try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }))
                p.WaitForExit();
            CancellationToken.ThrowIfCancellationRequested();
            Log.LogMessage(MessageImportance.Low, $"{tool} {string.Join(' ', args)}\n{output}");
            if (p.ExitCode != 0)
                throw new PungiException(ErrorCodes.IsoToolFailed, $"{tool} exited with {p.ExitCode} for {Variant}.{Arch}:\n{output.ToString().Trim()}");
        }
    }

    /// <summary><c>&lt;iso&gt;.manifest</c>: every path in the image, '/'-rooted and sorted, as upstream's isoinfo/xorriso listing.</summary>
    private static void WriteManifest(string iso)
    {
        using var reader = IsoReader.Open(iso);
        var paths = reader.Walk().Select(e => "/" + e.Path.TrimStart('/')).Order(StringComparer.Ordinal);
        AtomicFile.WriteIfChanged(iso + ".manifest", string.Concat(paths.Select(p => p + "\n")));
    }

    private static void RemoveImage(string iso)
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
