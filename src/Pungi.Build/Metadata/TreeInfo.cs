using System.Globalization;
using System.Security.Cryptography;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Variants;

namespace Pungi.Build.Metadata;

/// <summary>A <c>[variant-…]</c> or <c>[addon-…]</c> section of a .treeinfo.</summary>
public sealed record TreeInfoVariant
{
    public required string Id { get; init; }
    public required string Uid { get; init; }
    public required string Name { get; init; }
    /// <summary><c>variant</c>, <c>optional</c> or <c>addon</c> (treeinfo VARIANT_TYPES).</summary>
    public required string Type { get; init; }
    public string? Parent { get; init; }
    public string? Packages { get; init; }
    public string? Repository { get; init; }
    public string? SourcePackages { get; init; }
    public string? SourceRepository { get; init; }
    public string? DebugPackages { get; init; }
    public string? DebugRepository { get; init; }
    public string? Identity { get; init; }
}

/// <summary>
/// <c>.treeinfo</c> (productmd treeinfo 1.2, spec §6.7): the typed content and productmd's exact INI output,
/// including the <c>[general]</c> compatibility section productmd derives from the rest.
/// </summary>
public sealed class TreeInfo
{
    public const string HeaderType = "productmd.treeinfo";
    public const string Version = "1.2";

    public string ReleaseName { get; set; } = "";
    public string ReleaseShort { get; set; } = "";
    public string ReleaseVersion { get; set; } = "";
    public bool IsLayered { get; set; }
    /// <summary>(name, short, version) of the base product; written only when layered.</summary>
    public (string Name, string Short, string Version)? BaseProduct { get; set; }

    public string Arch { get; set; } = "";
    public long BuildTimestamp { get; set; }
    public SortedSet<string> Platforms { get; } = new(StringComparer.Ordinal);

    /// <summary>Every variant section; children name their parent UID.</summary>
    public List<TreeInfoVariant> Variants { get; } = [];

    /// <summary>The variant <c>[general]</c> describes; default: the first top-level variant by UID.</summary>
    public string? MainVariant { get; set; }

    /// <summary>platform → image kind (<c>kernel</c>, <c>initrd</c>, <c>boot.iso</c>, …) → path in the tree.</summary>
    public SortedDictionary<string, SortedDictionary<string, string>> Images { get; } = new(StringComparer.Ordinal);

    /// <summary>path in the tree → (checksum type, hex).</summary>
    public SortedDictionary<string, (string Type, string Hex)> Checksums { get; } = new(StringComparer.Ordinal);

    public string? Stage2MainImage { get; set; }
    public string? Stage2InstImage { get; set; }

    /// <summary><c>[media]</c>, only on ISO media.</summary>
    public int? DiscNum { get; set; }
    public int? TotalDiscs { get; set; }

    private IEnumerable<TreeInfoVariant> TopLevel => Variants.Where(v => v.Parent is null).OrderBy(v => v.Uid, StringComparer.Ordinal);

