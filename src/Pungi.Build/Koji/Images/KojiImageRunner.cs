using System.Globalization;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Iso;

namespace Pungi.Build.Koji.Images;

/// <summary>An image taken into the compose (or, for container builds, only recorded).</summary>
public sealed record KojiImageFile(KojiImageRequest Request, int TaskId, string Arch, CreateisoImage Image);

/// <summary>A failable deliverable that failed (upstream <c>compose.fail_deliverable</c>).</summary>
public sealed record KojiFailedDeliverable(KojiImageRequest Request, string Arch, int? TaskId, string Reason);

/// <summary>One container image of a finished OSBS/ImageContainer build, for <c>osbs.json</c>.</summary>
public sealed record KojiContainerImage(KojiImageRequest Request, int TaskId, string Arch, Dictionary<string, object?> Metadata);

public sealed record KojiImagesOutcome(
    IReadOnlyList<int> TaskIds,
    IReadOnlyList<KojiImageFile> Images,
    IReadOnlyList<KojiContainerImage> Containers,
    IReadOnlyList<KojiFailedDeliverable> Failed);

/// <summary>
/// Runs one image phase's hub tasks the way a compose needs: every task submitted over XML-RPC (ids recorded by the
/// client's task log), all of them waited on together by one <see cref="KojiTaskWatcher"/> polling loop (no thread
/// or build node per task), their results read with multicalls and the files linked into <c>compose/…/images|iso/</c>.
/// A failure of a failable deliverable is returned, not thrown; a required one throws <see cref="ErrorCodes.KojiImageTaskFailed"/>
/// with the task id and the hub's message. Cancelling cancels every submitted task at the hub.
/// </summary>
public sealed class KojiImageRunner(KojiClient client, ComposeLayout layout)
{
    /// <summary>The mounted topdir (files linked from there), unless <see cref="Downloader"/> is set.</summary>
    public KojiPathInfo PathInfo { get; init; } = new("/mnt/koji");
    /// <summary>Fetches files from topurl into a cache (then linked from the cache).</summary>
    public KojiDownloader? Downloader { get; init; }
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(6);
    /// <summary>Progress lines (task created, state changes).</summary>
    public Action<string>? Log { get; init; }
    /// <summary>Submissions in flight at once. A session's call numbers must reach the hub in order (it answers a
    /// lower one with SequenceError), so one session submits one call at a time, as koji's client does.</summary>
    public int MaxConcurrentSubmissions { get; init; } = 1;

    /// <summary>Image suffixes by type (spec §2.12 table), longest match wins.</summary>
    public static IReadOnlyList<(string Type, string Suffix)> SuffixTable { get; } =
    [
        ("docker", "tar.gz"), ("docker", "tar.xz"), ("liveimg-squashfs", "liveimg.squashfs"), ("qcow", "qcow"), ("qcow2", "qcow2"),
        ("raw", "raw"), ("raw-xz", "raw.xz"), ("rhevm-ova", "rhevm.ova"), ("tar-gz", "tar.gz"),
        ("vagrant-hyperv", "vagrant-hyperv.box"), ("vagrant-libvirt", "vagrant-libvirt.box"), ("vagrant-virtualbox", "vagrant-virtualbox.box"),
        ("vagrant-vmware-fusion", "vagrant-vmware-fusion.box"), ("vdi", "vdi"), ("vmdk", "vmdk"), ("vpc", "vhd"), ("vsphere-ova", "vsphere.ova"),
    ];

    private static readonly HashSet<string> ImageChildMethods = ["createImage", "createLiveMedia", "createAppliance", "createLiveCD", "createKiwiImage"];

