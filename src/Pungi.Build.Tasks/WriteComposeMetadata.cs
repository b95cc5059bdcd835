using Pungi.Build.Compose;
using Pungi.Build.Metadata;

namespace Pungi.Build.Tasks;

/// <summary>
/// The metadata Pungi writes after the image phases: <c>compose/metadata/composeinfo.json</c> (productmd 1.2), with the
/// paths of every variant tree that exists.
/// </summary>
public sealed class WriteComposeMetadata : ComposeInputTask
{
    [Microsoft.Build.Framework.Required] public string ComposeTopDir { get; set; } = "";

    protected override string PhaseName => "Metadata";

    protected override void ExecutePhase()
    {
        var layout = new ComposeLayout(ComposeTopDir);
        var compose = ComposeInfoJson.Read(Path.Combine(layout.WorkDir, "global", "composeinfo-base.json")).Compose;
        var model = LoadVariants();
        var doc = ComposeInfoJson.FromCompose(compose, model, layout);
        ComposeInfoJson.Write(layout.Metadata("composeinfo.json"), doc);
    }
}
