using System.Globalization;
using Microsoft.Build.Framework;
using Pungi.Build.Compose;

namespace Pungi.Build.Tasks;

/// <summary>
/// Logs the run summary table at the end of a build (issue 12, DESIGN.md §8) from the phase records the phase tasks
/// left in <c>logs/global/phases/</c>; <see cref="RunStarted"/> (taken when Validate ran) tells this run's records from
/// older ones, which mark the phases MSBuild skipped as up to date.
/// </summary>
public sealed class RunSummary : PungiTask
{
    [Required] public string ComposeTopDir { get; set; } = "";
    /// <summary>When this build's Validate ran (ISO 8601, UTC).</summary>
    [Required] public string RunStarted { get; set; } = "";

    protected override string PhaseName => "RunSummary";

    protected override void ExecutePhase()
    {
        var records = PhaseRecords.Read(ComposeTopDir);
        if (records.Count == 0) return;
        var started = DateTimeOffset.Parse(RunStarted, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        Log.LogMessage(MessageImportance.High, $"Run summary of {Path.GetFileName(ComposeTopDir.TrimEnd('/'))}:\n" + PhaseRecords.Table(records, started));
    }
}
