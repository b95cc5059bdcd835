using System.Diagnostics;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Iso;
using Pungi.Build.Koji;
using Pungi.Build.Koji.Images;
using Pungi.Build.Variants;
using Xunit;

namespace Pungi.Build.Tests.Koji;

/// <summary>
/// The Koji image phases against the simulated hub over real HTTP: image tasks (buildImageOz, buildImage) with
/// createImage children whose results name files under the Koji topdir, as kojid leaves them.
/// </summary>
public sealed class KojiImagesTests : IDisposable
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("pungi-koji-images-").FullName;
    private readonly string _topdir;
    private readonly ComposeLayout _layout;
    private readonly KojiImageContext _ctx;

    public KojiImagesTests()
    {
        _topdir = Path.Combine(_tmp, "mnt-koji");
        _layout = new ComposeLayout(Path.Combine(_tmp, "DP-1.0-20261127.t.0"));
        var compose = ComposeInfo.Create(new ReleaseInfo("Dummy Product", "DP", "1.0"), null, "test", "20261127");
        _ctx = new KojiImageContext
        {
            Compose = compose,
            Layout = _layout,
            Variants = VariantModel.FromInline(
            [
                new InlineVariant { Include = "Server", Name = "Server", Arches = ["x86_64", "s390x"] },
                new InlineVariant { Include = "Client", Name = "Client", Arches = ["x86_64"] },
            ]),
            Options = new Dictionary<string, string> { ["global_target"] = "f41", ["image_build_ksurl"] = "git+https://git.example.com/ks.git#abc" },
            TranslatePaths = [(_tmp, "https://composes.example.com")],
        };
    }

    public void Dispose() => Directory.Delete(_tmp, true);

    private static KojiClientOptions Options => new() { MaxRetries = 3, RetryInterval = TimeSpan.FromMilliseconds(20), Timeout = TimeSpan.FromSeconds(20) };

    /// <summary>A kojid-like planner: each image task gets one CLOSED createImage child per arch whose result lists a
    /// file it wrote into work/tasks/&lt;id % 10000&gt;/&lt;id&gt;/.</summary>
    private void Plan(KojiHubSimulator hub, Func<SimTask, TimeSpan> duration, Func<SimTask, (KojiTaskState State, string Message)?>? failure = null)
    {
        var paths = new KojiPathInfo(_topdir);
        hub.TaskPlanner = t =>
        {
            t.Duration = duration(t);
            if (failure?.Invoke(t) is { } f)
            {
                t.FinalState = f.State;
                t.FaultString = f.Message;
                return;
            }
            var name = (string)t.Request[0]!;
            var arches = t.Request[2] is List<object?> l ? l.Cast<string>().ToList() : [(string)t.Request[2]!];
            var formats = t.Method == "buildImageOz" && t.Request[^1] is Dictionary<string, object?> kw && kw["opts"] is Dictionary<string, object?> o && o["format"] is List<object?> fl
                ? fl.Cast<string>().ToList() : ["iso"];
            foreach (var arch in arches)
            {
                var files = formats.Select(fmt => $"{name}-{arch}.{(fmt == "raw-xz" ? "raw.xz" : fmt)}").ToList();
                var child = hub.AddTask("createImage", t.Duration, result: new Dictionary<string, object?>
                {
                    ["arch"] = arch, ["files"] = files.Cast<object?>().ToList(), ["logs"] = new List<object?> { "oz.log" },
                    ["name"] = name, ["version"] = "1.0", ["release"] = "20261127.t.0",
                }, parent: t.Id, arch: arch);
                var dir = paths.Task(child.Id);
                Directory.CreateDirectory(dir);
                foreach (var file in files) File.WriteAllText(Path.Combine(dir, file), $"image {file}");
            }
        };
    }

    private KojiImageRunner Runner(KojiClient client) => new(client, _layout) { PathInfo = new KojiPathInfo(_topdir), PollInterval = TimeSpan.FromMilliseconds(50) };

    private static KojiImageBlock ImageBuild(string name, params (string Key, string Value)[] md)
        => new(name, new Dictionary<string, string>(md.Select(p => new KeyValuePair<string, string>(p.Key, p.Value)).Concat(
            md.Any(p => p.Key == "Format") ? [] : [new KeyValuePair<string, string>("Format", "qcow2")]).Concat(
            md.Any(p => p.Key == "Kickstart") ? [] : [new KeyValuePair<string, string>("Kickstart", "cloud.ks")])));

    private async Task<KojiClient> LoggedIn(KojiHubSimulator hub)
    {
        var client = new KojiClient(hub.HubUrl, Options) { TaskLog = new KojiTaskLog(Path.Combine(_layout.LogsDir, "global", "koji-tasks")) };
        await client.PasswordLoginAsync("kojiadmin", "secret");
        return client;
    }

    [Fact]
    public async Task TwentyImageTasksAreWaitedOnTogether()
    {
        // the issue's scenario: total wait close to the longest task, not the sum (one polling loop for all)
        await using var hub = new KojiHubSimulator();
        var rnd = new Random(20);
        Plan(hub, _ => TimeSpan.FromMilliseconds(100 + rnd.Next(0, 1400)));
        using var client = await LoggedIn(hub);
        var blocks = Enumerable.Range(0, 20).Select(i => ImageBuild($"Cloud{i:00}", ("Variant", "^Server$"), ("Arches", "x86_64"))).ToList();

        var sw = Stopwatch.StartNew();
        var outcome = await KojiImagesPhase.RunAsync(Runner(client), _ctx, [new(KojiImagePhase.ImageBuild, blocks)]);
        sw.Stop();

        var durations = hub.Tasks.Values.Where(t => t.Method == "buildImageOz").Select(t => t.Duration).ToList();
        Assert.Equal(20, durations.Count);
        var longest = durations.Max();
        var sum = durations.Aggregate(TimeSpan.Zero, (a, b) => a + b);
        Assert.True(sw.Elapsed < longest + TimeSpan.FromSeconds(2), $"took {sw.Elapsed}, longest task {longest}");
        Assert.True(sw.Elapsed < sum / 3, $"took {sw.Elapsed}, sum of tasks {sum}");

        Assert.Equal(20, outcome.Images.Count);
        Assert.Empty(outcome.Failed);
        // every task id recorded in logs/global/koji-tasks/ (pungi_koji.py's abort path reads them)
        Assert.Equal(outcome.TaskIds, new KojiTaskLog(Path.Combine(_layout.LogsDir, "global", "koji-tasks")).ReadAll());
        // spec §2.12: linked into compose/<V>/<arch>/images/, type = format, format = matched suffix, bootable false
        var img = outcome.Images.Single(i => i.Request.Args[0] is "Cloud07");
        Assert.Equal("Server/x86_64/images/Cloud07-x86_64.qcow2", img.Image.Path);
        Assert.Equal(("qcow2", "qcow2", false), (img.Image.Type, img.Image.Format, img.Image.Bootable));
        Assert.Equal("image Cloud07-x86_64.qcow2", File.ReadAllText(Path.Combine(_layout.ComposeDir, img.Image.Path)));
        var record = CreateisoRecord.TryRead(Path.Combine(_layout.WorkDir, "global", "koji-images", "image_build-Server.x86_64.images.json"))!;
        Assert.Equal(20, record.Images.Count);
    }

    [Fact]
    public async Task ImageBuildCallsBuildImageOzAsTheKojiCliDoesFromPungisIni()
    {
        // image-build --config=<ini>: buildImageOz(name, version, arches, target, install_tree, opts=, priority=None)
        await using var hub = new KojiHubSimulator();
        Plan(hub, _ => TimeSpan.Zero);
        using var client = await LoggedIn(hub);
        var block = ImageBuild("Fedora-Cloud", ("Variant", "^Server$"), ("Format", "qcow2;raw-xz"), ("Distro", "Fedora-41"),
            ("DiskSize", "4"), ("Release", "!RELEASE_FROM_LABEL_DATE_TYPE_RESPIN"), ("Failable", "s390x"), ("Repo", "Client"), ("FactoryParameters_OzTemplateHostname", "cloud"));
        var outcome = await KojiImagesPhase.RunAsync(Runner(client), _ctx, [new(KojiImagePhase.ImageBuild, [block])]);
        var task = hub.Tasks.Values.Single(t => t.Method == "buildImageOz");
        var url = "https://composes.example.com/DP-1.0-20261127.t.0/compose";
        Assert.Equal("Fedora-Cloud", task.Request[0]);
        Assert.Equal("1.0", task.Request[1]); // image_version = release version
        Assert.Equal(new List<object?> { "s390x", "x86_64" }, task.Request[2]);
        Assert.Equal("f41", task.Request[3]); // global_target
        Assert.Equal(url + "/Server/$arch/os", task.Request[4]); // the variant's translated os tree with a literal $arch
        var kw = (Dictionary<string, object?>)task.Request[5]!;
        Assert.Null(kw["priority"]);
        var opts = (Dictionary<string, object?>)kw["opts"]!;
        Assert.Equal(["ksurl", "kickstart", "repo", "release", "distro", "format", "disk_size", "factory_parameter", "optional_arches"], opts.Keys);
        Assert.Equal("git+https://git.example.com/ks.git#abc", opts["ksurl"]); // image_build_ksurl
        Assert.Equal(new List<object?> { url + "/Client/$arch/os", url + "/Server/$arch/os" }, opts["repo"]); // configured, then the variant's
        Assert.Equal("20261127.t.0", opts["release"]);
        Assert.Equal(new List<object?> { "qcow2", "raw-xz" }, opts["format"]);
        Assert.Equal(new List<object?> { new List<object?> { "oz_template_hostname", "cloud" } }, opts["factory_parameter"]);
        Assert.Equal(new List<object?> { "s390x" }, opts["optional_arches"]);
        Assert.Equal(4, outcome.Images.Count); // 2 arches × 2 formats
        Assert.Contains(outcome.Images, i => i.Image.Path == "Server/s390x/images/Fedora-Cloud-s390x.raw.xz" && i.Image.Type == "raw-xz" && i.Image.Format == "raw.xz");
    }

    [Fact]
    public async Task LiveMediaCallsBuildImageWithArchListAndLinksIsos()
    {
        // spin-livemedia: buildImage(name, version, [arches], target, ksfile, "livemedia", opts=, priority=None)
        await using var hub = new KojiHubSimulator();
        Plan(hub, _ => TimeSpan.FromMilliseconds(50));
        using var client = await LoggedIn(hub);
        var block = new KojiImageBlock("Fedora-Workstation-Live", new Dictionary<string, string>
        {
            ["Variant"] = "^Server$", ["Kickstart"] = "fedora-live-workstation.ks", ["Ksurl"] = "git+https://pagure.io/fedora-kickstarts.git#f41",
            ["Target"] = "f41-livemedia", ["Scratch"] = "true", ["Subvariant"] = "Workstation",
        });
        var outcome = await KojiImagesPhase.RunAsync(Runner(client), _ctx, [new(KojiImagePhase.LiveMedia, [block])]);
        var task = hub.Tasks.Values.Single(t => t.Method == "buildImage");
        Assert.Equal(new object?[] { "Fedora-Workstation-Live", "1.0", new List<object?> { "s390x", "x86_64" }, "f41-livemedia", "fedora-live-workstation.ks", "livemedia" }, task.Request.Take(6));
        var opts = (Dictionary<string, object?>)((Dictionary<string, object?>)task.Request[6]!)["opts"]!;
        Assert.Equal(["install_tree_url", "ksurl", "repo", "scratch"], opts.Keys);
        Assert.Equal(true, opts["scratch"]);
        Assert.Equal(2, outcome.Images.Count);
        Assert.All(outcome.Images, i => Assert.Equal(("live", "iso", true, "Workstation"), (i.Image.Type, i.Image.Format, i.Image.Bootable, i.Image.Subvariant)));
        Assert.Contains(outcome.Images, i => i.Image.Path == "Server/s390x/iso/Fedora-Workstation-Live-s390x.iso");
    }

    [Fact]
    public async Task AFailableFailureFinishesIncompleteAndARerunClearsIt()
    {
        await using var hub = new KojiHubSimulator();
        var failing = true;
        Plan(hub, _ => TimeSpan.FromMilliseconds(100), t => failing && (string)t.Request[0]! == "Optional" ? (KojiTaskState.Failed, "ImageFactory: disk full") : null);
        using var client = await LoggedIn(hub);
        var blocks = new[]
        {
            ImageBuild("Required", ("Variant", "^Client$")),
            ImageBuild("Optional", ("Variant", "^Client$"), ("Failable", "*")),
        };
        var outcome = await KojiImagesPhase.RunAsync(Runner(client), _ctx, [new(KojiImagePhase.ImageBuild, blocks)]);
        var f = Assert.Single(outcome.Failed);
        Assert.Equal(("Client", "x86_64", "ImageFactory: disk full"), (f.Request.Variant, f.Arch, f.Reason));
        Assert.Single(outcome.Images);
        // spec §10.2: failable failures give FINISHED_INCOMPLETE
        Assert.Equal(ComposeStatus.FinishedIncomplete, FailedDeliverables.FinalStatus(_layout, ComposeStatus.Finished));
        Assert.Equal(ComposeStatus.Doomed, FailedDeliverables.FinalStatus(_layout, ComposeStatus.Doomed));
        var entry = Assert.Single(FailedDeliverables.ReadAll(_layout));
        Assert.Equal(("image_build", "Client", f.TaskId), (entry.Phase, entry.Variant, entry.TaskId));

        failing = false;
        outcome = await KojiImagesPhase.RunAsync(Runner(client), _ctx, [new(KojiImagePhase.ImageBuild, blocks)]);
        Assert.Empty(outcome.Failed);
        Assert.Equal(ComposeStatus.Finished, FailedDeliverables.FinalStatus(_layout, ComposeStatus.Finished));
    }

    [Fact]
    public async Task ARequiredFailureNamesTheTaskAndTheHubsMessage()
    {
        // a required deliverable's failure fails the phase; the target's OnError then writes STATUS=DOOMED
        await using var hub = new KojiHubSimulator();
        Plan(hub, _ => TimeSpan.FromMilliseconds(100), t => (string)t.Request[0]! == "Broken" ? (KojiTaskState.Failed, "Oz failed: kickstart %post exited 1") : null);
        using var client = await LoggedIn(hub);
        var e = await Assert.ThrowsAsync<PungiException>(() => KojiImagesPhase.RunAsync(Runner(client), _ctx,
            [new(KojiImagePhase.ImageBuild, [ImageBuild("Fine", ("Variant", "^Client$")), ImageBuild("Broken", ("Variant", "^Client$"), ("Failable", "s390x"))])]));
        var broken = hub.Tasks.Values.Single(t => t.Method == "buildImageOz" && (string)t.Request[0]! == "Broken");
        Assert.Equal(ErrorCodes.KojiImageTaskFailed, e.Code);
        Assert.Contains($"Koji task {broken.Id} failed", e.Message);
        Assert.Contains("Oz failed: kickstart %post exited 1", e.Message);
    }

    [Fact]
    public async Task CancellingDuringTheWaitCancelsEveryTaskAtTheHub()
    {
        await using var hub = new KojiHubSimulator();
        Plan(hub, _ => TimeSpan.FromSeconds(30));
        using var client = await LoggedIn(hub);
        var blocks = Enumerable.Range(0, 8).Select(i => ImageBuild($"Img{i}", ("Variant", "^Server$"))).ToList();
        using var cts = new CancellationTokenSource();
        var run = KojiImagesPhase.RunAsync(Runner(client), _ctx, [new(KojiImagePhase.ImageBuild, blocks)], cts.Token);
        while (hub.Tasks.Values.Count(t => t.Method == "buildImageOz") < 8 && !run.IsCompleted) await Task.Delay(20);
        await Task.Delay(200);
        var sw = Stopwatch.StartNew();
        cts.Cancel(); // what ICancelableTask.Cancel does
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(3), $"cancel took {sw.Elapsed}");
        Assert.All(hub.Tasks.Values, t => Assert.Equal(KojiTaskState.Canceled, t.State)); // parents and their createImage children
    }

    [Fact]
    public async Task AHubThatTimesOutThenAnswersIsRetried()
    {
        await using var hub = new KojiHubSimulator();
        Plan(hub, _ => TimeSpan.FromMilliseconds(1500));
        // timeout generous enough for a loaded CI machine; the hang is longer than it
        var options = new KojiClientOptions { MaxRetries = 3, RetryInterval = TimeSpan.FromMilliseconds(20), Timeout = TimeSpan.FromSeconds(1.5), AnonRetry = true };
        using var client = new KojiClient(hub.HubUrl, options);
        await client.PasswordLoginAsync("kojiadmin", "secret");
        var retries = new List<string>();
        client.OnRetry = (method, _, _) => { lock (retries) retries.Add(method); };
        var blocks = Enumerable.Range(0, 3).Select(i => ImageBuild($"Img{i}", ("Variant", "^Client$"))).ToList();
        var run = KojiImagesPhase.RunAsync(Runner(client), _ctx, [new(KojiImagePhase.ImageBuild, blocks)]);
        while (hub.Tasks.Values.Count(t => t.Method == "buildImageOz") < 3 && !run.IsCompleted) await Task.Delay(10);
        hub.HangFor = TimeSpan.FromSeconds(3);
        hub.HangingCalls = 1; // the next poll hangs past the client's timeout; the retry is answered
        var outcome = await run;
        Assert.Equal(3, outcome.Images.Count);
        Assert.NotEmpty(retries); // the poll (or the result multicall) that hung was sent again and answered
    }

    [Fact]
    public void NoItemsMeansNoRequests()
    {
        Assert.Empty(KojiImagesPhase.BuildRequests(_ctx, new(KojiImagePhase.OSBuild, [])));
        // a block whose variant regex matches nothing gives nothing (re.match against the variant UID)
        Assert.Empty(KojiImagesPhase.BuildRequests(_ctx, new(KojiImagePhase.ImageBuild, [ImageBuild("x", ("Variant", "^Workstation$"))])));
    }

    [Fact]
    public void OSBuildArgumentsFollowThePhase()
    {
        // osbuildImage(name, version, distro, image_types, target, arches, opts={"repo": [...], "release": r})
        var block = new KojiImageBlock("Fedora-IoT", new Dictionary<string, string>
        {
            ["Variant"] = "^Server$", ["Distro"] = "fedora-41", ["ImageTypes"] = "qcow2;ami", ["Release"] = "!RELEASE_FROM_DATE_RESPIN",
            ["OstreeUrl"] = "https://ostree.example.com/repo", ["OstreeRef"] = "fedora/41/${basearch}/iot",
        });
        var r = Assert.Single(KojiImagesPhase.BuildRequests(_ctx, new(KojiImagePhase.OSBuild, [block])));
        Assert.Equal("osbuildImage", r.Method);
        Assert.Equal(new object?[] { "Fedora-IoT", "1.0", "fedora-41", new List<string> { "qcow2", "ami" }, "f41", new List<string> { "s390x", "x86_64" } }, r.Args.Select(a => a is IReadOnlyList<string> l ? (object)l.ToList() : a));
        var opts = (Dictionary<string, object?>)r.Kwargs!.Single(k => k.Key == "opts").Value!;
        Assert.Equal(["repo", "ostree", "release"], opts.Keys);
        Assert.Equal("20261127.0", opts["release"]);
    }
}
