using Pungi.Build.Variants;

namespace Pungi.Build.Compose;

/// <summary>
/// Every path of the compose tree comes from here (Pungi <c>pungi/paths.py</c>: <c>ComposePaths</c>,
/// <c>WorkPaths</c>, <c>LogPaths</c>; spec §1.4). All methods return absolute paths under <see cref="Topdir"/>;
/// <see cref="RelativeToCompose"/> gives the <c>compose/</c>-relative form metadata uses. The pseudo-arch
/// <c>src</c> is rendered <c>source</c> in the compose tree. Addons never get their own top dir: their paths sit
/// inside their parent's trees. Examples use <c>/mnt/DP-1.0-20261127.n.0</c> as topdir.
/// </summary>
public sealed class ComposeLayout
{
    public ComposeLayout(string topdir)
    {
        Topdir = Path.GetFullPath(topdir).TrimEnd(Path.DirectorySeparatorChar);
    }

    /// <summary><c>/mnt/DP-1.0-20261127.n.0</c></summary>
    public string Topdir { get; }

    /// <summary><c>/mnt/DP-1.0-20261127.n.0/COMPOSE_ID</c> (the id, no newline)</summary>
    public string ComposeIdFile => Path.Combine(Topdir, "COMPOSE_ID");

    /// <summary><c>/mnt/DP-1.0-20261127.n.0/STATUS</c></summary>
    public string StatusFile => Path.Combine(Topdir, "STATUS");

    /// <summary><c>/mnt/DP-1.0-20261127.n.0/compose</c></summary>
    public string ComposeDir => Path.Combine(Topdir, "compose");

    /// <summary><c>/mnt/DP-1.0-20261127.n.0/work</c></summary>
    public string WorkDir => Path.Combine(Topdir, "work");

    /// <summary><c>/mnt/DP-1.0-20261127.n.0/logs</c></summary>
    public string LogsDir => Path.Combine(Topdir, "logs");

    /// <summary>The <c>compose/</c>-relative form with '/' separators: <c>Server/x86_64/os</c>.</summary>
    public string RelativeToCompose(string path) => Path.GetRelativePath(ComposeDir, path).Replace('\\', '/');

    /// <summary>The relative form from <paramref name="baseDir"/>: <c>.</c> when equal (as productmd writes it).</summary>
    public static string Relative(string baseDir, string path) => Path.GetRelativePath(baseDir, path).Replace('\\', '/');

    private static string TreeArch(string arch) => arch == "src" ? "source" : SafePath.FileName(arch, "Arch");

    private static Variant Owner(Variant variant) => variant.Type == VariantType.Addon ? variant.Parent! : variant;

    // ------------------------------------------------------------------ compose/ (ComposePaths)

    /// <summary><c>compose/metadata</c>: composeinfo.json, rpms.json, images.json, modules.json, extra_files.json, osbs.json.</summary>
    public string MetadataDir => Path.Combine(ComposeDir, "metadata");

    /// <summary><c>compose/metadata/composeinfo.json</c> (likewise <c>rpms.json</c>, <c>images.json</c>, …).</summary>
    public string Metadata(string fileName) => Path.Combine(MetadataDir, fileName);

    /// <summary>
    /// <c>compose/Server/x86_64</c>; src: <c>compose/Server/source</c>; an addon gives its parent's
    /// (<c>Server-HA</c> → <c>compose/Server/x86_64</c>).
    /// </summary>
    public string VariantTopdir(Variant variant, string arch) => Path.Combine(ComposeDir, Owner(variant).Uid, TreeArch(arch));

    /// <summary><c>compose/Server/x86_64/os</c>; src: <c>compose/Server/source/tree</c>; addon: the parent's tree.</summary>
    public string OsTree(Variant variant, string arch)
        => Path.Combine(VariantTopdir(variant, arch), arch == "src" ? "tree" : "os");

    /// <summary>
    /// The repository root (holds <c>repodata/</c>): the os tree; addon <c>compose/Server/x86_64/os/addons/HA</c>;
    /// src <c>compose/Server/source/tree</c> (addon <c>…/source/tree/addons/HA</c>).
    /// </summary>
    public string Repository(Variant variant, string arch)
        => variant.Type == VariantType.Addon ? Path.Combine(OsTree(variant, arch), "addons", variant.Id) : OsTree(variant, arch);

