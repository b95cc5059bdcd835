using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Metadata;

/// <summary>productmd RPM_ARCHES and categories (spec §6.10).</summary>
public static class ProductmdEnums
{
    public static IReadOnlySet<string> RpmArches { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "aarch64", "alpha", "alphaev4", "alphaev45", "alphaev5", "alphaev56", "alphaev6", "alphaev67", "alphaev68",
        "alphaev7", "alphapca56", "amd64", "arm64", "armhfp", "armv5tejl", "armv5tel", "armv5tl", "armv6hl", "armv6l",
        "armv7hl", "armv7hnl", "armv7l", "armv8hl", "armv8l", "athlon", "geode", "i386", "i486", "i586", "i686",
        "ia32e", "ia64", "loongarch64", "mips", "mips64", "mips64el", "mipsel", "ppc", "ppc64", "ppc64iseries",
        "ppc64le", "ppc64p7", "ppc64pseries", "riscv128", "riscv32", "riscv64", "s390", "s390x", "sh3", "sh4", "sh4a",
        "sparc", "sparc64", "sparc64v", "sparcv8", "sparcv9", "sparcv9v", "x86_64", "src", "nosrc", "noarch",
    };

    public static IReadOnlyList<string> RpmCategories { get; } = ["binary", "debug", "source"];
}

/// <summary>One RPM of rpms.json.</summary>
public sealed record RpmEntry(string Path, string? Sigkey, string Category);

/// <summary>
/// <c>compose/metadata/rpms.json</c> (productmd.rpms 1.2, spec §6.2): variant → arch → srpm NEVRA → rpm NEVRA →
/// {path, sigkey, category}. <see cref="Add"/> applies productmd's <c>Rpms.add</c> checks; the writer streams.
/// </summary>
public sealed partial class RpmsJson(ComposeHeader compose)
{
    public const string HeaderType = "productmd.rpms";

