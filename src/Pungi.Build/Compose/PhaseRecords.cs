using System.Globalization;
using System.Text;
using Pungi.Build.Report;

namespace Pungi.Build.Compose;

/// <summary>
/// The run summary at the end of a build (DESIGN.md §8): every phase record of the compose, marked as run in this
/// build when it started at or after the build began, and as skipped (up to date) when the record is from an earlier
/// run — a target MSBuild skipped runs no task and so leaves its old record in place.
/// </summary>
public static class PhaseRecords
{
    /// <summary>
    /// Every readable record (one reader for the summary and the report: <see cref="PhaseTimes.Read"/>), phases in the
    /// order they first started, and within a phase its variant.arch instances by name.
    /// </summary>
    public static List<PhaseRecord> Read(string composeTopDir)
    {
        var records = PhaseTimes.Read(composeTopDir);
        var firstStart = records.GroupBy(r => r.Phase).ToDictionary(g => g.Key, g => g.Min(r => r.Start));
        return records.OrderBy(r => firstStart[r.Phase]).ThenBy(r => r.Phase, StringComparer.Ordinal)
            .ThenBy(r => r.Where, StringComparer.Ordinal).ToList();
    }

    /// <summary>The table: phase, variant.arch, ran / skipped / failed, time (for skipped rows: when it last ran).</summary>
    public static string Table(IReadOnlyList<PhaseRecord> records, DateTimeOffset runStarted)
    {
        int phaseWidth = Math.Max(5, records.Select(r => r.Phase.Length).DefaultIfEmpty(0).Max());
        int whereWidth = Math.Max(12, records.Select(r => r.Where.Length).DefaultIfEmpty(0).Max());
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{"phase".PadRight(phaseWidth)}  {"variant.arch".PadRight(whereWidth)}  {"result",-8} time\n");
        int ran = 0, skipped = 0;
        double total = 0;
        foreach (var r in records)
        {
            bool thisRun = r.Start >= runStarted;
            string result = !thisRun ? "skipped" : r.Succeeded ? "ran" : "failed";
            string time = thisRun
                ? string.Create(CultureInfo.InvariantCulture, $"{r.Seconds:0.00}s") + (r.Warnings > 0 ? $", {r.Warnings} warning(s)" : "")
                : "up to date (last ran " + r.Start.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC)";
            if (thisRun) { ran++; total += r.Seconds; } else skipped++;
            sb.Append(CultureInfo.InvariantCulture, $"{r.Phase.PadRight(phaseWidth)}  {r.Where.PadRight(whereWidth)}  {result,-8} {time}\n");
        }
        sb.Append(CultureInfo.InvariantCulture, $"{ran} ran ({total:0.00}s of task time), {skipped} skipped as up to date");
        return sb.ToString();
    }
}
