using System.Collections.Concurrent;
using System.Diagnostics;
using Pungi.Build.Diagnostics;
using Pungi.Build.Koji;
using Xunit;

namespace Pungi.Build.Tests.Koji;

/// <summary>
/// Koji faults on shared infrastructure (issue #13): HTTP 5xx from the hub, a hub restart while tasks are waited on,
/// and a hub that stays gone. Retries follow koji's ClientSession: max_retries tries, the first retry at once, then
/// retry_interval between tries, only for logged-in sessions unless anon_retry.
/// </summary>
public sealed class KojiFaultTests
{
    [Fact]
    public async Task Http503_IsRetriedAfterKojisRetryInterval_ThenAnswers()
    {
        await using var hub = new KojiHubSimulator();
        var retries = new ConcurrentQueue<(string Method, int Try, string Code)>();
        using var client = new KojiClient(hub.HubUrl, new KojiClientOptions
        {
            MaxRetries = 3, RetryInterval = TimeSpan.FromMilliseconds(400), AnonRetry = true, Timeout = TimeSpan.FromSeconds(10),
        }) { OnRetry = (m, t, e) => retries.Enqueue((m, t, (e as PungiException)?.Code ?? "")) };
        hub.HttpErrors = 2;
        var sw = Stopwatch.StartNew();
        var ev = await client.GetLastEventAsync();
        sw.Stop();
        Assert.Equal(24, ev.Id); // the recorded answer, once the hub answers again
        // koji: try 1 fails → retry at once; try 2 fails → sleep retry_interval; try 3 answers
        Assert.Equal([("getLastEvent", 1, ErrorCodes.KojiHttpError), ("getLastEvent", 2, ErrorCodes.KojiHttpError)], retries);
        Assert.Equal(3, hub.Requests.Count);
        Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(380), $"answered after {sw.ElapsedMilliseconds} ms: the retry interval was not waited");
        Assert.True(sw.Elapsed < TimeSpan.FromMilliseconds(780), $"answered after {sw.ElapsedMilliseconds} ms: waited more than one interval");

