using Pungi.Build.Comps;
using Pungi.Build.Diagnostics;
using Pungi.Build.Gather;
using Pungi.Build.Rpm;

namespace Pungi.Build.Pkgset;

/// <summary>
/// What the repos source's kickstart <c>work/&lt;arch&gt;/pungi/&lt;arch&gt;.conf</c> asks for on one arch (spec §2.2.2):
/// the packages of all gather sources (additional packages included) — <c>system-release</c> is added by the
/// resolver — the groups of the arch's comps, and prepopulate.
/// </summary>
public sealed class PkgsetGatherInput
{
    /// <summary>Package lines as written to <c>%packages</c>: names, globs or <c>name.arch</c>.</summary>
    public IReadOnlyList<string> Packages { get; init; } = [];

    /// <summary>The groups to install (<c>@group --optional</c>) with their members, from the arch's comps.</summary>
    public IReadOnlyList<GatherGroup> Groups { get; init; } = [];

    /// <summary>The comps langpacks the depsolver sees through the kickstart's comps repo.</summary>
    public IReadOnlyList<LangpackMatch> Langpacks { get; init; } = [];

    /// <summary><c>%prepopulate</c> entries (<c>name.arch</c>).</summary>
    public IReadOnlyList<string> Prepopulate { get; init; } = [];

    public bool IsEmpty => Packages.Count == 0 && Groups.Count == 0 && Prepopulate.Count == 0;

    /// <summary>Every group of a comps file (the <c>comps</c> gather source with no variant takes all of them).</summary>
    public static IReadOnlyList<GatherGroup> GroupsOf(CompsModel comps)
        => comps.Groups.Select(g => new GatherGroup(g.Id, g.Packages.Select(p => new GatherGroupPackage(p.Name, p.TypeName, p.Requires)).ToList()))
            .ToList();

    public static IReadOnlyList<LangpackMatch> LangpacksOf(CompsModel comps)
        => comps.Langpacks.Select(kv => new LangpackMatch(kv.Key, kv.Value)).ToList();

    /// <summary>Package names the input names outright (group members, plain package lines): Pkgset's "wanted" list.</summary>
    public IEnumerable<string> WantedNames()
        => Groups.SelectMany(g => g.Packages.Select(p => p.Name))
            .Concat(Packages.Select(p => GatherSources.SplitNameArch(p).Name))
            .Concat(Prepopulate.Select(p => GatherSources.SplitNameArch(p).Name))
            .Append(DepsolveResolver.SystemRelease);
}

/// <summary>
/// The repos source's per-arch pull with the native depsolver, as upstream runs
/// <c>pungi-gather --selfhosting --fulltree --greedy=none --arch=&lt;arch&gt; --multilib=all</c> over
/// <c>pkgset_repos[arch] + pkgset_repos["*"]</c> (spec §2.2.2): everything the wanted packages and groups need at run
/// time, every sibling built from the same SRPMs (fulltree), the build dependencies of those SRPMs (selfhosting), the
/// multilib packages of all of them (multilib method <c>all</c>), and the SRPMs and debuginfo pungi-gather downloads.
/// Upstream downloads the result into <c>work/global/download/</c>; here the files stay where they are.
/// </summary>
public sealed class DepsolveResolver : IPackageSetResolver
{
    /// <summary>Upstream always adds <c>system-release</c> to the kickstart's package list.</summary>
    public const string SystemRelease = "system-release";

    private readonly Func<string, PkgsetGatherInput> _inputFor;
    private readonly string? _memoWorkDir;
    private readonly List<PkgsetWarning> _warnings = [];

    /// <param name="inputFor">The kickstart input of a tree arch.</param>
    /// <param name="memoWorkDir">
    /// The compose's work dir, to keep each arch's answer in <see cref="PkgsetPaths.DepsolveMemo"/>; null always solves.
    /// </param>
    public DepsolveResolver(Func<string, PkgsetGatherInput> inputFor, string? memoWorkDir = null)
    {
        _inputFor = inputFor;
        _memoWorkDir = memoWorkDir;
    }

    /// <summary>Whether the last <see cref="Resolve(string, IReadOnlyList{PackageSummary}, string, Func{IReadOnlyList{RpmPackage}})"/> of each arch used the memo.</summary>
    public Dictionary<string, bool> Recalled { get; } = new(StringComparer.Ordinal);

    /// <summary>What pungi-gather only logs: patterns matching nothing, dependencies nothing provides.</summary>
    public IReadOnlyList<PkgsetWarning> Warnings => _warnings;

    /// <summary>The last depsolver answer per tree arch (for logs and <c>--why</c>-style questions).</summary>
    public Dictionary<string, GatherResult> Results { get; } = new(StringComparer.Ordinal);

    public IEnumerable<RpmPackage> Resolve(string treeArch, IReadOnlyList<RpmPackage> candidates)
    {
        var result = GatherEngine.Solve(Request(treeArch, candidates, _inputFor(treeArch)));
        Results[treeArch] = result;
        AddMissing(treeArch, result.MissingPatterns);
        _warnings.AddRange(OtherWarnings(treeArch, result));
        return result.All.Where(g => !g.IsLookaside).Select(g => g.Package);
    }

