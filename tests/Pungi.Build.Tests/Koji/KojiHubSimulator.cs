using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Web;
using Pungi.Build.Koji;

namespace Pungi.Build.Tests.Koji;

/// <summary>A fault the simulated hub raises (code and message as the real hub would).</summary>
internal sealed class SimFault(int code, string message) : Exception(message)
{
    public int Code { get; } = code;
}

/// <summary>A task owned by the simulator: OPEN for <see cref="Duration"/> after creation, then its final state.</summary>
internal sealed class SimTask
{
    public required int Id { get; init; }
    public required string Method { get; init; }
    public string Arch { get; init; } = "noarch";
    public int? Parent { get; init; }
    public string? Label { get; init; }
    public List<object?> Request { get; init; } = [];
    public DateTime Created { get; init; } = DateTime.UtcNow;
    public TimeSpan Duration { get; set; }
    public KojiTaskState FinalState { get; set; } = KojiTaskState.Closed;
    public object? Result { get; set; }
    public int FaultCode { get; set; } = 1000;
    public string FaultString { get; set; } = "task failed";
    public volatile bool Canceled;
    public List<int> Children { get; } = [];
    /// <summary>Task output files (runroot.log …) served by downloadTaskOutput.</summary>
    public Dictionary<string, byte[]> Outputs { get; } = new(StringComparer.Ordinal);

    public KojiTaskState State => Canceled ? KojiTaskState.Canceled
        : DateTime.UtcNow - Created < Duration ? KojiTaskState.Open : FinalState;
}

/// <summary>
/// An in-process Koji hub on 127.0.0.1 for tests. Every answer replays the shape of a recorded real-hub exchange
/// (fixtures/koji-transcripts): a call whose method and decoded arguments equal a recorded request gets the recorded
/// response; login, session checking (Koji-Session-* headers or the legacy query string, AuthError 1002 for a bad
/// key, SequenceError 1008 for a stale call number), multicall (<c>[value]</c> or a fault struct with traceback per
/// call) and tasks are simulated with the recorded shapes (the task struct is transcript 37's). Task submission
/// methods (buildImage, buildImageOz, osbuildImage, kiwiBuild, buildContainer) follow their hub signatures
/// (koji-api.md) and create simulated tasks.
/// </summary>
internal sealed class KojiHubSimulator : IAsyncDisposable
{
    private static readonly HashSet<string> Submissions = ["buildImage", "buildImageOz", "osbuildImage", "kiwiBuild", "buildContainer", "runroot"];
    private static readonly IReadOnlyList<string> KnownMethods = ((List<object?>)KojiTranscripts.Get("27-system.listMethods").Response.Value!)
        .Cast<string>().Concat(["multiCall", "osbuildImage", "kiwiBuild", "buildContainer", "runroot"]).ToList();

    /// <summary>Every recorded (method, params) → answer, including the single calls inside recorded multicalls.</summary>
    private static readonly Lazy<List<(string Method, List<object?> Params, object? Value, XmlRpcFault? Fault)>> Recorded = new(() =>
    {
        var list = new List<(string, List<object?>, object?, XmlRpcFault?)>();
        var inner = new List<(string, List<object?>, object?, XmlRpcFault?)>(); // a top-level recording wins over a multicall entry
        foreach (var t in KojiTranscripts.Pairs)
        {
            if (t.Call.MethodName is "multiCall" or "system.multicall" && t.Response.Value is List<object?> answers)
            {
                var calls = (List<object?>)t.Call.Params[0]!;
                for (var i = 0; i < calls.Count; i++)
                {
                    var c = (Dictionary<string, object?>)calls[i]!;
                    var (value, fault) = answers[i] is List<object?> one
                        ? (one[0], (XmlRpcFault?)null)
                        : (null, new XmlRpcFault(KojiValue.Int((Dictionary<string, object?>)answers[i]!, "faultCode"),
                            KojiValue.Str((Dictionary<string, object?>)answers[i]!, "faultString") ?? "", new Dictionary<string, object?>()));
                    inner.Add(((string)c["methodName"]!, (List<object?>)c["params"]!, value, fault));
                }
                continue;
            }
            list.Add((t.Call.MethodName, t.Call.Params.ToList(), t.Response.Value, t.Response.Fault));
        }
        list.AddRange(inner);
        return list;
    });

