using System.Globalization;
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
    /// <summary><c>gather_source</c>: comps (default), json, none.</summary>
    public string? GatherSource { get; set; }
    /// <summary><c>gather_source_mapping</c>: the json source's file, relative to the project.</summary>
    public string? GatherSourceMapping { get; set; }
    /// <summary><c>gather_prepopulate</c>: copied to work/global/prepopulate.json (spec §2.1 step 7) and read from there.</summary>
    public string? GatherPrepopulate { get; set; }

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
        var source = string.IsNullOrEmpty(GatherSource) ? "comps" : GatherSource!.Trim();
        string? mappingFile = ResolveInput(GatherSourceMapping, "GatherSourceMapping");
        if (source == "json" && mappingFile is null)
            throw new PungiException(ErrorCodes.GatherBadJsonInput, "GatherSource=json needs GatherSourceMapping (the gather_source_mapping JSON file).",
                ItemLocation.FindProperty(ProjectFile, "GatherSource").File, ItemLocation.FindProperty(ProjectFile, "GatherSource").Line);
        string? prepopulateFile = null;
        if (ResolveInput(GatherPrepopulate, "GatherPrepopulate") is { } given)
        {
            prepopulateFile = Path.Combine(layout.WorkDir, "global", "prepopulate.json");
            Directory.CreateDirectory(Path.GetDirectoryName(prepopulateFile)!);
            Pungi.Build.Compose.AtomicFile.WriteIfChanged(prepopulateFile, File.ReadAllBytes(given));
        }
        var result = GatherPhase.Run(new GatherPhaseRequest
        {
            Layout = layout,
            Variants = model,
            VariantAsLookaside = LookasidePairs(),
            PackageSetIdentity = arch => PackageSetStore.ComposeIdentity(layout.WorkDir, arch),
            Packages = arch => SackPackages.FromCompose(layout.WorkDir, arch, GatherMemo.SackIndexPath(layout, arch)),
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
            Source = source,
            SourceMappingFile = mappingFile,
            SourceMappingJson = mappingFile is null ? null : File.ReadAllText(mappingFile),
            PrepopulateFile = prepopulateFile,
            PrepopulateJson = prepopulateFile is null ? null : File.ReadAllText(prepopulateFile),
        }, CancellationToken);
        foreach (var w in result.Warnings)
            LogWarning(ErrorCodes.GatherWarning, w);
        foreach (var (arch, byVariant) in result.Maps.OrderBy(k => k.Key, StringComparer.Ordinal))
            foreach (var (uid, map) in byVariant.OrderBy(k => k.Key, StringComparer.Ordinal))
            {
                // Which variants were solved, and for how long, is what a rerun's cost comes down to (the benchmark
                // counts the changed variant's solve as its own share).
                var how = result.Solved.TryGetValue((arch, uid), out var took)
                    ? string.Create(CultureInfo.InvariantCulture, $"solved in {took.TotalSeconds:0.000} s") : "no depsolve in this run";
                LogProgress($"Gather {uid}.{arch}: {PackageMap.Shipped(map.Rpm).Count()} rpm, {PackageMap.Shipped(map.Srpm).Count()} srpm, {PackageMap.Shipped(map.Debuginfo).Count()} debuginfo, {how}");
            }
        Log.LogMessage(MessageImportance.Normal, $"Gather: {result.FilesWritten} package lists written, {result.FilesUnchanged} unchanged");
    }

    /// <summary>A file property resolved against the project directory; a named file that does not exist is an error at the property.</summary>
    private string? ResolveInput(string? value, string property)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var path = Path.GetFullPath(value.Trim(), Path.GetDirectoryName(ProjectFile)!);
        if (!File.Exists(path))
        {
            var (f, l, c) = ItemLocation.FindProperty(ProjectFile, property);
            throw new PungiException(ErrorCodes.GatherInputFileMissing, $"{property} '{value}' does not exist ({path}).", f, l, c);
        }
        return path;
    }
}
