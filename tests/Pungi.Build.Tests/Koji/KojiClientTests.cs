using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pungi.Build.Diagnostics;
using Pungi.Build.Koji;
using Xunit;

namespace Pungi.Build.Tests.Koji;

/// <summary>Session behaviour of koji's ClientSession: retries, offline handling, login, submissions.</summary>
public sealed class KojiClientTests : IDisposable
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("pungi-koji-").FullName;

    public void Dispose() => Directory.Delete(_tmp, recursive: true);

    private static KojiClientOptions Fast(bool anonRetry = false, bool offlineRetry = false, double timeoutSeconds = 20) => new()
    {
        MaxRetries = 3,
        RetryInterval = TimeSpan.FromMilliseconds(20),
        AnonRetry = anonRetry,
        OfflineRetry = offlineRetry,
        OfflineRetryInterval = TimeSpan.FromMilliseconds(20),
        Timeout = TimeSpan.FromSeconds(timeoutSeconds),
    };

    [Fact]
    public async Task ServerOfflineIsRetriedWithOfflineRetryAndRaisedWithout()
    {
        await using var hub = new KojiHubSimulator();
        using (var retrying = new KojiClient(hub.HubUrl, Fast(offlineRetry: true)))
        {
            var retries = 0;
            retrying.OnRetry = (_, _, e) => { Assert.IsType<KojiServerOffline>(e); retries++; };
            hub.OfflineFaults = 5; // more than max_retries: an outage does not count as a failed try (koji resets tries)
            Assert.Equal(24, (await retrying.GetLastEventAsync()).Id);
            Assert.Equal(5, retries);
        }
        using var plain = new KojiClient(hub.HubUrl, Fast());
        hub.OfflineFaults = 1;
        var e = await Assert.ThrowsAsync<KojiServerOffline>(() => plain.GetLastEventAsync());
        Assert.Equal(1014, e.FaultCode);
    }

    [Fact]
    public async Task AHubThatTimesOutThenAnswersIsRetriedWithAnonRetry()
    {
        await using var hub = new KojiHubSimulator();
        hub.HangFor = TimeSpan.FromSeconds(3);
        hub.HangingCalls = 2;
        using var client = new KojiClient(hub.HubUrl, Fast(anonRetry: true, timeoutSeconds: 0.3));
        var tries = new List<int>();
        client.OnRetry = (m, n, e) => { Assert.Equal(ErrorCodes.KojiHubUnreachable, ((PungiException)e).Code); tries.Add(n); };
        var sw = Stopwatch.StartNew();
        Assert.Equal(24, (await client.GetLastEventAsync()).Id);
        Assert.Equal([1, 2], tries);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2.5), $"took {sw.Elapsed}");
        Assert.Equal(3, hub.Requests.Count); // two timed out, the third answered
    }

    [Fact]
    public async Task AnonymousCallsAreNotRetriedWithoutAnonRetryButLoggedInOnesAre()
    {
        await using var hub = new KojiHubSimulator();
        hub.HangFor = TimeSpan.FromSeconds(3);
        using var client = new KojiClient(hub.HubUrl, Fast(timeoutSeconds: 0.3));
        hub.HangingCalls = 1;
        var e = await Assert.ThrowsAsync<PungiException>(() => client.GetLastEventAsync());
        Assert.Equal(ErrorCodes.KojiHubUnreachable, e.Code);
        Assert.Contains("anon_retry", e.Message);
        Assert.Single(hub.Requests);

        await client.PasswordLoginAsync("kojiadmin", "secret");
        hub.HangingCalls = 1;
        Assert.Equal(24, (await client.GetLastEventAsync()).Id);
        // the retry resends the same call number, as koji does
        var lastTwo = hub.Requests.TakeLast(2).Select(r => r.Headers["Koji-Session-Callnum"]).ToList();
        Assert.Equal(lastTwo[0], lastTwo[1]);
    }

    [Fact]
    public async Task AnUnreachableHubGivesACodedErrorAfterMaxRetries()
    {
        // a port nobody listens on
        var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        using var client = new KojiClient(new Uri($"http://127.0.0.1:{port}/kojihub"), Fast(anonRetry: true));
        var tries = 0;
        client.OnRetry = (_, _, _) => tries++;
        var e = await Assert.ThrowsAsync<PungiException>(() => client.GetLastEventAsync());
        Assert.Equal(ErrorCodes.KojiHubUnreachable, e.Code);
        Assert.Contains($"127.0.0.1:{port}", e.Message);
        Assert.Equal(3, tries); // max_retries
    }

    [Fact]
    public async Task CancellationStopsACallPromptly()
    {
        await using var hub = new KojiHubSimulator();
        hub.HangFor = TimeSpan.FromSeconds(10);
        hub.HangingCalls = 1;
        using var client = new KojiClient(hub.HubUrl, Fast(anonRetry: true));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetLastEventAsync(cts.Token));
    }

    [Fact]
    public async Task SubmissionsNeedASessionFollowTheHubSignaturesAndAreRecorded()
    {
        await using var hub = new KojiHubSimulator();
        using var client = new KojiClient(hub.HubUrl, Fast());
        client.TaskLog = new KojiTaskLog(Path.Combine(_tmp, "logs", "global", "koji-tasks"));
        var anon = await Assert.ThrowsAsync<PungiException>(() => client.OsbuildImageAsync("n", "1", "fedora-41", ["qcow2"], "f41", ["x86_64"], new Dictionary<string, object?>()));
        Assert.Equal(ErrorCodes.KojiNotLoggedIn, anon.Code);

        await client.PasswordLoginAsync("kojiadmin", "secret");
        var opts = new Dictionary<string, object?> { ["repo"] = new List<object?> { "http://repo/$arch" }, ["release"] = "1" };
        var ids = new List<int>
        {
            await client.OsbuildImageAsync("Fedora-Cloud", "41", "fedora-41", ["qcow2"], "f41", ["x86_64", "aarch64"], opts),
            await client.BuildImageOzAsync("Fedora-Cloud-Base", "41", ["x86_64"], "f41", "http://tree/$arch/os", new Dictionary<string, object?> { ["format"] = new List<object?> { "qcow2" }, ["ksurl"] = "git+https://ks#HEAD", ["kickstart"] = "cloud.ks" }),
            await client.LiveMediaAsync("Fedora-Workstation-Live", "41", ["x86_64"], "f41", "workstation.ks", new Dictionary<string, object?> { ["ksurl"] = "git+https://ks#HEAD", ["scratch"] = true }),
            await client.LiveCdAsync("Fedora-Live", "41", "x86_64", "f41", "live.ks", new Dictionary<string, object?>()),
            await client.KiwiBuildAsync("f41-kiwi", ["x86_64"], "git+https://kiwi#main", "fedora", KojiClient.Kw(("profile", "Cloud"), ("release", null), ("repos", new List<object?> { "http://r" }), ("optional_arches", new List<object?>()))),
            await client.BuildContainerAsync("git://pkgs/container#abc", "f41-container", new Dictionary<string, object?> { ["git_branch"] = "f41", ["scratch"] = false }, priority: 1),
        };
        Assert.Equal(ids.Order(), client.TaskLog.ReadAll());
        Assert.All(ids, id => Assert.True(File.Exists(Path.Combine(_tmp, "logs", "global", "koji-tasks", id.ToString(System.Globalization.CultureInfo.InvariantCulture)))));

        // the hub saw the signatures of koji-api.md: positional arguments, then the keywords as __starstar
        var osb = hub.Tasks[ids[0]].Request;
        Assert.Equal(7, osb.Count);
        Assert.Equal(["qcow2"], (List<object?>)osb[3]!);
        Assert.Equal("1", ((Dictionary<string, object?>)((Dictionary<string, object?>)osb[6]!)["opts"]!)["release"]);
        var oz = hub.Tasks[ids[1]].Request;
        Assert.Equal("http://tree/$arch/os", oz[4]);
        Assert.True(((Dictionary<string, object?>)oz[5]!).ContainsKey("priority"));
        var live = hub.Tasks[ids[2]].Request;
        Assert.Equal(("workstation.ks", "livemedia"), ((string)live[4]!, (string)live[5]!));
        Assert.Equal("livecd", hub.Tasks[ids[3]].Request[5]);
        var kiwi = (Dictionary<string, object?>)hub.Tasks[ids[4]].Request[4]!;
        Assert.Equal("Cloud", kiwi["profile"]);
        Assert.False(kiwi.ContainsKey("release")); // null options are not sent
        var container = hub.Tasks[ids[5]].Request;
        Assert.Equal("git://pkgs/container#abc", container[0]);
        Assert.Equal(1, ((Dictionary<string, object?>)container[3]!)["priority"]);
    }

    [Fact]
    public async Task SslCertificateLoginOverHttps()
    {
        var (serverCert, caPem, clientPem) = MakePki(_tmp);
        await using var hub = new KojiHubSimulator(serverCert);
        Assert.Equal("https", hub.HubUrl.Scheme);
        var options = new KojiClientOptions { Cert = clientPem, ServerCa = caPem, AuthType = "ssl", MaxRetries = 0, Timeout = TimeSpan.FromSeconds(20) };
        using var client = new KojiClient(hub.HubUrl, options);
        Assert.Equal(24, (await client.GetLastEventAsync()).Id); // the hub's certificate checks out against serverca
        await client.LoginAsync();
        var login = hub.Requests.Single(r => r.Path.EndsWith("/ssllogin", StringComparison.Ordinal));
        Assert.Equal("sslLogin", XmlRpcReader.ReadCall(new MemoryStream(login.Body)).MethodName);
        Assert.Equal("pungi-compose", login.ClientCertificate!.GetNameInfo(X509NameType.SimpleName, false));
        Assert.Equal("SSL", client.Session!.AuthType);
        var id = await client.OsbuildImageAsync("n", "1", "d", ["qcow2"], "t", ["x86_64"], new Dictionary<string, object?>());
        Assert.True(hub.Tasks.ContainsKey(id));

        // without the CA the hub's self-signed chain is refused, and a certificate error is not retried
        using var untrusting = new KojiClient(hub.HubUrl, new KojiClientOptions { Cert = clientPem, MaxRetries = 3, AnonRetry = true, RetryInterval = TimeSpan.Zero });
        var e = await Assert.ThrowsAsync<PungiException>(() => untrusting.GetLastEventAsync());
        Assert.Equal(ErrorCodes.KojiHubUnreachable, e.Code);
        Assert.DoesNotContain("tries", e.Message);
    }

    [Fact]
    public async Task LoginRulesFollowPungi()
    {
        using var none = new KojiClient(new Uri("http://127.0.0.1:9/kojihub"), new KojiClientOptions { AuthType = "password" });
        var e = await Assert.ThrowsAsync<PungiException>(() => none.LoginAsync());
        Assert.Equal(ErrorCodes.KojiLoginFailed, e.Code);
        using var noCert = new KojiClient(new Uri("http://127.0.0.1:9/kojihub"), new KojiClientOptions { AuthType = "ssl", Cert = "/nonexistent.pem" });
        e = await Assert.ThrowsAsync<PungiException>(() => noCert.LoginAsync());
        Assert.Equal(ErrorCodes.KojiLoginFailed, e.Code);
        Assert.Contains("/nonexistent.pem", e.Message);
    }

    /// <summary>A throw-away CA, a server certificate for 127.0.0.1 and a client certificate (PEM with its key, as koji's 'cert').</summary>
    internal static (X509Certificate2 Server, string CaPem, string ClientPem) MakePki(string dir)
    {
        using var caKey = RSA.Create(2048);
        var caReq = new CertificateRequest("CN=Pungi Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caReq.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        X509Certificate2 Issue(string cn, bool server)
        {
            using var key = RSA.Create(2048);
            var req = new CertificateRequest($"CN={cn}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
            req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
                [new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
            if (server)
            {
                var san = new SubjectAlternativeNameBuilder();
                san.AddIpAddress(IPAddress.Loopback);
                req.CertificateExtensions.Add(san.Build());
            }
            var serial = RandomNumberGenerator.GetBytes(8);
            using var pub = req.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), serial);
            using var withKey = pub.CopyWithPrivateKey(key);
            return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12, ""), "");
        }

        var server = Issue("127.0.0.1", server: true);
        using var client = Issue("pungi-compose", server: false);
        var caPem = Path.Combine(dir, "serverca.pem");
        File.WriteAllText(caPem, ca.ExportCertificatePem());
        var clientPem = Path.Combine(dir, "client.pem");
        File.WriteAllText(clientPem, client.ExportCertificatePem() + "\n" + client.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem() + "\n");
        return (server, caPem, clientPem);
    }
}
