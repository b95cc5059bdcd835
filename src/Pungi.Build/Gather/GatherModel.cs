using Pungi.Build.Rpm;

namespace Pungi.Build.Gather;

/// <summary>One repository as the depsolver sees it: an id, its packages, and whether it is a lookaside repo.</summary>
public sealed record GatherRepo(string Id, IReadOnlyList<RpmPackage> Packages, bool IsLookaside = false);

/// <summary>A comps <c>packagereq type="conditional"</c>: install <paramref name="Install"/> when <paramref name="Requires"/> is in.</summary>
public sealed record ConditionalPackage(string Requires, string Install);

/// <summary>A comps <c>&lt;langpacks&gt;&lt;match name=… install=…/&gt;</c> entry; <c>%s</c> in Install is the language.</summary>
public sealed record LangpackMatch(string Name, string Install);

/// <summary><c>greedy_method</c>: how many providers a requirement pulls in (spec §3.5).</summary>
public enum GreedyMethod
{
    None,
    All,
    Build,
}

public static class GreedyMethods
{
    /// <summary>Parses <c>none</c>, <c>all</c> or <c>build</c> (the config values; empty means the default none).</summary>
    public static GreedyMethod Parse(string? value) => value?.Trim() switch
    {
        null or "" or "none" => GreedyMethod.None,
        "all" => GreedyMethod.All,
        "build" => GreedyMethod.Build,
        _ => throw new Diagnostics.PungiException(Diagnostics.ErrorCodes.GatherBadGreedyMethod,
            $"GreedyMethod '{value}' is not one of none, all, build."),
    };
}

/// <summary>Why a package is in the result; the flags as <c>pungi-gather</c> prints them (spec §3.4 "Flags").</summary>
[Flags]
public enum PackageFlags
{
    None = 0,
    Lookaside = 1,
    Input = 2,
    GreedyBuild = 4,
    Prepopulate = 8,
    Conditional = 16,
    SelfHosting = 32,
    Fulltree = 64,
    Multilib = 128,
    Langpack = 256,
    FulltreeExclude = 512,
}

public static class PackageFlagNames
{
    private static readonly (PackageFlags Flag, string Name)[] Names =
    [
        (PackageFlags.Lookaside, "lookaside"), (PackageFlags.Input, "input"), (PackageFlags.GreedyBuild, "greedy-build"),
        (PackageFlags.Prepopulate, "prepopulate"), (PackageFlags.Conditional, "conditional"),
        (PackageFlags.SelfHosting, "self-hosting"), (PackageFlags.Fulltree, "fulltree"), (PackageFlags.Multilib, "multilib"),
        (PackageFlags.Langpack, "langpack"), (PackageFlags.FulltreeExclude, "fulltree-exclude"),
    ];

    /// <summary>The flag names, <c>_</c> spelled <c>-</c>, sorted as Pungi sorts them when it parses the output.</summary>
    public static IReadOnlyList<string> ToNames(PackageFlags flags)
        => Names.Where(n => (flags & n.Flag) != 0).Select(n => n.Name).Order(StringComparer.Ordinal).ToArray();

    public static PackageFlags Parse(string name)
        => Names.FirstOrDefault(n => n.Name == name).Flag;
}

/// <summary>Everything one <c>pungi-gather</c> run gets: repositories, the kickstart's package lines and the options.</summary>
public sealed class GatherRequest
{
    /// <summary>The tree arch (x86_64, i386, ppc64le, ...); converted to the yum arch as Pungi does.</summary>
    public required string Arch { get; init; }

    /// <summary>Repositories in kickstart order; lookaside ones are loaded first, as <c>pungi-gather</c> does.</summary>
    public required IReadOnlyList<GatherRepo> Repos { get; init; }

    /// <summary>
    /// The kickstart <c>%packages</c> lines after group expansion: names or globs, <c>name.+</c> for multilib arches,
    /// a leading <c>-</c> for an exclude (<c>-name</c>, <c>-name.+</c>, <c>-name.src</c>).
    /// </summary>
    public IReadOnlyList<string> Packages { get; init; } = [];

    /// <summary>Conditional members of the requested groups.</summary>
    public IReadOnlyList<ConditionalPackage> ConditionalPackages { get; init; } = [];

    /// <summary>Comps langpacks; empty disables the langpack step.</summary>
    public IReadOnlyList<LangpackMatch> Langpacks { get; init; } = [];

    /// <summary><c>name.arch</c> entries of <c>%prepopulate</c>.</summary>
    public IReadOnlyList<string> Prepopulate { get; init; } = [];

    public GreedyMethod Greedy { get; init; } = GreedyMethod.None;
    public bool Fulltree { get; init; }
    public IReadOnlyCollection<string> FulltreeExcludes { get; init; } = [];
    public bool Selfhosting { get; init; }

