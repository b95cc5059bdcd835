using System.Text.Json;
using System.Text.RegularExpressions;
using Pungi.Build.Cli;
using Pungi.Build.Metadata;
using Pungi.Build.Report;
using Pungi.Build.Tests.Build;
using Xunit;

namespace Pungi.Build.Tests.Report;

/// <summary>
/// The sample built twice (issue #15 "done when"): 20261127, then 20261128 with three package changes swapped into
/// its repository between the builds (Report/rpms/build.sh): sample-nano 7.2-3 → 1:7.0-1 (an upgrade only by epoch),
/// sample-tftp 5.2-40 → 5.2-4 (a downgrade: release 4 &lt; 40), and sample-dash filtered out of Workstation (removed).
/// Every composeproj is built with the tasks the test project built (no bootstrap).
/// The second compose finds the first through <c>latest-SAMPLE-1</c>. One pair of builds serves every test here.
/// </summary>
public sealed class TwoSampleComposes : IDisposable
{
    public TwoSampleComposes()
    {
        Project = SampleCompose.Create();
        var text = File.ReadAllText(Project.ProjectPath).Replace("</ItemGroup>",
            "  <FilterPackage Include=\"sample-dash\" Variant=\"^Workstation$\" Arch=\"*\" Condition=\"'$(DropDash)' == 'true'\" />\n  </ItemGroup>", StringComparison.Ordinal);
        File.WriteAllText(Project.ProjectPath, text);
        First = Project.Build("-p:ComposeDate=20261127");
        if (First.ExitCode != 0) return;

        var rpms = Path.Combine(Project.Dir, "rpms");
        foreach (var old in Directory.EnumerateFiles(rpms, "sample-nano-7.2-3.*.rpm", SearchOption.AllDirectories)
                     .Concat(Directory.EnumerateFiles(rpms, "sample-tftp*-5.2-40.*.rpm", SearchOption.AllDirectories)))
            File.Delete(old);
        var updates = Path.Combine(TestPaths.RepoRoot, "tests", "Pungi.Build.Tests", "Report", "rpms");
        foreach (var rpm in Directory.EnumerateFiles(updates, "*.rpm", SearchOption.AllDirectories))
            File.Copy(rpm, Path.Combine(rpms, Path.GetRelativePath(updates, rpm)), overwrite: true);
        Second = Project.Build("-p:ComposeDate=20261128", "-p:DropDash=true");
    }

    internal ComposeProject Project { get; }
    internal BuildRun First { get; }
    internal BuildRun? Second { get; }
    public string OldTop => SampleCompose.TopDir(Project, "SAMPLE-1.0-20261127.t.0");
    public string NewTop => SampleCompose.TopDir(Project, "SAMPLE-1.0-20261128.t.0");
    public string ReportPath => Path.Combine(NewTop, "compose", "metadata", "report.html");

    public void AssertBuilt()
    {
        Assert.True(First.ExitCode == 0, First.Describe());
        Assert.True(Second is { ExitCode: 0 }, Second?.Describe() ?? "second build not run");
    }

    public void Dispose() => Project.Dispose();
}

[Collection("spawned builds")]
public sealed class ComposeReportBuildTests(TwoSampleComposes composes) : IClassFixture<TwoSampleComposes>
{
    // Hand-worked from the first compose's rpms.json: Server.x86_64 and Workstation.x86_64 both ship sample-nano and
    // sample-dash with their SRPMs (dash is filtered from Workstation only), Server-optional.x86_64 sample-tftp,
    // sample-tftp-server and their SRPM.
    private static readonly string[] ExpectedRows =
    [
        "Server-optional.x86_64 downgraded binary sample-tftp-5.2-40.x86_64 sample-tftp-5.2-4.x86_64",
        "Server-optional.x86_64 downgraded binary sample-tftp-server-5.2-40.x86_64 sample-tftp-server-5.2-4.x86_64",
        "Server-optional.x86_64 downgraded source sample-tftp-5.2-40.src sample-tftp-5.2-4.src",
        "Server.x86_64 upgraded binary sample-nano-7.2-3.x86_64 sample-nano-1:7.0-1.x86_64",
        "Server.x86_64 upgraded source sample-nano-7.2-3.src sample-nano-1:7.0-1.src",
        "Workstation.x86_64 removed binary sample-dash-0.5.12-1.x86_64 ",
        "Workstation.x86_64 removed source sample-dash-0.5.12-1.src ",
        "Workstation.x86_64 upgraded binary sample-nano-7.2-3.x86_64 sample-nano-1:7.0-1.x86_64",
        "Workstation.x86_64 upgraded source sample-nano-7.2-3.src sample-nano-1:7.0-1.src",
    ];

