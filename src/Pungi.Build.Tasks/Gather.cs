using Microsoft.Build.Framework;
using Pungi.Build.Comps;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Gather;
using Pungi.Build.Pkgset;
using Pungi.Build.Repodata;
using Pungi.Build.Rpm;

namespace Pungi.Build.Tasks;

/// <summary>
/// Gather phase (spec §2.4, §3): what goes into each variant.arch, decided with the native DNF-backend depsolver for
/// all variants together (trimming needs them all), written as package lists that change only when the result does.
/// </summary>
public sealed class Gather : ComposePhaseTask
{
    public string? GatherMethod { get; set; }
    public string? GreedyMethod { get; set; }
    public string? GatherFulltree { get; set; }
    public string? GatherSelfhosting { get; set; }
    public string? FilterSystemReleasePackages { get; set; }
    public string? CheckDeps { get; set; }
    public ITaskItem[] AdditionalPackages { get; set; } = [];
    public ITaskItem[] FilterPackages { get; set; } = [];
    public ITaskItem[] Multilib { get; set; } = [];
    public ITaskItem[] MultilibBlacklist { get; set; } = [];
    public ITaskItem[] MultilibWhitelist { get; set; } = [];
    public ITaskItem[] GatherLookasideRepos { get; set; } = [];

    protected override void ExecutePhase()
    {
        var model = LoadModel();
        var layout = Layout;
        var method = string.IsNullOrEmpty(GatherMethod) ? "deps" : GatherMethod!;
        if (method is not ("deps" or "nodeps"))
        {
            var (f, l, c) = ItemLocation.FindProperty(ProjectFile, "GatherMethod");
            throw new PungiException(ErrorCodes.GatherUnknownMethod, $"GatherMethod '{method}' is not supported: use deps or nodeps (hybrid needs fus, which this build lacks).", f, l, c);
        }
        var greedy = (GreedyMethod ?? "none").Trim() switch
        {
            "" or "none" => Pungi.Build.Gather.GreedyMethod.None,
            "all" => Pungi.Build.Gather.GreedyMethod.All,
            "build" => Pungi.Build.Gather.GreedyMethod.Build,
            var other => throw new PungiException(ErrorCodes.GatherBadGreedyMethod, $"GreedyMethod '{other}' is not one of none, all, build.",
                ItemLocation.FindProperty(ProjectFile, "GreedyMethod").File, ItemLocation.FindProperty(ProjectFile, "GreedyMethod").Line),
        };
        var lookasideCache = new Dictionary<string, IReadOnlyList<RpmPackage>>(StringComparer.Ordinal);
        var result = GatherPhase.Run(new GatherPhaseRequest
        {
            Layout = layout,
            Variants = model,
            PackageSet = arch => PackageSetStore.Load(layout.WorkDir, arch).Packages.Select(e => new PackageSetPackage(e.Package, e.Path)).ToList(),
            Comps = (uid, arch) =>
            {
                var path = CompsPaths.ForVariant(layout.WorkDir, uid, arch);
                return File.Exists(path) ? CompsModel.Load(path) : null;
            },
            LookasideRepo = path => lookasideCache.TryGetValue(path, out var l) ? l : lookasideCache[path] = RepodataReader.Read(path).ToList(),
            Method = method,
            Greedy = greedy,
            Fulltree = ConfigItems.Bool(GatherFulltree, false),
            Selfhosting = ConfigItems.Bool(GatherSelfhosting, false),
            FilterSystemReleasePackages = ConfigItems.Bool(FilterSystemReleasePackages, true),
            CheckDeps = ConfigItems.Bool(CheckDeps, true),
            AdditionalPackages = ConfigItems.VariantArch(AdditionalPackages, "AdditionalPackage"),
            FilterPackages = ConfigItems.VariantArch(FilterPackages, "FilterPackage"),
            Multilib = ConfigItems.VariantArch(Multilib, "Multilib"),
            LookasideRepos = ConfigItems.VariantArch(GatherLookasideRepos, "GatherLookasideRepo")
                .Select(v => v with { Value = Path.GetFullPath(v.Value, Path.GetDirectoryName(ProjectFile)!) }).ToList(),
            MultilibBlacklist = ConfigItems.ArchData(MultilibBlacklist),
            MultilibWhitelist = ConfigItems.ArchData(MultilibWhitelist),
        }, CancellationToken);
        foreach (var w in result.Warnings)
            LogWarning(ErrorCodes.GatherWarning, w);
        foreach (var (arch, byVariant) in result.Maps.OrderBy(k => k.Key, StringComparer.Ordinal))
            foreach (var (uid, map) in byVariant.OrderBy(k => k.Key, StringComparer.Ordinal))
                LogProgress($"Gather {uid}.{arch}: {map.Rpm.Count} rpm, {map.Srpm.Count} srpm, {map.Debuginfo.Count} debuginfo");
        Log.LogMessage(MessageImportance.Normal, $"Gather: {result.FilesWritten} package lists written, {result.FilesUnchanged} unchanged");
    }
}
