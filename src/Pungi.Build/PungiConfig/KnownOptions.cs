namespace Pungi.Build.PungiConfig;

/// <summary>How an option's value is shaped, which decides its composeproj form (DESIGN.md §3).</summary>
public enum OptionShape
{
    /// <summary>str: a property.</summary>
    Str,
    /// <summary>bool: a property, <c>true</c>/<c>false</c>.</summary>
    Bool,
    /// <summary>int/float: a property.</summary>
    Num,
    /// <summary>str or number (iso_size, split_iso_reserve): a property.</summary>
    StrOrNum,
    /// <summary>list[str] (or a single str): a property, <c>;</c>-joined.</summary>
    StrList,
    /// <summary>a local path or an SCM dict; a path becomes a property relative to the composeproj.</summary>
    Scm,
    /// <summary><c>[(variant_regex, {arch: value})]</c>: items with Variant and Arch.</summary>
    Map,
    /// <summary>a scalar, or the <see cref="Map"/> form (createrepo_deltas, iso_level).</summary>
    ScalarOrMap,
    /// <summary><c>{arch_or_*: value or [values]}</c>: an item per value with Arch.</summary>
    ArchDict,
    /// <summary><c>{variant_regex: dict or [dict]}</c>: an item per dict, Include its natural name, keys as metadata.</summary>
    VDict,
    /// <summary><c>{key: scalar}</c>: an item per entry, Include the value, the key as metadata <see cref="KnownOption.KeyMeta"/>.</summary>
    Dict,
    /// <summary>a scalar property, or the <see cref="Dict"/> form (runroot_method, image_name_format).</summary>
    ScalarOrDict,
    /// <summary><c>[[a, b], ...]</c>: an item per pair, Include a, b as metadata <see cref="KnownOption.KeyMeta"/>.</summary>
    Pairs,
    /// <summary><c>{variant_uid: [values]}</c>: an item per value with Variant.</summary>
    VariantLists,
    /// <summary>handled by name: variants_file, comps_file, sigkeys, gather_method.</summary>
    Special,
    /// <summary>accepted by upstream with a warning and no effect (Appendix A.10).</summary>
    Deprecated,
}

/// <summary>One option of Pungi 4.3.6's schema (spec Appendix A) and how it maps.</summary>
/// <param name="Name">the Pungi option</param>
/// <param name="Shape">its value shape</param>
/// <param name="ItemName">the item type for item shapes (singular PascalCase)</param>
/// <param name="NaturalKeys">for dict-valued items: the keys, in preference order, whose value is the item's Include</param>
/// <param name="KeyMeta">for Dict/Pairs: the metadata name for the key (or the pair's second element)</param>
/// <param name="IsPath">string values are local paths (made relative to the composeproj) unless they are URLs</param>
/// <param name="ValueMeta">for Dict: the key is the Include and the value goes in this metadata (what the phase reads)</param>
public sealed record KnownOption(string Name, OptionShape Shape, string? ItemName = null, string[]? NaturalKeys = null, string? KeyMeta = null, bool IsPath = false, string? ValueMeta = null)
{
    /// <summary>The property name: <c>foo_bar_baz</c> → <c>FooBarBaz</c>.</summary>
    public string PropertyName => Naming.Pascal(Name);
}