        // koji retries anonymous calls only with anon_retry: without it the 503 is the answer, with its code and status
        using var plain = new KojiClient(hub.HubUrl, new KojiClientOptions { MaxRetries = 3, RetryInterval = TimeSpan.FromMilliseconds(10) });
        hub.HttpErrors = 1;
        var e = await Assert.ThrowsAsync<PungiException>(() => plain.GetLastEventAsync());
        Assert.Equal(ErrorCodes.KojiHttpError, e.Code);
        Assert.Contains("HTTP 503", e.Message);
        Assert.Equal(24, (await plain.GetLastEventAsync()).Id);
    }

    [Fact]
    public async Task HubRestartDuringTaskWait_IsSurvived_AndTheWaitCompletes()
    {
        await using var hub = new KojiHubSimulator();
        var retries = 0;
        using var client = new KojiClient(hub.HubUrl, new KojiClientOptions
        {
            MaxRetries = 30, RetryInterval = TimeSpan.FromMilliseconds(100), Timeout = TimeSpan.FromSeconds(10),
        }) { OnRetry = (_, _, _) => Interlocked.Increment(ref retries) };
        await client.PasswordLoginAsync("kojiadmin", "secret");
        var quick = hub.AddTask("image", TimeSpan.FromMilliseconds(200));
        var slow = hub.AddTask("image", TimeSpan.FromMilliseconds(3000));
        var failed = hub.AddTask("image", TimeSpan.FromMilliseconds(2500), KojiTaskState.Failed);
        failed.FaultString = "BuildError: mock exited with status 1";

        // The hub restarts as soon as the wait has seen the quick task finish (not after a fixed delay, which a loaded
        // machine could stretch past the other tasks' end), and stays down across the moment the failing one ends.
        var restarted = 0;
        var watcher = new KojiTaskWatcher(client, TimeSpan.FromMilliseconds(50))
        {
            StateChanged = t =>
            {
                if (t.Id == quick.Id && t.State == KojiTaskState.Closed && Interlocked.Exchange(ref restarted, 1) == 0)
                    hub.Restart(TimeSpan.FromMilliseconds(1200));
            },
        };
        var outcomes = await watcher.WaitForTasksAsync([quick.Id, slow.Id, failed.Id]).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, hub.Restarts);
        Assert.True(retries > 0, "the wait never saw the hub go away");
        Assert.True(outcomes[quick.Id].Succeeded);
        Assert.True(outcomes[slow.Id].Succeeded);
        Assert.Equal(KojiTaskState.Failed, outcomes[failed.Id].State);
        Assert.Equal("BuildError: mock exited with status 1", outcomes[failed.Id].FailureReason);
        Assert.Contains(client.Session!.Id, hub.SessionIds); // the same session, no SequenceError after the retried call number
    }

    [Fact]
    public async Task HubThatStaysGone_EndsTheWaitWithPungi6031NamingTheTasks()
    {
        await using var hub = new KojiHubSimulator();
        var retries = 0;
        using var client = new KojiClient(hub.HubUrl, new KojiClientOptions
        {
            MaxRetries = 3, RetryInterval = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromSeconds(5),
        }) { OnRetry = (_, _, _) => Interlocked.Increment(ref retries) };
        await client.PasswordLoginAsync("kojiadmin", "secret");
        var done = hub.AddTask("image", TimeSpan.Zero);
        var a = hub.AddTask("image", TimeSpan.FromSeconds(30));
        var b = hub.AddTask("image", TimeSpan.FromSeconds(30));

        var wait = new KojiTaskWatcher(client, TimeSpan.FromMilliseconds(50)).WaitForTasksAsync([done.Id, a.Id, b.Id]);
        await Task.Delay(300);
        hub.GoDown();
        var e = await Assert.ThrowsAsync<PungiException>(() => wait.WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal(ErrorCodes.KojiWaitLostHub, e.Code);
        // the tasks still being waited on are named (the finished one too if the hub went away before its result was read)
        Assert.Matches($@"while waiting for task\(s\) ({done.Id}, )?{a.Id}, {b.Id}: ", e.Message);
        Assert.Contains("after 4 tries", e.Message); // max_retries = 3: one try and three retries
        Assert.Equal(3, retries);

        // 5xx past the retries are reported the same way
        hub.Up();
        hub.HttpErrors = 100;
        var e5 = await Assert.ThrowsAsync<PungiException>(() => new KojiTaskWatcher(client, TimeSpan.FromMilliseconds(50)).WaitForTasksAsync([a.Id]));
        Assert.Equal(ErrorCodes.KojiWaitLostHub, e5.Code);
        Assert.Contains($"task(s) {a.Id}: Koji hub", e5.Message);
        Assert.Contains("HTTP 503", e5.Message);
    }

    [Fact]
    public async Task AResponseOverTheClientsLimit_IsRefusedWithACode()
    {
        // issue #13 "no unbounded allocation": the client's MaxResponseBytes bounds both the spooled body and the reader
        await using var hub = new KojiHubSimulator();
        using var client = new KojiClient(hub.HubUrl, new KojiClientOptions { MaxResponseBytes = 64, MaxRetries = 0 });
        var e = await Assert.ThrowsAsync<PungiException>(() => client.GetLastEventAsync());
        Assert.Equal(ErrorCodes.KojiResponseTooLarge, e.Code);
        Assert.Contains("larger than 64 bytes", e.Message);

        var doc = "<?xml version='1.0'?><methodResponse><params><param><value><string>" + new string('x', 500) + "</string></value></param></params></methodResponse>";
        var r = Assert.Throws<PungiException>(() => XmlRpcReader.ReadResponse(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(doc)), maxChars: 200));
        Assert.Equal(ErrorCodes.KojiBadResponse, r.Code);
        Assert.Equal(new string('x', 500), XmlRpcReader.ReadResponse(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(doc))).Value);
    }
}
