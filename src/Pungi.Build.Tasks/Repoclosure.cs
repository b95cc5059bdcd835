using Microsoft.Build.Framework;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Gather;
using Pungi.Build.Pkgset;
using Pungi.Build.Repoclosure;
using Pungi.Build.Repodata;
using Pungi.Build.Rpm;
using Pungi.Build.Variants;

namespace Pungi.Build.Tasks;

/// <summary>
/// Repoclosure phase (spec §2.18), per variant.arch, natively: the variant's packages checked against themselves, the
/// parent variant's packages and the lookaside repositories, in the tree's valid arches (with the multilib ones when
/// multilib is configured). <c>RepoclosureStrictness</c>: off skips, lenient (default) warns, fatal fails. The report
/// goes to <c>logs/&lt;arch&gt;/repoclosure-&lt;V&gt;.&lt;arch&gt;.log</c> in dnf repoclosure's format.
/// </summary>
public sealed class Repoclosure : VariantArchTask
{
    public ITaskItem[] Strictness { get; set; } = [];
    public ITaskItem[] Multilib { get; set; } = [];
    public ITaskItem[] GatherLookasideRepos { get; set; } = [];
    /// <summary>native (default) checks in process; dnf runs upstream's <c>dnf repoclosure</c> command.</summary>
    public string? Backend { get; set; }

    protected override void ExecutePhase()
    {
        if (Arch == "src") return;
        var (model, v) = LoadVariant();
        if (v.IsEmpty) return;
        var strictness = ConfigLookup.GetArchVariantData(ConfigItems.VariantArch(Strictness, "RepoclosureStrictness"), Arch, v.Uid).LastOrDefault() ?? "lenient";
        if (strictness is not ("off" or "lenient" or "fatal"))
            throw new PungiException(ErrorCodes.RepoclosureBadStrictness, $"RepoclosureStrictness '{strictness}' is not one of off, lenient, fatal.");
        if (strictness == "off") return;
        var backend = string.IsNullOrEmpty(Backend) ? "native" : Backend;
        if (backend is not ("native" or "dnf"))
            throw new PungiException(ErrorCodes.RepoclosureBadBackend, $"RepoclosureBackend '{backend}' is not native or dnf (upstream's yum backend is not ported: dnf reads the same repositories).", ProjectFile);
        if (backend == "dnf")
        {
            RunDnf(model, v, strictness);
            return;
        }

        var layout = Layout;
        // Entries by path; only the packages of the trees checked are read out of the store and decoded.
        var ownList = ReadList(layout.PackageList(Arch, v, "rpm")).ToList();
        var parentList = v.Parent is { } parent && parent.HasArch(Arch) ? ReadList(layout.PackageList(Arch, parent, "rpm")).ToList() : [];
        var store = PackageSetStore.LoadComposeEntries(layout.WorkDir, Arch, ownList.Concat(parentList).ToHashSet(StringComparer.Ordinal));
        List<RpmPackage> Packages(List<string> list) => list.Where(store.ContainsKey).Select(p => store[p].Package).ToList();

        var own = Packages(ownList);
        var lookaside = Packages(parentList);
        foreach (var repo in LookasideRepos(model, v))
            lookaside.AddRange(RepodataReader.Read(repo));
        var arches = ValidArches(v).ToHashSet(StringComparer.Ordinal);

        var broken = RepoClosure.Check(own, lookaside, arches, CancellationToken);
        var log = layout.LogFile(Arch, $"repoclosure-{v.Uid}");
        AtomicFile.WriteIfChanged(log, RepoClosure.Format(broken, $"{Path.GetFileName(layout.Topdir)}-repoclosure-{v.Uid}.{Arch}"));
        var packages = broken.Select(b => b.Package).Distinct().Count();
        if (broken.Count == 0)
        {
            LogProgress($"Repoclosure {v.Uid}.{Arch}: {own.Count} packages, closed");
            return;
        }
        Report(v, strictness, packages, broken.Count, $"{broken[0].Package.Nevra} requires {broken[0].Requirement}", log);
    }