    /// <summary>False is <c>pungi-gather --nodeps</c>: no requirement, conditional or build dependency is followed.</summary>
    public bool ResolveDeps { get; init; } = true;
    public bool ExcludeSource { get; init; }
    public bool ExcludeDebug { get; init; }

    /// <summary>Multilib methods in configured order: none, all, devel, runtime.</summary>
    public IReadOnlyList<string> MultilibMethods { get; init; } = [];
    public IReadOnlyList<string> MultilibBlacklist { get; init; } = [];
    public IReadOnlyList<string> MultilibWhitelist { get; init; } = [];
}

/// <summary>One selected package with the repository it came from and its flags.</summary>
public sealed record GatheredPackage(RpmPackage Package, string RepoId, PackageFlags Flags)
{
    public bool IsLookaside => (Flags & PackageFlags.Lookaside) != 0;
    public IReadOnlyList<string> FlagNames => PackageFlagNames.ToNames(Flags);
    public override string ToString() => $"{Package.Nevra} ({string.Join(",", FlagNames)})";
}

/// <summary>A requirement nothing provides: <c>Unresolvable dependency &lt;req&gt; in &lt;name.arch&gt;</c>.</summary>
public sealed record UnresolvedDependency(string Package, string Requirement)
{
    public override string ToString() => $"Unresolvable dependency {Requirement} in {Package}";
}

/// <summary>How a package got in, for <c>--why</c>: the step, the package that pulled it and the requirement.</summary>
public sealed record GatherReason(string Kind, RpmPackage? PulledBy = null, string? Requirement = null)
{
    public override string ToString() => Kind switch
    {
        "input" => "input",
        "prepopulate" => "prepopulate",
        "requires" => $"requirement '{Requirement}' of {PulledBy}",
        "debug-requires" => $"requirement '{Requirement}' of debuginfo {PulledBy}",
        "build-requires" => $"build requirement '{Requirement}' of {PulledBy} (selfhosting)",
        "conditional" => $"conditional on {PulledBy} (comps)",
        "source" => $"source of {PulledBy}",
        "debuginfo" => $"debuginfo of {PulledBy}",
        "fulltree" => $"fulltree: built from the same source as {PulledBy}",
        "langpack" => $"langpack of {PulledBy}",
        _ when Kind.StartsWith("multilib", StringComparison.Ordinal) => $"{Kind} of {PulledBy}",
        _ => Kind,
    };
}

/// <summary>The depsolver's answer for one variant and arch: the three lists <c>pungi-gather</c> prints.</summary>
public sealed class GatherResult
{
    public required IReadOnlyList<GatheredPackage> Rpm { get; init; }
    public required IReadOnlyList<GatheredPackage> Srpm { get; init; }
    public required IReadOnlyList<GatheredPackage> Debuginfo { get; init; }
    public required IReadOnlyList<UnresolvedDependency> UnresolvedDependencies { get; init; }

    /// <summary>Input patterns that matched nothing (<c>No package matches pattern …</c>, a warning upstream).</summary>
    public required IReadOnlyList<string> MissingPatterns { get; init; }

    /// <summary>Other warnings (prepopulate entries that match nothing).</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>The first reason each package was added, keyed by the package.</summary>
    public required IReadOnlyDictionary<RpmPackage, GatherReason> Reasons { get; init; }

    public IEnumerable<GatheredPackage> All => Rpm.Concat(Srpm).Concat(Debuginfo);

    /// <summary>
    /// <c>check_deps</c> (default true): any unresolved dependency fails the variant.arch, naming every package and
    /// requirement as Pungi lists them.
    /// </summary>
    public void CheckDependencies(string variantUid, string arch)
    {
        if (UnresolvedDependencies.Count == 0) return;
        throw new Diagnostics.PungiException(Diagnostics.ErrorCodes.GatherUnresolvedDependencies,
            $"Unresolved dependencies for {variantUid}.{arch} (set CheckDeps=false to only warn):" + Environment.NewLine
            + string.Join(Environment.NewLine, UnresolvedDependencies.Select(u => "  " + u)));
    }

    /// <summary>
    /// The chain that pulled in the first selected package named <paramref name="name"/> (or matching a NEVRA):
    /// the package, why, then the package that pulled it and why, up to an input.
    /// </summary>
    public IReadOnlyList<(RpmPackage Package, GatherReason Reason)> Why(string name)
    {
        var chain = new List<(RpmPackage, GatherReason)>();
        var start = All.Select(p => p.Package).FirstOrDefault(p => p.Name == name || p.Nevra == name || p.FileName == name);
        var seen = new HashSet<RpmPackage>(ReferenceEqualityComparer.Instance);
        for (var p = start; p is not null && seen.Add(p) && Reasons.TryGetValue(p, out var r); p = r.PulledBy)
            chain.Add((p, r));
        return chain;
    }
}
