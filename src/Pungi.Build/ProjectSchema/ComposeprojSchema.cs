using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Gather;

namespace Pungi.Build.ProjectSchema;

/// <summary>How a property value or an item's Include/metadata is read.</summary>
public enum ValueKind
{
    /// <summary>Free text.</summary>
    Text,
    /// <summary><c>true</c> or <c>false</c> (any case), as MSBuild conditions read them.</summary>
    Boolean,
    /// <summary>A whole number within <see cref="PropertySpec.Min"/>..<see cref="PropertySpec.Max"/>.</summary>
    Integer,
    /// <summary>One of <see cref="PropertySpec.Values"/>.</summary>
    Choice,
    /// <summary>A <c>;</c>-separated list of <see cref="PropertySpec.Values"/> (spaces and commas separate too).</summary>
    ChoiceList,
    /// <summary>A <c>;</c>-separated list of free text.</summary>
    TextList,
    /// <summary>A file or directory, relative to the project.</summary>
    Path,
    /// <summary>A .NET regular expression (Pungi's <c>re.match</c>, anchored at the start).</summary>
    Regex,
    /// <summary>A tree arch, or <c>*</c> (which never matches src).</summary>
    Arch,
}

/// <summary>One composeproj property: its Pungi option, type, allowed values and the default the SDK or task applies.</summary>
/// <param name="Name">the property (Pungi's <c>foo_bar</c> is <c>FooBar</c>, DESIGN.md §3)</param>
/// <param name="Kind">how its value is read</param>
/// <param name="Description">one sentence for the reference and the editor tooltip</param>
/// <param name="Default">the value used when empty; null when there is none (required, or computed)</param>
/// <param name="PungiOption">the upstream option it translates, or null for Pungi.Build's own settings</param>
/// <param name="Values">allowed values of a Choice/ChoiceList</param>
/// <param name="Code">the error code for a value of the wrong type or outside <paramref name="Values"/></param>
/// <param name="DefaultInProps">the default is assigned in <c>targets/Pungi.Build.props</c> or a phase file (else the task applies it)</param>
public sealed record PropertySpec(
    string Name, ValueKind Kind, string Description, string? Default = null, string? PungiOption = null,
    IReadOnlyList<string>? Values = null, string? Code = null, int? Min = null, int? Max = null,
    bool Required = false, bool DefaultInProps = false);

/// <summary>One metadata of an item type.</summary>
public sealed record MetadataSpec(string Name, ValueKind Kind, string Description, IReadOnlyList<string>? Values = null, string? Code = null, string? Default = null);

/// <summary>One composeproj item type: what its Include is and which metadata it reads.</summary>
/// <param name="Name">the item type (Pungi's option in singular PascalCase)</param>
/// <param name="Include">how the Include is read (Path items must exist)</param>
/// <param name="IncludeValues">allowed values of a Choice Include</param>
/// <param name="IncludeCode">the error code for an Include outside <paramref name="IncludeValues"/></param>
/// <param name="VariantArch">a variant/arch mapping item: <c>Variant</c> (regex) and <c>Arch</c> metadata apply</param>
public sealed record ItemSpec(
    string Name, ValueKind Include, string Description, string? PungiOption, IReadOnlyList<MetadataSpec> Metadata,
    IReadOnlyList<string>? IncludeValues = null, string? IncludeCode = null, bool VariantArch = false);

/// <summary>
/// The one machine-readable description of every property and item of a composeproj. The XSD
/// (<c>targets/Pungi.Build.xsd</c>), the reference (<c>docs/properties.md</c>) and the settings Validate collects
/// (<c>targets/Phases/Validate.targets</c>) are generated from it, and a test holds it against the defaults in
/// <c>targets/Pungi.Build.props</c> and against what the targets hand to the tasks.
/// </summary>
public static class ComposeprojSchema
{
    private static readonly string[] Bools = ["true", "false"];