    private readonly MiniHttpServer _server;
    private readonly ConcurrentDictionary<long, SimSession> _sessions = new();
    private long _nextSession = 4;
    private int _nextTask = 100;

    public KojiHubSimulator(X509Certificate2? serverCert = null)
    {
        _server = new MiniHttpServer(HandleAsync, serverCert);
    }

    public Uri HubUrl => new(_server.BaseUrl + "/kojihub");
    public string TopUrl => _server.BaseUrl + "/kojifiles";

    /// <summary>Every XML-RPC request received, in order.</summary>
    public ConcurrentQueue<HttpRequestData> Requests { get; } = new();
    public HttpRequestData LastRequest => Requests.Last();
    public string LastRequestBody => Encoding.UTF8.GetString(LastRequest.Body);

    /// <summary>Files served below <see cref="TopUrl"/>, keyed by path relative to topdir.</summary>
    public ConcurrentDictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<int, SimTask> Tasks { get; } = new();

    /// <summary>Decides how a submitted task behaves (duration, outcome); default: closes at once with a nil result.</summary>
    public Action<SimTask>? TaskPlanner { get; set; }

    /// <summary>The next N XML-RPC calls answer ServerOffline (1014).</summary>
    public int OfflineFaults;
    /// <summary>The next N XML-RPC calls hang for <see cref="HangFor"/> before answering (a hub that times out).</summary>
    public int HangingCalls;
    public TimeSpan HangFor = TimeSpan.FromSeconds(5);

    /// <summary>The next N XML-RPC calls answer this HTTP status (a proxy or mod_wsgi in front of a failing hub).</summary>
    public int HttpErrors;
    public int HttpErrorStatus = 503;

    /// <summary>
    /// A hub restart: for <paramref name="down"/> every connection is dropped without an answer, then the hub answers
    /// again. Sessions and tasks survive, as they do on a real hub (both live in its database, not in the process).
    /// </summary>
    public void Restart(TimeSpan down)
    {
        var until = DateTime.UtcNow + down;
        _server.Down = () => DateTime.UtcNow < until;
        Restarts++;
    }

    /// <summary>Drops every connection until <see cref="Restart"/> or <see cref="Up"/> says otherwise.</summary>
    public void GoDown() => _server.Down = () => true;

    public void Up() => _server.Down = null;

    public int Restarts { get; private set; }

    public IReadOnlyCollection<long> SessionIds => _sessions.Keys.ToList();

    /// <summary>Applied to every replayed answer: (method, params, recorded value) → value to send. Tests use it to
    /// narrow or adjust recorded content (e.g. real payload hashes for files they serve); the shape stays recorded.</summary>
    public Func<string, List<object?>, object?, object?>? ReplayFilter { get; set; }

    /// <summary>Tags that exist on the recorded hub (index.md: f41-base, f41, f41-build).</summary>
    private static readonly HashSet<string> RecordedTags = ["f41-base", "f41", "f41-build"];
    /// <summary>The last recorded event (transcript 03); nothing changed after event 22, so any event from 24 on sees
    /// the same content as "now" (event nil, transcript 13).</summary>
    private const int LastRecordedEvent = 24;

    public SimTask AddTask(string method, TimeSpan duration, KojiTaskState final = KojiTaskState.Closed, object? result = null, int? parent = null, string arch = "noarch")
    {
        var t = new SimTask
        {
            Id = Interlocked.Increment(ref _nextTask),
            Method = method,
            Duration = duration,
            FinalState = final,
            Result = result,
            Parent = parent,
            Arch = arch,
        };
        Tasks[t.Id] = t;
        if (parent is { } p && Tasks.TryGetValue(p, out var pt)) lock (pt.Children) pt.Children.Add(t.Id);
        return t;
    }

    private sealed class SimSession(long id, string key, string user)
    {
        public long Id { get; } = id;
        public string Key { get; } = key;
        public string User { get; } = user;
        public long LastCall = -1;
    }