    /// <summary>
    /// The variant's <c>gather_lookaside_repos</c> for this arch: URLs as given, local paths from the project; then the
    /// <c>work/&lt;arch&gt;/&lt;LV&gt;/lookaside_repo</c> of each <c>variant_as_lookaside</c> variant, which upstream's
    /// gather appended to that same option before repoclosure reads it.
    /// </summary>
    private List<string> LookasideRepos(VariantModel model, Variant v)
    {
        var repos = ConfigLookup.GetArchVariantData(ConfigItems.VariantArch(GatherLookasideRepos, "GatherLookasideRepo"), Arch, v.Uid)
            .Select(r => r.Contains("://", StringComparison.Ordinal) ? r : Path.GetFullPath(r, Path.GetDirectoryName(ProjectFile)!)).ToList();
        foreach (var (_, lookaside) in LookasidePairs().Where(p => p.Variant == v.Uid))
            if (model.Find(lookaside) is { } lv && lv.HasArch(Arch) && Directory.Exists(Layout.LookasideRepo(Arch, lv)))
                repos.Add(Layout.LookasideRepo(Arch, lv));
        return repos;
    }

    /// <summary>The tree's valid arches, with the multilib ones when multilib is configured for it (spec §2.18).</summary>
    private IEnumerable<string> ValidArches(Variant v)
        => RpmArches.GetValidArches(Arch, ConfigLookup.GetArchVariantData(ConfigItems.VariantArch(Multilib, "Multilib"), Arch, v.Uid).Count > 0, addNoarch: true);

    private void Report(Variant v, string strictness, int packages, int dependencies, string first, string log)
    {
        var message = $"Repoclosure of {v.Uid}.{Arch}: {packages} packages have {dependencies} unresolved dependencies (first: {first}); see {log}";
        if (strictness == "fatal") throw new PungiException(ErrorCodes.RepoclosureFailed, message);
        LogWarning(ErrorCodes.RepoclosureFailed, message);
    }

    /// <summary>
    /// RepoclosureBackend=dnf, upstream's command (spec §2.18): the variant's repository checked, its parent's and the
    /// lookaside repositories beside it, ids as upstream names them; the tool's output is the log.
    /// </summary>
    private void RunDnf(VariantModel model, Variant v, string strictness)
    {
        var layout = Layout;
        var composeId = Path.GetFileName(layout.Topdir);
        var check = new List<ClosureRepo> { new($"{composeId}-repoclosure-{v.Uid}.{Arch}", layout.Repository(v, Arch)) };
        var lookaside = new List<ClosureRepo>();
        if (v.Parent is { } parent && parent.HasArch(Arch))
            lookaside.Add(new($"{composeId}-repoclosure-{parent.Uid}.{Arch}", layout.Repository(parent, Arch)));
        var repos = LookasideRepos(model, v);
        for (int i = 0; i < repos.Count; i++)
            lookaside.Add(new($"{composeId}-lookaside-{v.Uid}.{Arch}-{i}", repos[i]));
        var arches = ValidArches(v).ToList();

        // Upstream runs in a temp dir and deletes the dnf caches named after the compose afterwards: the same, under work/.
        var scratch = Path.Combine(layout.WorkDir, Arch, $"repoclosure-{v.Uid}");
        if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        Directory.CreateDirectory(scratch);
        var config = Path.Combine(scratch, "dnf.conf");
        File.WriteAllText(config, "");
        var log = layout.LogFile(Arch, $"repoclosure-{v.Uid}");
        if (File.Exists(log)) File.Delete(log);
        try
        {
            var args = DnfRepoclosure.Arguments(arches, check, lookaside,
                ["--config=" + config, "--setopt=reposdir=/dev/null", "--setopt=cachedir=" + Path.Combine(scratch, "cache"), "--releasever=1"]);
            var broken = DnfRepoclosure.Run(args, scratch, log, CancellationToken);
            if (broken.Count == 0)
            {
                LogProgress($"Repoclosure {v.Uid}.{Arch}: closed (dnf)");
                return;
            }
            Report(v, strictness, broken.Select(b => b.Package).Distinct().Count(), broken.Count, $"{broken[0].Package} requires {broken[0].Requirement}", log);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
