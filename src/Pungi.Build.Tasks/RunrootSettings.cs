using System.Globalization;
using Microsoft.Build.Framework;
using Pungi.Build.Diagnostics;
using Pungi.Build.Koji;
using Pungi.Build.Runroot;

namespace Pungi.Build.Tasks;

/// <summary>
/// The runroot settings the phases that run commands share (Buildinstall, OSTreeInstaller): which runroot a phase gets
/// (<c>runroot_method</c> per phase, <c>global_runroot_method</c>, koji when <c>runroot_tag</c> is set) and its Koji weight.
/// </summary>
internal static class RunrootSettings
{
    public static IRunroot Create(string phase, ITaskItem[] methods, string? method, string? globalMethod, string? tag, string? channel,
        string? kojiProfile, string kojiTasksDir, string? projectFile, CancellationToken cancellationToken, out KojiClient? client)
    {
        client = null;
        var perPhase = methods.ToDictionary(i => i.GetMetadata("Phase"), i => i.ItemSpec, StringComparer.Ordinal);
        if (RunrootMethod.Resolve(phase, method, perPhase, globalMethod, tag) == RunrootMethod.Local) return new LocalRunroot();
        if (string.IsNullOrWhiteSpace(tag) || string.IsNullOrWhiteSpace(kojiProfile))
            throw new PungiException(ErrorCodes.RunrootKojiNoTag, $"RunrootMethod koji for {phase} needs RunrootTag and KojiProfile.", projectFile);
        client = KojiClient.FromProfile(KojiProfile.Load(kojiProfile.Trim()));
        client.TaskLog = new KojiTaskLog(kojiTasksDir);
        client.LoginAsync(cancellationToken).GetAwaiter().GetResult();
        return new KojiRunroot(client, tag.Trim()) { Channel = string.IsNullOrWhiteSpace(channel) ? null : channel.Trim() };
    }

    public static double? Weight(string phase, ITaskItem[] weights, string? projectFile)
    {
        var item = weights.LastOrDefault(i => i.GetMetadata("Phase") == phase);
        if (item is null) return null;
        return double.TryParse(item.ItemSpec, NumberStyles.Float, CultureInfo.InvariantCulture, out var w) ? w
            : throw new PungiException(ErrorCodes.BuildinstallBadOption, $"RunrootWeight '{item.ItemSpec}' for {phase} is not a number.", projectFile);
    }
}