    private async Task<HttpResponseData> HandleAsync(HttpRequestData req, CancellationToken ct)
    {
        var versionHeader = new List<KeyValuePair<string, string>> { new("Koji-Version", "1.35.3") };
        if (req.Method == "GET" && req.Path.StartsWith("/kojifiles/", StringComparison.Ordinal))
        {
            var rel = Uri.UnescapeDataString(req.Path["/kojifiles/".Length..]);
            return Files.TryGetValue(rel, out var data)
                ? new HttpResponseData(200, "OK", "application/octet-stream", data)
                : new HttpResponseData(404, "Not Found", "text/plain", "Not Found"u8.ToArray());
        }
        if (req.Method != "POST")
        {
            // transcript 51: a GET to the hub
            var text = File.ReadAllBytes(Path.Combine(KojiTranscripts.Dir, "51-http-get.response.txt"));
            return new HttpResponseData(405, "Method Not Allowed", "text/plain", text, [.. versionHeader, new("Allow", "POST")]);
        }
        Requests.Enqueue(req);
        if (Interlocked.Decrement(ref HttpErrors) >= 0)
            return new HttpResponseData(HttpErrorStatus, HttpErrorStatus == 503 ? "Service Unavailable" : "Server Error", "text/html",
                Encoding.UTF8.GetBytes($"<html><body><h1>{HttpErrorStatus}</h1>The server is temporarily unable to service your request.</body></html>"), versionHeader);
        if (Interlocked.Decrement(ref HangingCalls) >= 0)
            await Task.Delay(HangFor, ct);
        string body;
        try
        {
            var call = XmlRpcReader.ReadCall(new MemoryStream(req.Body));
            var session = CheckSession(req);
            if (Interlocked.Decrement(ref OfflineFaults) >= 0)
                throw new SimFault(1014, "Server disabled for maintenance");
            body = XmlRpcWriter.Response(Dispatch(call.MethodName, call.Params.ToList(), req, session));
        }
        catch (SimFault f)
        {
            body = XmlRpcWriter.Fault(f.Code, f.Message);
        }
        return new HttpResponseData(200, "OK", "text/xml", Encoding.UTF8.GetBytes(body), versionHeader);
    }

    private SimSession? CheckSession(HttpRequestData req)
    {
        string? id = null, key = null, num = null;
        if (req.Headers.TryGetValue("Koji-Session-Id", out var hid))
        {
            id = hid;
            req.Headers.TryGetValue("Koji-Session-Key", out key);
            req.Headers.TryGetValue("Koji-Session-Callnum", out num);
        }
        else if (req.Query.Length > 0)
        {
            var q = HttpUtility.ParseQueryString(req.Query);
            id = q["session-id"];
            key = q["session-key"];
            num = q["callnum"];
        }
        if (id is null) return null;
        if (!long.TryParse(id, CultureInfo.InvariantCulture, out var sid) || !_sessions.TryGetValue(sid, out var s) || s.Key != key)
            throw new SimFault(1002, "Invalid session or bad credentials");
        var callnum = long.Parse(num ?? "0", CultureInfo.InvariantCulture);
        lock (s)
        {
            if (s.LastCall > callnum)
                throw new SimFault(1008, $"{s.LastCall} > {callnum} (session {s.Id})");
            s.LastCall = callnum;
        }
        return s;
    }

