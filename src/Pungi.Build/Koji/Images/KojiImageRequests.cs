using System.Globalization;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Variants;

namespace Pungi.Build.Koji.Images;

/// <summary>One config block of an image phase: the item's Include and its metadata (PascalCase keys, DESIGN.md §3).</summary>
public sealed record KojiImageBlock(string Include, IReadOnlyDictionary<string, string> Metadata, string? File = null, int Line = 0)
{
    public string? Get(string key) => Metadata.TryGetValue(key, out var v) && v.Length > 0 ? v : null;

    /// <summary>A list setting (MSBuild <c>;</c>-separated; <c>,</c> also accepted as Pungi's INI lists use it).</summary>
    public IReadOnlyList<string> List(string key)
        => Get(key) is { } v ? v.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];

    public bool? Bool(string key) => Get(key) is { } v ? v.Equals("true", StringComparison.OrdinalIgnoreCase) || v == "1" : null;

    public string Require(string key, string what)
        => Get(key) ?? throw new PungiException(ErrorCodes.KojiImageConfigMissing, $"{what} '{Include}' needs {key}.", File, Line);
}

/// <summary>What the request builders need of the compose: its identity, the variants and how paths become URLs the
/// builders can reach (<c>translate_paths</c>).</summary>
public sealed class KojiImageContext
{
    public required ComposeInfo Compose { get; init; }
    public required VariantModel Variants { get; init; }
    public required ComposeLayout Layout { get; init; }
    /// <summary>Settings outside the block, looked up as upstream does: <c>&lt;phase&gt;_&lt;opt&gt;</c> then <c>global_&lt;opt&gt;</c>
    /// (keys in snake_case, e.g. <c>image_build_target</c>, <c>global_ksurl</c>).</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();
    /// <summary><c>translate_paths</c>: (local prefix, URL prefix) pairs.</summary>
    public IReadOnlyList<(string Local, string Url)> TranslatePaths { get; init; } = [];

    /// <summary>Pungi <c>translate_path</c>: the first matching local prefix becomes its URL; otherwise the path itself.</summary>
    public string Translate(string path)
    {
        foreach (var (local, url) in TranslatePaths)
        {
            var prefix = local.TrimEnd('/') + "/";
            if (path.StartsWith(prefix, StringComparison.Ordinal)) return url.TrimEnd('/') + "/" + path[prefix.Length..];
        }
        return path;
    }

    public Variant Variant(string uid, KojiImageBlock block)
        => Variants.All.FirstOrDefault(v => v.Uid == uid)
            ?? throw new PungiException(ErrorCodes.KojiImageUnknownVariant, $"'{block.Include}' names variant '{uid}', which this compose does not have.", block.File, block.Line);

    /// <summary>The variant's repository URL with <paramref name="arch"/> (e.g. <c>$basearch</c>) for the tree arch.</summary>
    public string RepositoryUrl(Variant v, string arch)
        => Translate(Layout.Repository(v, arch));

    public string OsTreeUrl(Variant v, string arch)
        => Translate(Layout.OsTree(v, arch));

    /// <summary>Upstream's generic lookup: the block's value, then <c>&lt;phase&gt;_&lt;opt&gt;</c>, then <c>global_&lt;opt&gt;</c>.</summary>
    public string? Lookup(KojiImageBlock block, string blockKey, string phase, string opt)
        => block.Get(blockKey)
            ?? (Options.TryGetValue($"{phase}_{opt}", out var p) && p.Length > 0 ? p : null)
            ?? (Options.TryGetValue($"global_{opt}", out var g) && g.Length > 0 ? g : null);

    /// <summary>Repo entries: a variant UID becomes that variant's repository (with <paramref name="arch"/>), a URL stays.</summary>
    public List<string> RepoUrls(IEnumerable<string> entries, string arch)
        => entries.Select(r => Variants.All.FirstOrDefault(v => v.Uid == r) is { } v ? RepositoryUrl(v, arch) : r.Replace("$arch", arch, StringComparison.Ordinal)).ToList();
}

