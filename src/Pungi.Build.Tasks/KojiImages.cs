using System.Globalization;
using Microsoft.Build.Framework;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Koji;
using Pungi.Build.Koji.Images;
using Pungi.Build.Metadata;

namespace Pungi.Build.Tasks;

/// <summary>
/// The Koji image phases (spec §2.10–2.16) as ONE task: every LiveImage, LiveMedia, ImageBuild, KiwiBuild, OSBuild,
/// OSBS and ImageContainer item becomes a hub task, all of them are waited on together by one asynchronous polling
/// loop (no build node blocked per task), results are linked into <c>compose/&lt;V&gt;/&lt;arch&gt;/images|iso/</c> and
/// recorded for images.json / osbs.json. Ctrl+C (<see cref="ICancelableTask"/>) cancels every submitted task at the hub.
/// </summary>
public sealed class KojiImages : ComposePhaseTask
{
    public ITaskItem[] LiveImages { get; set; } = [];
    public ITaskItem[] LiveMedia { get; set; } = [];
    public ITaskItem[] ImageBuilds { get; set; } = [];
    public ITaskItem[] KiwiBuilds { get; set; } = [];
    public ITaskItem[] OSBuilds { get; set; } = [];
    public ITaskItem[] OSBS { get; set; } = [];
    public ITaskItem[] ImageContainers { get; set; } = [];
    /// <summary><c>koji_profile</c>: the koji.conf.d profile (hub, topdir, topurl, auth).</summary>
    public string? KojiProfile { get; set; }
    /// <summary>Stands for <c>/etc</c> when looking for <c>koji.conf.d</c> (tests, private setups).</summary>
    public string? KojiConfigDir { get; set; }
    /// <summary><c>koji_cache</c>: download from topurl into this directory instead of using a mounted topdir.</summary>
    public string? KojiCache { get; set; }
    /// <summary>Seconds between polls (default: the profile's <c>poll_interval</c>, koji's 6).</summary>
    public string? KojiPollInterval { get; set; }
    /// <summary><c>translate_paths</c>: <c>local=url</c> pairs, <c>;</c>-separated.</summary>
    public string? TranslatePaths { get; set; }
    /// <summary>The <c>&lt;phase&gt;_&lt;opt&gt;</c> and <c>global_&lt;opt&gt;</c> lookups (<c>image_build_target=f41;global_ksurl=…</c>).</summary>
    public string? Options { get; set; }

    protected override string PhaseName => "KojiImages";

    protected override void ExecutePhase()
    {
        var phases = new List<KojiImagesPhase.PhaseBlocks>
        {
            Blocks(KojiImagePhase.LiveImages, LiveImages, "LiveImage"),
            Blocks(KojiImagePhase.LiveMedia, LiveMedia, "LiveMedia"),
            Blocks(KojiImagePhase.ImageBuild, ImageBuilds, "ImageBuild"),
            Blocks(KojiImagePhase.KiwiBuild, KiwiBuilds, "KiwiBuild"),
            Blocks(KojiImagePhase.OSBuild, OSBuilds, "OSBuild"),
            Blocks(KojiImagePhase.OSBS, OSBS, "OSBS"),
            Blocks(KojiImagePhase.ImageContainer, ImageContainers, "ImageContainer"),
        }.Where(p => p.Blocks.Count > 0).ToList();
        if (phases.Count == 0) return;
        if (string.IsNullOrEmpty(KojiProfile))
            throw new PungiException(ErrorCodes.KojiImagesNoProfile, "Koji image items (LiveMedia, ImageBuild, OSBuild, …) need the KojiProfile property (koji_profile).", ProjectFile);

        var layout = Layout;
        var profile = Koji.KojiProfile.Load(KojiProfile!, string.IsNullOrEmpty(KojiConfigDir) ? null : KojiConfigDir);
        using var client = KojiClient.FromProfile(profile);
        client.TaskLog = new KojiTaskLog(Path.Combine(layout.LogsDir, "global", "koji-tasks"));
        using var http = new HttpClient();
        var downloader = string.IsNullOrEmpty(KojiCache) || profile.TopUrl is null ? null : new KojiDownloader(http, profile.TopUrl, KojiCache!);
        var poll = double.TryParse(KojiPollInterval, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : profile.PollInterval;
        var runner = new KojiImageRunner(client, layout)
        {
            PathInfo = new KojiPathInfo(profile.TopDir),
            Downloader = downloader,
            PollInterval = TimeSpan.FromSeconds(poll),
            Log = m => Log.LogMessage(MessageImportance.Normal, m),
        };
        var ctx = new KojiImageContext
        {
            Compose = ComposeInfoJson.Read(layout.ComposeInfoBase).Compose,
            Variants = LoadModel(),
            Layout = layout,
            Options = Pairs(Options).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            TranslatePaths = Pairs(TranslatePaths).Select(p => (p.Key, p.Value)).ToList(),
        };
        var outcome = KojiImagesPhase.RunAsync(runner, ctx, phases, CancellationToken).GetAwaiter().GetResult();
        foreach (var f in outcome.Failed)
            LogWarning(ErrorCodes.KojiFailableDeliverableFailed,
                $"{f.Request.Describe}: failable deliverable failed on {f.Arch}{(f.TaskId is { } id ? $" (Koji task {id})" : "")}: {f.Reason}");
        LogProgress($"KojiImages: {outcome.TaskIds.Count} Koji tasks, {outcome.Images.Count} images, {outcome.Containers.Count} container images, {outcome.Failed.Count} failed failable deliverables");
    }

    private static KojiImagesPhase.PhaseBlocks Blocks(KojiImagePhase phase, ITaskItem[] items, string itemType)
        => new(phase, items.Select(i =>
        {
            var (f, l, _) = ItemLocation.Find(i, itemType);
            var md = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var name in i.MetadataNames.Cast<string>())
                md[name] = i.GetMetadata(name);
            return new KojiImageBlock(i.ItemSpec, md, f, l);
        }).ToList());

    private static IEnumerable<KeyValuePair<string, string>> Pairs(string? text)
        => (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2 && p[1].Length > 0)
            .Select(p => new KeyValuePair<string, string>(p[0], p[1]));
}
