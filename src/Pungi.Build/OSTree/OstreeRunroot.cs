using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pungi.Build.Diagnostics;
using Pungi.Build.Runroot;

namespace Pungi.Build.OSTree;

/// <summary>
/// What upstream's <c>OSTreeThread._run_ostree_cmd</c> hands to <c>pungi-make-ostree tree</c> for one unit (spec §2.7).
/// </summary>
public sealed class OstreeTreeArgs
{
    /// <summary><c>ostree_repo</c>.</summary>
    public required string OstreeRepo { get; init; }
    /// <summary><c>logs/&lt;arch&gt;/&lt;V&gt;/ostree-&lt;N&gt;</c>: where commitid.log and its stamp are written.</summary>
    public required string LogDir { get; init; }
    /// <summary><c>work/ostree-&lt;N&gt;/config_repo/&lt;treefile&gt;</c>.</summary>
    public required string Treefile { get; init; }
    /// <summary>The generated version (magic values expanded), or null.</summary>
    public string? Version { get; init; }
    /// <summary><c>work/ostree-&lt;N&gt;/extra_config.json</c>, or null.</summary>
    public string? ExtraConfig { get; init; }
    public bool UpdateSummary { get; init; }
    public string? OstreeRef { get; init; }
    public bool ForceNewCommit { get; init; }
    public bool UnifiedCore { get; init; }
}

/// <summary>
/// The OSTree phase through a runroot (upstream with <c>runroot_method</c> koji, without <c>ostree_use_koji_plugin</c>):
/// the <c>pungi-make-ostree tree</c> command line, the runroot request around it, the <c>extra_config.json</c> it reads
/// (repos and <c>keep_original_sources</c>), and the commit id it leaves in the log directory.
/// </summary>
public static partial class OstreeRunroot
{
    /// <summary>Upstream's runroot packages for the ostree phase (no extra packages are configurable for it).</summary>
    public static readonly IReadOnlyList<string> Packages = ["pungi", "ostree", "rpm-ostree"];

    /// <summary>pungi-make-ostree's stamp: rpm-ostree <c>--touch-if-changed</c> creates it only when it made a new commit.</summary>
    public const string CommitIdStamp = OstreeComposer.CommitIdLog + ".stamp";

    /// <summary>
    /// The argument list, in upstream's OrderedDict order (repo, log-dir, treefile, version, extra-config,
    /// update-summary, ostree-ref, force-new-commit, unified-core): <c>True</c> → <c>--key</c>, any other truthy value
    /// → <c>--key=value</c>, falsy values (None, False, "") left out.
    /// </summary>
    public static IReadOnlyList<string> Arguments(OstreeTreeArgs a)
    {
        var args = new List<string> { "pungi-make-ostree", "tree" };
        void Value(string key, string? value) { if (!string.IsNullOrEmpty(value)) args.Add($"--{key}={value}"); }
        void Flag(string key, bool on) { if (on) args.Add("--" + key); }
        Value("repo", a.OstreeRepo);
        Value("log-dir", a.LogDir);
        Value("treefile", a.Treefile);
        Value("version", a.Version);
        Value("extra-config", a.ExtraConfig);
        Flag("update-summary", a.UpdateSummary);
        Value("ostree-ref", a.OstreeRef);
        Flag("force-new-commit", a.ForceNewCommit);
        Flag("unified-core", a.UnifiedCore);
        return args;
    }

    /// <summary>
    /// <c>runroot.run(cmd, log_file=&lt;logdir&gt;/runroot.log, arch, packages=[pungi, ostree, rpm-ostree],
    /// mounts=[topdir, ostree_repo], new_chroot=True, weight=runroot_weights["ostree"])</c>; the list becomes one
    /// shell string with <c>shlex.quote</c>. No chown paths: upstream gives none for this phase.
    /// </summary>
    public static RunrootRequest Request(OstreeTreeArgs a, string arch, string topdir, double? weight)
        => new()
        {
            Command = ShellQuote.Join(Arguments(a)),
            Arch = arch,
            LogFile = Path.Combine(a.LogDir, "runroot.log"),
            Packages = Packages,
            Mounts = [topdir, a.OstreeRepo],
            Weight = weight,
        };

    /// <summary><c>_translate_url_to_repo_id</c>: every character outside <c>[A-Za-z0-9-_.:]</c> becomes <c>_</c>.</summary>
    public static string RepoId(string url) => NotRepoIdChar().Replace(url, "_");

    [GeneratedRegex("[^A-Za-z0-9\\-_.:]", RegexOptions.CultureInvariant)]
    private static partial Regex NotRepoIdChar();

    /// <summary>
    /// <c>get_repo_dicts</c> for string entries: a URL (contains <c>://</c>) becomes <c>{name, baseurl}</c>; anything else
    /// (a variant UID, a local path nothing translated) is dropped and reported through <paramref name="dropped"/>.
    /// </summary>
    public static List<JsonObject> RepoDicts(IEnumerable<string> repos, Action<string>? dropped = null)
    {
        var result = new List<JsonObject>();
        foreach (var repo in repos)
        {
            if (repo.Contains("://", StringComparison.Ordinal))
                result.Add(new JsonObject { ["name"] = RepoId(repo), ["baseurl"] = repo });
            else
                dropped?.Invoke(repo);
        }
        return result;
    }

    /// <summary>Keys upstream pops from the config before writing extra_config.json.</summary>
    public static readonly IReadOnlySet<string> NotInExtraConfig =
        new HashSet<string>(StringComparer.Ordinal) { "ostree_repo", "treefile", "config_url", "config_branch", "failable", "version", "update_summary" };

