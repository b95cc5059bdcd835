using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Pungi.Build.Koji;

namespace Pungi.Build.Bench;

/// <summary>
/// <c>bench/run.sh --koji-images [N]</c> (issue 10): N simulated image tasks (default 500) submitted over XML-RPC and
/// waited on by ONE <see cref="KojiTaskWatcher"/> (one polling loop, as the KojiImages task does); prints how long the
/// wait ran past the moment the last task finished. The hub is a tiny bench-local one (HttpListener on 127.0.0.1;
/// the test project's simulator replays recorded transcripts and is not reachable from here) answering with the
/// same shapes: login, buildImageOz, getTaskInfo([ids]), multiCall(getTaskChildren, getTaskResult).
/// </summary>
internal static class KojiImagesBench
{
    public static void Run(int tasks, double pollSeconds)
    {
        using var hub = new BenchHub();
        var rnd = new Random(500);
        hub.Duration = () => TimeSpan.FromMilliseconds(500 + rnd.Next(0, 2500));
        using var client = new KojiClient(hub.Url, new KojiClientOptions { Timeout = TimeSpan.FromSeconds(60) });
        client.PasswordLoginAsync("bench", "bench").GetAwaiter().GetResult();

        var submit = Stopwatch.StartNew();
        var ids = new ConcurrentBag<int>();
        // one session submits in call-number order (the hub refuses a lower Koji-Session-Callnum)
        for (var i = 0; i < tasks; i++)
            ids.Add(client.SubmitTaskAsync("buildImageOz",
                [$"img{i}", "1", new List<object?> { "x86_64" }, "f41", "http://tree/$arch/os"],
                KojiClient.Kw(("opts", new Dictionary<string, object?> { ["format"] = new List<object?> { "qcow2" } }), ("priority", null))).GetAwaiter().GetResult());
        submit.Stop();

        var before = hub.Requests;
        var watcher = new KojiTaskWatcher(client, TimeSpan.FromSeconds(pollSeconds));
        var wait = Stopwatch.StartNew();
        var outcomes = watcher.WaitForTasksAsync(ids).GetAwaiter().GetResult();
        wait.Stop();
        var doneAt = DateTime.UtcNow;
        var lastFinish = hub.LastFinish;
        var overhead = doneAt - lastFinish;
        var longest = hub.Longest;

        Console.WriteLine($"Koji image wait: {tasks} tasks, one watcher, poll {pollSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s");
        Console.WriteLine($"| tasks | submit (s) | longest task (s) | wait (s) | overhead past last finish (s) | requests during wait | closed |");
        Console.WriteLine($"|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {tasks} | {submit.Elapsed.TotalSeconds:0.00} | {longest.TotalSeconds:0.00} | {wait.Elapsed.TotalSeconds:0.00} | {overhead.TotalSeconds:0.000} | {hub.Requests - before} | {outcomes.Values.Count(o => o.Succeeded)} |"));
        Console.WriteLine(overhead < TimeSpan.FromSeconds(1) ? "goal met: < 1 s past the last task" : "GOAL MISSED: >= 1 s past the last task");
    }

    /// <summary>A minimal hub: tasks OPEN for their duration from creation, then CLOSED.</summary>
    private sealed class BenchHub : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentDictionary<int, (DateTime Created, TimeSpan Duration)> _tasks = new();
        private int _next = 1000;
        private int _requests;

        public BenchHub()
        {
            var port = FreePort();
            Url = new Uri($"http://127.0.0.1:{port}/kojihub");
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _ = Task.Run(LoopAsync);
        }

        public Uri Url { get; }
        public Func<TimeSpan> Duration { get; set; } = () => TimeSpan.FromSeconds(1);
        public int Requests => Volatile.Read(ref _requests);
        public DateTime LastFinish => _tasks.Values.Max(t => t.Created + t.Duration);
        public TimeSpan Longest => _tasks.Values.Max(t => t.Duration);

        private static int FreePort()
        {
            var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            l.Start();
            var port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext ctx;
                try { ctx = await _listener.GetContextAsync().ConfigureAwait(false); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
                _ = Task.Run(() => Handle(ctx));
            }
        }

        private void Handle(HttpListenerContext ctx)
        {
            Interlocked.Increment(ref _requests);
            string body;
            try
            {
                var call = XmlRpcReader.ReadCall(ctx.Request.InputStream);
                body = XmlRpcWriter.Response(Dispatch(call.MethodName, call.Params.ToList()));
            }
            catch (InvalidOperationException e)
            {
                body = XmlRpcWriter.Fault(1000, e.Message);
            }
            var bytes = Encoding.UTF8.GetBytes(body);
            ctx.Response.ContentType = "text/xml";
            ctx.Response.ContentLength64 = bytes.Length;
            ctx.Response.OutputStream.Write(bytes);
            ctx.Response.Close();
        }

        private object? Dispatch(string method, List<object?> args)
        {
            switch (method)
            {
                case "login":
                    return new Dictionary<string, object?> { ["session-id"] = 1, ["session-key"] = "1-bench", ["header-auth"] = true };
                case "buildImageOz":
                {
                    var id = Interlocked.Increment(ref _next);
                    _tasks[id] = (DateTime.UtcNow, Duration());
                    return id;
                }
                case "getTaskInfo":
                    return args[0] is List<object?> ids ? ids.Select(i => (object?)Info(Convert.ToInt32(i, CultureInfo.InvariantCulture))).ToList() : Info(Convert.ToInt32(args[0], CultureInfo.InvariantCulture));
                case "getTaskChildren":
                    return new List<object?>();
                case "getTaskResult":
                    return null;
                case "multiCall":
                    return ((List<object?>)args[0]!).Cast<Dictionary<string, object?>>()
                        .Select(c => (object?)new List<object?> { Dispatch((string)c["methodName"]!, ((List<object?>)c["params"]!).Where(p => p is not Dictionary<string, object?> d || !d.ContainsKey("__starstar")).ToList()) })
                        .ToList();
                default:
                    throw new InvalidOperationException($"Invalid method: {method}");
            }
        }

        /// <summary>The getTaskInfo struct fields the watcher reads (the full shape is transcript 37's).</summary>
        private Dictionary<string, object?> Info(int id)
        {
            var (created, duration) = _tasks[id];
            var closed = DateTime.UtcNow >= created + duration;
            return new Dictionary<string, object?>
            {
                ["id"] = id, ["method"] = "image", ["state"] = closed ? 2 : 1, ["arch"] = "noarch", ["label"] = null, ["parent"] = null,
                ["priority"] = 20, ["channel_id"] = 1, ["host_id"] = 1,
            };
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
        }
    }
}