/// <summary>The table of every option the importer knows, from spec Appendix A (schema <c>pungi/checks.py</c>, 4.3.6).</summary>
public static class KnownOptions
{
    private static readonly KnownOption[] Table =
    [
        // A.1 release / product
        new("release_name", OptionShape.Str), new("release_short", OptionShape.Str), new("release_version", OptionShape.Str),
        new("release_type", OptionShape.Str), new("release_internal", OptionShape.Bool),
        new("release_discinfo_description", OptionShape.Str), new("treeinfo_version", OptionShape.Str),
        new("compose_type", OptionShape.Str),
        new("base_product_name", OptionShape.Str), new("base_product_short", OptionShape.Str),
        new("base_product_version", OptionShape.Str), new("base_product_type", OptionShape.Str),
        // A.2 general
        new("variants_file", OptionShape.Special, "VariantsFile", IsPath: true),
        new("comps_file", OptionShape.Special, "CompsFile", IsPath: true),
        new("module_defaults_dir", OptionShape.Scm, IsPath: true),
        new("module_defaults_override_dir", OptionShape.Str),
        new("module_obsoletes_dir", OptionShape.Scm, IsPath: true),
        new("failable_deliverables", OptionShape.Map, "FailableDeliverable"),
        new("comps_filter_environments", OptionShape.Bool),
        new("tree_arches", OptionShape.StrList), new("tree_variants", OptionShape.StrList),
        new("skip_phases", OptionShape.StrList),
        new("paths_module", OptionShape.Str),
        new("link_type", OptionShape.Str),
        new("translate_paths", OptionShape.Pairs, "TranslatePath", KeyMeta: "To"),
        new("symlink_isos_to", OptionShape.Str),
        new("dogpile_cache_backend", OptionShape.Str), new("dogpile_cache_expiration_time", OptionShape.Num),
        new("dogpile_cache_arguments", OptionShape.Dict, "DogpileCacheArgument", KeyMeta: "Key"),
        new("cts_url", OptionShape.Str), new("cts_keytab", OptionShape.Str), new("mbs_api_url", OptionShape.Str),
        new("koji_profile", OptionShape.Str), new("koji_event", OptionShape.Num),
        new("disc_types", OptionShape.Dict, "DiscType", KeyMeta: "Type"),
        // A.3 runroot
        new("global_runroot_method", OptionShape.Str),
        new("runroot_method", OptionShape.ScalarOrDict, "RunrootMethod", KeyMeta: "Phase"),
        new("runroot_tag", OptionShape.Str), new("runroot_channel", OptionShape.Str),
        new("runroot_weights", OptionShape.Dict, "RunrootWeight", KeyMeta: "Phase"),
        new("runroot_ssh_username", OptionShape.Str),
        new("runroot_ssh_hostnames", OptionShape.ArchDict, "RunrootSshHostname"),
        new("runroot_ssh_init_template", OptionShape.Str), new("runroot_ssh_install_packages_template", OptionShape.Str),
        new("runroot_ssh_run_template", OptionShape.Str),
        // A.4 package set
        new("pkgset_source", OptionShape.Str),
        new("pkgset_repos", OptionShape.ArchDict, "PackageRepository", IsPath: true),
        new("pkgset_koji_tag", OptionShape.StrList), new("pkgset_koji_builds", OptionShape.StrList),
        new("pkgset_koji_scratch_tasks", OptionShape.StrList), new("pkgset_koji_module_tag", OptionShape.StrList),
        new("pkgset_koji_module_builds", OptionShape.VariantLists, "PkgsetKojiModuleBuild"),
        new("pkgset_scratch_modules", OptionShape.VariantLists, "PkgsetScratchModule"),
        new("pkgset_koji_inherit", OptionShape.Bool), new("pkgset_koji_inherit_modules", OptionShape.Bool),
        new("pkgset_exclusive_arch_considers_noarch", OptionShape.Bool), new("pkgset_allow_reuse", OptionShape.Bool),
        new("sigkeys", OptionShape.Special),
        new("signed_packages_retries", OptionShape.Num), new("signed_packages_wait", OptionShape.Num),
        // A.5 gather
        new("gather_method", OptionShape.Special, "GatherMethod"),
        new("gather_backend", OptionShape.Str), new("greedy_method", OptionShape.Str),
        new("gather_fulltree", OptionShape.Bool), new("gather_selfhosting", OptionShape.Bool),
        new("gather_prepopulate", OptionShape.Scm, IsPath: true),
        new("gather_source_mapping", OptionShape.Str),
        new("gather_profiler", OptionShape.Bool), new("gather_allow_reuse", OptionShape.Bool),
        new("additional_packages", OptionShape.Map, "AdditionalPackage"),
        new("filter_packages", OptionShape.Map, "FilterPackage"),
        new("filter_modules", OptionShape.Map, "FilterModule"),
        new("filter_system_release_packages", OptionShape.Bool),
        new("multilib", OptionShape.Map, "Multilib"),
        new("multilib_whitelist", OptionShape.ArchDict, "MultilibWhitelist"),
        new("multilib_blacklist", OptionShape.ArchDict, "MultilibBlacklist"),
        new("gather_lookaside_repos", OptionShape.Map, "GatherLookasideRepo", IsPath: true),
        new("variant_as_lookaside", OptionShape.Pairs, "VariantAsLookaside", KeyMeta: "Lookaside"),
        new("hashed_directories", OptionShape.Bool), new("check_deps", OptionShape.Bool),
        new("require_all_comps_packages", OptionShape.Bool),
        // A.6 createrepo / repoclosure
        new("createrepo_c", OptionShape.Bool), new("createrepo_checksum", OptionShape.Str),
        new("createrepo_enable_cache", OptionShape.Bool), new("createrepo_use_xz", OptionShape.Bool),
        new("createrepo_num_threads", OptionShape.Num), new("createrepo_num_workers", OptionShape.Num),
        new("createrepo_database", OptionShape.Bool), new("createrepo_extra_args", OptionShape.StrList),
        new("createrepo_extra_modulemd", OptionShape.VDict, "CreaterepoExtraModulemd", ["repo"]),
        new("createrepo_deltas", OptionShape.ScalarOrMap, "CreaterepoDelta"),
        new("product_id", OptionShape.Scm, IsPath: true),
        new("product_id_allow_missing", OptionShape.Bool), new("product_id_allow_name_prefix", OptionShape.Bool),
        new("repoclosure_strictness", OptionShape.Map, "RepoclosureStrictness"),
        new("repoclosure_backend", OptionShape.Str),
        // A.7 buildinstall / lorax
        new("buildinstall_method", OptionShape.Str), new("buildinstall_topdir", OptionShape.Str),
        new("buildinstall_kickstart", OptionShape.Scm, IsPath: true),
        new("buildinstall_use_guestmount", OptionShape.Bool),
        new("buildinstall_skip", OptionShape.Map, "BuildinstallSkip"),
        new("buildinstall_packages", OptionShape.Map, "BuildinstallPackage"),
        new("buildinstall_allow_reuse", OptionShape.Bool),
        new("lorax_options", OptionShape.Map, "LoraxOption"),
        new("lorax_extra_sources", OptionShape.Map, "LoraxExtraSource"),
        new("lorax_use_koji_plugin", OptionShape.Bool),
        // A.8 ISO / naming / checksums
        new("createiso_skip", OptionShape.Map, "CreateisoSkip"),
        new("createiso_max_size", OptionShape.Map, "CreateisoMaxSize"),
        new("createiso_max_size_is_strict", OptionShape.Map, "CreateisoMaxSizeIsStrict"),
        new("createiso_break_hardlinks", OptionShape.Bool), new("createiso_use_xorrisofs", OptionShape.Bool),
        new("createiso_allow_reuse", OptionShape.Bool), new("extraiso_allow_reuse", OptionShape.Bool),
        new("create_jigdo", OptionShape.Bool), new("create_optional_isos", OptionShape.Bool),
        new("iso_size", OptionShape.StrOrNum), new("split_iso_reserve", OptionShape.StrOrNum),
        new("iso_level", OptionShape.ScalarOrMap, "IsoLevel"),
        new("iso_hfs_ppc64le_compatible", OptionShape.Bool),
        new("image_name_format", OptionShape.ScalarOrDict, "ImageNameFormat", KeyMeta: "Variant"),
        new("image_volid_formats", OptionShape.StrList), new("image_volid_layered_product_formats", OptionShape.StrList),
        new("restricted_volid", OptionShape.Bool),
        // Createiso reads Include = the text to replace, Value = its replacement
        new("volume_id_substitutions", OptionShape.Dict, "VolumeIdSubstitution", ValueMeta: "Value"),
        new("media_checksums", OptionShape.StrList), new("media_checksum_one_file", OptionShape.Bool),
        new("media_checksum_base_filename", OptionShape.Str),
        // A.9 image phases
        new("global_ksurl", OptionShape.Str), new("global_version", OptionShape.Str),
        new("global_target", OptionShape.Str), new("global_release", OptionShape.Str),
        new("live_images_ksurl", OptionShape.Str), new("live_images_target", OptionShape.Str),
        new("live_images_release", OptionShape.Str), new("live_images_version", OptionShape.Str),
        new("image_build_ksurl", OptionShape.Str), new("image_build_target", OptionShape.Str),
        new("image_build_release", OptionShape.Str), new("image_build_version", OptionShape.Str),
        new("live_media_ksurl", OptionShape.Str), new("live_media_target", OptionShape.Str),
        new("live_media_release", OptionShape.Str), new("live_media_version", OptionShape.Str),
        new("osbuild_target", OptionShape.Str), new("osbuild_release", OptionShape.Str), new("osbuild_version", OptionShape.Str),
        new("live_images", OptionShape.Map, "LiveImage", ["kickstart", "name"]),
        new("live_images_no_rename", OptionShape.Bool), new("live_target", OptionShape.Str),
        new("live_media", OptionShape.VDict, "LiveMedia", ["kickstart", "name"]),
        new("image_build", OptionShape.VDict, "ImageBuild", ["image-build.kickstart", "image-build.name"]),
        new("image_build_allow_reuse", OptionShape.Bool),
        new("osbuild", OptionShape.VDict, "Osbuild", ["name"]),
        new("extra_isos", OptionShape.VDict, "ExtraIso", ["filename"]),
        new("extra_files", OptionShape.Map, "ExtraFile", ["file"]),
        new("ostree", OptionShape.VDict, "Ostree", ["treefile"]),
        new("ostree_use_koji_plugin", OptionShape.Bool),
        new("ostree_installer", OptionShape.Map, "OstreeInstaller", ["repo"]),
        new("ostree_installer_use_koji_plugin", OptionShape.Bool), new("ostree_installer_overwrite", OptionShape.Bool),
        new("osbs", OptionShape.VDict, "Osbs", ["name", "git_branch", "url"]),
        new("osbs_registries", OptionShape.Dict, "OsbsRegistry", KeyMeta: "Nvr"),
        new("osbs_allow_reuse", OptionShape.Bool),
        new("image_container", OptionShape.VDict, "ImageContainer", ["url"]),
        new("signing_key_id", OptionShape.Str), new("signing_key_password_file", OptionShape.Str),
        new("signing_command", OptionShape.Str),
        // kiwibuild arrived after 4.3.6; configs written for newer Pungi carry it, and DESIGN.md §3 names it
        new("kiwibuild", OptionShape.VDict, "Kiwibuild", ["kiwi_profile", "description_path"]),
        // A.10 deprecated
        new("release_is_layered", OptionShape.Deprecated), new("runroot", OptionShape.Deprecated),
        new("bootable", OptionShape.Deprecated), new("gather_source", OptionShape.Deprecated),
        new("old_composes_per_release_type", OptionShape.Deprecated), new("pdc_url", OptionShape.Deprecated),
        new("pdc_develop", OptionShape.Deprecated), new("pdc_insecure", OptionShape.Deprecated),
        new("keep_original_comps", OptionShape.Deprecated), new("productimg", OptionShape.Deprecated),
    ];