    public IniFile ToIni()
    {
        if (TopLevel.FirstOrDefault() is null)
            throw new PungiException(ErrorCodes.MetadataInvalid, ".treeinfo needs at least one top-level variant.");
        var ini = new IniFile();
        ini.Set("header", "type", HeaderType);
        ini.Set("header", "version", Version);
        ini.Set("release", "name", ReleaseName);
        ini.Set("release", "short", ReleaseShort);
        ini.Set("release", "version", ReleaseVersion);
        if (IsLayered)
        {
            ini.Set("release", "is_layered", "true");
            if (BaseProduct is { } bp)
            {
                ini.Set("base_product", "name", bp.Name);
                ini.Set("base_product", "short", bp.Short);
                ini.Set("base_product", "version", bp.Version);
            }
        }
        var platforms = string.Join(',', Platforms.Append(Arch).Distinct().Order(StringComparer.Ordinal));
        ini.Set("tree", "arch", Arch);
        ini.Set("tree", "build_timestamp", BuildTimestamp.ToString(CultureInfo.InvariantCulture));
        ini.Set("tree", "platforms", platforms);
        ini.Set("tree", "variants", string.Join(',', TopLevel.Select(v => v.Uid)));

        foreach (var v in Variants)
        {
            var section = (v.Type == "addon" ? "addon-" : "variant-") + v.Uid;
            ini.Set(section, "id", v.Id);
            ini.Set(section, "uid", v.Uid);
            ini.Set(section, "name", v.Name);
            ini.Set(section, "type", v.Type);
            if (v.Parent is not null)
                ini.Set(section, "parent", v.Parent);
            void Opt(string key, string? value)
            {
                if (value is not null)
                    ini.Set(section, key, value);
            }
            Opt("packages", v.Packages);
            Opt("repository", v.Repository);
            Opt("source_packages", v.SourcePackages);
            Opt("source_repository", v.SourceRepository);
            Opt("debug_packages", v.DebugPackages);
            Opt("debug_repository", v.DebugRepository);
            Opt("identity", v.Identity);
            var addons = Variants.Where(c => c.Parent == v.Uid && c.Type == "addon").Select(c => c.Uid).Order(StringComparer.Ordinal).ToList();
            if (addons.Count > 0)
                ini.Set(section, "addons", string.Join(',', addons));
        }
        foreach (var (path, (type, hex)) in Checksums)
            ini.Set("checksums", path, $"{type}:{hex}");
        foreach (var (platform, images) in Images)
            foreach (var (kind, path) in images)
                ini.Set("images-" + platform, kind, path);
        if (Stage2MainImage is not null)
            ini.Set("stage2", "mainimage", Stage2MainImage);
        if (Stage2InstImage is not null)
            ini.Set("stage2", "instimage", Stage2InstImage);
        if (DiscNum is not null)
            ini.Set("media", "discnum", DiscNum.Value.ToString(CultureInfo.InvariantCulture));
        if (TotalDiscs is not null)
            ini.Set("media", "totaldiscs", TotalDiscs.Value.ToString(CultureInfo.InvariantCulture));

        // productmd writes a [general] section for pre-productmd readers (anaconda, old tools).
        var main = (MainVariant is null ? null : Variants.FirstOrDefault(v => v.Uid == MainVariant)) ?? TopLevel.First();
        ini.Set("general", "; WARNING.0", "This section provides compatibility with pre-productmd treeinfos.");
        ini.Set("general", "; WARNING.1", "Read productmd documentation for details about new format.");
        ini.Set("general", "family", ReleaseName);
        ini.Set("general", "version", ReleaseVersion);
        ini.Set("general", "name", $"{ReleaseName} {ReleaseVersion}");
        ini.Set("general", "timestamp", BuildTimestamp.ToString(CultureInfo.InvariantCulture));
        ini.Set("general", "arch", Arch);
        ini.Set("general", "platforms", platforms);
        ini.Set("general", "variants", string.Join(',', TopLevel.Select(v => v.Id).Order(StringComparer.Ordinal)));
        ini.Set("general", "variant", main.Id);
        var packagedir = Arch == "src" ? main.SourcePackages ?? main.Packages : main.Packages;
        if (packagedir is not null)
            ini.Set("general", "packagedir", packagedir);
        var repository = Arch == "src" ? main.SourceRepository ?? main.Repository : main.Repository;
        if (repository is not null)
            ini.Set("general", "repository", repository);
        return ini;
    }

    public string Serialize() => ToIni().Serialize();

    public bool Write(string path) => AtomicFile.WriteIfChanged(path, Serialize());

