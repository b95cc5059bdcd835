using Pungi.Build.Diagnostics;
using Pungi.Build.Koji;
using Xunit;

namespace Pungi.Build.Tests.Koji;

/// <summary>
/// Each recorded real-hub exchange, driven through our client over a real socket against the simulator: the request
/// our typed call sends equals the recorded request (modulo whitespace between tags; the byte-exact check is in
/// XmlRpcTests), and the recorded answer decodes to the values the recording notes (index.md) describe.
/// </summary>
public sealed class KojiTranscriptConformanceTests : IAsyncLifetime
{
    private KojiHubSimulator _hub = null!;
    private KojiClient _client = null!;

    public Task InitializeAsync()
    {
        _hub = new KojiHubSimulator();
        _client = new KojiClient(_hub.HubUrl, new KojiClientOptions { Timeout = TimeSpan.FromSeconds(20) });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _hub.DisposeAsync();
    }

    private void AssertSent(string transcript)
        => Assert.Equal(KojiTranscripts.Squash(KojiTranscripts.Get(transcript).RequestXml), KojiTranscripts.Squash(_hub.LastRequestBody));

    [Fact]
    public async Task EventsGetLastEventAndGetEvent()
    {
        var last = await _client.GetLastEventAsync();
        AssertSent("03-getLastEvent");
        Assert.Equal(24, last.Id);
        Assert.Equal(1795798403.932054, last.Ts);
        // pungi writes the event dict as JSON to work/global/koji-event
        Assert.Equal("{\"id\": 24, \"ts\": 1795798403.932054}", last.ToJson());
        var e18 = await _client.GetEventAsync(18);
        AssertSent("04-getEvent");
        Assert.Equal(18, e18.Id);
        Assert.Equal("1.35.3", _client.HubVersion); // Koji-Version response header
    }

    [Fact]
    public async Task TagsAndInheritance()
    {
        var f41 = await _client.GetTagAsync("f41");
        AssertSent("07-getTag-f41");
        Assert.Equal(2, f41!.Id);
        Assert.Equal(["x86_64", "aarch64"], f41.ArchList);
        Assert.Empty(f41.Extra);

        var baseAt18 = await _client.GetTagAsync("f41-base", eventId: 18);
        AssertSent("08-getTag-f41-base-event");
        Assert.Equal("dnf", baseAt18!.Extra["mock.package_manager"]);
        Assert.Equal(18, baseAt18.Raw["query_event"]);

        var inh = await _client.GetFullInheritanceAsync("f41");
        AssertSent("09-getFullInheritance");
        var link = Assert.Single(inh);
        Assert.Equal(("f41-base", 1, 1), (link.Name, link.ParentId, link.CurrDepth));
    }

    [Fact]
    public async Task UnknownTagWithStrictIsACodedErrorNamingTheTag()
    {
        var e = await Assert.ThrowsAsync<PungiException>(() => _client.GetTagAsync("nosuch", strict: true));
        AssertSent("43-fault-getTag-strict");
        Assert.Equal(ErrorCodes.KojiUnknownTag, e.Code);
        Assert.Contains("'nosuch'", e.Message);
        Assert.IsType<KojiGenericError>(e.InnerException);
    }

    [Fact]
    public async Task ListTaggedRpmsWithInheritanceNowAndAtAnEvent()
    {
        // listTaggedRPMS(tag, event=None, inherit=True, latest=True): Pungi's get_latest_rpms
        var now = await _client.ListTaggedRpmsAsync("f41", null, inherit: true);
        AssertSent("13-listTaggedRPMS-now");
        Assert.Equal(8, now.Rpms.Count);
        Assert.Equal(["fonts-bar-0.9-2.fc41", "hello-1.1-1.fc41", "libfoo-2.3-4.fc41"], now.Builds.Select(b => b.Nvr!).Order());
        Assert.Equal("f41", now.Builds.Single(b => b.Name == "hello").TagName); // the child tag's newer build wins
        Assert.DoesNotContain(now.Rpms, r => r.Name == "oldtool"); // blocked in f41

        var at18 = await _client.ListTaggedRpmsAsync("f41", 18, inherit: true);
        AssertSent("14-listTaggedRPMS-event");
        Assert.Equal(10, at18.Rpms.Count);
        Assert.Contains(at18.Builds, b => b.Nvr == "hello-1.0-1.fc41");
        Assert.Contains(at18.Builds, b => b.Nvr == "oldtool-3.0-1.fc41");
        Assert.All(at18.Builds, b => Assert.Equal("f41-base", b.TagName));
    }