    /// <summary><c>compose/Server/x86_64/os/Packages</c>; addon <c>…/os/addons/HA</c>; src <c>compose/Server/source/tree/Packages</c>.</summary>
    public string Packages(Variant variant, string arch)
        => variant.Type == VariantType.Addon ? Repository(variant, arch) : Path.Combine(OsTree(variant, arch), "Packages");

    /// <summary><c>compose/Server/x86_64/debug</c>; none for src.</summary>
    public string DebugTopdir(Variant variant, string arch) => Path.Combine(VariantTopdir(variant, NotSrc(arch)), "debug");

    /// <summary><c>compose/Server/x86_64/debug/tree</c> (addon: the parent's); none for src.</summary>
    public string DebugTree(Variant variant, string arch) => Path.Combine(DebugTopdir(variant, arch), "tree");

    /// <summary><c>compose/Server/x86_64/debug/tree</c>; addon <c>…/debug/tree/addons/HA</c>.</summary>
    public string DebugRepository(Variant variant, string arch)
        => variant.Type == VariantType.Addon ? Path.Combine(DebugTree(variant, arch), "addons", variant.Id) : DebugTree(variant, arch);

    /// <summary><c>compose/Server/x86_64/debug/tree/Packages</c>; addon <c>…/debug/tree/addons/HA</c>.</summary>
    public string DebugPackages(Variant variant, string arch)
        => variant.Type == VariantType.Addon ? DebugRepository(variant, arch) : Path.Combine(DebugTree(variant, arch), "Packages");

    /// <summary>
    /// <c>compose/Server/x86_64/iso</c>; src <c>compose/Server/source/iso</c>. Null for addons, and for optional
    /// variants unless <paramref name="createOptionalIsos"/>.
    /// </summary>
    public string? IsoDir(Variant variant, string arch, bool createOptionalIsos = false)
        => NoMedia(variant, createOptionalIsos) ? null : Path.Combine(VariantTopdir(variant, arch), "iso");

    /// <summary><c>compose/Server/x86_64/iso/&lt;filename&gt;</c>, or null where <see cref="IsoDir"/> is.</summary>
    public string? IsoPath(Variant variant, string arch, string fileName, bool createOptionalIsos = false)
        => IsoDir(variant, arch, createOptionalIsos) is { } dir ? Path.Combine(dir, fileName) : null;

    /// <summary><c>compose/Server/x86_64/jigdo</c>; src <c>compose/Server/source/jigdo</c>; same null rules as ISOs.</summary>
    public string? JigdoDir(Variant variant, string arch, bool createOptionalIsos = false)
        => NoMedia(variant, createOptionalIsos) ? null : Path.Combine(VariantTopdir(variant, arch), "jigdo");

    /// <summary><c>compose/Server/x86_64/images</c> (Pungi returns it with a literal <c>%(arch)s</c>; we take the arch).</summary>
    public string ImageDir(Variant variant, string arch) => Path.Combine(VariantTopdir(variant, arch), "images");

    /// <summary>Per-tree files: <c>compose/Server/x86_64/os/.treeinfo</c>.</summary>
    public string TreeInfo(Variant variant, string arch) => Path.Combine(OsTree(variant, arch), ".treeinfo");

    /// <summary><c>compose/Server/x86_64/os/.discinfo</c></summary>
    public string DiscInfo(Variant variant, string arch) => Path.Combine(OsTree(variant, arch), ".discinfo");

    /// <summary><c>compose/Server/x86_64/os/media.repo</c></summary>
    public string MediaRepo(Variant variant, string arch) => Path.Combine(OsTree(variant, arch), "media.repo");

    /// <summary><c>compose/Server/x86_64/os/extra_files.json</c> (the per-tree format)</summary>
    public string TreeExtraFiles(Variant variant, string arch) => Path.Combine(OsTree(variant, arch), "extra_files.json");

