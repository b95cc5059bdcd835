using System.Globalization;
using System.Text;
using Pungi.Build.Diagnostics;
using Pungi.Build.Koji;

namespace Pungi.Build.Runroot;

/// <summary>
/// <c>runroot_method = koji</c>: what upstream gets from <c>koji runroot --nowait --task-id --new-chroot --use-shell
/// [--channel-override=C] [--weight=W] [--package=P …] [--mount=M …] TAG ARCH 'COMMAND'</c> followed by
/// <c>koji watch-task</c> (spec §8.3), spoken to the hub directly: the runroot hub plugin's
/// <c>runroot(tagInfo, arch, command, channel=, packages=, mounts=, repo_id=, skip_setarch=, weight=, new_chroot=)</c>
/// creates the task (recorded in <c>logs/global/koji-tasks/</c> by the client's task log), <see cref="KojiTaskWatcher"/>
/// waits, and the task's <c>runroot.log</c> (<c>downloadTaskOutput</c>) is appended to the local log so a failure can
/// quote its last lines. The command is wrapped as upstream wraps it (rpm/yum cache cleanup, <c>set -x</c>, and the
/// chmod/chown of the output paths back to this user keeping the command's exit code).
/// </summary>
public sealed class KojiRunroot(KojiClient client, string tag) : IRunroot
{
    private int? _lastTask;

    /// <summary><c>runroot_channel</c>: the channel override, or null for the hub's default (<c>runroot</c>).</summary>
    public string? Channel { get; init; }
    /// <summary>The uid the chown gives the output back to (upstream <c>os.getuid()</c>).</summary>
    public int Uid { get; init; } = CurrentUid();
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(6);
    public int TailLines { get; init; } = 20;

    /// <summary>Upstream <c>KojiWrapper.get_runroot_cmd</c>'s wrapping of the command.</summary>
    public string WrapCommand(RunrootRequest request)
    {
        var command = "rm -f /var/lib/rpm/__db*; rm -rf /var/cache/yum/*; set -x; " + request.Command;
        if (request.ChownPaths.Count > 0)
        {
            var paths = ShellQuote.Join(request.ChownPaths);
            command += " ; EXIT_CODE=$?";
            command += " ; chmod -R a+r " + paths;
            command += " ; chown -R " + Uid.ToString(CultureInfo.InvariantCulture) + " " + paths;
            command += " ; exit $EXIT_CODE";
        }
        return command;
    }

    public async Task RunAsync(RunrootRequest request, CancellationToken ct = default)
    {
        var command = WrapCommand(request);
        var kwargs = KojiClient.Kw(
            ("channel", Channel),
            ("packages", request.Packages.Cast<object?>().ToList()),
            ("mounts", request.Mounts.Cast<object?>().ToList()),
            ("repo_id", null),
            ("skip_setarch", false),
            ("weight", request.Weight),
            ("new_chroot", true));
        var v = await client.CallAsync("runroot", [tag, request.Arch, command], kwargs, ct).ConfigureAwait(false);
        int taskId = v switch
        {
            int i => i,
            long l => checked((int)l),
            _ => throw new PungiException(ErrorCodes.KojiBadResponse, $"runroot returned {(v is null ? "nil" : v.GetType().Name)} instead of a task id"),
        };
        client.TaskLog?.Record(taskId);
        _lastTask = taskId;

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(request.LogFile))!);
        var header = new StringBuilder()
            .Append("COMMAND: koji runroot ").Append(tag).Append(' ').Append(request.Arch).Append(' ').Append(ShellQuote.Quote(command)).Append('\n')
            .Append("-----------------\n")
            .Append(taskId.ToString(CultureInfo.InvariantCulture)).Append('\n');
        await File.WriteAllTextAsync(request.LogFile, header.ToString(), ct).ConfigureAwait(false);

        var outcomes = await new KojiTaskWatcher(client, PollInterval).WaitForTasksAsync([taskId], ct).ConfigureAwait(false);
        var outcome = outcomes[taskId];
        var runrootLog = await DownloadLogAsync(taskId, ct).ConfigureAwait(false);
        await using (var log = new FileStream(request.LogFile, FileMode.Append, FileAccess.Write))
        {
            if (runrootLog is not null) await log.WriteAsync(runrootLog, ct).ConfigureAwait(false);
            var tail = Encoding.UTF8.GetBytes($"\nTask {taskId} {outcome.State.ToString().ToUpperInvariant()}{(outcome.FailureReason is null ? "" : ": " + outcome.FailureReason)}\n");
            await log.WriteAsync(tail, ct).ConfigureAwait(false);
        }
        if (!outcome.Succeeded)
            throw new PungiException(ErrorCodes.RunrootKojiTaskFailed,
                $"Koji runroot task {taskId} ({tag}, {request.Arch}) ended {outcome.State.ToString().ToUpperInvariant()}; last lines of {request.LogFile}:\n{LogTail.Read(request.LogFile, TailLines)}");
    }

    /// <summary>The task's <c>runroot.log</c>; the hub returns it base64-encoded. Null when the task left none.</summary>
    private async Task<byte[]?> DownloadLogAsync(int taskId, CancellationToken ct)
    {
        try
        {
            var v = await client.CallAsync("downloadTaskOutput", [taskId, "runroot.log"], null, ct).ConfigureAwait(false);
            return v switch
            {
                byte[] b => b,
                string s => Convert.FromBase64String(s),
                _ => null,
            };
        }
        catch (KojiFaultException)
        {
            return null;
        }
    }

    /// <summary>
    /// Upstream <c>get_buildroot_rpms</c> for a task: the last buildroot of the task (or its children), then
    /// <c>listRPMs(componentBuildrootID=)</c> as <c>name-version-release.arch</c>.
    /// </summary>
    public async Task<IReadOnlyList<string>> BuildrootRpmsAsync(CancellationToken ct = default)
    {
        if (_lastTask is not { } task) return [];
        var roots = await client.CallAsync("listBuildroots", [], KojiClient.Kw(("taskID", task)), ct).ConfigureAwait(false) as List<object?> ?? [];
        if (roots.Count == 0)
        {
            foreach (var child in await client.GetTaskChildrenAsync(task, false, ct).ConfigureAwait(false))
            {
                roots = await client.CallAsync("listBuildroots", [], KojiClient.Kw(("taskID", child.Id)), ct).ConfigureAwait(false) as List<object?> ?? [];
                if (roots.Count > 0) break;
            }
        }
        if (roots.Count == 0) return [];
        var last = KojiValue.AsStruct(roots[^1], "buildroot");
        var rpms = await client.ListRpmsAsync(componentBuildrootId: KojiValue.Long(last, "id"), ct: ct).ConfigureAwait(false);
        return rpms.Select(r => $"{r.Name}-{r.Version}-{r.Release}.{r.Arch}").Order(StringComparer.Ordinal).ToList();
    }

    private static int CurrentUid()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                    return int.Parse(line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException) { }
        return 0;
    }
}