    [Fact]
    public async Task ListTagged()
    {
        var latest = await _client.ListTaggedAsync("f41", inherit: true, latest: true);
        AssertSent("11-listTagged-f41-latest-inherit");
        Assert.Equal(3, latest.Count);
        var all = await _client.ListTaggedAsync("f41-base");
        AssertSent("12-listTagged-f41-base");
        Assert.Equal(4, all.Count);
        Assert.DoesNotContain(all, b => b.Nvr == "hello-1.1-1.fc41"); // tagged then untagged
    }

    [Fact]
    public async Task BuildsAndRpms()
    {
        var b2 = await _client.GetBuildAsync(2);
        AssertSent("16-getBuild-by-id");
        Assert.Equal(("hello-1.1-1.fc41", KojiBuildState.Complete, "DEFAULT", (int?)null), (b2!.Nvr, b2.State, b2.VolumeName, b2.Epoch));
        var byNvr = await _client.GetBuildAsync("hello-1.1-1.fc41");
        AssertSent("17-getBuild-by-nvr");
        Assert.Equal(2, byNvr!.Id);
        Assert.Null(await _client.GetBuildAsync("nosuch-1-1"));
        AssertSent("18-getBuild-missing");

        var rpms = await _client.ListBuildRpmsAsync(2);
        AssertSent("19-listBuildRPMs");
        Assert.Equal(["noarch", "src", "x86_64"], rpms.Select(r => r.Arch).Order());
        Assert.Equal(6722, rpms.Single(r => r.Arch == "x86_64").Size);

        var libfoo = await _client.ListRpmsAsync(buildId: 3, arches: ["x86_64", "noarch"]);
        AssertSent("20-listRPMs");
        Assert.Equal(["libfoo", "libfoo-devel"], libfoo.Select(r => r.Name).Order());

        var hello = await _client.GetRpmAsync("hello-1.1-1.fc41.x86_64");
        AssertSent("21-getRPM-by-nvra");
        Assert.Equal((5L, "b3531da2810e19a7b01dd2a913f7eeb6"), (hello!.Id, hello.PayloadHash));
        var fonts = await _client.GetRpmAsync(11);
        AssertSent("22-getRPM-by-id-epoch");
        Assert.Equal(1, fonts!.Epoch);
    }

    [Fact]
    public async Task SignaturesAndChecksums()
    {
        var sigs = await _client.QueryRpmSigsAsync(5);
        AssertSent("23-queryRPMSigs");
        Assert.Equal(["", "95c92df2"], sigs.Select(s => (string)s["sigkey"]!).Order());
        var sums = await _client.GetRpmChecksumsAsync(5, ["sha256"]);
        AssertSent("24-getRPMChecksums");
        Assert.Equal("f63f5ce08d9cce6a86d4fd843e09be1879912f963acfdfed67792bcfc6ef025d", sums["95c92df2"]["sha256"]);
        Assert.True(sums.ContainsKey("")); // the empty-string member name is the unsigned copy
    }

    [Fact]
    public async Task QueryHistoryForPkgsetReuse()
    {
        string[] tables = ["tag_listing", "tag_inheritance"];
        var byTag = await _client.QueryHistoryAsync(tables, tag: "f41");
        AssertSent("25-queryHistory-tag");
        Assert.Equal((1, 2), (byTag["tag_listing"].Count, byTag["tag_inheritance"].Count));
        var window = await _client.QueryHistoryAsync(tables, afterEvent: 18, beforeEvent: 23);
        AssertSent("26-queryHistory-window");
        // Pungi's reuse rule: any non-empty list means the tag changed
        Assert.Equal(2, window["tag_listing"].Count);
        Assert.Empty(window["tag_inheritance"]);
    }

