using System.Text.Json.Nodes;
using Microsoft.Build.Framework;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.ExtraFiles;
using Pungi.Build.Gather;
using Pungi.Build.Metadata;
using Pungi.Build.OSTree;
using Pungi.Build.Pkgset;
using Pungi.Build.Repodata;
using Pungi.Build.Runroot;
using Pungi.Build.Variants;

namespace Pungi.Build.Tasks;

/// <summary>
/// OSTree phase (spec §2.7), local backend, per variant.arch: every <c>Ostree</c> item (one <c>ostree</c> config dict:
/// Include = treefile, metadata OstreeRepo, ConfigUrl, ConfigBranch, Repo, Version, OstreeRef, Arches, TagRef,
/// ForceNewCommit, UpdateSummary, Failable) whose Variant regex matches commits one tree. Units are numbered as
/// upstream queues them (variants in compose order, then config blocks, then arches) for <c>work/ostree-&lt;N&gt;/</c>
/// and <c>logs/&lt;arch&gt;/&lt;V&gt;/ostree-&lt;N&gt;/commitid.log</c>. Nothing goes into the compose metadata, as upstream.
/// With <c>RunrootMethod</c> koji for the phase <c>ostree</c>, each unit is instead upstream's
/// <c>pungi-make-ostree tree</c> in a Koji runroot task (<see cref="OstreeRunroot"/>).
/// </summary>
public sealed class OSTree : RunrootTask
{
    public ITaskItem[] OstreeItems { get; set; } = [];
    public string? SourceDateEpoch { get; set; }
    /// <summary><c>translate_paths</c>: <c>local=url</c> pairs, <c>;</c>-separated (the package set and comps repos the runroot reads).</summary>
    public string? TranslatePaths { get; set; }

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
        bool koji = ResolveMethod("ostree") == Pungi.Build.Runroot.RunrootMethod.Koji;
        IRunroot? runroot = null;
        Pungi.Build.Koji.KojiClient? client = null;
        GatherRepo? composeRepo = null;
        try
        {
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
                    if (koji)
                    {
                        runroot ??= CreateRunroot("ostree", out client);
                        RunInRunroot(runroot, num, item, v, treefile, work, logDir, compose, projectDir, file, line, col);
                        continue;
                    }
                    composeRepo ??= new GatherRepo("pkgset-" + Arch, PackageSetStore.LoadCompose(layout.WorkDir, Arch).Packages.Select(e => e.Package.WithLocation(e.Path)).ToList());
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
        finally
        {
            client?.Dispose();
        }
    }

