using System.Globalization;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Koji;

/// <summary>
/// Upstream's record of what was asked of Koji: every created task id is an empty file
/// <c>logs/global/koji-tasks/&lt;id&gt;</c>, so an aborted compose can cancel them (pungi_koji.py try_kill_koji_tasks).
/// </summary>
public sealed class KojiTaskLog(string directory)
{
    public string Directory { get; } = directory;

    public void Record(int taskId)
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            using (File.Create(Path.Combine(Directory, taskId.ToString(CultureInfo.InvariantCulture)))) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PungiException(ErrorCodes.IoFailure, $"cannot record Koji task {taskId}: {e.Message}", Directory, inner: e);
        }
    }

    public IReadOnlyList<int> ReadAll()
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        return System.IO.Directory.EnumerateFiles(Directory)
            .Select(Path.GetFileName)
            .Select(n => int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : -1)
            .Where(id => id > 0)
            .Order()
            .ToList();
    }

    /// <summary>Cancels every recorded task at the hub (the abort path); faults for already-finished tasks are ignored.</summary>
    public async Task CancelAllAsync(KojiClient client, CancellationToken ct = default)
    {
        var ids = ReadAll();
        if (ids.Count == 0) return;
        if (!client.LoggedIn) await client.LoginAsync(ct).ConfigureAwait(false);
        await client.MultiCallAsync(ids.Select(id => KojiCall.Of("cancelTask", id)).ToList(), strict: false, ct).ConfigureAwait(false);
    }
}
