using Microsoft.Build.Framework;
using Pungi.Build.Compose;
using Pungi.Build.Metadata;

namespace Pungi.Build.Tasks;

/// <summary>
/// Writes the final <c>STATUS</c> (FINISHED at the end of a good run, DOOMED after a failure) and, for a finished
/// compose, the <c>latest-…</c> link beside it (Pungi §2.0.4).
/// </summary>
public sealed class FinishCompose : PungiTask
{
    [Required] public string ComposeTopDir { get; set; } = "";
    [Required] public string Status { get; set; } = "";
    public string? LatestLinkComponents { get; set; }
    public string? NoLatestLink { get; set; }

    protected override string PhaseName => "Finish";

    protected override void ExecutePhase()
    {
        var layout = new ComposeLayout(ComposeTopDir);
        if (!Directory.Exists(layout.Topdir)) return;
        // A phase that failed because Ctrl+C cancelled it was terminated, not doomed (upstream's signal handler).
        if (ComposeRunGuard.WasInterrupted(layout.Topdir))
        {
            ComposeStatus.Write(layout.Topdir, ComposeStatus.Terminated);
            Log.LogMessage(MessageImportance.High, $"Compose in {layout.Topdir} is TERMINATED.");
            return;
        }
        // A failable deliverable that failed (Koji image phases) turns FINISHED into FINISHED_INCOMPLETE, as upstream.
        var status = FailedDeliverables.FinalStatus(layout, Status);
        ComposeStatus.Write(layout.Topdir, status);
        if (Status == ComposeStatus.Doomed)
        {
            Log.LogMessage(MessageImportance.High, $"Compose in {layout.Topdir} is DOOMED.");
            return;
        }
        if (!ValidateCompose.IsTrue(NoLatestLink))
        {
            var compose = ComposeInfoJson.Read(Path.Combine(layout.WorkDir, "global", "composeinfo-base.json")).Compose;
            int components = int.TryParse(LatestLinkComponents, out var n) ? n : -1;
            LatestLink.Update(layout.Topdir, LatestLink.Name(compose, components));
        }
        foreach (var f in FailedDeliverables.ReadAll(layout))
            Log.LogWarning(null, Diagnostics.ErrorCodes.KojiFailableDeliverableFailed, null, null, 0, 0, 0, 0,
                $"Failed deliverable {f.Phase} {f.Variant}.{f.Arch}{(f.TaskId is { } id ? $" (Koji task {id})" : "")}: {f.Reason}");
        LogProgress($"Compose {Path.GetFileName(layout.Topdir)} {status}");
    }
}
