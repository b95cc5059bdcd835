using System.Globalization;
using Pungi.Build.Diagnostics;
using Pungi.Build.Koji;

namespace Pungi.Build.Pkgset;

/// <summary>What one Koji tag's package set is built from (spec §2.2.1, upstream's <c>KojiPackageSet</c> arguments).</summary>
public sealed class KojiPkgsetOptions
{
    /// <summary><c>pkgset_koji_tag</c> entry: the tag, which is also the package set's name.</summary>
    public required string Tag { get; init; }
    /// <summary>The event the compose is pinned to (<see cref="KojiPkgsetEvent.ResolveAsync"/>).</summary>
    public required long EventId { get; init; }
    /// <summary><c>pkgset_koji_inherit</c> (default true).</summary>
    public bool Inherit { get; init; } = true;
    /// <summary><c>sigkeys</c> in priority order; null entries mean "the unsigned copy".</summary>
    public IReadOnlyList<string?> Sigkeys { get; init; } = [null];
    /// <summary><c>gather_method == "deps"</c>: a package without an acceptable copy falls back to the unsigned copy
    /// unless its name is wanted.</summary>
    public bool AllowInvalidSigkeys { get; init; }
    /// <summary>Names gather will ask for (only they may not fall back to unsigned copies).</summary>
    public IReadOnlyCollection<string> WantedPackages { get; init; } = [];
    /// <summary>All arches RPMs may have: src, noarch and the valid (and multilib) arches of every tree arch; others are skipped.</summary>
    public required IReadOnlySet<string> AllArches { get; init; }
    /// <summary><c>pkgset_koji_builds</c>: extra builds (NVR or id) whose RPMs replace other builds of the same package.</summary>
    public IReadOnlyList<string> ExtraBuilds { get; init; } = [];
    /// <summary><c>signed_packages_retries</c> / <c>signed_packages_wait</c>: how often to look again for a missing signed copy.</summary>
    public int SignedPackagesRetries { get; init; }
    public TimeSpan SignedPackagesWait { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>The profile's <c>topdir</c> when it is mounted here; files are used in place.</summary>
    public string TopDir { get; init; } = "/mnt/koji";
    /// <summary>When set, files are fetched from <c>topurl</c> into this downloader's cache instead (upstream's
    /// <c>koji_cache</c> / KojiDownloadProxy), and the package lists are relative to the cache.</summary>
    public KojiDownloader? Downloader { get; init; }
}

/// <summary>
/// <c>pkgset_source = "koji"</c>: the RPMs tagged in one Koji tag at the compose's event (<c>listTaggedRPMS(tag,
/// event=, inherit=, latest=True)</c>), each resolved to the copy the sigkeys choose — <c>data/signed/&lt;key&gt;/</c>
/// for a key, the build's own file for an unsigned entry — under the mounted topdir or downloaded from topurl.
/// All hub work happens in <see cref="LoadAsync"/>; the builder then reads the chosen files as for any source.
/// </summary>
public sealed class KojiPackageSetSource : IPackageSetSource
{
    private readonly List<RpmCandidate> _candidates;
    private readonly List<PkgsetWarning> _warnings;

    private KojiPackageSetSource(string name, string prefix, List<RpmCandidate> candidates, List<PkgsetWarning> warnings, IReadOnlyList<KojiChosenRpm> chosen)
    {
        Name = name;
        PathPrefix = prefix;
        _candidates = candidates;
        _warnings = warnings;
        Chosen = chosen;
    }

    public string Name { get; }

    /// <summary>Koji's topdir (or the download cache) with a trailing <c>/</c>: the package lists are relative to it.</summary>
    public string PathPrefix { get; }

    /// <summary>Every RPM taken, with the sigkey whose copy was used (null: unsigned) and whether that key was acceptable.</summary>
    public IReadOnlyList<KojiChosenRpm> Chosen { get; }

    public IReadOnlyList<RpmCandidate> GetCandidates(ICollection<PkgsetWarning> warnings)
    {
        foreach (var w in _warnings) warnings.Add(w);
        return _candidates;
    }

