using System.Globalization;
using Microsoft.Build.Framework;
using Pungi.Build.Diagnostics;
using Pungi.Build.Koji;
using Pungi.Build.Runroot;

namespace Pungi.Build.Tasks;

/// <summary>
/// A variant.arch phase that runs its command through a runroot (Buildinstall, OSTreeInstaller): the runroot settings
/// (spec Appendix A.3) once, which runroot a phase gets (<c>runroot_method</c> per phase, <c>global_runroot_method</c>,
/// koji when <c>runroot_tag</c> is set) and its Koji weight.
/// </summary>
public abstract class RunrootTask : VariantArchTask
{
    public string? RunrootMethod { get; set; }
    /// <summary><c>runroot_method</c> as a dict: Include the method, <c>Phase</c> metadata the phase.</summary>
    public ITaskItem[] RunrootMethods { get; set; } = [];
    public string? GlobalRunrootMethod { get; set; }
    public string? RunrootTag { get; set; }
    public string? RunrootChannel { get; set; }
    /// <summary><c>runroot_weights</c>: Include the weight, <c>Phase</c> metadata the phase.</summary>
    public ITaskItem[] RunrootWeights { get; set; } = [];
    public string? KojiProfile { get; set; }
    /// <summary>Stands for <c>/etc</c> when looking for <c>koji.conf.d</c> (private setups, tests).</summary>
    public string? KojiConfigDir { get; set; }
    /// <summary>Seconds between polls of the runroot task (default: the profile's <c>poll_interval</c>, as <c>koji watch-task</c>).</summary>
    public string? KojiPollInterval { get; set; }

    /// <summary>local or koji for <paramref name="phase"/> (spec §8.4).</summary>
    protected string ResolveMethod(string phase)
    {
        var perPhase = RunrootMethods.ToDictionary(i => i.GetMetadata("Phase"), i => i.ItemSpec, StringComparer.Ordinal);
        return Runroot.RunrootMethod.Resolve(phase, RunrootMethod, perPhase, GlobalRunrootMethod, RunrootTag);
    }

    /// <summary>The runroot of <paramref name="phase"/>; a Koji one comes logged in, its client returned for disposal.</summary>
    protected IRunroot CreateRunroot(string phase, out KojiClient? client)
    {
        client = null;
        if (ResolveMethod(phase) == Runroot.RunrootMethod.Local)
            return new LocalRunroot();
        if (string.IsNullOrWhiteSpace(RunrootTag) || string.IsNullOrWhiteSpace(KojiProfile))
            throw new PungiException(ErrorCodes.RunrootKojiNoTag, $"RunrootMethod koji for {phase} needs RunrootTag and KojiProfile.", ProjectFile);
        var profile = Koji.KojiProfile.Load(KojiProfile.Trim(), string.IsNullOrWhiteSpace(KojiConfigDir) ? null : KojiConfigDir.Trim());
        client = KojiClient.FromProfile(profile);
        client.TaskLog = new KojiTaskLog(Layout.KojiTasksDir);
        client.LoginAsync(CancellationToken).GetAwaiter().GetResult();
        var poll = double.TryParse(KojiPollInterval, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : profile.PollInterval;
        return new KojiRunroot(client, RunrootTag.Trim())
        {
            Channel = string.IsNullOrWhiteSpace(RunrootChannel) ? null : RunrootChannel.Trim(),
            PollInterval = TimeSpan.FromSeconds(poll),
        };
    }

    /// <summary><c>runroot_weights[phase]</c>, or null.</summary>
    protected double? Weight(string phase)
    {
        var item = RunrootWeights.LastOrDefault(i => i.GetMetadata("Phase") == phase);
        if (item is null) return null;
        return double.TryParse(item.ItemSpec, NumberStyles.Float, CultureInfo.InvariantCulture, out var w) ? w
            : throw new PungiException(ErrorCodes.BuildinstallBadOption, $"RunrootWeight '{item.ItemSpec}' for {phase} is not a number.", ProjectFile);
    }
}
