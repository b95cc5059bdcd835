using Pungi.Build.Compose;
using Pungi.Build.Report;
using Pungi.Build.Tests.Build;

namespace Pungi.Build.Tests.Validate;

/// <summary>
/// Issue 12: a design-time build (what IDEs run to read a project) runs no phase and leaves no compose; a real build ends
/// with the run summary, and a no-op rebuild marks every phase skipped (DESIGN.md §8: a record from an earlier run
/// marks a phase that was skipped).
/// </summary>
[Collection("spawned builds")]
public sealed class RunSummaryAndDesignTimeTests
{
    [Fact]
    public void DesignTimeBuild_LeavesNoCompose_ThenSummaryShowsRanThenSkipped()
    {
        using var p = SampleCompose.Create();
        var design = p.Build("-p:DesignTimeBuild=true");
        Assert.True(design.ExitCode == 0, design.Describe());
        Assert.False(Directory.Exists(Path.Combine(p.Dir, "bin")), "a design-time build created a compose");
        Assert.Empty(design.Ran("Init", "Pkgset", "Gather", "LinkPackages", "Createrepo"));

        var first = p.Build();
        Assert.True(first.ExitCode == 0, first.Describe());
        Assert.Contains("Run summary of SAMPLE-1.0-20261127.t.0:", first.Output);
        Assert.Matches(@"Gather\s+-\s+ran\s+\d+\.\d\ds", first.Output);
        Assert.Matches(@"Createrepo\s+Server\.x86_64\s+ran\s+\d+\.\d\ds", first.Output);

        var second = p.Build();
        Assert.True(second.ExitCode == 0, second.Describe());
        Assert.Matches(@"Gather\s+-\s+skipped\s+up to date \(last ran ", second.Output);
        Assert.Matches(@"Createrepo\s+Server\.x86_64\s+skipped\s+up to date", second.Output);
        Assert.Matches(@"\b0 ran \(0\.00s of task time\), \d+ skipped as up to date", second.Output);
    }

    [Fact]
    public void Table_MarksOlderRecordsSkipped_AndListsPhasesInTheOrderTheyStarted()
    {
        var t0 = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
        var records = new List<PhaseRecord>
        {
            new("Gather", null, null, t0.AddSeconds(5), t0.AddSeconds(7.5), true, 1, [], []),
            new("Createrepo", "Server", "x86_64", t0.AddSeconds(9), t0.AddSeconds(9.25), false, 0, [], []),
            new("Init", null, null, t0.AddMinutes(-60), t0.AddMinutes(-60).AddSeconds(0.1), true, 0, [], []),
        };
        var lines = PhaseRecords.Table(records.OrderBy(r => r.Start).ToList(), t0).Split('\n');
        Assert.Matches(@"^Init\s+-\s+skipped\s+up to date \(last ran 2026-11-27 09:00:00 UTC\)$", lines[1]);
        Assert.Matches(@"^Gather\s+-\s+ran\s+2\.50s, 1 warning\(s\)$", lines[2]);
        Assert.Matches(@"^Createrepo\s+Server\.x86_64\s+failed\s+0\.25s$", lines[3]);
        Assert.Equal("2 ran (2.75s of task time), 1 skipped as up to date", lines[4]);
    }
}