    private object? Dispatch(string method, List<object?> args, HttpRequestData req, SimSession? session)
    {
        var (pos, kw) = DecodeArgs(args);
        switch (method)
        {
            case "login":
                return NewSession(pos.Count > 0 ? pos[0] as string ?? "user" : "user");
            case "sslLogin":
                if (!req.Path.EndsWith("/ssllogin", StringComparison.Ordinal) || req.ClientCertificate is null)
                    throw new SimFault(1002, "could not authenticate via SSL: no client certificate");
                return NewSession(req.ClientCertificate.GetNameInfo(X509NameType.SimpleName, false));
            case "logout":
                if (session is not null) _sessions.TryRemove(session.Id, out _);
                return null;
            case "multiCall" or "system.multicall":
                return MultiCall(pos.Count > 0 ? pos[0] as List<object?> ?? [] : [], req, session);
            case "getTaskInfo" when IsSimTask(pos):
                return pos[0] is List<object?> ids
                    ? ids.Select(i => Tasks.TryGetValue(Convert.ToInt32(i), out var t) ? TaskStruct(t, Flag(kw, "request")) : null).ToList()
                    : TaskStruct(Tasks[Convert.ToInt32(pos[0])], Flag(kw, "request"));
            case "getTaskChildren" when IsSimTask(pos):
            {
                var t = Tasks[Convert.ToInt32(pos[0])];
                lock (t.Children)
                    return t.Children.Select(c => (object?)TaskStruct(Tasks[c], Flag(kw, "request"))).ToList();
            }
            case "downloadTaskOutput" when IsSimTask(pos):
            {
                // hub: downloadTaskOutput(taskID, fileName, offset=0, size=-1, volume=None) → base64 text
                var t = Tasks[Convert.ToInt32(pos[0])];
                var name = pos.Count > 1 ? pos[1] as string ?? "" : "";
                return t.Outputs.TryGetValue(name, out var data)
                    ? Convert.ToBase64String(data)
                    : throw new SimFault(1000, $"No such file: {name}");
            }
            case "getTaskResult" when IsSimTask(pos):
                return TaskResult(Tasks[Convert.ToInt32(pos[0])], !kw.TryGetValue("raise_fault", out var rf) || rf is not false);
            case "cancelTask" when IsSimTask(pos):
            {
                RequireLogin(session);
                var t = Tasks[Convert.ToInt32(pos[0])];
                if (t.State is KojiTaskState.Open or KojiTaskState.Free) Cancel(t);
                return null;
            }
        }
        if (Submissions.Contains(method))
        {
            RequireLogin(session);
            return Submit(method, pos, kw);
        }
        if (method == "listTaggedRPMS" && pos.Count > 0 && pos[0] is string tag)
        {
            // the hub's get_tag(tag, strict=True) fault, as transcript 43 recorded it
            if (!RecordedTags.Contains(tag)) throw new SimFault(1000, $"No such tagInfo: '{tag}'");
            if (kw.TryGetValue("event", out var ev) && ev is int e && e >= LastRecordedEvent)
            {
                var now = new Dictionary<string, object?>(kw) { ["event"] = null, ["__starstar"] = true };
                args = [.. pos, now];
            }
        }
        // replay: a recorded request (or a call inside a recorded multicall) with the same method and arguments
        foreach (var (m, p, value, fault) in Recorded.Value)
        {
            if (m == method && KojiTranscripts.DeepEqual(p, args))
            {
                if (fault is { } f) throw new SimFault(f.Code, f.Message);
                return ReplayFilter is null ? value : ReplayFilter(method, args, value);
            }
        }
        if (!KnownMethods.Contains(method))
            throw new SimFault(1000, $"Invalid method: {method}");
        throw new SimFault(1000, $"simulator: no recorded answer for {method}({XmlRpcWriter.Value(args).Replace("\n", "", StringComparison.Ordinal)})");
    }

    private bool IsSimTask(List<object?> pos)
        => pos.Count > 0 && (pos[0] is List<object?> ids
            ? ids.Any(i => i is int n && Tasks.ContainsKey(n))
            : pos[0] is int id && Tasks.ContainsKey(id));

    private static bool Flag(Dictionary<string, object?> kw, string name) => kw.TryGetValue(name, out var v) && v is true;

    private static void RequireLogin(SimSession? session)
    {
        if (session is null) throw new SimFault(1004, "you must be logged in for this operation");
    }

    private Dictionary<string, object?> NewSession(string user)
    {
        var id = Interlocked.Increment(ref _nextSession);
        var key = "1-" + Convert.ToHexString(Guid.NewGuid().ToByteArray())[..19];
        _sessions[id] = new SimSession(id, key, user);
        // the shape of transcript 05
        return new Dictionary<string, object?> { ["session-id"] = (int)id, ["session-key"] = key, ["header-auth"] = true };
    }

