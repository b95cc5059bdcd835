using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pungi.Build.Compose;
using Pungi.Build.Iso;
using Pungi.Build.Variants;

namespace Pungi.Build.Koji.Images;

/// <summary>
/// All Koji image phases of a compose in one go: the blocks of every phase become hub requests, all tasks are waited
/// on together (upstream's weaver runs these phases side by side), then ImageContainer — which embeds an image the
/// others made — runs its own round. Writes what the rest of the compose reads:
/// <c>work/global/koji-images/&lt;phase&gt;-&lt;V&gt;.&lt;arch&gt;.images.json</c> (ImageChecksum puts them in images.json),
/// <c>compose/metadata/osbs.json</c>, and <c>work/global/failed-deliverables/&lt;phase&gt;.json</c>.
/// </summary>
public static class KojiImagesPhase
{
    /// <summary>The blocks of one phase (one item type).</summary>
    public sealed record PhaseBlocks(KojiImagePhase Phase, IReadOnlyList<KojiImageBlock> Blocks);

    /// <summary>Pungi's phase names, used for file names and failed-deliverable records.</summary>
    public static string PungiName(KojiImagePhase p) => p switch
    {
        KojiImagePhase.LiveImages => "live_images",
        KojiImagePhase.LiveMedia => "live_media",
        KojiImagePhase.ImageBuild => "image_build",
        KojiImagePhase.KiwiBuild => "kiwibuild",
        KojiImagePhase.OSBuild => "osbuild",
        KojiImagePhase.OSBS => "osbs",
        KojiImagePhase.ImageContainer => "image_container",
        _ => p.ToString(),
    };

    /// <summary>Pungi's <c>get_variant_data</c>: <c>re.match(variant_regex, variant.uid)</c>.</summary>
    private static bool Matches(KojiImageBlock block, Variant v)
        => Regex.IsMatch(v.Uid, "^(?:" + (block.Get("Variant") ?? ".*") + ")", RegexOptions.CultureInvariant);

    public static IReadOnlyList<KojiImageRequest> BuildRequests(KojiImageContext ctx, PhaseBlocks phase, IReadOnlyList<(string, string, CreateisoImage)>? images = null)
    {
        var list = new List<KojiImageRequest>();
        foreach (var v in ctx.Variants.All)
        {
            foreach (var b in phase.Blocks.Where(b => Matches(b, v)))
            {
                switch (phase.Phase)
                {
                    case KojiImagePhase.LiveImages: list.AddRange(KojiImageRequests.LiveImages(ctx, v, b)); break;
                    case KojiImagePhase.LiveMedia: list.Add(KojiImageRequests.LiveMedia(ctx, v, b)); break;
                    case KojiImagePhase.ImageBuild: list.Add(KojiImageRequests.ImageBuild(ctx, v, b)); break;
                    case KojiImagePhase.KiwiBuild: list.Add(KojiImageRequests.KiwiBuild(ctx, v, b)); break;
                    case KojiImagePhase.OSBuild: list.Add(KojiImageRequests.OSBuild(ctx, v, b)); break;
                    case KojiImagePhase.OSBS: list.Add(KojiImageRequests.OSBS(ctx, v, b)); break;
                    case KojiImagePhase.ImageContainer: list.Add(KojiImageRequests.ImageContainer(ctx, v, b, images ?? [])); break;
                }
            }
        }
        return list;
    }

