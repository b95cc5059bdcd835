using Pungi.Build.Diagnostics;

namespace Pungi.Build.Koji;

/// <summary>
/// The hub calls a compose makes (pungi-spec §8.2), each shaped as the koji client sends it for Pungi — the same
/// positional/keyword split and keyword order as the recorded exchanges in fixtures/koji-transcripts — and each
/// result read into a typed record (the whole struct stays available as <c>Raw</c>).
/// </summary>
public sealed partial class KojiClient
{
    private static readonly object?[] NoArgs = [];

    public async Task<KojiEvent> GetLastEventAsync(CancellationToken ct = default)
        => KojiEvent.From(KojiValue.AsStruct(await CallAsync("getLastEvent", NoArgs, null, ct).ConfigureAwait(false), "getLastEvent"));

    public async Task<KojiEvent> GetEventAsync(long eventId, CancellationToken ct = default)
        => KojiEvent.From(KojiValue.AsStruct(await CallAsync("getEvent", [eventId], null, ct).ConfigureAwait(false), "getEvent"));

    /// <summary><c>getTag(tag[, event=][, strict=True])</c>; null when the tag does not exist and not strict.
    /// Strict turns the hub's "No such tagInfo" into <see cref="ErrorCodes.KojiUnknownTag"/>.</summary>
    public async Task<KojiTag?> GetTagAsync(object tag, long? eventId = null, bool strict = false, CancellationToken ct = default)
    {
        var kw = new List<KeyValuePair<string, object?>>();
        if (eventId is not null) kw.Add(new("event", eventId));
        if (strict) kw.Add(new("strict", true));
        try
        {
            var v = await CallAsync("getTag", [tag], kw, ct).ConfigureAwait(false);
            return v is null ? null : KojiTag.From(KojiValue.AsStruct(v, "getTag"));
        }
        catch (KojiGenericError e) when (strict && e.FaultString.StartsWith("No such tagInfo", StringComparison.Ordinal))
        {
            throw new PungiException(ErrorCodes.KojiUnknownTag, $"Koji tag '{tag}' does not exist on {HubUrl} ({e.FaultString})", inner: e);
        }
    }

    /// <summary>
    /// <c>listTaggedRPMS(tag, event=, inherit=, latest=)</c> as Pungi's <c>get_latest_rpms</c> sends it (event
    /// always sent, nil for "now"). Returns the RPMs and their builds.
    /// </summary>
    public async Task<KojiTaggedRpms> ListTaggedRpmsAsync(string tag, long? eventId, bool inherit, bool latest = true, CancellationToken ct = default)
    {
        var v = KojiValue.AsArray(await CallAsync("listTaggedRPMS", [tag], Kw(("event", eventId), ("inherit", inherit), ("latest", latest)), ct).ConfigureAwait(false), "listTaggedRPMS");
        if (v.Count != 2)
            throw new PungiException(ErrorCodes.KojiBadResponse, $"listTaggedRPMS({tag}) returned {v.Count} elements instead of [rpms, builds]");
        return new KojiTaggedRpms(
            KojiValue.AsArray(v[0], "listTaggedRPMS rpms").Select(r => KojiRpm.From(KojiValue.AsStruct(r, "rpm"))).ToList(),
            KojiValue.AsArray(v[1], "listTaggedRPMS builds").Select(b => KojiBuild.From(KojiValue.AsStruct(b, "build"))).ToList());
    }

    /// <summary><c>listTagged(tag[, event=][, inherit=][, latest=][, package=][, type=])</c>: only the given keywords are sent.</summary>
    public async Task<IReadOnlyList<KojiBuild>> ListTaggedAsync(string tag, long? eventId = null, bool? inherit = null, bool? latest = null,
        string? package = null, string? type = null, CancellationToken ct = default)
    {
        var kw = new List<KeyValuePair<string, object?>>();
        if (eventId is not null) kw.Add(new("event", eventId));
        if (inherit is not null) kw.Add(new("inherit", inherit));
        if (latest is not null) kw.Add(new("latest", latest));
        if (package is not null) kw.Add(new("package", package));
        if (type is not null) kw.Add(new("type", type));
        var v = KojiValue.AsArray(await CallAsync("listTagged", [tag], kw, ct).ConfigureAwait(false), "listTagged");
        return v.Select(b => KojiBuild.From(KojiValue.AsStruct(b, "build"))).ToList();
    }

