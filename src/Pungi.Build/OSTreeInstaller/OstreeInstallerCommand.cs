using Pungi.Build.Buildinstall;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.OSTreeInstaller;

/// <summary>One <c>ostree_installer</c> config block (spec §2.17, Appendix A.9) as it applies to one variant.arch.</summary>
public sealed record OstreeInstallerConfig
{
    /// <summary><c>repo</c>: URLs or absolute paths; anything else is a variant UID, ignored with a warning upstream.</summary>
    public IReadOnlyList<string> Repos { get; init; } = [];
    /// <summary><c>release</c>: null when the key is absent (lorax then gets <c>--release=None</c>, as upstream).</summary>
    public string? Release { get; init; }
    public bool HasRelease { get; init; }
    public IReadOnlyList<string> InstallPkgs { get; init; } = [];
    public IReadOnlyList<string> AddTemplate { get; init; } = [];
    public IReadOnlyList<string> AddArchTemplate { get; init; } = [];
    public IReadOnlyList<string> AddTemplateVar { get; init; } = [];
    public IReadOnlyList<string> AddArchTemplateVar { get; init; } = [];
    public string? RootfsSize { get; init; }
    public string? TemplateRepo { get; init; }
    public string? TemplateBranch { get; init; }
    public IReadOnlyList<string> ExtraRunrootPkgs { get; init; } = [];
    public bool SkipBranding { get; init; }
    /// <summary><c>failable</c>: arches (or <c>*</c>) whose failure does not fail the compose.</summary>
    public IReadOnlyList<string> Failable { get; init; } = [];
}

/// <summary>The lorax run of upstream's <c>OstreeInstallerThread.worker</c>/<c>_run_ostree_cmd</c> (spec §2.17).</summary>
public static class OstreeInstallerCommand
{
    /// <summary>
    /// <c>get_repo_urls(None, repo + pkgset repos)</c> then the comps repo, then <c>$arch</c> → arch: URLs and absolute
    /// paths stay (in order), any other entry is a variant UID, which upstream ignores with a warning when called from
    /// this phase (<paramref name="ignored"/> gets them). <c>$basearch</c> is not <c>$arch</c> and is left for lorax.
    /// </summary>
    public static List<string> Sources(IEnumerable<string> configRepos, IEnumerable<string> pkgsetRepos, string? compsRepo, string arch, out List<string> ignored)
    {
        ignored = [];
        var urls = new List<string>();
        foreach (var repo in configRepos.Concat(pkgsetRepos))
        {
            if (repo.StartsWith('/') || repo.Contains("://", StringComparison.Ordinal)) urls.Add(repo);
            else ignored.Add(repo);
        }
        if (compsRepo is not null) urls.Add(compsRepo);
        return urls.Select(u => u.Replace("$arch", arch, StringComparison.Ordinal)).ToList();
    }

    /// <summary>
    /// <c>_get_templates</c>: an absolute template path stays; a relative one is joined to the clone of
    /// <c>template_repo</c>, which must then be configured.
    /// </summary>
    public static List<string> Templates(IEnumerable<string> templates, string? templateDir, string what)
        => templates.Select(t => t.StartsWith('/') ? t
            : templateDir is null
                ? throw new PungiException(ErrorCodes.OstreeInstallerRelativeTemplate,
                    $"ostree_installer {what} '{t}' is a relative path to template without setting template_repo (OstreeInstaller TemplateRepo).")
                : Path.Combine(templateDir, t)).ToList();

    /// <summary>
    /// <c>_get_release</c>: with a <c>release</c> key, <c>version_generator(value) or image_release</c> (so an empty
    /// value means the image release); without the key, None — which <c>get_lorax_cmd</c> formats as <c>None</c>.
    /// </summary>
    public static string Release(OstreeInstallerConfig config, Func<string?, string?> versionGenerator, string imageRelease)
    {
        if (!config.HasRelease) return "None";
        var value = versionGenerator(string.IsNullOrEmpty(config.Release) || config.Release == "None" ? null : config.Release);
        return string.IsNullOrEmpty(value) ? imageRelease : value;
    }

    /// <summary>
    /// The <c>get_lorax_cmd</c> call of <c>_run_ostree_cmd</c>: product = release_name, version = release_version,
    /// release per <see cref="Release"/>, <c>--variant</c>, <c>--nomacboot</c> always (never <c>--noupgrade</c>, no
    /// bugurl), <c>--isfinal</c> when supported, buildarch, the ostree volid, installpkgs, the four template options
    /// (templates made absolute), <c>--logfile=&lt;logdir&gt;/lorax.log</c>, rootfs size, skip-branding.
    /// </summary>
    public static LoraxRequest Request(OstreeInstallerConfig config, string executable, string product, string version, string release,
        IReadOnlyList<string> sources, string outputDir, string variantUid, bool isFinal, string arch, string volid, string logDir, string? templateDir)
        => new()
        {
            Executable = executable,
            Product = product,
            Version = version,
            Release = release,
            Sources = sources,
            OutputDir = outputDir,
            Variant = variantUid,
            Nomacboot = true,
            IsFinal = isFinal,
            Buildarch = LoraxCommand.BuildArch(arch),
            Volid = volid,
            InstallPkgs = config.InstallPkgs,
            AddTemplate = Templates(config.AddTemplate, templateDir, "add_template"),
            AddArchTemplate = Templates(config.AddArchTemplate, templateDir, "add_arch_template"),
            AddTemplateVar = config.AddTemplateVar,
            AddArchTemplateVar = config.AddArchTemplateVar,
            LogDir = logDir,
            RootfsSize = config.RootfsSize,
            SkipBranding = config.SkipBranding,
        };

    /// <summary>Runroot packages: <c>pungi, lorax, ostree</c> plus <c>extra_runroot_pkgs</c>.</summary>
    public static List<string> RunrootPackages(OstreeInstallerConfig config) => ["pungi", "lorax", "ostree", .. config.ExtraRunrootPkgs];

    /// <summary><c>util.can_arch_fail</c>: the arch or <c>*</c> is listed.</summary>
    public static bool CanFail(OstreeInstallerConfig config, string arch) => config.Failable.Contains("*") || config.Failable.Contains(arch);
}
