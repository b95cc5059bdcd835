using System.Diagnostics;
using Pungi.Build.Rpm;
using Xunit;

namespace Pungi.Build.Tests.Rpm;

public class RpmPerformanceAndSynthTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void Read432Headers_WithFileLists_WellUnderASecond()
    {
        var files = RpmInterop.AllDummyRpms().ToList();
        var options = new RpmReadOptions { ChecksumType = null };
        foreach (var f in files.Take(20)) RpmHeaderReader.Read(f, options); // JIT warm-up
        var sw = Stopwatch.StartNew();
        long fileCount = 0;
        foreach (var f in files) fileCount += RpmHeaderReader.Read(f, options).Files.Count;
        sw.Stop();
        Assert.True(fileCount > 0);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(1), $"reading {files.Count} headers took {sw.Elapsed.TotalMilliseconds:F0} ms");
    }

    /// <summary>
    /// Opt-in (slow to generate): set PUNGI_SYNTH_REPO to a directory made by
    /// <c>fixtures/synth/make-synth-repo.sh 2000 DIR</c>; every package is compared with rpm -qp like the dummy set
    /// (rich dependencies, Requires(pre), weak deps, epochs, config files, changelogs, zstd payloads).
    /// </summary>
    [SkippableFact]
    public void SynthRepo_MatchesRpmQueryformat()
    {
        string? dir = Environment.GetEnvironmentVariable("PUNGI_SYNTH_REPO");
        Skip.If(string.IsNullOrEmpty(dir) || !Directory.Exists(dir), "PUNGI_SYNTH_REPO is not set (opt-in: bash fixtures/synth/make-synth-repo.sh 2000 DIR)");
        var files = Directory.EnumerateFiles(dir!, "*.rpm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        foreach (var f in files.Take(50)) RpmHeaderReader.Read(f, new RpmReadOptions { ChecksumType = null }); // warm-up
        var timer = Stopwatch.StartNew();
        foreach (var f in files) RpmHeaderReader.Read(f, new RpmReadOptions { ChecksumType = null });
        output.WriteLine($"read {files.Count} synthetic headers with file lists in {timer.Elapsed.TotalMilliseconds:F0} ms");
        timer.Restart();
        var opened = files.Select(RpmFile.Open).ToList();
        output.WriteLine($"  of which opening and parsing headers: {timer.Elapsed.TotalMilliseconds:F0} ms");
        timer.Restart();
        foreach (var o in opened) RpmHeaderReader.ToPackage(o);
        output.WriteLine($"  of which building the model: {timer.Elapsed.TotalMilliseconds:F0} ms");
        var rpmFields = RpmHeaderReaderInteropTests.QueryRpm(files);
        var diffs = new List<string>();
        int rich = 0;
        for (int k = 0; k < files.Count; k++)
        {
            var p = RpmHeaderReader.Read(files[k], new RpmReadOptions { ChecksumType = null });
            diffs.AddRange(RpmHeaderReaderInteropTests.Compare(files[k], p, rpmFields[k]));
            foreach (var d in p.Requires.Concat(p.Recommends).Concat(p.Supplements).Where(d => d.IsRich))
            {
                RichDependency.Parse(d.Name); // every rich dep rpmbuild accepted must parse
                rich++;
            }
        }
        Assert.True(diffs.Count == 0, $"{diffs.Count} differences:\n" + string.Join('\n', diffs.Take(40)));
        Assert.True(rich > 0, "the synthetic repo had no rich dependencies");
    }
}
