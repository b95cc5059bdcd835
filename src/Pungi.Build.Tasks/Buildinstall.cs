using System.Globalization;
using Microsoft.Build.Framework;
using Pungi.Build.Buildinstall;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Iso;
using Pungi.Build.Koji;
using Pungi.Build.Metadata;
using Pungi.Build.Runroot;
using Pungi.Build.Variants;

namespace Pungi.Build.Tasks;

/// <summary>
/// Buildinstall phase (spec §2.3), per variant.arch with <c>BuildinstallMethod=lorax</c>: lorax runs (locally or in
/// Koji runroot) on the package-set arch repos, the extra sources and the variant's comps repo, with upstream's
/// arguments, into <c>work/&lt;arch&gt;/buildinstall/&lt;V&gt;/</c>, logging to
/// <c>logs/&lt;arch&gt;/buildinstall-&lt;V&gt;.&lt;arch&gt;.log</c> and <c>logs/&lt;arch&gt;/buildinstall-&lt;V&gt;-logs/</c>;
/// then its tree is copied over <c>compose/&lt;V&gt;/&lt;arch&gt;/os/</c> with the boot configs (and efiboot.img's)
/// naming the DVD volume ID. The Treeinfo phase merges lorax's <c>.treeinfo</c> afterwards. Units: type-variant,
/// non-empty variants whose <c>buildinstall_skip</c> is not <c>[True]</c>; never src.
/// </summary>
public sealed class Buildinstall : RunrootTask
{
    /// <summary><c>buildinstall_method</c>: <c>lorax</c> (empty: the phase is skipped).</summary>
    public string? BuildinstallMethod { get; set; }
    /// <summary>The lorax executable (default <c>lorax</c> on PATH).</summary>
    public string? BuildinstallLoraxPath { get; set; }
    /// <summary><c>buildinstall_kickstart</c>: a local kickstart, copied to the tree as ks.cfg and named in the boot configs.</summary>
    public string? BuildinstallKickstart { get; set; }
    /// <summary>Kill a local runroot command after this many seconds (no limit when empty, as upstream).</summary>
    public string? RunrootTimeout { get; set; }
    /// <summary><c>treeinfo_version</c>: lorax's version/release unless a LoraxOption sets Version.</summary>
    public string? TreeinfoVersion { get; set; }
    /// <summary><c>lorax_options</c>: one item per block, Variant/Arch metadata, keys as PascalCase metadata.</summary>
    public ITaskItem[] LoraxOptions { get; set; } = [];
    /// <summary><c>lorax_extra_sources</c>: Include a repo URL or path.</summary>
    public ITaskItem[] LoraxExtraSources { get; set; } = [];
    public ITaskItem[] BuildinstallSkip { get; set; } = [];
    /// <summary><c>buildinstall_packages</c>: extra packages for the runroot buildroot.</summary>
    public ITaskItem[] BuildinstallPackages { get; set; } = [];
    public string? ImageVolidFormats { get; set; }
    public string? ImageVolidLayeredProductFormats { get; set; }
    public string? RestrictedVolid { get; set; }
    public ITaskItem[] VolumeIdSubstitutions { get; set; } = [];
    /// <summary><c>disc_types</c>: Include the name, <c>Type</c> metadata the disc type it renames (dvd).</summary>
    public ITaskItem[] DiscTypes { get; set; } = [];
    public string? CreaterepoChecksum { get; set; }

    protected override string PhaseName => "Buildinstall";