    public async Task<KojiImagesOutcome> RunAsync(IReadOnlyList<KojiImageRequest> requests, CancellationToken ct = default)
    {
        if (requests.Count == 0) return new KojiImagesOutcome([], [], [], []);
        if (!client.LoggedIn) await client.LoginAsync(ct).ConfigureAwait(false);

        var failed = new List<KojiFailedDeliverable>();
        var errors = new List<string>();
        var ids = await SubmitAllAsync(requests, failed, errors, ct).ConfigureAwait(false);
        if (errors.Count > 0)
            throw new PungiException(ErrorCodes.KojiImageTaskFailed, string.Join("\n", errors));

        var byTask = ids.Where(p => p.Value is not null).ToDictionary(p => p.Value!.Value, p => p.Key);
        var watcher = new KojiTaskWatcher(client, PollInterval)
        {
            StateChanged = t => Log?.Invoke($"Koji task {t.Id} ({t.Method}{(byTask.TryGetValue(t.Id, out var r) ? ", " + r.Describe : "")}): {t.State.ToString().ToUpperInvariant()}"),
        };
        var outcomes = await watcher.WaitForTasksAsync(byTask.Keys, ct).ConfigureAwait(false);

        var images = new List<KojiImageFile>();
        var containers = new List<KojiContainerImage>();
        var done = new List<(KojiImageRequest Request, KojiTaskOutcome Outcome)>();
        foreach (var (id, request) in byTask)
        {
            var o = outcomes[id];
            if (o.Succeeded) { done.Add((request, o)); continue; }
            var reason = o.FailureReason ?? $"task ended {o.State}";
            if (request.CanFail(null))
                failed.AddRange(request.Arches.Select(a => new KojiFailedDeliverable(request, a, id, reason)));
            else
                errors.Add($"{request.Describe}: Koji task {id} {(o.State == KojiTaskState.Canceled ? "was cancelled" : "failed")}: {reason} ({client.HubUrl})");
        }
        if (errors.Count > 0)
            throw new PungiException(ErrorCodes.KojiImageTaskFailed, string.Join("\n", errors));

        await CollectAsync(done, images, containers, ct).ConfigureAwait(false);

        // every required arch must have its image (spec §2.11: fewer ISOs than required arches is an error)
        foreach (var (request, outcome) in done)
        {
            foreach (var arch in request.Arches)
            {
                var has = request.Destination == KojiImageDestination.None
                    ? containers.Any(c => c.TaskId == outcome.TaskId)
                    : images.Any(i => i.TaskId == outcome.TaskId && i.Arch == arch);
                if (has) continue;
                if (request.CanFail(arch))
                    failed.Add(new KojiFailedDeliverable(request, arch, outcome.TaskId, $"Koji task {outcome.TaskId} produced no image for {arch}"));
                else if (request.Destination != KojiImageDestination.None)
                    errors.Add($"{request.Describe}: Koji task {outcome.TaskId} finished without an image for {arch}");
            }
        }
        if (errors.Count > 0)
            throw new PungiException(ErrorCodes.KojiImageMissingArch, string.Join("\n", errors));
        return new KojiImagesOutcome(byTask.Keys.Order().ToList(), images, containers, failed);
    }