    private List<object?> MultiCall(List<object?> calls, HttpRequestData req, SimSession? session)
    {
        var results = new List<object?>();
        foreach (var c in calls)
        {
            var d = (Dictionary<string, object?>)c!;
            try
            {
                results.Add(new List<object?> { Dispatch((string)d["methodName"]!, (List<object?>)d["params"]!, req, session) });
            }
            catch (SimFault f)
            {
                // transcripts 28/29: koji errors inside a multicall carry a traceback array
                results.Add(new Dictionary<string, object?>
                {
                    ["faultCode"] = f.Code,
                    ["faultString"] = f.Message,
                    ["traceback"] = new List<object?> { "Traceback (most recent call last):\n", $"koji.GenericError: {f.Message}\n" },
                });
            }
        }
        return results;
    }

    private static (List<object?> Pos, Dictionary<string, object?> Kw) DecodeArgs(List<object?> args)
    {
        if (args.Count > 0 && args[^1] is Dictionary<string, object?> last && last.TryGetValue("__starstar", out var ss) && ss is true)
        {
            var kw = new Dictionary<string, object?>(last);
            kw.Remove("__starstar");
            return (args.Take(args.Count - 1).ToList(), kw);
        }
        return (args, new Dictionary<string, object?>());
    }

    private int Submit(string method, List<object?> pos, Dictionary<string, object?> kw)
    {
        var request = new List<object?>(pos);
        if (kw.Count > 0) request.Add(kw);
        var arch = method == "buildImage" && pos.Count > 2 && pos[2] is string a ? a
            : method == "runroot" && pos.Count > 1 && pos[1] is string ra ? ra : "noarch";
        var t = new SimTask { Id = Interlocked.Increment(ref _nextTask), Method = method, Request = request, Arch = arch };
        Tasks[t.Id] = t;
        TaskPlanner?.Invoke(t);
        return t.Id;
    }

    private void Cancel(SimTask t)
    {
        t.Canceled = true;
        lock (t.Children)
            foreach (var c in t.Children)
                if (Tasks.TryGetValue(c, out var ct) && !ct.Canceled) Cancel(ct);
    }

    private static object? TaskResult(SimTask t, bool raiseFault)
    {
        switch (t.State)
        {
            case KojiTaskState.Canceled:
                throw new SimFault(1000, $"Task {t.Id} is canceled");
            case KojiTaskState.Open or KojiTaskState.Free or KojiTaskState.Assigned:
                throw new SimFault(1000, $"Task {t.Id} is not finished");
            case KojiTaskState.Failed:
                if (raiseFault) throw new SimFault(t.FaultCode, t.FaultString);
                return new Dictionary<string, object?> { ["faultCode"] = t.FaultCode, ["faultString"] = t.FaultString };
            default:
                return t.Result;
        }
    }

    /// <summary>The task struct, shaped as transcript 37 (request added as in 30 when asked).</summary>
    private static Dictionary<string, object?> TaskStruct(SimTask t, bool request)
    {
        var template = (Dictionary<string, object?>)KojiTranscripts.Get("37-getTaskInfo-free").Response.Value!;
        var d = new Dictionary<string, object?>(template);
        var state = t.State;
        var created = (t.Created - DateTime.UnixEpoch).TotalSeconds;
        d["arch"] = t.Arch;
        d["id"] = t.Id;
        d["method"] = t.Method;
        d["parent"] = t.Parent;
        d["label"] = t.Label;
        d["state"] = (int)state;
        d["create_ts"] = created;
        d["create_time"] = t.Created.ToString("yyyy-MM-dd HH:mm:ss.ffffff+00:00", CultureInfo.InvariantCulture);
        d["host_id"] = state == KojiTaskState.Free ? null : 1;
        d["start_ts"] = state == KojiTaskState.Free ? null : created;
        d["completion_ts"] = state is KojiTaskState.Closed or KojiTaskState.Failed or KojiTaskState.Canceled ? created + t.Duration.TotalSeconds : null;
        d["priority"] = 20;
        if (request) d["request"] = t.Request;
        return d;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