    /// <summary><c>getFullInheritance(tag[, event])</c>, positional as Pungi calls it.</summary>
    public async Task<IReadOnlyList<KojiInheritanceLink>> GetFullInheritanceAsync(string tag, long? eventId = null, CancellationToken ct = default)
    {
        object?[] args = eventId is null ? [tag] : [tag, eventId];
        var v = KojiValue.AsArray(await CallAsync("getFullInheritance", args, null, ct).ConfigureAwait(false), "getFullInheritance");
        return v.Select(l => KojiInheritanceLink.From(KojiValue.AsStruct(l, "inheritance link"))).ToList();
    }

    /// <summary><c>getBuild(id-or-NVR[, True])</c>; null for a missing build unless strict.</summary>
    public async Task<KojiBuild?> GetBuildAsync(object build, bool strict = false, CancellationToken ct = default)
    {
        object?[] args = strict ? [build, true] : [build];
        var v = await CallAsync("getBuild", args, null, ct).ConfigureAwait(false);
        return v is null ? null : KojiBuild.From(KojiValue.AsStruct(v, "getBuild"));
    }

    public async Task<IReadOnlyList<KojiRpm>> ListBuildRpmsAsync(object build, CancellationToken ct = default)
        => KojiValue.AsArray(await CallAsync("listBuildRPMs", [build], null, ct).ConfigureAwait(false), "listBuildRPMs")
            .Select(r => KojiRpm.From(KojiValue.AsStruct(r, "rpm"))).ToList();

    /// <summary><c>listRPMs(buildID=, imageID=, componentBuildrootID=, arches=)</c>, only the given keywords.</summary>
    public async Task<IReadOnlyList<KojiRpm>> ListRpmsAsync(long? buildId = null, long? imageId = null, long? componentBuildrootId = null,
        IReadOnlyList<string>? arches = null, CancellationToken ct = default)
    {
        var kw = new List<KeyValuePair<string, object?>>();
        if (buildId is not null) kw.Add(new("buildID", buildId));
        if (imageId is not null) kw.Add(new("imageID", imageId));
        if (componentBuildrootId is not null) kw.Add(new("componentBuildrootID", componentBuildrootId));
        if (arches is not null) kw.Add(new("arches", arches));
        return KojiValue.AsArray(await CallAsync("listRPMs", NoArgs, kw, ct).ConfigureAwait(false), "listRPMs")
            .Select(r => KojiRpm.From(KojiValue.AsStruct(r, "rpm"))).ToList();
    }

    /// <summary><c>getRPM(id or NVRA or file name)</c>; null when missing.</summary>
    public async Task<KojiRpm?> GetRpmAsync(object rpm, CancellationToken ct = default)
    {
        var v = await CallAsync("getRPM", [rpm], null, ct).ConfigureAwait(false);
        return v is null ? null : KojiRpm.From(KojiValue.AsStruct(v, "getRPM"));
    }

    /// <summary><c>getRPMChecksums(rpm_id, checksum_types=[…])</c>: sigkey ("" = unsigned) → type → hex digest.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> GetRpmChecksumsAsync(long rpmId, IReadOnlyList<string> checksumTypes, CancellationToken ct = default)
    {
        var v = KojiValue.AsStruct(await CallAsync("getRPMChecksums", [rpmId], Kw(("checksum_types", checksumTypes)), ct).ConfigureAwait(false), "getRPMChecksums");
        return v.ToDictionary(kv => kv.Key,
            kv => (IReadOnlyDictionary<string, string>)KojiValue.AsStruct(kv.Value, "checksums").ToDictionary(c => c.Key, c => c.Value as string ?? ""),
            StringComparer.Ordinal);
    }

    /// <summary><c>queryRPMSigs(rpm_id=)</c>: the signature rows (sigkey "" is the unsigned header).</summary>
    public async Task<IReadOnlyList<Dictionary<string, object?>>> QueryRpmSigsAsync(long rpmId, CancellationToken ct = default)
        => KojiValue.AsArray(await CallAsync("queryRPMSigs", NoArgs, Kw(("rpm_id", rpmId)), ct).ConfigureAwait(false), "queryRPMSigs")
            .Select(r => KojiValue.AsStruct(r, "sig")).ToList();