    /// <summary>Pungi's phase names as <c>skip_phases</c> takes them (spec §2).</summary>
    public static IReadOnlyList<string> PhaseNames { get; } =
    [
        "init", "pkgset", "weaver", "buildinstall", "gather", "createrepo", "extra_files", "repoclosure", "createiso",
        "extra_isos", "live_images", "image_build", "image_container", "kiwibuild", "osbuild", "osbs", "ostree",
        "ostree_container", "ostree_installer", "live_media", "productimg", "image_checksum", "test",
    ];

    public static IReadOnlyList<PropertySpec> Properties { get; } =
    [
        // release and compose identity
        new("ReleaseName", ValueKind.Text, "Full product name, e.g. Fedora.", PungiOption: "release_name", Required: true),
        new("ReleaseShort", ValueKind.Text, "Short product name used in the compose ID, e.g. Fedora.", PungiOption: "release_short", Required: true),
        new("ReleaseVersion", ValueKind.Text, "Product version, e.g. 41 or 8.4.", PungiOption: "release_version", Required: true),
        new("ReleaseType", ValueKind.Choice, "Release type; anything but ga adds a suffix to the compose ID.", "ga", "release_type",
            ReleaseInfo.ReleaseTypes, ErrorCodes.UnknownReleaseType, DefaultInProps: true),
        new("ReleaseIsLayered", ValueKind.Boolean, "The product is layered on a base product (BaseProduct* then required).", "false", "release_is_layered", Bools),
        new("ReleaseDiscinfoDescription", ValueKind.Text, "Description written into .discinfo; empty gives '<ReleaseName> <ReleaseVersion>'.", PungiOption: "release_discinfo_description"),
        new("TreeinfoVersion", ValueKind.Text, "Version written into .treeinfo instead of ReleaseVersion.", PungiOption: "treeinfo_version"),
        new("BaseProductName", ValueKind.Text, "Base product name of a layered product.", PungiOption: "base_product_name"),
        new("BaseProductShort", ValueKind.Text, "Base product short name of a layered product.", PungiOption: "base_product_short"),
        new("BaseProductVersion", ValueKind.Text, "Base product version of a layered product.", PungiOption: "base_product_version"),
        new("BaseProductType", ValueKind.Choice, "Base product release type.", "ga", "base_product_type",
            ReleaseInfo.ReleaseTypes, ErrorCodes.UnknownReleaseType, DefaultInProps: true),
        new("ComposeType", ValueKind.Choice, "Compose type (pungi-koji --production/--nightly/--test/...); sets the ID suffix.", "production", null,
            ComposeTypes.All, ErrorCodes.UnknownComposeType, DefaultInProps: true),
        new("ComposeDate", ValueKind.Text, "Compose date YYYYMMDD; empty is today (UTC).", null, null),
        new("ComposeRespin", ValueKind.Integer, "Respin number of the compose ID.", "0", null, Code: ErrorCodes.BadComposeRespin, Min: 0, DefaultInProps: true),
        new("ComposeLabel", ValueKind.Text, "Compose label <Milestone>-<major>.<minor>, e.g. RC-1.0 (pungi-koji --label).", null, null),
        new("ComposeTargetDir", ValueKind.Path, "Directory the compose directory is created in.", "$(MSBuildProjectDirectory)/bin/", null, DefaultInProps: true),
        new("ComposeDir", ValueKind.Path, "Exact compose directory (pungi-koji --compose-dir); overrides ComposeTargetDir.", null, null),
        new("NewRespin", ValueKind.Boolean, "A fresh respin directory per run (upstream's never-overwrite-FINISHED rule).", "false", null, Bools, DefaultInProps: true),
        new("LatestLinkComponents", ValueKind.Integer, "Version components in the latest-* link name; -1 keeps all.", "-1", "latest_link_components", Min: -1, DefaultInProps: true),
        new("NoLatestLink", ValueKind.Boolean, "Do not create the latest-* link (pungi-koji --no-latest-link).", "false", null, Bools, DefaultInProps: true),
        new("SkipPhases", ValueKind.ChoiceList, "Phases to skip by their Pungi names (pass as -p:SkipPhases=\"a;b\").", null, "skip_phases", PhaseNames),
        new("TreeArches", ValueKind.TextList, "Only these arches of the variants are composed.", null, "tree_arches"),
        new("TreeVariants", ValueKind.TextList, "Only these variant UIDs are composed.", null, "tree_variants"),
        new("CompsFilterEnvironments", ValueKind.Boolean, "Keep only the environments a variant names in its comps.", "true", "comps_filter_environments", Bools),
        // package set
        new("PkgsetSource", ValueKind.Choice, "Where packages come from: local repositories (repos) or Koji tags (koji, PkgsetKojiTag).", "repos", "pkgset_source",
            ["repos", "koji"], ErrorCodes.PkgsetSourceUnsupported, DefaultInProps: true),
        new("Sigkeys", ValueKind.TextList, "Accepted signing key IDs; empty or 'none' accepts unsigned packages.", null, "sigkeys"),
        new("PkgsetExclusiveArchConsidersNoarch", ValueKind.Boolean, "ExclusiveArch: noarch counts as every arch.", "true", "pkgset_exclusive_arch_considers_noarch", Bools),
        // gather
        new("GatherMethod", ValueKind.Choice, "Gather method: deps depsolves, nodeps takes comps and lists as they are.", "deps", "gather_method",
            ["deps", "nodeps"], ErrorCodes.GatherUnknownMethod),
        new("GreedyMethod", ValueKind.Choice, "Which providers of a dependency are taken.", "none", "greedy_method",
            ["none", "all", "build"], ErrorCodes.GatherBadGreedyMethod),
        new("GatherFulltree", ValueKind.Boolean, "Take every binary package built from a gathered source package.", "false", "gather_fulltree", Bools),
        new("GatherSelfhosting", ValueKind.Boolean, "Also resolve build dependencies.", "false", "gather_selfhosting", Bools),
        new("FilterSystemReleasePackages", ValueKind.Boolean, "Keep one system-release provider per variant.", "true", "filter_system_release_packages", Bools),
        new("CheckDeps", ValueKind.Boolean, "Unresolved dependencies fail the compose.", "true", "check_deps", Bools),
        new("LinkType", ValueKind.Choice, "How packages are placed into the trees.", "hardlink-or-copy", "link_type",
            ["hardlink-or-copy", "hardlink", "copy", "symlink", "abspath-symlink"], ErrorCodes.GatherBadLinkType, DefaultInProps: true),
        new("HashedDirectories", ValueKind.Boolean, "Packages/<first letter>/ subdirectories.", "false", "hashed_directories", Bools),
        // createrepo
        new("CreaterepoChecksum", ValueKind.Choice, "Checksum type of the repodata.", "sha256", "createrepo_checksum",
            ["sha1", "sha224", "sha256", "sha384", "sha512"], ErrorCodes.UnknownChecksumType),
        new("CreaterepoCompression", ValueKind.Choice, "Compression of the repodata files.", "gz", null,
            ["gz", "gzip", "xz", "zstd", "zst", "bz2", "bzip2", "none", "no"], ErrorCodes.UnknownCompression),
        new("CreaterepoDatabase", ValueKind.Boolean, "Also write the sqlite databases.", "false", "createrepo_database", Bools),
        new("CreaterepoBackend", ValueKind.Choice, "Repodata writer: native, or the createrepo_c tool.", "native", null,
            ["native", "createrepo_c"], ErrorCodes.CreaterepoBadBackend),
        new("RepoclosureBackend", ValueKind.Choice, "Repoclosure checker: native, or dnf (upstream's dnf repoclosure command; yum is not ported).", "native", "repoclosure_backend",
            ["native", "dnf"], ErrorCodes.RepoclosureBadBackend),
        new("CreaterepoNumWorkers", ValueKind.Integer, "Workers of createrepo_c.", null, "createrepo_num_workers", Code: ErrorCodes.CreaterepoBadBackend, Min: 1),
        // createiso and images
        new("IsoBackend", ValueKind.Choice, "ISO writer: native, or xorriso.", "native", null, ["native", "xorriso"], ErrorCodes.IsoBackendUnknown, DefaultInProps: true),
        new("IsoLevel", ValueKind.Integer, "ISO 9660 interchange level.", null, "iso_level", Code: ErrorCodes.IsoLevelInvalid, Min: 1, Max: 4),
        new("CreateOptionalIsos", ValueKind.Boolean, "Also make ISOs of optional variants.", "false", "create_optional_isos", Bools),
        new("ImageNameFormat", ValueKind.Text, "File name template of the images.", null, "image_name_format"),
        new("ImageVolidFormats", ValueKind.TextList, "Volume ID templates, tried in order.", null, "image_volid_formats"),
        new("ImageVolidLayeredProductFormats", ValueKind.TextList, "Volume ID templates of layered products.", null, "image_volid_layered_product_formats"),
        new("RestrictedVolid", ValueKind.Boolean, "Replace characters outside [a-zA-Z0-9_-] in volume IDs.", "false", "restricted_volid", Bools),
        new("MediaChecksums", ValueKind.ChoiceList, "Checksums written beside the images.", "md5;sha1;sha256", "media_checksums",
            ["md5", "sha1", "sha256", "sha384", "sha512"], ErrorCodes.MediaChecksumUnknown),
        new("MediaChecksumOneFile", ValueKind.Boolean, "One CHECKSUM file per directory (needs exactly one type).", "false", "media_checksum_one_file", Bools),
        new("MediaChecksumBaseFilename", ValueKind.Text, "Template of the checksum file name prefix.", null, "media_checksum_base_filename"),
        new("IsoSize", ValueKind.Text, "Media size for splitting non-bootable trees (bytes, or with k/M/G).", "4700000000", "iso_size"),
        new("SplitIsoReserve", ValueKind.Text, "Space kept free on every split disc.", "10485760", "split_iso_reserve"),
        new("IsoHfsPpc64leCompatible", ValueKind.Boolean, "ppc64le images in the HFS-compatible layout (xorriso backend).", "true", "iso_hfs_ppc64le_compatible", Bools),
        // gather inputs
        new("GatherSource", ValueKind.Choice, "Where a variant's input packages come from.", "comps", "gather_source", ["comps", "json", "none"], ErrorCodes.GatherUnknownSource),
        new("GatherSourceMapping", ValueKind.Path, "JSON {variant: {arch: {name: [arch|null]}}} for GatherSource=json.", null, "gather_source_mapping"),
        new("GatherPrepopulate", ValueKind.Path, "JSON {variant: {arch: {build: [name.arch]}}} of packages always gathered.", null, "gather_prepopulate"),
        // buildinstall and runroot
        new("BuildinstallMethod", ValueKind.Choice, "Make the variant trees bootable with lorax (the legacy buildinstall method is not ported).", null, "buildinstall_method", ["lorax"], ErrorCodes.BuildinstallMethodUnsupported),
        new("BuildinstallLoraxPath", ValueKind.Path, "The lorax executable (default: lorax on PATH).", null, null),
        new("BuildinstallKickstart", ValueKind.Path, "Kickstart file passed to lorax.", null, "buildinstall_kickstart"),
        new("RunrootMethod", ValueKind.Choice, "How runroot commands run: local or in Koji (items of the same name set it per phase).", null, "runroot_method", ["local", "koji", "openssh"], ErrorCodes.RunrootMethodUnknown),
        new("GlobalRunrootMethod", ValueKind.Choice, "Runroot method for the phases RunrootMethod items do not name.", null, "global_runroot_method", ["local", "koji", "openssh"], ErrorCodes.RunrootMethodUnknown),
        new("RunrootTag", ValueKind.Text, "Koji build tag of the runroot (sets the default method to koji).", null, "runroot_tag"),
        new("RunrootChannel", ValueKind.Text, "Koji channel of runroot tasks.", null, "runroot_channel"),
        new("RunrootTimeout", ValueKind.Integer, "Seconds a local runroot command may run.", null, null, Min: 1),
        // koji
        new("KojiProfile", ValueKind.Text, "Koji profile (koji.conf.d section) of the hub.", null, "koji_profile"),
        new("KojiConfigDir", ValueKind.Path, "Directory standing for /etc when looking for koji.conf.d.", null, null),
        new("PkgsetKojiTag", ValueKind.TextList, "Koji tag(s) of the package set (PkgsetSource=koji).", null, "pkgset_koji_tag"),
        new("PkgsetKojiInherit", ValueKind.Boolean, "Follow the tag's inheritance.", "true", "pkgset_koji_inherit", Bools),
        new("PkgsetKojiBuilds", ValueKind.TextList, "Extra builds (NVRs) replacing tagged builds of the same package.", null, "pkgset_koji_builds"),
        new("KojiEvent", ValueKind.Integer, "Koji event the package set is taken at (else the hub's last event).", null, null, Min: 0),
        new("KojiCache", ValueKind.Path, "Download cache for files from the hub's topurl when topdir is not mounted.", null, "koji_cache"),
        new("KojiPollInterval", ValueKind.Integer, "Seconds between polls of waited Koji tasks.", null, null, Min: 1),
        new("SignedPackagesRetries", ValueKind.Integer, "How often to look again for missing signed copies.", "0", "signed_packages_retries", Min: 0),
        new("SignedPackagesWait", ValueKind.Integer, "Seconds between those looks.", "30", "signed_packages_wait", Min: 0),
        new("TranslatePaths", ValueKind.TextList, "prefix=replacement pairs applied to paths sent to Koji.", null, "translate_paths"),
        new("GlobalTarget", ValueKind.Text, "Koji target of the image phases (global_target).", null, "global_target"),
        new("GlobalKsurl", ValueKind.Text, "Kickstart SCM URL of the image phases.", null, "global_ksurl"),
        new("GlobalVersion", ValueKind.Text, "Version of the images.", null, "global_version"),
        new("GlobalRelease", ValueKind.Text, "Release of the images.", null, "global_release"),
        new("LiveImagesTarget", ValueKind.Text, "Koji target of LiveImage items.", null, "live_images_target"),
        new("LiveImagesKsurl", ValueKind.Text, "Kickstart SCM URL of LiveImage items.", null, "live_images_ksurl"),
        new("LiveImagesVersion", ValueKind.Text, "Version of LiveImage items.", null, "live_images_version"),
        new("LiveImagesRelease", ValueKind.Text, "Release of LiveImage items.", null, "live_images_release"),
        new("LiveMediaTarget", ValueKind.Text, "Koji target of LiveMedia items.", null, "live_media_target"),
        new("LiveMediaKsurl", ValueKind.Text, "Kickstart SCM URL of LiveMedia items.", null, "live_media_ksurl"),
        new("LiveMediaVersion", ValueKind.Text, "Version of LiveMedia items.", null, "live_media_version"),
        new("LiveMediaRelease", ValueKind.Text, "Release of LiveMedia items.", null, "live_media_release"),
        new("ImageBuildTarget", ValueKind.Text, "Koji target of ImageBuild items.", null, "image_build_target"),
        new("ImageBuildKsurl", ValueKind.Text, "Kickstart SCM URL of ImageBuild items.", null, "image_build_ksurl"),
        new("ImageBuildVersion", ValueKind.Text, "Version of ImageBuild items.", null, "image_build_version"),
        new("ImageBuildRelease", ValueKind.Text, "Release of ImageBuild items.", null, "image_build_release"),
        new("KiwibuildTarget", ValueKind.Text, "Koji target of KiwiBuild items.", null, "kiwibuild_target"),
        new("KiwibuildVersion", ValueKind.Text, "Version of KiwiBuild items.", null, "kiwibuild_version"),
        new("KiwibuildRelease", ValueKind.Text, "Release of KiwiBuild items.", null, "kiwibuild_release"),
        new("OsbuildTarget", ValueKind.Text, "Koji target of OSBuild items.", null, "osbuild_target"),
        new("OsbuildVersion", ValueKind.Text, "Version of OSBuild items.", null, "osbuild_version"),
        new("OsbuildRelease", ValueKind.Text, "Release of OSBuild items.", null, "osbuild_release"),
        // report
        new("PreviousCompose", ValueKind.Path, "The compose the report compares with (default: the newest older FINISHED one of the release).", null, null),
        new("ReportMaxChangeRows", ValueKind.Integer, "Change rows listed per variant.arch in report.html (the rest are counted).", "200", null, Min: 0),
        // ostree installer (spec §2.17)
        new("OstreeInstallerOverwrite", ValueKind.Boolean, "Allow OstreeInstaller on a variant.arch Buildinstall also writes.", "false", "ostree_installer_overwrite", Bools),
        new("OstreeInstallerUseKojiPlugin", ValueKind.Boolean, "koji pungi-buildinstall for OstreeInstaller (not ported: an error when true).", "false", "ostree_installer_use_koji_plugin", Bools),
    ];