    private static bool NoMedia(Variant variant, bool createOptionalIsos)
        => variant.Type == VariantType.Addon || (variant.Type == VariantType.Optional && !createOptionalIsos);

    private static string NotSrc(string arch)
        => arch == "src" ? throw new ArgumentException("Source trees have no debug tree.", nameof(arch)) : arch;

    // ------------------------------------------------------------------ work/ (WorkPaths)

    private static string ArchOrGlobal(string? arch) => arch is null ? "global" : SafePath.FileName(arch, "Arch");

    /// <summary><c>work/x86_64</c>, or <c>work/global</c> for a null arch.</summary>
    public string WorkTopdir(string? arch) => Path.Combine(WorkDir, ArchOrGlobal(arch));

    /// <summary><c>work/global/variants.xml</c> (the variants file copied for the record)</summary>
    public string WorkVariantsFile => Path.Combine(WorkTopdir(null), "variants.xml");

    /// <summary><c>work/global/composeinfo-base.json</c></summary>
    public string ComposeInfoBase => Path.Combine(WorkTopdir(null), "composeinfo-base.json");

    /// <summary><c>work/global/koji-event</c></summary>
    public string KojiEvent => Path.Combine(WorkTopdir(null), "koji-event");

    /// <summary><c>work/global/comps/comps-global.xml</c></summary>
    public string CompsGlobal => Path.Combine(WorkTopdir(null), "comps", "comps-global.xml");

    /// <summary><c>work/x86_64/comps/comps-x86_64.xml</c>; with a variant <c>work/x86_64/comps/comps-Server.x86_64.xml</c>.</summary>
    public string Comps(string arch, Variant? variant = null)
        => Path.Combine(WorkTopdir(arch), "comps", variant is null ? $"comps-{arch}.xml" : $"comps-{variant.Uid}.{arch}.xml");

    /// <summary><c>work/x86_64/comps_repo</c>; with a variant <c>work/x86_64/comps_repo_Server</c>.</summary>
    public string CompsRepo(string arch, Variant? variant = null)
        => Path.Combine(WorkTopdir(arch), variant is null ? "comps_repo" : $"comps_repo_{variant.Uid}");

    /// <summary><c>work/x86_64/repo/&lt;pkgset&gt;</c>; arch null: <c>work/global/repo/&lt;pkgset&gt;</c>.</summary>
    public string PkgsetRepo(string pkgsetName, string? arch = null) => Path.Combine(WorkTopdir(arch), "repo", pkgsetName);

    /// <summary>
    /// <c>work/x86_64/package_list/x86_64[.&lt;pkgset&gt;][.&lt;type&gt;].conf</c>; per variant
    /// <c>work/x86_64/package_list/Server.x86_64.rpm.conf</c> (type rpm/srpm/debuginfo).
    /// </summary>
    public string PackageList(string arch, Variant? variant = null, string? pkgType = null, string? pkgsetName = null)
    {
        string name;
        if (variant is not null)
            name = $"{variant.Uid}.{arch}" + (pkgType is null ? "" : "." + pkgType) + ".conf";
        else
            name = arch + (pkgsetName is null ? "" : "." + pkgsetName) + (pkgType is null ? "" : "." + pkgType) + ".conf";
        return Path.Combine(WorkTopdir(arch), "package_list", name);
    }

    /// <summary><c>work/x86_64/package_list/Server.x86_64.lookaside.conf</c></summary>
    public string LookasideConf(string arch, Variant variant)
        => Path.Combine(WorkTopdir(arch), "package_list", $"{variant.Uid}.{arch}.lookaside.conf");

    /// <summary><c>work/global/package_list/global.&lt;pkgset&gt;.conf</c></summary>
    public string GlobalPackageList(string pkgsetName) => Path.Combine(WorkTopdir(null), "package_list", $"global.{pkgsetName}.conf");

    /// <summary><c>work/global/pkgset_&lt;name&gt;_file_cache.pickle</c> (we keep the name for the same role)</summary>
    public string PkgsetFileCache(string pkgsetName) => Path.Combine(WorkTopdir(null), $"pkgset_{pkgsetName}_file_cache.pickle");

