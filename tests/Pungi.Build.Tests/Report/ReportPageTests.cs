using System.Text.Json;
using Pungi.Build.Cli;
using Pungi.Build.Compose;
using Pungi.Build.Report;
using Xunit;

namespace Pungi.Build.Tests.Report;

/// <summary>The report page, the phase times, the previous-compose rule and <c>pungi-build diff</c>, without a build.</summary>
public sealed class ReportPageTests
{
    private static ComposeInfo Info(string date, int respin = 0) => new()
    {
        Release = new ReleaseInfo("Sample Product", "SAMPLE", "1.0"),
        Type = "test",
        Date = date,
        Respin = respin,
        Id = $"SAMPLE-1.0-{date}.t.{respin}",
    };

    private static string Dir(string root, string name, string? status)
    {
        var d = Path.Combine(root, name);
        Directory.CreateDirectory(d);
        if (status is not null) File.WriteAllText(Path.Combine(d, "STATUS"), status + "\n");
        return d;
    }

    [Fact]
    public void Previous_compose_is_the_newest_older_finished_one_when_latest_points_here()
    {
        // find_old_compose rules: same release prefix, one separator then a digit, STATUS allowed (FINISHED here),
        // respins compared as numbers (.t.10 after .t.9); never this compose, never a newer one.
        using var trees = new ComposeTrees();
        var root = trees.Root;
        Dir(root, "SAMPLE-1.0-20261125.t.10", "FINISHED");
        Dir(root, "SAMPLE-1.0-20261125.t.9", "FINISHED");
        Dir(root, "SAMPLE-1.0-20261126.t.0", "DOOMED");
        Dir(root, "SAMPLE-1.0-updates-20261126.t.0", "FINISHED");
        var self = Dir(root, "SAMPLE-1.0-20261127.t.0", "STARTED");
        Dir(root, "SAMPLE-1.0-20261128.t.0", "FINISHED");
        File.CreateSymbolicLink(Path.Combine(root, "latest-SAMPLE-1"), "SAMPLE-1.0-20261127.t.0");
        Assert.Equal(Path.Combine(root, "SAMPLE-1.0-20261125.t.10"), PreviousCompose.Find(self, Info("20261127")));
    }

    [Fact]
    public void Previous_compose_follows_the_latest_link_as_it_was_before_this_compose()
    {
        using var trees = new ComposeTrees();
        var root = trees.Root;
        Dir(root, "SAMPLE-1.0-20261125.t.0", "FINISHED");
        Dir(root, "SAMPLE-1.0-20261126.t.0", "FINISHED");
        var self = Dir(root, "SAMPLE-1.0-20261127.t.0", "STARTED");
        File.CreateSymbolicLink(Path.Combine(root, "latest-SAMPLE-1"), "SAMPLE-1.0-20261125.t.0");
        Assert.Equal(Path.Combine(root, "SAMPLE-1.0-20261125.t.0"), PreviousCompose.Find(self, Info("20261127")));
        // An explicit PreviousCompose wins; a missing one is a coded error.
        Assert.Equal(Path.Combine(root, "SAMPLE-1.0-20261126.t.0"), PreviousCompose.Find(self, Info("20261127"), Path.Combine(root, "SAMPLE-1.0-20261126.t.0")));
        var e = Assert.Throws<Diagnostics.PungiException>(() => PreviousCompose.Find(self, Info("20261127"), Path.Combine(root, "nope")));
        Assert.Equal(Diagnostics.ErrorCodes.ReportPreviousMissing, e.Code);
        Assert.Null(PreviousCompose.Find(Path.Combine(root, "SAMPLE-1.0-20261125.t.0"), Info("20261125")));
    }