    private static readonly MetadataSpec VariantMeta = new("Variant", ValueKind.Regex, "Variant UID regex, matched from the start as Pungi does.", Code: ErrorCodes.BadVariantPattern, Default: "^.*$");
    private static readonly MetadataSpec ArchMeta = new("Arch", ValueKind.Arch, "An arch, or * for every arch but src.", Default: "*");

    public static IReadOnlyList<ItemSpec> Items { get; } =
    [
        new("VariantsFile", ValueKind.Path, "Pungi's variants.xml (one).", "variants_file", []),
        new("Variant", ValueKind.Text, "An inline variant; the Include is its id.", null,
        [
            new("Name", ValueKind.Text, "Display name."),
            new("Type", ValueKind.Choice, "Variant type.", ["variant", "addon", "optional", "layered-product"], ErrorCodes.VariantUnknownType, "variant"),
            new("Arches", ValueKind.TextList, "Tree arches."),
            new("Parent", ValueKind.Text, "UID of the parent variant of an addon, optional or layered product."),
            new("Groups", ValueKind.TextList, "Comps groups of the variant."),
            new("Environments", ValueKind.TextList, "Comps environments of the variant."),
            new("BuildInstallPackages", ValueKind.TextList, "Packages added to the buildinstall runroot."),
            new("IsEmpty", ValueKind.Boolean, "The variant has no packages.", Bools, Default: "false"),
            new("HasOptional", ValueKind.Boolean, "Create the variant's optional child.", Bools, Default: "false"),
        ]),
        new("CompsFile", ValueKind.Path, "The comps file the variants' groups come from.", "comps_file", []),
        new("PackageRepository", ValueKind.Path, "A local directory of RPMs (or a repository) for the package set.", "pkgset_repos",
            [new("Arch", ValueKind.Arch, "Use the repository only for this arch.", Default: "*")]),
        new("VariantAsLookaside", ValueKind.Text, "A variant (the Include, its UID) gathered with another variant's packages as its lookaside.", "variant_as_lookaside",
            [new("Lookaside", ValueKind.Text, "UID of the variant whose gathered packages are the lookaside.")]),
        new("GatherLookasideRepo", ValueKind.Path, "A repository that satisfies dependencies without shipping them.", "gather_lookaside_repos", [VariantMeta, ArchMeta], VariantArch: true),
        new("AdditionalPackage", ValueKind.Text, "A package (name, glob or name.arch) added to matching variants.", "additional_packages", [VariantMeta, ArchMeta], VariantArch: true),
        new("FilterPackage", ValueKind.Text, "A package (name, glob or name.arch) kept out of matching variants.", "filter_packages", [VariantMeta, ArchMeta], VariantArch: true),
        new("Multilib", ValueKind.Choice, "A multilib method for matching variants.", "multilib", [VariantMeta, ArchMeta],
            Multilib.DnfMethods, ErrorCodes.GatherUnknownMultilibMethod, VariantArch: true),
        new("MultilibBlacklist", ValueKind.Text, "A package never taken as multilib.", "multilib_blacklist", [ArchMeta]),
        new("MultilibWhitelist", ValueKind.Text, "A package always taken as multilib.", "multilib_whitelist", [ArchMeta]),
        new("RepoclosureStrictness", ValueKind.Choice, "How repoclosure failures count for matching variants.", "repoclosure_strictness", [VariantMeta, ArchMeta],
            ["off", "lenient", "fatal"], ErrorCodes.RepoclosureBadStrictness, VariantArch: true),
        new("CreateisoSkip", ValueKind.Boolean, "true skips the ISO of matching variants.", "createiso_skip", [VariantMeta, ArchMeta], Bools, VariantArch: true),
        new("CreateisoMaxSize", ValueKind.Integer, "Largest ISO size in bytes for matching variants.", "createiso_max_size", [VariantMeta, ArchMeta], VariantArch: true),
        new("CreateisoMaxSizeIsStrict", ValueKind.Boolean, "An ISO over CreateisoMaxSize is an error, not a warning.", "createiso_max_size_is_strict", [VariantMeta, ArchMeta], Bools, VariantArch: true),
        new("OstreeInstaller", ValueKind.Text, "The repo URL(s) of an ostree installer (lorax) for matching variants.", "ostree_installer",
        [
            VariantMeta, ArchMeta,
            new("Release", ValueKind.Text, "lorax --release; empty means the image release."),
            new("Installpkgs", ValueKind.TextList, "Packages lorax installs (--installpkgs)."),
            new("AddTemplate", ValueKind.TextList, "Lorax templates; relative paths are inside TemplateRepo."),
            new("AddArchTemplate", ValueKind.TextList, "Lorax arch templates; relative paths are inside TemplateRepo."),
            new("AddTemplateVar", ValueKind.TextList, "Template variables (name=value)."),
            new("AddArchTemplateVar", ValueKind.TextList, "Arch template variables (name=value)."),
            new("RootfsSize", ValueKind.Text, "lorax --rootfs-size in GiB."),
            new("TemplateRepo", ValueKind.Text, "A git repository cloned for relative template paths."),
            new("TemplateBranch", ValueKind.Text, "The TemplateRepo branch.", Default: "master"),
            new("ExtraRunrootPkgs", ValueKind.TextList, "Extra packages for the runroot buildroot."),
            new("SkipBranding", ValueKind.Boolean, "lorax --skip-branding.", Bools, Default: "false"),
            new("Failable", ValueKind.TextList, "Arches (or *) whose failure does not fail the compose."),
        ], VariantArch: true),
        new("VolumeIdSubstitution", ValueKind.Text, "Text replaced in volume IDs.", "volume_id_substitutions",
            [new("Value", ValueKind.Text, "The replacement.")]),
        new("BuildinstallSkip", ValueKind.Boolean, "true skips Buildinstall (and bootable ISOs) of matching variants.", "buildinstall_skip", [VariantMeta, ArchMeta], Bools, VariantArch: true),
        new("BuildinstallPackage", ValueKind.Text, "A package added to the lorax install of matching variants.", "buildinstall_packages", [VariantMeta, ArchMeta], VariantArch: true),
        new("LoraxOption", ValueKind.Text, "lorax_options for matching variants (the Include is a label).", "lorax_options",
            [VariantMeta, ArchMeta, T("Noupgrade"), T("Nomacboot"), T("Bugurl"), T("RootfsSize"), T("Version"), T("AddTemplate"), T("AddArchTemplate"), T("AddTemplateVar"), T("AddArchTemplateVar"), T("DracutArgs"), T("SkipBranding"), T("SquashfsOnly"), T("ConfigurationFile")], VariantArch: true),
        new("LoraxExtraSource", ValueKind.Text, "An extra repository URL lorax installs from, for matching variants.", "lorax_extra_sources", [VariantMeta, ArchMeta], VariantArch: true),
        new("RunrootMethod", ValueKind.Choice, "The runroot method of one phase (Phase metadata).", "runroot_method", [T("Phase")], ["local", "koji", "openssh"], ErrorCodes.RunrootMethodUnknown),
        new("RunrootWeight", ValueKind.Text, "Koji task weight of one phase's runroot tasks (Phase metadata).", "runroot_weights", [T("Phase")]),
        new("DiscType", ValueKind.Text, "Disc type name used in image names and volume IDs (Type metadata: boot, live, dvd, ostree).", "disc_types", [T("Type")]),
        new("ExtraFile", ValueKind.Text, "extra_files: a file glob (or empty with Dir) copied into matching trees.", "extra_files",
            [VariantMeta, ArchMeta, T("Scm"), T("Repo"), T("Branch"), T("File"), T("Dir"), T("Target")], VariantArch: true),
        new("ExtraIso", ValueKind.Text, "extra_isos: an ISO combining variants; the Include is its file name template.", "extra_isos",
            [VariantMeta, T("IncludeVariants"), T("Volid"), T("Arches"), T("SkipSrc")], VariantArch: true),
        new("Ostree", ValueKind.Path, "ostree: a JSON or YAML treefile committed for matching variants.", "ostree",
            [VariantMeta, T("Arches"), T("OstreeRepo"), T("OstreeRef"), T("Version"), T("ConfigUrl"), T("ConfigBranch"), T("Repo"), T("TagRef"), T("ForceNewCommit"), T("UpdateSummary"), T("UnifiedCore"), T("KeepOriginalSources"), T("Failable")], VariantArch: true),
        new("LiveImage", ValueKind.Text, "live_images: a kickstart built into a live image by Koji.", "live_images",
            [VariantMeta, T("Name"), T("Ksurl"), T("Subvariant"), T("Target"), T("Version"), T("Release"), T("Repo"), T("Specfile"), T("Scratch"), T("Type"), T("Format"), T("NoRename"), T("Arches"), T("Failable")], VariantArch: true),
        new("LiveMedia", ValueKind.Text, "live_media: an image name built by Koji's livemedia.", "live_media",
            [VariantMeta, T("Kickstart"), T("Ksurl"), T("Version"), T("Release"), T("Scratch"), T("SkipTag"), T("Subvariant"), T("Repo"), T("Target"), T("Arches"), T("Failable"), T("InstallTreeFrom"), T("Nomacboot")], VariantArch: true),
        new("ImageBuild", ValueKind.Text, "image_build: an image name built by Koji's image-build.", "image_build",
            [VariantMeta, T("Format"), T("Kickstart"), T("Ksurl"), T("Distro"), T("DiskSize"), T("InstallTree"), T("InstallTreeFrom"), T("Repo"), T("Target"), T("Version"), T("Release"), T("Arches"), T("Failable"), T("Subvariant"), T("Scratch")], VariantArch: true),
        new("KiwiBuild", ValueKind.Text, "kiwibuild: a kiwi description built by Koji.", "kiwibuild",
            [VariantMeta, T("DescriptionScm"), T("KiwiProfile"), T("Target"), T("Release"), T("Version"), T("Repos"), T("Arches"), T("Failable"), T("Subvariant"), T("Type"), T("TypeAttr"), T("BundleNameFormat")], VariantArch: true),
        new("OSBuild", ValueKind.Text, "osbuild: an image name built by Koji's osbuild plugin.", "osbuild",
            [VariantMeta, T("Distro"), T("ImageTypes"), T("Version"), T("Target"), T("Release"), T("Repo"), T("Arches"), T("Failable"), T("Subvariant"), T("OstreeUrl"), T("OstreeRef"), T("OstreeParent")], VariantArch: true),
        new("OSBS", ValueKind.Text, "osbs: a container built from a git URL by OSBS.", "osbs",
            [VariantMeta, T("Target"), T("GitBranch"), T("Repo"), T("Gpgkey"), T("Scratch"), T("Priority"), T("Failable")], VariantArch: true),
        new("ImageContainer", ValueKind.Text, "image_container: an image wrapped into a container by OSBS.", "image_container",
            [VariantMeta, T("Target"), T("GitBranch"), T("Priority"), T("Failable")], VariantArch: true),
    ];

    private static MetadataSpec T(string name) => new(name, ValueKind.Text, name + " (see the phase's README).");

    public static PropertySpec? FindProperty(string name) => Properties.FirstOrDefault(p => p.Name == name);

    public static ItemSpec? FindItem(string name) => Items.FirstOrDefault(i => i.Name == name);
}