    [Fact]
    public async Task ListMethodsForFeatureDetection()
    {
        var methods = await _client.ListMethodsAsync();
        AssertSent("27-system.listMethods");
        Assert.Equal(320, methods.Count);
        Assert.Contains("getRPMChecksums", methods);
        Assert.DoesNotContain("kiwiBuild", methods); // no hub plugins on the recording hub
    }

    [Fact]
    public async Task TasksInfoChildrenResultsAndCancel()
    {
        await _client.PasswordLoginAsync("kojiadmin", "secret");
        AssertSent("05-login");

        var t1 = await _client.GetTaskInfoAsync(1, request: true);
        AssertSent("30-getTaskInfo-request");
        Assert.Equal((KojiTaskState.Closed, "build", true), (t1!.State, t1.Method, t1.Scratch));
        var children = await _client.GetTaskChildrenAsync(1, request: true);
        AssertSent("31-getTaskChildren");
        Assert.Equal(["buildSRPMFromSCM", "buildArch"], children.Select(c => c.Method));
        Assert.Equal([1, 1], children.Select(c => c.Parent!.Value));

        var closed = KojiValue.AsStruct(await _client.GetTaskResultAsync(6), "result");
        AssertSent("32-getTaskResult-closed");
        Assert.Equal(2, KojiValue.List(closed, "rpms").Count);
        Assert.Null(await _client.GetTaskResultAsync(1));
        AssertSent("33-getTaskResult-nil");

        var failed = await Assert.ThrowsAsync<KojiGenericError>(() => _client.GetTaskResultAsync(2));
        AssertSent("34-getTaskResult-failed");
        Assert.StartsWith("Error running GIT command", failed.FaultString);
        var noRaise = KojiValue.AsStruct(await _client.GetTaskResultAsync(2, raiseFault: false), "result");
        AssertSent("35-getTaskResult-failed-noraise");
        Assert.Equal(1000, noRaise["faultCode"]);

        var free = await _client.GetTaskInfoAsync(3);
        AssertSent("37-getTaskInfo-free");
        Assert.Equal(KojiTaskState.Free, free!.State);
        await _client.CancelTaskAsync(3);
        AssertSent("38-cancelTask");
        var list = await _client.GetTaskInfosAsync([3, 4, 999]);
        AssertSent("39-getTaskInfo-list");
        Assert.Equal(KojiTaskState.Canceled, list[0]!.State);
        Assert.Equal(KojiTaskState.Free, list[1]!.State);
        Assert.Null(list[2]);
        var canceled = await Assert.ThrowsAsync<KojiGenericError>(() => _client.GetTaskResultAsync(3));
        Assert.Equal("Task 3 is canceled", canceled.FaultString);

        await _client.LogoutAsync();
        AssertSent("52-logout");
        Assert.False(_client.LoggedIn);
    }

