using System.Diagnostics;
using System.Globalization;
using Microsoft.Build.Framework;
using Pungi.Build.Buildinstall;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Iso;
using Pungi.Build.Koji;
using Pungi.Build.Metadata;
using Pungi.Build.OSTreeInstaller;
using Pungi.Build.Runroot;
using Pungi.Build.Variants;

namespace Pungi.Build.Tasks;

/// <summary>
/// OSTreeInstaller phase (spec §2.17), per variant.arch matched by an <c>OstreeInstaller</c> item
/// (<c>ostree_installer</c>): lorax with the configured repos, templates and template variables (the ostree payload)
/// runs through the runroot into <c>work/&lt;arch&gt;/&lt;V&gt;/ostree_installer</c>, logging to
/// <c>logs/&lt;arch&gt;/&lt;V&gt;/ostree_installer-1/</c>; its whole output is copied into the os tree and
/// <c>images/boot.iso</c> is linked to <c>iso/&lt;image_name(disc_type="ostree")&gt;</c>, recorded for images.json as
/// type <c>dvd-ostree</c>. Item: Include the repo(s), Variant/Arch, and metadata Release, Installpkgs, AddTemplate,
/// AddArchTemplate, AddTemplateVar, AddArchTemplateVar, RootfsSize, TemplateRepo, TemplateBranch, ExtraRunrootPkgs,
/// SkipBranding, Failable.
/// </summary>
public sealed class OSTreeInstaller : RunrootTask
{
    public ITaskItem[] OstreeInstaller { get; set; } = [];
    public string? OstreeInstallerOverwrite { get; set; }
    public string? OstreeInstallerUseKojiPlugin { get; set; }
    /// <summary>Buildinstall's method: set means Buildinstall runs, and the two would write the same os tree.</summary>
    public string? BuildinstallMethod { get; set; }
    /// <summary>The lorax executable (default <c>lorax</c> on PATH), shared with Buildinstall.</summary>
    public string? BuildinstallLoraxPath { get; set; }
    public string? RunrootTimeout { get; set; }
    public string? ImageNameFormat { get; set; }
    public string? ImageVolidFormats { get; set; }
    public string? ImageVolidLayeredProductFormats { get; set; }
    public string? RestrictedVolid { get; set; }
    public ITaskItem[] VolumeIdSubstitutions { get; set; } = [];
    public ITaskItem[] DiscTypes { get; set; } = [];
    public string? CreaterepoChecksum { get; set; }

    protected override string PhaseName => "OSTreeInstaller";

    private static readonly string[] ConfigKeys =
        ["Release", "Installpkgs", "AddTemplate", "AddArchTemplate", "AddTemplateVar", "AddArchTemplateVar", "RootfsSize",
         "TemplateRepo", "TemplateBranch", "ExtraRunrootPkgs", "SkipBranding", "Failable"];

    protected override void ExecutePhase()
    {
        var layout = Layout;
        var (_, v) = LoadVariant();
        var recordPath = CreateisoRecord.OstreeInstallerPathFor(layout, Arch, v.Uid);
        var config = MatchingConfig(v);
        if (config is null || Arch == "src")
        {
            // No longer configured: its record goes, so images.json loses the image.
            if (File.Exists(recordPath)) File.Delete(recordPath);
            return;
        }
        // validate(): refused for a non-empty variant whose buildinstall also runs, unless ostree_installer_overwrite.
        if (!string.IsNullOrWhiteSpace(BuildinstallMethod) && !ConfigItems.Bool(OstreeInstallerOverwrite, false) && !v.IsEmpty)
            throw new PungiException(ErrorCodes.OstreeInstallerClash,
                $"Can not generate ostree installer for {v.Uid}.{Arch}: it has buildinstall running already and the files would clash (set OstreeInstallerOverwrite to true to allow it).", ProjectFile);
        if (ConfigItems.Bool(OstreeInstallerUseKojiPlugin, false))
            throw new PungiException(ErrorCodes.OstreeInstallerUnsupported, "OstreeInstallerUseKojiPlugin (koji pungi-buildinstall) is not supported by Pungi.Build.", ProjectFile);

        try
        {
            Run(layout, v, config, recordPath);
        }
        catch (PungiException e) when (OstreeInstallerCommand.CanFail(config, Arch))
        {
            // util.failable: a failable arch logs the failure and the compose goes on without the image.
            LogWarning(ErrorCodes.OstreeInstallerFailed, $"[FAIL] Ostree-installer (variant {v.Uid}, arch {Arch}) failed, but going on anyway. {e.Code}: {e.Message}");
            if (File.Exists(recordPath)) File.Delete(recordPath);
        }
    }