    private static List<string> Rows(string html)
        => Regex.Matches(html, "<table class=\"changes\" data-variant-arch=\"(?<va>[^\"]+)\">(?<body>.*?)</table>", RegexOptions.Singleline)
            .SelectMany(t => Regex.Matches(t.Groups["body"].Value, "<tr class=\"change [^\"]+\"><td>(?<k>[^<]*)</td><td>(?<c>[^<]*)</td><td>(?<o>[^<]*)</td><td>(?<n>[^<]*)</td></tr>")
                .Select(r => $"{t.Groups["va"].Value} {r.Groups["k"].Value} {r.Groups["c"].Value} {r.Groups["o"].Value} {r.Groups["n"].Value}"))
            .Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void Report_of_the_second_compose_lists_the_changes_since_the_first()
    {
        composes.AssertBuilt();
        var html = File.ReadAllText(composes.ReportPath);
        Assert.True(html.Length < 1_000_000);
        Assert.Contains("<h1 id=\"compose-id\">SAMPLE-1.0-20261128.t.0</h1>", html, StringComparison.Ordinal);
        Assert.Contains("class=\"status FINISHED\"", html, StringComparison.Ordinal);
        Assert.Contains("Since <b>SAMPLE-1.0-20261127.t.0</b>", html, StringComparison.Ordinal);
        Assert.Equal(ExpectedRows, Rows(html));
        // The filter's effect on Gather is a coded warning in the record, and so on the page.
        Assert.Matches("<td>PUNGI\\d{4}</td>", html);
        Assert.Equal("FINISHED", File.ReadAllText(Path.Combine(composes.NewTop, "STATUS")).Trim());

        using var times = JsonDocument.Parse(File.ReadAllText(Path.Combine(composes.NewTop, "logs", "global", "phase-times.json")));
        var phases = times.RootElement.GetProperty("phases").EnumerateArray().ToList();
        Assert.Contains(phases, p => p.GetProperty("phase").GetString() == "Createrepo" && p.GetProperty("variant").GetString() == "Server");
        Assert.Contains(phases, p => p.GetProperty("critical").GetBoolean());

        // The first compose had no earlier one to compare with.
        Assert.Contains("No previous FINISHED compose", File.ReadAllText(Path.Combine(composes.OldTop, "compose", "metadata", "report.html")), StringComparison.Ordinal);
    }

    /// <summary>
    /// The first compose had nothing to compare with, so its page took the package counts ComposeMetadata saved under
    /// rpms.json's hash and the tree sizes from Createiso's listings of this build: its variant table equals the one
    /// written from rpms.json parsed whole and the trees walked.
    /// </summary>
    [Fact]
    public void Variant_table_from_saved_counts_and_tree_listings_equals_the_one_from_rpms_json_and_the_trees()
    {
        composes.AssertBuilt();
        var layout = new Pungi.Build.Compose.ComposeLayout(composes.OldTop);
        Assert.False(ComposeManifest.Load(composes.OldTop, RpmsCounts.PathFor(layout)).PackagesLoaded, "the saved counts match rpms.json");
        Assert.NotNull(Pungi.Build.Compose.FileListing.ReadBytes(Path.Combine(layout.WorkTopdir("x86_64"), "stamps", "Createiso-Server.x86_64.tree")));
        var slow = new StringWriter();
        ReportHtml.Write(slow, new ReportModel { ComposeId = "x", Status = "FINISHED", Compose = ComposeManifest.Load(composes.OldTop) });
        var built = VariantTable(File.ReadAllText(Path.Combine(composes.OldTop, "compose", "metadata", "report.html")));
        Assert.Equal(VariantTable(slow.ToString()), built);
        Assert.Contains("<td class=\"n\">", built, StringComparison.Ordinal);
    }