    [Fact]
    public async Task LoginThenSessionHeadersWithCallNumbersFromZero()
    {
        var anon = await _client.CallAsync("getAPIVersion");
        AssertSent("01-getAPIVersion");
        Assert.Equal(1, anon);
        Assert.Equal(1L, await _client.CallAsync<long>("getAPIVersion", []));
        Assert.Equal("1.35.3", await _client.CallAsync<string>("getKojiVersion", []));
        AssertSent("02-getKojiVersion");
        await Assert.ThrowsAsync<PungiException>(() => _client.CallAsync<string>("getAPIVersion", []));
        Assert.False(_hub.LastRequest.Headers.ContainsKey("Koji-Session-Id")); // anonymous: no session headers
        Assert.Equal("koji/1", _hub.LastRequest.Headers["User-Agent"]);
        Assert.StartsWith("text/xml", _hub.LastRequest.Headers["Content-Type"]);

        await _client.PasswordLoginAsync("kojiadmin", "secret");
        Assert.Equal("/kojihub", _hub.LastRequest.Path);
        var user = await _client.CallAsync("getLoggedInUser");
        AssertSent("06-getLoggedInUser");
        var h = _hub.LastRequest.Headers;
        Assert.Equal(_client.Session!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), h["Koji-Session-Id"]);
        Assert.Equal(_client.Session.Key, h["Koji-Session-Key"]);
        Assert.Equal("0", h["Koji-Session-Callnum"]); // first call after login is 0
        await _client.MultiCallAsync([KojiCall.Of("getAPIVersion"), KojiCall.Of("getKojiVersion")]);
        Assert.Equal("1", _hub.LastRequest.Headers["Koji-Session-Callnum"]); // one number for a whole multicall
        await _client.GetLastEventAsync();
        Assert.Equal("2", _hub.LastRequest.Headers["Koji-Session-Callnum"]);
        _ = user;
    }

    [Fact]
    public async Task EchoCarriesI8AndNilBothWays()
    {
        await _client.PasswordLoginAsync("kojiadmin", "secret");
        var v = KojiValue.AsArray(await _client.CallAsync("echo", [1L << 40, null, -(1L << 35), 7, 1.5, true, "text",
            new Dictionary<string, object?> { ["k"] = null, ["big"] = 1L << 33 }, new List<object?> { null }]), "echo");
        AssertSent("41-echo-i8-nil");
        Assert.Equal(1L << 40, v[0]);
        Assert.Null(v[1]);
        Assert.Equal(-(1L << 35), v[2]);
        Assert.Equal(7, v[3]);
        Assert.Equal(1.5, v[4]);
        Assert.Equal(true, v[5]);
        Assert.Equal(1L << 33, KojiValue.AsStruct(v[7], "s")["big"]);
        Assert.Equal([null], KojiValue.AsArray(v[8], "a"));
    }

    [Fact]
    public async Task MultiCallGivesAValueOrAFaultPerCall()
    {
        await _client.PasswordLoginAsync("kojiadmin", "secret");
        var results = await _client.MultiCallAsync([
            KojiCall.Of("getTag", "f41-build"),
            new KojiCall("getTag", ["nosuch"], KojiClient.Kw(("strict", true))),
            new KojiCall("listTagged", ["f41"], KojiClient.Kw(("latest", true), ("inherit", true))),
            KojiCall.Of("noSuchMethod"),
            KojiCall.Of("getAPIVersion"),
        ]);
        AssertSent("29-multiCall");
        Assert.Equal([false, true, false, true, false], results.Select(r => r.IsFault));
        Assert.Equal("f41-build", KojiValue.AsStruct(results[0].Value, "tag")["name"]);
        Assert.IsType<KojiGenericError>(results[1].Fault);
        Assert.Equal("No such tagInfo: 'nosuch'", results[1].Fault!.FaultString);
        Assert.Equal(3, KojiValue.AsArray(results[2].Value, "builds").Count);
        Assert.Equal("Invalid method: noSuchMethod", results[3].Fault!.FaultString);
        Assert.Equal(1, results[4].Value);

        var strict = await Assert.ThrowsAsync<KojiGenericError>(() => _client.MultiCallAsync([KojiCall.Of("getAPIVersion"), KojiCall.Of("noSuchMethod")], strict: true));
        Assert.Contains("noSuchMethod", strict.FaultString);
    }

    /// <summary>The recorded system.multicall answer (28) decodes to [value] entries and fault structs with traceback.</summary>
    [Fact]
    public void RecordedSystemMulticallShape()
    {
        var r = KojiValue.AsArray(KojiTranscripts.Get("28-system.multicall").Response.Value, "28");
        Assert.Equal(5, r.Count);
        var plain = KojiValue.AsStruct(r[3], "fault()");
        Assert.Equal(1, plain["faultCode"]);
        // inside a multicall the hub reports only str(exception) (the top-level fault 47 adds "<class 'Exception'>: ")
        Assert.Equal("test exception", plain["faultString"]);
        Assert.NotEmpty(KojiValue.List(plain, "traceback"));
        Assert.Single(KojiValue.AsArray(r[4], "getLastEvent"));
    }

    [Theory]
    [InlineData("42-fault-unknown-method", 1000, typeof(KojiGenericError))]
    [InlineData("44-fault-bad-arity", 1019, typeof(KojiParameterError))]
    [InlineData("45-fault-needs-login", 1004, typeof(KojiActionNotAllowed))]
    [InlineData("46-fault-needs-login-assertLogin", 1004, typeof(KojiActionNotAllowed))]
    [InlineData("47-fault-plain-exception", 1, typeof(KojiFaultException))]
    public async Task FaultsMapToKojisExceptionTypes(string transcript, int code, Type type)
    {
        var call = KojiTranscripts.Get(transcript).Call;
        var e = await Assert.ThrowsAnyAsync<KojiFaultException>(() => _client.CallAsync(call.MethodName, call.Params));
        AssertSent(transcript);
        Assert.Equal(code, e.FaultCode);
        Assert.Equal(type, e.GetType());
        Assert.Equal(KojiTranscripts.Get(transcript).Response.Fault!.Message, e.FaultString);
        Assert.Equal(ErrorCodes.KojiFault, e.Code);
    }

    [Fact]
    public void SessionFaultCodesMapToAuthErrorSubclasses()
    {
        // 48: a bad session key is an AuthError (1002); 49: a stale call number a SequenceError (1008), also an AuthError
        var bad = KojiTranscripts.Get("48-fault-bad-session-key").Response.Fault!;
        Assert.IsType<KojiAuthError>(KojiFaultException.Create(bad.Code, bad.Message));
        var stale = KojiTranscripts.Get("49-fault-stale-callnum").Response.Fault!;
        var e = KojiFaultException.Create(stale.Code, stale.Message);
        Assert.IsType<KojiSequenceError>(e);
        Assert.IsAssignableFrom<KojiAuthError>(e);
        Assert.IsType<KojiServerOffline>(KojiFaultException.Create(1014, "offline"));
        Assert.IsType<KojiRetryError>(KojiFaultException.Create(1009, "retry"));
    }

    [Fact]
    public async Task SimulatorChecksSessionsAsTheHubDoes()
    {
        await _client.PasswordLoginAsync("kojiadmin", "secret");
        await _client.CallAsync("getLoggedInUser");
        await _client.CallAsync("getLoggedInUser");
        using var raw = new HttpClient();
        async Task<XmlRpcResponse> Post(string key, string callnum)
        {
            using var req = new HttpRequestMessage(HttpMethod.Post, _hub.HubUrl) { Content = new StringContent(KojiTranscripts.Get("06-getLoggedInUser").RequestXml) };
            req.Headers.Add("Koji-Session-Id", _client.Session!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            req.Headers.Add("Koji-Session-Key", key);
            req.Headers.Add("Koji-Session-Callnum", callnum);
            using var resp = await raw.SendAsync(req);
            return XmlRpcReader.ReadResponse(await resp.Content.ReadAsStreamAsync());
        }
        var bad = await Post(_client.Session!.Key + "x", "1034");
        Assert.Equal((1002, "Invalid session or bad credentials"), (bad.Fault!.Code, bad.Fault.Message));
        var stale = await Post(_client.Session.Key, "0");
        Assert.Equal(1008, stale.Fault!.Code);
        Assert.Equal($"1 > 0 (session {_client.Session.Id})", stale.Fault.Message); // "<last> > <sent> (session N)" as in 49

        var get = await raw.GetAsync(_hub.HubUrl);
        Assert.Equal(System.Net.HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Equal("POST", string.Join(",", get.Content.Headers.Allow));
    }
}