    private static readonly Dictionary<string, KnownOption> ByName = Table.ToDictionary(o => o.Name, StringComparer.Ordinal);

    public static IReadOnlyCollection<KnownOption> All => Table;

    /// <summary>Options Pungi's schema requires (checks.py "required").</summary>
    public static readonly string[] Required = ["release_name", "release_short", "release_version", "variants_file", "pkgset_source", "gather_method"];

    public static KnownOption? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The known option closest to a misspelled one (Levenshtein), or null when none is close.</summary>
    public static string? Suggest(string name)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var o in Table)
        {
            if (o.Shape == OptionShape.Deprecated) continue;
            int d = Levenshtein(name.ToLowerInvariant(), o.Name, bestDistance);
            if (d < bestDistance) { bestDistance = d; best = o.Name; }
        }
        return bestDistance <= Math.Max(2, name.Length / 3) ? best : null;
    }

    private static int Levenshtein(string a, string b, int cap)
    {
        if (Math.Abs(a.Length - b.Length) >= cap) return cap;
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}

/// <summary>Pungi names to MSBuild names.</summary>
public static class Naming
{
    /// <summary><c>foo_bar-baz</c> → <c>FooBarBaz</c> (DESIGN.md §3: <c>createrepo_checksum</c> → <c>CreaterepoChecksum</c>).</summary>
    public static string Pascal(string name)
    {
        var sb = new System.Text.StringBuilder(name.Length);
        bool up = true;
        foreach (var c in name)
        {
            if (c is '_' or '-' or ' ' or '.') { up = true; continue; }
            if (char.IsAsciiLetterOrDigit(c)) { sb.Append(up ? char.ToUpperInvariant(c) : c); up = false; }
            else { sb.Append('_'); up = true; }
        }
        if (sb.Length == 0 || char.IsAsciiDigit(sb[0])) sb.Insert(0, '_');
        return sb.ToString();
    }
}