/// <summary>
/// The hub call of each image phase, shaped as upstream makes it: directly over XML-RPC (osbuild, kiwibuild, osbs,
/// image_container) or as the koji CLI Pungi runs turns its options into <c>buildImage</c>/<c>buildImageOz</c>
/// (spin-livecd, spin-appliance, spin-livemedia, image-build).
/// </summary>
public static class KojiImageRequests
{
    private static List<string> Arches(Variant v, KojiImageBlock block)
    {
        var wanted = block.List("Arches");
        return v.Arches.Where(a => wanted.Count == 0 || wanted.Contains(a)).ToList();
    }

    private static IReadOnlyList<string> Failable(KojiImageBlock block, IReadOnlyList<string> arches)
    {
        // failable: ["*"] or a list of arches; "true" is accepted as all
        var f = block.List("Failable");
        if (f.Count == 1 && f[0].Equals("true", StringComparison.OrdinalIgnoreCase)) return ["*"];
        return f.Contains("*") ? ["*"] : f.Where(arches.Contains).ToList();
    }

    private static string Version(KojiImageContext ctx, KojiImageBlock block, string phase)
        => ctx.Compose.ResolveVersion(ctx.Lookup(block, "Version", phase, "version"), block.File) ?? ctx.Compose.ImageVersion;

    private static string? Release(KojiImageContext ctx, KojiImageBlock block, string phase)
        => ctx.Compose.ResolveVersion(ctx.Lookup(block, "Release", phase, "release"), block.File);

    private static string Target(KojiImageContext ctx, KojiImageBlock block, string phase, string what)
        => ctx.Lookup(block, "Target", phase, "target")
            ?? throw new PungiException(ErrorCodes.KojiImageConfigMissing, $"{what} '{block.Include}' needs a Koji target: Target metadata, or the {ToPascal(phase)}Target or GlobalTarget property.", block.File, block.Line);