    /// <summary>
    /// <c>extra_config.json</c>: the unit's config (keys in the given order) with <c>repo</c> replaced by the repo dicts
    /// (in place, or appended when the config had none) and <see cref="NotInExtraConfig"/> removed; written as Python's
    /// <c>json.dump(indent=4)</c> writes it.
    /// </summary>
    public static string ExtraConfig(IEnumerable<KeyValuePair<string, JsonNode?>> config, IReadOnlyList<JsonObject> repos)
    {
        var o = new JsonObject();
        foreach (var (key, value) in config)
            o[key] = value?.DeepClone();
        o["repo"] = new JsonArray(repos.Select(r => (JsonNode)r.DeepClone()).ToArray());
        foreach (var key in NotInExtraConfig) o.Remove(key);
        // Python's json.dump leaves '&', '<', '+' as they are (ensure_ascii escapes only non-ASCII, which repo URLs
        // and these keys do not carry); the relaxed encoder does the same for ASCII.
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 4, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>
    /// A treefile outside a git <c>ConfigUrl</c> is copied into <c>config_repo</c> (the runroot sees only the mounted
    /// compose): the file itself and every file its <c>include</c>s name (JSON or YAML), at the same paths
    /// relative to the treefile's directory. An include outside that directory cannot be placed and is refused.
    /// </summary>
    public static string CopyTreefile(string treefile, string configRepo)
    {
        if (!File.Exists(treefile))
            throw new PungiException(ErrorCodes.OstreeTreefileMissing, $"Treefile {treefile} does not exist.", treefile);
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(treefile))!;
        if (Directory.Exists(configRepo)) Directory.Delete(configRepo, recursive: true);
        var pending = new Stack<string>([Path.GetFullPath(treefile)]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            var file = pending.Pop();
            if (!seen.Add(file)) continue;
            var rel = Path.GetRelativePath(baseDir, file);
            if (rel.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(rel))
                throw new PungiException(ErrorCodes.OstreeRunrootTreefileOutside,
                    $"Treefile {treefile} includes {file}, outside its directory; with RunrootMethod koji the treefiles are copied into work/ostree-<N>/config_repo — keep them in one directory or use ConfigUrl.", treefile);
            if (!File.Exists(file))
                throw new PungiException(ErrorCodes.OstreeTreefileMissing, $"Treefile {file}, included from {treefile}, does not exist.", treefile);
            var dest = Path.Combine(configRepo, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(file, dest, overwrite: true);
            foreach (var inc in Treefile.Includes(file))
                pending.Push(Path.GetFullPath(inc, Path.GetDirectoryName(file)!));
        }
        return Path.Combine(configRepo, Path.GetFileName(treefile));
    }

    /// <summary>An ostree commit checksum: 64 lowercase hex digits.</summary>
    [GeneratedRegex("^[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Checksum();

    /// <summary>Before a run: a stamp or commit id left by an earlier build of this compose must not pass for this one's.</summary>
    public static void ClearCommitId(string logDir)
    {
        File.Delete(Path.Combine(logDir, CommitIdStamp));
        File.Delete(Path.Combine(logDir, OstreeComposer.CommitIdLog));
    }

    /// <summary>
    /// The commit the task made, as upstream's <c>get_commitid_from_commitid_file</c> reads it: with the stamp, the
    /// content of <c>commitid.log</c> without newlines; without the stamp there was no new commit and the ref's
    /// current commit (<c>&lt;repo&gt;/refs/heads/&lt;ref&gt;</c>, which pungi-make-ostree writes) stands, as the local
    /// backend's <c>--skip-if-unchanged</c> reports it. Returns (commit, isNew). The commit is then recorded in
    /// <c>commitid.log</c> exactly as the local backend writes it (the checksum, no newline). A task that succeeded
    /// but left no usable commit id is <see cref="ErrorCodes.OstreeRunrootNoCommitId"/>.
    /// </summary>
    public static (string Commit, bool IsNew) ReadCommitId(string logDir, string ostreeRepo, string? reference, string runrootLog)
    {
        var commitFile = Path.Combine(logDir, OstreeComposer.CommitIdLog);
        string commit;
        bool isNew;
        if (File.Exists(Path.Combine(logDir, CommitIdStamp)))
        {
            if (!File.Exists(commitFile))
                throw NoCommit($"the task touched {CommitIdStamp} (a new commit) but wrote no {commitFile}", runrootLog);
            commit = File.ReadAllText(commitFile).Replace("\n", "", StringComparison.Ordinal);
            isNew = true;
        }
        else
        {
            var head = reference is null ? null : Path.Combine(ostreeRepo, "refs", "heads", reference);
            if (head is null || !File.Exists(head))
                throw NoCommit($"the task wrote no {CommitIdStamp} (no new commit) and the ref {reference ?? "(unknown)"} does not exist in {ostreeRepo}", runrootLog);
            commit = File.ReadAllText(head).Trim();
            isNew = false;
        }
        if (!Checksum().IsMatch(commit))
            throw NoCommit($"'{commit}' (from {(isNew ? commitFile : "refs/heads/" + reference)}) is not an ostree commit checksum", runrootLog);
        if (!File.Exists(commitFile) || File.ReadAllText(commitFile) != commit)
            File.WriteAllText(commitFile, commit, new UTF8Encoding(false));
        return (commit, isNew);
    }

    private static PungiException NoCommit(string what, string runrootLog)
        => new(ErrorCodes.OstreeRunrootNoCommitId,
            $"The OSTree runroot task succeeded but gave no commit id: {what}; last lines of {runrootLog}:\n{LogTail.Read(runrootLog, 20)}", runrootLog);
}