    private void Run(ComposeLayout layout, Variant v, OstreeInstallerConfig config, string recordPath)
    {
        var compose = ComposeInfoJson.Read(layout.ComposeInfoBase).Compose;
        var common = compose.FormatSubstitutions();
        var logDir = Path.Combine(layout.LogDir(Arch), v.Uid, "ostree_installer-1");
        Directory.CreateDirectory(logDir);

        var pkgsetRepos = PkgsetArchRepos.Materialize(layout, Arch, string.IsNullOrEmpty(CreaterepoChecksum) ? "sha256" : CreaterepoChecksum!);
        var compsRepo = layout.CompsRepo(Arch, v);
        var sources = OstreeInstallerCommand.Sources(config.Repos, pkgsetRepos, Directory.Exists(compsRepo) ? compsRepo : null, Arch, out var ignored);
        foreach (var repo in ignored)
            LogWarning(ErrorCodes.OstreeInstallerVariantRepoIgnored,
                $"Variant-type source repository is deprecated and will be ignored during 'OSTreeInstaller' phase: {repo}", ProjectFile);

        var outputDir = layout.OstreeInstallerDir(Arch, v);
        Directory.CreateDirectory(Path.GetDirectoryName(outputDir)!);
        string? templateDir = null;
        if (!string.IsNullOrWhiteSpace(config.TemplateRepo))
        {
            templateDir = Path.Combine(layout.WorkTopdir(Arch), v.Uid, "lorax_templates");
            CloneTemplates(config.TemplateRepo!.Trim(), string.IsNullOrWhiteSpace(config.TemplateBranch) ? "master" : config.TemplateBranch!.Trim(), templateDir, logDir);
        }
        var discType = DiscTypes.LastOrDefault(d => d.GetMetadata("Type") == "ostree")?.ItemSpec ?? "ostree";
        var volid = Volid(compose, v, common, discType) ?? throw new PungiException(ErrorCodes.OstreeInstallerNoVolid,
            $"no volume ID format gives at most 32 characters for the ostree installer of {v.Uid}.{Arch}; set ImageVolidFormats or VolumeIdSubstitution.");

        var request = OstreeInstallerCommand.Request(config,
            string.IsNullOrWhiteSpace(BuildinstallLoraxPath) ? "lorax" : BuildinstallLoraxPath!.Trim(),
            compose.Release.Name, compose.Release.Version,
            OstreeInstallerCommand.Release(config, s => compose.ResolveVersion(s, ProjectFile), compose.ImageRelease),
            sources, outputDir, v.Uid, compose.Label?.IsSupported ?? false, Arch, volid, logDir, templateDir);
        var runrootRequest = new RunrootRequest
        {
            Command = LoraxCommand.ShellCommand(request, outputDir),
            Arch = Arch,
            LogFile = Path.Combine(logDir, "runroot.log"),
            Packages = OstreeInstallerCommand.RunrootPackages(config),
            Mounts = [layout.Topdir.TrimEnd('/')],
            Weight = Weight("ostree_installer"),
            ChownPaths = [outputDir],
            Timeout = Buildinstall.ParseTimeout(RunrootTimeout),
        };
        LogProgress($"OSTreeInstaller {v.Uid}.{Arch}: lorax --volid='{volid}' into {outputDir}");
        var runroot = CreateRunroot("ostree_installer", out var client);
        using (client)
            runroot.RunAsync(runrootRequest, CancellationToken).GetAwaiter().GetResult();

        // get_image_name(arch, variant, disc_type=disc_type): disc_num keeps its default 1, so "…-ostree1.iso".
        var fileName = IsoNaming.GetImageName(common, Arch, v.Uid, discType, 1, ".iso", string.IsNullOrEmpty(ImageNameFormat) ? null : ImageNameFormat);
        SafePath.FileName(fileName, "ISO image name (ImageNameFormat)");
        var isoPath = layout.IsoPath(v, Arch, fileName) ?? Path.Combine(layout.VariantTopdir(v, Arch), "iso", fileName);
        // The boot.iso is checked before the tree copy, so a lorax without one changes nothing in compose/.
        if (!File.Exists(Path.Combine(outputDir, "images", "boot.iso")))
            throw new PungiException(ErrorCodes.OstreeInstallerNoBootIso,
                $"lorax for {v.Uid}.{Arch} exited 0 but left no images/boot.iso in {outputDir}; see {runrootRequest.LogFile}.");
        int files = OstreeInstallerTree.CopyAll(outputDir, layout.OsTree(v, Arch), CancellationToken);
        OstreeInstallerTree.LinkBootIso(outputDir, isoPath);

        // _add_to_manifest: dvd-ostree, iso, bootable, disc 1/1, subvariant = variant UID, implanted md5 and the ISO's volume id.
        var info = new FileInfo(isoPath);
        string? implanted = IsoMd5.ReadImplanted(isoPath).ImplantedMd5;
        string? volumeId;
        using (var reader = IsoReader.Open(isoPath)) volumeId = reader.VolumeId;
        new CreateisoRecord
        {
            Variant = v.Uid,
            Arch = Arch,
            TreeArches = v.Arches,
            Images =
            [
                new CreateisoImage
                {
                    Path = layout.RelativeToCompose(isoPath),
                    Size = info.Length,
                    Mtime = new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeSeconds(),
                    VolumeId = volumeId,
                    Type = "dvd-ostree",
                    Format = "iso",
                    Arch = Arch,
                    ImplantMd5 = implanted is { Length: 32 } ? implanted : null,
                    Bootable = true,
                    Subvariant = v.Uid,
                },
            ],
        }.Write(recordPath);
        LogProgress($"OSTreeInstaller {v.Uid}.{Arch}: {files} files into the os tree, {layout.RelativeToCompose(isoPath)} (volume ID '{volumeId}')");
    }

