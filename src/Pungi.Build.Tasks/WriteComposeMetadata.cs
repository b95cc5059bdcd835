using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Metadata;

namespace Pungi.Build.Tasks;

/// <summary>
/// The metadata Pungi writes after the image phases (spec §2.0.3): <c>compose/metadata/composeinfo.json</c>
/// (productmd 1.2) with the paths of every variant tree that exists, <c>rpms.json</c> with every linked package
/// (§6.2, §3.12), and <c>images.json</c> unless every image phase is skipped. Each is rewritten only when it changes.
/// </summary>
public sealed class WriteComposeMetadata : ComposeInputTask
{
    /// <summary>The phases whose skipping, all together, means no images.json (run_compose's list).</summary>
    private static readonly string[] ImagePhases =
        ["buildinstall", "ostree_installer", "createiso", "extra_isos", "live_images", "live_media", "image_build", "osbuild"];

    [Microsoft.Build.Framework.Required] public string ComposeTopDir { get; set; } = "";
    /// <summary>Pungi's skip-phase names (spaces, commas and semicolons separate).</summary>
    public string? SkipPhases { get; set; }

    protected override string PhaseName => "Metadata";

    protected override void ExecutePhase()
    {
        var layout = new ComposeLayout(ComposeTopDir);
        var compose = ComposeInfoJson.Read(layout.ComposeInfoBase).Compose;
        var model = LoadVariants();
        var doc = ComposeInfoJson.FromCompose(compose, model, layout);
        ComposeInfoJson.Write(layout.Metadata("composeinfo.json"), doc);

        var header = ComposeHeader.From(compose);
        // Per variant.arch fragments: an unchanged variant.arch is copied from its cached part, not rebuilt.
        var (_, reused, rebuilt) = RpmsManifest.WriteCached(header, model, layout, layout.Metadata("rpms.json"), RpmsFragment.CacheDir(layout),
            w => LogWarning(ErrorCodes.RpmsJsonSrpmGuessed, w));
        LogProgress($"Metadata: rpms.json from {rebuilt} variant.arch parts rebuilt and {reused} unchanged");

        // images.json: upstream writes it unless all image phases are skipped, so a compose without images still has
        // an empty one. Image phases of this port own its content (they add their images to it); create it only
        // when none of them has, so the two never overwrite each other.
        var skipped = (SkipPhases ?? "").ToLowerInvariant().Split([' ', ',', ';'], StringSplitOptions.RemoveEmptyEntries);
        var images = layout.Metadata("images.json");
        if (!ImagePhases.All(skipped.Contains) && !File.Exists(images))
            new ImagesJson(header).Write(images);
    }
}