    protected override void ExecutePhase()
    {
        var method = (BuildinstallMethod ?? "").Trim();
        if (method.Length == 0) return;
        if (method == "buildinstall")
            throw new PungiException(ErrorCodes.BuildinstallMethodUnsupported,
                "BuildinstallMethod 'buildinstall' (RHEL 6 anaconda-runtime) is not supported by Pungi.Build; use lorax.");
        if (method != "lorax")
            throw new PungiException(ErrorCodes.BuildinstallMethodUnknown, $"BuildinstallMethod '{method}' is not one of lorax, buildinstall.");

        var (_, v) = LoadVariant();
        if (Arch == "src" || v.Type != VariantType.Variant || v.IsEmpty) return;
        var skip = ConfigLookup.GetArchVariantData(ConfigItems.VariantArch(BuildinstallSkip, "BuildinstallSkip"), Arch, v.Uid);
        if (skip.Count == 1 && ConfigItems.Bool(skip[0], false))
        {
            LogProgress($"Buildinstall {Variant}.{Arch}: skipped (buildinstall_skip)");
            return;
        }

        var layout = Layout;
        var compose = ComposeInfoJson.Read(layout.ComposeInfoBase).Compose;
        var volid = Volid(compose, v) ?? throw new PungiException(ErrorCodes.BuildinstallNoVolid,
            $"no volume ID format gives at most 32 characters for {v.Uid}.{Arch}; set ImageVolidFormats or VolumeIdSubstitution.");
        var defaultVersion = string.IsNullOrEmpty(TreeinfoVersion) ? compose.Release.Version : TreeinfoVersion!;
        var options = Pungi.Build.Buildinstall.LoraxOptions.Merge(MatchingBlocks(v), defaultVersion);

        var outputDir = layout.BuildinstallDir(Arch, v);
        var logDir = layout.BuildinstallLogsDir(Arch, v);
        Directory.CreateDirectory(logDir);
        string? configuration = null;
        if (!string.IsNullOrEmpty(options.ConfigurationFile))
        {
            var source = Path.GetFullPath(options.ConfigurationFile, Path.GetDirectoryName(ProjectFile)!);
            if (!File.Exists(source))
                throw new PungiException(ErrorCodes.BuildinstallConfigFileMissing, $"LoraxOption ConfigurationFile '{options.ConfigurationFile}' does not exist.", ProjectFile);
            configuration = Path.Combine(logDir, "lorax.conf");
            File.Copy(source, configuration, overwrite: true);
        }

        // Sources as upstream orders them: package-set arch repos, lorax_extra_sources, then the variant's comps repo.
        var sources = new List<string>(PkgsetArchRepos.Materialize(layout, Arch, string.IsNullOrEmpty(CreaterepoChecksum) ? "sha256" : CreaterepoChecksum!));
        sources.AddRange(ConfigLookup.GetArchVariantData(ConfigItems.VariantArch(LoraxExtraSources, "LoraxExtraSource"), Arch, v.Uid)
            .SelectMany(s => s.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(s => s.Contains("://", StringComparison.Ordinal) ? s : Path.GetFullPath(s, Path.GetDirectoryName(ProjectFile)!)));
        var compsRepo = layout.CompsRepo(Arch, v);
        if (Directory.Exists(compsRepo)) sources.Add(compsRepo);

        var request = new LoraxRequest
        {
            Executable = string.IsNullOrWhiteSpace(BuildinstallLoraxPath) ? "lorax" : BuildinstallLoraxPath!.Trim(),
            Product = compose.Release.Name,
            Version = options.Version ?? defaultVersion,
            Release = options.Version ?? defaultVersion,
            Sources = sources,
            OutputDir = outputDir,
            Variant = v.Uid,
            Bugurl = options.Bugurl,
            Nomacboot = options.Nomacboot,
            Noupgrade = options.Noupgrade,
            IsFinal = compose.Label?.IsSupported ?? false,
            Buildarch = LoraxCommand.BuildArch(Arch),
            Volid = volid,
            InstallPkgs = v.BuildInstallPackages,
            AddTemplate = options.AddTemplate,
            AddArchTemplate = options.AddArchTemplate,
            AddTemplateVar = options.AddTemplateVar,
            AddArchTemplateVar = options.AddArchTemplateVar,
            LogDir = logDir,
            RootfsSize = options.RootfsSize,
            DracutArgs = options.DracutArgs,
            SkipBranding = options.SkipBranding,
            SquashfsOnly = options.SquashfsOnly,
            ConfigurationFile = configuration,
        };
        var command = LoraxCommand.ShellCommand(request, outputDir);
        var packages = new List<string> { "lorax" };
        packages.AddRange(ConfigLookup.GetArchVariantData(ConfigItems.VariantArch(BuildinstallPackages, "BuildinstallPackage"), Arch, v.Uid));
        var runrootRequest = new RunrootRequest
        {
            Command = command,
            Arch = Arch,
            LogFile = layout.BuildinstallLog(Arch, v),
            Packages = packages,
            Mounts = [layout.Topdir.TrimEnd('/')],
            Weight = Weight("buildinstall"),
            ChownPaths = [outputDir, logDir],
            Timeout = ParseTimeout(RunrootTimeout),
        };

        LogProgress($"Buildinstall {Variant}.{Arch}: lorax --volid='{volid}' into {outputDir}");
        var runroot = CreateRunroot("buildinstall", out var client);
        using (client)
        {
            runroot.RunAsync(runrootRequest, CancellationToken).GetAwaiter().GetResult();
            var rpms = runroot.BuildrootRpmsAsync(CancellationToken).GetAwaiter().GetResult();
            AtomicFile.Write(layout.LogFile(Arch, $"buildinstall-{v.Uid}-RPMs"), string.Join("\n", rpms));
        }
        if (!Directory.Exists(outputDir))
            throw new PungiException(ErrorCodes.BuildinstallNoOutput,
                $"lorax for {v.Uid}.{Arch} exited 0 but {outputDir} does not exist; see {runrootRequest.LogFile}.");

        string? kickstart = null;
        if (!string.IsNullOrWhiteSpace(BuildinstallKickstart))
        {
            var ks = Path.GetFullPath(BuildinstallKickstart!, Path.GetDirectoryName(ProjectFile)!);
            if (!File.Exists(ks))
                throw new PungiException(ErrorCodes.BuildinstallKickstartMissing, $"BuildinstallKickstart '{BuildinstallKickstart}' does not exist.", ProjectFile);
            // Upstream fetches it once to work/global/ks.cfg.
            Directory.CreateDirectory(Path.GetDirectoryName(layout.InstallerKickstart)!);
            File.Copy(ks, layout.InstallerKickstart, overwrite: true);
            kickstart = layout.InstallerKickstart;
        }
        var tree = layout.OsTree(v, Arch);
        var result = BuildinstallTree.CopyIntoTree(outputDir, tree, layout.TmpDir(Arch, v), volid, kickstart, CancellationToken);
        LogProgress($"Buildinstall {Variant}.{Arch}: {result.Files} files into {tree}; boot configs {string.Join(", ", result.Configs)}" +
                    (result.EfibootConfigs.Count > 0 ? $"; in efiboot.img {string.Join(", ", result.EfibootConfigs)}" : ""));
    }

    internal static TimeSpan? ParseTimeout(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0
            ? TimeSpan.FromSeconds(s)
            : throw new PungiException(ErrorCodes.RunrootBadTimeout, $"RunrootTimeout '{value}' is not a positive number of seconds.");
    }

    /// <summary>The LoraxOption blocks matching this variant.arch, in project order (get_arch_variant_data).</summary>
    private IEnumerable<LoraxOptionBlock> MatchingBlocks(Variant v)
    {
        var entries = LoraxOptions.Select(i =>
        {
            var (f, l, c) = ItemLocation.Find(i, "LoraxOption");
            var variant = i.GetMetadata("Variant");
            var arch = i.GetMetadata("Arch");
            return new VariantArchValue<ITaskItem>(string.IsNullOrEmpty(variant) ? "^.*$" : variant, string.IsNullOrEmpty(arch) ? "*" : arch, i, new SourceLocation(f, l, c));
        }).ToList();
        return ConfigLookup.GetArchVariantData(entries, Arch, v.Uid).Select(ToBlock).ToList();
    }

    internal static LoraxOptionBlock ToBlock(ITaskItem i)
    {
        string? Str(string name) => i.MetadataNames.Cast<string>().Contains(name, StringComparer.OrdinalIgnoreCase) ? i.GetMetadata(name) : null;
        bool? Flag(string name)
        {
            var s = Str(name);
            if (s is null) return null;
            return s.Trim().ToLowerInvariant() switch
            {
                "true" => true,
                "false" or "" => false,
                _ => throw new PungiException(ErrorCodes.BuildinstallBadOption, $"LoraxOption {name}='{s}' is not true or false.",
                    ItemLocation.Find(i, "LoraxOption").File, ItemLocation.Find(i, "LoraxOption").Line, ItemLocation.Find(i, "LoraxOption").Column),
            };
        }
        IReadOnlyList<string> List(string name) => (Str(name) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new LoraxOptionBlock
        {
            Noupgrade = Flag("Noupgrade"),
            Nomacboot = Flag("Nomacboot"),
            Bugurl = Str("Bugurl"),
            RootfsSize = Str("RootfsSize"),
            Version = Str("Version"),
            AddTemplate = List("AddTemplate"),
            AddArchTemplate = List("AddArchTemplate"),
            AddTemplateVar = List("AddTemplateVar"),
            AddArchTemplateVar = List("AddArchTemplateVar"),
            DracutArgs = List("DracutArgs"),
            SkipBranding = Flag("SkipBranding"),
            SquashfsOnly = Flag("SquashfsOnly"),
            ConfigurationFile = Str("ConfigurationFile") is { Length: > 0 } cf ? cf : null,
        };
    }

    /// <summary>
    /// <c>get_volid(compose, arch, variant, disc_type=disc_types["dvd"] or "dvd")</c>: the DVD's volume ID (§2.3, §7.2),
    /// computed as Createiso computes it so the boot configs name the image they boot from.
    /// </summary>
    private string? Volid(ComposeInfo compose, Variant v)
        => Createiso.GetVolumeId(compose, v, Arch, compose.FormatSubstitutions(), VolumeIdSubstitutions, ImageVolidFormats,
            ImageVolidLayeredProductFormats, RestrictedVolid, discType: DiscTypes.LastOrDefault(d => d.GetMetadata("Type") == "dvd")?.ItemSpec ?? "dvd");
}