    public static TreeInfo Read(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>
    /// Reads productmd 1.x treeinfos (the <c>[general]</c> section is ignored, as productmd does) and, for
    /// pre-productmd files without <c>[header]</c>, the release/arch/timestamp/images/checksums/stage2 of
    /// <c>[general]</c> (lorax writes such files).
    /// </summary>
    public static TreeInfo Parse(string text, string? file = null)
    {
        var ini = IniFile.Parse(text, file);
        var ti = new TreeInfo();
        string Req(string section, string key) => ini.Get(section, key)
            ?? throw new PungiException(ErrorCodes.TreeinfoMalformed, $".treeinfo has no '{key}' in [{section}].", file);
        if (!ini.HasSection("header"))
        {
            ti.ReleaseName = ini.Get("general", "family") ?? "";
            ti.ReleaseShort = ti.ReleaseName; // lorax's treeinfo may lack a short name; Pungi tolerates that
            ti.ReleaseVersion = ini.Get("general", "version") ?? "";
            ti.Arch = ini.Get("general", "arch") ?? "";
            ti.BuildTimestamp = ParseTimestamp(ini.Get("general", "timestamp"), file);
        }
        else
        {
            if (ini.Get("header", "type") is { } type && type != HeaderType)
                throw new PungiException(ErrorCodes.UnsupportedMetadataVersion, $".treeinfo header type '{type}' is not {HeaderType}.", file);
            ti.ReleaseName = Req("release", "name");
            ti.ReleaseShort = ini.Get("release", "short") ?? ti.ReleaseName;
            ti.ReleaseVersion = Req("release", "version");
            ti.IsLayered = ini.Get("release", "is_layered") is "true" or "True";
            if (ini.HasSection("base_product"))
                ti.BaseProduct = (Req("base_product", "name"), Req("base_product", "short"), Req("base_product", "version"));
            ti.Arch = Req("tree", "arch");
            ti.BuildTimestamp = ParseTimestamp(ini.Get("tree", "build_timestamp"), file);
            foreach (var p in (ini.Get("tree", "platforms") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
                ti.Platforms.Add(p);
            ti.MainVariant = null;
            foreach (var (section, keys) in ini.Sections)
            {
                if (!section.StartsWith("variant-", StringComparison.Ordinal) && !section.StartsWith("addon-", StringComparison.Ordinal))
                    continue;
                string? G(string k) => keys.GetValueOrDefault(k);
                ti.Variants.Add(new TreeInfoVariant
                {
                    Id = G("id") ?? throw new PungiException(ErrorCodes.TreeinfoMalformed, $"[{section}] has no id.", file),
                    Uid = G("uid") ?? section[(section.IndexOf('-', StringComparison.Ordinal) + 1)..],
                    Name = G("name") ?? "",
                    Type = G("type") ?? (section.StartsWith("addon-", StringComparison.Ordinal) ? "addon" : "variant"),
                    Parent = G("parent"),
                    Packages = G("packages"),
                    Repository = G("repository"),
                    SourcePackages = G("source_packages"),
                    SourceRepository = G("source_repository"),
                    DebugPackages = G("debug_packages"),
                    DebugRepository = G("debug_repository"),
                    Identity = G("identity"),
                });
            }
            if (ini.Get("media", "discnum") is { } dn)
                ti.DiscNum = int.Parse(dn, CultureInfo.InvariantCulture);
            if (ini.Get("media", "totaldiscs") is { } td)
                ti.TotalDiscs = int.Parse(td, CultureInfo.InvariantCulture);
        }
        foreach (var (section, keys) in ini.Sections)
        {
            if (!section.StartsWith("images-", StringComparison.Ordinal))
                continue;
            var platform = section["images-".Length..];
            var images = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (k, v) in keys)
                images[k] = v;
            ti.Images[platform] = images;
            if (!ini.HasSection("header"))
                ti.Platforms.Add(platform);
        }
        if (ini.Sections.TryGetValue("checksums", out var sums))
            foreach (var (path, value) in sums)
            {
                var colon = value.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                    throw new PungiException(ErrorCodes.TreeinfoMalformed, $"Checksum of {path} is not <type>:<hex>.", file);
                ti.Checksums[path] = (value[..colon], value[(colon + 1)..]);
            }
        ti.Stage2MainImage = ini.Get("stage2", "mainimage");
        ti.Stage2InstImage = ini.Get("stage2", "instimage");
        return ti;
    }

    private static long ParseTimestamp(string? value, string? file)
    {
        if (string.IsNullOrEmpty(value))
            return 0;
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            throw new PungiException(ErrorCodes.TreeinfoMalformed, $"Timestamp '{value}' is not a number.", file);
        return (long)d; // productmd: int(float(...))
    }

    /// <summary>
    /// The .treeinfo Pungi writes for <paramref name="variant"/> on <paramref name="arch"/> (or <c>src</c>), spec
    /// §6.7: release (or the layered product's own), the variant and its addons with paths relative to the tree
    /// (<c>.</c> when identical), <c>[tree]</c> with the given build timestamp. Buildinstall data is merged with
    /// <see cref="MergeBuildinstall"/>, checksums with <see cref="AddChecksums"/>.
    /// </summary>
    public static TreeInfo ForVariant(ComposeInfo compose, Variant variant, string arch, ComposeLayout layout, long timestamp,
        string? treeinfoVersion = null)
    {
        if (variant.Type == VariantType.Addon)
            throw new ArgumentException("Addons have no .treeinfo of their own; they are listed in their parent's.", nameof(variant));
        var ti = new TreeInfo { Arch = arch, BuildTimestamp = timestamp };
        if (variant.Type == VariantType.LayeredProduct && variant.Release is { } lp)
        {
            ti.ReleaseName = lp.Name;
            ti.ReleaseShort = lp.Short;
            ti.ReleaseVersion = lp.Version;
            ti.IsLayered = true;
            ti.BaseProduct = (compose.Release.Name, compose.Release.Short, compose.Release.MajorVersion);
        }
        else
        {
            ti.ReleaseName = compose.Release.Name;
            ti.ReleaseShort = compose.Release.Short;
            ti.ReleaseVersion = treeinfoVersion ?? compose.Release.Version;
            if (compose.BaseProduct is { } bp)
            {
                ti.IsLayered = true;
                ti.BaseProduct = (bp.Name, bp.Short, bp.Version);
            }
        }
        var tree = layout.OsTree(variant, arch);
        string Rel(string p) => ComposeLayout.Relative(tree, p);
        // treeinfo knows variant/optional/addon only: a layered product's tree presents itself as its parent variant
        // (id, uid and name of the parent, type variant), as upstream's write_tree_info does.
        var shown = variant.Type == VariantType.LayeredProduct && variant.Parent is { } parent ? parent : variant;
        ti.Variants.Add(new TreeInfoVariant
        {
            Id = shown.MetadataId,
            Uid = shown.Uid,
            Name = shown.Name,
            Type = variant.Type == VariantType.LayeredProduct ? "variant" : variant.Type.ToName(),
            Packages = Rel(layout.Packages(variant, arch)),
            Repository = Rel(layout.Repository(variant, arch)),
        });
        foreach (var addon in variant.GetVariants(arch, [VariantType.Addon]))
        {
            ti.Variants.Add(new TreeInfoVariant
            {
                Id = addon.Id,
                Uid = addon.Uid,
                Name = addon.Name,
                Type = "addon",
                Parent = shown.Uid,
                Packages = Rel(layout.Packages(addon, arch)),
                Repository = Rel(layout.Repository(addon, arch)),
            });
        }
        ti.MainVariant = shown.Uid;
        return ti;
    }

    /// <summary>
    /// Copies what lorax's own .treeinfo (<c>work/&lt;arch&gt;/buildinstall/&lt;V&gt;/.treeinfo</c>) says about boot
    /// images: <c>stage2</c> mainimage/instimage and every <c>[images-&lt;platform&gt;]</c> entry with a path
    /// (platforms join <c>[tree] platforms</c>).
    /// </summary>
    public void MergeBuildinstall(TreeInfo lorax)
    {
        Stage2MainImage = lorax.Stage2MainImage ?? Stage2MainImage;
        Stage2InstImage = lorax.Stage2InstImage ?? Stage2InstImage;
        foreach (var (platform, images) in lorax.Images)
        {
            foreach (var (kind, path) in images)
            {
                if (string.IsNullOrEmpty(path))
                    continue;
                if (!Images.TryGetValue(platform, out var mine))
                    Images[platform] = mine = new SortedDictionary<string, string>(StringComparer.Ordinal);
                mine[kind] = path;
                Platforms.Add(platform);
            }
        }
    }

    /// <summary>
    /// <c>[checksums]</c>: every image and stage2 file that exists under <paramref name="treeDir"/>, hashed with
    /// <paramref name="checksumType"/> (createrepo_checksum: sha256, sha1, sha512, md5). The repomd.xml checksum is
    /// not added for trees, matching what upstream effectively writes (Appendix B).
    /// </summary>
    public void AddChecksums(string treeDir, string checksumType = "sha256")
    {
        var paths = Images.Values.SelectMany(i => i.Values)
            .Concat(new[] { Stage2MainImage, Stage2InstImage }.OfType<string>())
            .Distinct(StringComparer.Ordinal);
        foreach (var rel in paths)
        {
            var full = Path.Combine(treeDir, rel);
            if (File.Exists(full))
                Checksums[rel] = (checksumType, FileChecksum(full, checksumType));
        }
    }

    /// <summary>Lowercase hex digest of a file, streamed.</summary>
    public static string FileChecksum(string path, string checksumType)
    {
        using var stream = File.OpenRead(path);
        byte[] hash = checksumType switch
        {
            "sha256" => SHA256.HashData(stream),
            "sha1" => SHA1.HashData(stream),
            "sha512" => SHA512.HashData(stream),
            "sha384" => SHA384.HashData(stream),
            "md5" => MD5.HashData(stream),
            _ => throw new PungiException(ErrorCodes.MetadataInvalid, $"Unknown checksum type '{checksumType}': use sha256, sha1, sha512, sha384 or md5."),
        };
        return Convert.ToHexStringLower(hash);
    }
}