    public static async Task<KojiPackageSetSource> LoadAsync(KojiClient client, KojiPkgsetOptions options, CancellationToken ct = default)
    {
        KojiTaggedRpms tagged;
        try
        {
            tagged = await client.ListTaggedRpmsAsync(options.Tag, options.EventId, options.Inherit, latest: true, ct).ConfigureAwait(false);
        }
        catch (KojiGenericError e) when (e.FaultString.StartsWith("No such tagInfo", StringComparison.Ordinal))
        {
            throw new PungiException(ErrorCodes.KojiUnknownTag,
                $"Koji tag '{options.Tag}' (PkgsetKojiTag) does not exist on {client.HubUrl} ({e.FaultString})", inner: e);
        }

        var builds = tagged.Builds.ToDictionary(b => b.Id);
        var rpms = tagged.Rpms.ToList();
        if (options.ExtraBuilds.Count > 0)
            await AddExtraBuildsAsync(client, options.ExtraBuilds, rpms, builds, ct).ConfigureAwait(false);

        var policy = new SigkeyPolicy(options.Sigkeys);
        var warnings = new List<PkgsetWarning>();
        var wanted = options.WantedPackages as IReadOnlySet<string> ?? options.WantedPackages.ToHashSet(StringComparer.Ordinal);
        var topDir = options.Downloader?.CacheDir ?? Path.GetFullPath(options.TopDir);
        var pathInfo = new KojiPathInfo(options.TopDir);
        var relInfo = new KojiPathInfo("");
        var chosen = new KojiChosenRpm?[rpms.Count];
        var missing = new List<(KojiRpm Rpm, IReadOnlyList<string> Tried)>();

        // Upstream reads SRPMs first, then binaries; the list order only matters for "read order", which we keep from the hub.
        using var gate = new SemaphoreSlim(8);
        var work = rpms.Select(async (rpm, i) =>
        {
            if (!options.AllArches.Contains(rpm.Arch)) return; // e.g. nosrc, or an arch no tree takes (spec §2.2.1 step 5)
            if (!builds.TryGetValue(rpm.BuildId, out var build))
                throw new PungiException(ErrorCodes.KojiBadResponse, $"listTaggedRPMS({options.Tag}): RPM {rpm.Nvra} names build {rpm.BuildId}, which is not in the builds list");
            await gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                chosen[i] = await ChooseCopyAsync(options, policy, wanted, pathInfo, relInfo, build, rpm, missing, ct).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        await Task.WhenAll(work).ConfigureAwait(false);

        if (missing.Count > 0)
        {
            var list = missing.OrderBy(m => m.Rpm.Nvra, StringComparer.Ordinal).ToList();
            throw new PungiException(ErrorCodes.KojiPkgsetRpmsNotFound,
                $"RPM(s) not found for sigs {policy} in Koji tag '{options.Tag}': "
                + string.Join(", ", list.Select(m => m.Rpm.Nvra))
                + $". Looked for: {string.Join("; ", list.Take(3).SelectMany(m => m.Tried))}{(list.Count > 3 ? "; …" : "")}. "
                + "Sign the packages, add their key to Sigkeys, or add 'none' to Sigkeys to accept unsigned copies.");
        }

        var taken = chosen.Where(c => c is not null).Select(c => c!).ToList();
        var candidates = taken.Select(c => new RpmCandidate(c.Path, topDir, [])).ToList();
        return new KojiPackageSetSource(options.Tag, topDir.TrimEnd('/') + "/", candidates, warnings, taken);
    }

    private static async Task<KojiChosenRpm?> ChooseCopyAsync(KojiPkgsetOptions options, SigkeyPolicy policy, IReadOnlySet<string> wanted,
        KojiPathInfo pathInfo, KojiPathInfo relInfo, KojiBuild build, KojiRpm rpm, List<(KojiRpm, IReadOnlyList<string>)> missing, CancellationToken ct)
    {
        // get_package_path: one path per sigkey, in order; None means the unsigned file.
        var tries = policy.Keys.Select(k => (Key: k, Rel: (k is null ? relInfo.UnsignedPath(build, rpm) : relInfo.SignedPath(build, rpm, k)).TrimStart('/'))).ToList();
        for (var attempt = 0; ; attempt++)
        {
            foreach (var (key, rel) in tries)
            {
                var found = await LocateAsync(options, pathInfo, rel, key is null, rpm, ct).ConfigureAwait(false);
                if (found is not null) return new KojiChosenRpm(rpm, build, found, key, InvalidSigkey: false);
            }
            if (attempt >= options.SignedPackagesRetries) break;
            await Task.Delay(options.SignedPackagesWait, ct).ConfigureAwait(false); // signing may still be running
        }
        var unsignedRel = relInfo.UnsignedPath(build, rpm).TrimStart('/');
        if (options.AllowInvalidSigkeys && !wanted.Contains(rpm.Name))
        {
            // Tolerated at pkgset time; gather rejects it if it picks it (the builder's invalid-sigkey check).
            var unsigned = await LocateAsync(options, pathInfo, unsignedRel, true, rpm, ct).ConfigureAwait(false);
            if (unsigned is not null) return new KojiChosenRpm(rpm, build, unsigned, null, InvalidSigkey: true);
        }
        lock (missing) missing.Add((rpm, tries.Select(t => t.Rel).ToList()));
        return null;
    }

    /// <summary>The local path of <paramref name="rel"/> when the copy exists: in the mounted topdir, or downloaded
    /// (and validated against Koji's payload hash — and size, for the unsigned file) into the cache.</summary>
    private static async Task<string?> LocateAsync(KojiPkgsetOptions options, KojiPathInfo pathInfo, string rel, bool unsigned, KojiRpm rpm, CancellationToken ct)
    {
        if (options.Downloader is null)
        {
            var local = Path.Combine(pathInfo.TopDir, rel);
            return File.Exists(local) ? local : null;
        }
        // A signed copy keeps the header+payload, so its payload hash is Koji's; its size differs from the unsigned file's.
        var check = new KojiFileCheck(Size: unsigned ? rpm.Size : null, RpmPayloadHash: rpm.PayloadHash);
        return await options.Downloader.TryDownloadAsync(rel, check, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>pkgset_koji_builds</c>: <c>getBuild</c> + <c>listBuildRPMs</c> in one multicall per build; an extra build's
    /// RPMs replace every RPM of tagged builds with the same package name.
    /// </summary>
    private static async Task AddExtraBuildsAsync(KojiClient client, IReadOnlyList<string> extra, List<KojiRpm> rpms, Dictionary<long, KojiBuild> builds, CancellationToken ct)
    {
        var calls = new List<KojiCall>();
        foreach (var b in extra)
        {
            object id = long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : b;
            calls.Add(KojiCall.Of("getBuild", id));
            calls.Add(KojiCall.Of("listBuildRPMs", id));
        }
        var results = await client.MultiCallAsync(calls, strict: true, ct).ConfigureAwait(false);
        for (var i = 0; i < extra.Count; i++)
        {
            if (results[2 * i].Value is null)
                throw new PungiException(ErrorCodes.KojiPkgsetExtraBuildMissing, $"PkgsetKojiBuilds: Koji build '{extra[i]}' does not exist on {client.HubUrl}");
            var build = KojiBuild.From(KojiValue.AsStruct(results[2 * i].Value, "getBuild"));
            var buildRpms = KojiValue.AsArray(results[2 * i + 1].Value, "listBuildRPMs").Select(r => KojiRpm.From(KojiValue.AsStruct(r, "rpm"))).ToList();
            var replaced = builds.Values.Where(x => x.Name == build.Name && x.Id != build.Id).Select(x => x.Id).ToHashSet();
            rpms.RemoveAll(r => replaced.Contains(r.BuildId) || r.BuildId == build.Id);
            foreach (var id in replaced) builds.Remove(id);
            builds[build.Id] = build;
            rpms.AddRange(buildRpms);
        }
    }
}

/// <summary>One RPM the Koji source took: the copy's local path and the sigkey of that copy (null: unsigned).</summary>
public sealed record KojiChosenRpm(KojiRpm Rpm, KojiBuild Build, string Path, string? Sigkey, bool InvalidSigkey);

/// <summary>The compose's Koji event (spec §2.2.1 step 1): <c>getEvent(KojiEvent)</c> when pinned, else
/// <c>getLastEvent()</c>; saved as <c>work/global/koji-event</c> so later phases and reruns see the same one.</summary>
public static class KojiPkgsetEvent
{
    public static string FilePath(string workDir) => Path.Combine(workDir, "global", "koji-event");

    public static async Task<KojiEvent> ResolveAsync(KojiClient client, string workDir, long? pinned, CancellationToken ct = default)
    {
        KojiEvent ev;
        if (pinned is { } id)
        {
            try
            {
                ev = await client.GetEventAsync(id, ct).ConfigureAwait(false);
            }
            catch (KojiGenericError e)
            {
                throw new PungiException(ErrorCodes.KojiPkgsetBadEvent, $"KojiEvent {id} is not an event on {client.HubUrl}: {e.FaultString}", inner: e);
            }
        }
        else
        {
            ev = await client.GetLastEventAsync(ct).ConfigureAwait(false);
        }
        var path = FilePath(workDir);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Pungi.Build.Compose.AtomicFile.WriteIfChanged(path, ev.ToJson());
        return ev;
    }
}