    /// <summary>
    /// One unit as upstream runs it with a runroot (spec §2.7): the treefile in <c>work/ostree-&lt;N&gt;/config_repo</c>
    /// (cloned from ConfigUrl, or copied there), <c>extra_config.json</c> with the repos the runroot can reach (the
    /// configured ones, every package set's <c>work/$basearch/repo/&lt;name&gt;</c> and the variant's comps repo,
    /// through TranslatePaths; entries that are not URLs dropped with a warning), the repository created (and
    /// initialised, as the local backend does) when missing, <c>pungi-make-ostree tree</c> as a runroot task, then the
    /// commit id it left in the log directory recorded as the local backend records it.
    /// </summary>
    private void RunInRunroot(IRunroot runroot, int num, ITaskItem item, Pungi.Build.Variants.Variant v, string treefile, string work,
        string logDir, ComposeInfo compose, string projectDir, string? file, int line, int col)
    {
        string M(string name) => item.GetMetadata(name);
        var layout = Layout;
        var configRepo = Path.Combine(work, "config_repo");
        if (string.IsNullOrEmpty(M("ConfigUrl")))
            treefile = OstreeRunroot.CopyTreefile(treefile, configRepo);

        var translate = (TranslatePaths ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2 && p[1].Length > 0)
            .Select(p => (ConfigLookup.NormPath(p[0]), p[1])).ToList();
        var entries = M("Repo").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var names = PkgsetPaths.Names(layout.WorkDir);
        if (File.Exists(names))
            foreach (var name in File.ReadLines(names).Where(n => n.Length > 0))
                entries.Add(ConfigLookup.TranslatePath(layout.PkgsetRepo(name, "$basearch"), translate));
        if (Directory.Exists(layout.CompsRepo(Arch, v)))
            entries.Add(ConfigLookup.TranslatePath(layout.CompsRepo("$basearch", v), translate));
        var repoDicts = OstreeRunroot.RepoDicts(entries, dropped => LogWarning(ErrorCodes.OstreeRunrootRepoDropped,
            $"Variant-type source repository is deprecated and will be ignored during 'OSTree' phase: {dropped}" +
            (dropped.StartsWith('/') ? " (a local path: map it to a URL with TranslatePaths)" : ""), file, line, col));

        var ostreeRepo = Path.GetFullPath(M("OstreeRepo"), projectDir);
        var tagRef = Bool(M("TagRef"), true, "TagRef", file, line, col);
        var ostreeRef = string.IsNullOrEmpty(M("OstreeRef")) ? null : M("OstreeRef");
        // The ostree config dict as upstream holds it; extra_config.json keeps what pungi-make-ostree may read.
        var config = new List<KeyValuePair<string, JsonNode?>>();
        void Put(string key, JsonNode? value) { if (value is not null) config.Add(new(key, value)); }
        JsonNode? Flag(string name) => string.IsNullOrWhiteSpace(M(name)) ? null : JsonValue.Create(Bool(M(name), false, name, file, line, col));
        JsonNode? Text(string name) => string.IsNullOrWhiteSpace(M(name)) ? null : JsonValue.Create(M(name).Trim());
        Put("treefile", JsonValue.Create(item.ItemSpec));
        Put("config_url", Text("ConfigUrl"));
        Put("repo", new JsonArray());
        Put("keep_original_sources", Flag("KeepOriginalSources"));
        Put("config_branch", Text("ConfigBranch"));
        var arches = M("Arches").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (arches.Length > 0) Put("arches", new JsonArray(arches.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()));
        Put("failable", Text("Failable"));
        Put("update_summary", Flag("UpdateSummary"));
        Put("force_new_commit", Flag("ForceNewCommit"));
        Put("unified_core", Flag("UnifiedCore"));
        Put("version", Text("Version"));
        Put("tag_ref", Flag("TagRef"));
        Put("ostree_ref", Text("OstreeRef"));
        Put("ostree_repo", JsonValue.Create(ostreeRepo));
        var extraConfig = Path.Combine(work, "extra_config.json");
        Directory.CreateDirectory(work);
        File.WriteAllText(extraConfig, OstreeRunroot.ExtraConfig(config, repoDicts));

        // Upstream makes the directory so the task can mount it; an empty one is initialised as the local backend does.
        OstreeComposer.EnsureRepo(ostreeRepo, Path.Combine(logDir, "ostree-init.log"), CancellationToken);

        var args = new OstreeTreeArgs
        {
            OstreeRepo = ostreeRepo,
            LogDir = logDir,
            Treefile = treefile,
            Version = compose.ResolveVersion(string.IsNullOrEmpty(M("Version")) ? null : M("Version"), file),
            ExtraConfig = extraConfig,
            UpdateSummary = Bool(M("UpdateSummary"), false, "UpdateSummary", file, line, col),
            OstreeRef = ostreeRef,
            ForceNewCommit = Bool(M("ForceNewCommit"), false, "ForceNewCommit", file, line, col),
            UnifiedCore = Bool(M("UnifiedCore"), false, "UnifiedCore", file, line, col),
        };
        var request = OstreeRunroot.Request(args, Arch, layout.Topdir, Weight("ostree"));
        OstreeRunroot.ClearCommitId(logDir);
        LogProgress($"OSTree {v.Uid}.{Arch} #{num}: pungi-make-ostree tree in a Koji runroot task (log {request.LogFile})");
        runroot.RunAsync(request, CancellationToken).GetAwaiter().GetResult();

        var reference = (ostreeRef ?? Treefile.TopLevelRef(treefile, Arch))?.Replace("${basearch}", Arch, StringComparison.Ordinal);
        var (commit, isNew) = OstreeRunroot.ReadCommitId(logDir, ostreeRepo, tagRef ? reference : null, request.LogFile);
        LogProgress($"OSTree {v.Uid}.{Arch} #{num}: {reference ?? "(untagged)"} = {commit}{(isNew ? "" : " (no new commit)")}");
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
