using Microsoft.Build.Framework;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.ExtraFiles;
using Pungi.Build.Gather;
using Pungi.Build.Metadata;
using Pungi.Build.OSTree;
using Pungi.Build.Pkgset;
using Pungi.Build.Repodata;
using Pungi.Build.Variants;

namespace Pungi.Build.Tasks;

/// <summary>
/// OSTree phase (spec §2.7), local backend, per variant.arch: every <c>Ostree</c> item (one <c>ostree</c> config dict:
/// Include = treefile, metadata OstreeRepo, ConfigUrl, ConfigBranch, Repo, Version, OstreeRef, Arches, TagRef,
/// ForceNewCommit, UpdateSummary, Failable) whose Variant regex matches commits one tree. Units are numbered as
/// upstream queues them (variants in compose order, then config blocks, then arches) for <c>work/ostree-&lt;N&gt;/</c>
/// and <c>logs/&lt;arch&gt;/&lt;V&gt;/ostree-&lt;N&gt;/commitid.log</c>. Nothing goes into the compose metadata, as upstream.
/// </summary>
public sealed class OSTree : VariantArchTask
{
    public ITaskItem[] OstreeItems { get; set; } = [];
    public string? SourceDateEpoch { get; set; }

    protected override void ExecutePhase()
    {
        if (Arch == "src") return;
        var (model, v) = LoadVariant();
        var layout = Layout;
        var units = Units(model).Where(u => u.Variant == v && u.Arch == Arch).ToList();
        if (units.Count == 0) return;
        var projectDir = Path.GetDirectoryName(Path.GetFullPath(ProjectFile))!;
        var compose = ComposeInfoJson.Read(layout.ComposeInfoBase).Compose;
        long? timestamp = long.TryParse(SourceDateEpoch, out var t) ? t : null;
        var pkgset = PackageSetStore.LoadCompose(layout.WorkDir, Arch);
        var composeRepo = new GatherRepo("pkgset-" + Arch, pkgset.Packages.Select(e => e.Package.WithLocation(e.Path)).ToList());

        foreach (var (num, item, _, _) in units)
        {
            var (file, line, col) = ItemLocation.Find(item, "Ostree");
            string M(string name) => item.GetMetadata(name);
            var failable = M("Failable").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            try
            {
                if (string.IsNullOrWhiteSpace(M("OstreeRepo")))
                    throw new PungiException(ErrorCodes.OstreeRepoMissing, $"The Ostree item '{item.ItemSpec}' has no OstreeRepo (ostree_repo is required).", file, line, col);
                var work = layout.WorkTopdir($"ostree-{num}");
                var logDir = Path.Combine(layout.LogDir(Arch), v.Uid, $"ostree-{num}");
                Directory.CreateDirectory(logDir);
                string treefile;
                if (!string.IsNullOrEmpty(M("ConfigUrl")))
                {
                    var configRepo = Path.Combine(work, "config_repo");
                    if (Directory.Exists(configRepo)) Directory.Delete(configRepo, recursive: true);
                    var url = M("ConfigUrl").Contains("://", StringComparison.Ordinal) ? M("ConfigUrl") : Path.GetFullPath(M("ConfigUrl"), projectDir);
                    GitScm.Checkout(url, M("ConfigBranch"), configRepo, Path.Combine(logDir, "config-repo.log"), CancellationToken);
                    treefile = Path.Combine(configRepo, item.ItemSpec);
                }
                else
                {
                    treefile = Path.GetFullPath(item.ItemSpec, projectDir);
                }
                var repos = new List<GatherRepo> { composeRepo };
                foreach (var repo in M("Repo").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    repos.Add(LocalRepo(repo, projectDir, file, line, col));
                var result = OstreeComposer.Compose(new OstreeRequest
                {
                    Treefile = treefile,
                    Arch = Arch,
                    Repos = repos,
                    OstreeRepo = Path.GetFullPath(M("OstreeRepo"), projectDir),
                    OstreeRef = string.IsNullOrEmpty(M("OstreeRef")) ? null : M("OstreeRef"),
                    Version = compose.ResolveVersion(string.IsNullOrEmpty(M("Version")) ? null : M("Version"), file),
                    TagRef = Bool(M("TagRef"), true, "TagRef", file, line, col),
                    ForceNewCommit = Bool(M("ForceNewCommit"), false, "ForceNewCommit", file, line, col),
                    UpdateSummary = Bool(M("UpdateSummary"), false, "UpdateSummary", file, line, col),
                    WorkDir = work,
                    LogDir = logDir,
                    Timestamp = timestamp,
                }, CancellationToken);
                if (result.IgnoredKeys.Count > 0)
                    LogWarning(ErrorCodes.OstreeKeyIgnored,
                        $"Treefile {item.ItemSpec}: the local OSTree backend does not honour {string.Join(", ", result.IgnoredKeys)} (see src/Pungi.Build/OSTree/README.md).", file, line, col);
                LogProgress($"OSTree {v.Uid}.{Arch} #{num}: {result.Ref} = {result.CommitId} ({result.Packages.Count} packages, {result.Files} payload entries)");
            }
            catch (PungiException e) when (failable.Contains("*") || failable.Contains(Arch))
            {
                // A failable deliverable only warns (spec §1.6).
                LogWarning(e.Code, $"[FAIL] OSTree {v.Uid}.{Arch} (failable): {e.Message}", e.File, e.Line, e.Column);
            }
        }
    }

    /// <summary>A configured repository: a local repodata directory (or file:// URL); remote URLs need rpm-ostree.</summary>
    private static GatherRepo LocalRepo(string repo, string projectDir, string? file, int line, int col)
    {
        var path = repo.StartsWith("file://", StringComparison.Ordinal) ? repo["file://".Length..] : repo;
        if (path.Contains("://", StringComparison.Ordinal))
            throw new PungiException(ErrorCodes.OstreeRemoteRepo,
                $"Ostree Repo '{repo}' is a remote URL; the local backend reads local repodata only (the compose's package set is always used).", file, line, col);
        var dir = Path.GetFullPath(path, projectDir);
        return new GatherRepo(dir, RepodataReader.Read(dir).Select(p => p.WithLocation(Path.Combine(dir, p.Location))).ToList());
    }

    private static bool Bool(string value, bool defaultValue, string name, string? file, int line, int col)
        => string.IsNullOrWhiteSpace(value) ? defaultValue
            : value.Trim().ToLowerInvariant() switch
            {
                "true" => true,
                "false" => false,
                _ => throw new PungiException(ErrorCodes.OstreeBadSetting, $"Ostree {name} '{value}' is not true or false.", file, line, col),
            };

    /// <summary>
    /// Upstream's queue order: for every variant (compose order), every matching config block, every arch of its
    /// <c>arches</c> (default: the variant's), numbered from 1.
    /// </summary>
    private List<(int Num, ITaskItem Item, Variant Variant, string Arch)> Units(VariantModel model)
    {
        var units = new List<(int, ITaskItem, Variant, string)>();
        int n = 0;
        foreach (var variant in model.All)
            foreach (var item in OstreeItems)
            {
                var pattern = string.IsNullOrEmpty(item.GetMetadata("Variant")) ? "^.*$" : item.GetMetadata("Variant");
                if (!ConfigLookup.PythonReMatch(pattern, variant.Uid)) continue;
                var arches = item.GetMetadata("Arches").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                foreach (var arch in arches.Length > 0 ? arches : variant.Arches)
                    units.Add((++n, item, variant, arch));
            }
        return units;
    }
}
