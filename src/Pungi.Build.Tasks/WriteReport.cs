using System.Globalization;
using Microsoft.Build.Framework;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Metadata;
using Pungi.Build.Report;

namespace Pungi.Build.Tasks;

/// <summary>
/// The compose report (issue #15): <c>compose/metadata/report.html</c> and <c>logs/global/phase-times.json</c> from
/// the phase records, the compose metadata and the change list against the previous compose. It leaves no phase
/// record of its own: its target's inputs are the records, and one of its own would wake it on every build.
/// </summary>
public sealed class WriteReport : PungiTask
{
    [Required] public string ComposeTopDir { get; set; } = "";
    /// <summary>The status this run ends with when the report is the last phase (FINISHED); empty: the STATUS file.</summary>
    public string? Status { get; set; }
    /// <summary>A compose directory to compare with; empty: the release's previous FINISHED compose (see <see cref="Report.PreviousCompose"/>).</summary>
    public string? PreviousCompose { get; set; }
    public string? LatestLinkComponents { get; set; }
    /// <summary>When this build started (round-trip format); records older than that are from an earlier run.</summary>
    public string? RunStarted { get; set; }
    /// <summary>Change rows listed per variant.arch (default 200).</summary>
    public string? MaxChangeRows { get; set; }
    /// <summary>
    /// Listing stamps (<see cref="WriteFileListing"/> with <c>bytes=</c>) written in this build after the last write into
    /// their tree (<c>Tree</c> metadata): the report's tree sizes are read from them; other trees are walked.
    /// </summary>
    public ITaskItem[] ListedTrees { get; set; } = [];

    [Output] public string ReportFile { get; private set; } = "";

    protected override string PhaseName => "Report";

    protected override void ExecutePhase()
    {
        var layout = new ComposeLayout(ComposeTopDir);
        DateTimeOffset? runStarted = DateTimeOffset.TryParse(RunStarted, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t) ? t : null;
        var phases = PhaseTimes.Read(layout.Topdir, runStarted);
        PhaseTimes.Write(layout.Topdir, phases);

        var compose = ComposeInfoJson.Read(Path.Combine(layout.WorkDir, "global", "composeinfo-base.json")).Compose;
        int components = int.TryParse(LatestLinkComponents, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : -1;
        var previous = Report.PreviousCompose.Find(layout.Topdir, compose, PreviousCompose, components);
        // With nothing to compare with, the page needs only rpms.json's counts, which ComposeMetadata saved under its hash.
        var manifest = ComposeManifest.Load(layout.Topdir, previous is null ? RpmsCounts.PathFor(layout) : null);

        ComposeDiff? changes = null;
        string? note = null;
        if (previous is null)
            note = $"No previous FINISHED compose of {compose.Release.Short}-{compose.Release.Version} beside this one, and no PreviousCompose given.";
        else
        {
            try
            {
                changes = ComposeDiff.Compare(ComposeManifest.Load(previous), manifest);
            }
            catch (PungiException e)
            {
                // A broken old compose must not fail this one: the report says why it has no change list.
                note = $"The previous compose {previous} could not be read: {e.Message}";
                LogWarning(ErrorCodes.ReportPreviousUnreadable, note, e.File);
            }
        }

        ReportFile = layout.Metadata("report.html");
        ReportHtml.WriteFile(ReportFile, new ReportModel
        {
            ComposeId = compose.Id,
            Status = string.IsNullOrWhiteSpace(Status) ? ComposeStatus.Read(layout.Topdir) ?? "UNKNOWN" : Status,
            Compose = manifest,
            Phases = phases,
            Changes = changes,
            PreviousCompose = previous,
            ChangesNote = note,
            TreeBytes = ListedTreeBytes(),
            MaxRowsPerVariantArch = int.TryParse(MaxChangeRows, NumberStyles.Integer, CultureInfo.InvariantCulture, out var rows) && rows >= 0 ? rows : 200,
        });
        LogProgress(changes is null
            ? $"Report: {ReportFile}"
            : $"Report: {ReportFile}; since {changes.OldId}: {changes.Total(PackageChangeKind.Added)} added, {changes.Total(PackageChangeKind.Removed)} removed, " +
              $"{changes.Total(PackageChangeKind.Upgraded)} upgraded, {changes.Total(PackageChangeKind.Downgraded)} downgraded");
    }

    private Dictionary<string, long> ListedTreeBytes()
    {
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var item in ListedTrees)
            if (Compose.FileListing.ReadBytes(item.ItemSpec) is { } bytes)
                sizes[Path.TrimEndingDirectorySeparator(Path.GetFullPath(item.GetMetadata("Tree")))] = bytes;
        return sizes;
    }
}
