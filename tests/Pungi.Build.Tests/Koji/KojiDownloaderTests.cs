using System.Security.Cryptography;
using Pungi.Build.Diagnostics;
using Pungi.Build.Koji;
using Xunit;

namespace Pungi.Build.Tests.Koji;

public sealed class KojiDownloaderTests : IDisposable
{
    private readonly string _cache = Directory.CreateTempSubdirectory("pungi-koji-cache-").FullName;

    public void Dispose() => Directory.Delete(_cache, true);

    private static string SomeRpm() => Directory.GetFiles(Path.Combine(TestPaths.PungiDummyRpms, "x86_64"), "*.rpm").Order().First();

    [Fact]
    public async Task DownloadsFromTopurlValidateAndRenameAtomically()
    {
        await using var hub = new KojiHubSimulator();
        var data = File.ReadAllBytes(SomeRpm());
        const string rel = "packages/hello/1.1/1.fc41/data/signed/95c92df2/x86_64/hello-1.1-1.fc41.x86_64.rpm";
        hub.Files[rel] = data;
        using var http = new HttpClient();
        var dl = new KojiDownloader(http, hub.TopUrl, _cache);
        var sha = Convert.ToHexStringLower(SHA256.HashData(data));
        var path = await dl.DownloadAsync(rel, new KojiFileCheck(data.Length, "sha256", sha));
        Assert.Equal(Path.Combine(_cache, rel), path);
        Assert.Equal(data, File.ReadAllBytes(path));

        // reused from the cache: the hub is not asked again
        hub.Files.Clear();
        Assert.Equal(path, await dl.DownloadAsync(rel, new KojiFileCheck(data.Length, "sha256", sha)));

        // a wrong checksum: nothing (not even a partial file) is left behind
        hub.Files["packages/x/1/1/noarch/x-1-1.noarch.rpm"] = data;
        var e = await Assert.ThrowsAsync<PungiException>(() => dl.DownloadAsync("packages/x/1/1/noarch/x-1-1.noarch.rpm", new KojiFileCheck(null, "sha256", new string('0', 64))));
        Assert.Equal(ErrorCodes.KojiChecksumMismatch, e.Code);
        Assert.Empty(Directory.GetFiles(Path.Combine(_cache, "packages/x/1/1/noarch")));

        e = await Assert.ThrowsAsync<PungiException>(() => dl.DownloadAsync("packages/missing.rpm"));
        Assert.Equal(ErrorCodes.KojiDownloadFailed, e.Code);
        Assert.Contains("404", e.Message);
        Assert.Throws<PungiException>(() => dl.CachePath("../../etc/passwd"));
    }

    [Theory]
    [InlineData("packages/../../../etc/passwd")]
    [InlineData("packages/hello/1.1/1.fc41/x86_64/hello\0.rpm")]
    [InlineData("packages/hello/1.1/1.fc41/x86_64/hello\n.rpm")]
    [InlineData("packages/hello/1.1/1.fc41/x86_64/..")]
    [InlineData("packages/hello/1.1/1.fc41/x86_64/LONG")]
    public async Task HostileKojiPathsNeverBecomeCacheFiles(string hostile)
    {
        // issue #13: names from the hub (build name/version/release, RPM rows, task output) go through SafePath;
        // a name that leaves no room for the .part-<pid> temporary beside it is refused too.
        var rel = hostile.Replace("LONG", new string('a', 245) + ".rpm", StringComparison.Ordinal); // 249 bytes: fits NAME_MAX, not with .part-<pid>
        await using var hub = new KojiHubSimulator();
        hub.Files[rel] = [1, 2, 3];
        using var http = new HttpClient();
        var dl = new KojiDownloader(http, hub.TopUrl, _cache);
        var e = await Assert.ThrowsAsync<PungiException>(() => dl.DownloadAsync(rel));
        Assert.True(e.Code is ErrorCodes.UnsafeName or ErrorCodes.PathOutsideRoot, e.Code + ": " + e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_cache)); // refused before any directory, lock or temporary was made
    }

    [Fact]
    public async Task ConcurrentRequestsForOneFileDownloadItOnce()
    {
        await using var hub = new KojiHubSimulator();
        var data = File.ReadAllBytes(SomeRpm());
        hub.Files["a/b.rpm"] = data;
        using var http = new HttpClient();
        var dl = new KojiDownloader(http, hub.TopUrl, _cache);
        var paths = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => dl.DownloadAsync("a/b.rpm", new KojiFileCheck(data.Length))));
        Assert.Single(paths.Distinct());
        Assert.Equal(["b.rpm"], Directory.GetFiles(Path.Combine(_cache, "a")).Select(Path.GetFileName));
    }

    /// <summary>Koji's payloadhash is rpm's SIGMD5 (MD5 of header+payload): checked against `rpm -qp --qf %{SIGMD5}`.</summary>
    [SkippableFact]
    public void PayloadHashIsRpmsSigmd5()
    {
        var rpm = KojiInterop.RequireTool("rpm");
        foreach (var f in Directory.GetFiles(Path.Combine(TestPaths.PungiDummyRpms, "x86_64"), "*.rpm").Order().Take(5))
        {
            var want = KojiInterop.Run(rpm, "-qp", "--qf", "%{SIGMD5}", f).Trim();
            using var s = File.OpenRead(f);
            Assert.Equal(want, KojiDownloader.RpmHeaderPayloadMd5(s));
            Assert.Null(KojiDownloader.Validate(f, new KojiFileCheck(RpmPayloadHash: want)));
            Assert.NotNull(KojiDownloader.Validate(f, new KojiFileCheck(RpmPayloadHash: new string('a', 32))));
        }
    }
}
