using System.Diagnostics;
using Pungi.Build.Diagnostics;
using Pungi.Build.Koji;
using Xunit;

namespace Pungi.Build.Tests.Koji;

/// <summary>Waiting on many Koji tasks with one polling loop (koji CLI watch_tasks semantics).</summary>
public sealed class KojiTaskWatcherTests
{
    private static KojiClientOptions Options => new() { MaxRetries = 2, RetryInterval = TimeSpan.FromMilliseconds(20), Timeout = TimeSpan.FromSeconds(20) };

    [Fact]
    public async Task ThirtyTasksFinishInAboutTheTimeOfTheSlowest()
    {
        await using var hub = new KojiHubSimulator();
        var rnd = new Random(10);
        hub.TaskPlanner = t => t.Duration = TimeSpan.FromMilliseconds(200 + rnd.Next(0, 1300));
        using var client = new KojiClient(hub.HubUrl, Options);
        await client.PasswordLoginAsync("kojiadmin", "secret");
        var ids = new List<int>();
        for (var i = 0; i < 30; i++)
            ids.Add(await client.BuildImageOzAsync($"img{i}", "1", ["x86_64"], "f41", "http://tree", new Dictionary<string, object?>()));
        var slowest = ids.Max(id => hub.Tasks[id].Created + hub.Tasks[id].Duration);

        var seen = new System.Collections.Concurrent.ConcurrentDictionary<int, List<KojiTaskState>>();
        var watcher = new KojiTaskWatcher(client, TimeSpan.FromMilliseconds(50)) { StateChanged = t => seen.GetOrAdd(t.Id, _ => []).Add(t.State) };
        var before = hub.Requests.Count;
        var outcomes = await watcher.WaitForTasksAsync(ids);
        var late = DateTime.UtcNow - slowest;

        Assert.Equal(30, outcomes.Count);
        Assert.All(outcomes.Values, o => Assert.True(o.Succeeded));
        // Concurrent waiting ends near the slowest task, not after the sum of all (~25 s); a wide margin, since this is
        // a behaviour check on a shared machine, not a timing benchmark (bench/ measures the overhead).
        Assert.True(late < TimeSpan.FromSeconds(5), $"finished {late.TotalMilliseconds} ms after the slowest task");
        // every task reported once per state change, ending CLOSED (tasks that finished before the first poll are seen CLOSED only)
        Assert.Equal(30, seen.Count);
        Assert.All(seen.Values, states => Assert.Equal(KojiTaskState.Closed, states[^1]));
        Assert.All(seen.Values, states => Assert.Equal(states.Count, states.Distinct().Count()));
        // one getTaskInfo([ids]) per round plus one multicall per round that saw tasks finish: far fewer requests than tasks × rounds
        var requests = hub.Requests.Count - before;
        Assert.True(requests < 100, $"{requests} requests");
    }

    [Fact]
    public async Task FailedAndCanceledTasksReportTheHubsReasonAndChildren()
    {
        await using var hub = new KojiHubSimulator();
        using var client = new KojiClient(hub.HubUrl, Options);
        await client.PasswordLoginAsync("kojiadmin", "secret");
        var ok = hub.AddTask("image", TimeSpan.FromMilliseconds(100), result: new Dictionary<string, object?> { ["koji"] = new Dictionary<string, object?> { ["build"] = 42 } });
        var child = hub.AddTask("createImage", TimeSpan.FromMilliseconds(50), parent: ok.Id, arch: "x86_64");
        var bad = hub.AddTask("image", TimeSpan.FromMilliseconds(150), KojiTaskState.Failed);
        bad.FaultString = "ImageFactory failed: no space left on device";
        var canceled = hub.AddTask("image", TimeSpan.FromSeconds(30));
        canceled.Canceled = true;

        var outcomes = await new KojiTaskWatcher(client, TimeSpan.FromMilliseconds(30)).WaitForTasksAsync([ok.Id, bad.Id, canceled.Id]);
        Assert.True(outcomes[ok.Id].Succeeded);
        var c = Assert.Single(outcomes[ok.Id].Children);
        Assert.Equal((child.Id, "createImage", "x86_64"), (c.Id, c.Method, c.Arch));
        Assert.Equal(KojiTaskState.Failed, outcomes[bad.Id].State);
        Assert.Equal("ImageFactory failed: no space left on device", outcomes[bad.Id].FailureReason);
        Assert.Equal(KojiTaskState.Canceled, outcomes[canceled.Id].State);
    }

    [Fact]
    public async Task CancellingTheWaitCancelsEveryUnfinishedTaskAtTheHub()
    {
        await using var hub = new KojiHubSimulator();
        hub.TaskPlanner = t => t.Duration = TimeSpan.FromSeconds(60);
        using var client = new KojiClient(hub.HubUrl, Options);
        await client.PasswordLoginAsync("kojiadmin", "secret");
        var done = hub.AddTask("image", TimeSpan.Zero);
        var ids = new List<int> { done.Id };
        for (var i = 0; i < 20; i++)
            ids.Add(await client.OsbuildImageAsync($"img{i}", "1", "d", ["qcow2"], "t", ["x86_64"], new Dictionary<string, object?>()));
        foreach (var id in ids.Skip(1).Take(5))
            hub.AddTask("createImage", TimeSpan.FromSeconds(60), parent: id);

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var sw = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new KojiTaskWatcher(client, TimeSpan.FromMilliseconds(50)).WaitForTasksAsync(ids, cts.Token));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(3), $"took {sw.Elapsed}");
        Assert.All(ids.Skip(1), id => Assert.Equal(KojiTaskState.Canceled, hub.Tasks[id].State));
        Assert.All(hub.Tasks.Values.Where(t => t.Parent is not null), t => Assert.Equal(KojiTaskState.Canceled, t.State)); // children too
        Assert.Equal(KojiTaskState.Closed, hub.Tasks[done.Id].State);
    }

    [Fact]
    public async Task TheAbortPathCancelsEveryRecordedTask()
    {
        // pungi_koji.py try_kill_koji_tasks: every id saved in logs/global/koji-tasks/ is cancelled
        var dir = Directory.CreateTempSubdirectory("pungi-koji-tasks-").FullName;
        try
        {
            await using var hub = new KojiHubSimulator();
            hub.TaskPlanner = t => t.Duration = TimeSpan.FromSeconds(60);
            using var client = new KojiClient(hub.HubUrl, Options) { TaskLog = new KojiTaskLog(dir) };
            await client.PasswordLoginAsync("kojiadmin", "secret");
            for (var i = 0; i < 3; i++)
                await client.BuildContainerAsync("git://x#1", "t", new Dictionary<string, object?>());
            File.WriteAllText(Path.Combine(dir, "README"), "not a task id");
            Assert.Equal(3, client.TaskLog.ReadAll().Count);
            await client.TaskLog.CancelAllAsync(client);
            Assert.All(client.TaskLog.ReadAll(), id => Assert.Equal(KojiTaskState.Canceled, hub.Tasks[id].State));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task AMissingTaskIsACodedError()
    {
        await using var hub = new KojiHubSimulator();
        using var client = new KojiClient(hub.HubUrl, Options);
        var t = hub.AddTask("image", TimeSpan.FromSeconds(1));
        var e = await Assert.ThrowsAsync<PungiException>(() => new KojiTaskWatcher(client, TimeSpan.FromMilliseconds(20)).WaitForTasksAsync([t.Id, 99999]));
        Assert.Equal(ErrorCodes.KojiTaskMissing, e.Code);
        Assert.Contains("99999", e.Message);
    }
}