    /// <summary><c>work/global/pkgset_&lt;name&gt;_reuse.pickle</c></summary>
    public string PkgsetReuseFile(string pkgsetName) => Path.Combine(WorkTopdir(null), $"pkgset_{pkgsetName}_reuse.pickle");

    /// <summary><c>work/x86_64/gather_result/Server.x86_64.result</c></summary>
    public string GatherResult(string arch, Variant variant)
        => Path.Combine(WorkTopdir(arch), "gather_result", $"{variant.Uid}.{arch}.result");

    /// <summary><c>work/x86_64/pungi/[Server.]x86_64[.&lt;source&gt;].conf</c> (the depsolver's kickstart)</summary>
    public string PungiConf(string arch, Variant? variant = null, string? source = null)
        => Path.Combine(WorkTopdir(arch), "pungi", PungiName(arch, variant, source) + ".conf");

    /// <summary><c>work/x86_64/pungi/[Server.]x86_64[.&lt;source&gt;].log</c> (the depsolver's output)</summary>
    public string PungiLog(string arch, Variant? variant = null, string? source = null)
        => Path.Combine(WorkTopdir(arch), "pungi", PungiName(arch, variant, source) + ".log");

    private static string PungiName(string arch, Variant? variant, string? source)
        => (variant is null ? "" : variant.Uid + ".") + arch + (source is null ? "" : "." + source);

    /// <summary><c>work/x86_64/fus/Server-solvables-1.x86_64.conf</c></summary>
    public string FusConf(string arch, Variant variant, int iteration)
        => Path.Combine(WorkTopdir(arch), "fus", $"{variant.Uid}-solvables-{iteration}.{arch}.conf");

    /// <summary><c>work/x86_64/pungi-cache[/Server]</c></summary>
    public string PungiCacheDir(string arch, Variant? variant = null)
        => variant is null ? Path.Combine(WorkTopdir(arch), "pungi-cache") : Path.Combine(WorkTopdir(arch), "pungi-cache", variant.Uid);

    /// <summary><c>work/x86_64/pungi_download</c> (repos pkgset source)</summary>
    public string PungiDownloadDir(string arch) => Path.Combine(WorkTopdir(arch), "pungi_download");

    /// <summary><c>work/x86_64/Server/lookaside_repo</c> (variant_as_lookaside)</summary>
    public string LookasideRepo(string arch, Variant variant) => Path.Combine(WorkTopdir(arch), variant.Uid, "lookaside_repo");

    /// <summary>
    /// <c>work/x86_64/buildinstall[/Server]</c>; with <paramref name="buildinstallTopdir"/>:
    /// <c>&lt;it&gt;/buildinstall-&lt;basename(topdir)&gt;/x86_64[/Server]</c>.
    /// </summary>
    public string BuildinstallDir(string arch, Variant? variant = null, string? buildinstallTopdir = null)
    {
        var dir = buildinstallTopdir is null
            ? Path.Combine(WorkTopdir(arch), "buildinstall")
            : Path.Combine(buildinstallTopdir, "buildinstall-" + Path.GetFileName(Topdir), arch);
        return variant is null ? dir : Path.Combine(dir, variant.Uid);
    }

    /// <summary><c>work/x86_64/Server/extra-files</c></summary>
    public string ExtraFilesDir(string arch, Variant variant) => Path.Combine(WorkTopdir(arch), variant.Uid, "extra-files");

    /// <summary><c>work/x86_64/Server/extra-iso-extra-files</c></summary>
    public string ExtraIsoExtraFilesDir(string arch, Variant variant) => Path.Combine(WorkTopdir(arch), variant.Uid, "extra-iso-extra-files");

    /// <summary><c>work/x86_64/Server/iso-staging-dir/&lt;iso filename&gt;</c></summary>
    public string IsoStagingDir(string arch, Variant variant, string isoFileName)
        => Path.Combine(WorkTopdir(arch), variant.Uid, "iso-staging-dir", isoFileName);

