using System.Globalization;
using Pungi.Build.Diagnostics;
using Pungi.Build.Koji;
using Pungi.Build.Pkgset;
using Xunit;

namespace Pungi.Build.Tests.Koji;

/// <summary>
/// <c>pkgset_source = "koji"</c> (spec §2.2.1) against the simulated hub replaying the recorded tag content: f41
/// inherits f41-base; hello-1.1 is tagged in f41 and signed with 95c92df2; the other builds come from f41-base.
/// The mounted topdir is rebuilt from the recorded <c>topdir-layout.txt</c>.
/// </summary>
public sealed class KojiPkgsetSourceTests : IDisposable
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("pungi-koji-pkgset-").FullName;

    public void Dispose() => Directory.Delete(_tmp, true);

    private static readonly HashSet<string> X86Arches = ["x86_64", "i686", "i586", "i486", "i386", "athlon", "noarch", "src"];

    /// <summary>The recorded hub's topdir: every file of topdir-layout.txt, with its recorded size.</summary>
    private string MakeTopDir()
    {
        var top = Path.Combine(_tmp, "mnt-koji");
        foreach (var line in File.ReadLines(Path.Combine(KojiTranscripts.Dir, "topdir-layout.txt")))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3 || parts[0] != "f") continue;
            var path = Path.Combine(top, parts[2]);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, new byte[int.Parse(parts[1], CultureInfo.InvariantCulture)]);
        }
        return top;
    }

    private static KojiClientOptions Options => new() { MaxRetries = 1, RetryInterval = TimeSpan.FromMilliseconds(10), Timeout = TimeSpan.FromSeconds(10) };

    private static string Rel(string top, string path) => Path.GetRelativePath(top, path).Replace('\\', '/');

    [Fact]
    public async Task InheritedTagTakesSignedCopiesByPriorityAndUnsignedWhereNoneIsAllowed()
    {
        // spec §2.2.1 step 6: per sigkey in order data/signed/<key>/<arch>/<nvra>.rpm, then (None in sigkeys) the unsigned file
        await using var hub = new KojiHubSimulator();
        using var client = new KojiClient(hub.HubUrl, Options);
        var top = MakeTopDir();
        var work = Path.Combine(_tmp, "work");
        var ev = await KojiPkgsetEvent.ResolveAsync(client, work, pinned: null);
        Assert.Equal(24, ev.Id); // getLastEvent (transcript 03)
        Assert.StartsWith("{\"id\": 24, \"ts\": ", File.ReadAllText(KojiPkgsetEvent.FilePath(work)));

        var source = await KojiPackageSetSource.LoadAsync(client, new KojiPkgsetOptions
        {
            Tag = "f41", EventId = ev.Id, Inherit = true, Sigkeys = ["95C92DF2", null], AllArches = X86Arches, TopDir = top,
        });
        Assert.Equal("f41", source.Name);
        Assert.Equal(top + "/", source.PathPrefix);
        var paths = source.GetCandidates([]).Select(c => Rel(top, c.Path)).ToList();
        // hello-1.1 (f41, signed) replaces hello-1.0 of the parent f41-base; oldtool is blocked in f41 — by the hub.
        Assert.Equal(new[]
        {
            "packages/hello/1.1/1.fc41/data/signed/95c92df2/src/hello-1.1-1.fc41.src.rpm",
            "packages/hello/1.1/1.fc41/data/signed/95c92df2/x86_64/hello-1.1-1.fc41.x86_64.rpm",
            "packages/hello/1.1/1.fc41/data/signed/95c92df2/noarch/hello-doc-1.1-1.fc41.noarch.rpm",
            "packages/libfoo/2.3/4.fc41/src/libfoo-2.3-4.fc41.src.rpm",
            "packages/libfoo/2.3/4.fc41/x86_64/libfoo-2.3-4.fc41.x86_64.rpm",
            "packages/libfoo/2.3/4.fc41/x86_64/libfoo-devel-2.3-4.fc41.x86_64.rpm",
            "packages/fonts-bar/0.9/2.fc41/src/fonts-bar-0.9-2.fc41.src.rpm",
            "packages/fonts-bar/0.9/2.fc41/noarch/fonts-bar-0.9-2.fc41.noarch.rpm",
        }, paths);
        Assert.All(source.Chosen, c => Assert.Equal(c.Rpm.Name.StartsWith("hello", StringComparison.Ordinal) ? "95c92df2" : null, c.Sigkey));
        // the recorded request: listTaggedRPMS('f41', event=24, inherit=True, latest=True)
        Assert.Contains(hub.Requests, r => System.Text.Encoding.UTF8.GetString(r.Body).Contains("<name>event</name>\n<value><int>24</int>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APinnedEventSeesTheTagAsItWasThen()
    {
        // KojiEvent=18 (--koji-event): getEvent(18), and the content at event 18 (transcript 14): hello-1.0 and oldtool
        await using var hub = new KojiHubSimulator();
        using var client = new KojiClient(hub.HubUrl, Options);
        var top = MakeTopDir();
        var ev = await KojiPkgsetEvent.ResolveAsync(client, Path.Combine(_tmp, "work"), pinned: 18);
        var source = await KojiPackageSetSource.LoadAsync(client, new KojiPkgsetOptions
        {
            Tag = "f41", EventId = ev.Id, Sigkeys = ["95c92df2", null], AllArches = X86Arches, TopDir = top,
        });
        var nvras = source.Chosen.Select(c => c.Rpm.Nvra).Order(StringComparer.Ordinal).ToList();
        Assert.Contains("hello-1.0-1.fc41.x86_64", nvras);
        Assert.Contains("oldtool-3.0-1.fc41.x86_64", nvras);
        Assert.DoesNotContain(nvras, n => n.StartsWith("hello-1.1", StringComparison.Ordinal));
        Assert.All(source.Chosen, c => Assert.Null(c.Sigkey)); // hello-1.0 was never signed: unsigned copies
    }

    [Fact]
    public async Task OnlyASigkeyWithoutNoneMakesUnsignedPackagesAnError()
    {
        await using var hub = new KojiHubSimulator();
        using var client = new KojiClient(hub.HubUrl, Options);
        var top = MakeTopDir();
        var e = await Assert.ThrowsAsync<PungiException>(() => KojiPackageSetSource.LoadAsync(client, new KojiPkgsetOptions
        {
            Tag = "f41", EventId = 24, Sigkeys = ["95c92df2"], AllArches = X86Arches, TopDir = top,
        }));
        Assert.Equal(ErrorCodes.KojiPkgsetRpmsNotFound, e.Code);
        Assert.Contains("libfoo-2.3-4.fc41.x86_64", e.Message);
        Assert.Contains("fonts-bar-0.9-2.fc41.noarch", e.Message);
        Assert.DoesNotContain("hello-1.1", e.Message);
    }

    [Fact]
    public async Task DepsGatherToleratesUnsignedPackagesThatAreNotWanted()
    {
        // allow_invalid_sigkeys (gather_method deps): unsigned copy, remembered as invalid; a wanted name stays an error
        await using var hub = new KojiHubSimulator();
        using var client = new KojiClient(hub.HubUrl, Options);
        var top = MakeTopDir();
        var options = new KojiPkgsetOptions
        {
            Tag = "f41", EventId = 24, Sigkeys = ["95c92df2"], AllArches = X86Arches, TopDir = top, AllowInvalidSigkeys = true,
        };
        var source = await KojiPackageSetSource.LoadAsync(client, options);
        Assert.Equal(8, source.Chosen.Count);
        Assert.All(source.Chosen.Where(c => c.Rpm.Name.StartsWith("hello", StringComparison.Ordinal)), c => Assert.False(c.InvalidSigkey));
        Assert.All(source.Chosen.Where(c => !c.Rpm.Name.StartsWith("hello", StringComparison.Ordinal)), c => Assert.True(c.InvalidSigkey));

        var e = await Assert.ThrowsAsync<PungiException>(() => KojiPackageSetSource.LoadAsync(client, new KojiPkgsetOptions
        {
            Tag = "f41", EventId = 24, Sigkeys = ["95c92df2"], AllArches = X86Arches, TopDir = top, AllowInvalidSigkeys = true,
            WantedPackages = new HashSet<string> { "libfoo" },
        }));
        Assert.Equal(ErrorCodes.KojiPkgsetRpmsNotFound, e.Code);
        Assert.Contains("libfoo-2.3-4.fc41.x86_64", e.Message);
        Assert.DoesNotContain("fonts-bar", e.Message);
    }

    [Fact]
    public async Task ArchesNoTreeTakesAreSkipped()
    {
        // "RPMs of arches not in all arches are skipped": an aarch64-only compose keeps noarch and src only
        await using var hub = new KojiHubSimulator();
        using var client = new KojiClient(hub.HubUrl, Options);
        var source = await KojiPackageSetSource.LoadAsync(client, new KojiPkgsetOptions
        {
            Tag = "f41", EventId = 24, Sigkeys = [null], AllArches = new HashSet<string> { "aarch64", "noarch", "src" }, TopDir = MakeTopDir(),
        });
        Assert.All(source.Chosen, c => Assert.Contains(c.Rpm.Arch, new[] { "noarch", "src" }));
        Assert.Equal(5, source.Chosen.Count);
    }

    [Fact]
    public async Task AnUnknownTagIsPungi6010()
    {
        await using var hub = new KojiHubSimulator();
        using var client = new KojiClient(hub.HubUrl, Options);
        var e = await Assert.ThrowsAsync<PungiException>(() => KojiPackageSetSource.LoadAsync(client, new KojiPkgsetOptions
        {
            Tag = "nosuch", EventId = 24, AllArches = X86Arches, TopDir = _tmp,
        }));
        Assert.Equal(ErrorCodes.KojiUnknownTag, e.Code);
        Assert.Contains("'nosuch'", e.Message);
        Assert.Contains("No such tagInfo", e.Message);
    }

    [Fact]
    public async Task WithoutAMountedTopdirCopiesAreDownloadedFromTopurlAndValidated()
    {
        // upstream's koji_cache / KojiDownloadProxy: the same path rules, fetched from topurl into a cache
        await using var hub = new KojiHubSimulator();
        using var client = new KojiClient(hub.HubUrl, Options);
        var real = new Dictionary<long, string>
        {
            [4] = Directory.GetFiles(Path.Combine(TestPaths.PungiDummyRpms, "src"), "*.rpm").Order(StringComparer.Ordinal).First(),
            [5] = Directory.GetFiles(Path.Combine(TestPaths.PungiDummyRpms, "x86_64"), "*.rpm").Order(StringComparer.Ordinal).First(),
            [6] = Directory.GetFiles(Path.Combine(TestPaths.PungiDummyRpms, "noarch"), "*.rpm").Order(StringComparer.Ordinal).First(),
        };
        string Hash(string f) { using var s = File.OpenRead(f); return KojiDownloader.RpmHeaderPayloadMd5(s)!; }
        // the recorded hello-1.1 rows, narrowed to that build, with the payload hashes and sizes of the files served
        hub.ReplayFilter = (method, _, value) =>
        {
            if (method != "listTaggedRPMS" || value is not List<object?> pair) return value;
            var rpms = ((List<object?>)pair[0]!).Cast<Dictionary<string, object?>>()
                .Where(r => real.ContainsKey(Convert.ToInt64(r["id"], CultureInfo.InvariantCulture)))
                .Select(r => new Dictionary<string, object?>(r)
                {
                    ["payloadhash"] = Hash(real[Convert.ToInt64(r["id"], CultureInfo.InvariantCulture)]),
                    ["size"] = (int)new FileInfo(real[Convert.ToInt64(r["id"], CultureInfo.InvariantCulture)]).Length,
                }).Cast<object?>().ToList();
            var builds = ((List<object?>)pair[1]!).Cast<Dictionary<string, object?>>().Where(b => Convert.ToInt64(b["build_id"], CultureInfo.InvariantCulture) == 2).Cast<object?>().ToList();
            return new List<object?> { rpms, builds };
        };
        const string b = "packages/hello/1.1/1.fc41/";
        hub.Files[b + "data/signed/95c92df2/x86_64/hello-1.1-1.fc41.x86_64.rpm"] = File.ReadAllBytes(real[5]);
        hub.Files[b + "data/signed/95c92df2/noarch/hello-doc-1.1-1.fc41.noarch.rpm"] = File.ReadAllBytes(real[6]);
        hub.Files[b + "src/hello-1.1-1.fc41.src.rpm"] = File.ReadAllBytes(real[4]); // no signed SRPM: the unsigned one
        using var http = new HttpClient();
        var cache = Path.Combine(_tmp, "cache");
        var options = new KojiPkgsetOptions
        {
            Tag = "f41", EventId = 24, Sigkeys = ["95c92df2", null], AllArches = X86Arches, TopDir = "/nonexistent/koji",
            Downloader = new KojiDownloader(http, hub.TopUrl, cache),
        };
        var source = await KojiPackageSetSource.LoadAsync(client, options);
        Assert.Equal(Path.GetFullPath(cache) + "/", source.PathPrefix);
        Assert.Equal(new[]
        {
            b + "src/hello-1.1-1.fc41.src.rpm",
            b + "data/signed/95c92df2/x86_64/hello-1.1-1.fc41.x86_64.rpm",
            b + "data/signed/95c92df2/noarch/hello-doc-1.1-1.fc41.noarch.rpm",
        }, source.GetCandidates([]).Select(c => Rel(cache, c.Path)));
        Assert.Equal(File.ReadAllBytes(real[5]), File.ReadAllBytes(Path.Combine(cache, b + "data/signed/95c92df2/x86_64/hello-1.1-1.fc41.x86_64.rpm")));

        // a served file that is not the RPM Koji describes is refused, and nothing is left in the cache
        Directory.Delete(cache, true);
        hub.Files[b + "data/signed/95c92df2/x86_64/hello-1.1-1.fc41.x86_64.rpm"] = File.ReadAllBytes(real[6]);
        var e = await Assert.ThrowsAsync<PungiException>(() => KojiPackageSetSource.LoadAsync(client, options));
        Assert.Equal(ErrorCodes.KojiChecksumMismatch, e.Code);
        Assert.False(File.Exists(Path.Combine(cache, b + "data/signed/95c92df2/x86_64/hello-1.1-1.fc41.x86_64.rpm")));
    }
}
