namespace Pungi.Build.Gather;

/// <summary>One entry of a variant's package map: the RPM's path and its gather flags (<c>{"path", "flags"}</c>).</summary>
public sealed record PackageEntry(string Path, IReadOnlyList<string> Flags)
{
    public bool HasFlag(string flag) => Flags.Contains(flag);

    /// <summary>(name, arch) from the file name, as Pungi's <c>parse_nvra(path)</c> keys it.</summary>
    public (string Name, string Arch) NameArch
    {
        get
        {
            var f = System.IO.Path.GetFileName(Path);
            if (f.EndsWith(".rpm", StringComparison.Ordinal)) f = f[..^4];
            int dot = f.LastIndexOf('.');
            string arch = dot < 0 ? "" : f[(dot + 1)..];
            var (name, _, _) = DnfGather.ParseSourceNvr(f);
            return (name, arch);
        }
    }
}

/// <summary>A variant.arch's gather result: <c>{"rpm": [...], "srpm": [...], "debuginfo": [...]}</c>.</summary>
public sealed class PackageMap
{
    public List<PackageEntry> Rpm { get; } = [];
    public List<PackageEntry> Srpm { get; } = [];
    public List<PackageEntry> Debuginfo { get; } = [];

    public static IReadOnlyList<string> Types { get; } = ["rpm", "srpm", "debuginfo"];

    public List<PackageEntry> this[string type] => type switch
    {
        "rpm" => Rpm,
        "srpm" => Srpm,
        "debuginfo" => Debuginfo,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "rpm, srpm or debuginfo"),
    };

    /// <summary>The entries a variant ships: those flagged lookaside stay in the map (trimming reads them) but are never linked.</summary>
    public static IEnumerable<PackageEntry> Shipped(IEnumerable<PackageEntry> entries) => entries.Where(e => !e.HasFlag("lookaside"));

    /// <summary>The pkg_map of a depsolver result, paths made by <paramref name="pathOf"/> (the package's file).</summary>
    public static PackageMap From(GatherResult result, Func<GatheredPackage, string> pathOf)
    {
        var map = new PackageMap();
        map.Rpm.AddRange(result.Rpm.Select(p => new PackageEntry(pathOf(p), p.FlagNames)));
        map.Srpm.AddRange(result.Srpm.Select(p => new PackageEntry(pathOf(p), p.FlagNames)));
        map.Debuginfo.AddRange(result.Debuginfo.Select(p => new PackageEntry(pathOf(p), p.FlagNames)));
        return map;
    }
}