    /// <summary><c>queryHistory(tables=[…], tag=, afterEvent=, beforeEvent=)</c> (pkgset reuse): table → rows.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<Dictionary<string, object?>>>> QueryHistoryAsync(IReadOnlyList<string> tables,
        string? tag = null, long? afterEvent = null, long? beforeEvent = null, CancellationToken ct = default)
    {
        var kw = new List<KeyValuePair<string, object?>> { new("tables", tables) };
        if (tag is not null) kw.Add(new("tag", tag));
        if (afterEvent is not null) kw.Add(new("afterEvent", afterEvent));
        if (beforeEvent is not null) kw.Add(new("beforeEvent", beforeEvent));
        var v = KojiValue.AsStruct(await CallAsync("queryHistory", NoArgs, kw, ct).ConfigureAwait(false), "queryHistory");
        return v.ToDictionary(kv => kv.Key,
            kv => (IReadOnlyList<Dictionary<string, object?>>)KojiValue.AsArray(kv.Value, kv.Key).Select(r => KojiValue.AsStruct(r, kv.Key)).ToList(),
            StringComparer.Ordinal);
    }

    /// <summary><c>getTaskInfo(id[, request=True])</c>; null for a missing task.</summary>
    public async Task<KojiTaskInfo?> GetTaskInfoAsync(int taskId, bool request = false, CancellationToken ct = default)
    {
        var v = await CallAsync("getTaskInfo", [taskId], request ? Kw(("request", true)) : null, ct).ConfigureAwait(false);
        return v is null ? null : KojiTaskInfo.From(KojiValue.AsStruct(v, "getTaskInfo"));
    }

    /// <summary><c>getTaskInfo([ids][, request=True])</c>: one request for many tasks; null entries for missing ids.</summary>
    public async Task<IReadOnlyList<KojiTaskInfo?>> GetTaskInfosAsync(IReadOnlyList<int> taskIds, bool request = false, CancellationToken ct = default)
    {
        var v = KojiValue.AsArray(await CallAsync("getTaskInfo", [taskIds], request ? Kw(("request", true)) : null, ct).ConfigureAwait(false), "getTaskInfo");
        return v.Select(t => t is null ? null : KojiTaskInfo.From(KojiValue.AsStruct(t, "task"))).ToList();
    }

    /// <summary><c>getTaskChildren(id[, request=True])</c>.</summary>
    public async Task<IReadOnlyList<KojiTaskInfo>> GetTaskChildrenAsync(int taskId, bool request = false, CancellationToken ct = default)
        => KojiValue.AsArray(await CallAsync("getTaskChildren", [taskId], request ? Kw(("request", true)) : null, ct).ConfigureAwait(false), "getTaskChildren")
            .Select(t => KojiTaskInfo.From(KojiValue.AsStruct(t, "task"))).ToList();

    /// <summary><c>getTaskResult(id)</c>: the result value; a failed task's stored fault is thrown (or, with
    /// <paramref name="raiseFault"/> false, returned as a {faultCode, faultString} struct).</summary>
    public Task<object?> GetTaskResultAsync(int taskId, bool raiseFault = true, CancellationToken ct = default)
        => CallAsync("getTaskResult", [taskId], raiseFault ? null : Kw(("raise_fault", false)), ct);

    /// <summary><c>listArchives(buildID=[, type=])</c>.</summary>
    public async Task<IReadOnlyList<KojiArchive>> ListArchivesAsync(long buildId, string? type = null, CancellationToken ct = default)
    {
        var kw = new List<KeyValuePair<string, object?>> { new("buildID", buildId) };
        if (type is not null) kw.Add(new("type", type));
        return KojiValue.AsArray(await CallAsync("listArchives", NoArgs, kw, ct).ConfigureAwait(false), "listArchives")
            .Select(a => KojiArchive.From(KojiValue.AsStruct(a, "archive"))).ToList();
    }

    /// <summary><c>system.listMethods()</c>: feature detection (e.g. getRPMChecksums).</summary>
    public async Task<IReadOnlyList<string>> ListMethodsAsync(CancellationToken ct = default)
        => KojiValue.AsArray(await CallAsync("system.listMethods", NoArgs, null, ct).ConfigureAwait(false), "system.listMethods")
            .Select(m => m as string ?? "").ToList();

    /// <summary><c>cancelTask(id)</c> (needs a session).</summary>
    public Task CancelTaskAsync(int taskId, CancellationToken ct = default)
    {
        RequireLogin("cancelTask");
        return CallAsync("cancelTask", [taskId], null, ct);
    }

    // ---------------------------------------------------------------- task submission (need a session)

    /// <summary><c>buildImage(name, version, arch, target, ksfile, img_type, opts=, priority=)</c> as the koji CLI's
    /// spin-livecd (<c>livecd</c>), spin-appliance (<c>appliance</c>) and spin-livemedia (<c>livemedia</c>, arch a list)
    /// send it. <paramref name="ksFile"/> is the kickstart's name inside <c>opts["ksurl"]</c>'s checkout (uploading
    /// a local kickstart is not supported).</summary>
    public Task<int> BuildImageAsync(string name, string version, object arch, string target, string ksFile, string imageType,
        IReadOnlyDictionary<string, object?> opts, int? priority = null, CancellationToken ct = default)
        => SubmitAsync("buildImage", [name, version, arch, target, ksFile, imageType], Kw(("opts", opts), ("priority", priority)), ct);

    public Task<int> LiveCdAsync(string name, string version, string arch, string target, string ksFile, IReadOnlyDictionary<string, object?> opts, int? priority = null, CancellationToken ct = default)
        => BuildImageAsync(name, version, arch, target, ksFile, "livecd", opts, priority, ct);

    public Task<int> ApplianceAsync(string name, string version, string arch, string target, string ksFile, IReadOnlyDictionary<string, object?> opts, int? priority = null, CancellationToken ct = default)
        => BuildImageAsync(name, version, arch, target, ksFile, "appliance", opts, priority, ct);

    public Task<int> LiveMediaAsync(string name, string version, IReadOnlyList<string> arches, string target, string ksFile, IReadOnlyDictionary<string, object?> opts, int? priority = null, CancellationToken ct = default)
        => BuildImageAsync(name, version, arches, target, ksFile, "livemedia", opts, priority, ct);

    /// <summary><c>buildImageOz(name, version, arches, target, inst_tree, opts=, priority=)</c>: the koji CLI's
    /// <c>image-build</c>, which Pungi's ImageBuild phase drives.</summary>
    public Task<int> BuildImageOzAsync(string name, string version, IReadOnlyList<string> arches, string target, string installTree,
        IReadOnlyDictionary<string, object?> opts, int? priority = null, CancellationToken ct = default)
        => SubmitAsync("buildImageOz", [name, version, arches, target, installTree], Kw(("opts", opts), ("priority", priority)), ct);

    /// <summary><c>osbuildImage(name, version, distro, image_types, target, arches, opts=)</c> (koji-osbuild hub plugin),
    /// as Pungi's osbuild phase calls it.</summary>
    public Task<int> OsbuildImageAsync(string name, string version, string distro, IReadOnlyList<string> imageTypes, string target,
        IReadOnlyList<string> arches, IReadOnlyDictionary<string, object?> opts, CancellationToken ct = default)
        => SubmitAsync("osbuildImage", [name, version, distro, imageTypes, target, arches], Kw(("opts", opts)), ct);

    /// <summary><c>kiwiBuild(target, arches, desc_url, desc_path, **opts)</c> (koji's kiwi hub plugin). Keyword
    /// options Pungi passes: profile, release, repos, optional_arches; the plugin also takes scratch, type,
    /// type_attr, result_bundle_name_format, make_prep, priority. Null options are not sent.</summary>
    public Task<int> KiwiBuildAsync(string target, IReadOnlyList<string> arches, string descriptionScm, string descriptionPath,
        IReadOnlyList<KeyValuePair<string, object?>> options, CancellationToken ct = default)
        => SubmitAsync("kiwiBuild", [target, arches, descriptionScm, descriptionPath], options.Where(o => o.Value is not null).ToList(), ct);

    /// <summary><c>buildContainer(src, target, opts[, priority=])</c> (koji-containerbuild hub plugin), as Pungi's
    /// osbs and image_container phases call it.</summary>
    public Task<int> BuildContainerAsync(string source, string target, IReadOnlyDictionary<string, object?> opts, int? priority = null, CancellationToken ct = default)
        => SubmitAsync("buildContainer", [source, target, opts], priority is null ? null : Kw(("priority", priority)), ct);

    /// <summary>Any task-creating call, sent as given (the image phases build their own argument lists); the task id
    /// is recorded in <see cref="TaskLog"/> before returning.</summary>
    public Task<int> SubmitTaskAsync(string method, IReadOnlyList<object?> args, IReadOnlyList<KeyValuePair<string, object?>>? kwargs, CancellationToken ct = default)
        => SubmitAsync(method, args, kwargs, ct);

    private async Task<int> SubmitAsync(string method, IReadOnlyList<object?> args, IReadOnlyList<KeyValuePair<string, object?>>? kwargs, CancellationToken ct)
    {
        RequireLogin(method);
        var v = await CallAsync(method, args, kwargs, ct).ConfigureAwait(false);
        var id = v switch
        {
            int i => i,
            long l => checked((int)l),
            _ => throw new PungiException(ErrorCodes.KojiBadResponse, $"{method} returned {(v is null ? "nil" : v.GetType().Name)} instead of a task id"),
        };
        TaskLog?.Record(id); // before anything else can fail: the task exists at the hub now
        return id;
    }

    private void RequireLogin(string method)
    {
        if (_session is null)
            throw new PungiException(ErrorCodes.KojiNotLoggedIn, $"{method} needs a Koji session: log in first (authtype ssl with cert, or kerberos)");
    }
}