    private static string ToPascal(string snake) => string.Concat(snake.Split('_').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));

    /// <summary>The koji CLI puts an option in the hub opts only when it was given (optparse default None).</summary>
    private static void Put(List<KeyValuePair<string, object?>> opts, string key, object? value)
    {
        if (value is null) return;
        if (value is IReadOnlyList<string> { Count: 0 }) return;
        opts.Add(new(key, value));
    }

    private static Dictionary<string, object?> Dict(List<KeyValuePair<string, object?>> pairs)
    {
        var d = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in pairs) d[k] = v;
        return d;
    }

    /// <summary>
    /// live_media (spec §2.11): one <c>spin-livemedia</c> per block for all arches →
    /// <c>buildImage(name, version, [arches], target, ksfile, "livemedia", opts=, priority=None)</c>.
    /// </summary>
    public static KojiImageRequest LiveMedia(KojiImageContext ctx, Variant variant, KojiImageBlock block)
    {
        const string phase = "live_media";
        var kickstart = block.Require("Kickstart", "LiveMedia");
        var arches = Arches(variant, block);
        var failable = Failable(block, arches);
        var subvariant = block.Get("Subvariant") ?? variant.Uid;
        var treeFrom = block.Get("InstallTreeFrom") is { } from ? ctx.Variant(from, block) : variant;
        var repos = new List<string>();
        if (!variant.IsEmpty) repos.Add(ctx.RepositoryUrl(variant, "$basearch"));
        repos.AddRange(ctx.RepoUrls(block.List("Repo"), "$basearch"));
        var opts = new List<KeyValuePair<string, object?>>();
        Put(opts, "install_tree_url", ctx.OsTreeUrl(treeFrom, "$basearch"));
        Put(opts, "ksurl", ctx.Lookup(block, "Ksurl", phase, "ksurl"));
        Put(opts, "release", Release(ctx, block, phase));
        Put(opts, "repo", repos);
        Put(opts, "scratch", block.Bool("Scratch") == true ? true : null);
        Put(opts, "skip_tag", block.Bool("SkipTag") == true ? true : null);
        var optional = failable.Contains("*") ? arches : failable;
        Put(opts, "optional_arches", optional.Count > 0 ? optional.ToList() : null);
        Put(opts, "nomacboot", block.Bool("Nomacboot") == true ? true : null);
        var name = block.Include;
        return new KojiImageRequest
        {
            Phase = KojiImagePhase.LiveMedia, Variant = variant.Uid, Arches = arches, FailableArches = failable, Subvariant = subvariant,
            Method = "buildImage",
            Args = [name, Version(ctx, block, phase), arches.ToList(), Target(ctx, block, phase, "LiveMedia"), kickstart, "livemedia"],
            Kwargs = [new("opts", Dict(opts)), new("priority", null)],
            Destination = KojiImageDestination.Iso, ImageType = "live", Scratch = block.Bool("Scratch") == true,
        };
    }

    /// <summary>
    /// live_images (spec §2.10): per arch <c>spin-livecd</c> / <c>spin-appliance</c> →
    /// <c>buildImage(name, version, arch, target, ksfile, "livecd"|"appliance", opts=, priority=None)</c>;
    /// <c>--scratch</c> unless an RPM-wrapped (specfile) non-scratch build.
    /// </summary>
    public static IEnumerable<KojiImageRequest> LiveImages(KojiImageContext ctx, Variant variant, KojiImageBlock block)
    {
        const string phase = "live_images";
        var type = block.Get("Type") ?? "live";
        var appliance = type == "appliance";
        var subvariant = block.Get("Subvariant") ?? variant.Uid;
        var arches = Arches(variant, block);
        var failable = Failable(block, arches);
        var repos = new List<string>();
        if (!variant.IsEmpty) repos.Add(ctx.RepositoryUrl(variant, "$basearch"));
        repos.AddRange(ctx.RepoUrls(block.List("Repo"), "$basearch"));
        var specfile = block.Get("Specfile");
        var scratch = specfile is null || block.Bool("Scratch") == true;
        var version = ctx.Lookup(block, "Version", phase, "version") is { } v ? ctx.Compose.ResolveVersion(v, block.File)! : ctx.Compose.Id[(ctx.Compose.Id.LastIndexOf('-') + 1)..];
        var target = Target(ctx, block, phase, "LiveImage");
        foreach (var arch in arches)
        {
            var opts = new List<KeyValuePair<string, object?>>();
            Put(opts, "format", block.Get("Format"));
            Put(opts, "ksurl", ctx.Lookup(block, "Ksurl", phase, "ksurl"));
            Put(opts, "release", Release(ctx, block, phase));
            Put(opts, "repo", repos.Select(r => r.Replace("$basearch", arch, StringComparison.Ordinal)).ToList());
            Put(opts, "scratch", scratch ? true : null);
            Put(opts, "specfile", specfile);
            var name = block.Get("Name") ?? $"{ctx.Compose.Release.Short}-{subvariant}-{(appliance ? "Disk" : "Live")}-{arch}";
            string? fileName = null;
            if (!appliance && block.Bool("NoRename") != true)
                fileName = block.Get("Name") is { } n ? $"{n}-{version}-{variant.Uid}-{arch}-live.iso" : $"{ctx.Compose.Id}-{variant.Uid}-{arch}-live.iso";
            yield return new KojiImageRequest
            {
                Phase = KojiImagePhase.LiveImages, Variant = variant.Uid, Arches = [arch], FailableArches = failable, Subvariant = subvariant,
                Method = "buildImage",
                Args = [name, version, arch, target, block.Include, appliance ? "appliance" : "livecd"],
                Kwargs = [new("opts", Dict(opts)), new("priority", null)],
                Destination = appliance ? KojiImageDestination.Images : KojiImageDestination.Iso,
                ImageType = appliance ? "raw-xz" : "live", TargetFileName = fileName, Scratch = scratch,
            };
        }
    }

    /// <summary>
    /// image_build (spec §2.12): <c>koji image-build --config=&lt;ini&gt;</c> →
    /// <c>buildImageOz(name, version, arches, target, install_tree, opts=, priority=None)</c> with the INI's values
    /// (lists split at commas as the CLI does, <c>[factory-parameters]</c> as <c>factory_parameter</c> pairs).
    /// </summary>
    public static KojiImageRequest ImageBuild(KojiImageContext ctx, Variant variant, KojiImageBlock block)
    {
        const string phase = "image_build";
        var formats = block.List("Format");
        if (formats.Count == 0)
            throw new PungiException(ErrorCodes.KojiImageConfigMissing, $"ImageBuild '{block.Include}' needs Format (e.g. qcow2;raw-xz).", block.File, block.Line);
        var kickstart = block.Require("Kickstart", "ImageBuild");
        var arches = Arches(variant, block);
        var failable = Failable(block, arches);
        var installTree = block.Get("InstallTree")
            ?? ctx.OsTreeUrl(block.Get("InstallTreeFrom") is { } from ? ctx.Variant(from, block) : variant.Parent ?? variant, "$arch");
        var repos = ctx.RepoUrls(block.List("Repo"), "$arch");
        if (!variant.IsEmpty) repos.Add(ctx.RepositoryUrl(variant, "$arch"));
        // release: explicitly "None" (empty Release metadata given as "None") means image_release
        var release = block.Get("Release") == "None" ? ctx.Compose.ImageRelease : Release(ctx, block, phase);
        var opts = new List<KeyValuePair<string, object?>>();
        Put(opts, "ksurl", ctx.Lookup(block, "Ksurl", phase, "ksurl"));
        Put(opts, "kickstart", kickstart);
        Put(opts, "scratch", block.Bool("Scratch") == true ? true : null);
        Put(opts, "repo", repos);
        Put(opts, "release", release);
        Put(opts, "distro", block.Get("Distro"));
        Put(opts, "format", formats.ToList());
        Put(opts, "disk_size", block.Get("DiskSize"));
        var factory = block.Metadata.Where(kv => kv.Key.StartsWith("FactoryParameters_", StringComparison.Ordinal) && kv.Value.Length > 0)
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (object?)new List<object?> { Snake(kv.Key["FactoryParameters_".Length..]), kv.Value }).ToList();
        Put(opts, "factory_parameter", factory.Count > 0 ? factory : null);
        var optional = failable.Contains("*") ? arches : failable;
        Put(opts, "optional_arches", optional.Count > 0 ? optional.ToList() : null);
        return new KojiImageRequest
        {
            Phase = KojiImagePhase.ImageBuild, Variant = variant.Uid, Arches = arches, FailableArches = failable,
            Subvariant = block.Get("Subvariant") ?? variant.Uid,
            Method = "buildImageOz",
            Args = [block.Include, Version(ctx, block, phase), arches.ToList(), Target(ctx, block, phase, "ImageBuild"), installTree],
            Kwargs = [new("opts", Dict(opts)), new("priority", null)],
            Formats = formats, Scratch = block.Bool("Scratch") == true,
        };
    }

    /// <summary>kiwibuild (spec §2.13): <c>kiwiBuild(target, arches, description_scm, description_path, profile=,
    /// release=, repos=, optional_arches=, …)</c>; keywords Pungi has no value for are not sent.</summary>
    public static KojiImageRequest KiwiBuild(KojiImageContext ctx, Variant variant, KojiImageBlock block)
    {
        const string phase = "kiwibuild";
        var arches = Arches(variant, block);
        var failable = Failable(block, arches);
        var repos = new List<string>();
        if (!variant.IsEmpty) repos.Add(ctx.RepositoryUrl(variant, "$arch"));
        repos.AddRange(ctx.RepoUrls(block.List("Repos"), "$arch"));
        var kw = new List<KeyValuePair<string, object?>>
        {
            new("profile", block.Get("KiwiProfile")),
            new("release", Release(ctx, block, phase)),
            new("repos", repos),
            new("optional_arches", failable.Contains("*") ? arches.ToList() : failable.ToList()),
        };
        if (block.Get("Type") is { } t) kw.Add(new("type", t));
        if (block.Get("TypeAttr") is { } ta) kw.Add(new("type_attr", ta.Split(';', StringSplitOptions.RemoveEmptyEntries).ToList()));
        if (block.Get("BundleNameFormat") is { } bnf) kw.Add(new("result_bundle_name_format", bnf));
        if (ctx.Lookup(block, "Version", phase, "version") is { } ver) kw.Add(new("version", ctx.Compose.ResolveVersion(ver, block.File)));
        return new KojiImageRequest
        {
            Phase = KojiImagePhase.KiwiBuild, Variant = variant.Uid, Arches = arches, FailableArches = failable,
            Subvariant = block.Get("Subvariant") ?? variant.Uid,
            Method = "kiwiBuild",
            Args = [Target(ctx, block, phase, "KiwiBuild"), arches.ToList(), block.Require("DescriptionScm", "KiwiBuild"), block.Include],
            Kwargs = kw.Where(k => k.Value is not null).ToList(),
        };
    }

    /// <summary>osbuild (spec §2.14): <c>osbuildImage(name, version, distro, image_types, target, arches,
    /// opts={"repo": […], ["ostree": {url, ref, parent}], ["release": r]})</c>.</summary>
    public static KojiImageRequest OSBuild(KojiImageContext ctx, Variant variant, KojiImageBlock block)
    {
        const string phase = "osbuild";
        var imageTypes = block.List("ImageTypes");
        if (imageTypes.Count == 0)
            throw new PungiException(ErrorCodes.KojiImageConfigMissing, $"OSBuild '{block.Include}' needs ImageTypes (e.g. qcow2).", block.File, block.Line);
        var arches = Arches(variant, block);
        var failable = Failable(block, arches);
        var repos = new List<string>();
        if (!variant.IsEmpty) repos.Add(ctx.RepositoryUrl(variant, "$arch"));
        repos.AddRange(ctx.RepoUrls(block.List("Repo"), "$arch"));
        var opts = new Dictionary<string, object?>(StringComparer.Ordinal) { ["repo"] = repos };
        var ostree = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (block.Get("OstreeUrl") is { } u) ostree["url"] = u;
        if (block.Get("OstreeRef") is { } r) ostree["ref"] = r;
        if (block.Get("OstreeParent") is { } p) ostree["parent"] = p;
        if (ostree.Count > 0) opts["ostree"] = ostree;
        if (Release(ctx, block, phase) is { } rel) opts["release"] = rel;
        return new KojiImageRequest
        {
            Phase = KojiImagePhase.OSBuild, Variant = variant.Uid, Arches = arches, FailableArches = failable,
            Subvariant = block.Get("Subvariant") ?? variant.Uid,
            Method = "osbuildImage",
            Args = [block.Include, Version(ctx, block, phase), block.Require("Distro", "OSBuild"), imageTypes.ToList(), Target(ctx, block, phase, "OSBuild"), arches.ToList()],
            Kwargs = [new("opts", opts)],
        };
    }

    /// <summary>The keys of an OSBS/ImageContainer block Pungi consumes itself; every other key goes to Koji.</summary>
    private static readonly HashSet<string> ContainerOwnKeys = ["Variant", "Arch", "Target", "Priority", "Failable", "Repo", "Gpgkey", "Registry"];

    /// <summary>
    /// osbs (spec §2.15): <c>buildContainer(url, target, config, priority=)</c>; config = the block's other keys
    /// (snake_case) plus <c>yum_repourls</c>: one <c>.repo</c> file per repository (the variant's first), written
    /// under <c>work/global/tmp-&lt;V&gt;/</c>.
    /// </summary>
    public static KojiImageRequest OSBS(KojiImageContext ctx, Variant variant, KojiImageBlock block)
    {
        var target = block.Require("Target", "OSBS");
        block.Require("GitBranch", "OSBS");
        var gpgkey = block.Get("Gpgkey");
        var config = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in block.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (ContainerOwnKeys.Contains(k) || v.Length == 0 || k.StartsWith("ImageSpec_", StringComparison.Ordinal)) continue;
            config[Snake(k)] = k == "Scratch" ? block.Bool(k) : v;
        }
        var repoFiles = new List<object?>();
        var entries = new List<string> { variant.Uid };
        entries.AddRange(block.List("Repo"));
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (e.Contains("://", StringComparison.Ordinal)) { repoFiles.Add(e.Replace("$COMPOSE_ID", ctx.Compose.Id, StringComparison.Ordinal)); continue; }
            var v = ctx.Variant(e, block);
            var file = Path.Combine(ctx.Layout.WorkTopdir(null), $"tmp-{variant.Uid}", $"compose-rpms-{variant.Uid}-{i + 1}.repo");
            var text = $"[{ctx.Compose.Id}-{v.Uid}-{i + 1}]\nname=Compose {ctx.Compose.Id} (RPMs) - {v.Uid}\nbaseurl={ctx.RepositoryUrl(v, "$basearch")}\nenabled=1\ngpgcheck={(gpgkey is null ? 0 : 1)}\n"
                + (gpgkey is null ? "" : $"gpgkey={gpgkey}\n");
            AtomicFile.WriteIfChanged(file, text);
            repoFiles.Add(ctx.Translate(file));
        }
        config["yum_repourls"] = repoFiles;
        return new KojiImageRequest
        {
            Phase = KojiImagePhase.OSBS, Variant = variant.Uid, Arches = variant.Arches, FailableArches = Failable(block, variant.Arches),
            Method = "buildContainer",
            Args = [block.Include, target, config],
            Kwargs = [new("priority", block.Get("Priority") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : null)],
            Destination = KojiImageDestination.None, Scratch = block.Bool("Scratch") == true,
        };
    }

    /// <summary>
    /// image_container (spec §2.16): the one image of the variant matching every <c>ImageSpec_&lt;attr&gt;</c> regex
    /// becomes a <c>[image-to-include]</c> repo file, then <c>buildContainer</c> as OSBS.
    /// </summary>
    public static KojiImageRequest ImageContainer(KojiImageContext ctx, Variant variant, KojiImageBlock block, IReadOnlyList<(string Variant, string Arch, Iso.CreateisoImage Image)> images)
    {
        var target = block.Require("Target", "ImageContainer");
        var gitBranch = block.Require("GitBranch", "ImageContainer");
        var spec = block.Metadata.Where(kv => kv.Key.StartsWith("ImageSpec_", StringComparison.Ordinal))
            .ToDictionary(kv => Snake(kv.Key["ImageSpec_".Length..]), kv => new System.Text.RegularExpressions.Regex(kv.Value), StringComparer.Ordinal);
        var matches = images.Where(i => i.Variant == variant.Uid && spec.All(s => AttrOf(i.Image, i.Arch, s.Key) is { } val && s.Value.IsMatch(val))).ToList();
        if (matches.Count != 1)
            throw new PungiException(ErrorCodes.KojiImageSpecNoMatch,
                $"ImageContainer '{block.Include}': ImageSpec matches {matches.Count} images of {variant.Uid} (exactly one needed).", block.File, block.Line);
        var (_, arch, image) = matches[0];
        var imagePath = Path.Combine(ctx.Layout.ComposeDir, image.Path).Replace($"/{arch}/", "/$basearch/", StringComparison.Ordinal);
        var file = Path.Combine(ctx.Layout.WorkTopdir(null), $"tmp-{variant.Uid}", $"image-container-{variant.Uid}-1.repo");
        AtomicFile.WriteIfChanged(file, $"[image-to-include]\nname=Location of image to embed\nbaseurl={ctx.Translate(imagePath)}\nenabled=0\ngpgcheck=0\n");
        var config = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["git_branch"] = gitBranch,
            ["yum_repourls"] = new List<object?> { ctx.Translate(file) },
        };
        return new KojiImageRequest
        {
            Phase = KojiImagePhase.ImageContainer, Variant = variant.Uid, Arches = variant.Arches, FailableArches = Failable(block, variant.Arches),
            Method = "buildContainer",
            Args = [block.Include, target, config],
            Kwargs = [new("priority", block.Get("Priority") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : null)],
            Destination = KojiImageDestination.None,
        };
    }

    private static string? AttrOf(Iso.CreateisoImage i, string arch, string attr) => attr switch
    {
        "path" => i.Path,
        "type" => i.Type,
        "format" => i.Format,
        "arch" => arch,
        "subvariant" => i.Subvariant,
        _ => null,
    };

    /// <summary><c>GitBranch</c> → <c>git_branch</c> (metadata names back to Pungi's keys).</summary>
    public static string Snake(string pascal)
    {
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0 && pascal[i - 1] != '_') sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