    /// <summary>
    /// <c>work/x86_64/repo_package_list/Server.x86_64[.&lt;type&gt;].conf</c>; the srpm repo passes arch null and
    /// gets upstream's literal <c>work/global/repo_package_list/Server.None.srpm.conf</c> (Appendix B).
    /// </summary>
    public string RepoPackageList(string? arch, Variant variant, string? pkgType = null)
        => Path.Combine(WorkTopdir(arch), "repo_package_list", $"{variant.Uid}.{arch ?? "None"}" + (pkgType is null ? "" : "." + pkgType) + ".conf");

    /// <summary><c>work/x86_64/iso/&lt;iso filename&gt;</c> (a directory named like the ISO)</summary>
    public string IsoWorkDir(string arch, string isoFileName) => Path.Combine(WorkTopdir(arch), "iso", isoFileName);

    /// <summary><c>work/x86_64/iso/&lt;iso filename&gt;-graft-points</c></summary>
    public string IsoGraftPoints(string arch, string isoFileName) => IsoWorkDir(arch, isoFileName) + "-graft-points";

    /// <summary><c>work/x86_64/iso/&lt;iso filename&gt;-file-list</c></summary>
    public string IsoFileList(string arch, string isoFileName) => IsoWorkDir(arch, isoFileName) + "-file-list";

    /// <summary><c>work/x86_64/tmp[-Server]</c>, <c>work/global/tmp</c>: where temporary directories are made.</summary>
    public string TmpDir(string? arch = null, Variant? variant = null)
        => Path.Combine(WorkTopdir(arch), variant is null ? "tmp" : "tmp-" + variant.Uid);

    /// <summary><c>work/x86_64/product_id/Server.x86_64.pem/productid</c></summary>
    public string ProductId(string arch, Variant variant)
        => Path.Combine(WorkTopdir(arch), "product_id", $"{variant.Uid}.{arch}.pem", "productid");

    /// <summary><c>work/image-build/Server</c></summary>
    public string ImageBuildDir(Variant variant) => Path.Combine(WorkDir, "image-build", variant.Uid);

    /// <summary>
    /// <c>work/image-build/Server/&lt;formats&gt;_&lt;name&gt;[_&lt;arch&gt;-&lt;arch&gt;…].cfg</c>
    /// (e.g. <c>qcow2-raw-xz_Fedora-Cloud_x86_64-aarch64.cfg</c>).
    /// </summary>
    public string ImageBuildConf(Variant variant, string imageName, string imageType, IReadOnlyList<string>? arches = null)
        => Path.Combine(ImageBuildDir(variant),
            $"{imageType}_{imageName}" + (arches is { Count: > 0 } ? "_" + string.Join('-', arches) : "") + ".cfg");

    /// <summary><c>work/global/module_defaults</c></summary>
    public string ModuleDefaultsDir => Path.Combine(WorkTopdir(null), "module_defaults");

    /// <summary><c>work/global/module_obsoletes</c> (4.3.6)</summary>
    public string ModuleObsoletesDir => Path.Combine(WorkTopdir(null), "module_obsoletes");

    /// <summary><c>work/global/prepopulate.json</c></summary>
    public string Prepopulate => Path.Combine(WorkTopdir(null), "prepopulate.json");

    /// <summary><c>work/global/ks.cfg</c> (kickstart for the installer)</summary>
    public string InstallerKickstart => Path.Combine(WorkTopdir(null), "ks.cfg");

    /// <summary><c>work/ostree-1/config_repo</c></summary>
    public string OstreeConfigRepo(int index) => Path.Combine(WorkDir, $"ostree-{index}", "config_repo");

    /// <summary><c>work/ostree-1/extra_config.json</c></summary>
    public string OstreeExtraConfig(int index) => Path.Combine(WorkDir, $"ostree-{index}", "extra_config.json");

    /// <summary><c>work/x86_64/Server/ostree_installer</c></summary>
    public string OstreeInstallerDir(string arch, Variant variant) => Path.Combine(WorkTopdir(arch), variant.Uid, "ostree_installer");

    /// <summary><c>work/x86_64/Server/lorax_templates</c></summary>
    public string LoraxTemplatesDir(string arch, Variant variant) => Path.Combine(WorkTopdir(arch), variant.Uid, "lorax_templates");

    /// <summary><c>work/global/download</c> (repos pkgset source path prefix)</summary>
    public string GlobalDownloadDir => Path.Combine(WorkTopdir(null), "download");