    // Source-generated: every entry's NEVRA and SRPM NEVRA are matched, and the interpreter cost ~10 µs a match.
    [GeneratedRegex(@"^(.*/)?(?<name>.*)-((?<epoch>\d+):)?(?<version>.*)-(?<release>.*)\.(?<arch>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex NevraRegex();

    public ComposeHeader Compose { get; } = compose;

    private readonly HashSet<string> _checkedSrpms = new(StringComparer.Ordinal);

    public SortedDictionary<string, SortedDictionary<string, SortedDictionary<string, SortedDictionary<string, RpmEntry>>>> Rpms { get; } =
        new(StringComparer.Ordinal);

    /// <summary>
    /// productmd <c>Rpms.add</c>: <paramref name="arch"/> is the tree arch (never src/nosrc: sources go under every
    /// binary arch), NEVRAs carry the epoch (<c>bash-0:5.2.26-3.fc41.x86_64</c>), a source package has no
    /// <paramref name="srpmNevra"/> and is filed under its own NEVRA, a binary/debug package must name its SRPM.
    /// </summary>
    public void Add(string variant, string arch, string nevra, string path, string? sigkey, string category, string? srpmNevra = null)
    {
        if (!ProductmdEnums.RpmArches.Contains(arch))
            throw Invalid($"Arch '{arch}' is not a productmd RPM arch.");
        if (arch is "src" or "nosrc")
            throw Invalid("Source arch is not allowed as a tree arch: map source files under binary arches.");
        if (!ProductmdEnums.RpmCategories.Contains(category))
            throw Invalid($"Category '{category}' is not one of binary, debug, source.");
        if (path.StartsWith('/'))
            throw Invalid($"Relative path expected: {path}");
        var rpmArch = ParseNevra(nevra).Arch;
        // Many binaries name one SRPM: each SRPM NEVRA is checked once (one that fails throws every time).
        if (srpmNevra is not null && !_checkedSrpms.Contains(srpmNevra))
        {
            ParseNevra(srpmNevra);
            _checkedSrpms.Add(srpmNevra);
        }
        if (category == "source")
        {
            if (srpmNevra is not null)
                throw Invalid($"Expected no srpm NEVRA for source package {nevra}.");
            if (rpmArch is not ("src" or "nosrc"))
                throw Invalid($"Source package {nevra} has a non-source arch.");
            srpmNevra = nevra;
        }
        else if (srpmNevra is null)
        {
            throw Invalid($"Missing srpm NEVRA for package {nevra}.");
        }
        Get(Get(Get(Rpms, variant), arch), srpmNevra)[nevra] = new RpmEntry(path, sigkey?.ToLowerInvariant(), category);
    }

    private static SortedDictionary<string, T> Get<T>(SortedDictionary<string, SortedDictionary<string, T>> d, string key)
    {
        if (!d.TryGetValue(key, out var v))
            d[key] = v = new SortedDictionary<string, T>(StringComparer.Ordinal);
        return v;
    }

    /// <summary>Splits <c>name-epoch:version-release.arch</c>; the epoch is required.</summary>
    public static (string Name, string Epoch, string Version, string Release, string Arch) ParseNevra(string nevra)
    {
        var m = NevraRegex().Match(nevra);
        if (!m.Success || !m.Groups["epoch"].Success)
            throw Invalid($"Missing epoch in NEVRA: {nevra}");
        return (m.Groups["name"].Value, m.Groups["epoch"].Value, m.Groups["version"].Value, m.Groups["release"].Value, m.Groups["arch"].Value);
    }

    private static PungiException Invalid(string message) => new(ErrorCodes.MetadataInvalid, "rpms.json: " + message);

    public void WriteTo(TextWriter output)
        => WriteTo(output, Compose, Rpms.Select(v => (v.Key, v.Value.Select(a => (a.Key, (Action<PyJsonWriter>)(w => WriteArch(w, a.Value)))))));

    /// <summary>The depth of a variant.arch value in the file (root, payload, rpms, variant): a fragment's base depth.</summary>
    public const int ArchDepth = 4;

    /// <summary>
    /// The whole file from its variants and, for each, its arches in sorted order, each arch's value written by its
    /// action (the model's own entries, or a fragment serialised earlier at <see cref="ArchDepth"/>).
    /// </summary>
    public static void WriteTo(TextWriter output, ComposeHeader compose, IEnumerable<(string Variant, IEnumerable<(string Arch, Action<PyJsonWriter> Write)> Arches)> variants)
    {
        var w = new PyJsonWriter(output);
        w.StartObject();
        w.Key("header");
        w.StartObject();
        w.Property("type", HeaderType);
        w.Property("version", ProductmdJson.Version);
        w.EndObject();
        w.Key("payload");
        w.StartObject();
        w.Key("compose");
        WriteCompose(w, compose);
        w.Key("rpms");
        w.StartObject();
        foreach (var (variant, arches) in variants)
        {
            w.Key(variant);
            w.StartObject();
            foreach (var (arch, write) in arches)
            {
                w.Key(arch);
                write(w);
            }
            w.EndObject();
        }
        w.EndObject();
        w.EndObject();
        w.EndObject();
    }

    /// <summary>One variant.arch: srpm NEVRA → rpm NEVRA → {category, path, sigkey}.</summary>
    public static void WriteArch(PyJsonWriter w, SortedDictionary<string, SortedDictionary<string, RpmEntry>> srpms)
    {
        w.StartObject();
        foreach (var (srpm, rpms) in srpms)
        {
            w.Key(srpm);
            w.StartObject();
            foreach (var (nevra, e) in rpms)
            {
                w.Key(nevra);
                w.StartObject();
                w.Property("category", e.Category);
                w.Property("path", e.Path);
                w.Property("sigkey", e.Sigkey);
                w.EndObject();
            }
            w.EndObject();
        }
        w.EndObject();
    }

    internal static void WriteCompose(PyJsonWriter w, ComposeHeader c)
    {
        w.StartObject();
        w.Property("date", c.Date);
        if (c.Label is not null)
            w.Property("final", c.Final);
        w.Property("id", c.Id);
        if (c.Label is not null)
            w.Property("label", c.Label);
        w.Property("respin", c.Respin);
        w.Property("type", c.Type);
        w.EndObject();
    }

    public string Serialize()
    {
        using var sw = new StringWriter();
        WriteTo(sw);
        return sw.ToString();
    }

    /// <summary>Streams the file to a temporary name and replaces the target only when the bytes changed.</summary>
    public bool Write(string path)
        => AtomicFile.WriteIfChanged(path, stream =>
        {
            using var sw = new StreamWriter(stream, new UTF8Encoding(false), 65536, leaveOpen: true);
            WriteTo(sw);
        });

    public static RpmsJson Read(string path) => Parse(File.ReadAllText(path), path);

    public static RpmsJson Parse(string text, string? file = null)
    {
        var root = ProductmdJson.Parse(text, file);
        ProductmdJson.ReadHeader(root, HeaderType, file);
        var payload = root["payload"] as JsonObject ?? throw new PungiException(ErrorCodes.MetadataInvalid, "rpms.json has no 'payload'.", file);
        var result = new RpmsJson(ProductmdJson.ReadCompose(payload["compose"] as JsonObject, file));
        foreach (var (variant, arches) in (payload["rpms"] as JsonObject) ?? [])
            foreach (var (arch, srpms) in (arches as JsonObject) ?? [])
                foreach (var (srpm, rpms) in (srpms as JsonObject) ?? [])
                    foreach (var (nevra, e) in (rpms as JsonObject) ?? [])
                    {
                        var category = (string?)e?["category"] ?? "binary";
                        try
                        {
                            result.Add(variant, arch, nevra, (string?)e?["path"] ?? "", (string?)e?["sigkey"], category,
                                category == "source" ? null : srpm);
                        }
                        catch (PungiException ex)
                        {
                            throw new PungiException(ex.Code, ex.Message, file);
                        }
                    }
        return result;
    }
}
