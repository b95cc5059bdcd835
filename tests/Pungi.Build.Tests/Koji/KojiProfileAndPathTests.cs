using Pungi.Build.Diagnostics;
using Pungi.Build.Koji;
using Xunit;

namespace Pungi.Build.Tests.Koji;

public sealed class KojiProfileAndPathTests : IDisposable
{
    private readonly string _etc = Directory.CreateTempSubdirectory("pungi-koji-etc-").FullName;

    public void Dispose() => Directory.Delete(_etc, true);

    private void Write(string rel, string text)
    {
        var p = Path.Combine(_etc, rel);
        Directory.CreateDirectory(Path.GetDirectoryName(p)!);
        File.WriteAllText(p, text);
    }

    [Fact]
    public void ProfilesAreReadLikeTheKojiCliReadsThem()
    {
        // koji.read_config: koji.conf.d/*.conf sorted, then koji.conf, then the user's files; later keys win
        Write("koji.conf.d/10-fedora.conf", """
            [koji]
            server = https://koji.fedoraproject.org/kojihub
            weburl = https://koji.fedoraproject.org/koji
            topurl = https://kojipkgs.fedoraproject.org/
            authtype = kerberos
            max_retries = 5
            anon_retry: true

            [stg]
            server = https://koji.stg.fedoraproject.org/kojihub
            """);
        Write("koji.conf.d/20-override.conf", """
            # a later file overrides single keys
            [koji]
            retry_interval = 2.5
            max_retries = 7
            """);
        Write("koji.conf", """
            [koji]
            topdir = /mnt/fedora_koji
            cert = /etc/pki/koji/me.pem
            serverca = /etc/pki/koji/ca.pem
            offline_retry = yes
            timeout = 600
            """);
        Write("user/config", """
            [koji]
            ; the user's file comes last
            weburl = https://user.example/koji
            """);
        var p = KojiProfile.Load("koji", _etc, Path.Combine(_etc, "user"));
        Assert.Equal("https://koji.fedoraproject.org/kojihub", p.Server);
        Assert.Equal("https://user.example/koji", p.WebUrl);
        Assert.Equal("https://kojipkgs.fedoraproject.org/", p.TopUrl);
        Assert.Equal("/mnt/fedora_koji", p.TopDir);
        Assert.Equal("kerberos", p.AuthType);
        Assert.Equal(7, p.MaxRetries);
        Assert.Equal(2.5, p.RetryInterval);
        Assert.True(p.AnonRetry);
        Assert.True(p.OfflineRetry);
        Assert.Equal(2.5, p.OfflineRetryInterval); // defaults to retry_interval, as in koji
        Assert.Equal(600, p.Timeout);
        Assert.Equal(4, p.SourceFiles.Count);
        var o = p.ToClientOptions();
        Assert.Equal(TimeSpan.FromSeconds(600), o.Timeout);
        Assert.Equal("/etc/pki/koji/me.pem", o.Cert);

        var stg = KojiProfile.Load("stg", _etc, "");
        Assert.Equal(30, stg.MaxRetries); // the koji client's defaults
        Assert.Equal(20, stg.RetryInterval);
        Assert.False(stg.AnonRetry);
        Assert.Equal("/mnt/koji", stg.TopDir);
        Assert.Equal(43200, stg.Timeout);
    }

    [Fact]
    public void AMissingProfileOrServerIsACodedErrorThatSaysWhich()
    {
        Write("koji.conf", "[koji]\ntopurl = https://x/\n[broken]\nserver = ftp://nowhere\n[numbers]\nserver = https://h/kojihub\nmax_retries = many\n");
        var e = Assert.Throws<PungiException>(() => KojiProfile.Load("nosuch", _etc, ""));
        Assert.Equal(ErrorCodes.KojiProfileNotFound, e.Code);
        Assert.Contains("[nosuch]", e.Message);
        e = Assert.Throws<PungiException>(() => KojiProfile.Load("koji", _etc, ""));
        Assert.Equal(ErrorCodes.KojiProfileNoServer, e.Code);
        Assert.Contains("'koji'", e.Message);
        e = Assert.Throws<PungiException>(() => KojiProfile.Load("broken", _etc, ""));
        Assert.Equal(ErrorCodes.KojiProfileNoServer, e.Code);
        e = Assert.Throws<PungiException>(() => KojiProfile.Load("numbers", _etc, ""));
        Assert.Equal(ErrorCodes.KojiProfileInvalid, e.Code);
        Assert.Contains("max_retries", e.Message);
    }

    /// <summary>pungi-spec §2.2.1 step 6 / koji.PathInfo, checked against the recorded hub's topdir listing.</summary>
    [Fact]
    public void SignedAndUnsignedPathsMatchTheRecordedTopdir()
    {
        var layout = File.ReadAllLines(Path.Combine(KojiTranscripts.Dir, "topdir-layout.txt"))
            .Where(l => l.StartsWith('f')).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2]).ToHashSet();
        var tagged = KojiValue.AsArray(KojiTranscripts.Get("13-listTaggedRPMS-now").Response.Value, "13");
        var rpms = KojiValue.AsArray(tagged[0], "rpms").Select(r => KojiRpm.From(KojiValue.AsStruct(r, "rpm"))).ToList();
        var builds = KojiValue.AsArray(tagged[1], "builds").Select(b => KojiBuild.From(KojiValue.AsStruct(b, "build"))).ToDictionary(b => b.Id);
        var paths = new KojiPathInfo("/mnt/koji/");
        foreach (var rpm in rpms)
        {
            var unsigned = paths.UnsignedPath(builds[rpm.BuildId], rpm);
            Assert.StartsWith("/mnt/koji/packages/", unsigned);
            Assert.Contains(unsigned["/mnt/koji/".Length..], layout);
        }
        var hello = rpms.Single(r => r.Nvra == "hello-1.1-1.fc41.x86_64");
        Assert.Equal("/mnt/koji/packages/hello/1.1/1.fc41/data/signed/95c92df2/x86_64/hello-1.1-1.fc41.x86_64.rpm",
            paths.SignedPath(builds[hello.BuildId], hello, "95C92DF2")); // sigkeys are lower-cased
        Assert.Contains("packages/hello/1.1/1.fc41/data/signed/95c92df2/x86_64/hello-1.1-1.fc41.x86_64.rpm", layout);
        Assert.Equal("/mnt/koji/work/tasks/6/6", paths.Task(6));
        Assert.Contains("work/tasks/6/6/hello-1.1-1.fc41.x86_64.rpm", layout);
        Assert.Equal("tasks/2345/12345", KojiPathInfo.TaskRelPath(12345));
        var b = builds[hello.BuildId];
        Assert.Equal("/mnt/koji/packages/hello/1.1/1.fc41/images", paths.ImageBuild(b));
        Assert.Equal("/mnt/koji/packages/hello/1.1/1.fc41/files/module", paths.TypeDir(b, "module"));
        Assert.Equal("/mnt/koji/vol/archive/packages/a/1/2", paths.Build("a", "1", "2", "archive"));
    }
}