    private static string VariantTable(string html)
    {
        int start = html.IndexOf("<table id=\"variants\">", StringComparison.Ordinal);
        Assert.True(start >= 0, "no variant table");
        return html[start..(html.IndexOf("</table>", start, StringComparison.Ordinal) + "</table>".Length)];
    }

    [Fact]
    public void Diff_command_gives_the_same_change_list()
    {
        composes.AssertBuilt();
        var (o, e) = (new StringWriter(), new StringWriter());
        Assert.True(Program.Run(["diff", composes.OldTop, composes.NewTop, "--json"], o, e) == 0, e.ToString());
        using var doc = JsonDocument.Parse(o.ToString());
        var rows = doc.RootElement.GetProperty("variants").EnumerateObject()
            .SelectMany(v => v.Value.GetProperty("packages").EnumerateArray().Select(p =>
                $"{v.Name} {p.GetProperty("change").GetString()} {p.GetProperty("category").GetString()} {p.GetProperty("old").GetString()} {p.GetProperty("new").GetString()}"))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal([
            "Server-optional.x86_64 downgraded binary sample-tftp-0:5.2-40.x86_64 sample-tftp-0:5.2-4.x86_64",
            "Server-optional.x86_64 downgraded binary sample-tftp-server-0:5.2-40.x86_64 sample-tftp-server-0:5.2-4.x86_64",
            "Server-optional.x86_64 downgraded source sample-tftp-0:5.2-40.src sample-tftp-0:5.2-4.src",
            "Server.x86_64 upgraded binary sample-nano-0:7.2-3.x86_64 sample-nano-1:7.0-1.x86_64",
            "Server.x86_64 upgraded source sample-nano-0:7.2-3.src sample-nano-1:7.0-1.src",
            "Workstation.x86_64 removed binary sample-dash-0:0.5.12-1.x86_64 ",
            "Workstation.x86_64 removed source sample-dash-0:0.5.12-1.src ",
            "Workstation.x86_64 upgraded binary sample-nano-0:7.2-3.x86_64 sample-nano-1:7.0-1.x86_64",
            "Workstation.x86_64 upgraded source sample-nano-0:7.2-3.src sample-nano-1:7.0-1.src",
        ], rows);

        (o, e) = (new StringWriter(), new StringWriter());
        Assert.Equal(0, Program.Run(["diff", composes.OldTop, composes.NewTop], o, e));
        Assert.Contains("packages: 0 added, 2 removed, 4 upgraded, 3 downgraded", o.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_rebuild_with_nothing_changed_leaves_the_report_alone()
    {
        composes.AssertBuilt();
        var before = File.GetLastWriteTimeUtc(composes.ReportPath);
        var run = composes.Project.Build("-p:ComposeDate=20261128", "-p:DropDash=true");
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Empty(run.Ran("Report"));
        Assert.Equal(before, File.GetLastWriteTimeUtc(composes.ReportPath));
    }

    [SkippableFact]
    public void Report_renders_in_headless_chromium()
    {
        Interop.RequireTool("chromium");
        composes.AssertBuilt();
        var png = Path.Combine(composes.Project.Dir, "report.png");
        var url = new Uri(composes.ReportPath).AbsoluteUri;
        string[] common = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
            $"--user-data-dir={Path.Combine(composes.Project.Dir, "chromium-profile")}"];
        Interop.Run("chromium", [.. common, $"--screenshot={png}", "--window-size=1200,1600", url]);
        Assert.True(File.Exists(png), "no screenshot written");
        var bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 10_000, $"screenshot is only {bytes.Length} bytes");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);

        // The DOM as Chromium parsed it: the SVG timeline has bars, and the change rows are there.
        var dom = Interop.Run("chromium", [.. common, "--dump-dom", url]);
        var svg = Regex.Match(dom, "<svg id=\"timeline\".*?</svg>", RegexOptions.Singleline);
        Assert.True(svg.Success, "no timeline SVG in the DOM");
        Assert.True(Regex.Count(svg.Value, "<rect class=\"bar") >= 10, "timeline has fewer than 10 bars");
        Assert.Equal(ExpectedRows, Rows(dom));
    }
}