    public static async Task<KojiImagesOutcome> RunAsync(KojiImageRunner runner, KojiImageContext ctx, IReadOnlyList<PhaseBlocks> phases, CancellationToken ct = default)
    {
        var first = phases.Where(p => p.Phase != KojiImagePhase.ImageContainer).SelectMany(p => BuildRequests(ctx, p)).ToList();
        var outcome = await runner.RunAsync(first, ct).ConfigureAwait(false);
        var container = phases.FirstOrDefault(p => p.Phase == KojiImagePhase.ImageContainer);
        if (container is { Blocks.Count: > 0 })
        {
            var known = outcome.Images.Select(i => (i.Request.Variant, i.Arch, i.Image)).Concat(CreateisoImages(ctx.Layout)).ToList();
            var second = await runner.RunAsync(BuildRequests(ctx, container, known), ct).ConfigureAwait(false);
            outcome = new KojiImagesOutcome([.. outcome.TaskIds, .. second.TaskIds], [.. outcome.Images, .. second.Images],
                [.. outcome.Containers, .. second.Containers], [.. outcome.Failed, .. second.Failed]);
        }
        WriteOutputs(ctx, phases.Select(p => p.Phase).Distinct().ToList(), outcome);
        return outcome;
    }

    private static IEnumerable<(string, string, CreateisoImage)> CreateisoImages(ComposeLayout layout)
    {
        if (!Directory.Exists(layout.WorkDir)) yield break;
        foreach (var f in Directory.EnumerateFiles(layout.WorkDir, "*.json", SearchOption.AllDirectories).Where(f => Path.GetFileName(Path.GetDirectoryName(f)) == "createiso"))
            if (CreateisoRecord.TryRead(f) is { } r)
                foreach (var i in r.Images) yield return (r.Variant, r.Arch, i);
    }

    /// <summary>Image records, osbs.json and failed deliverables; each phase's old files are replaced, so a rerun never
    /// keeps an image or a failure of an earlier run.</summary>
    public static void WriteOutputs(KojiImageContext ctx, IReadOnlyList<KojiImagePhase> phases, KojiImagesOutcome outcome)
    {
        var layout = ctx.Layout;
        var dir = Path.Combine(layout.WorkTopdir(null), "koji-images");
        Directory.CreateDirectory(dir);
        foreach (var phase in phases)
        {
            var name = PungiName(phase);
            foreach (var old in Directory.EnumerateFiles(dir, name + "-*.images.json")) File.Delete(old);
            foreach (var g in outcome.Images.Where(i => i.Request.Phase == phase).GroupBy(i => (i.Request.Variant, i.Arch)))
            {
                new CreateisoRecord
                {
                    Variant = g.Key.Variant, Arch = g.Key.Arch, TreeArches = [g.Key.Arch],
                    Images = g.Select(i => i.Image).OrderBy(i => i.Path, StringComparer.Ordinal).ToList(),
                }.Write(Path.Combine(dir, $"{name}-{g.Key.Variant}.{g.Key.Arch}.images.json"));
            }
            FailedDeliverables.Write(layout, name, outcome.Failed.Where(f => f.Request.Phase == phase)
                .Select(f => new FailedDeliverables.Entry(name, f.Request.Variant, f.Arch, f.Request.Subvariant, f.TaskId, f.Reason)).ToList());
        }

        // osbs.json: {variant: {arch: [image metadata + compose_id]}}, scratch builds under [variant]["scratch"]
        if (phases.Contains(KojiImagePhase.OSBS) || phases.Contains(KojiImagePhase.ImageContainer))
        {
            var path = layout.Metadata("osbs.json");
            if (outcome.Containers.Count == 0)
            {
                if (File.Exists(path)) File.Delete(path);
                return;
            }
            var root = new JsonObject();
            foreach (var byVariant in outcome.Containers.GroupBy(c => c.Request.Variant).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var v = new JsonObject();
                foreach (var byArch in byVariant.GroupBy(c => c.Arch).OrderBy(g => g.Key, StringComparer.Ordinal))
                {
                    var arr = new JsonArray();
                    foreach (var c in byArch)
                    {
                        var md = new Dictionary<string, object?>(c.Metadata) { ["compose_id"] = ctx.Compose.Id };
                        arr.Add(JsonSerializer.SerializeToNode(md.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value)));
                    }
                    v[byArch.Key] = arr;
                }
                root[byVariant.Key] = v;
            }
            AtomicFile.WriteIfChanged(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }
    }
}
