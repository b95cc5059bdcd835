using System.Reflection;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using NuGet.Versioning;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Variants;

namespace Pungi.Build.Tasks;

/// <summary>
/// Validate: checks the release, compose and variant inputs before anything touches the compose directory, computes
/// the compose ID and directory, and returns one job per variant × arch (plus <c>src</c>) for the fan-out.
/// </summary>
public sealed class ValidateCompose : ComposeInputTask
{
    [Required] public string SdkVersion { get; set; } = "";

    [Output] public string ComposeId { get; private set; } = "";
    [Output] public string ComposeTopDir { get; private set; } = "";
    [Output] public ITaskItem[] Jobs { get; private set; } = [];
    /// <summary>The date and respin actually used (today's date when empty; the next free respin with NewRespin).</summary>
    [Output] public string ResolvedComposeDate { get; private set; } = "";
    [Output] public string ResolvedComposeRespin { get; private set; } = "";

    protected override string PhaseName => "Validate";

    protected override void ExecutePhase()
    {
        CheckTaskVersion();
        var compose = LoadCompose();
        var model = LoadVariants();
        VariantOrder.Validate(model, VariantInputs.LookasidePairs(VariantAsLookaside));

        if (!string.IsNullOrEmpty(ComposeDir))
        {
            ComposeTopDir = EnsureSlash(Path.GetFullPath(ComposeDir));
        }
        else
        {
            var target = Path.GetFullPath(string.IsNullOrEmpty(ComposeTargetDir) ? "bin" : ComposeTargetDir);
            if (IsTrue(NewRespin))
                compose = ComposeInputs.NextFreeRespin(target, compose);
            ComposeTopDir = EnsureSlash(Path.Combine(target, compose.Id));
        }
        ComposeId = compose.Id;
        ResolvedComposeDate = compose.Date;
        ResolvedComposeRespin = compose.Respin.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var jobs = new List<ITaskItem>();
        foreach (var v in model.All)
        {
            foreach (var arch in v.Arches.Append("src"))
            {
                var job = new TaskItem($"{v.Uid}.{arch}");
                job.SetMetadata("Variant", v.Uid);
                job.SetMetadata("Arch", arch);
                job.SetMetadata("VariantType", v.Type.ToName());
                // Phases that read the parent's tree (Repoclosure's lookaside) watch only that variant's files.
                job.SetMetadata("VariantParent", v.Parent?.Uid ?? "");
                jobs.Add(job);
            }
        }
        Jobs = jobs.ToArray();
        Log.LogMessage(MessageImportance.Normal, $"Compose {ComposeId}: {model.All.Count} variants, {jobs.Count} variant.arch jobs, in {ComposeTopDir}");
    }

    /// <summary>A reused MSBuild node can silently keep an older task DLL: refuse to run against other targets.</summary>
    private void CheckTaskVersion()
    {
        var info = typeof(ValidateCompose).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var mine = NuGetVersion.Parse(info.Split('+')[0]);
        if (!NuGetVersion.TryParse(SdkVersion, out var sdk) || !VersionComparer.Version.Equals(mine, sdk))
            throw new PungiException(ErrorCodes.StaleTasks,
                $"The Pungi.Build targets are version {SdkVersion} but the task DLL is {mine}: a reused MSBuild node may hold an old DLL. Run 'dotnet build-server shutdown' or build with -nr:false.");
    }

    private static string EnsureSlash(string dir) => dir.EndsWith('/') ? dir : dir + "/";

    internal static bool IsTrue(string? value) => string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
}