    /// <summary>
    /// With a memo: the answer is a function of the candidates (<paramref name="poolIdentity"/>), the (queue, name)
    /// pairs the kickstart lines match (<see cref="GatherEngine.DescribeInitial"/>) and the other inputs, so when those
    /// hash to the last run's key the last answer is the answer, and no package is decoded. A variant's additional
    /// package that names only packages some other line already asks for (a glob inside another) then costs nothing here.
    /// </summary>
    public IReadOnlyList<int> Resolve(string treeArch, IReadOnlyList<PackageSummary> candidates, string poolIdentity, Func<IReadOnlyList<RpmPackage>> decode)
    {
        var shape = Request(treeArch, [], _inputFor(treeArch));
        var initial = _memoWorkDir is null ? null : GatherEngine.DescribeInitial(shape, candidates.Select(c => (c.Name, c.Arch)).ToList());
        string? key = initial is null ? null : GatherMemo.Key(shape, poolIdentity, [], initial);
        string? path = _memoWorkDir is null ? null : PkgsetPaths.DepsolveMemo(_memoWorkDir, treeArch);
        if (key is not null && TryLoadMemo(path!, key, candidates.Count) is { } memo)
        {
            Recalled[treeArch] = true;
            AddMissing(treeArch, initial!.MissingPatterns);
            _warnings.AddRange(memo.Warnings.Select(w => new PkgsetWarning(ErrorCodes.PkgsetDepsolveWarning, w)));
            return memo.Kept;
        }
        Recalled[treeArch] = false;
        var packages = decode();
        var result = GatherEngine.Solve(Request(treeArch, packages, _inputFor(treeArch)));
        Results[treeArch] = result;
        AddMissing(treeArch, result.MissingPatterns);
        var others = OtherWarnings(treeArch, result).ToList();
        _warnings.AddRange(others);
        var kept = IPackageSetResolver.KeptIndices(packages, result.All.Where(g => !g.IsLookaside).Select(g => g.Package));
        // Kept only when the name-only description saw the same missing lines as the depsolver: otherwise the key
        // would not stand for the initial packages (it always should; this keeps a slip from becoming a wrong answer).
        if (key is not null && initial!.MissingPatterns.SequenceEqual(result.MissingPatterns))
            SaveMemo(path!, key, kept, others.Select(w => w.Message).ToList());
        return kept;
    }

    // system-release is the resolver's own line (no package may carry that name with greedy none): not the user's concern.
    private void AddMissing(string treeArch, IEnumerable<string> missing)
    {
        foreach (var m in missing.Where(m => m != SystemRelease))
            _warnings.Add(new PkgsetWarning(ErrorCodes.PkgsetDepsolveWarning, $"{treeArch}: no package matches pattern {m}"));
    }

    private static IEnumerable<PkgsetWarning> OtherWarnings(string treeArch, GatherResult result)
    {
        foreach (var w in result.Warnings)
            yield return new PkgsetWarning(ErrorCodes.PkgsetDepsolveWarning, $"{treeArch}: {w}");
        // Upstream's pkgset only logs broken dependencies; Gather decides whether they are fatal (check_deps).
        foreach (var u in result.UnresolvedDependencies)
            yield return new PkgsetWarning(ErrorCodes.PkgsetDepsolveWarning, $"{treeArch}: {u}");
    }

    private const string MemoMagic = "PUNGI-PKGSET-DEPSOLVE-MEMO";

    private static (IReadOnlyList<int> Kept, IReadOnlyList<string> Warnings)? TryLoadMemo(string path, string key, int candidates)
    {
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var r = new BinaryReader(fs, System.Text.Encoding.UTF8);
            if (r.ReadString() != MemoMagic || r.ReadString() != key) return null;
            var kept = new int[r.ReadInt32()];
            for (int i = 0; i < kept.Length; i++)
            {
                kept[i] = r.ReadInt32();
                if ((uint)kept[i] >= (uint)candidates) return null;
            }
            var warnings = new List<string>();
            for (int i = r.ReadInt32(); i > 0; i--) warnings.Add(r.ReadString());
            return (kept, warnings);
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or UnauthorizedAccessException or FormatException)
        {
            return null; // only ever a shortcut: solve again
        }
    }

    private static void SaveMemo(string path, string key, IReadOnlyList<int> kept, IReadOnlyList<string> warnings)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteIfChanged(path, stream =>
        {
            using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            w.Write(MemoMagic);
            w.Write(key);
            w.Write(kept.Count);
            foreach (var i in kept) w.Write(i);
            w.Write(warnings.Count);
            foreach (var s in warnings) w.Write(s);
        });
    }

    /// <summary>The pungi-gather run of one arch: the kickstart lines (groups expanded with their optional members) and the pkgset options.</summary>
    public static GatherRequest Request(string treeArch, IReadOnlyList<RpmPackage> candidates, PkgsetGatherInput input)
    {
        var ks = new VariantGatherInput();
        foreach (var g in input.Groups) ks.Groups.Add(g.Id);
        // Lines go to %packages verbatim (globs and name.arch included), so they are kept whole here.
        foreach (var p in input.Packages) ks.Packages.Add((p, null));
        ks.Packages.Add((SystemRelease, null));
        ks.Prepopulate.AddRange(input.Prepopulate);
        var (lines, conditional, _) = GatherSources.Kickstart(ks, input.Groups, "pkgset", treeArch);
        return new GatherRequest
        {
            Arch = treeArch,
            Repos = [new GatherRepo("repo-0", candidates)],
            Packages = lines,
            ConditionalPackages = conditional,
            Langpacks = input.Langpacks,
            Prepopulate = input.Prepopulate,
            Greedy = GreedyMethod.None,
            Fulltree = true,
            Selfhosting = true,
            MultilibMethods = ["all"],
        };
    }
}