    [Fact]
    public void Critical_path_steps_back_from_the_last_finisher()
    {
        var t0 = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
        PhaseRecord R(string name, double from, double to) => new(name, null, null, t0.AddSeconds(from), t0.AddSeconds(to), true, 0, [], []);
        // Gather 0–1, then LinkPackages A 1–3 and B 1–2 in parallel, then Metadata 3–4: A is on the path, B is not.
        var records = new List<PhaseRecord> { R("Gather", 0, 1), R("A", 1, 3), R("B", 1, 2), R("Metadata", 3, 4) };
        PhaseTimes.MarkCriticalPath(records);
        Assert.Equal(["Gather", "A", "Metadata"], records.Where(r => r.Critical).Select(r => r.Phase).ToArray());
    }

    [Fact]
    public void Phase_times_json_marks_records_of_an_earlier_run()
    {
        using var trees = new ComposeTrees();
        var top = trees.Root;
        var dir = PhaseTimes.RecordsDir(top);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "Pkgset.json"), """{"phase":"Pkgset","variant":null,"arch":null,"start":"2026-11-27T10:00:00+00:00","end":"2026-11-27T10:00:02+00:00","succeeded":true,"warnings":1,"diagnostics":[{"severity":"warning","code":"PUNGI2111","message":"x","file":null}]}""");
        File.WriteAllText(Path.Combine(dir, "Createrepo-Server.x86_64.json"), """{"phase":"Createrepo","variant":"Server","arch":"x86_64","start":"2026-11-27T11:00:00+00:00","end":"2026-11-27T11:00:01.5+00:00","succeeded":true,"warnings":0}""");
        File.WriteAllText(Path.Combine(dir, "broken.json"), "{");
        var records = PhaseTimes.Read(top, DateTimeOffset.Parse("2026-11-27T10:30:00+00:00", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, records.Count);
        PhaseTimes.Write(top, records);
        using var doc = JsonDocument.Parse(File.ReadAllText(PhaseTimes.OutputPath(top)));
        var phases = doc.RootElement.GetProperty("phases").EnumerateArray().ToList();
        Assert.False(phases[0].GetProperty("this_run").GetBoolean());
        Assert.True(phases[1].GetProperty("this_run").GetBoolean());
        Assert.Equal("x86_64", phases[1].GetProperty("arch").GetString());
        Assert.Equal(1.5, doc.RootElement.GetProperty("run_seconds").GetDouble());
        Assert.Equal("PUNGI2111", Assert.Single(records[0].Diagnostics).Code);
    }

    [Fact]
    public void Page_for_a_20000_package_compose_stays_under_one_megabyte()
    {
        // 20,000 packages over four variant.arches (package i in vas[i % 4], j = i / 4 its index there). Worked out
        // by hand: j % 4 == 0 upgraded (1250 per variant.arch, 5000 in all), j % 100 == 1 removed (50 each, never an
        // upgraded one), 50 added in Server.x86_64. Each variant.arch has more than 200 changes, so each table lists
        // 200 rows and counts the rest: Server.x86_64 1250 + 50 + 50 - 200 = 1150 more.
        using var trees = new ComposeTrees();
        string[] vas = ["Everything.x86_64", "Everything.aarch64", "Server.x86_64", "Server.aarch64"];
        IEnumerable<string> Packages(bool updated)
        {
            for (int i = 0; i < 20000; i++)
            {
                var (va, j) = (vas[i % 4], i / 4);
                var arch = va[(va.IndexOf('.') + 1)..];
                if (updated && j % 100 == 1) continue;
                var release = updated && j % 4 == 0 ? "10.fc41" : "9.fc41";
                yield return $"{va}|package-number-{i:00000}-0:1.{i % 13}.{i % 7}-{release}.{arch}";
            }
            if (updated)
                for (int i = 0; i < 50; i++) yield return $"Server.x86_64|new-package-{i}-0:1.0-1.fc41.x86_64";
        }
        var old = trees.Compose("Big-41-20261126.n.0", Packages(false));
        var neu = trees.Compose("Big-41-20261127.n.0", Packages(true));
        Assert.True(new FileInfo(Path.Combine(neu, "compose", "metadata", "rpms.json")).Length > 2_000_000);
        var manifest = ComposeManifest.Load(neu);
        var diff = ComposeDiff.Compare(ComposeManifest.Load(old), manifest);
        Assert.Equal((5000, 200, 50, 0), (diff.Total(PackageChangeKind.Upgraded), diff.Total(PackageChangeKind.Removed), diff.Total(PackageChangeKind.Added), diff.Total(PackageChangeKind.Downgraded)));
        var page = Path.Combine(trees.Root, "report.html");
        ReportHtml.WriteFile(page, new ReportModel { ComposeId = "Big-41-20261127.n.0", Status = "FINISHED", Compose = manifest, Changes = diff });
        var html = File.ReadAllText(page);
        Assert.True(new FileInfo(page).Length < 1_000_000, $"report is {new FileInfo(page).Length} bytes");
        Assert.Equal(4 * 200, CountOf(html, "<tr class=\"change "));
        Assert.Contains("… and 1150 more changes in Server.x86_64", html, StringComparison.Ordinal);
        Assert.Contains("50 added, 200 removed, 5000 upgraded, 0 downgraded", html, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string what)
    {
        int n = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }

    [Fact]
    public void Page_escapes_names_and_says_why_there_is_no_change_list()
    {
        using var trees = new ComposeTrees();
        var top = trees.Compose("X-1-20261127.t.0", ["Server.x86_64|a<b>-0:1-1.x86_64"]);
        var sw = new StringWriter();
        ReportHtml.Write(sw, new ReportModel { ComposeId = "X-1-20261127.t.0", Status = "FINISHED", Compose = ComposeManifest.Load(top), ChangesNote = "No previous compose." });
        var html = sw.ToString();
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("No previous compose.", html, StringComparison.Ordinal);
        Assert.Contains("No phase records", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Diff_command_prints_text_and_json()
    {
        using var trees = new ComposeTrees();
        var old = trees.Compose("X-1-20261126.t.0", ["Server.x86_64|nano-0:7.2-3.x86_64", "Server.x86_64|dash-0:0.5.12-1.x86_64"]);
        var neu = trees.Compose("X-1-20261127.t.0", ["Server.x86_64|nano-1:7.0-1.x86_64"]);
        var (o, e) = (new StringWriter(), new StringWriter());
        Assert.Equal(0, Program.Run(["diff", old, neu], o, e));
        var text = o.ToString();
        Assert.Contains("X-1-20261126.t.0 -> X-1-20261127.t.0", text, StringComparison.Ordinal);
        Assert.Contains("upgraded     binary nano-7.2-3.x86_64 -> nano-1:7.0-1.x86_64", text, StringComparison.Ordinal);
        Assert.Contains("removed      binary dash-0.5.12-1.x86_64 -> -", text, StringComparison.Ordinal);

        (o, e) = (new StringWriter(), new StringWriter());
        Assert.Equal(0, Program.Run(["diff", old, neu, "--json"], o, e));
        using var doc = JsonDocument.Parse(o.ToString());
        Assert.Equal(1, doc.RootElement.GetProperty("summary").GetProperty("upgraded").GetInt32());
        var changes = doc.RootElement.GetProperty("variants").GetProperty("Server.x86_64").GetProperty("packages").EnumerateArray()
            .Select(c => $"{c.GetProperty("change").GetString()} {c.GetProperty("old").GetString()} {c.GetProperty("new").GetString()}").ToArray();
        Assert.Equal(["removed dash-0:0.5.12-1.x86_64 ", "upgraded nano-0:7.2-3.x86_64 nano-1:7.0-1.x86_64"], changes);

        (o, e) = (new StringWriter(), new StringWriter());
        Assert.Equal(1, Program.Run(["diff", old, trees.Root], o, e));
        Assert.Contains("PUNGI7100", e.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, Program.Run(["diff", old], o, e));
    }
}
