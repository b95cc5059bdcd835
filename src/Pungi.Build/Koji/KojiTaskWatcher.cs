using Pungi.Build.Diagnostics;

namespace Pungi.Build.Koji;

/// <summary>How a watched task ended: its final info, its children (with their requests), and for a failed task the
/// hub's reason (the fault <c>getTaskResult</c> raises).</summary>
public sealed record KojiTaskOutcome(int TaskId, KojiTaskState State, KojiTaskInfo Info, IReadOnlyList<KojiTaskInfo> Children, string? FailureReason)
{
    public bool Succeeded => State == KojiTaskState.Closed;
}

/// <summary>
/// Waits for many Koji tasks at once with one polling loop (not a thread per task): each round is one
/// <c>getTaskInfo([ids])</c> request for every unfinished task; tasks that finished that round get one multicall of
/// <c>getTaskChildren(id, request=True)</c> plus, for failed ones, <c>getTaskResult(id)</c> for the reason — the
/// information the koji CLI's watch-task loop gathers. On cancellation it cancels the unfinished tasks at the hub
/// (<c>cancelTask</c>) when <see cref="CancelTasksOnCancel"/> is set, then throws OperationCanceledException.
/// </summary>
public sealed class KojiTaskWatcher(KojiClient client, TimeSpan? pollInterval = null)
{
    public TimeSpan PollInterval { get; init; } = pollInterval ?? TimeSpan.FromSeconds(6);
    public bool CancelTasksOnCancel { get; init; } = true;
    /// <summary>Called on the polling loop whenever a task's state changes (for progress logging).</summary>
    public Action<KojiTaskInfo>? StateChanged { get; init; }

    public async Task<IReadOnlyDictionary<int, KojiTaskOutcome>> WaitForTasksAsync(IEnumerable<int> taskIds, CancellationToken ct = default)
    {
        var pending = taskIds.Distinct().ToList();
        var outcomes = new Dictionary<int, KojiTaskOutcome>();
        var lastState = new Dictionary<int, KojiTaskState>();
        try
        {
            while (pending.Count > 0)
            {
                ct.ThrowIfCancellationRequested();
                var infos = await LostHubNamesTasks(pending, () => client.GetTaskInfosAsync(pending, request: false, ct)).ConfigureAwait(false);
                var finished = new List<KojiTaskInfo>();
                for (var i = 0; i < pending.Count; i++)
                {
                    var info = infos.Count > i ? infos[i] : null;
                    if (info is null)
                        throw new PungiException(ErrorCodes.KojiTaskMissing, $"Koji task {pending[i]} does not exist on {client.HubUrl}");
                    if (!lastState.TryGetValue(info.Id, out var old) || old != info.State)
                    {
                        lastState[info.Id] = info.State;
                        StateChanged?.Invoke(info);
                    }
                    if (info.IsFinished) finished.Add(info);
                }
                if (finished.Count > 0)
                {
                    await LostHubNamesTasks(pending, async () => { await CollectAsync(finished, outcomes, ct).ConfigureAwait(false); return 0; }).ConfigureAwait(false);
                    var done = finished.Select(f => f.Id).ToHashSet();
                    pending.RemoveAll(done.Contains);
                }
                if (pending.Count > 0)
                    await Task.Delay(PollInterval, ct).ConfigureAwait(false);
            }
            return outcomes;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested && CancelTasksOnCancel && pending.Count > 0 && client.LoggedIn)
        {
            // Ctrl+C: the build stops, so should the work it asked for. Use a fresh token: ours is already cancelled.
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await client.MultiCallAsync(pending.Select(id => KojiCall.Of("cancelTask", id)).ToList(), strict: false, cts.Token).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The client already retried (koji's max_retries / retry_interval, offline_retry); a hub that is still gone ends
    /// the wait with one error that says which tasks were being waited on, so the release engineer can follow them up
    /// on the hub (the tasks themselves keep running there).
    /// </summary>
    private async Task<T> LostHubNamesTasks<T>(List<int> pending, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (PungiException e) when (e.Code is ErrorCodes.KojiHubUnreachable or ErrorCodes.KojiHttpError || e is KojiServerOffline)
        {
            throw new PungiException(ErrorCodes.KojiWaitLostHub,
                $"lost Koji hub {client.HubUrl} while waiting for task(s) {string.Join(", ", pending)}: {e.Message}", inner: e);
        }
    }

    private async Task CollectAsync(List<KojiTaskInfo> finished, Dictionary<int, KojiTaskOutcome> outcomes, CancellationToken ct)
    {
        var calls = new List<KojiCall>();
        foreach (var t in finished)
        {
            calls.Add(new KojiCall("getTaskChildren", [t.Id], KojiClient.Kw(("request", true))));
            if (t.State == KojiTaskState.Failed)
                calls.Add(KojiCall.Of("getTaskResult", t.Id));
        }
        var results = await client.MultiCallAsync(calls, strict: false, ct).ConfigureAwait(false);
        var k = 0;
        foreach (var t in finished)
        {
            var childrenResult = results[k++];
            var children = childrenResult.Value is List<object?> list
                ? list.Select(c => KojiTaskInfo.From(KojiValue.AsStruct(c, "task child"))).ToList()
                : [];
            string? reason = null;
            if (t.State == KojiTaskState.Failed)
            {
                var r = results[k++];
                reason = r.Fault?.FaultString ?? "task failed without a fault";
            }
            else if (t.State == KojiTaskState.Canceled)
            {
                reason = $"Task {t.Id} is canceled";
            }
            outcomes[t.Id] = new KojiTaskOutcome(t.Id, t.State, t, children, reason);
        }
    }
}
