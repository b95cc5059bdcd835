using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Pungi.Build.Compose;

/// <summary>
/// What one build holds on its compose directory for as long as it runs: the exclusive lock on
/// <c>.compose.lock</c> (a second build refuses, PUNGI7008) and the interrupt watch. Upstream Pungi writes
/// <c>STATUS</c>=TERMINATED when the compose is stopped by SIGINT or SIGTERM (<c>pungi-koji</c>'s signal handler);
/// MSBuild cancels the build on Ctrl+C without running any OnError target, so without this the compose would claim
/// STARTED for ever. The handler only records and writes the status: it never cancels the signal, so MSBuild's own
/// Ctrl+C handling (cancel the running tasks, release nodes) goes on as before.
/// </summary>
public sealed class ComposeRunGuard : IDisposable
{
    private static readonly ConcurrentDictionary<string, ComposeRunGuard> Active = new(StringComparer.Ordinal);

    private readonly FileStream _lock;
    private readonly List<PosixSignalRegistration> _signals = [];
    private int _interrupted;

    private ComposeRunGuard(string topdir, FileStream lockFile)
    {
        Topdir = topdir;
        _lock = lockFile;
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            try
            {
                _signals.Add(PosixSignalRegistration.Create(signal, _ => OnInterrupt()));
            }
            catch (PlatformNotSupportedException)
            {
                // Platforms without POSIX signals keep the lock; the status then stays as the engine leaves it.
            }
        }
    }

    public string Topdir { get; }

    /// <summary>Whether SIGINT or SIGTERM reached this process while the compose ran.</summary>
    public bool Interrupted => Volatile.Read(ref _interrupted) != 0;

    /// <summary>
    /// Takes the compose lock; throws <see cref="IOException"/> when another process holds it. FileShare.None is an
    /// exclusive advisory lock (flock) on Unix, so a killed build's lock dies with its process.
    /// </summary>
    public static ComposeRunGuard Acquire(string topdir)
    {
        var full = Path.GetFullPath(topdir);
        var stream = new FileStream(Path.Combine(full, ".compose.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var guard = new ComposeRunGuard(full, stream);
        Active[full] = guard;
        return guard;
    }

    /// <summary>Whether a build of <paramref name="topdir"/> in this process was interrupted (FinishCompose asks).</summary>
    public static bool WasInterrupted(string topdir)
        => Active.TryGetValue(Path.GetFullPath(topdir), out var g) && g.Interrupted;

    private void OnInterrupt()
    {
        Interlocked.Exchange(ref _interrupted, 1);
        MarkTerminated();
    }

    /// <summary>STATUS=TERMINATED unless the compose already FINISHED (an interrupt during shutdown changes nothing).</summary>
    private void MarkTerminated()
    {
        try
        {
            var current = ComposeStatus.Read(Topdir);
            if (current is null || current == ComposeStatus.Finished || current == ComposeStatus.FinishedIncomplete) return;
            ComposeStatus.Write(Topdir, ComposeStatus.Terminated);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing to report to from a signal handler; the lock is still released at the end of the build.
        }
    }

    /// <summary>The end of the build (MSBuild disposes the registered object): re-assert TERMINATED, release the lock.</summary>
    public void Dispose()
    {
        foreach (var s in _signals) s.Dispose();
        _signals.Clear();
        if (Interrupted) MarkTerminated();
        Active.TryRemove(new KeyValuePair<string, ComposeRunGuard>(Topdir, this));
        _lock.Dispose();
    }
}
