using System.Diagnostics;
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

    protected CancellationToken CancellationToken => _cancel.Token;

    /// <summary>Phase name for the start/finish lines (DESIGN.md §5).</summary>
    protected virtual string PhaseName => GetType().Name;

    public void Cancel() => _cancel.Cancel();

    public sealed override bool Execute()
    {
        var watch = Stopwatch.StartNew();
        try
        {
            ExecutePhase();
        }
        catch (PungiException e)
        {
            LogPungiError(e);
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
            Log.LogError(null, ErrorCodes.Cancelled, null, null, 0, 0, 0, 0, $"{PhaseName} was cancelled.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.LogError(null, ErrorCodes.IoFailure, null, null, 0, 0, 0, 0, $"{PhaseName}: {e.Message}");
            Log.LogMessage(MessageImportance.Low, e.ToString());
        }
        catch (Exception e)
        {
            // A bug of ours: say so plainly, keep the trace for the binlog.
            Log.LogError(null, ErrorCodes.InternalError, null, null, 0, 0, 0, 0,
                $"{PhaseName} failed unexpectedly ({e.GetType().Name}: {e.Message}). This is a bug in Pungi.Build; the binary log (-bl) has the details.");
            Log.LogMessage(MessageImportance.Low, e.ToString());
        }
        Log.LogMessage(MessageImportance.Low, $"{PhaseName} took {watch.Elapsed.TotalSeconds:0.000}s");
        return !Log.HasLoggedErrors;
    }

    /// <summary>The phase's work. Throw <see cref="PungiException"/> for anything the user must fix.</summary>
    protected abstract void ExecutePhase();

    protected void LogPungiError(PungiException e)
        => Log.LogError(null, e.Code, null, e.File, e.Line, e.Column, 0, 0, e.Message);

    protected void LogWarning(string code, string message, string? file = null, int line = 0, int column = 0)
        => Log.LogWarning(null, code, null, file, line, column, 0, 0, message);

    /// <summary>One high-importance line, as DESIGN.md §5 asks of long phases.</summary>
    protected void LogProgress(string message) => Log.LogMessage(MessageImportance.High, message);
}