    private async Task<Dictionary<KojiImageRequest, int?>> SubmitAllAsync(IReadOnlyList<KojiImageRequest> requests, List<KojiFailedDeliverable> failed, List<string> errors, CancellationToken ct)
    {
        var ids = new Dictionary<KojiImageRequest, int?>(ReferenceEqualityComparer.Instance);
        using var gate = new SemaphoreSlim(MaxConcurrentSubmissions);
        var submitted = new List<int>();
        try
        {
            await Task.WhenAll(requests.Select(async r =>
            {
                await gate.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    var id = await client.SubmitTaskAsync(r.Method, r.Args, r.Kwargs, ct).ConfigureAwait(false);
                    lock (ids) { ids[r] = id; submitted.Add(id); }
                    Log?.Invoke($"Koji task {id} created: {r.Describe} ({r.Method}); {client.HubUrl.GetLeftPart(UriPartial.Authority)}/koji/taskinfo?taskID={id}");
                }
                catch (KojiFaultException e)
                {
                    lock (ids)
                    {
                        ids[r] = null;
                        if (r.CanFail(null)) failed.AddRange(r.Arches.Select(a => new KojiFailedDeliverable(r, a, null, e.FaultString)));
                        else errors.Add($"{r.Describe}: the hub refused {r.Method}: {e.FaultString}");
                    }
                }
                finally
                {
                    gate.Release();
                }
            })).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl+C while submitting: what was created must not keep running
            List<int> created;
            lock (ids) created = submitted.ToList();
            if (created.Count > 0)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await client.MultiCallAsync(created.Select(id => KojiCall.Of("cancelTask", id)).ToList(), strict: false, cts.Token).ConfigureAwait(false);
            }
            throw;
        }
        return ids;
    }

    private async Task CollectAsync(List<(KojiImageRequest Request, KojiTaskOutcome Outcome)> done, List<KojiImageFile> images, List<KojiContainerImage> containers, CancellationToken ct)
    {
        // 1. child-task images (buildImage, buildImageOz, kiwiBuild): one multicall of getTaskResult for every CLOSED image child
        var childTasks = done.Where(d => d.Request.Method is "buildImage" or "buildImageOz" or "kiwiBuild")
            .SelectMany(d => d.Outcome.Children.Where(c => ImageChildMethods.Contains(c.Method) && c.State == KojiTaskState.Closed).Select(c => (d.Request, d.Outcome, Child: c)))
            .ToList();
        var childResults = await client.MultiCallAsync(childTasks.Select(c => KojiCall.Of("getTaskResult", c.Child.Id)).ToList(), strict: true, ct).ConfigureAwait(false);
        var links = new List<(KojiImageRequest Request, int TaskId, string Arch, string Source, string Type, string Format)>();
        for (var i = 0; i < childTasks.Count; i++)
        {
            var (request, outcome, child) = childTasks[i];
            var result = KojiValue.AsStruct(childResults[i].Value, $"getTaskResult({child.Id})");
            var arch = KojiValue.Str(result, "arch") ?? child.Arch ?? "noarch";
            foreach (var f in KojiValue.List(result, "files").OfType<string>())
            {
                if (Classify(request, f) is not { } tf) continue;
                links.Add((request, outcome.TaskId, arch, PathInfo.Task(child.Id)[PathInfo.TopDir.Length..].TrimStart('/') + "/" + f, tf.Type, tf.Format));
            }
        }

        // 2. build archives (osbuild: koji.build; osbs/image_container: koji_builds[0] or scratch repositories)
        var buildTasks = done.Where(d => d.Request.Method is "osbuildImage" or "buildContainer").ToList();
        var taskResults = await client.MultiCallAsync(buildTasks.Select(d => KojiCall.Of("getTaskResult", d.Outcome.TaskId)).ToList(), strict: true, ct).ConfigureAwait(false);
        var builds = new List<(KojiImageRequest Request, int TaskId, long BuildId)>();
        for (var i = 0; i < buildTasks.Count; i++)
        {
            var (request, outcome) = buildTasks[i];
            var result = KojiValue.AsStruct(taskResults[i].Value, $"getTaskResult({outcome.TaskId})");
            if (request.Method == "osbuildImage")
            {
                var build = KojiValue.Dict(result, "koji") is { } k ? KojiValue.LongOrNull(k, "build") : null;
                builds.Add((request, outcome.TaskId, build ?? throw Shape(outcome.TaskId, "koji.build")));
            }
            else if (KojiValue.List(result, "koji_builds") is { Count: > 0 } kb)
            {
                builds.Add((request, outcome.TaskId, Convert.ToInt64(kb[0], CultureInfo.InvariantCulture)));
            }
            else if (request.Scratch)
            {
                containers.Add(new KojiContainerImage(request, outcome.TaskId, "scratch", new Dictionary<string, object?>
                {
                    ["koji_task"] = outcome.TaskId,
                    ["repositories"] = KojiValue.List(result, "repositories"),
                }));
            }
            else
            {
                throw Shape(outcome.TaskId, "koji_builds");
            }
        }
        var buildCalls = new List<KojiCall>();
        foreach (var (request, _, buildId) in builds)
        {
            buildCalls.Add(KojiCall.Of("getBuild", buildId));
            buildCalls.Add(request.Method == "osbuildImage"
                ? new KojiCall("listArchives", [], KojiClient.Kw(("buildID", buildId)))
                : new KojiCall("listArchives", [buildId], KojiClient.Kw(("type", "image"))));
        }
        var buildResults = await client.MultiCallAsync(buildCalls, strict: true, ct).ConfigureAwait(false);
        for (var i = 0; i < builds.Count; i++)
        {
            var (request, taskId, _) = builds[i];
            var build = KojiBuild.From(KojiValue.AsStruct(buildResults[2 * i].Value, "getBuild"));
            var archives = KojiValue.AsArray(buildResults[2 * i + 1].Value, "listArchives").Select(a => KojiArchive.From(KojiValue.AsStruct(a, "archive"))).ToList();
            foreach (var a in archives)
            {
                if (request.Method == "osbuildImage")
                {
                    var suffix = SuffixTable.FirstOrDefault(s => s.Type == a.TypeName).Suffix;
                    if (suffix is null || a.ImageArch is not { } arch) continue;
                    links.Add((request, taskId, arch, PathInfo.ImageBuild(build)[PathInfo.TopDir.Length..].TrimStart('/') + "/" + a.FileName, a.TypeName!, suffix));
                }
                else
                {
                    // osbs.json: {filename, size, checksum, <archive extra…>, compose_id (added by the writer), koji_task, name, version, release, nvr, creation_time}
                    var md = new Dictionary<string, object?>(StringComparer.Ordinal)
                    {
                        ["filename"] = a.FileName, ["size"] = a.Size, ["checksum"] = a.Checksum,
                    };
                    if (KojiValue.Dict(a.Raw, "extra") is { } extra) foreach (var (k, v) in extra) md[k] = v;
                    md["koji_task"] = taskId;
                    md["name"] = build.Name; md["version"] = build.Version; md["release"] = build.Release;
                    md["nvr"] = build.Nvr ?? $"{build.Name}-{build.Version}-{build.Release}";
                    md["creation_time"] = KojiValue.Str(build.Raw, "creation_time");
                    var arch = KojiValue.Dict(a.Raw, "extra") is { } e && KojiValue.Dict(e, "docker") is { } d && KojiValue.Dict(d, "config") is { } c
                        ? KojiValue.Str(c, "architecture") ?? "noarch" : a.ImageArch ?? "noarch";
                    containers.Add(new KojiContainerImage(request, taskId, arch == "amd64" ? "x86_64" : arch, md));
                }
            }
        }

        // 3. files into the compose, in parallel (downloads overlap)
        using var gate = new SemaphoreSlim(8);
        var results = await Task.WhenAll(links.Select(async l =>
        {
            await gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                return await LinkAsync(l.Request, l.TaskId, l.Arch, l.Source, l.Type, l.Format, ct).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
        images.AddRange(results.Where(r => r is not null).Select(r => r!));
    }

    private static PungiException Shape(int taskId, string what)
        => new(ErrorCodes.KojiImageResultShape, $"Koji task {taskId} finished, but its result has no '{what}'");

    /// <summary>Which files of a task are the phase's images: live media ISOs; image-build/kiwi by the suffix table
    /// (restricted to the formats asked for); live images the .iso (live) or .raw.xz (appliance).</summary>
    private static (string Type, string Format)? Classify(KojiImageRequest request, string file)
    {
        switch (request.Phase)
        {
            case KojiImagePhase.LiveMedia:
                return file.EndsWith(".iso", StringComparison.Ordinal) ? ("live", "iso") : null;
            case KojiImagePhase.LiveImages:
                if (request.ImageType == "raw-xz") return file.EndsWith(".raw.xz", StringComparison.Ordinal) ? ("raw-xz", "raw.xz") : null;
                return file.EndsWith(".iso", StringComparison.Ordinal) ? ("live", "iso") : null;
            default:
                var match = SuffixTable.Where(s => file.EndsWith("." + s.Suffix, StringComparison.Ordinal) && (request.Formats.Count == 0 || request.Formats.Contains(s.Type)))
                    .OrderByDescending(s => s.Suffix.Length).FirstOrDefault();
                return match.Type is null ? null : (match.Type, match.Suffix);
        }
    }

    private async Task<KojiImageFile?> LinkAsync(KojiImageRequest request, int taskId, string arch, string rel, string type, string format, CancellationToken ct)
    {
        if (request.Destination == KojiImageDestination.None) return null;
        var source = Downloader is not null
            ? await Downloader.DownloadAsync(rel, null, ct).ConfigureAwait(false)
            : Path.Combine(PathInfo.TopDir, rel);
        if (!File.Exists(source))
            throw new PungiException(ErrorCodes.KojiImageLinkFailed, $"{request.Describe}: Koji task {taskId} lists {rel}, which is not under {PathInfo.TopDir}", source);
        var variantDir = Path.Combine(layout.ComposeDir, request.Variant, arch);
        var dir = request.Destination == KojiImageDestination.Iso ? Path.Combine(variantDir, "iso") : Path.Combine(variantDir, "images");
        var target = Path.Combine(dir, request.TargetFileName ?? Path.GetFileName(rel));
        Directory.CreateDirectory(dir);
        if (!(File.Exists(target) && (HardLink.SameInode(source, target) || new FileInfo(source).Length == new FileInfo(target).Length && File.GetLastWriteTimeUtc(source) <= File.GetLastWriteTimeUtc(target))))
        {
            // link (or copy) beside the target, then rename: the compose never shows a half-copied image
            var tmp = target + ".tmp-" + Environment.ProcessId;
            if (File.Exists(tmp)) File.Delete(tmp);
            if (!HardLink.TryCreate(source, tmp, out _))
            {
                await using var from = File.OpenRead(source);
                await using var to = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                await from.CopyToAsync(to, ct).ConfigureAwait(false);
            }
            File.Move(tmp, target, overwrite: true);
        }
        var info = new FileInfo(target);
        return new KojiImageFile(request, taskId, arch, new CreateisoImage
        {
            Path = layout.RelativeToCompose(target), Size = info.Length, Mtime = new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeSeconds(),
            Type = type, Format = format, Arch = arch, Bootable = request.Phase is KojiImagePhase.LiveMedia || (request.Phase == KojiImagePhase.LiveImages && type == "live"),
            Subvariant = request.Subvariant,
        });
    }
}
