using System.Diagnostics;
using System.Runtime;
using System.Text.Json;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Tasks;

/// <summary>
/// Base of every phase task: seals <see cref="Execute"/>, turns a <see cref="PungiException"/> into one coded MSBuild
/// error at its file and line, and keeps stack traces away from the user (they go to the binlog at low importance).
/// Long phases observe <see cref="CancellationToken"/>, which Ctrl+C trips through <see cref="ICancelableTask"/>.
/// </summary>
public abstract class PungiTask : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly Stopwatch _watch = new();
    private readonly List<string> _progress = [];
    private int _warnings;
    // Coded warnings and errors for the record: the report lists them (DESIGN.md §8).
    private readonly List<object> _diagnostics = [];

    protected CancellationToken CancellationToken => _cancel.Token;

    /// <summary>Phase name for the start/finish lines (DESIGN.md §5).</summary>
    protected virtual string PhaseName => GetType().Name;

    public void Cancel() => _cancel.Cancel();

    /// <summary>
    /// Where this run's record goes (DESIGN.md §8: a task cannot see other targets, so each phase task leaves its own
    /// record in <c>logs/global/phases/</c> for the run summary and the report); null for tasks outside a compose.
    /// </summary>
    protected virtual (string TopDir, string? Variant, string? Arch)? RecordFor => null;

    public sealed override bool Execute()
    {
        var started = DateTimeOffset.UtcNow;
        var watch = _watch;
        watch.Start();
        // Blocking gen2 collections while a phase runs: background GC lets the heap grow by the garbage made while it
        // marks, which at 60,000 packages put ~300 MB of slack on top of the package set (issue 11: peak < 1 GiB).
        var latency = GCSettings.LatencyMode;
        try
        {
            GCSettings.LatencyMode = GCLatencyMode.Batch;
            ExecutePhase();
        }
        catch (PungiException e)
        {
            LogPungiError(e);
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
            LogError(ErrorCodes.Cancelled, $"{PhaseName} was cancelled.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogError(ErrorCodes.IoFailure, $"{PhaseName}: {e.Message}");
            Log.LogMessage(MessageImportance.Low, e.ToString());
        }
        catch (Exception e)
        {
            // A bug of ours: say so plainly, keep the trace for the binlog.
            LogError(ErrorCodes.InternalError,
                $"{PhaseName} failed unexpectedly ({e.GetType().Name}: {e.Message}). This is a bug in Pungi.Build; the binary log (-bl) has the details.");
            Log.LogMessage(MessageImportance.Low, e.ToString());
        }
        finally
        {
            GCSettings.LatencyMode = latency;
            CompactAfterLargePhase();
        }
        Log.LogMessage(MessageImportance.Low, $"{PhaseName} took {watch.Elapsed.TotalSeconds:0.000}s");
        WriteRecord(started, watch.Elapsed);
        return !Log.HasLoggedErrors;
    }

    /// <summary>
    /// A phase that left a large heap (a whole package set decoded) hands the next phase a compacted one, so that two
    /// phases' garbage never add up in the one MSBuild process; below 512 MiB (a 20,000-package compose) the collection is not worth its pause.
    /// </summary>
    private static void CompactAfterLargePhase()
    {
        if (GC.GetTotalMemory(forceFullCollection: false) < 512L << 20) return;
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    private void WriteRecord(DateTimeOffset started, TimeSpan elapsed)
    {
        if (RecordFor is not { } r || string.IsNullOrEmpty(r.TopDir) || !Directory.Exists(r.TopDir)) return;
        try
        {
            var name = PhaseName + (r.Variant is null ? "" : $"-{r.Variant}.{r.Arch}");
            var path = Path.Combine(r.TopDir, "logs", "global", "phases", name + ".json");
            var json = JsonSerializer.Serialize(new
            {
                phase = PhaseName,
                variant = r.Variant,
                arch = r.Arch,
                start = started.ToString("O"),
                end = (started + elapsed).ToString("O"),
                seconds = Math.Round(elapsed.TotalSeconds, 3),
                succeeded = !Log.HasLoggedErrors,
                warnings = _warnings,
                messages = _progress,
                diagnostics = _diagnostics,
            }, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            Compose.AtomicFile.Write(path, json + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The record is a convenience for reports; never fail a phase over it.
            Log.LogMessage(MessageImportance.Low, $"Could not write the phase record: {e.Message}");
        }
    }

    /// <summary>The phase's work. Throw <see cref="PungiException"/> for anything the user must fix.</summary>
    protected abstract void ExecutePhase();

    protected void LogPungiError(PungiException e)
        => LogError(e.Code, e.Message, e.File, e.Line, e.Column);

    private void LogError(string code, string message, string? file = null, int line = 0, int column = 0)
    {
        _diagnostics.Add(new { severity = "error", code, message, file });
        Log.LogError(null, code, null, file, line, column, 0, 0, message);
    }

    protected void LogWarning(string code, string message, string? file = null, int line = 0, int column = 0)
    {
        _warnings++;
        _diagnostics.Add(new { severity = "warning", code, message, file });
        Log.LogWarning(null, code, null, file, line, column, 0, 0, message);
    }

    /// <summary>One high-importance line with the time spent so far, as DESIGN.md §5 asks of long phases.</summary>
    protected void LogProgress(string message)
    {
        _progress.Add(message);
        Log.LogMessage(MessageImportance.High, $"{message} ({_watch.Elapsed.TotalSeconds:0.00}s)");
    }
}