    /// <summary>
    /// The <c>ostree_installer</c> block for this variant.arch (<c>get_arch_variant_data</c>). MSBuild splits an Include
    /// of several repos into items with equal metadata; those are one block again. Two different blocks would write
    /// the same output directory and ISO, so they are refused.
    /// </summary>
    private OstreeInstallerConfig? MatchingConfig(Variant v)
    {
        var entries = OstreeInstaller.Select(i =>
        {
            var (f, l, c) = ItemLocation.Find(i, "OstreeInstaller");
            var variant = i.GetMetadata("Variant");
            var arch = i.GetMetadata("Arch");
            return new VariantArchValue<ITaskItem>(string.IsNullOrEmpty(variant) ? "^.*$" : variant, string.IsNullOrEmpty(arch) ? "*" : arch, i, new SourceLocation(f, l, c));
        }).ToList();
        var matching = ConfigLookup.GetArchVariantData(entries, Arch, v.Uid);
        if (matching.Count == 0) return null;
        string Key(ITaskItem i) => string.Join("\u0001", new[] { "Variant", "Arch" }.Concat(ConfigKeys).Select(k => Has(i, k) ? k + "=" + i.GetMetadata(k) : ""));
        var groups = matching.GroupBy(Key).ToList();
        if (groups.Count > 1)
            throw new PungiException(ErrorCodes.OstreeInstallerTwoConfigs,
                $"{groups.Count} different OstreeInstaller configs match {v.Uid}.{Arch}; they would write the same work/{Arch}/{v.Uid}/ostree_installer and ISO.", ProjectFile);
        var first = groups[0].First();
        IReadOnlyList<string> List(string name) => first.GetMetadata(name).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string? Str(string name) => Has(first, name) && first.GetMetadata(name).Trim().Length > 0 ? first.GetMetadata(name).Trim() : null;
        var projectDir = Path.GetDirectoryName(ProjectFile)!;
        return new OstreeInstallerConfig
        {
            Repos = groups[0].Select(i => i.ItemSpec).ToList(),
            HasRelease = Has(first, "Release"),
            Release = Str("Release"),
            InstallPkgs = List("Installpkgs"),
            AddTemplate = List("AddTemplate"),
            AddArchTemplate = List("AddArchTemplate"),
            AddTemplateVar = List("AddTemplateVar"),
            AddArchTemplateVar = List("AddArchTemplateVar"),
            RootfsSize = Str("RootfsSize"),
            TemplateRepo = Str("TemplateRepo") is { } repo && !repo.Contains("://", StringComparison.Ordinal) ? Path.GetFullPath(repo, projectDir) : Str("TemplateRepo"),
            TemplateBranch = Str("TemplateBranch"),
            ExtraRunrootPkgs = List("ExtraRunrootPkgs"),
            SkipBranding = ConfigItems.Bool(first.GetMetadata("SkipBranding"), false),
            Failable = List("Failable"),
        };
    }

    private static bool Has(ITaskItem i, string name) => i.MetadataNames.Cast<string>().Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary><c>_clone_templates</c>: <c>get_dir_from_scm({scm: git, repo, branch, dir: "."})</c> into lorax_templates.</summary>
    private void CloneTemplates(string url, string branch, string templateDir, string logDir)
    {
        if (Directory.Exists(templateDir)) Directory.Delete(templateDir, recursive: true);
        var psi = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "clone", "--quiet", "--depth", "1", "--branch", branch, url, templateDir }) psi.ArgumentList.Add(a);
        psi.Environment["GIT_TERMINAL_PROMPT"] = "0";
        try
        {
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            File.WriteAllText(Path.Combine(logDir, "template-repo.log"), stderr.Result);
            if (p.ExitCode != 0)
                throw new PungiException(ErrorCodes.OstreeInstallerTemplateRepoFailed,
                    $"git clone of TemplateRepo '{url}' (branch {branch}) failed with {p.ExitCode}:\n{stderr.Result.Trim()}", ProjectFile);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new PungiException(ErrorCodes.OstreeInstallerTemplateRepoFailed, $"Cannot run git to clone TemplateRepo '{url}' ({e.Message}).", ProjectFile);
        }
    }

    /// <summary><c>get_volid(compose, arch, variant, disc_type=disc_types["ostree"] or "ostree")</c> (§2.17, §7.2).</summary>
    private string? Volid(ComposeInfo compose, Variant v, IReadOnlyDictionary<string, string> common, string discType)
        => Createiso.GetVolumeId(compose, v, Arch, common, VolumeIdSubstitutions, ImageVolidFormats, ImageVolidLayeredProductFormats, RestrictedVolid,
            discType: discType);
}