    // ------------------------------------------------------------------ logs/ (LogPaths)

    /// <summary><c>logs/x86_64</c>, or <c>logs/global</c> for a null arch.</summary>
    public string LogDir(string? arch = null) => Path.Combine(LogsDir, ArchOrGlobal(arch));

    /// <summary>
    /// Pungi <c>log_file(arch, name)</c>: <c>logs/&lt;arch|global&gt;/&lt;name&gt;.&lt;arch|global&gt;.log</c>,
    /// a trailing <c>.log</c> in the name stripped first (<c>createrepo-Server.rpm</c>, x86_64 →
    /// <c>logs/x86_64/createrepo-Server.rpm.x86_64.log</c>).
    /// </summary>
    public string LogFile(string? arch, string name)
    {
        if (name.EndsWith(".log", StringComparison.Ordinal))
            name = name[..^4];
        return Path.Combine(LogDir(arch), $"{name}.{ArchOrGlobal(arch)}.log");
    }

    /// <summary><c>logs/global/pungi.global.log</c></summary>
    public string MainLog => LogFile(null, "pungi");

    /// <summary><c>logs/global/excluding-arch.global.log</c></summary>
    public string ExcludingArchLog => LogFile(null, "excluding-arch");

    /// <summary><c>logs/global/config-copy</c></summary>
    public string ConfigCopyDir => Path.Combine(LogDir(), "config-copy");

    /// <summary><c>logs/global/config-dump.global.log</c></summary>
    public string ConfigDump => LogFile(null, "config-dump");

    /// <summary><c>logs/global/deliverables.json</c></summary>
    public string DeliverablesJson => Path.Combine(LogDir(), "deliverables.json");

    /// <summary><c>logs/global/koji-tasks</c> (an empty marker file per Koji task id)</summary>
    public string KojiTasksDir => Path.Combine(LogDir(), "koji-tasks");

    /// <summary><c>logs/global/traceback.global.log</c>, or <c>logs/global/traceback-&lt;detail&gt;.global.log</c></summary>
    public string TracebackLog(string? detail = null) => LogFile(null, detail is null ? "traceback" : "traceback-" + detail);

    /// <summary><c>logs/x86_64/buildinstall-Server.x86_64.log</c></summary>
    public string BuildinstallLog(string arch, Variant variant) => LogFile(arch, $"buildinstall-{variant.Uid}");

    /// <summary><c>logs/x86_64/buildinstall-Server-logs</c> (lorax logs, pkglists/, buildinstall.metadata)</summary>
    public string BuildinstallLogsDir(string arch, Variant variant) => Path.Combine(LogDir(arch), $"buildinstall-{variant.Uid}-logs");

    /// <summary><c>logs/x86_64/createiso-&lt;iso filename&gt;.x86_64.log</c></summary>
    public string CreateisoLog(string arch, string isoFileName) => LogFile(arch, $"createiso-{isoFileName}");

    /// <summary><c>logs/x86_64/createrepo-Server.rpm.x86_64.log</c> (type rpm/srpm/debuginfo)</summary>
    public string CreaterepoLog(string arch, Variant variant, string pkgType) => LogFile(arch, $"createrepo-{variant.Uid}.{pkgType}");

    /// <summary><c>logs/x86_64/repoclosure-Server.x86_64.log</c></summary>
    public string RepoclosureLog(string arch, Variant variant) => LogFile(arch, $"repoclosure-{variant.Uid}");

    /// <summary><c>logs/x86_64/hybrid-depsolver-Server-iter-1.x86_64.log</c></summary>
    public string HybridDepsolverLog(string arch, Variant variant, int iteration) => LogFile(arch, $"hybrid-depsolver-{variant.Uid}-iter-{iteration}");

    /// <summary><c>logs/x86_64/gather-nodeps-Server[-&lt;source&gt;].x86_64.log</c></summary>
    public string GatherNodepsLog(string arch, Variant variant, string? source = null)
        => LogFile(arch, $"gather-nodeps-{variant.Uid}" + (source is null ? "" : "-" + source));
}
